"""Chapter 8 (expected effects and value): the plan's promises, checked and valued.

- :mod:`~planbook.chapters.benefits.growth`: the GMV promise of plan 8.1, stated twice (a
  growth rate and an end value), set against each other and against a forecast of the
  official transaction volume;
- :mod:`~planbook.chapters.benefits.value`: the efficiency and cost promises turned into
  money on an explicit base, with the shared benefit stream of
  :mod:`planbook.methods.models.benefit_stream`, their sensitivity and the scenarios;
- :mod:`~planbook.chapters.benefits.social`: the social and environmental promises (plan
  8.2, 8.3) with the annual rates they imply;
- :mod:`~planbook.chapters.benefits.result`: the page's numbers and tables by name
  (:func:`compute`) and the chapter's key numbers (:func:`headline`).
"""

from planbook.chapters.benefits.growth import (
    GmvPromise,
    Outlook,
    base_year,
    gmv_checks,
    gmv_outlook,
    gmv_paths,
    gmv_promise,
    official_transaction_volume,
    period_years,
)
from planbook.chapters.benefits.result import (
    AMOUNTS,
    BenefitsResult,
    Checks,
    Growth,
    Money,
    Promises,
    Scenarios,
    Sensitivity,
    Social,
    compute,
    headline,
    parameter_words,
)
from planbook.chapters.benefits.social import SOCIAL, social_ratios, social_table
from planbook.chapters.benefits.value import (
    MONEY_ROWS,
    NOT_MONETISED,
    headline_benefit,
    money_table,
    not_monetised,
    scenario_comparison,
    tornado_table,
)

__all__ = [
    "AMOUNTS",
    "MONEY_ROWS",
    "NOT_MONETISED",
    "SOCIAL",
    "BenefitsResult",
    "Checks",
    "GmvPromise",
    "Growth",
    "Money",
    "Outlook",
    "Promises",
    "Scenarios",
    "Sensitivity",
    "Social",
    "base_year",
    "compute",
    "gmv_checks",
    "gmv_outlook",
    "gmv_paths",
    "gmv_promise",
    "headline",
    "headline_benefit",
    "money_table",
    "not_monetised",
    "official_transaction_volume",
    "parameter_words",
    "period_years",
    "scenario_comparison",
    "social_ratios",
    "social_table",
    "tornado_table",
]
