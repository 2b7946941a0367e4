"""Chapter 4's inventory figures: every turnover figure of the plan, as days and as turns.

The plan states inventory turnover sometimes as days of stock, sometimes as turns a year;
:mod:`planbook.methods.models.inventory` converts one into the other. The checks that set
the plan's figures against each other are the audit's spec
:mod:`planbook.methods.audit.checks_implementation` (re-exported here).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planbook.data.plan import pick, select
from planbook.methods.audit.checks_implementation import (
    INVENTORY_CHECKS,
    inventory_checks,
    shein_days,
)
from planbook.methods.models import inventory as I

INVENTORY_METRICS = ("inventory_turnover_days", "inventory_turnover_rate")


def inventory_figures(claims: pd.DataFrame, days_per_year: float) -> pd.DataFrame:
    """Every inventory turnover figure of the plan, as days and as turns per year."""
    rows = select(claims, metric=list(INVENTORY_METRICS))
    cols = ["id", "section", "entity", "period", "kind", "value", "unit", "note"]
    return I.both_ways(rows[cols], days_per_year).reset_index(drop=True)


def turns_curve(days_per_year: float, days: tuple[float, float] = (10, 130)) -> pd.Series:
    """Turns a year against days of stock over ``days`` (300 points): the curve every
    inventory figure lies on."""
    x = np.linspace(days[0], days[1], 300)
    return pd.Series(days_per_year / x, index=pd.Index(x, name="days"), name="turns_per_year")


def figure_notes(figures: pd.DataFrame) -> pd.DataFrame:
    """Section labels for the inventory figures, one per cluster of about five days.

    Returns columns ``x`` (the cluster's most days), ``y`` (its fewest turns) and
    ``text`` (its plan sections).
    """
    clusters = figures.groupby((figures["days"] / 5).round())
    return pd.DataFrame(
        {
            "x": clusters["days"].max(),
            "y": clusters["turns_per_year"].min(),
            "text": clusters["section"].agg(lambda s: ", ".join(sorted(set(s)))),
        }
    ).reset_index(drop=True)


def working_capital(claims: pd.DataFrame, days_per_year: float) -> dict[str, float]:
    """Inventory freed by the 5.1 target (120 -> 60 days), percent of a year's cost of goods."""
    d0 = pick(claims, "5.1", "inventory_turnover_days", "current")
    d1 = pick(claims, "5.1", "inventory_turnover_days", "unspecified")
    return {
        "days_before": float(d0["value"]),
        "days_after": float(d1["value"]),
        "released_pct_of_cogs": I.working_capital_released(d0["value"], d1["value"], days_per_year),
    }


__all__ = [
    "INVENTORY_CHECKS",
    "INVENTORY_METRICS",
    "figure_notes",
    "inventory_checks",
    "inventory_figures",
    "shein_days",
    "turns_curve",
    "working_capital",
]
