"""Chapter 3's checks: what its short- and medium-term targets imply.

The check of the ``goals_checks`` spec (:data:`planbook.methods.audit.specs.CHECK_SPECS`)
and the two readings of the plan it needs, which chapter 3's saturation path uses too
(:mod:`planbook.chapters.goals.saturation`): all e-commerce users as plan 1.2 implies them,
and the lower-tier user target as compound growth.
"""

from __future__ import annotations

import math

import pandas as pd

from planbook.data.amounts import figure, in_scale
from planbook.data.periods import parse_period
from planbook.data.plan import pick
from planbook.methods import arithmetic as A


def implied_total_users(claims: pd.DataFrame) -> tuple[float, list[str]]:
    """All e-commerce users in 2023 as plan 1.2 implies them (hundred million), and the ids.

    The lower-tier user count divided by its share of all users.
    """
    users = pick(claims, "1.2", "lower_tier_users", "2023")
    share = pick(claims, "1.2", "lower_tier_share_of_users", "2023")
    total = A.implied_total(float(users["value"]), float(share["value"]))
    return total, [users["id"], share["id"]]


def lower_tier_growth(claims: pd.DataFrame) -> dict[str, object]:
    """The lower-tier user target of plan 3.1 as compound growth from plan 1.2's count.

    Returns
    -------
    dict
        ``start`` (the 2023 count of plan 1.2, hundred million), ``start_year``,
        ``start_id``, ``unit`` (the count's), ``rate_pct`` and ``rate_id`` (plan 3.1's
        growth rate), ``horizon`` (the target's years) and ``compound_at_horizon`` (the
        count grown at the rate over the horizon).
    """
    start_row = pick(claims, "1.2", "lower_tier_users", "2023")
    rate_row = pick(claims, "3.1", "lower_tier_users_cagr", "3 years")
    start, rate = float(start_row["value"]), float(rate_row["value"])
    horizon, _ = parse_period(rate_row["period"]).horizon(math.nan)
    return {
        "start": start,
        "start_year": int(start_row["period"]),
        "start_id": start_row["id"],
        "unit": start_row["unit"],
        "rate_pct": rate,
        "rate_id": rate_row["id"],
        "horizon": horizon,
        "compound_at_horizon": A.grow(start, rate, horizon),
    }


def goals_checks(claims: pd.DataFrame, level_tolerance_pct: float) -> pd.DataFrame:
    """Recompute what chapter 3's short- and medium-term targets imply.

    - the 12-month acquisition-cost target as a level (plan 3.1) against the cut it is
      said to be, applied to the 2023 cost of plan 2.1;
    - the 12-month rise of the repurchase rate (plan 3.1) against the rise the plan cites
      as its evidence (a platform's, in six months): the target should not ask for more;
    - the lower-tier users that 3.1's growth rate gives after three years against all
      e-commerce users as plan 1.2 implies them (a part cannot outgrow the whole).
    """
    cac = pick(claims, "2.1", "customer_acquisition_cost", "2023")
    cut = pick(claims, "3.1", "customer_acquisition_cost_reduction", "12 months")
    level = pick(claims, "3.1", "customer_acquisition_cost", "12 months")
    implied = float(cac["value"]) * (1 - float(cut["value"]) / 100)
    checks = [
        A.compare_level(
            "Acquisition-cost target: stated level against the stated cut",
            [level["id"], cac["id"], cut["id"]],
            float(level["value"]),
            implied,
            "yuan per customer",
            level_tolerance_pct,
            f"{cac['value']:g} x (1 - {cut['value']:g}%) = {implied:.2f}",
        )
    ]
    now = pick(claims, "3.1", "repurchase_rate", "current")
    target = pick(claims, "3.1", "repurchase_rate", "12 months")
    case = pick(claims, "3.1", "repurchase_rate_uplift", "6 months")
    rise = float(target["value"]) - float(now["value"])
    checks.append(
        A.compare_at_most(
            "Repurchase-rate rise asked for (12 months) at most the cited case's (6 months)",
            [target["id"], now["id"], case["id"]],
            float(case["value"]),
            rise,
            f"{target['value']:g} - {now['value']:g} = {rise:g} points against "
            f"{case['value']:g} points in the case",
            unit="percentage_points",
        )
    )
    sat = lower_tier_growth(claims)
    total, total_ids = implied_total_users(claims)

    def m(x: float) -> str:  # a count in hundred millions, written in millions
        return figure(in_scale(x, "100m_persons", "million")[0], 0)

    checks.append(
        A.compare_at_most(
            "Lower-tier users in three years at most all e-commerce users (1.2)",
            [sat["rate_id"], *total_ids],
            total,
            float(sat["compound_at_horizon"]),
            f"{m(sat['start'])} x (1 + {sat['rate_pct']:g}%)^{sat['horizon']:g} = "
            f"{m(sat['compound_at_horizon'])} against {m(total)} million people "
            "(all users, 2023)",
            unit="100m_persons",
        )
    )
    return A.checks_frame(checks)


__all__ = ["goals_checks", "implied_total_users", "lower_tier_growth"]
