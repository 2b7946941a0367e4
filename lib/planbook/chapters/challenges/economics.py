"""Chapter 2's customer economics: the model at the plan's inputs, its margins and curves.

The model itself lives in :mod:`planbook.methods.models.customer_economics`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from planbook.data.plan import pick
from planbook.methods.models import customer_economics as CE

if TYPE_CHECKING:
    from planbook.engine.params import ChallengesParams


def economics(
    claims: pd.DataFrame, params: ChallengesParams
) -> tuple[CE.CustomerEconomics, pd.DataFrame]:
    """The customer-economics inputs of chapter 2's parameters (the plan's where left empty)."""
    return CE.from_params(claims, params)


MARGIN_CASES = (
    ("industry profit margin, 2023", "2.1", "industry_profit_margin", "2023"),
    ("industry profit margin, 2020", "2.1", "industry_profit_margin", "2020"),
    ("overseas gross margin target", "3.2", "overseas_gross_margin", "years 5+"),
    ("overall gross margin target", "8.1", "gross_margin", "unspecified"),
)
"""Margins the plan states, for the what-if table."""


def margin_what_if(claims: pd.DataFrame, econ: CE.CustomerEconomics) -> pd.DataFrame:
    """The model at each margin the plan states, other inputs held.

    Returns
    -------
    pandas.DataFrame
        ``case, section, claim_id, margin_pct, ltv, ltv_to_cac, profit_per_customer,
        payback_orders_undiscounted``.
    """
    rows = []
    for label, section, metric, period in MARGIN_CASES:
        row = pick(claims, section, metric, period)
        out = CE.evaluate(replace(econ, margin=float(row["value"]) / 100))
        rows.append(
            {
                "case": label,
                "section": section,
                "claim_id": row["id"],
                "margin_pct": float(row["value"]),
                "ltv": out["ltv"],
                "ltv_to_cac": out["ltv_to_cac"],
                "profit_per_customer": out["profit_per_customer"],
                "payback_orders_undiscounted": out["payback_orders_undiscounted"],
            }
        )
    return pd.DataFrame(rows)


def repurchase_curve(
    econ: CE.CustomerEconomics, margins_pct: list[float], points: int = 91
) -> pd.DataFrame:
    """LTV/CAC as the repurchase rate runs from 0 to 90%, for each of several margins.

    Returns
    -------
    pandas.DataFrame
        Long format: ``margin_pct, repurchase_pct, ltv_to_cac``.
    """
    grid = np.linspace(0.0, 0.9, points)
    frames = []
    for m in margins_pct:
        base = replace(econ, margin=m / 100)
        s = CE.sweep(base, "repurchase", grid)
        frames.append(
            pd.DataFrame(
                {
                    "margin_pct": m,
                    "repurchase_pct": s["repurchase"] * 100,
                    "ltv_to_cac": s["ltv_to_cac"],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)
