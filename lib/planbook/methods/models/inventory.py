"""Inventory arithmetic: turnover days against turns per year.

Inventory turnover can be written as days of stock on hand or as turns per year; the two
are the same figure, ``turns = days_per_year / days``. Halving the days doubles the turns.
Days of stock also say how much working capital inventory ties up: at ``d`` days, a
firm holds ``d / days_per_year`` of a year's cost of goods.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planbook.data.periods import DAYS_PER_YEAR


def _positive(name: str, value: float) -> None:
    if not value > 0:
        raise ValueError(f"{name} must be positive, got {value}")


def turns_from_days(days: float, days_per_year: float = DAYS_PER_YEAR) -> float:
    """Turns per year of an inventory held ``days`` days: ``days_per_year / days``.

    >>> turns_from_days(45)
    8.11111111111111
    """
    _positive("days", days)
    _positive("days_per_year", days_per_year)
    return days_per_year / days


def days_from_turns(turns: float, days_per_year: float = DAYS_PER_YEAR) -> float:
    """Days of stock of an inventory that turns ``turns`` times a year.

    >>> days_from_turns(8)
    45.625
    """
    _positive("turns", turns)
    _positive("days_per_year", days_per_year)
    return days_per_year / turns


def working_capital_released(
    days_before: float, days_after: float, days_per_year: float = DAYS_PER_YEAR
) -> float:
    """Inventory freed by cutting days of stock, as a percent of a year's cost of goods.

    >>> round(working_capital_released(120, 60), 2)
    16.44
    """
    _positive("days_before", days_before)
    _positive("days_after", days_after)
    _positive("days_per_year", days_per_year)
    return (days_before - days_after) / days_per_year * 100.0


def both_ways(figures: pd.DataFrame, days_per_year: float = DAYS_PER_YEAR) -> pd.DataFrame:
    """Add ``days`` and ``turns_per_year`` to a table of inventory figures.

    Parameters
    ----------
    figures
        Rows with ``value`` and ``unit``; ``unit`` is ``"days"`` (days of stock) or
        ``"times_per_year"`` (turns).

    Raises
    ------
    ValueError
        On any other unit.
    """
    _positive("days_per_year", days_per_year)
    bad = sorted(set(figures["unit"]) - {"days", "times_per_year"})
    if bad:
        raise ValueError(f"inventory figures must be in days or times_per_year, not {bad}")
    out = figures.copy()
    value = out["value"].astype(float)
    is_days = out["unit"] == "days"
    out["days"] = np.where(is_days, value, days_per_year / value)
    out["turns_per_year"] = np.where(is_days, days_per_year / value, value)
    return out


__all__ = [
    "DAYS_PER_YEAR",
    "both_ways",
    "days_from_turns",
    "turns_from_days",
    "working_capital_released",
]
