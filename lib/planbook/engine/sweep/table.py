"""The sweep's one tidy table: a row per point and glued number, written as CSV or Parquet.

Columns: ``point``, one column per swept parameter, ``number`` (the glued name),
``value`` (its numeric value; empty for text), ``text`` (its text form), ``status``
(``ok`` or ``failed``) and ``error`` (the one-line failure). A failed point has one row,
with no number.
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from planbook.errors import InputError, quoted

OK = "ok"
FAILED = "failed"
COLUMNS = ("number", "value", "text", "status", "error")
"""The table's columns after ``point`` and the swept parameters."""

FORMATS = {".csv": "CSV", ".parquet": "Parquet"}
"""The table's file formats, by file extension."""


@dataclass(frozen=True)
class PointResult:
    """One point's outcome: ``status`` ok (with its glued ``values``) or failed (``error``)."""

    status: str
    values: Mapping[str, object] = field(default_factory=dict)
    error: str = ""


def numeric(value: object) -> float:
    """A glued value as a number: numbers and flags as floats, anything else NaN."""
    return float(value) if isinstance(value, numbers.Real) else math.nan


def text_form(value: object) -> str:
    """A glued value as text: numbers as Python writes them (``0.9``, ``12``), text as is."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def tidy_table(points: pd.DataFrame, results: Mapping[int, PointResult]) -> pd.DataFrame:
    """One row per point and glued number (a failed point: one row without a number).

    Parameters
    ----------
    points
        The sweep's points: ``point`` and one column per swept parameter.
    results
        Each point's outcome, by point id; a point without one is left out.
    """
    swept = [c for c in points.columns if c != "point"]
    clash = sorted(set(swept) & {"point", *COLUMNS})
    if clash:
        raise ValueError(f"parameter names clash with the table's columns: {clash}")
    rows: list[dict[str, object]] = []
    for record in points.to_dict(orient="records"):
        result = results.get(int(record["point"]))
        if result is None:
            continue
        base = {"point": int(record["point"]), **{n: record[n] for n in swept}}
        if result.status != OK or not result.values:
            rows.append(
                {
                    **base,
                    "number": "",
                    "value": math.nan,
                    "text": "",
                    "status": result.status,
                    "error": result.error,
                }
            )
            continue
        for name, value in result.values.items():
            rows.append(
                {
                    **base,
                    "number": name,
                    "value": numeric(value),
                    "text": text_form(value),
                    "status": OK,
                    "error": "",
                }
            )
    table = pd.DataFrame(rows, columns=["point", *swept, *COLUMNS])
    table["value"] = table["value"].astype(float)
    return table


def failed_points(table: pd.DataFrame) -> pd.DataFrame:
    """The failed points of a tidy table: ``point`` and ``error``, one row each."""
    failed = table[table["status"] == FAILED]
    return failed[["point", "error"]].drop_duplicates("point").reset_index(drop=True)


def check_out_path(path: Path, flag: str = "--out") -> None:
    """Refuse, before any kernel, a table path the sweep could not write.

    The extension chooses the format (:data:`FORMATS`); the folder must exist (or be
    creatable below an existing one) and be writable.
    """
    if path.suffix.lower() not in FORMATS:
        raise InputError(
            f"{flag} {quoted(str(path), 80)}: cannot write a {path.suffix or 'no'} extension; "
            f"name a file ending in {' or '.join(FORMATS)}"
        )
    if path.is_dir():
        raise InputError(f"{flag} {quoted(str(path), 80)} is a folder; name a file in it")
    folder = path.parent if str(path.parent) else Path(".")
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir() or not os.access(probe, os.W_OK | os.X_OK):
        raise InputError(
            f"{flag} {quoted(str(path), 80)}: cannot write a file there; use a path in a "
            "writable folder"
        )


def write_table(table: pd.DataFrame, path: Path) -> None:
    """Write ``table`` to ``path`` as CSV or Parquet (by extension), atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        if path.suffix.lower() == ".parquet":
            table.to_parquet(tmp, index=False)
        else:
            table.to_csv(tmp, index=False)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def read_table(path: Path) -> pd.DataFrame:
    """Read a table :func:`write_table` wrote."""
    if path.suffix.lower() == ".parquet":
        return pd.read_parquet(path)
    return pd.read_csv(path, keep_default_na=False, na_values=[""])


def summary_counts(table: pd.DataFrame) -> dict[str, int]:
    """Points in all, ok and failed, and glued numbers per ok point (the most any had)."""
    by_point = table.drop_duplicates("point")
    ok = table[table["status"] == OK]
    numbers_per_point = ok.groupby("point")["number"].nunique()
    return {
        "points": int(len(by_point)),
        "ok": int((by_point["status"] == OK).sum()),
        "failed": int((by_point["status"] == FAILED).sum()),
        "numbers": int(numbers_per_point.max()) if len(numbers_per_point) else 0,
    }


__all__ = [
    "COLUMNS",
    "FAILED",
    "FORMATS",
    "OK",
    "PointResult",
    "check_out_path",
    "failed_points",
    "numeric",
    "read_table",
    "summary_counts",
    "text_form",
    "tidy_table",
    "write_table",
]
