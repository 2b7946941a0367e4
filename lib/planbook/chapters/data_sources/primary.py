"""The primary statistical sources and the "data as of" stamp, computed from ``data/``.

:func:`primary_sources` gives one row per primary publication
(``data/official/publications.csv``) with the periods the book takes from it, its latest
period, the latest release date read and the copy actually read for the latest value, all
computed from the official tables; :func:`data_as_of` gives the stamp: the latest period in
the official data and the latest date any of their sources states. Both pages that print
these dates (the data-sources appendix and the references) take them from here.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from planbook.data.book import load_labels
from planbook.errors import InputError
from planbook.methods.forecast.official_data import SERIES

_URL = re.compile(r"https?://[^\s),;]+")

PRIMARY_COLUMNS = (
    "publisher",
    "publication",
    "series",
    "periods",
    "latest_period",
    "latest_release",
    "values",
    "read_at",
    "link_used",
    "note",
)
"""The columns of :func:`primary_sources`, in the order the page shows them."""


@dataclass(frozen=True)
class AsOf:
    """The official data's "data as of" stamp.

    Attributes
    ----------
    period : str
        The latest period with a preferred value, as the tables write it (``2025-12``; a
        year stands for its December).
    period_text : str
        The same in words (``December 2025``).
    source_date : str
        The latest date any source of the official tables states (``2026-03-01``), all
        rows counted, alternatives included.
    """

    period: str
    period_text: str
    source_date: str


def period_end(period: str) -> tuple[int, int]:
    """The (year, month) a period of the official tables ends in: a year ends in December.

    >>> period_end("2025"), period_end("2020-03")
    ((2025, 12), (2020, 3))
    """
    match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?", str(period))
    if match is None:
        raise InputError(f"period {period!r}: use YYYY or YYYY-MM as the official tables do")
    return int(match.group(1)), int(match.group(2) or 12)


def period_words(period: str) -> str:
    """A period as a reader writes it: ``2025`` stays, ``2020-03`` is ``March 2020``."""
    year, month = period_end(period)
    return str(period) if len(str(period)) == 4 else f"{calendar.month_name[month]} {year}"


def first_url(source: str) -> str:
    """The first web address a row's ``source`` names (``""`` when it names none)."""
    match = _URL.search(str(source))
    return match.group(0).rstrip(".") if match else ""


def copy_link(source: str, name: str) -> str:
    """The address of the copy a row was read in: its page, its GitHub repository, or
    ``""`` for a GitHub file that names no repository (the release address such a file
    quotes was not read) and for an excerpt without address.

    >>> copy_link("GitHub a/b data/x.js (NBS, https://stats.gov.cn/x)", "github.com/a/b")
    'https://github.com/a/b'
    """
    if name.startswith("github.com/"):
        return f"https://{name}"
    if name.startswith("GitHub") or "without URL" in name:
        return ""
    return first_url(source)


def data_as_of(rows: pd.DataFrame) -> AsOf:
    """The stamp of the official data (see :class:`AsOf`).

    Parameters
    ----------
    rows
        Every official row (:func:`planbook.chapters.data_sources.official_rows`), with
        ``period``, ``preferred`` and ``source_date``.
    """
    preferred = rows[rows["preferred"]]
    if preferred.empty:
        raise InputError("no preferred official rows: the stamp needs data/official/*.csv")
    ends = [period_end(p) for p in preferred["period"]]
    latest = max(ends)
    year, month = latest
    dates = [d for d in rows["source_date"] if isinstance(d, str) and d]
    return AsOf(
        period=f"{year}-{month:02d}",
        period_text=f"{calendar.month_name[month]} {year}",
        source_date=max(dates, default=""),
    )


def series_labels(data_dir: Path | None = None) -> dict[str, str]:
    """English names of the official series: ``data/book/labels.csv`` (kind ``series``),
    else the forecasting library's label."""
    labels = load_labels(data_dir)
    own = labels[labels["kind"] == "series"].set_index("name")["label"].to_dict()
    named = {key: spec.label for key, spec in SERIES.items()}
    return {**named, **{k: v for k, v in own.items() if v}}


def _latest_row(frame: pd.DataFrame) -> pd.Series:
    """The preferred row of the latest period, a level before a rate, then the latest
    dated source."""
    order = frame.assign(
        _end=[period_end(p) for p in frame["period"]],
        _level=frame["measure"] == "level",
    )
    return order.sort_values(["_end", "_level", "source_date"]).iloc[-1]


def primary_sources(
    rows: pd.DataFrame, publications: pd.DataFrame, names: dict[str, str] | None = None
) -> pd.DataFrame:
    """One row per primary publication, with what the book takes from it.

    Parameters
    ----------
    rows
        Every official row (:func:`planbook.chapters.data_sources.official_rows`).
    publications
        ``data/official/publications.csv`` (:func:`planbook.data.publications.load_publications`).
    names
        English names of the series (default: as given, underscores as spaces).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PRIMARY_COLUMNS`: ``publisher``, ``publication``, ``series`` (their
        names, ``; ``-separated), ``periods`` (first to last year with a preferred value),
        ``latest_period`` (in words), ``latest_release`` (the latest source date of the
        preferred values; empty when none states one), ``values`` (preferred values),
        ``read_at`` (the host of the copy the latest value was read in) and ``link_used`` (its
        address), ``note`` (the notes of its series); ordered by publisher.
    """
    names = names or {}
    preferred = rows[rows["preferred"]]
    out = []
    for (publisher, publication), pubs in publications.groupby(
        ["publisher", "publication"], sort=False
    ):
        mine = preferred[preferred["series"].isin(pubs["series"])]
        if mine.empty:
            continue
        years = sorted({period_end(p)[0] for p in mine["period"]})
        latest = _latest_row(mine)
        dates = [d for d in mine["source_date"] if d]
        out.append(
            {
                "publisher": publisher,
                "publication": publication,
                "series": "; ".join(
                    names.get(s, s.replace("_", " "))
                    for s in pubs["series"]
                    if s in set(mine["series"])
                ),
                "periods": f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0]),
                "latest_period": period_words(latest["period"]),
                "latest_release": max(dates, default=""),
                "values": len(mine),
                "read_at": latest["source_name"],
                "link_used": copy_link(latest["source"], latest["source_name"]),
                "note": "; ".join(n for n in pubs["note"] if n),
            }
        )
    if not out:
        raise InputError("no official series has a publication: see data/official/publications.csv")
    return pd.DataFrame(out, columns=list(PRIMARY_COLUMNS))


__all__ = [
    "PRIMARY_COLUMNS",
    "AsOf",
    "copy_link",
    "data_as_of",
    "first_url",
    "period_end",
    "period_words",
    "primary_sources",
    "series_labels",
]
