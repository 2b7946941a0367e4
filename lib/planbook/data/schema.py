"""Row-level schema checks for the tidy CSV tables under ``data/``.

Every table has a pydantic model describing one row. :func:`read_table` reads a CSV,
validates each row against its model and returns a DataFrame, or raises
:class:`~planbook.errors.DataFileError` naming the file, the row and the column;
:func:`read_rows` does the same without pandas and returns the validated rows.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from planbook.errors import DataFileError
from planbook.paths import display_path

if TYPE_CHECKING:
    import pandas as pd

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
    import pandas as pd

    name = display_path(path)
    _check_exists(path, name)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataFileError(f"{name}: not a readable CSV file ({first}); fix the file") from exc
    fields = list(model.model_fields)
    _check_header(name, list(raw.columns), fields)
    rows = _validate_rows(name, raw.to_dict(orient="records"), model)
    frame = pd.DataFrame([r.model_dump() for r in rows], columns=fields)
    return frame


def read_rows(path: Path, model: type[Row]) -> list[Row]:
    """Read a small CSV file into validated rows without pandas.

    The same checks and messages as :func:`read_table`, for a table that must be read
    where pandas is not loaded (the engine builds a parameter schema from one).

    Raises
    ------
    DataFileError
        As :func:`read_table`; also when a row has more or fewer fields than the header.
    """
    name = display_path(path)
    _check_exists(path, name)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            lines = [line for line in csv.reader(handle) if line]
    except (csv.Error, UnicodeDecodeError) as exc:
        raise DataFileError(f"{name}: not a readable CSV file ({exc}); fix the file") from exc
    if not lines:
        raise DataFileError(f"{name}: not a readable CSV file (no header); fix the file")
    header, body = lines[0], lines[1:]
    _check_header(name, header, list(model.model_fields))
    for i, line in enumerate(body):
        if len(line) != len(header):
            raise DataFileError(
                f"{name}: row {i + 2}: {len(line)} fields, the header has {len(header)}; "
                "fix the file"
            )
    return _validate_rows(name, [dict(zip(header, line, strict=True)) for line in body], model)


def _check_exists(path: Path, name: str) -> None:
    if not path.is_file():
        raise DataFileError(f"{name}: file not found; restore it from git (git checkout -- {name})")


def _check_header(name: str, columns: list[str], fields: list[str]) -> None:
    """Raise :class:`DataFileError` for a missing or an unknown column."""
    missing = [c for c in fields if c not in columns]
    if missing:
        raise DataFileError(
            f"{name}: missing column {missing[0]!r}; the header must be {','.join(fields)}"
        )
    extra = [c for c in columns if c not in fields]
    if extra:
        raise DataFileError(
            f"{name}: unknown column {extra[0]!r}; the header must be {','.join(fields)}"
        )


def _validate_rows(name: str, records: Iterable[dict[str, str]], model: type[Row]) -> list[Row]:
    """Validate text records against ``model`` (empty cells are missing values)."""
    rows = []
    for i, record in enumerate(records):
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
    return rows


def check_unique(frame: pd.DataFrame, column: str, path: Path) -> None:
    """Raise :class:`DataFileError` if ``column`` has a repeated value."""
    dup = frame[column].duplicated(keep="first")
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        raise DataFileError(
            f"{display_path(path)}: row {i + 2}, column {column!r}: duplicate value "
            f"{frame[column].iloc[i]!r}; each {column} must be unique"
        )
