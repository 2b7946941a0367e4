"""Row-level schema checks for the tidy CSV tables under ``data/``.

Every table has a pydantic model describing one row. :func:`read_table` reads a CSV,
validates each row against its model and returns a DataFrame, or raises
:class:`~planbook.errors.DataFileError` naming the file, the row and the column;
:func:`read_rows` does the same without pandas and returns the validated rows.

Both read the file the same strict way (:func:`read_records`): UTF-8 (a byte-order mark
and CRLF line ends are accepted), no control characters, a header without repeats, the
same number of fields in every row, and at least one row below the header. Numbers are
written plainly: :data:`Number` (finite, ``.`` as decimal point, no thousands separator,
unit or ``%`` sign), :data:`Integer` and :data:`Flag` (``true``/``false``). Rows are
named by their line in the file (the header is line 1), as an editor shows them.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError

from planbook.errors import DataFileError, quoted
from planbook.paths import display_path

if TYPE_CHECKING:
    import pandas as pd

Row = TypeVar("Row", bound=BaseModel)

_NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")
_INTEGER_RE = re.compile(r"[+-]?[0-9]{1,15}")
_NOT_FINITE = {"nan", "inf", "infinity"}
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PLAIN = "write plain digits with '.' as the decimal point (no thousands separator, unit or %)"


class CellError(ValueError):
    """A row-level check's failure that belongs to one column (model validators raise it
    so that the message names that column rather than the whole row)."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def _number(value: Any) -> float:
    """A finite float from a cell: plain decimal notation only (see :data:`Number`)."""
    if value is None:
        raise ValueError("empty; a number is required")
    if isinstance(value, str):
        text = value.strip()
        if text.lower().lstrip("+-") in _NOT_FINITE:
            raise ValueError(f"{text} is not allowed; a finite number is required")
        if not _NUMBER_RE.fullmatch(text):
            raise ValueError(f"not a number; {_PLAIN}")
        value = float(text)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"not a number; {_PLAIN}")
    if not math.isfinite(value):
        raise ValueError("not a finite number (too large, nan or inf)")
    return float(value) + 0.0  # -0 reads as 0


def _integer(value: Any) -> int:
    """A whole number from a cell: optional sign and ASCII digits only."""
    if value is None:
        raise ValueError("empty; a whole number is required")
    if isinstance(value, str):
        if not _INTEGER_RE.fullmatch(value.strip()):
            raise ValueError("not a whole number; write digits only")
        return int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("not a whole number; write digits only")
    return value


def _flag(value: Any) -> bool:
    """``true`` or ``false`` (any case) from a cell; nothing else is a flag."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ValueError("empty; write true or false" if value is None else "write true or false")


Number = Annotated[float, BeforeValidator(_number)]
"""A finite number written plainly: ``12``, ``-3.5``, ``0.24``, ``1e3``; not ``nan``,
``inf``, ``1e309``, ``1,000``, ``12%``, ``1_000`` or an empty cell."""
Integer = Annotated[int, BeforeValidator(_integer)]
"""A whole number written plainly: ``2023``, ``-1``; not ``2023.0``, ``true`` or empty."""
Flag = Annotated[bool, BeforeValidator(_flag)]
"""``true`` or ``false``; not ``yes``, ``1`` or empty."""


class TableRow(BaseModel):
    """Base model for a row of a data table: unknown columns are refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Rows(list[Row]):
    """Validated rows, with ``lines``: the line of each row in its file (header = 1)."""

    lines: list[int]


def read_records(
    path: Path, columns: list[str] | None = None
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header and the data rows of a CSV file, each row with its line number.

    ``columns``, when given, are the columns the header must have (no more, no fewer);
    they are checked before any row.

    Raises
    ------
    DataFileError
        When the file is missing or unreadable, not UTF-8, holds a control character,
        has no header or a repeated column name, a row with more or fewer fields than the
        header, or no row below the header; the message names the file and the line.
    """
    name = display_path(path)
    if not path.is_file():
        raise DataFileError(f"{name}: file not found; restore it from git (git checkout -- {name})")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataFileError(f"{name}: cannot read the file ({exc.strerror}); fix it") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DataFileError(
            f"{name}: row {line}: byte 0x{data[exc.start]:02x} is not UTF-8 text; "
            "save the file as UTF-8"
        ) from None
    text = text.removeprefix("\ufeff")
    header: list[str] | None = None
    body: list[tuple[int, dict[str, str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        for fields in reader:
            line, start = start, reader.line_num + 1
            if not fields:
                continue  # a blank line
            _check_controls(name, line, fields, header)
            if header is None:
                header = fields
                _check_unique_names(name, header)
                if columns is not None:
                    _check_header(name, header, columns)
                continue
            _check_width(name, line, fields, header)
            body.append((line, dict(zip(header, fields, strict=True))))
    except csv.Error as exc:
        raise DataFileError(
            f"{name}: row {start}: not a readable CSV row ({exc}); check the quotes"
        ) from None
    if header is None:
        raise DataFileError(
            f"{name}: row 1: no header; restore it from git (git checkout -- {name})"
        )
    if not body:
        raise DataFileError(
            f"{name}: row 2: no rows below the header; the table needs at least one "
            f"(restore it from git: git checkout -- {name})"
        )
    return header, body


def read_table(path: Path, model: type[Row]) -> pd.DataFrame:
    """Read a CSV file and validate every row against ``model``.

    Parameters
    ----------
    path
        The CSV file. Row numbers in errors are lines of the file, the header line 1.
    model
        A :class:`TableRow` subclass; its fields are the required columns.

    Returns
    -------
    pandas.DataFrame
        One column per model field, in the model's order, with the validated values.

    Raises
    ------
    DataFileError
        As :func:`read_records`; also when a column is missing or unknown, or a row
        breaks the model.
    """
    return read_table_lines(path, model)[0]


def read_table_lines(path: Path, model: type[Row]) -> tuple[pd.DataFrame, list[int]]:
    """:func:`read_table`, and the line of each row in the file (for later messages)."""
    import pandas as pd

    rows = read_rows(path, model)
    fields = list(model.model_fields)
    return pd.DataFrame([r.model_dump() for r in rows], columns=fields), list(rows.lines)


def read_rows(path: Path, model: type[Row]) -> Rows[Row]:
    """Read a CSV file into validated rows without pandas.

    The checks and messages of :func:`read_table`, for a table that must be read where
    pandas is not loaded (the engine builds a parameter schema from one).

    Returns
    -------
    Rows
        The validated rows in file order; ``.lines`` gives the line of each.
    """
    name = display_path(path)
    header, body = read_records(path, list(model.model_fields))
    rows: Rows[Row] = Rows(_validate_rows(name, body, model))
    rows.lines = [line for line, _ in body]
    return rows


def line_of(lines: Sequence[int] | None, i: int) -> int:
    """The file line of the ``i``-th row, from ``lines`` (:func:`read_table_lines`);
    without them, the line of a file with no blank or multi-line rows."""
    return int(lines[i]) if lines and i < len(lines) else i + 2


def _check_controls(name: str, line: int, fields: list[str], header: list[str] | None) -> None:
    for j, value in enumerate(fields):
        found = _CONTROL_RE.search(value)
        if found:
            column = header[j] if header is not None and j < len(header) else f"field {j + 1}"
            raise DataFileError(
                f"{name}: row {line}, column {quoted(column, 40)}: control character "
                f"U+{ord(found.group()):04X}; remove it"
            )


def _check_unique_names(name: str, header: list[str]) -> None:
    seen: set[str] = set()
    for column in header:
        if column in seen:
            raise DataFileError(
                f"{name}: row 1 (header), column {quoted(column, 40)}: appears twice; "
                "each column must be named once"
            )
        seen.add(column)


def _check_width(name: str, line: int, fields: list[str], header: list[str]) -> None:
    if len(fields) < len(header):
        raise DataFileError(
            f"{name}: row {line}: {len(fields)} fields, the header has {len(header)} "
            f"(column {quoted(header[len(fields)], 40)} is missing); fix the row"
        )
    if len(fields) > len(header):
        raise DataFileError(
            f"{name}: row {line}: {len(fields)} fields, the header has {len(header)} "
            f"(after column {quoted(header[-1], 40)}); quote a text that holds a comma"
        )


def _check_header(name: str, columns: list[str], fields: list[str]) -> None:
    """Raise :class:`DataFileError` for a missing or an unknown column."""
    missing = [c for c in fields if c not in columns]
    if missing:
        raise DataFileError(
            f"{name}: row 1 (header): missing column {missing[0]!r}; "
            f"the header must be {','.join(fields)}"
        )
    extra = [c for c in columns if c not in fields]
    if extra:
        raise DataFileError(
            f"{name}: row 1 (header): unknown column {quoted(extra[0], 40)}; "
            f"the header must be {','.join(fields)}"
        )


def _validate_rows(
    name: str, records: Iterable[tuple[int, dict[str, str]]], model: type[Row]
) -> list[Row]:
    """Validate text records against ``model`` (empty cells are missing values)."""
    rows = []
    for line, record in records:
        cleaned = {k: (None if v.strip() == "" else v) for k, v in record.items()}
        try:
            rows.append(model.model_validate(cleaned))
        except ValidationError as exc:
            err = exc.errors()[0]
            column = ".".join(str(p) for p in err["loc"])
            cause = (err.get("ctx") or {}).get("error")
            if isinstance(cause, CellError):
                column = cause.column
            value = record.get(column, "")
            msg = str(err["msg"]).removeprefix("Value error, ")
            raise DataFileError(
                f"{name}: row {line}, column {column or '?'!r}: {msg} (got {quoted(value)})"
            ) from None
    return rows


def check_unique(
    frame: pd.DataFrame, column: str, path: Path, lines: Sequence[int] | None = None
) -> None:
    """Raise :class:`DataFileError` if ``column`` has a repeated value (``lines``: the
    file line of each row, from :func:`read_table_lines`)."""
    dup = frame[column].duplicated(keep="first")
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        raise DataFileError(
            f"{display_path(path)}: row {line_of(lines, i)}, column {column!r}: duplicate "
            f"value {frame[column].iloc[i]!r}; each {column} must be unique"
        )


__all__ = [
    "CellError",
    "Flag",
    "Integer",
    "Number",
    "Rows",
    "TableRow",
    "check_unique",
    "line_of",
    "read_records",
    "read_rows",
    "read_table",
    "read_table_lines",
]
