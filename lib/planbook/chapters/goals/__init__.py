"""Chapter 3 (goals and strategy): every target with its baseline, horizon and required rate.

:mod:`.targets` reads each target with its baseline and the rate it asks for,
:mod:`.same_metric` sets the targets of other chapters for the same metric beside them,
:mod:`.saturation` puts the lower-tier user target against a ceiling, :mod:`.economics`
values the 12-month targets with chapter 2's customer-economics model (the checks of the
arithmetic are the audit's spec :mod:`planbook.methods.audit.checks_goals`), and
:mod:`.result` gathers what the page shows, by name (:func:`compute`,
:func:`against_data`).
"""

from planbook.chapters.goals.economics import (
    CASES,
    economics_now,
    economics_under_targets,
)
from planbook.chapters.goals.result import (
    AMOUNTS,
    CHECKS,
    LOW_P,
    TARGET_COLUMNS,
    AgainstData,
    GoalsResult,
    against_data,
    compute,
    families_text,
    headline,
)
from planbook.chapters.goals.same_metric import (
    SAME_LEVEL_TOLERANCE_PCT,
    UNIT_WORDS,
    VERDICTS,
    conflict_summary,
    same_metric_targets,
    side_by_side,
)
from planbook.chapters.goals.saturation import NEAR_CEILING, lower_tier_saturation, user_ceiling
from planbook.chapters.goals.targets import (
    AMOUNT_UNITS,
    CHANGE_SUFFIXES,
    GROWTH_SUFFIX,
    RECURRING,
    find_baseline,
    horizon_years,
    targets_table,
)
from planbook.methods.audit.checks_goals import goals_checks as internal_checks
from planbook.methods.audit.checks_goals import implied_total_users

__all__ = [
    "AMOUNTS",
    "AMOUNT_UNITS",
    "CASES",
    "CHANGE_SUFFIXES",
    "CHECKS",
    "GROWTH_SUFFIX",
    "LOW_P",
    "NEAR_CEILING",
    "RECURRING",
    "SAME_LEVEL_TOLERANCE_PCT",
    "TARGET_COLUMNS",
    "UNIT_WORDS",
    "VERDICTS",
    "AgainstData",
    "GoalsResult",
    "against_data",
    "compute",
    "conflict_summary",
    "economics_now",
    "economics_under_targets",
    "families_text",
    "find_baseline",
    "headline",
    "horizon_years",
    "implied_total_users",
    "internal_checks",
    "lower_tier_saturation",
    "same_metric_targets",
    "side_by_side",
    "targets_table",
    "user_ceiling",
]
