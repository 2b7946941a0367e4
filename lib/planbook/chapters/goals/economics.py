"""Chapter 3's checks of its arithmetic and the customer economics under its 12-month targets."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd

from planbook.chapters.goals.saturation import implied_total_users, lower_tier_saturation
from planbook.data.plan import pick
from planbook.methods import arithmetic as A
from planbook.methods.models import customer_economics as CE

if TYPE_CHECKING:
    from planbook.engine.params import GoalsParams


def internal_checks(claims: pd.DataFrame, level_tolerance_pct: float) -> pd.DataFrame:
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
    _, sat = lower_tier_saturation(claims, None, 3)
    total, total_ids = implied_total_users(claims)
    checks.append(
        A.compare_at_most(
            "Lower-tier users in three years at most all e-commerce users (1.2)",
            [sat["rate_id"], *total_ids],
            total,
            float(sat["compound_at_horizon"]),
            f"{sat['start']:g} x (1 + {sat['rate_pct']:g}%)^{sat['horizon']:g} = "
            f"{sat['compound_at_horizon']:.2f} against {total:.2f} (all users, 2023)",
            unit="hundred million users",
        )
    )
    return A.checks_frame(checks)


CASES = {
    "now": "Now (plan 3.1 baselines)",
    "repurchase": "Repurchase target met",
    "cac": "Acquisition-cost target met",
    "both": "Both short-term targets met",
}
"""The rows of :func:`economics_under_targets` (column ``case``), by a short name."""


def economics_now(
    claims: pd.DataFrame, params: GoalsParams
) -> tuple[CE.CustomerEconomics, pd.DataFrame]:
    """Chapter 2's customer-economics model at the baselines plan 3.1 starts from."""
    rep = pick(claims, "3.1", "repurchase_rate", "current")
    return CE.from_params(claims, params, repurchase_rate_pct=float(rep["value"]))


def economics_under_targets(claims: pd.DataFrame, econ: CE.CustomerEconomics) -> pd.DataFrame:
    """The model now, with each 12-month target of plan 3.1 met, and with both met.

    The order value, margin and the rest stay as in ``econ``.

    Returns
    -------
    pandas.DataFrame
        ``case, claim_ids, repurchase_pct, cac, ltv, ltv_to_cac, profit_per_customer,
        expected_orders, break_even_margin_pct, payback_orders_undiscounted``.
    """
    rep = pick(claims, "3.1", "repurchase_rate", "12 months")
    cac = pick(claims, "3.1", "customer_acquisition_cost", "12 months")
    cases = [
        (CASES["now"], "", econ),
        (CASES["repurchase"], rep["id"], replace(econ, repurchase=rep["value"] / 100)),
        (CASES["cac"], cac["id"], replace(econ, cac=float(cac["value"]))),
        (
            CASES["both"],
            f"{rep['id']}, {cac['id']}",
            replace(econ, repurchase=rep["value"] / 100, cac=float(cac["value"])),
        ),
    ]
    rows = []
    for label, ids, e in cases:
        out = CE.evaluate(e)
        rows.append(
            {
                "case": label,
                "claim_ids": ids,
                "repurchase_pct": e.repurchase * 100,
                "cac": e.cac,
                "ltv": out["ltv"],
                "ltv_to_cac": out["ltv_to_cac"],
                "profit_per_customer": out["profit_per_customer"],
                "expected_orders": out["expected_orders"],
                "break_even_margin_pct": out["break_even_margin"] * 100,
                "payback_orders_undiscounted": out["payback_orders_undiscounted"],
            }
        )
    return pd.DataFrame(rows)
