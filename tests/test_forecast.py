"""Tests of planbook.methods.forecast on synthetic series with hand-computed answers."""

from __future__ import annotations

import math
import warnings
from functools import partial

import numpy as np
import pandas as pd
import pytest

from planbook.methods import forecast as fc

# Standard normal quantiles, written out so the tests do not lean on scipy.
Z_90 = 1.6448536269514722  # 0.95 quantile: two-sided 90 % interval
Z_80 = 1.2815515655446004  # 0.90 quantile: two-sided 80 % interval


def annual(values, start: int = 2014, unit: str | None = None) -> pd.Series:
    """A series indexed by consecutive integer years."""
    series = pd.Series(np.asarray(values, dtype=float), index=range(start, start + len(values)))
    if unit is not None:
        series.attrs["unit"] = unit
    return series


def exponential(n: int = 12, start_value: float = 100.0, growth: float = 0.1) -> pd.Series:
    """Exact constant growth: start_value * (1 + growth) ** t."""
    return annual(start_value * (1.0 + growth) ** np.arange(n))


def noisy_growth(n: int = 12, seed: int = 7, slope: float = 0.12, sd: float = 0.03) -> pd.Series:
    """Log-linear trend plus Gaussian noise on logs."""
    rng = np.random.default_rng(seed)
    return annual(np.exp(2.0 + slope * np.arange(n) + rng.normal(0.0, sd, n)))


LOG_DIFFS = np.array([0.10, 0.20, 0.15, 0.05, 0.25])
HAND = annual(50.0 * np.exp(np.concatenate([[0.0], np.cumsum(LOG_DIFFS)])), start=2019)


# --------------------------------------------------------------------------------------------
# Benchmarks
# --------------------------------------------------------------------------------------------


def test_naive_forecast_is_last_value_with_sqrt_h_interval():
    result = fc.naive(HAND, 3, level=0.9)
    last = HAND.iloc[-1]
    np.testing.assert_allclose(result.median, last, rtol=1e-12)
    sigma = math.sqrt(np.mean(LOG_DIFFS**2))
    h = np.arange(1, 4)
    np.testing.assert_allclose(result.upper, last * np.exp(Z_90 * sigma * np.sqrt(h)), rtol=1e-9)
    np.testing.assert_allclose(result.lower, last * np.exp(-Z_90 * sigma * np.sqrt(h)), rtol=1e-9)
    assert result.years == (2025, 2026, 2027)
    assert list(result.median.index) == [2025, 2026, 2027]


def test_drift_reproduces_exact_exponential_growth():
    series = exponential(10, growth=0.1)
    result = fc.drift(series, 4)
    expected = series.iloc[-1] * 1.1 ** np.arange(1, 5)
    np.testing.assert_allclose(result.median, expected, rtol=1e-12)
    # No noise, so the interval collapses onto the line.
    np.testing.assert_allclose(result.lower, expected, rtol=1e-12)
    np.testing.assert_allclose(result.upper, expected, rtol=1e-12)


def test_drift_interval_includes_drift_uncertainty():
    result = fc.drift(HAND, 2, level=0.8)
    m, c, s = LOG_DIFFS.size, LOG_DIFFS.mean(), LOG_DIFFS.std(ddof=1)
    h = np.arange(1, 3)
    log_last = math.log(HAND.iloc[-1])
    sd = s * np.sqrt(h * (1 + h / m))
    np.testing.assert_allclose(np.log(result.median), log_last + c * h, rtol=1e-12)
    np.testing.assert_allclose(np.log(result.upper), log_last + c * h + Z_80 * sd, rtol=1e-9)
    np.testing.assert_allclose(np.log(result.lower), log_last + c * h - Z_80 * sd, rtol=1e-9)


def test_mean_log_growth_interval_matches_hand_computed_normal_quantile():
    result = fc.mean_log_growth(HAND, 3, level=0.9)
    g = 0.15  # mean of LOG_DIFFS
    # Deviations -0.05, 0.05, 0, -0.1, 0.1: sum of squares 0.025, over n - 1 = 4.
    s = math.sqrt(0.025 / 4)
    assert LOG_DIFFS.std(ddof=1) == pytest.approx(s)
    last = HAND.iloc[-1]
    for h in (1, 2, 3):
        assert result.median[2024 + h] == pytest.approx(last * math.exp(g * h), rel=1e-12)
        assert result.upper[2024 + h] == pytest.approx(
            last * math.exp(g * h + Z_90 * s * math.sqrt(h)), rel=1e-9
        )
        assert result.lower[2024 + h] == pytest.approx(
            last * math.exp(g * h - Z_90 * s * math.sqrt(h)), rel=1e-9
        )
    # Same point as drift, narrower interval (no drift-uncertainty term).
    dr = fc.drift(HAND, 3, level=0.9)
    np.testing.assert_allclose(result.median, dr.median, rtol=1e-12)
    assert (result.upper < dr.upper).all()


# --------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------


def test_trend_on_exact_log_linear_series_gives_the_line():
    t = np.arange(10)
    series = annual(50.0 * np.exp(0.2 * t))
    result = fc.trend(series, 3)
    expected = 50.0 * np.exp(0.2 * np.arange(10, 13))
    np.testing.assert_allclose(result.median, expected, rtol=1e-9)
    np.testing.assert_allclose(result.lower, expected, rtol=1e-6)
    np.testing.assert_allclose(result.upper, expected, rtol=1e-6)


def test_trend_interval_is_the_ols_prediction_interval():
    series = noisy_growth(10)
    result = fc.trend(series, 2, level=0.9)
    y = np.log(series.to_numpy())
    t = np.arange(10.0)
    design = np.column_stack([np.ones(10), t])
    beta, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ beta
    s2 = resid @ resid / 8
    xtx_inv = np.linalg.inv(design.T @ design)
    t975_8 = 1.8595480375228424  # 0.95 quantile of Student t with 8 df
    for h, year in ((1, 2024), (2, 2025)):
        x = np.array([1.0, 9.0 + h])
        se = math.sqrt(s2 * (1 + x @ xtx_inv @ x))
        centre = x @ beta
        assert result.median[year] == pytest.approx(math.exp(centre), rel=1e-9)
        assert result.upper[year] == pytest.approx(math.exp(centre + t975_8 * se), rel=1e-9)
        assert result.lower[year] == pytest.approx(math.exp(centre - t975_8 * se), rel=1e-9)


def _broken_series(shift: float, slope_change: float) -> pd.Series:
    years = np.arange(2012, 2026)
    t = years - 2012
    wiggle = 0.002 * np.where(t % 2 == 0, 1.0, -1.0)
    logs = (
        1.0
        + 0.1 * t
        + shift * (years >= 2020)
        + slope_change * np.maximum(years - 2020, 0)
        + wiggle
    )
    return pd.Series(np.exp(logs), index=years)


def test_trend_break_picks_a_level_shift_when_it_lowers_aicc():
    result = fc.trend_break(_broken_series(shift=0.5, slope_change=0.0), 3)
    assert result.notes[-1].endswith(": level break at 2020")
    expected = 1.0 + 0.1 * np.arange(14, 17) + 0.5
    np.testing.assert_allclose(np.log(result.median), expected, atol=0.01)
    slope_only = fc.trend_break(_broken_series(shift=0.0, slope_change=0.08), 3)
    assert slope_only.notes[-1].endswith(": slope break at 2020")
    no_break = fc.trend_break(_broken_series(shift=0.0, slope_change=0.0), 3)
    assert no_break.notes[-1].endswith(": no break")
    plain = fc.trend(_broken_series(shift=0.0, slope_change=0.0), 3)
    np.testing.assert_allclose(no_break.median, plain.median, rtol=1e-12)


def test_trend_break_needs_years_after_the_break():
    series = _broken_series(shift=0.5, slope_change=0.0).loc[:2020]  # one year from 2020 on
    broken = fc.trend_break(series, 2)
    plain = fc.trend(series, 2)
    np.testing.assert_allclose(broken.median, plain.median, rtol=1e-12)
    assert broken.notes[-1] == "break at 2020 not identifiable from years 2012-2020"


def test_ets_matches_statsmodels_and_tracks_the_trend():
    from scipy import stats
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    series = noisy_growth(12)
    result = fc.ets(series, 4, level=0.9)
    logs = pd.Series(np.log(series.to_numpy()), index=pd.period_range("2014", periods=12, freq="Y"))
    fit = ETSModel(logs, error="add", trend="add").fit(disp=False)
    frame = fit.get_prediction(start=12, end=15).summary_frame(alpha=0.1)
    np.testing.assert_allclose(result.median, np.exp(frame["mean"]), rtol=1e-6)
    np.testing.assert_allclose(result.lower, np.exp(frame["pi_lower"]), rtol=1e-6)
    np.testing.assert_allclose(result.upper, np.exp(frame["pi_upper"]), rtol=1e-6)
    assert stats.norm.ppf(0.95) == pytest.approx(Z_90)
    # The data grow 12 % a year on logs; the forecast should too, roughly.
    growth = np.diff(np.log(result.median.to_numpy()))
    np.testing.assert_allclose(growth, 0.12, atol=0.02)


def test_ets_damped_increments_shrink_geometrically():
    result = fc.ets_damped(noisy_growth(12), 6)
    increments = np.diff(np.log(result.median.to_numpy()))
    ratios = increments[1:] / increments[:-1]
    np.testing.assert_allclose(ratios, ratios[0], rtol=1e-9)  # constant ratio: phi
    assert 0.8 - 1e-9 <= ratios[0] <= 0.98 + 1e-9  # statsmodels' bounds on phi
    assert "phi" in result.notes[0]


def test_arima_010_with_drift_matches_the_drift_mle():
    rng = np.random.default_rng(11)
    series = annual(np.exp(3 + np.cumsum(0.1 + rng.normal(0, 0.05, 10))), start=2016)
    result = fc.arima(series, 3, level=0.8, max_p=0, max_q=0)
    assert result.notes[0].startswith("ARIMA(0,1,0) with drift")
    d = np.diff(np.log(series.to_numpy()))
    h = np.arange(1, 4)
    log_last = math.log(series.iloc[-1])
    # Gaussian MLE of a random walk with drift: drift = mean difference, sigma2 = var (ddof 0).
    np.testing.assert_allclose(np.log(result.median), log_last + d.mean() * h, atol=1e-4)
    half_width = np.log(result.upper) - np.log(result.median)
    np.testing.assert_allclose(half_width, Z_80 * d.std() * np.sqrt(h), rtol=1e-3)


def test_arima_search_is_deterministic_and_reports_its_order():
    series = noisy_growth(10)
    first, second = fc.arima(series, 3), fc.arima(series, 3)
    pd.testing.assert_series_equal(first.median, second.median)
    assert first.notes[0].startswith("ARIMA(")
    assert "AICc" in first.notes[0]


def test_fitting_warnings_do_not_escape():
    short = noisy_growth(8, seed=3)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for method in ("ets", "ets_damped", "arima", "trend_break"):
            fc.forecast(short, method, 3)
    assert [str(w.message) for w in caught] == []


# --------------------------------------------------------------------------------------------
# Result type, registry, input checks
# --------------------------------------------------------------------------------------------


def test_result_carries_metadata_and_tidy_frame():
    series = noisy_growth(9)
    series.attrs["unit"] = "100 million yuan"
    result = fc.forecast(series, "drift", 3, level=0.95)
    assert result.method == "drift"
    assert result.n_obs == 9
    assert (result.history_start, result.history_end) == (2014, 2022)
    assert result.unit == "100 million yuan"
    assert result.level == 0.95
    frame = result.to_frame()
    assert list(frame.columns) == [
        "method",
        "year",
        "horizon",
        "median",
        "lower",
        "upper",
        "level",
        "n_obs",
        "history_end",
        "unit",
    ]
    assert frame["year"].tolist() == [2023, 2024, 2025]
    assert frame["horizon"].tolist() == [1, 2, 3]
    assert (frame["lower"] < frame["median"]).all() and (frame["median"] < frame["upper"]).all()


@pytest.mark.parametrize("method", [m for m in fc.METHODS if m != "ensemble"])
def test_every_method_returns_ordered_intervals(method):
    series = noisy_growth(12)
    result = fc.forecast(series, method, 3, level=0.8)
    assert result.n_obs == 12
    assert result.years == (2026, 2027, 2028)
    assert (result.lower <= result.median).all() and (result.median <= result.upper).all()
    wide = fc.forecast(series, method, 3, level=0.95)
    assert (wide.upper >= result.upper).all() and (wide.lower <= result.lower).all()


def test_period_index_and_unsorted_input_are_accepted():
    series = noisy_growth(8)
    periods = pd.Series(series.to_numpy(), index=pd.period_range("2014", periods=8, freq="Y"))
    shuffled = series.iloc[::-1]
    base = fc.drift(series, 2)
    for other in (periods, shuffled):
        np.testing.assert_allclose(fc.drift(other, 2).median, base.median, rtol=1e-12)


@pytest.mark.parametrize(
    ("series", "message"),
    [
        (annual([1.0, 2.0, 0.0, 4.0]), "positive"),
        (annual([1.0, 2.0, np.nan, 4.0]), "positive"),
        (pd.Series([1.0, 2.0, 3.0], index=[2014, 2015, 2017]), "consecutive"),
        (pd.Series([1.0, 2.0, 3.0], index=[2014, 2015, 2015]), "more than once"),
        (pd.Series([1.0, 2.0, 3.0], index=["a", "b", "c"]), "integer years"),
    ],
)
def test_bad_input_is_refused(series, message):
    with pytest.raises(ValueError, match=message):
        fc.drift(series, 1)


@pytest.mark.parametrize(
    ("method", "message"),
    [
        ("ets", "ETS needs at least 7 observations; got 6"),
        ("ets_damped", "damped-trend ETS needs at least 8 observations; got 6"),
        ("arima", "ARIMA needs at least 5 observations; got 4"),
        ("trend", "log-linear trend needs at least 5 observations; got 4"),
        ("drift", "drift method needs at least 3 observations; got 2"),
    ],
)
def test_too_short_series_raise_a_clear_error(method, message):
    n = int(message.rsplit(" ", 1)[-1])
    with pytest.raises(ValueError, match=message):
        fc.forecast(exponential(n), method, 2)


def test_unknown_method_and_bad_arguments():
    with pytest.raises(ValueError, match="unknown method 'prophet'"):
        fc.forecast(HAND, "prophet", 2)
    with pytest.raises(ValueError, match="horizon"):
        fc.forecast(HAND, "drift", 0)
    with pytest.raises(ValueError, match="level"):
        fc.forecast(HAND, "drift", 2, level=80)


def test_registry_is_read_only():
    with pytest.raises(TypeError):
        fc.METHODS["mine"] = fc.naive  # type: ignore[index]


# --------------------------------------------------------------------------------------------
# Ensemble
# --------------------------------------------------------------------------------------------


def test_ensemble_is_the_average_of_its_members():
    series = noisy_growth(10)
    members = ("naive", "drift", "trend")
    combined = fc.ensemble(series, 3, level=0.9, members=members)
    parts = [fc.forecast(series, m, 3, level=0.9) for m in members]
    for attr in ("median", "lower", "upper"):
        expected = sum(getattr(p, attr) for p in parts) / 3
        np.testing.assert_allclose(getattr(combined, attr), expected, rtol=1e-10)
    assert combined.members == members
    assert combined.n_obs == 10


def test_ensemble_names_the_member_that_cannot_be_fitted():
    with pytest.raises(ValueError, match="ensemble member 'ets_damped': .*at least 8"):
        fc.ensemble(noisy_growth(6), 2, members=("drift", "ets_damped"))


# --------------------------------------------------------------------------------------------
# Backtest and accuracy
# --------------------------------------------------------------------------------------------


def test_backtest_rows_and_drift_is_exact_on_an_exponential_trend():
    series = exponential(10, growth=0.08)
    frame = fc.backtest(series, ["drift", "naive"], min_train=5, horizon=3, level=0.8)
    # Origins 2018..2022 (train lengths 5..9): 3 + 3 + 3 + 2 + 1 steps per method.
    assert len(frame) == 2 * 12
    first = frame[(frame["method"] == "drift") & (frame["origin"] == 2018)]
    assert first["year"].tolist() == [2019, 2020, 2021]
    assert first["n_train"].unique().tolist() == [5]
    np.testing.assert_allclose(first["actual"], series.loc[2019:2021], rtol=0)
    table = fc.accuracy(frame, series)
    drift_rows = table[table["method"] == "drift"]
    assert drift_rows["horizon"].tolist() == [1, 2, 3]
    assert drift_rows["n"].tolist() == [5, 4, 3]
    np.testing.assert_allclose(drift_rows["MAPE"], 0.0, atol=1e-10)
    np.testing.assert_allclose(drift_rows["MASE"], 0.0, atol=1e-10)
    naive_rows = table[table["method"] == "naive"]
    assert (naive_rows["MASE"] > 0.9).all()


def test_accuracy_on_a_hand_made_frame():
    # Series 100, 110, 120, 130: the naive one-step MAE of 100..120 is 10, of 100..130 is 10.
    series = annual([100.0, 110.0, 120.0, 130.0], start=2020)
    frame = pd.DataFrame(
        {
            "method": ["m", "m", "m", "k"],
            "origin": [2021, 2021, 2022, 2022],
            "horizon": [1, 2, 1, 1],
            "actual": [120.0, 130.0, 130.0, 130.0],
            "forecast": [110.0, 126.0, 133.0, 130.0],
            "lower": [115.0, 120.0, 125.0, 129.0],
            "upper": [125.0, 140.0, 135.0, 131.0],
            "level": [0.8, 0.8, 0.8, 0.8],
        }
    )
    table = fc.accuracy(frame, series).set_index(["method", "horizon"])
    # Horizon 1 of "m": errors 10 and -3, scales 10 (2020-2021: |110-100|) and 10.
    assert table.loc[("m", 1), "n"] == 2
    assert table.loc[("m", 1), "MASE"] == pytest.approx((10 / 10 + 3 / 10) / 2)
    assert table.loc[("m", 1), "MAPE"] == pytest.approx((10 / 120 + 3 / 130) / 2 * 100)
    assert table.loc[("m", 1), "coverage"] == pytest.approx(1.0)
    assert table.loc[("m", 2), "MASE"] == pytest.approx(4 / 10)
    assert table.loc[("m", 2), "coverage"] == pytest.approx(1.0)
    assert table.loc[("k", 1), "MASE"] == pytest.approx(0.0)
    pooled = fc.accuracy(frame, series, by=("method",)).set_index("method")
    assert pooled.loc["m", "n"] == 3
    assert pooled.loc["m", "MASE"] == pytest.approx((1.0 + 0.4 + 0.3) / 3)


def test_coverage_counts_actuals_inside_closed_intervals():
    series = annual([100.0, 110.0, 120.0, 130.0, 140.0], start=2020)
    frame = pd.DataFrame(
        {
            "method": "m",
            "origin": [2021, 2021, 2021, 2021],
            "horizon": [1, 1, 1, 1],
            "actual": [120.0, 120.0, 120.0, 120.0],
            "forecast": [120.0, 120.0, 120.0, 120.0],
            "lower": [110.0, 120.0, 121.0, 100.0],  # inside, on the edge, above, inside
            "upper": [130.0, 125.0, 130.0, 119.0],  # ..., ..., ..., below
            "level": 0.9,
        }
    )
    table = fc.accuracy(frame, series)
    assert table["coverage"].item() == pytest.approx(0.5)


def test_winkler_score_hand_cases():
    # level 0.8 -> alpha 0.2 -> penalty 2 / 0.2 = 10 per unit outside; width 20.
    scores = fc.winkler_score([100.0, 80.0, 115.0], 90.0, 110.0, 0.8)
    np.testing.assert_allclose(scores, [20.0, 20.0 + 10 * 10, 20.0 + 10 * 5])
    frame = pd.DataFrame(
        {
            "method": "m",
            "origin": 2021,
            "horizon": [1, 1, 1],
            "actual": [100.0, 80.0, 115.0],
            "forecast": 100.0,
            "lower": 90.0,
            "upper": 110.0,
            "level": 0.8,
        }
    )
    table = fc.accuracy(frame, annual([50.0, 60.0], start=2020))
    assert table["winkler"].item() == pytest.approx((20 + 120 + 70) / 3)


def test_backtest_refuses_a_window_too_short_for_a_method():
    with pytest.raises(ValueError, match="ETS needs at least 7 observations; got 5"):
        fc.backtest(noisy_growth(9), ["drift", "ets"], min_train=5, horizon=1)
    with pytest.raises(ValueError, match="min_train"):
        fc.backtest(noisy_growth(9), ["drift"], min_train=9)


# --------------------------------------------------------------------------------------------
# Selection
# --------------------------------------------------------------------------------------------


def test_select_method_chooses_lowest_backtest_mase():
    series = exponential(10, growth=0.08) * np.exp(0.002 * np.tile([1.0, -1.0], 5))
    selection = fc.select_method(
        series, ["naive", "drift", "trend"], min_train=5, horizon=2, level=0.8
    )
    assert selection.scores["MASE"].is_monotonic_increasing
    assert selection.method == selection.scores["method"].iloc[0]
    assert selection.method in {"drift", "trend"}
    assert selection.scores.set_index("method").loc["naive", "MASE"] > 1.0
    assert selection.n_obs == 10
    assert selection.members == ()


def test_select_method_ensemble_rows_are_member_averages():
    series = noisy_growth(10)
    selection = fc.select_method(
        series, ["naive", "drift", "trend"], min_train=5, horizon=2, ensemble=True, top_k=2
    )
    frame = selection.backtest
    members = tuple(selection.scores.query("method != 'ensemble'")["method"].head(2))
    ens = frame[frame["method"] == "ensemble"].set_index(["origin", "horizon"])
    parts = frame[frame["method"].isin(members)].groupby(["origin", "horizon"])
    for column in ("forecast", "lower", "upper"):
        np.testing.assert_allclose(ens[column], parts[column].mean().loc[ens.index], rtol=1e-12)
    # The same rows come out of backtesting the ensemble method itself.
    refit = fc.backtest(
        series, {"ensemble": partial(fc.ensemble, members=members)}, min_train=5, horizon=2
    ).set_index(["origin", "horizon"])
    np.testing.assert_allclose(refit["forecast"], ens["forecast"], rtol=1e-10)
    np.testing.assert_allclose(refit["lower"], ens["lower"], rtol=1e-10)


def test_select_method_can_choose_the_ensemble():
    # Growth slows every year: drift overshoots, naive undershoots, their average wins.
    diffs = np.linspace(0.40, 0.04, 9)
    series = annual(100 * np.exp(np.concatenate([[0.0], np.cumsum(diffs)])), start=2016)
    selection = fc.select_method(series, ["naive", "drift"], min_train=5, horizon=2, ensemble=True)
    scores = selection.scores.set_index("method")
    assert selection.method == "ensemble"
    assert set(selection.members) == {"naive", "drift"}
    assert scores.loc["ensemble", "MASE"] < min(
        scores.loc["naive", "MASE"], scores.loc["drift", "MASE"]
    )
    chosen = selection.forecast(series, 2)
    assert chosen.method == "ensemble"
    expected = (fc.naive(series, 2).median + fc.drift(series, 2).median) / 2
    np.testing.assert_allclose(chosen.median, expected, rtol=1e-12)


def test_select_method_default_candidates_follow_series_length():
    selection = fc.select_method(noisy_growth(8), horizon=1)
    assert set(selection.scores["method"]) == {"naive", "drift", "arima", "trend", "trend_break"}
    assert selection.min_train == 5
    with pytest.raises(ValueError, match="needs at least 5 observations"):
        fc.select_method(noisy_growth(4))


# --------------------------------------------------------------------------------------------
# Probability of meeting a target
# --------------------------------------------------------------------------------------------


def test_target_at_the_median_gives_one_half():
    series = noisy_growth(12)
    median_2030 = fc.drift(series, 5).median[2030]
    odds = fc.probability_target_met(series, median_2030, 2030, method="drift", draws=20_000)
    assert odds.probability_exact == pytest.approx(0.5, abs=1e-9)
    assert odds.probability == pytest.approx(0.5, abs=4 * 0.0036)
    assert odds.mc_se == pytest.approx(math.sqrt(odds.probability * (1 - odds.probability) / 2e4))
    assert odds.median == pytest.approx(median_2030)
    assert (odds.horizon, odds.last_year, odds.n_obs, odds.method) == (5, 2025, 12, "drift")


def test_target_far_above_is_unlikely_and_below_last_value_is_near_certain():
    series = noisy_growth(12)
    last = series.iloc[-1]
    high = fc.probability_target_met(series, 100 * last, 2028, method="drift")
    assert high.probability == pytest.approx(0.0, abs=1e-3)
    assert high.probability_exact < 1e-6
    low = fc.probability_target_met(series, 0.9 * last, 2028, method="drift")
    assert low.probability == pytest.approx(1.0, abs=1e-3)
    ceiling = fc.probability_target_met(series, 0.9 * last, 2028, method="drift", bound="le")
    assert ceiling.probability_exact == pytest.approx(1 - low.probability_exact, abs=1e-12)


def test_target_growth_rates_are_hand_computed():
    odds = fc.probability_target_met(HAND, HAND.iloc[-1] * 1.21, 2026, method="drift")
    assert odds.required_growth == pytest.approx(0.1)  # 1.21 = 1.1 ** 2 over two years
    assert odds.historical_growth == pytest.approx(math.exp(0.15) - 1)
    assert odds.horizon == 2
    assert "value in 2026 itself" in odds.assumptions
    assert "\n" not in odds.assumptions


def test_target_probability_is_reproducible_and_seed_dependent():
    series = noisy_growth(12)
    target = fc.drift(series, 3).median[2028]
    a = fc.probability_target_met(series, target, 2028, method="drift", draws=5000, seed=1)
    b = fc.probability_target_met(series, target, 2028, method="drift", draws=5000, seed=1)
    c = fc.probability_target_met(series, target, 2028, method="drift", draws=5000, seed=2)
    assert a == b
    assert a.probability != c.probability
    assert a.probability_exact == c.probability_exact


def test_target_probability_for_an_ensemble_agrees_with_simulation():
    series = noisy_growth(10)
    members = ("naive", "drift", "trend")
    result = fc.ensemble(series, 3, members=members)
    target = result.median[2026]
    odds = fc.probability_target_met(
        series, target, 2026, method="ensemble", members=members, draws=40_000, seed=5
    )
    assert odds.members == members
    assert odds.probability_exact == pytest.approx(0.5, abs=1e-9)  # median of the average
    assert odds.probability == pytest.approx(odds.probability_exact, abs=4 * odds.mc_se + 1e-3)
    above = fc.probability_target_met(
        series, result.upper[2026], 2026, method="ensemble", members=members
    )
    # A quantile average is not a mixture: the upper bound of the averaged interval is the
    # averaged distribution's own quantile, so exceedance is exactly (1 - level) / 2.
    assert above.probability_exact == pytest.approx(0.1, abs=1e-6)


def test_target_probability_auto_selects_by_backtest():
    odds = fc.probability_target_met(noisy_growth(9), 20.0, 2027, draws=2000)
    assert odds.method in fc.METHODS
    assert 0.0 <= odds.probability <= 1.0


def test_target_year_must_be_in_the_future():
    with pytest.raises(ValueError, match="not after the last observation 2024"):
        fc.probability_target_met(HAND, 100.0, 2024, method="drift")
    with pytest.raises(ValueError, match="bound"):
        fc.probability_target_met(HAND, 100.0, 2026, method="drift", bound="gt")  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Training window and forecasts with a fallback
# --------------------------------------------------------------------------------------------


def test_training_window_keeps_three_origins_where_it_can():
    assert fc.training_window(12, 7) == 7
    assert fc.training_window(9, 7) == 6
    assert fc.training_window(4, 7) == 2  # never below what the naive method needs
    assert fc.training_window(12, None) is None
    with pytest.raises(ValueError, match="min_train must be at least 2"):
        fc.training_window(12, 1)


def test_select_method_with_a_window_scores_only_methods_that_fit_in_it():
    selection = fc.select_method(noisy_growth(12), min_train=5, horizon=1)
    assert set(selection.scores["method"]) == {"naive", "drift", "arima", "trend", "trend_break"}
    assert selection.min_train == 5


def test_forecast_with_fallback_named_method_is_used_as_set():
    series = noisy_growth(12)
    result, note = fc.forecast_with_fallback(series, "drift", 3, 0.9)
    expected = fc.drift(series, 3, 0.9)
    np.testing.assert_allclose(result.median, expected.median, rtol=1e-12)
    assert note == "drift, as set"


def test_forecast_with_fallback_falls_back_when_a_method_lacks_observations():
    short = noisy_growth(6)
    result, note = fc.forecast_with_fallback(short, "ets_damped", 2, 0.8)
    assert result.method in fc.DEFAULT_CANDIDATES
    assert note.startswith("ets_damped needs 8 observations and this series has 6; ")
    assert note.endswith("chosen by rolling-origin backtest MASE")
    # An ensemble of the defaults needs what its largest member needs.
    _, note = fc.forecast_with_fallback(short, "ensemble", 2, 0.8)
    assert "ensemble needs 8 observations" in note


def test_forecast_with_fallback_auto_is_the_backtest_choice():
    series = noisy_growth(10)
    result, note = fc.forecast_with_fallback(series, "auto", 5, 0.8, min_train=6)
    selection = fc.select_method(series, horizon=3, level=0.8, min_train=6)
    assert result.method == selection.method
    assert result.horizon == 5
    assert note == f"{selection.method}, chosen by rolling-origin backtest MASE"
    with pytest.raises(ValueError, match="unknown method 'magic'"):
        fc.forecast_with_fallback(series, "magic", 2)


@pytest.mark.parametrize("name", list(fc.METHODS))
def test_method_docstrings_are_filled_in(name):
    doc = fc.METHODS[name].__doc__
    assert "{" not in doc.replace("1{year", "")
    assert "Parameters\n    ----------\n    series : pandas.Series" in doc
