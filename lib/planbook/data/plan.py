"""Load and validate the plan's tables; typed, unit-aware access to the claims.

One loader per table, each checking its schema on load (:mod:`planbook.data.schema`), and
one place for unit conversion (:func:`convert`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import Field, field_validator, model_validator

from planbook.data.domains import claim_domain
from planbook.data.periods import DAYS_PER_MONTH, DAYS_PER_YEAR, parse_period
from planbook.data.schema import (
    CellError,
    Integer,
    Number,
    TableRow,
    check_unique,
    line_of,
    read_table_lines,
)
from planbook.errors import DataFileError
from planbook.paths import default_data_dir, display_path

Kind = Literal["actual", "target", "forecast", "case_study", "benchmark"]
Bound = Literal["gt", "ge", "lt", "le", "approx"]
State = Literal["full", "empty", "cut", "missing"]
Scope = Literal["industry", "firm", "company", "segment", "region", "channel", "service"]
SCOPES: tuple[str, ...] = ("industry", "firm", "company", "segment", "region", "channel", "service")
"""What a figure measures beyond metric and entity (``data/plan/README.md``): the whole
industry, the plan's own firm, another company (a case), or a segment, region, channel or
service of whoever ``entity`` names."""

# unit -> (dimension, factor to the dimension's base unit)
UNITS: dict[str, tuple[str, float]] = {
    "trillion_yuan": ("money_cny", 1e12),
    "100m_yuan": ("money_cny", 1e8),
    "10k_yuan": ("money_cny", 1e4),
    "yuan": ("money_cny", 1.0),
    "yuan_per_user": ("cny_per_user", 1.0),
    "100m_usd": ("money_usd", 1e8),
    "10k_eur": ("money_eur", 1e4),
    "percent": ("percent", 1.0),
    "percentage_points": ("percentage_points", 1.0),
    "seconds": ("time", 1.0),
    "minutes": ("time", 60.0),
    "hours": ("time", 3600.0),
    "days": ("time", 86400.0),
    "weeks": ("time", 7 * 86400.0),
    "months": ("time", DAYS_PER_MONTH * 86400.0),
    "years": ("time", DAYS_PER_YEAR * 86400.0),
    "km": ("distance", 1000.0),
    "times": ("multiple", 1.0),
    "times_per_year": ("frequency", 1.0),
    "count": ("count", 1.0),
    "10k_count": ("count", 1e4),
    "100m_count": ("count", 1e8),
    "score": ("score", 1.0),
    "index": ("index", 1.0),
    "ratio": ("ratio", 1.0),
}
Unit = Literal[tuple(UNITS)]  # type: ignore[valid-type]

SECTION_RE = r"^\d{1,2}\.\d$"

CATEGORIES: tuple[tuple[str, str], ...] = (
    ("Apparel, shoes and bags", "apparel_gmv_share"),
    ("3C electronics and appliances", "electronics_appliances_gmv_share"),
    ("Beauty and personal care", "beauty_personal_care_gmv_share"),
)
"""The product categories whose GMV shares the plan states (plan 1.2): label and metric."""


class SectionRow(TableRow):
    """A row of ``data/plan/sections.csv``."""

    chapter: Integer = Field(ge=1, le=10)
    section: str = Field(pattern=SECTION_RE)
    title_en: str = Field(min_length=1)
    title_zh: str = Field(min_length=1)
    state: State
    note: str | None = None


class ClaimRow(TableRow):
    """A row of ``data/plan/claims.csv`` (see ``data/plan/README.md``)."""

    id: str = Field(pattern=r"^C\d{1,2}\.\d-\d{2,3}$")
    chapter: Integer = Field(ge=1, le=9)
    section: str = Field(pattern=SECTION_RE)
    metric: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    entity: str = Field(min_length=1)
    period: str
    kind: Kind
    value: Number
    unit: Unit  # type: ignore[valid-type]
    bound: Bound | None = None
    scope: Scope
    scope_of: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$")
    path: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*$")
    stage: Integer | None = Field(default=None, ge=1)
    passage: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*$")
    locator: str = Field(min_length=2)
    note: str = Field(min_length=1)

    @field_validator("period")
    @classmethod
    def _period(cls, v: str) -> str:
        parse_period(v)  # raises on an unknown form; the parse is cached for later use
        return v

    @model_validator(mode="after")
    def _path_and_scope(self) -> ClaimRow:
        if (self.path is None) != (self.stage is None):
            raise CellError(
                "stage" if self.path else "path",
                "path and stage go together: give both (a step of a path) or neither",
            )
        if self.path and self.kind not in ("target", "actual"):
            raise CellError("path", f"a {self.kind} figure is no step of a path; leave it empty")
        needs = ("segment", "region", "channel", "service")
        if self.scope in needs and not self.scope_of:
            raise CellError("scope_of", f"scope {self.scope} needs scope_of naming which one")
        return self

    @model_validator(mode="after")
    def _value_in_domain(self) -> ClaimRow:
        problem = claim_domain(self.unit, self.metric).problem(self.value)
        if problem:
            raise CellError(
                "value",
                f"{problem} for unit {self.unit} (metric {self.metric}); fix the value "
                "(the domains are in data/plan/README.md)",
            )
        return self


def load_sections(data_dir: Path | None = None) -> pd.DataFrame:
    """Load ``plan/sections.csv``: every chapter and section of the plan with its state."""
    path = (data_dir or default_data_dir()) / "plan" / "sections.csv"
    frame, lines = read_table_lines(path, SectionRow)
    check_unique(frame, "section", path, lines)
    bad = frame[frame["section"].str.split(".").str[0].astype(int) != frame["chapter"]]
    if not bad.empty:
        i = int(bad.index[0])
        raise DataFileError(
            f"{display_path(path)}: row {line_of(lines, i)}, column 'chapter': section "
            f"{bad['section'].iloc[0]} is not in chapter {bad['chapter'].iloc[0]}"
        )
    return frame


def load_claims(data_dir: Path | None = None) -> pd.DataFrame:
    """Load ``plan/claims.csv``, checked against its schema and ``sections.csv``.

    Returns
    -------
    pandas.DataFrame
        One row per claim, indexed by nothing (``id`` is a column), in file order.
    """
    data_dir = data_dir or default_data_dir()
    path = data_dir / "plan" / "claims.csv"
    frame, lines = read_table_lines(path, ClaimRow)
    check_unique(frame, "id", path, lines)
    sections = load_sections(data_dir)
    known = set(sections["section"])
    for i, row in enumerate(frame.itertuples(index=False)):
        line = line_of(lines, i)
        if row.section not in known:
            raise DataFileError(
                f"{display_path(path)}: row {line}, column 'section': {row.section!r} is not in "
                f"plan/sections.csv"
            )
        if int(row.section.split(".")[0]) != row.chapter:
            raise DataFileError(
                f"{display_path(path)}: row {line}, column 'chapter': section {row.section} "
                f"is not in chapter {row.chapter}"
            )
        if not row.id.startswith(f"C{row.section}-"):
            raise DataFileError(
                f"{display_path(path)}: row {line}, column 'id': {row.id!r} "
                f"must start with C{row.section}-"
            )
    return frame


# --------------------------------------------------------------------------- access


def select(
    claims: pd.DataFrame,
    *,
    chapter: int | None = None,
    section: str | list[str] | None = None,
    metric: str | list[str] | None = None,
    kind: str | list[str] | None = None,
    entity: str | None = None,
    period: str | None = None,
) -> pd.DataFrame:
    """Select claims by chapter, section, metric, kind, entity and period (all optional)."""
    mask = pd.Series(True, index=claims.index)
    for column, wanted in (
        ("section", section),
        ("metric", metric),
        ("kind", kind),
        ("entity", entity),
        ("period", period),
    ):
        if wanted is None:
            continue
        values = [wanted] if isinstance(wanted, str) else list(wanted)
        mask &= claims[column].isin(values)
    if chapter is not None:
        mask &= claims["chapter"] == chapter
    return claims[mask]


def claim(claims: pd.DataFrame, claim_id: str) -> pd.Series:
    """One claim by id; raises ``KeyError`` naming the id if it is absent."""
    found = claims[claims["id"] == claim_id]
    if found.empty:
        raise KeyError(f"claim {claim_id!r} is not in data/plan/claims.csv")
    return found.iloc[0]


def pick(claims: pd.DataFrame, section: str, metric: str, period: str) -> pd.Series:
    """The single claim of a section with the given metric and period.

    Raises
    ------
    KeyError
        When there is no such claim or more than one, naming what was looked for.
    """
    found = claims[
        (claims["section"] == section) & (claims["metric"] == metric) & (claims["period"] == period)
    ]
    if len(found) != 1:
        raise KeyError(
            f"expected one claim {metric!r} for {period} in section {section}, found {len(found)}"
        )
    return found.iloc[0]


def value_of(claims: pd.DataFrame, claim_id: str, unit: str | None = None) -> float:
    """The value of one claim, converted to ``unit`` when given."""
    row = claim(claims, claim_id)
    value = float(row["value"])
    return convert(value, row["unit"], unit) if unit else value


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert a value between two units of the same dimension.

    >>> convert(5234, "100m_yuan", "trillion_yuan")
    0.5234
    """
    try:
        dim_from, f_from = UNITS[from_unit]
        dim_to, f_to = UNITS[to_unit]
    except KeyError as exc:
        raise ValueError(f"unknown unit {exc.args[0]!r}; known units: {', '.join(UNITS)}") from None
    if dim_from != dim_to:
        raise ValueError(f"cannot convert {from_unit} ({dim_from}) to {to_unit} ({dim_to})")
    return value * f_from / f_to


def with_unit(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Return a copy of a claims selection with ``value`` converted to ``unit``."""
    out = frame.copy()
    out["value"] = [convert(v, u, unit) for v, u in zip(out["value"], out["unit"], strict=True)]
    out["unit"] = unit
    return out
