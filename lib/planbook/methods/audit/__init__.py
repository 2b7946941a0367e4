"""The audit: declarative consistency checks of the plan's arithmetic over the claims table.

Each rule of :data:`RULES` is a small function over the claims table that finds the
figures it needs by their metric, entity, period, kind and unit (never by claim id or by
value), recomputes what they imply with :mod:`planbook.methods.arithmetic`, and returns one
finding per comparison, the ones that hold as well as the ones that fail.
:func:`run_audit` runs them all into one table; :func:`chapter_findings` selects the rows
that touch one chapter; :func:`planbook.page.audit_view.findings_view` styles a selection
for a notebook page.

How figures are matched (the assumptions behind every pairing):

- **Scope.** Beyond metric and entity, each claim says what it measures (``scope``,
  ``scope_of`` in ``claims.csv``): the industry, the plan's firm, another company, or a
  segment, region, channel or service. Rules compare figures of one scope only; figures of
  one metric and different scope that would seem to disagree get the verdict
  ``different scope``. Targets marked as steps of one path (``path``, ``stage``) are judged
  as a path; a passage the plan tells twice (``passage``) is one finding.
- **Entities.** ``industry`` and ``plan`` describe the same market (the plan sets its
  targets against the industry's figures), so they match each other within a scope. A named company
  (``JD.com``, ``Shein``) matches only itself. A generic subject (``a platform``,
  ``a brand``: any entity starting with "a ") may be a different firm in each section, so
  it is compared only within a stated before/after pair.
- **Periods.** ``current`` is the plan's latest reported year (the latest single year of
  any ``actual`` claim, 2023). Target horizons become windows in months from the plan's
  start (:attr:`planbook.data.periods.Period.window`): ``3 years`` = months 0-36,
  ``year 2`` = months 12-24, ``years 5+`` = month 48 on, ``months 7-18`` = months 6-18.
  ``unspecified`` and recurring periods (``monthly``) have no window; nor have quarterly
  milestones (``Q2``), whose plan year the text does not state.
- **Ranges.** Two claims of one section with the same metric, entity, period, kind and
  unit are the two ends of a stated range ("3-5 categories") and are read as one figure.
- **Bounds.** "More than 8" is the interval above 8, and so on; two figures agree when
  their intervals meet.
- **Direction.** A target "is met" when the figure is at or beyond it in the direction
  the plan wants: the direction the plan itself states ("from 25% down to 15%") when a
  section pairs a baseline with a target; else lower is better for times, cycles, costs,
  losses, fees, rates of failure (:data:`LOWER_IS_BETTER`); else higher is better.
- **Names.** The plan calls the transaction volume of plan 1.2 "GMV" in plan 8.1;
  :data:`SAME_QUANTITY` maps such names onto one.

Verdicts (:data:`VERDICTS`): ``consistent`` (the recomputation rounds to the stated
figure), ``within rounding`` (only the inputs' rounding or an open bound reconciles them),
``within tolerance`` (apart by more than rounding, within the tolerance),
``inconsistent``, ``different scope``, ``unverifiable``. Severity (:func:`severity_of`)
grades each inconsistent finding by the size of the discrepancy relative to the stated
figure: below ``medium_pct`` (10%) low, below ``high_pct`` (25%) medium, else high.
Findings that hold have severity ``none``; structural gaps are graded by what is lost
(:data:`GAP_SEVERITY`). :func:`most_severe` is the book's one ranking of problems (the
audit appendix and chapter 10 both use it).

One engine: :func:`run_audit` runs :data:`RULES` and, through ``extra``, further specs of
the same kind; the chapters' own checks are such specs (:data:`CHECK_SPECS`, built with
the adapter of :mod:`~planbook.methods.audit.adapter`; :func:`book_findings` runs both),
so every check of the book lands in one findings table. A fact two rules find (the same
claims, the same two figures) is one row listing both rule names
(:func:`~planbook.methods.audit.engine.merge_duplicates`).

The package, one job a module: :mod:`~planbook.methods.audit.adapter` (a ``Check`` table
as findings), :mod:`~planbook.methods.audit.findings` (columns, verdicts,
severities, tolerances, counts), :mod:`~planbook.methods.audit.figures` (the claims as
figures, subjects, directions, rounding), the rules by family (``rules_growth``,
``rules_identities``, ``rules_agreement``, ``rules_targets``, ``rules_time``,
``rules_gaps``, ``rules_money``, ``rules_magnitude``, ``rules_passages``,
``rules_pledges``),
:mod:`~planbook.methods.audit.registry` (the rules in order) and
:mod:`~planbook.methods.audit.engine` (running them, selections, counts by chapter);
:mod:`~planbook.methods.audit.wording` writes numbers and names. The chapters' own checks
are one module a chapter (``checks_market``, ``checks_challenges``, ``checks_goals``,
``checks_implementation``, ``checks_risk``, ``checks_resources``, ``checks_benefits``),
registered as specs in :mod:`~planbook.methods.audit.specs` (:data:`CHECK_SPECS`, the one
findings table, a page's slice of it); no module here imports a chapter.
"""

from __future__ import annotations

from planbook.methods.audit.adapter import Reading, check_rule, findings_from_checks, read_checks
from planbook.methods.audit.engine import (
    RECOMPUTED_RULES,
    by_chapter,
    chapter_findings,
    first_rule,
    has_rule,
    merge_duplicates,
    most_severe,
    rule_counts,
    rules_of,
    run_audit,
)
from planbook.methods.audit.figures import LOWER_IS_BETTER, SAME_QUANTITY, direction, latest_year
from planbook.methods.audit.findings import (
    COLUMNS,
    GAP_SEVERITY,
    HOLDS,
    NOT_CHECKED,
    SEVERITIES,
    VERDICTS,
    Tolerances,
    at_least,
    check_severity,
    counts,
    findings_sentence,
    severity_of,
    tolerances_from,
    touches,
)
from planbook.methods.audit.registry import RULES, Rule, rules_table
from planbook.methods.audit.specs import (
    CHAPTER_OF_RULE,
    CHECK_SPECS,
    SETTINGS,
    CheckSpec,
    book_findings,
    chapter_rules,
    check_counts,
    checks_as_read,
    page_counts,
    page_findings,
    rule_slice,
)

__all__ = [
    "checks_as_read",
    "read_checks",
    "CHAPTER_OF_RULE",
    "CHECK_SPECS",
    "COLUMNS",
    "GAP_SEVERITY",
    "HOLDS",
    "LOWER_IS_BETTER",
    "NOT_CHECKED",
    "RECOMPUTED_RULES",
    "RULES",
    "Reading",
    "SAME_QUANTITY",
    "SETTINGS",
    "SEVERITIES",
    "CheckSpec",
    "Rule",
    "Tolerances",
    "VERDICTS",
    "at_least",
    "book_findings",
    "by_chapter",
    "chapter_findings",
    "chapter_rules",
    "check_counts",
    "check_rule",
    "check_severity",
    "counts",
    "findings_sentence",
    "direction",
    "findings_from_checks",
    "first_rule",
    "has_rule",
    "latest_year",
    "merge_duplicates",
    "most_severe",
    "page_counts",
    "page_findings",
    "rule_counts",
    "rule_slice",
    "rules_of",
    "rules_table",
    "run_audit",
    "severity_of",
    "tolerances_from",
    "touches",
]
