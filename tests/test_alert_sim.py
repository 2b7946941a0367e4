"""The alert-rule simulation against the closed form and hand-computed cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planbook.methods.models import alert_sim as S


def exact(sigma: float, h: float) -> float:
    """P(|x| crosses ln(1 +- h)) for x ~ N(0, sigma), written out with erfc."""
    lo, hi = math.log(1 - h) / sigma, math.log(1 + h) / sigma
    return 0.5 * math.erfc(-lo / math.sqrt(2)) + 0.5 * math.erfc(hi / math.sqrt(2))


def test_analytic_rate_matches_the_normal_tails() -> None:
    # sigma 5%, threshold 10%: Phi(ln 0.9 / 0.05) + 1 - Phi(ln 1.1 / 0.05)
    assert S.analytic_rate(0.05, 0.10) == pytest.approx(0.0458616, abs=1e-6)
    assert S.analytic_rate(0.05, 0.10) == pytest.approx(exact(0.05, 0.10))
    # the two tails are not equal: a 10% fall is a larger log move than a 10% rise
    assert -math.log(0.9) > math.log(1.1)


def test_iid_level_doubles_the_variance_of_the_change() -> None:
    assert S.change_sd(0.05, "iid_level") == pytest.approx(0.05 * math.sqrt(2))
    assert S.analytic_rate(0.05, 0.1, "iid_level") == pytest.approx(exact(0.05 * math.sqrt(2), 0.1))


@pytest.mark.parametrize("model", S.NOISE_MODELS)
@pytest.mark.parametrize("sigma", [0.02, 0.05, 0.12])
def test_simulation_agrees_with_the_closed_form(model: str, sigma: float) -> None:
    sim = S.simulate(sigma, 0.10, months=12, draws=20000, seed=1, noise_model=model)
    assert abs(sim["rate"] - sim["analytic"]) < 4 * sim["rate_se"] + 1e-4
    assert sim["mean_alarms"] == pytest.approx(12 * sim["rate"])
    assert sim["rate"] <= sim["any_alarm"] <= 1


def test_alerts_hand_case_and_strict_threshold() -> None:
    levels = np.log(np.array([[1.0, 1.2, 1.2, 1.2 * 0.85, 1.2 * 0.85 * 1.05]]))
    fired = S.alerts(levels, 0.10)
    assert fired.tolist() == [[True, False, True, False]]


def test_seed_reproduces_and_changes() -> None:
    a = S.simulate(0.05, 0.1, 12, 5000, seed=7)
    b = S.simulate(0.05, 0.1, 12, 5000, seed=7)
    c = S.simulate(0.05, 0.1, 12, 5000, seed=8)
    assert a == b
    assert a["rate"] != c["rate"]


def test_random_walk_starts_at_zero() -> None:
    levels = S.simulate_log_levels(0.05, months=6, draws=3, seed=0)
    assert levels.shape == (3, 7)
    assert (levels[:, 0] == 0).all()


def test_rate_curve_rises_with_noise() -> None:
    curve = S.rate_curve([0.02, 0.04, 0.06, 0.1], 0.1, months=12, draws=4000, seed=3)
    assert curve["rate"].is_monotonic_increasing
    assert curve["analytic"].is_monotonic_increasing
    assert curve["any_alarm"].is_monotonic_increasing


def test_sigma_for_rate_inverts_the_closed_form() -> None:
    sigma = S.sigma_for_rate(1 / 12, 0.1)
    assert S.analytic_rate(sigma, 0.1) == pytest.approx(1 / 12, abs=1e-9)


@settings(max_examples=50, deadline=None)
@given(
    sigma=st.floats(0.005, 0.5),
    h=st.floats(0.01, 0.9),
    bigger=st.floats(1.01, 3.0),
)
def test_more_noise_or_a_lower_threshold_means_more_alarms(sigma, h, bigger) -> None:
    p = S.analytic_rate(sigma, h)
    assert 0 <= p <= 1
    assert S.analytic_rate(sigma * bigger, h) >= p
    assert S.analytic_rate(sigma, h / bigger) >= p


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sigma": 0.0, "threshold": 0.1}, "noise sd must be positive"),
        ({"sigma": 0.05, "threshold": 1.5}, "between 0 and 1"),
        ({"sigma": 0.05, "threshold": 0.1, "noise_model": "ar1"}, "unknown noise model"),
    ],
)
def test_bad_inputs_are_refused(kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        S.analytic_rate(**kwargs)


def test_bad_simulation_sizes_and_grids() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        S.simulate_log_levels(0.05, months=0, draws=10, seed=0)
    with pytest.raises(ValueError, match="positive noise"):
        S.rate_curve([], 0.1, 12, 10, 0)
    with pytest.raises(ValueError, match="rate must be"):
        S.sigma_for_rate(1.5, 0.1)
