"""Every check of the book as a spec of the audit's kind, run by one engine into one table.

The audit's rules (:data:`planbook.methods.audit.RULES`) and the chapters' own checks
(:data:`CHAPTER_RULES`: chapter 1's market figures, chapter 2's trends, chapter 3's
targets, chapter 4's inventory figures, chapter 5's outages, chapter 6's budget, chapter
8's GMV promise) are :class:`~planbook.methods.audit.Rule` specs: a name, an English
description and a check over the audit's context. :func:`book_findings` runs them all
through :func:`planbook.methods.audit.run_audit` into the book's one findings table; every
chapter page, chapter 10 and the audit appendix count their slice of it with
:func:`planbook.methods.audit.counts` and rank with :func:`~planbook.methods.audit.most_severe`.

A chapter check becomes findings through the adapter of
:mod:`planbook.methods.audit.adapter` (its verdict already in the audit's words). Where a
chapter check redoes an audit rule's comparison (the same claims, the same two figures),
the engine keeps one row listing both rule names
(:func:`planbook.methods.audit.merge_duplicates`). A failing chapter check that is no
contradiction of the plan (a baseline against its own target, a reading the plan leaves
open) carries a :class:`~planbook.methods.audit.Reading`: its verdict says what it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from planbook.chapters.benefits.growth import gmv_checks
from planbook.chapters.challenges.trends import internal_checks as challenges_checks
from planbook.chapters.goals.economics import internal_checks as goals_checks
from planbook.chapters.implementation.inventory import inventory_checks
from planbook.chapters.market.figures import internal_checks as market_checks
from planbook.chapters.resources.budget import budget_checks
from planbook.chapters.risk.outages import internal_checks as risk_checks
from planbook.data.plan import load_sections
from planbook.engine.params import ImplementationParams, ResourcesParams
from planbook.methods import audit
from planbook.methods.audit import Reading, Rule, check_rule
from planbook.methods.audit.figures import Context

RISK_READINGS = {
    "One outage at the old recovery time": Reading(
        "different scope",
        "The old recovery time is the baseline the target replaces: that it does not fit "
        "the availability target is why the plan cuts it, not a contradiction.",
    )
}
BUDGET_READINGS = {
    "Plan 6.1 hardware and software within the first-year technology budget": Reading(
        "unverifiable",
        "Plan 6.1 gives no year for these investments and they fit technology and supply "
        "chain together: a contradiction only if all of it is first-year technology.",
    ),
    "Training fits in the first-year split": Reading(
        "unverifiable",
        "The plan does not say under which line training sits; inside technology, it fits.",
    ),
}
GMV_READINGS = {
    "Logistics cost: plan 6.4's cut": Reading(
        "unverifiable",
        "The two agree if 6.4's cut is per unit of GMV; the plan does not say which.",
    )
}

CHAPTER_OF_RULE: dict[str, int] = {
    "market_checks": 1,
    "challenges_checks": 2,
    "goals_checks": 3,
    "inventory_checks": 4,
    "risk_checks": 5,
    "budget_checks": 6,
    "gmv_checks": 8,
}
"""The chapter whose page shows each chapter rule's check table."""


def _setting(params: Any, name: str, default: Any) -> Any:
    value = getattr(params, name, None) if params is not None else None
    return default if value is None else value


def chapter_rules(params: Any = None) -> tuple[Rule, ...]:
    """The chapters' own checks as specs of the audit's kind.

    ``params`` (a chapter's parameters, optional) sets the settings some checks need
    (``days_per_year`` of chapter 4; ``usd_cny_rate`` and ``three_year_reading`` of
    chapter 6); missing ones take their schema defaults. Tolerances come from the
    engine's :class:`~planbook.methods.audit.Tolerances` (``rate_pp``, ``level_pct``).
    """
    dpy = _setting(params, "days_per_year", ImplementationParams().days_per_year)
    rate = _setting(params, "usd_cny_rate", ResourcesParams().usd_cny_rate)
    reading = _setting(params, "three_year_reading", ResourcesParams().three_year_reading)

    def market(ctx: Context) -> pd.DataFrame:
        return market_checks(ctx.claims, ctx.tol.rate_pp, ctx.tol.level_pct)

    def challenges(ctx: Context) -> pd.DataFrame:
        return challenges_checks(ctx.claims, ctx.tol.rate_pp, ctx.tol.level_pct)

    def goals(ctx: Context) -> pd.DataFrame:
        return goals_checks(ctx.claims, ctx.tol.level_pct)

    def inventory(ctx: Context) -> pd.DataFrame:
        return inventory_checks(ctx.claims, dpy, ctx.tol.level_pct)

    def risk(ctx: Context) -> pd.DataFrame:
        return risk_checks(ctx.claims, ctx.tol.level_pct)

    def budget(ctx: Context) -> pd.DataFrame:
        return budget_checks(ctx.claims, rate, reading)

    def gmv(ctx: Context) -> pd.DataFrame:
        return gmv_checks(ctx.claims, ctx.tol.rate_pp, ctx.tol.level_pct)

    specs = [
        (
            "market_checks",
            "Chapter 1's checks: the 2020-2023 CAGR against the cumulative "
            "growth, the 2023 market size in 1.1 and 1.2, online retail implied by live "
            "commerce, the category shares within 100%.",
            market,
            None,
        ),
        (
            "challenges_checks",
            "Chapter 2's checks: acquisition spending implied by ROAS, the "
            "consent and repurchase rates of chapters 1-3, the leaders' response cycle against "
            "the 3.1 target.",
            challenges,
            None,
        ),
        (
            "goals_checks",
            "Chapter 3's checks: the acquisition-cost target against its cut, "
            "the repurchase-rate rise against the cited case, lower-tier users against all "
            "users.",
            goals,
            None,
        ),
        (
            "inventory_checks",
            "Chapter 4's checks: every inventory turnover figure, days against turns a year.",
            inventory,
            None,
        ),
        (
            "risk_checks",
            "Chapter 5's checks: outages against the availability target, "
            "recovery times of 4.4 and 5.3, ROAS against acquisition cost, spoilage targets.",
            risk,
            RISK_READINGS,
        ),
        (
            "budget_checks",
            "Chapter 6's checks: the budget split, plan 6.1's investments and "
            "training against the first-year lines, the three- and five-year money.",
            budget,
            BUDGET_READINGS,
        ),
        (
            "gmv_checks",
            "Chapter 8's checks: the GMV promise both ways, its baseline, and "
            "the overseas, carbon and logistics figures it meets in other chapters.",
            gmv,
            GMV_READINGS,
        ),
    ]
    return tuple(
        Rule(name, text, check_rule(name, table, readings)) for name, text, table, readings in specs
    )


CHAPTER_RULES: tuple[Rule, ...] = chapter_rules()
"""The chapters' own checks at the schemas' default settings."""


def book_findings(
    claims: pd.DataFrame,
    sections: pd.DataFrame,
    tolerances: audit.Tolerances | None = None,
    params: Any = None,
    *,
    rules: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """The book's one findings table: the audit's rules and the chapters' checks.

    ``tolerances`` default to the audit's; ``params`` as in :func:`chapter_rules`;
    ``rules`` keeps only these rules (names of either kind; default all).
    """
    extra = CHAPTER_RULES if params is None else chapter_rules(params)
    return audit.run_audit(claims, sections, tolerances, rules=rules, extra=extra)


def page_findings(claims: pd.DataFrame, sections: pd.DataFrame, params: Any) -> pd.DataFrame:
    """:func:`book_findings` at a page's parameters (tolerances and settings)."""
    tolerances = audit.tolerances_from(params) if params is not None else None
    return book_findings(claims, sections, tolerances, params)


def page_counts(claims: pd.DataFrame, params: Any, rule: str) -> dict[str, float]:
    """A chapter rule's counts in the one table at a page's parameters: what a chapter
    quotes as "n of its checks hold" (``findings``, ``holds``, ``verdict_*`` ...)."""
    return check_counts(page_findings(claims, load_sections(), params), rule)


def rule_slice(findings: pd.DataFrame, rule: str) -> pd.DataFrame:
    """The rows of the one table a rule found (merged rows included)."""
    return findings[audit.has_rule(findings, rule)].reset_index(drop=True)


def check_counts(findings: pd.DataFrame, rule: str) -> dict[str, float]:
    """A chapter rule's counts in the one table (:func:`planbook.methods.audit.counts`)."""
    return audit.counts(rule_slice(findings, rule))


__all__ = [
    "CHAPTER_OF_RULE",
    "CHAPTER_RULES",
    "book_findings",
    "chapter_rules",
    "check_counts",
    "page_counts",
    "page_findings",
    "rule_slice",
]
