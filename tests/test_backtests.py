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
from planbook.methods.forecast import evaluation as E
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
# Backtest table
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hand_table() -> pd.DataFrame:
    return F.backtest_table(
        {"long": wobbly(12), "short": wobbly(6, 2019)}, min_train=7, horizon=2, level=0.8
    )


def test_backtest_table_shape(hand_table) -> None:
    table = hand_table
    assert list(table.columns) == list(F.TABLE_COLUMNS)
    long, short = table[table["series"] == "long"], table[table["series"] == "short"]
    # 12 points, window 7: 5 origins; every method but ets_damped (needs 8) is scored.
    assert set(long["method"]) == set(F.TABLE_METHODS) - {"ets_damped"}
    assert long["min_train"].unique().tolist() == [7]
    assert long.groupby("method")["n"].apply(list).map(lambda n: n == [5, 4]).all()
    # 6 points: the window shrinks to 3 so that 3 origins remain; benchmarks only.
    assert short["min_train"].unique().tolist() == [3]
    assert set(short["method"]) == {"naive", "drift", "mean_log_growth"}
    assert short.groupby("method")["n"].apply(list).map(lambda n: n == [3, 2]).all()
    for _, group in table.groupby("series"):
        assert group.loc[group["chosen"], "method"].nunique() == 1
    assert table.loc[table["benchmark"], "method"].isin(F.BENCHMARKS).all()


def test_table_scores_agree_with_the_forecast_library(hand_table) -> None:
    series = wobbly(12)
    runs = F.backtest(series, ["drift"], 7, 2, 0.8)
    expected = F.accuracy(runs, series).set_index("horizon")
    got = hand_table.query("series == 'long' and method == 'drift'").set_index("horizon")
    for column in ("MAPE", "MASE", "coverage", "winkler"):
        np.testing.assert_allclose(got[column], expected[column], rtol=1e-12)


def test_benchmark_comparison(hand_table) -> None:
    summary = F.benchmark_comparison(hand_table).set_index("series")
    assert (summary["mase_ratio"] <= 1 + 1e-12).all()  # the choice includes the benchmarks
    assert summary.loc["short", "chosen"] in F.BENCHMARKS
    assert summary.loc["short", "verdict"] == "is a benchmark"
    assert "ets_damped" in summary.loc["long", "left_out"]
    pooled = F.accuracy(F.backtest(wobbly(12), ["naive"], 7, 2, 0.8), wobbly(12), by=["method"])
    long_rows = hand_table.query("series == 'long' and method == 'naive'")
    weighted = (long_rows["MASE"] * long_rows["n"]).sum() / long_rows["n"].sum()
    assert weighted == pytest.approx(float(pooled["MASE"].iloc[0]))


def test_verdicts() -> None:
    assert E._verdict("naive", 1.0) == "is a benchmark"
    assert E._verdict("arima", 0.999) == "ties a benchmark"
    assert E._verdict("arima", 0.9) == "beats the benchmarks"


def test_methods_table_lists_every_method() -> None:
    table = F.methods_table()
    assert list(table["method"]) == list(F.METHODS)
    assert table.set_index("method").loc["ets", "min_obs"] == F.MIN_OBS["ets"]
    assert str(F.DEFAULT_BREAK_YEAR) in table.set_index("method").loc["trend_break", "formula"]


def test_plot_benchmarks_is_a_finished_chart(hand_table) -> None:
    fig, ax = FC.plot_benchmarks(hand_table)
    assert ax.get_title(loc="left")
    assert "MASE" in ax.get_xlabel()
    assert any("Source" in t.get_text() for t in fig.texts)


def test_plot_by_horizon_is_a_finished_chart(hand_table) -> None:
    fig, ax = FC.plot_by_horizon(hand_table)
    assert ax.get_title(loc="left")
    assert "MASE" in ax.get_ylabel()
    assert any("Source" in t.get_text() for t in fig.texts)


def test_headline_reuses_a_table_and_moves_with_level() -> None:
    params = validate_params("methods", {})
    first = B.headline(params)
    assert first["series_backtested"] == len(F.SERIES)
    assert 0 < first["median_mase_ratio"] <= 1
    table = F.backtest_table(
        F.official_series_all(params.history_start),
        min_train=params.backtest_min_train,
        horizon=params.horizon,
        level=0.5,
        seed=params.seed,
    )
    narrow = B.headline(validate_params("methods", {"level": 0.5}), table=table)
    assert narrow["chosen_coverage_pct"] <= first["chosen_coverage_pct"]
    assert narrow["online_retail_chosen_mase"] == first["online_retail_chosen_mase"]


@pytest.mark.slow
def test_methods_appendix_numbers_move_with_their_parameters(default_values, run_chapter) -> None:
    """A narrower interval gives a lower upper bound; fewer draws change the simulated share."""
    default = default_values("methods")
    changed = run_chapter("methods", level=0.5, draws=2000)
    assert changed["ex_upper"] < default["ex_upper"]
    assert changed["ex_median"] == pytest.approx(default["ex_median"])
    assert changed["ex_p"] != default["ex_p"]
    assert changed["ex_p_exact"] == pytest.approx(default["ex_p_exact"])
    shorter = run_chapter("methods", backtest_min_train=5)
    assert shorter["or_origins"] == default["or_origins"] + 2
