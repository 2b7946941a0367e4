"""Official series for forecasting, the backtest table and the methods appendix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planbook.chapters import methods as B
from planbook.data import official
from planbook.engine.params import validate_params
from planbook.errors import InputError
from planbook.methods import forecast as F
from planbook.page import forecast_charts as FC


def annual(values, start: int, label: str) -> pd.Series:
    series = pd.Series(np.asarray(values, dtype=float), index=range(start, start + len(values)))
    series.attrs = {"unit": "trillion_yuan", "label": label}
    return series


def wobbly(n: int, start: int = 2014) -> pd.Series:
    """Growth of 10% a year with +-3% noise on logs."""
    noise = 0.03 * np.tile([1.0, -1.0], n)[:n]
    return annual(100 * np.exp(0.1 * np.arange(n) + noise), start, f"Wobbly {n}")


# --------------------------------------------------------------------------------------------
# Official series
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(F.SERIES))
def test_every_official_series_is_a_consecutive_positive_run(key) -> None:
    series = F.official_series(key)
    years = series.index.to_numpy()
    assert (np.diff(years) == 1).all()
    assert (series > 0).all()
    assert len(series) >= 5
    assert set(series.attrs) >= {"unit", "label", "basis", "why", "detail", "flagged"}
    assert all(years[0] <= y <= years[-1] for y in series.attrs["flagged"])


def test_chained_online_retail_keeps_official_growth_and_the_latest_level() -> None:
    series = F.official_series("online_retail_sales")
    growth = official.annual_series("online_retail_sales", "yoy_pct")
    levels = official.annual_series("online_retail_sales")
    implied = (series / series.shift(1) - 1).dropna() * 100
    np.testing.assert_allclose(implied, growth.loc[implied.index], rtol=1e-12)
    assert series.iloc[-1] == pytest.approx(levels.iloc[-1])
    assert series.index.min() == 2014


def test_levels_leave_out_estimates_and_start_after_gaps() -> None:
    volume = F.official_series("ecommerce_transaction_volume")
    assert volume.index.min() == 2016  # 2013-2015 are estimates and a plan baseline
    assert volume.loc[2022] == pytest.approx(43.83)
    shoppers = F.official_series("online_shoppers")
    assert shoppers.index.min() == 2016  # no 2015 survey
    assert 2025 in shoppers.attrs["flagged"]
    # Cross-border growth is anchored at the last *final* level (2023), not the 2024 one.
    border = F.official_series("cross_border_ecommerce")
    assert border.loc[2023] == pytest.approx(2.38)


def test_history_start_trims_and_bad_keys_are_refused() -> None:
    assert F.official_series("online_retail_sales", history_start=2017).index.min() == 2017
    with pytest.raises(InputError, match="unknown series 'gmv'"):
        F.official_series("gmv")
    with pytest.raises(InputError, match="history_start=2022 leaves 1 years"):
        F.official_series("ecommerce_transaction_volume", history_start=2022)


# --------------------------------------------------------------------------------------------
# The evaluation of a set of series
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hand() -> F.Evaluation:
    return F.evaluate({"long": wobbly(12), "short": wobbly(6, 2019)}, min_train=7, horizon=2)


def test_windows_candidates_and_rows(hand) -> None:
    long, short = hand.backtests["long"], hand.backtests["short"]
    # 12 points, window 7: 5 origins; every candidate but ets_damped (needs 8).
    assert long.window == 7 and long.rows["origin"].nunique() == 5
    assert set(long.candidates) == set(F.DEFAULT_CANDIDATES) - {"ets_damped"}
    assert long.benchmarks == F.BENCHMARKS
    # 6 points: the window shrinks to 2 so that 4 origins remain: the naive method alone.
    assert short.window == 2 and short.candidates == ("naive",)
    assert set(short.rows["method"]) == {"naive"}
    # each method: steps 1-2 from the first 4 origins, step 1 from the last
    per_method = long.rows.groupby("method").size()
    assert (per_method == 4 * 2 + 1).all()
    assert list(hand.summary.columns) == list(F.SUMMARY_COLUMNS)
    assert list(hand.accuracy.columns) == list(F.ACCURACY_COLUMNS)


def test_accuracy_agrees_with_the_forecast_library(hand) -> None:
    series = wobbly(12)
    runs = F.backtest(series, ["drift"], 7, 2, 0.8)
    expected = F.accuracy(runs, series).set_index("horizon")
    got = hand.accuracy.query("series == 'long' and method == 'drift'").set_index("horizon")
    for column in ("MAPE", "MASE"):
        np.testing.assert_allclose(got[column], expected[column], rtol=1e-12)


def test_nested_scores_and_the_method_used(hand) -> None:
    summary = hand.summary.set_index("series")
    long = summary.loc["long"]
    # outer origins 2022-2024 (two inner origins each): 2 + 2 + 1 forecasts
    assert long["n_oos"] == 5
    oos = hand.oos[(hand.oos["series"] == "long") & (hand.oos["procedure"] == "selected")]
    assert long["selected_MASE"] == pytest.approx(oos["ase"].mean())
    assert long["ratio"] == pytest.approx(long["selected_MASE"] / long["best_benchmark_MASE"])
    for key, choice in hand.choices.items():
        assert choice.method in (choice.selected, choice.benchmark)
        assert choice.uses_model == (choice.method not in F.BENCHMARKS)
        assert summary.loc[key, "method"] == choice.method
    assert hand.choices["short"].method == "naive"


def test_methods_table_lists_every_method() -> None:
    table = F.methods_table()
    assert list(table["method"]) == list(F.METHODS)
    assert table.set_index("method").loc["ets", "min_obs"] == F.MIN_OBS["ets"]
    assert str(F.DEFAULT_BREAK_YEAR) in table.set_index("method").loc["trend_break", "formula"]


def _finished(fig, ax) -> None:
    assert ax.get_title(loc="left")
    assert any("Source" in t.get_text() for t in fig.texts)


def test_plot_benchmarks_is_a_finished_chart(hand) -> None:
    fig, ax = FC.plot_benchmarks(hand.summary)
    _finished(fig, ax)
    assert "MASE" in ax.get_xlabel()


def test_plot_by_horizon_is_a_finished_chart(hand) -> None:
    fig, ax = FC.plot_by_horizon(hand.scores, hand.summary)
    _finished(fig, ax)
    assert "MASE" in ax.get_ylabel()


def test_plot_coverage_is_a_finished_chart(hand) -> None:
    fig, ax = FC.plot_coverage(hand.coverage_by("series"))
    _finished(fig, ax)
    assert "%" in ax.get_xlabel()


def test_headline_keys_and_their_sources() -> None:
    params = validate_params("methods", {})
    evaluation = B.evaluate(params)
    first = B.headline(params, evaluation=evaluation)
    assert list(first) == [
        "series_evaluated",
        "series_using_a_model",
        "median_oos_mase_ratio",
        "calibrated_coverage_80_pct",
        "calibrated_coverage_90_pct",
        "online_retail_oos_mase",
        "online_retail_benchmark_oos_mase",
    ]
    assert first["series_evaluated"] == len(F.SERIES)
    assert first["series_using_a_model"] == sum(c.uses_model for c in evaluation.choices.values())
    pooled = evaluation.coverage_by("series").set_index("series").loc["all"]
    assert first["calibrated_coverage_80_pct"] == pytest.approx(pooled["cal_80"] * 100)
    # the headline under an Evaluations memo is the same evaluation
    memo = F.Evaluations()
    assert B.headline(params, evaluations=memo) == first
    assert memo.get() is memo.get()


@pytest.mark.slow
def test_methods_appendix_numbers_move_with_their_parameters(default_values, run_chapter) -> None:
    """A narrower interval gives a lower upper bound; fewer draws change the simulated share."""
    default = default_values("methods")
    changed = run_chapter("methods", level=0.5, draws=2000)
    assert changed["ex_upper"] < default["ex_upper"]
    assert changed["ex_median"] == pytest.approx(default["ex_median"])
    assert changed["ex_p_exact"] == pytest.approx(default["ex_p_exact"])
    shorter = run_chapter("methods", backtest_min_train=5)
    assert shorter["or_origins"] == default["or_origins"] + 2
