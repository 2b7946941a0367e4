"""NPV, IRR and payback on hand-computed cash flows (models/appraisal.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from planbook.methods.models import appraisal as AP


def test_npv_hand_computed() -> None:
    # -100 + 60/1.1 + 60/1.1^2 = -100 + 54.5455 + 49.5868
    assert AP.npv(0.1, [-100, 60, 60]) == pytest.approx(4.132231, abs=1e-6)
    assert AP.npv(0.0, [-100, 60, 60]) == pytest.approx(20.0)
    assert AP.npv(0.5, [10]) == 10.0  # the first flow is not discounted


def test_discount_factors() -> None:
    assert AP.discount_factors(0.25, 3) == pytest.approx([1.0, 0.8, 0.64])
    with pytest.raises(ValueError, match="greater than -1"):
        AP.discount_factors(-1.0, 3)


@pytest.mark.parametrize("flows", [[], [[1, 2]], [1.0, float("nan")], [math.inf]])
def test_bad_flows_are_refused(flows) -> None:
    with pytest.raises(ValueError, match="flows"):
        AP.npv(0.1, flows)


def test_irr_hand_computed() -> None:
    assert AP.irr([-100, 110]) == pytest.approx(0.10)
    # 60x^2 + 60x - 100 = 0 with x = 1/(1+r): x = (-60 + sqrt(27600)) / 120
    x = (-60 + math.sqrt(60**2 + 4 * 60 * 100)) / 120
    assert AP.irr([-100, 60, 60]) == pytest.approx(1 / x - 1, abs=1e-9)
    assert AP.irr([-1, 100]) == pytest.approx(99.0)
    assert AP.irr([-100, 0, 0, 0, 0, 100]) == pytest.approx(0.0, abs=1e-12)
    assert AP.irr([100, -110]) == pytest.approx(0.10)  # borrowing: same root


@pytest.mark.parametrize("flows", [[100, 50], [-1, -2, -3], [0, 0], [0, 5, 0]])
def test_irr_without_a_change_of_sign_is_nan(flows) -> None:
    assert math.isnan(AP.irr(flows))


def test_irr_with_two_roots_returns_the_lowest() -> None:
    # -100 + 230 x - 132 x^2 = 0: x = 1/1.1 and x = 1/1.2, IRR 10% and 20%
    assert AP.irr([-100, 230, -132]) == pytest.approx(0.10)


def test_payback() -> None:
    # cumulative -100, -40, +20: zero two thirds of the way from time 1 to time 2
    assert AP.payback([-100, 60, 60]) == pytest.approx(1 + 40 / 60)
    assert AP.payback([-100, 100]) == pytest.approx(1.0)
    assert AP.payback([10, 5]) == 0.0
    assert math.isnan(AP.payback([-100, 50]))
    # cumulative -100, 50, -150, 150: back above zero for good halfway from time 2 to 3
    assert AP.payback([-100, 150, -200, 300]) == pytest.approx(2.5)


def test_discounted_payback_is_later() -> None:
    # discounted at 10%: -100, 100 -> the cumulative reaches zero at time 1
    assert AP.payback([-100, 110], rate=0.1) == pytest.approx(1.0)
    assert AP.payback([-100, 110]) == pytest.approx(100 / 110)
    assert math.isnan(AP.payback([-100, 105], rate=0.1))


def test_npv_profile_falls_with_the_rate() -> None:
    profile = AP.npv_profile([-100, 60, 60], [0.0, 0.1, 0.2])
    assert list(profile.index) == [0.0, 0.1, 0.2]
    assert profile.is_monotonic_decreasing
    assert profile.loc[0.0] == pytest.approx(20.0)


@settings(max_examples=60, deadline=None)
@given(
    outlay=st.floats(1, 1e4),
    inflows=st.lists(st.floats(0, 1e4), min_size=1, max_size=8).filter(lambda xs: sum(xs) > 1),
)
def test_npv_at_the_irr_is_zero(outlay: float, inflows: list[float]) -> None:
    # IRRs below -99% a year (inflows under about 1% of the outlay) are outside the search
    assume(sum(inflows) > 0.05 * outlay)
    flows = [-outlay, *inflows]
    rate = AP.irr(flows)
    assert math.isfinite(rate)
    assert AP.npv(rate, flows) == pytest.approx(0.0, abs=1e-6 * max(outlay, 1.0))
    assert np.sign(AP.npv(0.0, flows)) == np.sign(rate) or abs(rate) < 1e-9
