"""Row-level schema checks for the tidy CSV tables under ``data/``.

Every table has a pydantic model describing one row. :func:`read_table` reads a CSV,
validates each row against its model and returns a DataFrame, or raises
:class:`~planbook.errors.DataFileError` naming the file, the row and the column.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError

from planbook.errors import DataFileError
from planbook.paths import display_path

Row = TypeVar("Row", bound=BaseModel)


class TableRow(BaseModel):
    """Base model for a row of a data table: unknown columns are refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


def read_table(path: Path, model: type[Row]) -> pd.DataFrame:
    """Read a CSV file and validate every row against ``model``.

    Parameters
    ----------
    path
        The CSV file. Row numbers in errors count the header as line 1, as an editor does.
    model
        A :class:`TableRow` subclass; its fields are the required columns.

    Returns
    -------
    pandas.DataFrame
        One column per model field, in the model's order, with the validated values.

    Raises
    ------
    DataFileError
        When the file is missing, is not CSV, lacks a column, has an unknown column, or a
        row breaks the model.
    """
    name = display_path(path)
    if not path.is_file():
        raise DataFileError(f"{name}: file not found; restore it from git (git checkout -- {name})")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataFileError(f"{name}: not a readable CSV file ({first}); fix the file") from exc
    fields = list(model.model_fields)
    missing = [c for c in fields if c not in raw.columns]
    if missing:
        raise DataFileError(
            f"{name}: missing column {missing[0]!r}; the header must be {','.join(fields)}"
        )
    extra = [c for c in raw.columns if c not in fields]
    if extra:
        raise DataFileError(
            f"{name}: unknown column {extra[0]!r}; the header must be {','.join(fields)}"
        )
    rows = []
    for i, record in enumerate(raw.to_dict(orient="records")):
        cleaned = {k: (None if v == "" else v) for k, v in record.items()}
        try:
            rows.append(model.model_validate(cleaned))
        except ValidationError as exc:
            err = exc.errors()[0]
            column = ".".join(str(p) for p in err["loc"]) or "?"
            value = record.get(column, "")
            msg = str(err["msg"]).removeprefix("Value error, ")
            raise DataFileError(
                f"{name}: row {i + 2}, column {column!r}: {msg} (got {value!r})"
            ) from None
    frame = pd.DataFrame([r.model_dump() for r in rows], columns=fields)
    return frame


def check_unique(frame: pd.DataFrame, column: str, path: Path) -> None:
    """Raise :class:`DataFileError` if ``column`` has a repeated value."""
    dup = frame[column].duplicated(keep="first")
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        raise DataFileError(
            f"{display_path(path)}: row {i + 2}, column {column!r}: duplicate value "
            f"{frame[column].iloc[i]!r}; each {column} must be unique"
        )
