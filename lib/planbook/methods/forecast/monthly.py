"""Monthly official data: year-to-date totals to single months, and months back to years.

The statistics office (NBS) publishes retail sales monthly, mostly as year-to-date totals
("January to June"). It publishes **January and February together**: its first release of
a year covers both months (the Spring Festival moves between them), and no January figure
exists. So a year has 11 releases, and this module keeps that calendar:

- the release dated February (``YYYY-02``) is the January-February total, one observation
  covering two months;
- a single month from March on is the year-to-date total of that month less the one of the
  month before, which needs both releases of the same year;
- December's year-to-date total is the annual figure (pass the annual series to use it).

The 11 releases of a year are its seasons (:data:`SEASONS`); summing them gives the annual
total (:func:`annual_totals`), the figure the plan speaks of.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from planbook.data import official

#: Releases a year: January-February together, then March to December.
SEASONS = 11

#: The month whose release covers January and February.
JAN_FEB = 2


def _periods(index: pd.Index) -> pd.PeriodIndex:
    """Monthly periods from ``YYYY-MM`` strings, timestamps or periods."""
    if isinstance(index, pd.PeriodIndex):
        return index.asfreq("M")
    return pd.PeriodIndex([pd.Period(str(p), freq="M") for p in index], freq="M")


def season(period: pd.Period) -> int:
    """The release's season: 0 for January-February, 1 for March ... 10 for December.

    >>> season(pd.Period("2024-02", "M")), season(pd.Period("2024-03", "M"))
    (0, 1)
    """
    if period.month == 1:
        raise ValueError(
            f"{period}: the NBS publishes January and February together (as YYYY-02); "
            "a January figure is not expected"
        )
    return 0 if period.month == JAN_FEB else period.month - 2


def single_months(ytd: pd.Series, annual: pd.Series | None = None) -> pd.Series:
    """Single-month values from year-to-date totals, on the NBS January-February calendar.

    Parameters
    ----------
    ytd : pandas.Series
        Year-to-date totals indexed by month (``YYYY-MM`` strings or monthly periods).
    annual : pandas.Series, optional
        Annual totals by year; each is used as that year's December year-to-date total
        where none is given.

    Returns
    -------
    pandas.Series
        Indexed by monthly period, sorted: the February release is the January-February
        total; a month from March on is the difference of consecutive year-to-date totals
        of the same year. Months whose previous release is missing are left out.

    Raises
    ------
    ValueError
        On a January value (the NBS has none), a repeated month, or a year-to-date total
        that falls from one month to the next.

    Examples
    --------
    >>> ytd = pd.Series([10.0, 14.0, 19.0], index=["2024-02", "2024-03", "2024-04"])
    >>> single_months(ytd).tolist()
    [10.0, 4.0, 5.0]
    """
    values = pd.Series(np.asarray(ytd, dtype=float), index=_periods(ytd.index))
    if annual is not None:
        december = pd.Series(
            np.asarray(annual, dtype=float),
            index=pd.PeriodIndex([pd.Period(f"{int(y)}-12", "M") for y in annual.index]),
        )
        values = pd.concat([values, december[~december.index.isin(values.index)]])
    if values.index.has_duplicates:
        raise ValueError(f"month {values.index[values.index.duplicated()][0]} appears twice")
    values = values.sort_index()
    for period in values.index:
        season(period)  # refuses January
    out = {}
    for period, total in values.items():
        if period.month == JAN_FEB:
            out[period] = total
            continue
        before = period - 1
        if before in values.index:
            change = total - values[before]
            if change < 0:
                raise ValueError(f"the year-to-date total falls from {before} to {period}")
            out[period] = change
    return pd.Series(out, dtype=float).sort_index().rename("single_month")


def longest_run(months: pd.Series) -> pd.Series:
    """The longest run of consecutive releases (December is followed by February)."""
    if months.empty:
        return months
    periods = _periods(months.index)
    step = np.array([(b - a).n for a, b in zip(periods[:-1], periods[1:], strict=True)])
    following = (step == 1) | ((step == 2) & (periods[1:].month == JAN_FEB))
    best, start = (0, 1), 0
    for i, ok in enumerate([*following, False]):
        if not ok:
            if i + 1 - start > best[1] - best[0]:
                best = (start, i + 1)
            start = i + 1
    return months.iloc[best[0] : best[1]]


def annual_totals(months: pd.Series) -> pd.Series:
    """Annual totals of complete years: the sum of a year's 11 releases.

    Years with a release missing are left out.

    >>> idx = [f"2020-{m:02d}" for m in range(2, 13)]
    >>> annual_totals(pd.Series(1.0, index=idx)).to_dict()
    {2020: 11.0}
    """
    periods = _periods(months.index)
    frame = pd.DataFrame({"year": periods.year, "value": np.asarray(months, dtype=float)})
    grouped = frame.groupby("year")["value"]
    complete = grouped.size() == SEASONS
    totals = grouped.sum()[complete]
    totals.index = pd.Index(totals.index.astype(int), name="year")
    return totals.rename("annual_total")


def monthly_levels(table: str, series: str, data_dir: Path | None = None) -> tuple[pd.Series, str]:
    """Preferred monthly levels of one series of an official monthly or year-to-date table.

    Returns the levels indexed by monthly period and the unit.
    """
    rows = official.load_official(table, data_dir)
    rows = rows[rows["preferred"] & (rows["series"] == series) & (rows["measure"] == "level")]
    if rows.empty:
        raise ValueError(f"{table}: no preferred levels of {series!r}")
    levels = pd.Series(rows["value"].to_numpy(float), index=_periods(pd.Index(rows["period"])))
    return levels.sort_index(), str(rows["unit"].iloc[0])


def ytd_coverage(
    table: str, series: str, annual_table: str | None = None, data_dir: Path | None = None
) -> dict[str, object]:
    """What a year-to-date series yields as single months.

    ``annual_table``'s final, exact annual levels stand in for the December releases.

    Returns
    -------
    dict
        ``releases`` (year-to-date figures), ``months`` (single months recovered),
        ``run`` (the longest run of consecutive months), ``run_start``, ``run_end``
        (periods as text, or "" when none) and ``months_series`` (the single months).
    """
    ytd, _ = monthly_levels(table, series, data_dir)
    annual = None
    if annual_table:
        annual = official.annual_series(annual_table, data_dir=data_dir)
        status, qualifier = annual.attrs["status"], annual.attrs["qualifier"]
        final = [y for y in annual.index if status[y] == "final" and qualifier[y] == "exact"]
        annual = annual.loc[final]
    months = single_months(ytd, annual)
    run = longest_run(months)
    return {
        "releases": len(ytd),
        "months": len(months),
        "run": len(run),
        "run_start": str(run.index[0]) if len(run) else "",
        "run_end": str(run.index[-1]) if len(run) else "",
        "months_series": months,
    }


__all__ = [
    "JAN_FEB",
    "SEASONS",
    "annual_totals",
    "longest_run",
    "monthly_levels",
    "season",
    "single_months",
    "ytd_coverage",
]
