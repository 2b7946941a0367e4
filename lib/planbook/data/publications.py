"""The primary publication behind each official series: ``data/official/publications.csv``.

One row per series of the official tables (:data:`planbook.data.official.SERIES_TABLE`):
the body that publishes the statistic, the publication it appears in, the publisher's own
page, the bibliography entry of ``book/references.bib`` that cites it and a note. The
dates and the copies actually read are not typed here: they are computed from the official
tables (:mod:`planbook.chapters.data_sources.primary`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import Field

from planbook.data.official_models import SERIES_TABLE
from planbook.data.schema import TableRow, check_unique, line_of, read_table_lines
from planbook.errors import DataFileError
from planbook.paths import default_data_dir, display_path

if TYPE_CHECKING:
    import pandas as pd

SAME_PER_PUBLICATION = ("publisher_url", "reference")
"""Columns that must agree on every row of one (publisher, publication)."""


class PublicationRow(TableRow):
    """A row of ``data/official/publications.csv``: the primary publication of one series."""

    series: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    publisher: str = Field(min_length=3)
    publication: str = Field(min_length=10)
    publisher_url: str = Field(pattern=r"^https?://[^\s]+$")
    reference: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    note: str | None = None
    source: str = Field(min_length=3)


def load_publications(data_dir: Path | None = None) -> pd.DataFrame:
    """``data/official/publications.csv``, checked row by row and as a whole.

    Every series of the official tables has exactly one row and no other series is named;
    the rows of one publication agree on its page and its reference.

    Raises
    ------
    DataFileError
        Naming the file, the row and the column, and the fix.
    """
    path = Path(data_dir or default_data_dir()) / "official" / "publications.csv"
    table, lines = read_table_lines(path, PublicationRow)
    check_unique(table, "series", path, lines)
    unknown = table[~table["series"].isin(list(SERIES_TABLE))]
    if not unknown.empty:
        i = int(unknown.index[0])
        raise DataFileError(
            f"{display_path(path)}: row {line_of(lines, i)}, column 'series': "
            f"{unknown['series'].iloc[0]!r} is no series of the official tables; use one of "
            f"{', '.join(sorted(SERIES_TABLE))}"
        )
    missing = sorted(set(SERIES_TABLE) - set(table["series"]))
    if missing:
        raise DataFileError(
            f"{display_path(path)}: no row for series {', '.join(missing)}; add one row per "
            "series with its publisher and publication"
        )
    for column in SAME_PER_PUBLICATION:
        values = table.groupby(["publisher", "publication"])[column].nunique()
        if (values > 1).any():
            publisher, publication = values[values > 1].index[0]
            raise DataFileError(
                f"{display_path(path)}: column {column!r}: the rows of {publisher}'s "
                f"{publication!r} differ; give them one {column}"
            )
    table["note"] = table["note"].fillna("")
    return table


__all__ = ["SAME_PER_PUBLICATION", "PublicationRow", "load_publications"]
