"""Chapter 6's page: every number, sentence and table it shows, by name, and its key numbers."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planbook.chapters.resources.appraisal import (
    appraisal,
    cash_flows,
    npv_profile,
    realisation_profile,
    scope_comparison,
)
from planbook.chapters.resources.budget import (
    READINGS,
    UNALLOCATED,
    budget_checks,
    budget_table,
    horizon_allocation,
    horizon_totals,
    people_numbers,
    people_table,
    spending_schedule,
)
from planbook.data.plan import pick, select
from planbook.engine.params import ResourcesParams, check_settings
from planbook.methods import audit
from planbook.methods.models import benefit_stream as BS

STATED: dict[str, tuple[str, str, str]] = {
    "hardware": ("6.1", "smart_logistics_investment", "unspecified"),
    "software": ("6.1", "ai_system_investment", "unspecified"),
    "tech_hires": ("6.2", "tech_hires", "unspecified"),
    "ops_team": ("6.2", "operations_team_size", "unspecified"),
    "compliance_staff": ("6.2", "compliance_experts", "unspecified"),
    "training": ("6.2", "annual_training_investment", "annual"),
    "retention": ("6.2", "core_talent_retention_rate", "unspecified"),
    "profit_share": ("6.2", "project_profit_share", "unspecified"),
    "year1": ("6.3", "budget_total", "year 1"),
    "tech": ("6.3", "technology_budget", "year 1"),
    "chain": ("6.3", "supply_chain_budget", "year 1"),
    "marketing": ("6.3", "marketing_budget", "year 1"),
    "extra": ("6.3", "additional_funding", "3 years"),
    "fund_usd": ("6.3", "overseas_ma_fund", "3 years"),
    "bonds": ("6.3", "green_bond_issuance", "3 years"),
    "five": ("6.3", "budget_total", "5 years"),
    "ipo": ("6.3", "ipo_proceeds", "5 years"),
    "valuation": ("6.3", "valuation", "5 years"),
    "reserve_pct": ("6.3", "risk_reserve_share_of_revenue", "annual"),
}
"""The plan's figures the page quotes as stated: name -> (section, metric, period)."""

CLAIM_COLUMNS = [
    *("id", "section", "metric", "entity", "period", "kind", "value", "unit", "bound", "note")
]
"""The columns of the chapter's claims table on the page."""

FUND_CHECK = "M&A fund and green bonds within the three-year funding"
"""The check the page quotes under both readings of the three-year money."""


@dataclass(frozen=True)
class ResourcesResult:
    """What chapter 6's page shows, named as its text names it (money in 100 million yuan).

    The plan's figures as stated (see :data:`STATED`) and their count ``ch6_claims``; the
    budget in one unit (``fund_yuan``); the horizons (``total_*``, ``named_share_*``,
    ``unallocated_*``); the checks (``*_verdict``, ``hw_sw``, ``fund_*``, ``spend_*``,
    ``sources_*``); the people (``named_people``, ``training_*``, ``digital_*``); the
    appraisal (``npv``, ``pv_*``, ``irr_pct``, the ``*_text`` sentences, ``breakeven_*``,
    ``industry_*``). Tables: ``claims``, ``budget``, ``allocation`` (components by
    horizon), ``totals`` (by horizon), ``checks``, ``schedules`` (spending by plan year
    under each reading), ``people``, ``flows``, ``npv_by_rate``, ``npv_by_share``, ``scopes``.
    """

    claims: pd.DataFrame
    budget: pd.DataFrame
    allocation: pd.DataFrame
    totals: pd.Series
    checks: pd.DataFrame
    schedules: pd.DataFrame
    people: pd.DataFrame
    flows: pd.DataFrame
    npv_by_rate: pd.Series
    npv_by_share: pd.Series
    scopes: pd.DataFrame
    ch6_claims: int
    hardware: float
    software: float
    tech_hires: float
    ops_team: float
    compliance_staff: float
    training: float
    retention: float
    profit_share: float
    year1: float
    tech: float
    chain: float
    marketing: float
    extra: float
    fund_usd: float
    bonds: float
    five: float
    ipo: float
    valuation: float
    reserve_pct: float
    usd_cny_rate: float
    fund_yuan: float
    reading: str
    total_y1: float
    total_y3: float
    total_y5: float
    named_share_y3: float
    named_share_y5: float
    unallocated_y5: float
    unallocated_y5_share: float
    ch6_checks: int
    ch6_checks_hold: int
    split_verdict: str
    hw_sw: float
    hw_tech_verdict: str
    tech_chain: float
    hw_both_verdict: str
    train_total: float
    train_verdict: str
    fund_bonds: float
    fund_room: float
    fund_verdict: str
    other_reading: str
    fund_room_other: float
    fund_verdict_other: str
    three_verdict: str
    spend_y23: float
    spend_y45: float
    sources_named: float
    sources_share: float
    named_people: float
    training_5y: float
    training_share: float
    training_per_person: float
    digital_from: float
    digital_to: float
    hires_only_workforce: float
    appraisal_years: int
    base_text: str
    commission_text: str
    annual_full: float
    realisation_pct: float
    benefit_start_year: int
    ramp: int
    discount_rate: float
    npv: float
    pv_spending: float
    pv_benefit: float
    irr_pct: float
    irr_text: str
    payback_text: str
    discounted_payback_text: str
    breakeven_realisation: float
    breakeven_realisation_pct: float
    breakeven_text: str
    breakeven_gmv: float
    industry_annual: float
    industry_ratio: float


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, int | float):
        return f"{value:g}"
    return f"'{value}'"


def parameter_words(params: ResourcesParams) -> dict[str, str]:
    """Each parameter as the assumptions section words it: ``p_<name>`` its value on this
    page, ``d_<name>`` its default (``"on"``/``"off"``, ``"8"``, ``"'firm'"``)."""
    fields = type(params).model_fields
    return {
        **{f"p_{name}": _shown(value) for name, value in params.model_dump().items()},
        **{f"d_{name}": _shown(info.default) for name, info in fields.items()},
    }


def _budget_fields(params: ResourcesParams, claims: pd.DataFrame) -> dict:
    """The horizons and the checks of the budget, by name."""
    rate, reading = params.usd_cny_rate, params.three_year_reading
    budget = budget_table(claims, rate)
    alloc = horizon_allocation(claims, rate, reading)
    totals = horizon_totals(claims, reading)
    named = alloc.drop(index=UNALLOCATED).sum() / totals * 100
    other = "cumulative" if reading == "additional" else "additional"
    checks = audit.checks_as_read("budget_checks", budget_checks(claims, rate, reading))
    settings = check_settings(params)  # of the chapters' checks, at this page's params
    one = audit.page_counts(claims, params, "budget_checks", settings=settings)  # one table's slice
    by = checks.set_index("check")
    recomputed, stated, verdict = by["recomputed"], by["stated"], by["verdict"]
    other_checks = audit.checks_as_read("budget_checks", budget_checks(claims, rate, other))
    other_checks = other_checks.set_index("check")
    schedule = spending_schedule(claims, reading, 5)
    fund_id = pick(claims, *STATED["fund_usd"])["id"]
    sources = sum(float(pick(claims, *STATED[k])["value"]) for k in ("bonds", "ipo"))
    split = "First-year split adds up to the first-year total"
    hw_tech = "Plan 6.1 hardware and software within the first-year technology budget"
    hw_both = "Plan 6.1 hardware and software within first-year technology and supply chain"
    train = "Training fits in the first-year split"
    three = "Three-year total within the five-year total"
    return {
        "budget": budget,
        "allocation": alloc,
        "totals": totals,
        "checks": checks,
        "schedules": pd.DataFrame({r: spending_schedule(claims, r, 5) for r in READINGS}),
        "usd_cny_rate": rate,
        "fund_yuan": budget.set_index("claim_id").loc[fund_id, "value_100m_yuan"],
        "reading": f"'{reading}'",
        "total_y1": totals["Year 1"],
        "total_y3": totals["Years 1-3"],
        "total_y5": totals["Years 1-5"],
        "named_share_y3": named["Years 1-3"],
        "named_share_y5": named["Years 1-5"],
        "unallocated_y5": alloc.loc[UNALLOCATED, "Years 1-5"],
        "unallocated_y5_share": alloc.loc[UNALLOCATED, "Years 1-5"] / totals["Years 1-5"] * 100,
        "ch6_checks": int(one["findings"]),
        "ch6_checks_hold": int(one["holds"]),
        "split_verdict": verdict[split],
        "hw_sw": recomputed[hw_tech],
        "hw_tech_verdict": verdict[hw_tech],
        "tech_chain": stated[hw_both],
        "hw_both_verdict": verdict[hw_both],
        "train_total": recomputed[train],
        "train_verdict": verdict[train],
        "fund_bonds": recomputed[FUND_CHECK],
        "fund_room": stated[FUND_CHECK],
        "fund_verdict": verdict[FUND_CHECK],
        "other_reading": f"'{other}'",
        "fund_room_other": other_checks.loc[FUND_CHECK, "stated"],
        "fund_verdict_other": other_checks.loc[FUND_CHECK, "verdict"],
        "three_verdict": verdict[three],
        "spend_y23": schedule[2],
        "spend_y45": schedule[4],
        "sources_named": sources,
        "sources_share": sources / totals["Years 1-5"] * 100,
    }


def _people_fields(params: ResourcesParams, claims: pd.DataFrame) -> dict:
    """The people of plan 6.2 and what they imply."""
    pn = people_numbers(claims, params.three_year_reading)
    return {
        "people": people_table(claims),
        "named_people": pn["named_people"],
        "training_5y": pn["training_five_years"],
        "training_share": pn["training_share_of_five_year_pct"],
        "training_per_person": pn["training_per_named_person_yuan"],
        "digital_from": pn["digital_share_from"],
        "digital_to": pn["digital_share_to"],
        "hires_only_workforce": pn["hires_only_workforce"],
    }


def payback_text(value: float, discounted: bool, years: int) -> str:
    """The payback period in words (``value`` nan: not within ``years``)."""
    kind = "discounted " if discounted else ""
    if math.isnan(value):
        return f"the cumulative {kind}net cash flow is still negative after {years} years"
    return (
        f"the cumulative {kind}net cash flow turns positive for good {value:.1f} years "
        "after the first year's spending"
    )


def breakeven_text(params: ResourcesParams, share: float, firm_gmv: float) -> str:
    """What the break-even share of the promises (and, for one firm, GMV) means, in words."""
    if share > 1:
        text = "more than all of them, so even the full promises do not pay back the spending"
    elif share > 0.75:
        text = "most of them, a thin margin for promises backed by single-firm case studies"
    else:
        text = (
            "less than the full promises, a margin the plan's case studies can neither "
            "confirm nor refute"
        )
    if params.benefit_scope == "firm" and math.isfinite(firm_gmv):
        text += (
            f". With {params.benefit_realisation:.0%} of the promises realised, as on this "
            f"page, the spending pays only for a firm with a GMV of at least {firm_gmv:.2f} "
            f"trillion yuan a year ({firm_gmv / params.firm_gmv:.0%} of the firm assumed here)."
        )
    else:
        text += "."
    return text


def _appraisal_fields(params: ResourcesParams, claims: pd.DataFrame, five: float) -> dict:
    """The appraisal: cash flows, NPV, IRR, payback, break-even and the what-ifs."""
    drivers = BS.drivers_from_params(params, claims)
    result = appraisal(params, claims)
    irr, years = result["irr_pct"], params.appraisal_years
    top = max(60.0, 1.5 * irr) if math.isfinite(irr) else 60.0
    scopes = scope_comparison(params, claims)
    industry = float(scopes.set_index("scope").loc["industry", "annual_benefit"])
    firm = f"one firm with {params.firm_gmv:g} trillion yuan a year"
    industry_text = f"the whole industry, {drivers.gmv / 1e4:g} trillion yuan a year (plan 8.1)"
    commission = (
        "counted"
        if params.commission_cut_as_benefit
        else "left out, as a transfer from platforms to merchants"
    )
    irr_text = (
        f"{irr:.0f}% a year"
        if math.isfinite(irr)
        else "not defined (the net cash flow never changes sign)"
    )
    return {
        "flows": cash_flows(params, claims),
        "npv_by_rate": npv_profile(params, claims, np.linspace(0, min(top, 400.0), 81)),
        "npv_by_share": realisation_profile(params, claims, np.linspace(0, 1, 21)),
        "scopes": scopes,
        "appraisal_years": years,
        "base_text": firm if params.benefit_scope == "firm" else industry_text,
        "commission_text": commission,
        "annual_full": BS.annual_benefit(drivers, 1.0, params.commission_cut_as_benefit),
        "realisation_pct": params.benefit_realisation * 100,
        "benefit_start_year": params.benefit_start_year,
        "ramp": params.ramp_years,
        "discount_rate": params.discount_rate_pct,
        "npv": result["npv"],
        "pv_spending": result["pv_spending"],
        "pv_benefit": result["pv_benefit"],
        "irr_pct": irr,
        "irr_text": irr_text,
        "payback_text": payback_text(result["payback_years"], False, years),
        "discounted_payback_text": payback_text(result["discounted_payback_years"], True, years),
        "breakeven_realisation": result["breakeven_realisation"],
        "breakeven_realisation_pct": result["breakeven_realisation"] * 100,
        "breakeven_text": breakeven_text(
            params, result["breakeven_realisation"], result["breakeven_firm_gmv"]
        ),
        "breakeven_gmv": result["breakeven_firm_gmv"],
        "industry_annual": industry,
        "industry_ratio": industry / five,
    }


def compute(params: ResourcesParams, claims: pd.DataFrame) -> ResourcesResult:
    """Chapter 6's page under ``params``: every number, sentence and table it shows.

    Parameters
    ----------
    params
        The chapter's parameters.
    claims
        The claims table (:func:`planbook.data.plan.load_claims`).
    """
    mine = select(claims, chapter=6)
    budget = _budget_fields(params, claims)
    return ResourcesResult(
        claims=mine[CLAIM_COLUMNS],
        ch6_claims=len(mine),
        **{name: float(pick(claims, *spec)["value"]) for name, spec in STATED.items()},
        **budget,
        **_people_fields(params, claims),
        **_appraisal_fields(params, claims, budget["total_y5"]),
    )


def headline(params: ResourcesParams, claims: pd.DataFrame) -> dict[str, float]:
    """The chapter's key numbers under ``params``."""
    totals = horizon_totals(claims, params.three_year_reading)
    result = appraisal(params, claims)
    return {
        "year1_total_100m_yuan": float(totals["Year 1"]),
        "three_year_total_100m_yuan": float(totals["Years 1-3"]),
        "five_year_total_100m_yuan": float(totals["Years 1-5"]),
        "npv_100m_yuan": result["npv"],
        "irr_pct": result["irr_pct"],
        "payback_years": result["payback_years"],
        "breakeven_realisation": result["breakeven_realisation"],
    }


__all__ = [
    "CLAIM_COLUMNS",
    "STATED",
    "ResourcesResult",
    "breakeven_text",
    "compute",
    "headline",
    "parameter_words",
    "payback_text",
]


AMOUNTS: dict[str, str] = {
    "fund_usd": "100m_usd",
    "hardware": "100m_yuan",
    "software": "100m_yuan",
    "training": "100m_yuan",
    "year1": "100m_yuan",
    "tech": "100m_yuan",
    "chain": "100m_yuan",
    "marketing": "100m_yuan",
    "extra": "100m_yuan",
    "bonds": "100m_yuan",
    "five": "100m_yuan",
    "ipo": "100m_yuan",
    "fund_yuan": "100m_yuan",
    "total_y1": "100m_yuan",
    "total_y3": "100m_yuan",
    "total_y5": "100m_yuan",
    "unallocated_y5": "100m_yuan",
    "hw_sw": "100m_yuan",
    "tech_chain": "100m_yuan",
    "train_total": "100m_yuan",
    "fund_bonds": "100m_yuan",
    "fund_room": "100m_yuan",
    "fund_room_other": "100m_yuan",
    "spend_y23": "100m_yuan",
    "spend_y45": "100m_yuan",
    "sources_named": "100m_yuan",
    "training_5y": "100m_yuan",
    "annual_full": "100m_yuan",
    "pv_spending": "100m_yuan",
    "pv_benefit": "100m_yuan",
    "npv": "100m_yuan",
    "industry_annual": "100m_yuan",
}
"""The plan's unit of every amount the page states in prose (亿 and 万 counts and yuan):
:func:`planbook.page.glue.glue_result` glues each in English scales."""
