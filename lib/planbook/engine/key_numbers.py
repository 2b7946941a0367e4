"""The book's key numbers, collected from its executed chapters, and the checks that the
book never disagrees with itself.

Every chapter glues its numbers under names (:mod:`planbook.engine.glued` reads them
back). This module gathers the numeric ones of every chapter into one tidy table
(``name``, ``value``, ``unit``, ``chapter``) and holds two rules over it:

* **one name, one number**: a name glued in several chapters carries the same value in
  each (:func:`name_conflicts` lists the names that break this);
* **one fact, one number**: the same fact stated under different names in different
  chapters, as listed in ``data/book/same_facts.csv``, is equal (:func:`check_pairs`).

Units come from ``data/book/units.csv``: glob patterns over the glued names, the first
matching row wins (:func:`unit_of`); a name no pattern matches has no declared unit.
"""

from __future__ import annotations

import fnmatch
import math
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from planbook.data.book import SameFactRow, UnitRow, load_same_facts, load_units
from planbook.engine.glued import glued_values
from planbook.engine.registry import CHAPTERS

COLUMNS = ["name", "value", "unit", "chapter"]
"""Columns of the key-number table."""

REL_TOL = 1e-9
"""Two values of one fact agree when they differ by less than this, relative: the same
function called twice gives the same float, so only the last bits may differ."""


def is_number(value: object) -> bool:
    """Whether a glued value is a number (an int or a float; a flag is not)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def same_value(a: float, b: float, rel_tol: float = REL_TOL) -> bool:
    """Whether two glued numbers are one value (two NaN are; NaN and a number are not)."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=rel_tol, abs_tol=1e-12)


def unit_of(name: str, units: pd.DataFrame) -> str:
    """The unit of the first row of ``units`` whose ``pattern`` matches ``name``, else ``""``.

    Patterns are shell globs matched case-sensitively (``*_pct``, ``n_*``, ``tv_2023``).
    """
    for pattern, unit in zip(units["pattern"], units["unit"], strict=True):
        if fnmatch.fnmatchcase(name, pattern):
            return str(unit)
    return ""


def key_numbers(
    values: Mapping[str, Mapping[str, object]], units: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The numeric glued values of every chapter as one table.

    Parameters
    ----------
    values
        Chapter (slug) to its glued values (name to value), e.g. from :func:`chapter_values`.
    units
        The unit declarations (:func:`load_units`); without them every unit is ``""``.

    Returns
    -------
    pandas.DataFrame
        Columns ``name``, ``value`` (float), ``unit``, ``chapter``: one row per numeric
        value, chapters in the order given, names in the order glued.
    """
    rows = [
        {
            "name": name,
            "value": float(value),
            "unit": unit_of(name, units) if units is not None else "",
            "chapter": chapter,
        }
        for chapter, glued in values.items()
        for name, value in glued.items()
        if is_number(value)
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


def name_conflicts(table: pd.DataFrame, rel_tol: float = REL_TOL) -> pd.DataFrame:
    """Names glued with different values in different chapters.

    Returns
    -------
    pandas.DataFrame
        Columns ``name``, ``chapters`` (``"market=60; goals=71"``) and ``n_values``; no
        rows when every name means one number.
    """
    rows = []
    for name, group in table.groupby("name", sort=True):
        distinct: list[float] = []
        for v in group["value"]:
            if not any(same_value(v, d, rel_tol) for d in distinct):
                distinct.append(v)
        if len(distinct) > 1:
            shown = "; ".join(
                f"{c}={v:g}" for c, v in zip(group["chapter"], group["value"], strict=True)
            )
            rows.append({"name": name, "chapters": shown, "n_values": len(distinct)})
    return pd.DataFrame(rows, columns=["name", "chapters", "n_values"])


def lookup(table: pd.DataFrame) -> dict[tuple[str, str], float]:
    """The key-number table as a mapping (chapter, name) to value."""
    return {
        (c, n): v for c, n, v in zip(table["chapter"], table["name"], table["value"], strict=True)
    }


def check_pairs(table: pd.DataFrame, pairs: pd.DataFrame, rel_tol: float = REL_TOL) -> pd.DataFrame:
    """Each same-fact pair with its two values and a status.

    Parameters
    ----------
    table
        The key-number table (:func:`key_numbers`).
    pairs
        The same-fact list (:func:`load_same_facts`).

    Returns
    -------
    pandas.DataFrame
        ``pairs`` with ``value_a``, ``value_b`` and ``status``: ``equal``, ``differ``, or
        ``missing`` when a chapter did not glue the name as a number.
    """
    found = lookup(table)
    out = pairs.copy()
    keys_a = list(zip(pairs["chapter_a"], pairs["name_a"], strict=True))
    keys_b = list(zip(pairs["chapter_b"], pairs["name_b"], strict=True))
    a = [found.get(k, math.nan) for k in keys_a]
    b = [found.get(k, math.nan) for k in keys_b]
    status = [
        "missing"
        if ka not in found or kb not in found
        else ("equal" if same_value(va, vb, rel_tol) else "differ")
        for ka, kb, va, vb in zip(keys_a, keys_b, a, b, strict=True)
    ]
    out["value_a"], out["value_b"], out["status"] = a, b, status
    return out


def chapter_values(chapters_dir: Path) -> dict[str, dict[str, object]]:
    """The glued values of every executed chapter in ``chapters_dir``, by chapter slug.

    A notebook is named for its chapter as in the registry; one the registry does not
    know keeps its file name (without ``.ipynb``) as its chapter.
    """
    slugs = {c.notebook: c.slug for c in CHAPTERS}
    return {
        slugs.get(p.name, p.stem): glued_values(p) for p in sorted(chapters_dir.glob("*.ipynb"))
    }


def book_key_numbers(chapters_dir: Path, units: pd.DataFrame | None = None) -> pd.DataFrame:
    """:func:`key_numbers` of the executed chapters in ``chapters_dir`` with the declared units."""
    return key_numbers(chapter_values(chapters_dir), load_units() if units is None else units)


__all__ = [
    "COLUMNS",
    "REL_TOL",
    "SameFactRow",
    "UnitRow",
    "book_key_numbers",
    "chapter_values",
    "check_pairs",
    "is_number",
    "key_numbers",
    "load_same_facts",
    "load_units",
    "lookup",
    "name_conflicts",
    "same_value",
    "unit_of",
]
