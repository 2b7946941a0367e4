"""Every check of the book as a spec of the audit's kind, run by one engine into one table.

The audit's rules (:data:`planbook.methods.audit.RULES`) and the chapters' own checks
(:data:`CHECK_SPECS`: chapter 1's market figures, chapter 2's trends, chapter 3's
targets, chapter 4's inventory figures, chapter 5's outages, chapter 6's budget, chapter
8's GMV promise; their checks in ``checks_<chapter>`` beside the rules) are specs of one
kind: a name, an English description and a check over the audit's context.
:func:`book_findings` runs them all through :func:`planbook.methods.audit.run_audit` into
the book's one findings table; every chapter page, chapter 10 and the audit appendix
count their slice of it with :func:`planbook.methods.audit.counts` and rank with
:func:`~planbook.methods.audit.most_severe`.

A chapter check becomes findings through the adapter of
:mod:`planbook.methods.audit.adapter` (its verdict already in the audit's words). Where a
chapter check redoes an audit rule's comparison (the same claims, the same two figures),
the engine keeps one row listing both rule names
(:func:`planbook.methods.audit.merge_duplicates`). A failing chapter check that is no
contradiction of the plan (a baseline against its own target, a reading the plan leaves
open) carries a :class:`~planbook.methods.audit.Reading`: its verdict says what it is.

Three checks take settings (:data:`SETTINGS`: chapter 4's ``days_per_year``, chapter 6's
``usd_cny_rate`` and ``three_year_reading``) as plain values; their defaults are the
parameter schemas', resolved above this layer
(:func:`planbook.engine.params.check_settings`). Tolerances come from the engine's
:class:`~planbook.methods.audit.Tolerances` (``rate_pp``, ``level_pct``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from planbook.data.plan import load_sections
from planbook.errors import InputError
from planbook.methods.audit.adapter import Reading, check_rule, read_checks
from planbook.methods.audit.checks_benefits import gmv_checks
from planbook.methods.audit.checks_challenges import challenges_checks
from planbook.methods.audit.checks_goals import goals_checks
from planbook.methods.audit.checks_implementation import INVENTORY_CHECKS, inventory_checks
from planbook.methods.audit.checks_market import market_checks
from planbook.methods.audit.checks_resources import budget_checks
from planbook.methods.audit.checks_risk import risk_checks
from planbook.methods.audit.engine import has_rule, run_audit
from planbook.methods.audit.figures import Context
from planbook.methods.audit.findings import Tolerances, counts, tolerances_from
from planbook.methods.audit.registry import Rule

SETTINGS = ("days_per_year", "usd_cny_rate", "three_year_reading")
"""The settings the chapters' checks take (plain values; see
:func:`planbook.engine.params.check_settings`)."""

Table = Callable[[Context, Mapping[str, Any]], pd.DataFrame]
"""A chapter check: the audit's context and the settings to a ``Check`` table."""


@dataclass(frozen=True)
class CheckSpec:
    """A chapter's own checks as a spec of the audit's kind.

    Attributes
    ----------
    name, description
        The rule's name in the findings table and what it checks (as a :class:`Rule`).
    chapter
        The chapter whose page shows the check table.
    table
        The check: context and settings to a ``Check`` table
        (:func:`planbook.methods.arithmetic.checks_frame`).
    readings
        What a failing check means when it is no contradiction (by the check's words).
    """

    name: str
    description: str
    chapter: int
    table: Table
    readings: Mapping[str, Reading] | None = None

    def rule(self, settings: Mapping[str, Any]) -> Rule:
        """The spec as a rule of the engine at these settings."""

        def table(ctx: Context) -> pd.DataFrame:
            return self.table(ctx, settings)

        return Rule(self.name, self.description, check_rule(self.name, table, self.readings))


INVENTORY_READINGS = {
    INVENTORY_CHECKS["target"]: Reading(
        "different scope",
        "The claims table reads 60 days (5.1) and 8 turns (4.2, 8.1) as steps of one path, "
        "the second further along, and both halve the stock time of their own baseline "
        "(the ratio check): as steps of a path they agree; only set side by side as one "
        "target would they differ.",
    ),
    INVENTORY_CHECKS["apparel"]: Reading(
        "different scope",
        "2.2's 120 days is the apparel industry's average; 7.3's 90 days starts the weekly "
        "targets of the plan's own apparel category, after the first phase (3.2, 7.1) "
        "takes stock from 120 to 90 days: not the same figure.",
    ),
    INVENTORY_CHECKS["leading"]: Reading(
        "different scope",
        "Shein (3.2) is one firm the plan cites as a model; 4.2's 'industry-leading level' "
        "speaks of the industry: a firm's record against an industry level.",
    ),
}
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


def _market(ctx: Context, settings: Mapping[str, Any]) -> pd.DataFrame:
    return market_checks(ctx.claims, ctx.tol.rate_pp, ctx.tol.level_pct)


def _challenges(ctx: Context, settings: Mapping[str, Any]) -> pd.DataFrame:
    return challenges_checks(ctx.claims, ctx.tol.rate_pp, ctx.tol.level_pct)


def _goals(ctx: Context, settings: Mapping[str, Any]) -> pd.DataFrame:
    return goals_checks(ctx.claims, ctx.tol.level_pct)


def _inventory(ctx: Context, settings: Mapping[str, Any]) -> pd.DataFrame:
    return inventory_checks(ctx.claims, settings["days_per_year"], ctx.tol.level_pct)


def _risk(ctx: Context, settings: Mapping[str, Any]) -> pd.DataFrame:
    return risk_checks(ctx.claims, ctx.tol.level_pct)


def _budget(ctx: Context, settings: Mapping[str, Any]) -> pd.DataFrame:
    return budget_checks(ctx.claims, settings["usd_cny_rate"], settings["three_year_reading"])


def _gmv(ctx: Context, settings: Mapping[str, Any]) -> pd.DataFrame:
    return gmv_checks(ctx.claims, ctx.tol.rate_pp, ctx.tol.level_pct)


CHECK_SPECS: tuple[CheckSpec, ...] = (
    CheckSpec(
        "market_checks",
        "Chapter 1's checks: the 2020-2023 CAGR against the cumulative "
        "growth, the 2023 market size in 1.1 and 1.2, online retail implied by live "
        "commerce, the category shares within 100%.",
        1,
        _market,
    ),
    CheckSpec(
        "challenges_checks",
        "Chapter 2's checks: acquisition spending implied by ROAS, the "
        "consent and repurchase rates of chapters 1-3, the leaders' response cycle against "
        "the 3.1 target.",
        2,
        _challenges,
    ),
    CheckSpec(
        "goals_checks",
        "Chapter 3's checks: the acquisition-cost target against its cut, "
        "the repurchase-rate rise against the cited case, lower-tier users against all "
        "users.",
        3,
        _goals,
    ),
    CheckSpec(
        "inventory_checks",
        "Chapter 4's checks: every inventory turnover figure, days against turns a year.",
        4,
        _inventory,
        INVENTORY_READINGS,
    ),
    CheckSpec(
        "risk_checks",
        "Chapter 5's checks: outages against the availability target, "
        "recovery times of 4.4 and 5.3, ROAS against acquisition cost, spoilage targets.",
        5,
        _risk,
        RISK_READINGS,
    ),
    CheckSpec(
        "budget_checks",
        "Chapter 6's checks: the budget split, plan 6.1's investments and "
        "training against the first-year lines, the three- and five-year money.",
        6,
        _budget,
        BUDGET_READINGS,
    ),
    CheckSpec(
        "gmv_checks",
        "Chapter 8's checks: the GMV promise both ways, its baseline, and "
        "the overseas, carbon and logistics figures it meets in other chapters.",
        8,
        _gmv,
        GMV_READINGS,
    ),
)
"""The chapters' own checks, run after :data:`~planbook.methods.audit.RULES` in this order."""

CHAPTER_OF_RULE: dict[str, int] = {spec.name: spec.chapter for spec in CHECK_SPECS}
"""The chapter whose page shows each chapter rule's check table."""


def chapter_rules(settings: Mapping[str, Any]) -> tuple[Rule, ...]:
    """The chapters' own checks as rules of the engine at ``settings`` (every name of
    :data:`SETTINGS`: :func:`planbook.engine.params.check_settings`)."""
    missing = [name for name in SETTINGS if name not in settings]
    if missing:
        raise InputError(
            f"check settings: {', '.join(missing)} missing; pass "
            "planbook.engine.params.check_settings(params)"
        )
    return tuple(spec.rule(settings) for spec in CHECK_SPECS)


def book_findings(
    claims: pd.DataFrame,
    sections: pd.DataFrame,
    tolerances: Tolerances | None = None,
    *,
    settings: Mapping[str, Any],
    rules: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """The book's one findings table: the audit's rules and the chapters' checks.

    ``tolerances`` default to the audit's; ``settings`` as in :func:`chapter_rules`;
    ``rules`` keeps only these rules (names of either kind; default all).
    """
    return run_audit(claims, sections, tolerances, rules=rules, extra=chapter_rules(settings))


def page_findings(
    claims: pd.DataFrame, sections: pd.DataFrame, params: Any, *, settings: Mapping[str, Any]
) -> pd.DataFrame:
    """:func:`book_findings` at a page's parameters: the tolerances they set
    (:func:`~planbook.methods.audit.tolerances_from`; the audit's when ``params`` is None)
    and ``settings`` (:func:`planbook.engine.params.check_settings` of the same params)."""
    tolerances = tolerances_from(params) if params is not None else None
    return book_findings(claims, sections, tolerances, settings=settings)


def page_counts(
    claims: pd.DataFrame, params: Any, rule: str, *, settings: Mapping[str, Any]
) -> dict[str, float]:
    """A chapter rule's counts in the one table at a page's parameters (as in
    :func:`page_findings`): what a chapter quotes as "n of its checks hold" (``findings``,
    ``holds``, ``verdict_*`` ...)."""
    return check_counts(page_findings(claims, load_sections(), params, settings=settings), rule)


def rule_slice(findings: pd.DataFrame, rule: str) -> pd.DataFrame:
    """The rows of the one table a rule found (merged rows included)."""
    return findings[has_rule(findings, rule)].reset_index(drop=True)


def check_counts(findings: pd.DataFrame, rule: str) -> dict[str, float]:
    """A chapter rule's counts in the one table (:func:`planbook.methods.audit.counts`)."""
    return counts(rule_slice(findings, rule))


def checks_as_read(name: str, checks: pd.DataFrame) -> pd.DataFrame:
    """A chapter's own check table as the one findings table reads it: a failing check
    the spec ``name`` reads as no contradiction shows that reading's verdict and reason,
    so the chapter's table and its slice of the findings never disagree."""
    spec = next((c for c in CHECK_SPECS if c.name == name), None)
    if spec is None:
        raise InputError(
            f"unknown chapter check {name!r}; use one of {', '.join(c.name for c in CHECK_SPECS)}"
        )
    return read_checks(checks, spec.readings)


__all__ = [
    "checks_as_read",
    "CHAPTER_OF_RULE",
    "CHECK_SPECS",
    "SETTINGS",
    "CheckSpec",
    "book_findings",
    "chapter_rules",
    "check_counts",
    "page_counts",
    "page_findings",
    "rule_slice",
]
