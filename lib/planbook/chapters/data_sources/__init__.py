"""The book's data sources: every table under ``data/``, its schema, its provenance.

Computations for the "Data sources" appendix. :mod:`.tables` walks ``data/`` and lists
every CSV file with its loader and schema, :mod:`.provenance` reads back from the official
tables where each figure comes from and why it was preferred, and :mod:`.result` gathers
what the page shows, by name (:func:`compute`); :mod:`.primary` lists the primary
publications with their dates and the "data as of" stamp.
"""

from planbook.chapters.data_sources.primary import (
    AsOf,
    data_as_of,
    primary_sources,
    series_labels,
)
from planbook.chapters.data_sources.provenance import (
    AGREEMENTS,
    SELECTION_REASONS,
    agreement,
    alternatives,
    decimals,
    flagged_preferred,
    official_rows,
    official_summary,
    quality_by_series,
    reason_counts,
    replaced_sources,
    selection_reason,
    source_counts,
    source_name,
    status_by_year,
    weak_single,
)
from planbook.chapters.data_sources.result import (
    CUT_AT,
    DataSources,
    claims_coverage,
    compute,
    headline,
    sections_without_claims,
    vintages,
)
from planbook.chapters.data_sources.tables import (
    RAW_NOTE,
    Loader,
    csv_files,
    inventory,
    load_all,
    load_table,
    loaders,
    official_models,
    relative,
    schema_table,
)

__all__ = [
    "AGREEMENTS",
    "AsOf",
    "data_as_of",
    "primary_sources",
    "series_labels",
    "CUT_AT",
    "RAW_NOTE",
    "SELECTION_REASONS",
    "DataSources",
    "Loader",
    "agreement",
    "alternatives",
    "claims_coverage",
    "compute",
    "csv_files",
    "decimals",
    "flagged_preferred",
    "headline",
    "inventory",
    "load_all",
    "load_table",
    "loaders",
    "official_models",
    "official_rows",
    "official_summary",
    "quality_by_series",
    "reason_counts",
    "replaced_sources",
    "relative",
    "schema_table",
    "selection_reason",
    "sections_without_claims",
    "source_counts",
    "source_name",
    "status_by_year",
    "vintages",
    "weak_single",
]
