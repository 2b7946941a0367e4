"""Chapter 4's page: every number and table it shows, by name, and its key numbers."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from planbook.chapters.implementation.inventory import (
    INVENTORY_CHECKS,
    figure_notes,
    inventory_checks,
    inventory_figures,
    shein_days,
    turns_curve,
    working_capital,
)
from planbook.chapters.implementation.uplifts import (
    HAIRCUTS,
    INITIATIVES,
    WEIGHTS,
    claimed_uplifts,
    cost_lines,
    cost_target_coverage,
    cost_tree,
    gmv_tree,
    gmv_waterfall,
    sensitivity,
    tree_uplifts,
)
from planbook.data.plan import pick, select
from planbook.engine.params import ImplementationParams, check_settings
from planbook.methods import audit
from planbook.methods.models import driver_tree as T
from planbook.methods.models import inventory as I


@dataclass(frozen=True)
class ImplementationResult:
    """What chapter 4's page shows, named as its text names it (changes in percent).

    Counts of the claimed changes (``n_*``); the inventory figures and checks
    (``base_*``, ``target_*``, ``case_*``, ``apparel_*``, ``shein_*``, ``intl_*``, ``wc_*``);
    the GMV driver tree (``up_*``, ``gmv_*``); the cost lines (``roi``, ``op_*``,
    ``*_cut*``, ``share_needed_*``); the what-if grid (``grid_*``). Tables: ``uplifts``
    (every claimed change), ``relative`` (those stated as relative changes, ascending,
    with a ``label``), ``inventory`` (every figure both ways) with ``curve`` (turns
    against days) and ``notes`` (section labels), ``checks``, ``waterfall``, ``cost``
    (with the initiatives per line), ``cost_cut`` (the lines with a claimed cut), ``grid``.
    """

    uplifts: pd.DataFrame
    relative: pd.DataFrame
    inventory: pd.DataFrame
    curve: pd.Series
    notes: pd.DataFrame
    checks: pd.DataFrame
    waterfall: pd.DataFrame
    cost: pd.DataFrame
    cost_cut: pd.DataFrame
    grid: pd.DataFrame
    ch4_claims: int
    n_changes: int
    n_case_changes: int
    n_target: int
    n_named: int
    n_anonymous: int
    n_in_model: int
    ar_uplift: float
    n_big: int
    n_big_case: int
    n_inv: int
    dpy: int
    tol: float
    n_inv_checks: int
    n_inv_fail: int
    base_days: float
    base_days_implied: float
    base_turns: float
    target_turns: float
    target_days: float
    target_days_implied: float
    base_verdict: str
    target_verdict: str
    ratio_verdict: str
    case_d0: float
    case_d1: float
    case_t0: float
    case_t1: float
    case_verdict: str
    apparel_verdict: str
    leading_verdict: str
    apparel_22: float
    apparel_73: float
    shein_days: float
    shein_turns: float
    shein_multiple: float
    intl_gap: float
    intl_days: float
    intl_turns: float
    wc_before: float
    wc_after: float
    wc_released: float
    up_ar: float
    up_rec: float
    up_sign: float
    n_gmv: int
    n_initiatives_all: int
    n_included: int
    gmv_naive: float
    gmv_haircut: float
    gmv_adjusted: float
    haircut: float
    weight: float
    gmv_removed_share: float
    roi: float
    promo_cut: float
    n_cost_lines: int
    op_before: float
    op_after: float
    target_cut: float
    mean_cut_naive: float
    mean_cut_adjusted: float
    share_needed_naive: float
    share_needed_adjusted: float
    grid_max: float
    grid_min: float


def _inventory_fields(claims: pd.DataFrame, checks: pd.DataFrame, dpy: float) -> dict:
    """The inventory numbers of the page, from the checks by name and the claims."""
    by = checks.set_index("check")
    c = {key: by.loc[name] for key, name in INVENTORY_CHECKS.items()}
    d0 = pick(claims, "4.2", "inventory_turnover_days", "before")["value"]
    gap = pick(claims, "2.2", "inventory_turnover_days_gap_to_international", "current")["value"]
    wc = working_capital(claims, dpy)
    return {
        "base_days": c["base"]["stated"],
        "base_days_implied": c["base"]["recomputed"],
        "base_turns": pick(claims, "8.1", "inventory_turnover_rate", "current")["value"],
        "target_turns": pick(claims, "4.2", "inventory_turnover_rate", "unspecified")["value"],
        "target_days": c["target"]["stated"],
        "target_days_implied": c["target"]["recomputed"],
        **{f"{k}_verdict": c[k]["verdict"] for k in INVENTORY_CHECKS},
        "case_d0": d0,
        "case_d1": pick(claims, "4.2", "inventory_turnover_days", "after")["value"],
        "case_t0": I.turns_from_days(d0, dpy),
        "case_t1": c["case"]["recomputed"],
        "apparel_22": c["apparel"]["stated"],
        "apparel_73": c["apparel"]["recomputed"],
        "shein_days": shein_days(claims)["value"],
        "shein_turns": c["leading"]["recomputed"],
        "shein_multiple": c["leading"]["recomputed"] / c["leading"]["stated"],
        "intl_gap": gap,
        "intl_days": c["apparel"]["stated"] - gap,
        "intl_turns": I.turns_from_days(c["apparel"]["stated"] - gap, dpy),
        "wc_before": wc["days_before"],
        "wc_after": wc["days_after"],
        "wc_released": wc["released_pct_of_cogs"],
    }


def _tree_fields(claims: pd.DataFrame, params: ImplementationParams) -> dict:
    """The driver tree's numbers: the GMV uplifts and changes, the cost lines' coverage."""
    include, h, w = list(params.initiatives), params.overlap_haircut, params.case_study_weight
    ups = tree_uplifts(claims, include)
    gmv = gmv_tree(claims, include, h, w)
    naive, cut, adjusted = (
        T.tree_change(gmv[f"{k}_pct"]) for k in ("naive", "haircut", "adjusted")
    )
    every = tree_uplifts(claims).set_index("initiative")["change_pct"]
    cost = cost_tree(claims, include, h, w)
    cover = cost_target_coverage(claims, cost)
    roi = pick(claims, "4.1", "promotion_roi_uplift", "after")["value"]
    grid = sensitivity(claims, include, HAIRCUTS, WEIGHTS)
    return {
        "waterfall": gmv_waterfall(claims, include, h, w),
        "cost": cost_lines(cost, ups),
        "cost_cut": cost[cost["n_initiatives"] > 0],
        "grid": grid,
        "up_ar": float(every["ar_try_on"]),
        "up_rec": float(every["recommendation"]),
        "up_sign": float(every["simple_sign_up"]),
        "n_gmv": int((ups["tree"] == "gmv").sum()),
        "n_initiatives_all": len(INITIATIVES),
        "n_included": len(include),
        "gmv_naive": naive,
        "gmv_haircut": cut,
        "gmv_adjusted": adjusted,
        "haircut": h,
        "weight": w,
        "gmv_removed_share": (1 - adjusted / naive) * 100 if naive > 0 else 0.0,
        "roi": roi,
        "promo_cut": (1 - 1 / (1 + roi / 100)) * 100,
        "n_cost_lines": int((cost["n_initiatives"] > 0).sum()),
        "op_before": pick(claims, "5.1", "operating_cost_share", "current")["value"],
        "op_after": pick(claims, "5.1", "operating_cost_share", "unspecified")["value"],
        "target_cut": cover["target_cut_pct"],
        "mean_cut_naive": cover["mean_cut_naive_pct"],
        "mean_cut_adjusted": cover["mean_cut_adjusted_pct"],
        "share_needed_naive": cover["share_needed_naive_pct"],
        "share_needed_adjusted": cover["share_needed_adjusted_pct"],
        "grid_max": grid["gmv_change_pct"].max(),
        "grid_min": grid["gmv_change_pct"].min(),
    }


def compute(params: ImplementationParams, claims: pd.DataFrame) -> ImplementationResult:
    """Chapter 4's page under ``params``: every number and table it shows.

    Parameters
    ----------
    params
        The chapter's parameters.
    claims
        The claims table (:func:`planbook.data.plan.load_claims`).
    """
    uplifts = claimed_uplifts(claims)
    case = uplifts["kind"] == "case_study"
    named = uplifts.loc[case, "evidence"].str.contains("JD.com|Alibaba|Shein")
    relative = uplifts.dropna(subset=["change_pct"]).sort_values("change_pct")
    relative = relative.assign(
        label=relative["initiative"] + ": " + relative["measure"].str.replace("_", " ")
    )
    big = relative[relative["change_pct"].abs() >= 50]
    dpy = params.days_per_year
    inventory = inventory_figures(claims, dpy)
    checks = audit.checks_as_read(
        "inventory_checks", inventory_checks(claims, dpy, params.level_tolerance_pct)
    )
    settings = check_settings(params)  # of the chapters' checks, at this page's params
    one = audit.page_counts(claims, params, "inventory_checks", settings=settings)  # one slice
    fields = {
        "ch4_claims": len(select(claims, chapter=4)),
        "n_changes": len(uplifts),
        "n_case_changes": int(case.sum()),
        "n_target": int((~case).sum()),
        "n_named": int(named.sum()),
        "n_anonymous": int((~named).sum()),
        "n_in_model": int((uplifts["in_model"] != "").sum()),
        "ar_uplift": pick(claims, "4.1", "conversion_rate_uplift", "after")["value"],
        "n_big": len(big),
        "n_big_case": int((big["kind"] == "case_study").sum()),
        "n_inv": len(inventory),
        "dpy": dpy,
        "tol": params.level_tolerance_pct,
        "n_inv_checks": int(one["findings"]),
        "n_inv_fail": int(one["verdict_inconsistent"]),
        **_inventory_fields(claims, checks, dpy),
        **_tree_fields(claims, params),
    }
    return ImplementationResult(
        uplifts=uplifts,
        relative=relative,
        inventory=inventory,
        curve=turns_curve(dpy),
        notes=figure_notes(inventory),
        checks=checks,
        **fields,
    )


def headline(params: ImplementationParams, claims: pd.DataFrame) -> dict[str, float]:
    """Chapter 4's key numbers under ``params``.

    GMV change stacked naively and adjusted, the operating-cost share the cost lines must
    cover, the days that 8 turns a year mean, the inventory checks that fail, and the
    working capital the 5.1 target frees. Lighter than :func:`compute` (no tables, no
    what-if grid): the scenario table of chapter 10 calls it for every scenario.
    """
    include, h, w = list(params.initiatives), params.overlap_haircut, params.case_study_weight
    gmv = gmv_tree(claims, include, h, w)
    cover = cost_target_coverage(claims, cost_tree(claims, include, h, w))
    checks = audit.checks_as_read(
        "inventory_checks",
        inventory_checks(claims, params.days_per_year, params.level_tolerance_pct),
    )
    by = checks.set_index("check")
    return {
        "gmv_change_naive_pct": T.tree_change(gmv["naive_pct"]),
        "gmv_change_adjusted_pct": T.tree_change(gmv["adjusted_pct"]),
        "cost_share_needed_adjusted_pct": cover["share_needed_adjusted_pct"],
        "target_turns_in_days": by.loc[INVENTORY_CHECKS["target"], "recomputed"],
        "inventory_checks_failed": int((checks["verdict"] == "inconsistent").sum()),
        "working_capital_released_pct": working_capital(claims, params.days_per_year)[
            "released_pct_of_cogs"
        ],
    }


__all__ = ["ImplementationResult", "compute", "headline"]
