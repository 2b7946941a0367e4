"""Nested rolling-origin evaluation: the choice never sees data after its origin."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planbook.methods import forecast as F
from planbook.methods.forecast import nested as N


def annual(values, start: int = 2014) -> pd.Series:
    series = pd.Series(np.asarray(values, dtype=float), index=range(start, start + len(values)))
    series.attrs = {"unit": "trillion_yuan", "label": "Test"}
    return series


def growing(n: int = 14, seed: int = 3) -> pd.Series:
    """Growth of 10% a year with noise on logs: a series every method can fit."""
    rng = np.random.default_rng(seed)
    return annual(100 * np.exp(np.cumsum(0.1 + rng.normal(0, 0.04, n))))


def line(seed: int = 1) -> pd.Series:
    """A fixed line on logs plus noise (trend-stationary): the log-linear trend fits it."""
    rng = np.random.default_rng(seed)
    return annual(100 * np.exp(0.1 * np.arange(16) + rng.normal(0, 0.06, 16)), 2010)


CANDIDATES = ("naive", "drift", "trend")


def test_first_window_keeps_four_origins_where_it_can() -> None:
    assert [N.first_window(n, 7) for n in (14, 12, 10, 7, 6, 4)] == [7, 7, 6, 3, 2, 2]
    with pytest.raises(ValueError, match="at least 2"):
        N.first_window(12, 1)


def test_poisoned_last_years_change_no_choice_before_them() -> None:
    """Multiplying the last two years by 50 must leave every choice and every forecast made
    at an origin before them unchanged: the nested selection never sees later data."""
    clean = growing()
    poisoned = clean.copy()
    poisoned.iloc[-2:] *= 50.0
    first_poisoned = int(clean.index[-2])
    a = N.backtest_series(clean, key="s", candidates=CANDIDATES, horizon=2)
    b = N.backtest_series(poisoned, key="s", candidates=CANDIDATES, horizon=2)
    origins = sorted(o for o in a.rows["origin"].unique() if o < first_poisoned)
    assert len(origins) >= 4
    for origin in origins:
        assert N.choose(a.rows, CANDIDATES, origin) == N.choose(b.rows, CANDIDATES, origin)
    oos_a, oos_b = N.nested_rows(a), N.nested_rows(b)
    before_a = oos_a[oos_a["origin"] < first_poisoned].reset_index(drop=True)
    before_b = oos_b[oos_b["origin"] < first_poisoned].reset_index(drop=True)
    assert len(before_a) > 0
    pd.testing.assert_frame_equal(
        before_a[["procedure", "method", "origin", "horizon", "forecast"]],
        before_b[["procedure", "method", "origin", "horizon", "forecast"]],
    )
    # and the poison is seen once it is in the past: the scores of those years differ
    assert not oos_a["actual"].equals(oos_b["actual"])


def test_choose_uses_only_rows_known_by_the_origin() -> None:
    rows = pd.DataFrame(
        {
            "method": ["a", "b"] * 4,
            "origin": [2018, 2018, 2019, 2019, 2020, 2020, 2021, 2021],
            "year": [2019, 2019, 2020, 2020, 2021, 2021, 2022, 2022],
            "ase": [1.0, 2.0, 1.0, 2.0, 9.0, 0.1, 9.0, 0.1],
        }
    )
    assert N.choose(rows, ["a", "b"], 2020) == "a"  # years 2019-2020: a is better
    assert N.choose(rows, ["a", "b"], 2022) == "b"  # the later years turn it
    assert N.choose(rows, ["a", "b"], 2019) is None  # one origin only: too few to choose
    assert N.choose(rows, ["b", "a"], 2019, min_inner=1) == "a"
    tie = rows.assign(ase=1.0)
    assert N.choose(tie, ["b", "a"], 2022) == "b"  # a tie goes to the first listed


def _oos(selected: list[float], best: list[float], naive: list[float], drift: list[float]):
    rows = []
    for procedure, values in {
        N.SELECTED: selected,
        N.BEST_BENCHMARK: best,
        "naive": naive,
        "drift": drift,
    }.items():
        for h, ase in enumerate(values, start=1):
            rows.append({"series": "s", "procedure": procedure, "horizon": h, "ase": ase})
    return pd.DataFrame(rows)


def test_nested_scores_arithmetic() -> None:
    oos = _oos([0.5, 1.5], [1.0, 2.0], [1.0, 2.0], [3.0, 3.0])
    pooled = N.nested_scores(oos, by=("series",)).iloc[0]
    assert pooled["n"] == 2
    assert pooled["selected_MASE"] == pytest.approx(1.0)
    assert pooled["best_benchmark_MASE"] == pytest.approx(1.5)
    assert pooled["ratio"] == pytest.approx(1.0 / 1.5)
    assert bool(pooled["beats"])
    by_step = N.nested_scores(oos).set_index("horizon")
    assert by_step.loc[2, "drift_MASE"] == pytest.approx(3.0)
    # beating the chosen benchmark is not enough: every benchmark must be beaten
    close = N.nested_scores(_oos([1.0, 1.0], [1.5, 1.5], [1.5, 1.5], [0.9, 1.0]), by=("series",))
    assert not bool(close["beats"].iloc[0])
    # a tie within TIE is not a win
    tied = N.nested_scores(_oos([1.0, 1.0], [1.004, 1.004], [2, 2], [2, 2]), by=("series",))
    assert not bool(tied["beats"].iloc[0])


def test_a_model_is_used_only_where_it_beat_the_benchmarks() -> None:
    bt = N.backtest_series(line(), key="s", candidates=("naive", "drift", "trend"))
    last = int(bt.rows["year"].max())
    selected = N.choose(bt.rows, bt.candidates, last, 1)
    benchmark = N.choose(bt.rows, bt.benchmarks, last, 1)
    assert selected == "trend" and benchmark in F.BENCHMARKS  # this series: a model on top
    scores = {"n": 6, "selected_MASE": 0.5, "best_benchmark_MASE": 1.0}
    won = N.use_model(bt, pd.Series({**scores, "beats": True}))
    lost = N.use_model(bt, pd.Series({**scores, "beats": False}))
    assert (won.method, won.uses_model, won.verdict) == (
        "trend",
        True,
        "a model beats the benchmarks",
    )
    assert (lost.method, lost.uses_model) == (benchmark, False)
    assert lost.verdict == "no model beats the benchmarks"
    too_short = N.use_model(bt, None)
    assert too_short.verdict == "too short to evaluate" and not too_short.uses_model


def test_the_evaluation_uses_a_model_only_when_it_is_better() -> None:
    """A trend-stationary series (a fixed line on logs plus noise): the log-linear trend
    beats the random walks out of sample and is used. A pure random walk: no model beats
    the naive forecast, and the book uses it."""
    rng = np.random.default_rng(2)
    walk = annual(100 * np.exp(np.cumsum(rng.normal(0.0, 0.05, 16))), 2010)
    result = F.evaluate({"line": line(), "walk": walk}, min_train=7, horizon=2)
    assert result.choices["line"].method == "trend" and result.choices["line"].uses_model
    assert result.choices["walk"].method == "naive" and not result.choices["walk"].uses_model
    summary = result.summary.set_index("series")
    assert summary.loc["line", "ratio"] < 1 - N.TIE
    assert (summary["n_oos"] > 0).all()
