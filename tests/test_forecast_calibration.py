"""Calibrated intervals and the wording of probabilities, with answers known in advance."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from planbook.methods import forecast as F
from planbook.methods.forecast import calibration as C
from planbook.methods.forecast import nested as N

Z80, Z85, Z90 = stats.norm.ppf([0.9, 0.925, 0.95])


def test_factor_is_the_ratio_of_quantiles_with_a_floor_and_a_minimum_count() -> None:
    scores = np.array([-2.0, 1.0, 0.5, -0.2, 3.0, 1.5, -1.0])
    q = np.quantile(np.abs(scores), 0.85)
    assert C.spread_factor(scores) == pytest.approx(q / Z85)
    assert C.spread_factor([0.01] * 10) == C.MIN_FACTOR  # never narrowed below half
    assert math.isnan(C.spread_factor([1.0] * (C.MIN_ERRORS - 1)))
    rows = pd.DataFrame({"method": ["a"] * 3 + ["b"] * 20, "score": [9.0] * 3 + [1.0] * 20})
    table = C.spread_factors(rows)
    assert table.loc["a", "factor"] == table.loc[C.ALL_METHODS, "factor"]  # too few: pooled
    assert table.loc["b", "factor"] == pytest.approx(1.0 / Z85)
    assert C.factor_for(table, "ensemble")[1].endswith("of all methods")


def test_calibration_hits_nominal_when_the_model_is_k_times_too_sure() -> None:
    """Errors 2.5 times wider than the model says: raw intervals undercover, calibrated ones
    cover 80% and 90% (8,000 synthetic forecasts, cross-validated by year)."""
    rng = np.random.default_rng(42)
    n = 8000
    rows = pd.DataFrame(
        {
            "series": rng.choice(["a", "b", "c"], n),
            "method": "m",
            "origin": 0,
            "horizon": 1,
            "year": rng.integers(2000, 2020, n),
            "score": 2.5 * rng.standard_normal(n),
        }
    )
    cv = C.cross_validated_coverage(rows)
    assert cv["factor"].between(2.3, 2.7).all()
    pooled = C.coverage_table(cv).set_index("series").loc["all"]
    assert pooled["raw_80"] < 0.45 and pooled["raw_90"] < 0.55
    assert pooled["cal_80"] == pytest.approx(0.80, abs=0.02)
    assert pooled["cal_90"] == pytest.approx(0.90, abs=0.02)


def test_calibration_hits_nominal_on_backtests_of_slowing_series() -> None:
    """Series whose growth drifts (an integrated random walk in growth), backtested with
    the drift method, whose interval assumes a constant growth rate: too narrow as fitted,
    within 5 points of nominal once calibrated (leave-one-year-out)."""
    rng = np.random.default_rng(7)
    frames = []
    for i in range(40):
        growth = 0.1 + np.cumsum(rng.normal(0, 0.03, 14))
        series = pd.Series(100 * np.exp(np.cumsum(growth)), index=range(2010, 2024))
        bt = N.backtest_series(series, key=f"s{i}", candidates=("drift",), horizon=2)
        frames.append(bt.rows[bt.rows["method"] == "drift"])
    rows = pd.concat(frames, ignore_index=True)
    pooled = C.coverage_table(C.cross_validated_coverage(rows)).set_index("series").loc["all"]
    assert pooled["raw_80"] < 0.70  # the fitted interval is too narrow
    assert abs(pooled["cal_80"] - 0.80) <= 0.05
    assert abs(pooled["cal_90"] - 0.90) <= 0.05


def test_a_calibrated_distribution_stretches_normal_scores() -> None:
    dist = F.Predictive.single([math.log(100.0)], [0.1])
    wide = dist.calibrated(2.0)
    assert wide.quantile(0.5)[0] == pytest.approx(100.0)
    assert wide.quantile(0.9)[0] == pytest.approx(100.0 * math.exp(2.0 * 0.1 * Z80))
    # a far tail keeps its precision: P(level >= 100 e^1) = P(Z >= 10 / 2)
    assert wide.prob(100.0 * math.e, 1, "ge") == pytest.approx(stats.norm.sf(5.0), rel=1e-9)
    assert dist.prob(100.0 * math.e, 1, "ge") == pytest.approx(stats.norm.sf(10.0), rel=1e-6)
    # a Student-t component: its normal score is stretched, not its t quantile
    t = F.Predictive.single([0.0], [1.0], df=4.0).calibrated(1.5)
    p = float(stats.t.cdf(1.0, 4))
    assert t.prob(math.e, 1, "le") == pytest.approx(stats.norm.cdf(stats.norm.ppf(p) / 1.5))
    with pytest.raises(ValueError, match="positive"):
        dist.calibrated(0.0)
    with pytest.raises(ValueError, match="as fitted"):
        F.Predictive.combine([wide, dist])


def test_calibrated_result_keeps_the_median_and_widens_on_logs() -> None:
    series = pd.Series(100 * 1.1 ** np.arange(10) * np.exp(np.tile([0.02, -0.02], 5)))
    series.index = range(2014, 2024)
    raw = F.forecast(series, "naive", 3, level=0.8)
    cal = C.calibrated(raw, 1.5, "10 backtest errors of naive")
    pd.testing.assert_series_equal(cal.median, raw.median)
    half_raw = np.log(raw.upper) - np.log(raw.median)
    half_cal = np.log(cal.upper) - np.log(cal.median)
    np.testing.assert_allclose(half_cal, 1.5 * half_raw, rtol=1e-9)
    assert "x 1.50" in cal.notes[-1] and "naive" in cal.notes[-1]


@pytest.mark.parametrize(
    ("p", "se", "text"),
    [
        (0.0, None, "under 1%"),
        (0.0099, None, "under 1%"),
        (0.01, None, "1.0%"),
        (0.0448, 0.00207, "4.5% (Monte Carlo error 0.2 points)"),
        (0.0996, None, "10%"),
        (0.2345, None, "23%"),
        (0.5, 0.005, "50% (Monte Carlo error 0.5 points)"),
        (0.99, None, "99%"),
        (0.9901, None, "over 99%"),
        (1.0, None, "over 99%"),
    ],
)
def test_probability_bands_and_two_significant_digits(p, se, text) -> None:
    assert F.probability_text(p, se) == text


def test_probability_text_refuses_a_number_outside_zero_one() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        F.probability_text(1.2)
