"""The arithmetic behind every check, against hand-computed values."""

from __future__ import annotations

import math

import pytest

from planbook.methods import arithmetic as A


def test_cagr_and_cumulative_are_inverse() -> None:
    assert A.cagr(100, 121, 2) == pytest.approx(10.0)
    assert A.cagr_from_cumulative(21.0, 2) == pytest.approx(10.0)
    assert A.cumulative_from_cagr(10.0, 2) == pytest.approx(21.0)
    assert A.grow(100, 10, 2) == pytest.approx(121.0)
    assert A.base_from_growth(121, 21) == pytest.approx(100.0)


def test_plan_cagr_against_its_cumulative_growth() -> None:
    # 1.653 ** (1/3) = 1.18238...: the stated 18.4% is 0.16 points above
    assert A.cagr_from_cumulative(65.3, 3) == pytest.approx(18.2381, abs=1e-4)


def test_implied_total_and_share() -> None:
    assert A.implied_total(6.2, 58.7) == pytest.approx(10.5622, abs=1e-4)
    assert A.share(15.4264, 47.1495) == pytest.approx(32.718, abs=1e-3)
    with pytest.raises(ValueError):
        A.implied_total(1, 0)


@pytest.mark.parametrize(
    ("value", "decimals", "half"), [(18.4, 1, 0.05), (47, 0, 0.5), (0.24, 2, 0.005)]
)
def test_decimals_and_half_unit(value: float, decimals: int, half: float) -> None:
    assert A.decimals(value) == decimals
    assert A.half_unit(value) == pytest.approx(half)


def test_verdicts() -> None:
    assert A.compare_rate("x", ["a"], 18.4, 18.43, 0.5, "").verdict == "consistent"
    assert A.compare_rate("x", ["a"], 18.4, 18.24, 0.5, "").verdict == "within tolerance"
    assert A.compare_rate("x", ["a"], 18.4, 18.24, 0.1, "").verdict == "inconsistent"
    assert A.compare_rate("x", ["a"], 18.4, math.nan, 0.5, "").verdict == "unverifiable"
    level = A.compare_level("y", ["b"], 14.4, 14.33, "trillion_yuan", 2.0, "")
    assert level.verdict == "within tolerance" and level.tolerance == pytest.approx(0.288)
    assert A.compare_level("y", ["b"], 14.4, 14.33, "t", 0.1, "").verdict == "inconsistent"
    assert A.compare_at_most("z", [], 100, 56.1, "").verdict == "consistent"
    assert A.compare_at_most("z", [], 100, 100.5, "").verdict == "inconsistent"


def test_checks_frame_has_one_row_per_check() -> None:
    frame = A.checks_frame([A.compare_rate("x", ["a", "b"], 1.0, 1.0, 0.1, "1 = 1")])
    assert list(frame.columns)[:3] == ["check", "claim_ids", "stated"]
    assert frame.loc[0, "claim_ids"] == "a, b"
