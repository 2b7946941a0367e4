"""Inventory arithmetic: days against turns, working capital."""

from __future__ import annotations

import pandas as pd
import pytest

from planbook.methods.models import inventory as I


def test_days_and_turns_by_hand() -> None:
    assert I.turns_from_days(45) == pytest.approx(365 / 45)
    assert I.turns_from_days(120) == pytest.approx(3.0416666)
    assert I.days_from_turns(8) == pytest.approx(45.625)
    assert I.days_from_turns(4, days_per_year=360) == 90.0
    assert I.days_from_turns(I.turns_from_days(73)) == pytest.approx(73)


def test_halving_days_doubles_turns() -> None:
    assert I.turns_from_days(60) / I.turns_from_days(120) == pytest.approx(2.0)


def test_working_capital_released() -> None:
    assert I.working_capital_released(120, 60) == pytest.approx(60 / 365 * 100)
    assert I.working_capital_released(90, 90) == 0.0
    assert I.working_capital_released(60, 120) < 0  # more stock ties up more cash


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: I.turns_from_days(0), "days"),
        (lambda: I.days_from_turns(-1), "turns"),
        (lambda: I.turns_from_days(10, 0), "days_per_year"),
        (lambda: I.working_capital_released(0, 10), "days_before"),
    ],
)
def test_non_positive_inputs_are_refused(call, name) -> None:
    with pytest.raises(ValueError, match=f"{name} must be positive"):
        call()


def test_both_ways_converts_each_row() -> None:
    figures = pd.DataFrame({"value": [120.0, 4.0], "unit": ["days", "times_per_year"]})
    out = I.both_ways(figures)
    assert list(out["days"]) == pytest.approx([120.0, 91.25])
    assert list(out["turns_per_year"]) == pytest.approx([365 / 120, 4.0])
    assert "days" not in figures  # input untouched


def test_both_ways_refuses_other_units() -> None:
    with pytest.raises(ValueError, match="percent"):
        I.both_ways(pd.DataFrame({"value": [5.0], "unit": ["percent"]}))
