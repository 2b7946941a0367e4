"""English labels and number formats for what the page shows (``data/book/labels.csv``).

A column header, a claim's metric, unit, kind or bound, an audit rule, a forecasting method,
an official series and a chapter's own terms (cost lines, risk events) reach the reader
under their English label; a value in one of the plan's units is shown in the book's unit
for that concept (hundred million yuan as billion yuan, ten thousand people as thousands or
millions) and written by the unit's format (percent with one decimal, money with thousands
separators, counts as integers, years without separators).
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from planbook.data.book import load_labels
from planbook.errors import InputError
from planbook.methods.forecast.official_data import SERIES
from planbook.paths import default_data_dir

SNAKE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)+$")
"""A name that needs a label: words joined by underscores (``ltv_to_cac``)."""

VALUE_COLUMNS = {
    "metric": "metric",
    "unit": "unit",
    "rule": "rule",
    "kind": "kind",
    "method": "method",
    "monthly_method": "method",
    "series": "series",
    "cost line": "term",
    "event": "term",
    "risk": "term",
    "evidence": "kind",
}
"""Columns whose cells are names of a kind in the label table (cell -> its label)."""


@dataclass(frozen=True)
class Unit:
    """How a value in one of the plan's units is shown."""

    label: str
    factor: float
    format: str


@functools.lru_cache(maxsize=4)
def _table(data_dir: str, stamp: float) -> dict[tuple[str, str], tuple[str, float, str]]:
    frame = load_labels(Path(data_dir))
    return {
        (k, n): (lab, 1.0 if f is None or pd.isna(f) else float(f), fmt or "")
        for k, n, lab, f, fmt in frame[["kind", "name", "label", "factor", "format"]].itertuples(
            index=False
        )
    }


def labels(data_dir: Path | None = None) -> dict[tuple[str, str], tuple[str, float, str]]:
    """The label table as ``(kind, name) -> (label, factor, format)`` (read once per file
    version)."""
    path = Path(data_dir or default_data_dir())
    csv = path / "book" / "labels.csv"
    return _table(str(path), csv.stat().st_mtime if csv.exists() else 0.0)


def label(kind: str, name: object, data_dir: Path | None = None) -> str:
    """The English label of ``name`` (a ``kind`` of the label table).

    A name in words (``value``, ``Year 1``) needs no row and is shown with a capital. A
    snake_case column header without a row is an error naming the row to add; any other
    snake_case name without one (a metric of a derived table) is shown in words.
    ``tests/test_labels.py`` holds every metric, unit, kind and rule of the data to a row.

    Raises
    ------
    InputError
        For a snake_case column header the label table does not have.
    """
    text = str(name)
    found = labels(data_dir).get((kind, text))
    if found is not None and found[0]:
        return found[0]
    if kind == "series" and text in SERIES:
        return SERIES[text].label
    if found is not None or not SNAKE.match(text) or kind != "column":
        return text[:1].upper() + text[1:] if kind == "column" else text.replace("_", " ")
    raise InputError(
        f"{kind} {text!r} has no English label; add a row '{kind},{text},<label>,,,"
        f"<description>' to data/book/labels.csv"
    )


def column_factor(name: object, data_dir: Path | None = None) -> float:
    """What a column's values are multiplied by to be in the unit its label names."""
    found = labels(data_dir).get(("column", str(name)))
    return found[1] if found is not None else 1.0


def unit(name: object, data_dir: Path | None = None) -> Unit:
    """How a value in the plan's unit ``name`` is shown (label, factor, format)."""
    text = str(name)
    found = labels(data_dir).get(("unit", text))
    if found is None:
        label("unit", text, data_dir)  # raises for a snake_case unit
        return Unit(text, 1.0, "number")
    return Unit(*found)


def number(value: float, decimals: int = 2) -> str:
    """A number with thousands separators and at most ``decimals`` decimals (trailing
    zeros dropped); integers without decimals."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    text = f"{value:,.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def in_unit(value: object, unit_name: object, data_dir: Path | None = None) -> tuple[str, str]:
    """``value`` in the plan's ``unit_name`` as the page writes it: ``(text, unit label)``.

    >>> in_unit(15, "100m_yuan")
    ('1.5', 'billion yuan')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "", ""
    if not isinstance(value, int | float):
        return str(value), str(unit_name)
    shown = unit(unit_name, data_dir)
    x = float(value) * shown.factor
    if shown.format == "percent":
        return f"{x:,.1f}", shown.label
    if shown.format == "year":
        return f"{x:.0f}", shown.label
    if shown.format == "count":
        return number(x, 1), shown.label
    if shown.format == "scaled_count":
        for size, word in ((1e9, "billion"), (1e6, "million"), (1e3, "thousand")):
            if abs(x) >= size:
                return number(x / size, 2), word
        return number(x, 0), shown.label
    return number(x, 2), shown.label


__all__ = ["SNAKE", "Unit", "column_factor", "in_unit", "label", "labels", "number", "unit"]
