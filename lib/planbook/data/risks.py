"""The risk register of plan chapter 5: ``data/plan/risks.csv``, checked, and its views.

One row per risk the plan names: its group, section, name, the claims it cites as
evidence, the response and the targets it sets, and the book's default likelihood and
impact scores with the reason for each. The register is declared here once: chapter 5
reads it (:mod:`planbook.chapters.risk`) and the chapter's ``likelihood_<key>`` and
``impact_<key>`` parameters are generated from it (:mod:`planbook.engine.params.risk`).

:func:`read_register` needs no pandas (the command line builds the parameter schema
from it before any kernel starts); :func:`load_risks` also checks every section and
claim the register cites against ``plan/sections.csv`` and ``plan/claims.csv``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field, field_validator, model_validator

from planbook.data.schema import CellError, Integer, Rows, TableRow, read_rows
from planbook.errors import DataFileError
from planbook.paths import default_data_dir, display_path

if TYPE_CHECKING:
    import pandas as pd

Category = Literal["operational", "market", "technology", "policy"]
CATEGORIES: tuple[str, ...] = ("operational", "market", "technology", "policy")
"""The plan's four groups of risk (5.1-5.4), in its order."""

SCORE_MIN, SCORE_MAX = 1, 5
"""Likelihood and impact are scores from 1 (rare, minor) to 5 (almost certain, severe)."""

Spec = tuple[str, str, str]
"""A claim by (section, metric, period), as :func:`planbook.data.plan.pick` takes it."""

SPEC_RE = r"\d{1,2}\.\d/[a-z][a-z0-9_]*/[^/;]+"
SPECS_RE = rf"^{SPEC_RE}(; {SPEC_RE})*$"
SOURCE_RE = re.compile(r"^(plan (?P<section>\d{1,2}\.\d)|book judgement: .{10,})$")


class RiskRow(TableRow):
    """A row of ``data/plan/risks.csv`` (see ``data/plan/README.md``)."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)
    category: Category
    section: str = Field(pattern=r"^\d{1,2}\.\d$")
    name: str = Field(min_length=1)
    evidence: str = Field(pattern=SPECS_RE)
    mitigation: str = Field(min_length=1)
    targets: str = Field(pattern=SPECS_RE)
    likelihood: Integer = Field(ge=SCORE_MIN, le=SCORE_MAX)
    likelihood_reason: str = Field(min_length=10)
    impact: Integer = Field(ge=SCORE_MIN, le=SCORE_MAX)
    impact_reason: str = Field(min_length=10)
    source: str

    @field_validator("source")
    @classmethod
    def _source_named(cls, value: str) -> str:
        if not SOURCE_RE.match(value):
            raise ValueError("source must be 'plan N.M' or 'book judgement: <reason>'")
        return value

    @model_validator(mode="after")
    def _source_is_the_section(self) -> RiskRow:
        match = SOURCE_RE.match(self.source)
        cited = match.group("section") if match else None
        if cited is not None and cited != self.section:
            raise CellError(
                "source", f"source names plan {cited} but the risk is in section {self.section}"
            )
        return self


def specs_of(cell: str) -> tuple[Spec, ...]:
    """Split an ``evidence`` or ``targets`` cell (``"5.1/unsold_rate/current; ..."``)."""
    return tuple(tuple(part.strip().split("/", 2)) for part in cell.split(";"))  # type: ignore[misc]


def register_path(data_dir: Path | None = None) -> Path:
    """Where the register lives: ``plan/risks.csv`` under ``data_dir`` (default ``data/``)."""
    return (data_dir or default_data_dir()) / "plan" / "risks.csv"


def read_register(data_dir: Path | None = None) -> tuple[RiskRow, ...]:
    """The register's rows, each checked against :class:`RiskRow`, keys unique.

    Reads without pandas; does not look at other tables (see :func:`load_risks`).

    Raises
    ------
    DataFileError
        Naming the file, the row and the column of the first problem.
    """
    return tuple(_read_register(data_dir))


def _read_register(data_dir: Path | None) -> Rows[RiskRow]:
    """:func:`read_register` with the line of each row (``.lines``)."""
    path = register_path(data_dir)
    rows = read_rows(path, RiskRow)
    seen: set[str] = set()
    for line, row in zip(rows.lines, rows, strict=True):
        if row.key in seen:
            raise DataFileError(
                f"{display_path(path)}: row {line}, column 'key': duplicate value "
                f"{row.key!r}; each key must be unique"
            )
        seen.add(row.key)
    return rows


def load_risks(data_dir: Path | None = None) -> pd.DataFrame:
    """Load ``plan/risks.csv``, checked against its schema, ``sections.csv`` and ``claims.csv``.

    Returns
    -------
    pandas.DataFrame
        One row per risk in file order, the columns of :class:`RiskRow`.

    Raises
    ------
    DataFileError
        When a row breaks the schema, names a section the plan does not have, or cites a
        claim (section, metric, period) that is not exactly one row of ``claims.csv``.
    """
    import pandas as pd

    from planbook.data.plan import load_claims, load_sections

    data_dir = data_dir or default_data_dir()
    rows = _read_register(data_dir)
    name = display_path(register_path(data_dir))
    known = set(load_sections(data_dir)["section"])
    claims = load_claims(data_dir)
    counts = claims.groupby(["section", "metric", "period"]).size()
    for line, row in zip(rows.lines, rows, strict=True):
        if row.section not in known:
            raise DataFileError(
                f"{name}: row {line}, column 'section': {row.section!r} is not in plan/sections.csv"
            )
        for column in ("evidence", "targets"):
            for spec in specs_of(getattr(row, column)):
                found = int(counts.get(spec, 0))
                if found != 1:
                    raise DataFileError(
                        f"{name}: row {line}, column {column!r}: {'/'.join(spec)} matches "
                        f"{found} claims of plan/claims.csv, not one"
                    )
    return pd.DataFrame([r.model_dump() for r in rows], columns=list(RiskRow.model_fields))


__all__ = [
    "CATEGORIES",
    "SCORE_MAX",
    "SCORE_MIN",
    "Category",
    "RiskRow",
    "Spec",
    "load_risks",
    "read_register",
    "register_path",
    "specs_of",
]
