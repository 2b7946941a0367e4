"""The Monte Carlo loss model: reproducible, vectorised, and right on average."""

from __future__ import annotations

import math

import numpy as np
import pytest

from planbook.methods.models import risk_mc as MC

EVENTS = [
    MC.RiskEvent("big", 0.1, 1500.0, severity_cut=0.6),
    MC.RiskEvent("breach", 0.3, 200.0, frequency_cut=0.8),
    MC.RiskEvent("outage", 0.5, 300.0, severity_cut=0.875),
]


def test_same_seed_same_numbers_other_seed_other_numbers() -> None:
    a = MC.simulate(EVENTS, draws=20_000, seed=7, sigma=1.0)
    b = MC.simulate(EVENTS, draws=20_000, seed=7, sigma=1.0)
    c = MC.simulate(EVENTS, draws=20_000, seed=8, sigma=1.0)
    np.testing.assert_array_equal(a.before, b.before)
    np.testing.assert_array_equal(a.after, b.after)
    assert a.summary() == b.summary()
    assert not np.array_equal(a.before, c.before)


def test_mean_and_variance_converge_to_the_compound_poisson_formulas() -> None:
    """S = X_1 + ... + X_N, N ~ Poisson(lam): E[S] = lam m, Var[S] = lam E[X^2]."""
    lam, m, sigma = 2.0, 10.0, 0.8
    sim = MC.simulate([MC.RiskEvent("x", lam, m)], draws=400_000, seed=1, sigma=sigma)
    total = sim.total_before
    mean, se = total.mean(), total.std(ddof=1) / math.sqrt(total.size)
    assert abs(mean - lam * m) < 4 * se
    assert se < 0.01 * lam * m
    variance = lam * m**2 * math.exp(sigma**2)  # E[X^2] of a lognormal with mean m
    assert total.var() == pytest.approx(variance, rel=0.03)
    assert MC.expected_loss([MC.RiskEvent("x", lam, m)]) == lam * m


def test_counts_are_poisson_when_severity_is_fixed() -> None:
    sim = MC.simulate([MC.RiskEvent("x", 1.5, 2.0)], draws=200_000, seed=3, sigma=0.0)
    counts = sim.total_before / 2.0
    np.testing.assert_allclose(counts, np.round(counts))  # every event costs exactly 2
    assert (counts == 0).mean() == pytest.approx(math.exp(-1.5), abs=0.005)
    assert counts.mean() == pytest.approx(1.5, rel=0.01)


def test_several_risks_add_up() -> None:
    sim = MC.simulate(EVENTS, draws=300_000, seed=11, sigma=1.0, realisation=1.0)
    before = MC.expected_loss(EVENTS)
    after = MC.expected_loss(EVENTS, 1.0)
    assert before == pytest.approx(0.1 * 1500 + 0.3 * 200 + 0.5 * 300)
    assert after == pytest.approx(0.1 * 1500 * 0.4 + 0.3 * 0.2 * 200 + 0.5 * 300 * 0.125)
    s = sim.summary(0.95)
    assert s["expected_before"] == pytest.approx(before, rel=0.03)
    assert s["expected_after"] == pytest.approx(after, rel=0.03)
    assert s["avoided_expected"] == pytest.approx(before - after, rel=0.03)
    by = sim.by_risk().set_index("risk")
    assert by["expected_before"].sum() == pytest.approx(s["expected_before"])
    assert by.loc["breach", "expected_after"] == pytest.approx(0.2 * 60, rel=0.06)


def test_mitigation_never_raises_a_year_s_loss() -> None:
    sim = MC.simulate(EVENTS, draws=50_000, seed=5, sigma=1.5, realisation=0.7)
    assert (sim.after <= sim.before + 1e-12).all()
    assert sim.summary()["avoided_share_pct"] > 0


def test_realisation_ends() -> None:
    none = MC.simulate(EVENTS, draws=10_000, seed=2, sigma=1.0, realisation=0.0)
    np.testing.assert_array_equal(none.before, none.after)
    full = MC.simulate(
        [MC.RiskEvent("fine", 1.0, 5.0, frequency_cut=1.0)], draws=10_000, seed=2, sigma=1.0
    )
    assert full.total_after.max() == 0.0
    half = MC.simulate(
        [MC.RiskEvent("x", 1.0, 5.0, severity_cut=0.5)], draws=10_000, seed=2, sigma=1.0
    )
    np.testing.assert_allclose(half.after, 0.5 * half.before)


def test_summary_quantile_and_tail() -> None:
    sim = MC.simulate(EVENTS, draws=100_000, seed=9, sigma=1.0)
    s = sim.summary(0.95)
    assert s["quantile_before"] == pytest.approx(np.quantile(sim.total_before, 0.95))
    assert s["quantile_before"] > s["expected_before"]
    assert s["p_no_loss_before"] == pytest.approx(math.exp(-0.9), abs=0.01)
    drivers = sim.tail_drivers(0.95)
    assert drivers["share_of_tail_years"].sum() == pytest.approx(1.0)
    assert drivers.set_index("risk")["share_of_tail_years"].idxmax() == "big"
    curve = MC.exceedance(sim.total_before, points=50)
    assert curve["p_exceed"].is_monotonic_decreasing
    assert curve["p_exceed"].iloc[0] == pytest.approx(1 - s["p_no_loss_before"])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"draws": 0}, "draws"),
        ({"sigma": -1.0}, "sigma"),
        ({"realisation": 1.5}, "realisation"),
    ],
)
def test_bad_settings_are_refused(kwargs, message) -> None:
    settings = {"draws": 100, "seed": 0, "sigma": 1.0, **kwargs}
    with pytest.raises(ValueError, match=message):
        MC.simulate(EVENTS, **settings)


def test_bad_events_are_refused() -> None:
    with pytest.raises(ValueError, match="at least one"):
        MC.simulate([], draws=10, seed=0, sigma=1.0)
    with pytest.raises(ValueError, match="frequency"):
        MC.RiskEvent("x", -1.0, 1.0)
    with pytest.raises(ValueError, match="severity"):
        MC.RiskEvent("x", 1.0, math.inf)
    with pytest.raises(ValueError, match="frequency_cut"):
        MC.RiskEvent("x", 1.0, 1.0, frequency_cut=1.2)
    with pytest.raises(ValueError, match="quantile"):
        MC.simulate(EVENTS, draws=10, seed=0, sigma=1.0).summary(1.0)


def test_zero_frequency_and_zero_severity() -> None:
    sim = MC.simulate(
        [MC.RiskEvent("never", 0.0, 100.0), MC.RiskEvent("free", 3.0, 0.0)],
        draws=1_000,
        seed=0,
        sigma=1.0,
    )
    assert sim.total_before.max() == 0.0
    assert math.isnan(sim.summary()["avoided_share_pct"])
