"""Chapter 4's checks: the plan's inventory figures against each other, days against turns.

The plan states inventory turnover sometimes as days of stock, sometimes as turns a year;
:mod:`planbook.methods.models.inventory` converts one into the other. The check of the
``inventory_checks`` spec (:data:`planbook.methods.audit.specs.CHECK_SPECS`); chapter 4's
page shows the same table (:mod:`planbook.chapters.implementation`).
"""

from __future__ import annotations

import pandas as pd

from planbook.data.plan import pick, select
from planbook.methods import arithmetic as A
from planbook.methods.models import inventory as I

INVENTORY_CHECKS = {
    "base": "Baseline: 4 turns a year (8.1) against 120 days (5.1)",
    "target": "Target: 8 turns a year (4.2, 8.1) against 60 days (5.1)",
    "ratio": "Ratio: 4 -> 8 turns (8.1) against 120 -> 60 days (5.1)",
    "case": "Case study (4.2): 45 days after against 8 turns (8.1)",
    "apparel": "Apparel baseline: 120 days (2.2) against 90 days (7.3)",
    "leading": "'Industry-leading' 8 turns (4.2) at least Shein's turns (3.2)",
}
"""The inventory checks of :func:`inventory_checks`, by key."""


def shein_days(claims: pd.DataFrame) -> pd.Series:
    """Shein's days of stock (plan 3.2), the claim the plan holds up as the model."""
    found = select(claims, section="3.2", metric="inventory_turnover_days", entity="Shein")
    if len(found) != 1:
        raise KeyError(f"expected one Shein inventory figure in section 3.2, found {len(found)}")
    return found.squeeze(axis=0)


def inventory_checks(
    claims: pd.DataFrame, days_per_year: float, tolerance_pct: float
) -> pd.DataFrame:
    """Check the plan's inventory figures against each other, days against turns.

    - the baseline: 4 turns a year (8.1) against 120 days (5.1);
    - the target: 8 turns a year (4.2, 8.1) against 60 days (5.1);
    - the ratio: 4 -> 8 turns against 120 -> 60 days (both halve the days);
    - the case study of 4.2: 90 -> 45 days against the 4 -> 8 turns of 8.1;
    - apparel's baseline: 120 days (2.2) against 90 days (7.3);
    - the 'industry-leading' 8 turns (4.2) against Shein's 15 days (3.2).
    """
    base_turns = pick(claims, "8.1", "inventory_turnover_rate", "current")
    target_turns = pick(claims, "4.2", "inventory_turnover_rate", "unspecified")
    target_turns_81 = pick(claims, "8.1", "inventory_turnover_rate", "unspecified")
    base_days = pick(claims, "5.1", "inventory_turnover_days", "current")
    target_days = pick(claims, "5.1", "inventory_turnover_days", "unspecified")
    case0 = pick(claims, "4.2", "inventory_turnover_days", "before")
    case1 = pick(claims, "4.2", "inventory_turnover_days", "after")
    apparel_22 = pick(claims, "2.2", "inventory_turnover_days", "current")
    apparel_73 = pick(claims, "7.3", "inventory_turnover_days", "current")
    shein = shein_days(claims)
    dpy = days_per_year
    d_base = I.days_from_turns(base_turns["value"], dpy)
    d_target = I.days_from_turns(target_turns["value"], dpy)
    ratio_days = target_days["value"] / base_days["value"]
    ratio_turns = base_turns["value"] / target_turns_81["value"]
    t_case0 = I.turns_from_days(case0["value"], dpy)
    t_case1 = I.turns_from_days(case1["value"], dpy)
    t_shein = I.turns_from_days(shein["value"], dpy)
    checks = [
        A.compare_level(
            INVENTORY_CHECKS["base"],
            [base_days["id"], base_turns["id"]],
            base_days["value"],
            d_base,
            "days",
            tolerance_pct,
            f"{dpy:g} / {base_turns['value']:g} turns = {d_base:.1f} days",
        ),
        A.compare_level(
            INVENTORY_CHECKS["target"],
            [target_days["id"], target_turns["id"], target_turns_81["id"]],
            target_days["value"],
            d_target,
            "days",
            tolerance_pct,
            f"{dpy:g} / {target_turns['value']:g} turns = {d_target:.1f} days",
        ),
        A.compare_level(
            INVENTORY_CHECKS["ratio"],
            [target_days["id"], base_days["id"], base_turns["id"], target_turns_81["id"]],
            ratio_days,
            ratio_turns,
            "ratio",
            tolerance_pct,
            f"days {target_days['value']:g}/{base_days['value']:g} = {ratio_days:.3f}; "
            f"turns {base_turns['value']:g}/{target_turns_81['value']:g} = {ratio_turns:.3f}",
        ),
        A.compare_level(
            INVENTORY_CHECKS["case"],
            [target_turns_81["id"], case1["id"]],
            target_turns_81["value"],
            t_case1,
            "times_per_year",
            tolerance_pct,
            f"{dpy:g} / {case1['value']:g} days = {t_case1:.2f} turns "
            f"(before: {dpy:g} / {case0['value']:g} = {t_case0:.2f})",
        ),
        A.compare_level(
            INVENTORY_CHECKS["apparel"],
            [apparel_22["id"], apparel_73["id"]],
            apparel_22["value"],
            apparel_73["value"],
            "days",
            tolerance_pct,
            f"2.2 states {apparel_22['value']:g} days, 7.3 states {apparel_73['value']:g}",
        ),
        A.compare_at_most(
            INVENTORY_CHECKS["leading"],
            [target_turns["id"], shein["id"]],
            target_turns["value"],
            t_shein,
            f"Shein: {dpy:g} / {shein['value']:g} days = {t_shein:.1f} turns",
            unit="times_per_year",
        ),
    ]
    return A.checks_frame(checks)


__all__ = ["INVENTORY_CHECKS", "inventory_checks", "shein_days"]
