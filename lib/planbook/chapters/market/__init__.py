"""Chapter 1 (market background): the plan's market figures, their checks, and official data.

:mod:`.figures` holds the plan's figures and their comparison with official statistics
(their checks against each other are the audit's spec
:mod:`planbook.methods.audit.checks_market`), :mod:`.outlook` the forecasts of the
official series, and :mod:`.result` what the page shows, by name (:func:`compute`).
"""

from planbook.chapters.market.figures import (
    FIGURES,
    SHARE_SHIFTS,
    headline_sizes,
    official_comparison,
    official_tables,
    plan_path,
    share_shifts,
)
from planbook.chapters.market.outlook import Outlook, outlook
from planbook.chapters.market.result import (
    AMOUNTS,
    CLAIM_COLUMNS,
    MarketResult,
    compute,
    headline,
    key_figures,
)
from planbook.data.plan import CATEGORIES
from planbook.methods.audit.checks_market import (
    OTHER_CATEGORIES,
    YEARS_2020_2023,
    category_mix,
)
from planbook.methods.audit.checks_market import market_checks as internal_checks

__all__ = [
    "AMOUNTS",
    "CATEGORIES",
    "CLAIM_COLUMNS",
    "FIGURES",
    "OTHER_CATEGORIES",
    "SHARE_SHIFTS",
    "YEARS_2020_2023",
    "MarketResult",
    "Outlook",
    "category_mix",
    "compute",
    "headline",
    "key_figures",
    "headline_sizes",
    "internal_checks",
    "official_comparison",
    "official_tables",
    "outlook",
    "plan_path",
    "share_shifts",
]
