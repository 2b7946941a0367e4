"""Official statistics: typed loaders for the tables in ``data/official/``.

The tables are built by ``data/official/build_tables.py`` from the raw compilation in
``data/official/raw/`` and documented in ``data/official/README.md``. Every table has the
same long layout, one row per published figure::

    series,year,period,measure,value,unit,status,qualifier,preferred,source,note,raw_row

Where several sources give a figure for the same key (series, year or period, measure),
exactly one row is ``preferred``; the others are kept as flagged alternatives.

Main entry points:

- :func:`load_official` reads and validates a table (:func:`validate_all`: every table);
- :func:`annual_series` returns the preferred values of an annual series by year;
- :func:`chain_linked_index` chains official growth rates into a level index;
- :func:`level_vs_growth_gaps` compares the growth implied by published levels with the
  official growth rate (NBS restates its comparison base, so the two differ).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar, Literal

import numpy as np
import pandas as pd
from pydantic import Field, ValidationInfo, field_validator

from planbook.data.domains import MEASURE_DOMAINS
from planbook.data.schema import Flag, Integer, Number, TableRow, line_of, read_table_lines
from planbook.errors import DataFileError, InputError
from planbook.paths import default_data_dir, display_path

Measure = Literal["level", "yoy_pct", "share_pct"]
Unit = Literal["trillion_yuan", "100m_yuan", "100m_parcels", "100m_persons", "percent"]
Status = Literal["final", "preliminary", "estimate", "plan_baseline", "secondary"]
Qualifier = Literal["exact", "rounded", "approx", "lower_bound"]

PERCENT_MEASURES = ("yoy_pct", "share_pct")


class OfficialRow(TableRow):
    """One published figure. Subclasses narrow ``series`` and ``unit`` to one table.

    ``KEY`` names the column that, with ``series`` and ``measure``, identifies an
    observation: ``year`` for annual tables, ``period`` for monthly and year-to-date ones.
    """

    KEY: ClassVar[str] = "year"

    series: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    year: Integer = Field(ge=2000, le=2030)
    period: str = Field(pattern=r"^\d{4}(-(0[1-9]|1[0-2]))?$")
    measure: Measure
    value: Number
    unit: Unit
    status: Status
    qualifier: Qualifier
    preferred: Flag
    source: str = Field(min_length=1)
    note: str = Field(min_length=1)
    raw_row: Integer = Field(ge=2)

    @field_validator("period")
    @classmethod
    def _period_matches_year(cls, period: str, info: ValidationInfo) -> str:
        year = info.data.get("year")
        if year is None:
            return period
        period_year = int(period[:4])
        if cls.KEY == "period":
            if len(period) != 7 or period_year != year:
                raise ValueError(f"must be YYYY-MM within year {year}")
            return period
        # Annual tables: the period is the year, a year-end month, or an early-next-year
        # survey standing in for year-end (CNNIC March 2020 for December 2019).
        stand_in = len(period) == 7 and period_year == year + 1 and period[5:] <= "03"
        if period_year != year and not stand_in:
            raise ValueError(f"period does not belong to year {year}")
        return period

    @field_validator("value")
    @classmethod
    def _value_in_domain(cls, value: float, info: ValidationInfo) -> float:
        domain = MEASURE_DOMAINS.get(info.data.get("measure", ""))
        problem = domain.problem(value) if domain is not None else None
        if problem:
            raise ValueError(f"{problem}; fix the raw value and rebuild the table")
        return value

    @field_validator("unit")
    @classmethod
    def _unit_fits_measure(cls, unit: str, info: ValidationInfo) -> str:
        measure = info.data.get("measure")
        if measure in PERCENT_MEASURES and unit != "percent":
            raise ValueError(f"a {measure} row must be in percent")
        if measure == "level" and unit == "percent":
            raise ValueError("a level row cannot be in percent")
        return unit


class EcommerceTransactionVolumeRow(OfficialRow):
    """``ecommerce_transaction_volume.csv``: MOFCOM/NBS e-commerce transaction volume."""

    series: Literal["ecommerce_transaction_volume"]
    unit: Literal["trillion_yuan", "percent"]


class OnlineRetailSalesRow(OfficialRow):
    """``online_retail_sales.csv``: NBS online retail sales (网上零售额)."""

    series: Literal["online_retail_sales"]
    unit: Literal["trillion_yuan", "percent"]


class PhysicalGoodsOnlineRetailRow(OfficialRow):
    """``physical_goods_online_retail.csv``: NBS online retail of physical goods."""

    series: Literal["physical_goods_online_retail"]
    unit: Literal["trillion_yuan", "percent"]


class TotalRetailSalesRow(OfficialRow):
    """``total_retail_sales.csv``: NBS total retail sales of consumer goods (annual)."""

    series: Literal["total_retail_sales"]
    unit: Literal["trillion_yuan", "percent"]


class ExpressParcelsRow(OfficialRow):
    """``express_parcels.csv``: State Post Bureau express parcel volume."""

    series: Literal["express_parcels"]
    unit: Literal["100m_parcels", "percent"]


class OnlineShoppersRow(OfficialRow):
    """``online_shoppers.csv``: CNNIC online shoppers (year-end) and interim surveys."""

    series: Literal["online_shoppers", "online_shoppers_interim"]
    unit: Literal["100m_persons"]


class CrossBorderEcommerceRow(OfficialRow):
    """``cross_border_ecommerce.csv``: GAC cross-border e-commerce trade and components."""

    series: Literal[
        "cross_border_ecommerce",
        "cross_border_ecommerce_export",
        "cross_border_ecommerce_import",
        "cross_border_ecommerce_platform_retail",
    ]
    unit: Literal["trillion_yuan", "percent"]


class PeriodRow(OfficialRow):
    """A row of a monthly or year-to-date table: keyed by ``period`` (YYYY-MM)."""

    KEY: ClassVar[str] = "period"


class TotalRetailSalesMonthlyRow(PeriodRow):
    """``total_retail_sales_monthly.csv``: NBS single-month total retail, 2012-2018."""

    series: Literal["total_retail_sales_month"]
    unit: Literal["trillion_yuan", "percent"]


class OnlineRetailSalesYtdRow(PeriodRow):
    """``online_retail_sales_ytd.csv``: NBS year-to-date cumulative retail figures."""

    series: Literal[
        "online_retail_sales_ytd", "physical_goods_online_retail_ytd", "total_retail_sales_ytd"
    ]
    unit: Literal["trillion_yuan", "percent"]


class CrossBorderEcommerceYtdRow(PeriodRow):
    """``cross_border_ecommerce_ytd.csv``: GAC year-to-date cross-border figures."""

    series: Literal["cross_border_ecommerce_ytd"]
    unit: Literal["trillion_yuan"]


MODELS: dict[str, type[OfficialRow]] = {
    "ecommerce_transaction_volume": EcommerceTransactionVolumeRow,
    "online_retail_sales": OnlineRetailSalesRow,
    "physical_goods_online_retail": PhysicalGoodsOnlineRetailRow,
    "total_retail_sales": TotalRetailSalesRow,
    "express_parcels": ExpressParcelsRow,
    "online_shoppers": OnlineShoppersRow,
    "cross_border_ecommerce": CrossBorderEcommerceRow,
    "total_retail_sales_monthly": TotalRetailSalesMonthlyRow,
    "online_retail_sales_ytd": OnlineRetailSalesYtdRow,
    "cross_border_ecommerce_ytd": CrossBorderEcommerceYtdRow,
}
"""Table name (file stem under ``data/official/``) -> row model."""

TABLE_NAMES: tuple[str, ...] = tuple(MODELS)


def table_path(name: str, data_dir: Path | None = None) -> Path:
    """Return the CSV file of table ``name``.

    Parameters
    ----------
    name
        A table name, one of :data:`TABLE_NAMES`.
    data_dir
        The ``data/`` directory; default :func:`default_data_dir`.

    Returns
    -------
    pathlib.Path
        ``<data_dir>/official/<name>.csv``.

    Raises
    ------
    InputError
        If ``name`` is not a known table.
    """
    if name not in MODELS:
        raise InputError(f"unknown official table {name!r}; known: {', '.join(TABLE_NAMES)}")
    return Path(data_dir or default_data_dir()) / "official" / f"{name}.csv"


def check_preferred(
    frame: pd.DataFrame, key: str, path: Path, lines: Sequence[int] | None = None
) -> None:
    """Raise :class:`DataFileError` unless each key has exactly one preferred row.

    Parameters
    ----------
    frame
        A validated table, rows in file order.
    key
        ``year`` or ``period``: with ``series`` and ``measure``, the observation key.
    path
        The file, for the message.
    lines
        The file line of each row (:func:`~planbook.data.schema.read_table_lines`).

    Raises
    ------
    DataFileError
        Naming the file, the row (header = row 1) and the column ``preferred``.
    """
    columns = ["series", key, "measure"]
    for values, group in frame.groupby(columns, sort=False):
        rows = [line_of(lines, int(i)) for i in group.index[group["preferred"].to_numpy()]]
        label = ", ".join(str(v) for v in values)
        if len(rows) == 1:
            continue
        if not rows:
            row = line_of(lines, int(group.index[0]))
            problem = f"no preferred row for ({label})"
        else:
            row = rows[1]
            problem = f"{len(rows)} preferred rows for ({label}), rows {rows}"
        raise DataFileError(
            f"{display_path(path)}: row {row}, column 'preferred': {problem}; "
            "exactly one row per key must be true"
        )


def load_official(name: str, data_dir: Path | None = None) -> pd.DataFrame:
    """Read and validate one official-statistics table.

    Parameters
    ----------
    name
        A table name, one of :data:`TABLE_NAMES` (the file stem under ``data/official/``).
    data_dir
        The ``data/`` directory; default :func:`default_data_dir`. Tests pass a copy.

    Returns
    -------
    pandas.DataFrame
        All rows (preferred and alternatives) in file order, with typed columns: ``year``
        and ``raw_row`` int, ``value`` float, ``preferred`` bool, the rest str.

    Raises
    ------
    InputError
        If ``name`` is unknown.
    DataFileError
        If the file is missing or unreadable, lacks a column, or a row breaks the schema
        (unit, status, year 2000-2030, ...), or a key has not exactly one preferred row;
        the message names the file, the row and the column.
    """
    path = table_path(name, data_dir)
    model = MODELS[name]
    frame, lines = read_table_lines(path, model)
    check_preferred(frame, model.KEY, path, lines)
    return frame


def validate_all(data_dir: Path | None = None) -> dict[str, int]:
    """Load and validate every official table, so a broken file stops a build early.

    Parameters
    ----------
    data_dir
        The ``data/`` directory; default :func:`default_data_dir`.

    Returns
    -------
    dict
        Rows per table name.

    Raises
    ------
    DataFileError
        From the first table that fails, naming file, row and column.
    """
    return {name: len(load_official(name, data_dir)) for name in TABLE_NAMES}


def annual_series(
    name: str,
    measure: str = "level",
    data_dir: Path | None = None,
    series: str | None = None,
) -> pd.Series:
    """Return the preferred values of an annual series, indexed by integer year.

    Parameters
    ----------
    name
        An annual table (not ``*_monthly`` or ``*_ytd``).
    measure
        ``level``, ``yoy_pct`` or ``share_pct``.
    data_dir
        The ``data/`` directory; default :func:`default_data_dir`.
    series
        A series of the table; default the table's main series (named like the table),
        e.g. ``cross_border_ecommerce_export`` in ``cross_border_ecommerce``.

    Returns
    -------
    pandas.Series
        Float values, index ``year`` (int64, ascending), named ``<series>_<measure>``.
        ``attrs``: ``unit``, ``series``, ``measure``, ``table``, and ``status`` and
        ``qualifier`` as dicts year -> flag (check them: a preferred value may still be an
        estimate, a lower bound or a preliminary figure).

    Raises
    ------
    InputError
        If the table is not annual, or the series or measure has no rows.
    """
    if MODELS.get(name, OfficialRow).KEY != "year":
        raise InputError(f"{name!r} is not an annual table; use load_official({name!r})")
    frame = load_official(name, data_dir)
    series = series or name
    rows = frame[
        (frame["series"] == series) & (frame["measure"] == measure) & frame["preferred"]
    ].sort_values("year")
    if rows.empty:
        known = sorted(set(zip(frame["series"], frame["measure"], strict=True)))
        raise InputError(f"no {measure!r} rows for series {series!r} in {name}; have {known}")
    years = rows["year"].astype("int64").to_numpy()
    result = pd.Series(
        rows["value"].astype(float).to_numpy(),
        index=pd.Index(years, name="year"),
        name=f"{series}_{measure}",
    )
    result.attrs = {
        "unit": str(rows["unit"].iloc[0]),
        "series": series,
        "measure": measure,
        "table": name,
        "status": dict(zip(years.tolist(), rows["status"], strict=True)),
        "qualifier": dict(zip(years.tolist(), rows["qualifier"], strict=True)),
    }
    return result


def chain_linked_index(growth_pct: pd.Series, base_year: int, base_level: float) -> pd.Series:
    """Chain year-on-year growth rates into a level index anchored at a published level.

    ``level_t = level_{t-1} * (1 + g_t / 100)``, with ``level_{base_year} = base_level``;
    years before the base are obtained by dividing back. Because the NBS restates its
    comparison base every year, published levels and published growth rates do not chain;
    this index keeps the official growth rates exactly and the level of one year.

    Parameters
    ----------
    growth_pct
        Growth in percent indexed by consecutive integer years (no gaps, no NaN).
    base_year
        The anchor year; must lie between the year before the first growth rate and the
        last year.
    base_level
        The published level of ``base_year``.

    Returns
    -------
    pandas.Series
        Levels from the year before the first growth rate to the last year, index ``year``,
        in the unit of ``base_level``; ``attrs`` ``base_year`` and ``base_level``.

    Raises
    ------
    InputError
        If the years are not consecutive integers, a rate is missing or at most -100, or the
        base year is out of range.
    """
    growth = growth_pct.sort_index()
    years = np.asarray(growth.index, dtype="int64")
    if len(years) == 0:
        raise InputError("chain_linked_index: no growth rates")
    if not (np.diff(years) == 1).all():
        raise InputError(f"chain_linked_index: years must be consecutive, got {years.tolist()}")
    rates = growth.to_numpy(dtype=float)
    if np.isnan(rates).any() or (rates <= -100).any():
        raise InputError("chain_linked_index: growth rates must be known and above -100%")
    first, last = int(years[0]) - 1, int(years[-1])
    if not first <= base_year <= last:
        raise InputError(f"chain_linked_index: base year {base_year} outside {first}-{last}")
    if not math.isfinite(base_level):
        raise InputError("chain_linked_index: base level must be finite")
    cumulative = np.concatenate([[1.0], np.cumprod(1.0 + rates / 100.0)])
    index = pd.Index(np.arange(first, last + 1, dtype="int64"), name="year")
    chained = pd.Series(cumulative, index=index)
    name = f"{growth.name}_chain_linked" if growth.name else "chain_linked_index"
    result = (chained / chained.loc[base_year] * base_level).rename(name)
    result.attrs = {"base_year": base_year, "base_level": base_level}
    return result


def level_vs_growth_gaps(
    name: str, data_dir: Path | None = None, series: str | None = None
) -> pd.DataFrame:
    """Compare the growth implied by consecutive published levels with the official rate.

    Parameters
    ----------
    name
        An annual table with both ``level`` and ``yoy_pct`` rows.
    data_dir
        The ``data/`` directory; default :func:`default_data_dir`.
    series
        A series of the table; default the table's main series.

    Returns
    -------
    pandas.DataFrame
        One row per year that has a level or an official rate, index ``year``, columns:
        ``level``, ``previous_level`` (the preferred level of the year before, NaN if
        none), ``implied_yoy_pct`` (``100 * (level / previous_level - 1)``),
        ``official_yoy_pct``, ``gap_pp`` (implied minus official, percentage points), and
        ``level_flags`` / ``previous_flags`` (``status/qualifier`` of the levels used; a
        ``lower_bound`` or ``plan_baseline`` level makes the implied growth meaningless).
    """
    levels = annual_series(name, "level", data_dir, series)
    growth = annual_series(name, "yoy_pct", data_dir, series)
    years = levels.index.union(growth.index).sort_values()
    flags = {y: f"{levels.attrs['status'][y]}/{levels.attrs['qualifier'][y]}" for y in levels.index}
    table = pd.DataFrame(index=pd.Index(years.astype("int64"), name="year"))
    table["level"] = levels.reindex(table.index)
    table["previous_level"] = levels.reindex(table.index - 1).to_numpy()
    table["implied_yoy_pct"] = 100.0 * (table["level"] / table["previous_level"] - 1.0)
    table["official_yoy_pct"] = growth.reindex(table.index)
    table["gap_pp"] = table["implied_yoy_pct"] - table["official_yoy_pct"]
    table["level_flags"] = [flags.get(y, "") for y in table.index]
    table["previous_flags"] = [flags.get(y - 1, "") for y in table.index]
    table.attrs = {"unit": levels.attrs["unit"], "series": levels.attrs["series"], "table": name}
    return table
