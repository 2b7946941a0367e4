"""Chapter 4 (implementation path): the initiatives, the uplifts they claim, and what stacks.

Plan 4.1-4.4 lists initiatives and, for most of them, a change they are said to bring:
some are the plan's own targets, most are results reported for a single other firm.
This module puts those claims in one table, feeds the ones that move a driver of GMV or
a cost line into a driver tree (:mod:`planbook.methods.models.driver_tree`), and checks every
inventory figure of the plan, days against turns (:mod:`planbook.methods.models.inventory`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from planbook.data.plan import UNITS, pick, select
from planbook.methods import arithmetic as A
from planbook.methods.models import driver_tree as T
from planbook.methods.models import inventory as I

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


# --------------------------------------------------------------------------- inventory

INVENTORY_METRICS = ("inventory_turnover_days", "inventory_turnover_rate")


def inventory_figures(claims: pd.DataFrame, days_per_year: float) -> pd.DataFrame:
    """Every inventory turnover figure of the plan, as days and as turns per year."""
    rows = select(claims, metric=list(INVENTORY_METRICS))
    cols = ["id", "section", "entity", "period", "kind", "value", "unit", "note"]
    return I.both_ways(rows[cols], days_per_year).reset_index(drop=True)


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
    shein = select(claims, section="3.2", metric="inventory_turnover_days", entity="Shein")
    shein = shein.iloc[0]
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
            "Baseline: 4 turns a year (8.1) against 120 days (5.1)",
            [base_days["id"], base_turns["id"]],
            base_days["value"],
            d_base,
            "days",
            tolerance_pct,
            f"{dpy:g} / {base_turns['value']:g} turns = {d_base:.1f} days",
        ),
        A.compare_level(
            "Target: 8 turns a year (4.2, 8.1) against 60 days (5.1)",
            [target_days["id"], target_turns["id"], target_turns_81["id"]],
            target_days["value"],
            d_target,
            "days",
            tolerance_pct,
            f"{dpy:g} / {target_turns['value']:g} turns = {d_target:.1f} days",
        ),
        A.compare_level(
            "Ratio: 4 -> 8 turns (8.1) against 120 -> 60 days (5.1)",
            [target_days["id"], base_days["id"], base_turns["id"], target_turns_81["id"]],
            ratio_days,
            ratio_turns,
            "ratio",
            tolerance_pct,
            f"days {target_days['value']:g}/{base_days['value']:g} = {ratio_days:.3f}; "
            f"turns {base_turns['value']:g}/{target_turns_81['value']:g} = {ratio_turns:.3f}",
        ),
        A.compare_level(
            "Case study (4.2): 45 days after against 8 turns (8.1)",
            [target_turns_81["id"], case1["id"]],
            target_turns_81["value"],
            t_case1,
            "times_per_year",
            tolerance_pct,
            f"{dpy:g} / {case1['value']:g} days = {t_case1:.2f} turns "
            f"(before: {dpy:g} / {case0['value']:g} = {t_case0:.2f})",
        ),
        A.compare_level(
            "Apparel baseline: 120 days (2.2) against 90 days (7.3)",
            [apparel_22["id"], apparel_73["id"]],
            apparel_22["value"],
            apparel_73["value"],
            "days",
            tolerance_pct,
            f"2.2 states {apparel_22['value']:g} days, 7.3 states {apparel_73['value']:g}",
        ),
        A.compare_at_most(
            "'Industry-leading' 8 turns (4.2) at least Shein's turns (3.2)",
            [target_turns["id"], shein["id"]],
            target_turns["value"],
            t_shein,
            f"Shein: {dpy:g} / {shein['value']:g} days = {t_shein:.1f} turns",
            unit="times_per_year",
        ),
    ]
    return A.checks_frame(checks)


def working_capital(claims: pd.DataFrame, days_per_year: float) -> dict[str, float]:
    """Inventory freed by the 5.1 target (120 -> 60 days), percent of a year's cost of goods."""
    d0 = pick(claims, "5.1", "inventory_turnover_days", "current")
    d1 = pick(claims, "5.1", "inventory_turnover_days", "unspecified")
    return {
        "days_before": float(d0["value"]),
        "days_after": float(d1["value"]),
        "released_pct_of_cogs": I.working_capital_released(d0["value"], d1["value"], days_per_year),
    }


# --------------------------------------------------------------------------- headline


def headline(params, claims: pd.DataFrame) -> dict[str, float]:
    """Chapter 4's key numbers under ``params`` (an ``ImplementationParams``).

    GMV change stacked naively and adjusted, the share of the naive gain the adjustments
    remove, the operating-cost share the cost lines must cover, the days that 8 turns a
    year mean, the inventory checks that fail, and the working capital the 5.1 target frees.
    """
    include = list(params.initiatives)
    gmv = gmv_tree(claims, include, params.overlap_haircut, params.case_study_weight)
    cost = cost_tree(claims, include, params.overlap_haircut, params.case_study_weight)
    naive = T.tree_change(gmv["naive_pct"])
    adjusted = T.tree_change(gmv["adjusted_pct"])
    cover = cost_target_coverage(claims, cost)
    checks = inventory_checks(claims, params.days_per_year, params.level_tolerance_pct)
    target_turns = pick(claims, "4.2", "inventory_turnover_rate", "unspecified")["value"]
    return {
        "gmv_change_naive_pct": naive,
        "gmv_change_adjusted_pct": adjusted,
        "cost_share_needed_adjusted_pct": cover["share_needed_adjusted_pct"],
        "target_turns_in_days": I.days_from_turns(target_turns, params.days_per_year),
        "inventory_checks_failed": int((checks["verdict"] == "inconsistent").sum()),
        "working_capital_released_pct": working_capital(claims, params.days_per_year)[
            "released_pct_of_cogs"
        ],
    }


__all__ = [
    "CLAIMED",
    "COST_LINES",
    "GMV_DRIVERS",
    "INITIATIVES",
    "Initiative",
    "claimed_uplifts",
    "cost_target_coverage",
    "cost_tree",
    "gmv_tree",
    "gmv_waterfall",
    "headline",
    "inventory_checks",
    "inventory_figures",
    "sensitivity",
    "tree_uplifts",
    "working_capital",
]
