"""Chapter 2 (core problems and challenges): gaps to benchmarks, trends, and customer economics.

:mod:`.gaps` sets each problem the plan measures against the benchmark it names,
:mod:`.trends` turns its trend figures into annual rates (the checks of its arithmetic are
the audit's spec :mod:`planbook.methods.audit.checks_challenges`),
:mod:`.economics` runs the customer-economics model
(:mod:`planbook.methods.models.customer_economics`) at the plan's inputs, and
:mod:`.result` gathers what the page shows, by name (:func:`compute`).
"""

from planbook.chapters.challenges.economics import (
    MARGIN_CASES,
    economics,
    margin_what_if,
    repurchase_curve,
)
from planbook.chapters.challenges.gaps import (
    GAPS,
    THEMES,
    GapSpec,
    SeverityMeasure,
    gap_table,
    ranked_gaps,
    severity,
    theme_counts,
    unbenchmarked,
)
from planbook.chapters.challenges.result import (
    CHECKS,
    INDEX_LINES,
    TRENDS,
    ChallengesResult,
    compute,
    customer_sentence,
    headline,
    ltv_curves,
    trend_index,
)
from planbook.chapters.challenges.trends import cac_earlier_years_rate, trend_rates
from planbook.methods.audit.checks_challenges import challenges_checks as internal_checks
from planbook.methods.models import customer_economics as CE

__all__ = [
    "CE",
    "CHECKS",
    "GAPS",
    "INDEX_LINES",
    "MARGIN_CASES",
    "THEMES",
    "TRENDS",
    "ChallengesResult",
    "GapSpec",
    "SeverityMeasure",
    "cac_earlier_years_rate",
    "compute",
    "customer_sentence",
    "economics",
    "gap_table",
    "headline",
    "internal_checks",
    "ltv_curves",
    "margin_what_if",
    "ranked_gaps",
    "repurchase_curve",
    "severity",
    "theme_counts",
    "trend_index",
    "trend_rates",
    "unbenchmarked",
]
