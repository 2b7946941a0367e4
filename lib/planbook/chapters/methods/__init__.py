"""Appendix, methods: the forecasting methods, their honest evaluation, and how claims were
checked.

:mod:`.result` holds what the page shows (:func:`compute`) and its key numbers
(:func:`headline`); :mod:`.helpers` the small views of the series, the claims schema and
the audit's rules; :mod:`.monthly_view` the monthly section.
"""

from planbook.chapters.methods.helpers import (
    EXAMPLE_SERIES,
    GAP_YEAR,
    claims_schema,
    final_gaps,
    growth_by_series,
    growth_words,
    rules_listing,
    series_inventory,
    slowed,
)
from planbook.chapters.methods.monthly_view import (
    MONTHLY_SERIES,
    RUN_NEEDED,
    YTD_SERIES,
    monthly_evaluation,
    ytd_table,
)
from planbook.chapters.methods.result import (
    MethodsAppendix,
    compute,
    evaluate,
    headline,
    seasonal_methods_table,
)

__all__ = [
    "EXAMPLE_SERIES",
    "GAP_YEAR",
    "MONTHLY_SERIES",
    "RUN_NEEDED",
    "YTD_SERIES",
    "MethodsAppendix",
    "claims_schema",
    "compute",
    "evaluate",
    "final_gaps",
    "growth_by_series",
    "growth_words",
    "headline",
    "monthly_evaluation",
    "rules_listing",
    "seasonal_methods_table",
    "series_inventory",
    "slowed",
    "ytd_table",
]
