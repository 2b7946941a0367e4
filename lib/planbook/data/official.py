"""Official statistics: typed loaders for the tables in ``data/official/``.

The tables are built by ``data/official/build_tables.py`` from the raw compilation in
``data/official/raw/`` and documented in ``data/official/README.md``. Every table has the
same long layout, one row per published figure::

    series,year,period,measure,value,unit,status,qualifier,preferred,source_quality,
    single_source,source_date,source,note,raw_file,raw_row

Where several sources give a figure for the same key (series, year or period, measure),
exactly one row is ``preferred``; the others are kept as flagged alternatives. Known level
shifts, definition changes and unverified figures are rows of ``breaks.csv``.

Main entry points:

- :func:`load_official` reads and validates a table (:func:`validate_all`: every table);
- :func:`load_breaks` reads the known breaks, :func:`breaks_for` those of one series;
- :func:`vintage` is the date the data are as of (the latest source date);
- :func:`annual_series` returns the preferred values of an annual series by year;
- :func:`chain_linked_index` chains official growth rates into a level index;
- :func:`level_vs_growth_gaps` compares the growth implied by published levels with the
  official growth rate (NBS restates its comparison base, so the two differ).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from planbook.data.official_models import (
    BREAK_KINDS,
    DATE_PATTERN,
    MODELS,
    PERCENT_MEASURES,
    SERIES_TABLE,
    SOURCE_QUALITIES,
    TABLE_NAMES,
    BreakKind,
    BreakRow,
    CrossBorderEcommerceRow,
    CrossBorderEcommerceYtdRow,
    EcommerceTransactionVolumeRow,
    ExpressParcelsRow,
    Measure,
    OfficialRow,
    OnlineRetailSalesRow,
    OnlineRetailSalesYtdRow,
    OnlineShoppersRow,
    PeriodRow,
    PhysicalGoodsOnlineRetailRow,
    Qualifier,
    RawFile,
    SourceQuality,
    Status,
    TotalRetailSalesMonthlyRow,
    TotalRetailSalesRow,
    Unit,
)
from planbook.data.schema import line_of, read_table_lines
from planbook.errors import DataFileError, InputError
from planbook.paths import default_data_dir, display_path

__all__ = [
    "BREAK_KINDS",
    "DATE_PATTERN",
    "MODELS",
    "PERCENT_MEASURES",
    "SERIES_TABLE",
    "SOURCE_QUALITIES",
    "TABLE_NAMES",
    "BreakKind",
    "BreakRow",
    "CrossBorderEcommerceRow",
    "CrossBorderEcommerceYtdRow",
    "EcommerceTransactionVolumeRow",
    "ExpressParcelsRow",
    "Measure",
    "OfficialRow",
    "OnlineRetailSalesRow",
    "OnlineRetailSalesYtdRow",
    "OnlineShoppersRow",
    "PeriodRow",
    "PhysicalGoodsOnlineRetailRow",
    "Qualifier",
    "RawFile",
    "SourceQuality",
    "Status",
    "TotalRetailSalesMonthlyRow",
    "TotalRetailSalesRow",
    "Unit",
    "annual_series",
    "breaks_for",
    "breaks_path",
    "chain_linked_index",
    "check_breaks",
    "check_preferred",
    "default_data_dir",
    "level_vs_growth_gaps",
    "load_breaks",
    "load_official",
    "table_path",
    "validate_all",
    "vintage",
]


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
        and ``raw_row`` int, ``value`` float, ``preferred`` and ``single_source`` bool, the
        rest str (``source_date`` is ``""`` where the source states no date).

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
    frame["source_date"] = frame["source_date"].fillna("").astype(str)
    return frame


def breaks_path(data_dir: Path | None = None) -> Path:
    """``<data_dir>/official/breaks.csv``."""
    return Path(data_dir or default_data_dir()) / "official" / "breaks.csv"


def load_breaks(data_dir: Path | None = None) -> pd.DataFrame:
    """Read and validate the known breaks of the official series (``breaks.csv``).

    Parameters
    ----------
    data_dir
        The ``data/`` directory; default :func:`default_data_dir`.

    Returns
    -------
    pandas.DataFrame
        Columns ``series``, ``period``, ``kind`` (one of :data:`BREAK_KINDS`),
        ``description``, ``source``, and ``table`` and ``year`` (int) added, in file order.

    Raises
    ------
    DataFileError
        If the file is missing or a row breaks the schema, or a (series, period, kind)
        repeats; the message names the file, the row and the column.
    """
    path = breaks_path(data_dir)
    frame, lines = read_table_lines(path, BreakRow)
    repeated = frame.duplicated(["series", "period", "kind"])
    if repeated.any():
        i = int(repeated.to_numpy().nonzero()[0][0])
        raise DataFileError(
            f"{display_path(path)}: row {line_of(lines, i)}, column 'kind': the same break is "
            "listed twice; keep one row per series, period and kind"
        )
    frame["table"] = frame["series"].map(SERIES_TABLE)
    frame["year"] = frame["period"].str[:4].astype("int64")
    return frame


def check_breaks(breaks: pd.DataFrame, data_dir: Path | None = None) -> None:
    """Raise :class:`DataFileError` unless every break names a period its series has.

    Annual tables match on the year, monthly and year-to-date tables on the period.
    """
    for i, row in enumerate(breaks.itertuples(index=False)):
        frame = load_official(row.table, data_dir)
        key = MODELS[row.table].KEY
        wanted = row.year if key == "year" else row.period
        if not ((frame["series"] == row.series) & (frame[key] == wanted)).any():
            raise DataFileError(
                f"{display_path(breaks_path(data_dir))}: row {i + 2}, column 'period': "
                f"{row.series} has no figure for {row.period} in {row.table}.csv; name a "
                "period the series has"
            )


def breaks_for(
    series: str, kinds: Sequence[str] | None = None, data_dir: Path | None = None
) -> pd.DataFrame:
    """The known breaks of one series (optionally of some kinds), by year.

    Parameters
    ----------
    series
        A series of the official tables (``express_parcels``, ``online_shoppers`` ...).
    kinds
        Kinds to keep (:data:`BREAK_KINDS`); default all.
    data_dir
        The ``data/`` directory; default :func:`default_data_dir`.

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`load_breaks` for the series, sorted by year.

    Raises
    ------
    InputError
        If the series or a kind is unknown.
    """
    if series not in SERIES_TABLE:
        raise InputError(f"unknown official series {series!r}; known: {', '.join(SERIES_TABLE)}")
    unknown = sorted(set(kinds or ()) - set(BREAK_KINDS))
    if unknown:
        raise InputError(f"unknown break kind {unknown[0]!r}; use {', '.join(BREAK_KINDS)}")
    frame = load_breaks(data_dir)
    rows = frame[(frame["series"] == series) & frame["kind"].isin(kinds or BREAK_KINDS)]
    return rows.sort_values("year", kind="stable").reset_index(drop=True)


def _breaks_by_year(series: str, data_dir: Path | None) -> dict[int, str]:
    """Year -> kind of the known breaks of ``series`` (kinds joined by ``", "``)."""
    kinds = breaks_for(series, data_dir=data_dir).groupby("year")["kind"].agg(", ".join)
    return {int(year): str(kind) for year, kind in kinds.items()}


def vintage(data_dir: Path | None = None, name: str | None = None) -> str:
    """The date the official data are as of: the latest ``source_date`` of any row.

    Parameters
    ----------
    data_dir
        The ``data/`` directory; default :func:`default_data_dir`.
    name
        One table (default: all of :data:`TABLE_NAMES`).

    Returns
    -------
    str
        ``YYYY-MM-DD`` (or ``YYYY-MM``); ``""`` when no source states a date.
    """
    names = [name] if name else list(TABLE_NAMES)
    dates = [d for n in names for d in load_official(n, data_dir)["source_date"] if d]
    return max(dates, default="")


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
        From the first table that fails, naming file, row and column; then from
        ``breaks.csv`` (:func:`load_breaks`, :func:`check_breaks`).
    """
    counts = {name: len(load_official(name, data_dir)) for name in TABLE_NAMES}
    check_breaks(load_breaks(data_dir), data_dir)
    return counts


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
        ``attrs``: ``unit``, ``series``, ``measure``, ``table``; ``status``,
        ``qualifier``, ``source_quality`` and ``single_source`` as dicts year -> flag (check
        them: a preferred value may still be an estimate, a lower bound, a preliminary
        figure or a single weak copy); ``breaks``: year -> kind of the series' known
        breaks (:func:`breaks_for`; kinds joined by ``", "`` when a year has several).

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
        "source_quality": dict(zip(years.tolist(), rows["source_quality"], strict=True)),
        "single_source": dict(zip(years.tolist(), map(bool, rows["single_source"]), strict=True)),
        "breaks": _breaks_by_year(series, data_dir),
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
