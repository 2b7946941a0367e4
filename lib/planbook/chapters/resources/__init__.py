"""Chapter 6 (resource needs and allocation): the plan's budget, people and an appraisal.

Every budget figure of plan 6.1-6.3 goes into one table in one unit (100 million yuan,
亿元, the plan's own); the checks show which of them add up (:mod:`.budget`); the
spending schedule they imply is set against the benefit stream of
:mod:`planbook.methods.models.benefit_stream` (the promises of plan 8.1) to give a net
present value, an internal rate of return and a payback period (:mod:`.appraisal`);
:mod:`.result` gathers what the page shows (:func:`compute`).
"""

from planbook.chapters.resources.appraisal import (
    appraisal,
    breakeven_firm_gmv,
    cash_flows,
    npv_at,
    npv_profile,
    realisation_profile,
    scope_comparison,
)
from planbook.chapters.resources.budget import (
    BUDGET_ITEMS,
    HEADCOUNTS,
    MONEY,
    READINGS,
    UNALLOCATED,
    Reading,
    budget_checks,
    budget_table,
    horizon_allocation,
    horizon_totals,
    implied_workforce,
    people_numbers,
    people_table,
    spending_schedule,
    to_yuan,
)
from planbook.chapters.resources.result import (
    AMOUNTS,
    CLAIM_COLUMNS,
    STATED,
    ResourcesResult,
    breakeven_text,
    compute,
    headline,
    parameter_words,
    payback_text,
)

__all__ = [
    "AMOUNTS",
    "BUDGET_ITEMS",
    "CLAIM_COLUMNS",
    "HEADCOUNTS",
    "MONEY",
    "READINGS",
    "STATED",
    "UNALLOCATED",
    "Reading",
    "ResourcesResult",
    "appraisal",
    "breakeven_firm_gmv",
    "breakeven_text",
    "budget_checks",
    "budget_table",
    "cash_flows",
    "compute",
    "headline",
    "horizon_allocation",
    "horizon_totals",
    "implied_workforce",
    "npv_at",
    "npv_profile",
    "parameter_words",
    "payback_text",
    "people_numbers",
    "people_table",
    "realisation_profile",
    "scope_comparison",
    "spending_schedule",
    "to_yuan",
]
