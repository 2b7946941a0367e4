"""The book's own tables: ``data/book/units.csv`` (the unit of each glued name, by glob
pattern), ``data/book/same_facts.csv`` (pairs of glued numbers that state one fact) and
``data/book/method_terms.csv`` (the methods' terms the pages use, for the glossary) and
``data/book/labels.csv`` (the English label of every metric, unit and column). See
``data/book/README.md``; the coherence rules that use the first two are
:mod:`planbook.engine.key_numbers`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import Field

from planbook.data.schema import TableRow, check_unique, line_of, read_table_lines
from planbook.errors import DataFileError
from planbook.paths import default_data_dir, display_path

if TYPE_CHECKING:
    import pandas as pd

SLUG_RE = r"^[a-z][a-z0-9_]*$"
NAME_RE = r"^[A-Za-z_][A-Za-z0-9_]*$"


class UnitRow(TableRow):
    """A row of ``data/book/units.csv``: the unit of every glued name ``pattern`` matches."""

    pattern: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_*?\[\]-]+$")
    unit: str = Field(pattern=r"^[a-z0-9_]+$")
    description: str = Field(min_length=3)


class SameFactRow(TableRow):
    """A row of ``data/book/same_facts.csv``: one fact glued under two names."""

    fact: str = Field(min_length=3)
    chapter_a: str = Field(pattern=SLUG_RE)
    name_a: str = Field(pattern=NAME_RE)
    chapter_b: str = Field(pattern=SLUG_RE)
    name_b: str = Field(pattern=NAME_RE)
    note: str = Field(min_length=3)


class MethodTermRow(TableRow):
    """A row of ``data/book/method_terms.csv``: a term of the book's methods."""

    term: str = Field(min_length=2)
    abbreviation: str | None = Field(default=None, pattern=r"^[A-Za-z]{2,6}$")
    definition: str = Field(min_length=20)
    appears_as: str = Field(min_length=2)
    chapters: str = Field(pattern=r"^\d{1,2}(; \d{1,2})*$")
    reference: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    source: str = Field(min_length=3)


LABEL_KINDS = ("metric", "unit", "column", "rule", "kind", "bound", "method", "series", "term")
"""What ``data/book/labels.csv`` labels: a claim's metric, unit, kind or bound, a column
header, an audit rule, a forecasting method, an official series (those the forecasting
library does not name), a term of a chapter's own lists (cost lines, risk events)."""

UNIT_FORMATS = ("percent", "money", "count", "scaled_count", "year", "number", "")
"""How a value in a unit is written (:mod:`planbook.page.labels`)."""


class LabelRow(TableRow):
    """A row of ``data/book/labels.csv``: the English label of one name the pages show."""

    kind: str = Field(pattern="^(" + "|".join(LABEL_KINDS) + ")$")
    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_ ]+$")
    label: str | None = None
    factor: float | None = Field(default=None, gt=0)
    format: str | None = Field(default=None, pattern="^(" + "|".join(UNIT_FORMATS) + ")$")
    description: str = Field(min_length=3)


def _book(data_dir: Path | None) -> Path:
    return Path(data_dir or default_data_dir()) / "book"


def load_units(data_dir: Path | None = None) -> pd.DataFrame:
    """``data/book/units.csv`` (pattern, unit, description), checked row by row."""
    path = _book(data_dir) / "units.csv"
    table, lines = read_table_lines(path, UnitRow)
    check_unique(table, "pattern", path, lines)
    return table


def load_same_facts(data_dir: Path | None = None) -> pd.DataFrame:
    """``data/book/same_facts.csv`` (fact, chapter_a, name_a, chapter_b, name_b, note)."""
    path = _book(data_dir) / "same_facts.csv"
    table, lines = read_table_lines(path, SameFactRow)
    pair = table["chapter_a"] + "." + table["name_a"] + " = "
    pair = pair + table["chapter_b"] + "." + table["name_b"]
    check_unique(pair.to_frame("pair"), "pair", path, lines)
    return table


def load_method_terms(data_dir: Path | None = None) -> pd.DataFrame:
    """``data/book/method_terms.csv`` (term, abbreviation, definition, appears_as, chapters,
    reference, source), checked row by row; no term twice."""
    path = _book(data_dir) / "method_terms.csv"
    table, lines = read_table_lines(path, MethodTermRow)
    check_unique(table, "term", path, lines)
    return table


def load_labels(data_dir: Path | None = None) -> pd.DataFrame:
    """``data/book/labels.csv`` (kind, name, label, factor, format, description), checked
    row by row; no (kind, name) twice, and every unit row has a format."""
    path = _book(data_dir) / "labels.csv"
    table, lines = read_table_lines(path, LabelRow)
    key = (table["kind"] + ":" + table["name"]).to_frame("kind:name")
    check_unique(key, "kind:name", path, lines)
    units = table[table["kind"] == "unit"]
    missing = units[units["format"].isna()]
    if not missing.empty:
        row = int(missing.index[0])
        raise DataFileError(
            f"{display_path(path)}: row {line_of(lines, row)}, column 'format': unit "
            f"{missing['name'].iloc[0]!r} has no format; give one of {', '.join(UNIT_FORMATS[:-1])}"
        )
    table["label"] = table["label"].fillna("")
    return table


__all__ = [
    "LABEL_KINDS",
    "UNIT_FORMATS",
    "LabelRow",
    "MethodTermRow",
    "SameFactRow",
    "UnitRow",
    "load_labels",
    "load_method_terms",
    "load_same_facts",
    "load_units",
]
