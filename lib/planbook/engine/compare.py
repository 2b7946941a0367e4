"""Compare the glued numbers of every chapter under several scenarios.

``planbook compare baseline conservative aggressive`` executes (through the cache) every
chapter under each scenario, reads back every value the chapters glued into their
prose (:func:`planbook.engine.glued.glued_values`) and lines them up: one row per chapter and
glued key, one column per scenario, with a flag on the rows whose values differ.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from planbook.engine.registry import Chapter

Values = Mapping[str, Mapping[Chapter, Mapping[str, object]]]
"""scenario name -> chapter -> glued key -> value."""


def same(a: object, b: object, rel_tol: float = 1e-9) -> bool:
    """Whether two glued values are equal (numbers up to ``rel_tol``; NaN equals NaN)."""
    if a is None or b is None:
        return a is b
    numeric = (numbers.Real,)
    if isinstance(a, numeric) and isinstance(b, numeric) and not isinstance(a, bool | str):
        fa, fb = float(a), float(b)
        if math.isnan(fa) or math.isnan(fb):
            return math.isnan(fa) and math.isnan(fb)
        return math.isclose(fa, fb, rel_tol=rel_tol, abs_tol=1e-12)
    return a == b


def compare_table(values: Values) -> pd.DataFrame:
    """Line up every glued value under each scenario.

    Parameters
    ----------
    values
        For each scenario (in column order), each chapter's glued values.

    Returns
    -------
    pandas.DataFrame
        Columns ``chapter`` (number), ``name`` (slug), ``key``, one column per scenario
        (object dtype; None where a scenario's run did not glue that key) and
        ``differs`` (bool). Rows in chapter order, then in the order the keys were glued.
    """
    scenarios = list(values)
    chapters: dict[str, Chapter] = {}
    for per_chapter in values.values():
        for chapter in per_chapter:
            chapters.setdefault(chapter.slug, chapter)
    rows = []
    for chapter in sorted(chapters.values(), key=lambda c: c.number):
        keys: dict[str, None] = {}
        for name in scenarios:
            keys.update(dict.fromkeys(values[name].get(chapter, {})))
        for key in keys:
            row: dict[str, object] = {"chapter": chapter.number, "name": chapter.slug, "key": key}
            cells = [values[name].get(chapter, {}).get(key) for name in scenarios]
            row.update(zip(scenarios, cells, strict=True))
            row["differs"] = any(not same(cells[0], c) for c in cells[1:])
            rows.append(row)
    columns = ["chapter", "name", "key", *scenarios, "differs"]
    frame = pd.DataFrame(rows, columns=columns)
    for name in scenarios:
        frame[name] = frame[name].astype(object)
    frame["differs"] = frame["differs"].astype(bool)
    return frame


def shown(value: object, width: int = 40) -> str:
    """A glued value as a table cell: numbers to 6 significant digits, text on one line."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return f"{float(value):.6g}"
    text = " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def write_csv(table: pd.DataFrame, path: Path) -> Path:
    """Write the comparison as CSV (full values, ``differs`` as true/false)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    out = table.copy()
    out["differs"] = out["differs"].map({True: "true", False: "false"})
    out.to_csv(path, index=False, encoding="utf-8")
    return path


__all__ = ["compare_table", "same", "shown", "write_csv"]
