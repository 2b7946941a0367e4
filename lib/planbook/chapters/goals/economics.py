"""Chapter 3's customer economics under its 12-month targets (the checks of its arithmetic
are the audit's spec :mod:`planbook.methods.audit.checks_goals`)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd

from planbook.data.plan import pick
from planbook.methods.models import customer_economics as CE

if TYPE_CHECKING:
    from planbook.engine.params import GoalsParams


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
