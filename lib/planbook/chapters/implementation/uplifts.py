"""Chapter 4's initiatives: the changes they claim and what they add up to in a driver tree.

Every change an initiative of plan 4.1-4.4 claims goes into one table (:func:`claimed_uplifts`);
the ones that move a driver of GMV or a cost line feed the driver tree of
:mod:`planbook.methods.models.driver_tree`, with an overlap haircut and an evidence weight.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planbook.data.plan import UNITS, pick
from planbook.methods.models import driver_tree as T

GMV_DRIVERS = ("users", "conversion", "order_value", "frequency")
"""GMV = users x conversion x order value x purchase frequency."""

COST_LINES = (
    "warehouse_labour",
    "delivery",
    "promotion",
    "inventory_holding",
    "cold_chain",
    "spoilage",
)
"""The cost lines chapter 4 claims to cut, each on its own."""


@dataclass(frozen=True)
class Initiative:
    """One initiative of plan chapter 4 that claims a change of a GMV driver or a cost line."""

    key: str
    label: str
    section: str


INITIATIVES: tuple[Initiative, ...] = (
    Initiative("ar_try_on", "AR try-on", "4.1"),
    Initiative("recommendation", "Deep-learning recommendation", "4.3"),
    Initiative("simple_sign_up", "Simpler sign-up", "4.3"),
    Initiative("decision_platform", "Decision platform (promotions)", "4.1"),
    Initiative("unmanned_warehouse", "Unmanned warehouse", "4.1"),
    Initiative("smart_dispatch", "Smart delivery dispatch", "4.1"),
    Initiative("sell_to_order", "Sell-then-buy replenishment", "4.2"),
    Initiative("cold_chain", "Cold-chain monitoring", "4.2"),
)
"""Every initiative the driver tree can include (the parameter ``initiatives``)."""

LABELS = {i.key: i.label for i in INITIATIVES}


def _evidence(rows: Iterable[pd.Series]) -> str:
    kinds = {r["kind"] for r in rows}
    return "case_study" if "case_study" in kinds else "target"


def _row(init: str, tree: str, driver: str, change: float, rows: list[pd.Series], how: str):
    return {
        "initiative": init,
        "label": LABELS[init],
        "tree": tree,
        "driver": driver,
        "change_pct": change,
        "evidence": _evidence(rows),
        "claim_ids": ", ".join(r["id"] for r in rows),
        "derivation": how,
    }


def tree_uplifts(claims: pd.DataFrame, include: Iterable[str] | None = None) -> pd.DataFrame:
    """The claimed changes that enter the driver tree, one row per initiative and driver.

    Parameters
    ----------
    claims
        The claims table.
    include
        Initiative keys to keep (default: all of :data:`INITIATIVES`).

    Returns
    -------
    pandas.DataFrame
        Columns ``initiative``, ``label``, ``tree`` (``gmv`` or ``cost``), ``driver``,
        ``change_pct`` (relative change of the driver, percent), ``evidence``
        (``target`` or ``case_study``), ``claim_ids``, ``derivation``.
    """
    ar = pick(claims, "4.1", "conversion_rate_uplift", "after")
    rec = pick(claims, "4.3", "recommendation_conversion_rate_uplift", "current")
    sign = pick(claims, "4.3", "new_user_conversion_uplift", "current")
    roi = pick(claims, "4.1", "promotion_roi_uplift", "after")
    labour = pick(claims, "4.1", "labour_cost_reduction", "current")
    deliv = pick(claims, "4.1", "delivery_cost_reduction", "unspecified")
    d0 = pick(claims, "4.2", "inventory_turnover_days", "before")
    d1 = pick(claims, "4.2", "inventory_turnover_days", "after")
    cold = pick(claims, "4.2", "cold_chain_cost_reduction", "unspecified")
    s0 = pick(claims, "4.2", "fresh_produce_spoilage_rate", "current")
    s1 = pick(claims, "4.2", "fresh_produce_spoilage_rate", "unspecified")
    roi_cut = (1.0 / (1.0 + roi["value"] / 100.0) - 1.0) * 100.0
    rows = [
        _row("ar_try_on", "gmv", "conversion", ar["value"], [ar], "purchase conversion"),
        _row(
            "recommendation", "gmv", "conversion", rec["value"], [rec], "recommendation conversion"
        ),
        _row(
            "simple_sign_up",
            "gmv",
            "conversion",
            sign["value"],
            [sign],
            "new-user conversion, applied to all visitors",
        ),
        _row(
            "decision_platform",
            "cost",
            "promotion",
            roi_cut,
            [roi],
            f"ROI +{roi['value']:g}%: the same return for "
            f"1/{1 + roi['value'] / 100:g} of the spend",
        ),
        _row(
            "unmanned_warehouse",
            "cost",
            "warehouse_labour",
            -labour["value"],
            [labour],
            "warehouse labour cost",
        ),
        _row("smart_dispatch", "cost", "delivery", -deliv["value"], [deliv], "delivery cost"),
        _row(
            "sell_to_order",
            "cost",
            "inventory_holding",
            (d1["value"] / d0["value"] - 1.0) * 100.0,
            [d0, d1],
            f"stock held {d0['value']:g} -> {d1['value']:g} days",
        ),
        _row("cold_chain", "cost", "cold_chain", -cold["value"], [cold], "cold-chain cost"),
        _row(
            "cold_chain",
            "cost",
            "spoilage",
            (s1["value"] / s0["value"] - 1.0) * 100.0,
            [s0, s1],
            f"spoilage rate {s0['value']:g}% -> {s1['value']:g}%",
        ),
    ]
    out = pd.DataFrame(rows)
    if include is not None:
        keep = list(include)
        unknown = sorted(set(keep) - set(LABELS))
        if unknown:
            raise ValueError(f"unknown initiatives {unknown}; valid: {', '.join(LABELS)}")
        out = out[out["initiative"].isin(keep)].reset_index(drop=True)
    return out


# --------------------------------------------------------------------------- the claims

CLAIMED: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("AR try-on", "4.1", "dwell_time_multiple", ("after",)),
    ("AR try-on", "4.1", "conversion_rate_uplift", ("after",)),
    ("Metaverse stores", "4.1", "user_engagement_uplift", ("unspecified",)),
    ("Decision platform", "4.1", "promotion_roi_uplift", ("after",)),
    ("Decision platform", "4.1", "stockout_rate_reduction", ("after",)),
    ("Unmanned warehouse", "4.1", "sorting_efficiency_multiple", ("current",)),
    ("Unmanned warehouse", "4.1", "labour_cost_reduction", ("current",)),
    ("Smart delivery dispatch", "4.1", "delivery_cost_reduction", ("unspecified",)),
    ("Sell-then-buy replenishment", "4.2", "inventory_turnover_days", ("before", "after")),
    ("Sell-then-buy replenishment", "4.2", "unsold_rate_reduction", ("after",)),
    ("Forward warehouses", "4.2", "delivery_time", ("before", "after")),
    ("Cold-chain monitoring", "4.2", "fresh_produce_spoilage_rate", ("current", "unspecified")),
    ("Cold-chain monitoring", "4.2", "cold_chain_cost_reduction", ("unspecified",)),
    ("Supplier collaboration", "4.2", "supply_chain_response_cycle", ("before", "after")),
    ("Supplier collaboration", "4.2", "overselling_rate", ("before", "after")),
    ("Custom-made (C2M)", "4.2", "gross_margin_uplift", ("unspecified",)),
    ("Deep-learning recommendation", "4.3", "recommendation_conversion_rate_uplift", ("current",)),
    ("Simpler sign-up", "4.3", "new_user_conversion_uplift", ("current",)),
    ("Member community", "4.3", "purchase_frequency_multiple_vs_non_members", ("current",)),
    ("Data protection", "4.4", "data_breach_risk_reduction", ("current",)),
    ("Compliance review", "4.4", "violation_rate_reduction", ("current",)),
    ("Emergency drills", "4.4", "failure_recovery_time", ("before", "after")),
)
"""Every change an initiative of chapter 4 claims: (initiative, section, metric, periods)."""

_UNIT_WORDS = {
    "percent": "%",
    "percentage_points": " pp",
    "days": " days",
    "hours": " h",
    "minutes": " min",
    "times": "x",
}


def _fmt(value: float, unit: str) -> str:
    return f"{value:g}{_UNIT_WORDS.get(unit, ' ' + unit)}"


def claimed_uplifts(claims: pd.DataFrame) -> pd.DataFrame:
    """Every change chapter 4 claims for an initiative, with its evidence and model role.

    Returns
    -------
    pandas.DataFrame
        Columns ``initiative``, ``section``, ``measure``, ``stated`` (as written, e.g.
        ``"90 days -> 45 days"``), ``change_pct`` (relative change in percent where the
        claim gives one, else NaN), ``evidence`` (``plan target`` or ``case study: <who>``),
        ``kind``, ``claim_ids``, ``in_model`` (the driver tree line it feeds, or empty).
    """
    in_tree = tree_uplifts(claims)
    fed: dict[str, str] = {}
    for row in in_tree.itertuples(index=False):
        for cid in row.claim_ids.split(", "):
            fed[cid] = f"{row.tree}: {row.driver}"
    records = []
    for area, section, metric, periods in CLAIMED:
        rows = [pick(claims, section, metric, p) for p in periods]
        unit = rows[0]["unit"]
        if len(rows) == 2:
            before, after = rows
            stated = f"{_fmt(before['value'], unit)} -> {_fmt(after['value'], after['unit'])}"
            change = (_common_scale(after) / _common_scale(before) - 1.0) * 100.0
        else:
            (only,) = rows
            stated = _fmt(only["value"], unit)
            if unit == "percent" and metric.endswith("_reduction"):
                stated, change = f"-{stated}", -float(only["value"])
            elif unit == "percent":
                stated, change = f"+{stated}", float(only["value"])
            elif unit == "percentage_points":
                stated, change = f"+{stated}", math.nan
            else:
                change = math.nan
        kinds = {r["kind"] for r in rows}
        case = "case_study" in kinds
        who = next(r["entity"] for r in rows if r["kind"] == "case_study") if case else ""
        records.append(
            {
                "initiative": area,
                "section": section,
                "measure": metric,
                "stated": stated,
                "change_pct": change,
                "evidence": f"case study: {who}" if case else "plan target",
                "kind": "case_study" if case else "target",
                "claim_ids": ", ".join(r["id"] for r in rows),
                "in_model": ", ".join(sorted({fed[r["id"]] for r in rows if r["id"] in fed})),
            }
        )
    return pd.DataFrame(records)


def _common_scale(row: pd.Series) -> float:
    """A before/after figure on a common scale (time in seconds, else as stated)."""
    dim, f = UNITS[row["unit"]]
    return float(row["value"]) * f if dim == "time" else float(row["value"])


# --------------------------------------------------------------------------- the tree


def gmv_tree(
    claims: pd.DataFrame, include: Iterable[str], haircut: float, case_study_weight: float
) -> pd.DataFrame:
    """GMV drivers' combined changes (naive, haircut, adjusted); see :func:`driver_tree`."""
    ups = tree_uplifts(claims, include)
    return T.driver_changes(ups[ups["tree"] == "gmv"], GMV_DRIVERS, haircut, case_study_weight)


def cost_tree(
    claims: pd.DataFrame, include: Iterable[str], haircut: float, case_study_weight: float
) -> pd.DataFrame:
    """Each cost line's combined change (naive, haircut, adjusted)."""
    ups = tree_uplifts(claims, include)
    return T.driver_changes(ups[ups["tree"] == "cost"], COST_LINES, haircut, case_study_weight)


def gmv_waterfall(
    claims: pd.DataFrame, include: Iterable[str], haircut: float, case_study_weight: float
) -> pd.DataFrame:
    """Waterfall steps of the GMV index (baseline 100), labelled with initiative names."""
    ups = tree_uplifts(claims, include)
    ups = ups[ups["tree"] == "gmv"].assign(initiative=lambda d: d["label"])
    return T.waterfall(ups, GMV_DRIVERS, haircut, case_study_weight)


def cost_target_coverage(claims: pd.DataFrame, cost: pd.DataFrame) -> dict[str, float]:
    """What the cost lines' cuts imply for the plan's operating-cost target (plan 5.1).

    The plan wants operating cost to fall from 22% to 18% of revenue, a relative cut of
    about 18%. If the touched cost lines are a share ``s`` of operating cost and each
    falls by the mean cut of the lines (lines weighted equally, revenue unchanged), the
    total falls by ``s`` times that mean; the share needed is the target cut over the mean.

    Returns
    -------
    dict
        ``target_cut_pct``, ``mean_cut_naive_pct``, ``mean_cut_adjusted_pct``,
        ``share_needed_naive_pct``, ``share_needed_adjusted_pct`` (NaN if no line is cut),
        ``claim_ids``.
    """
    before = pick(claims, "5.1", "operating_cost_share", "current")
    after = pick(claims, "5.1", "operating_cost_share", "unspecified")
    target = (1.0 - after["value"] / before["value"]) * 100.0
    touched = cost[cost["n_initiatives"] > 0]
    naive = -float(touched["naive_pct"].mean()) if len(touched) else math.nan
    adjusted = -float(touched["adjusted_pct"].mean()) if len(touched) else math.nan

    def needed(cut: float) -> float:
        return target / cut * 100.0 if cut and cut > 0 else math.nan

    return {
        "target_cut_pct": target,
        "mean_cut_naive_pct": naive,
        "mean_cut_adjusted_pct": adjusted,
        "share_needed_naive_pct": needed(naive),
        "share_needed_adjusted_pct": needed(adjusted),
        "claim_ids": f"{before['id']}, {after['id']}",
    }


def sensitivity(
    claims: pd.DataFrame,
    include: Iterable[str],
    haircuts: Iterable[float],
    weights: Iterable[float],
) -> pd.DataFrame:
    """The GMV change of the driver tree over a grid of haircuts and case-study weights.

    Returns
    -------
    pandas.DataFrame
        Columns ``overlap_haircut``, ``case_study_weight``, ``gmv_change_pct``.
    """
    include = list(include)
    rows = []
    for w in weights:
        for h in haircuts:
            tree = gmv_tree(claims, include, h, w)
            rows.append(
                {
                    "overlap_haircut": h,
                    "case_study_weight": w,
                    "gmv_change_pct": T.tree_change(tree["adjusted_pct"]),
                }
            )
    return pd.DataFrame(rows)


HAIRCUTS = tuple(float(h) for h in np.round(np.linspace(0, 1, 11), 2))
"""Overlap haircuts of the what-if grid."""

WEIGHTS = (0.25, 0.5, 0.75, 1.0)
"""Case-study weights of the what-if grid."""


def cost_lines(cost: pd.DataFrame, uplifts: pd.DataFrame) -> pd.DataFrame:
    """The cost tree with, for each line, the initiatives, evidence and claims that cut it."""
    by_line = (
        uplifts[uplifts["tree"] == "cost"]
        .groupby("driver")
        .agg(
            initiative=("label", ", ".join),
            evidence=("evidence", ", ".join),
            claim_ids=("claim_ids", ", ".join),
        )
    )
    out = cost.merge(by_line, left_on="driver", right_index=True, how="left")
    return out.rename(columns={"driver": "cost line"})


__all__ = [
    "CLAIMED",
    "COST_LINES",
    "GMV_DRIVERS",
    "HAIRCUTS",
    "INITIATIVES",
    "LABELS",
    "WEIGHTS",
    "Initiative",
    "claimed_uplifts",
    "cost_lines",
    "cost_target_coverage",
    "cost_tree",
    "gmv_tree",
    "gmv_waterfall",
    "sensitivity",
    "tree_uplifts",
]
