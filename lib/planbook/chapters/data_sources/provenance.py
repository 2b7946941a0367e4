"""Where the official figures come from, read back from the official tables themselves.

The choices documented in ``data/official/README.md`` are read from the data: each row's
``status``, ``qualifier``, ``preferred`` flag, ``source_quality`` and ``single_source``,
and the selection reason that ``build_tables.py`` writes at the head of its ``note``
(:func:`selection_reason`).
"""

from __future__ import annotations

import re

import pandas as pd

from planbook.data import official
from planbook.errors import InputError

SELECTION_REASONS = (
    "only value found",
    "preferred over alternatives",
    "explicit rule",
    "status",
    "conflict",
    "qualifier",
    "precision",
    "source quality",
    "raw-file order",
    "unstated",
)
"""Why a row of an official table is (or is not) preferred; the order of the README's
selection steps."""

_ALTERNATIVE = re.compile(r"^alternative to (?:raw|additions) row (\d+) \(([^)]*)\): ([^;]+)")


def selection_reason(note: str) -> str:
    """The selection step a row's note records (one of :data:`SELECTION_REASONS`).

    >>> selection_reason("alternative to raw row 22 (2.7898): rounded figure (preferred row "
    ...                  "is exact); compiler: rounded")
    'qualifier'
    """
    if note.startswith("only value found"):
        return "only value found"
    if note.startswith("preferred over"):
        return "preferred over alternatives"
    match = _ALTERNATIVE.match(note)
    if not match:
        return "unstated"
    reason = match.group(3)
    if reason.startswith("set by an explicit rule"):
        return "explicit rule"
    if reason.startswith("status "):
        return "status"
    if reason.startswith("conflicting value"):
        return "conflict"
    if reason.startswith("weaker copy"):
        return "source quality"
    if reason.endswith(")") and " figure (preferred row is " in reason:
        return "qualifier"
    if reason.startswith("less precise"):
        return "precision"
    if reason.startswith("same standing"):
        return "raw-file order"
    return "unstated"


def source_name(source: str) -> str:
    """A short name of a row's source: the web host, the GitHub repository, or the kind
    of source when neither is given. A GitHub file is named as such even when it quotes a
    release's address (it was read, the address was not).

    >>> source_name("page https://www.stats.gov.cn/sj/zxfb/x.html (NBS 2024-01-17)")
    'stats.gov.cn'
    >>> source_name("GitHub liunian/liunian.github.io data/china-retail-amount.js (NBS)")
    'github.com/liunian/liunian.github.io'
    """
    repo = re.match(r"GitHub ([\w.-]+/[\w.-]+) ", source)
    if repo:
        return f"github.com/{repo.group(1)}"
    if source.startswith(("GitHub file", "public GitHub file")):
        return "GitHub file (repository not named)"
    url = re.search(r"https?://([^/\s)]+)", source)
    if url:
        host = url.group(1).lower()
        return host.removeprefix("www.")
    if "without URL" in source:
        return "page excerpt without URL"
    return source.split(" (")[0].strip()


def official_rows(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """All rows of the official tables in one frame, with columns ``table``, ``key``
    (year or period), ``source_name`` and ``reason`` (:func:`selection_reason`) added."""
    frames = []
    for name, model in official.MODELS.items():
        rel = f"official/{name}.csv"
        if rel not in tables:
            continue
        frame = tables[rel].copy()
        frame.insert(0, "table", name)
        frame["key"] = frame[model.KEY].astype(str)
        frame["source_name"] = [source_name(s) for s in frame["source"]]
        frame["reason"] = [selection_reason(n) for n in frame["note"]]
        frames.append(frame)
    if not frames:
        raise InputError("no official tables found under data/official/")
    return pd.concat(frames, ignore_index=True)


def _years_text(years: list[int]) -> str:
    """``[2013, 2014, 2015, 2018]`` -> ``"2013-2015, 2018"``."""
    years = sorted(set(years))
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else f"{r[0]}" for r in runs)


def official_summary(rows: pd.DataFrame, top_sources: int = 3) -> pd.DataFrame:
    """One row per official table: what it holds and where it comes from.

    Parameters
    ----------
    rows
        As returned by :func:`official_rows`.
    top_sources
        How many of the most frequent source names to list per table.

    Returns
    -------
    pandas.DataFrame
        Columns ``table``, ``rows``, ``preferred``, ``alternatives``,
        ``rounded_repeats`` and ``alternatives_differing`` (alternatives that round the
        preferred value, and those that differ from it otherwise; see :func:`agreement`),
        ``years`` (years with a preferred value), ``preliminary`` (rows with status
        preliminary), ``preferred_flagged`` (preferred rows that are not
        final/exact), ``n_sources`` (distinct source names) and ``main_sources``.
    """
    if top_sources < 1:
        raise InputError(f"top_sources must be at least 1 (got {top_sources})")
    alts = alternatives(rows)
    out = []
    for name, frame in rows.groupby("table", sort=False):
        pref = frame[frame["preferred"]]
        counts = frame["source_name"].value_counts()
        flagged = pref[(pref["status"] != "final") | (pref["qualifier"] != "exact")]
        table_alts = alts[alts["table"] == name]
        out.append(
            {
                "table": name,
                "rows": len(frame),
                "preferred": len(pref),
                "alternatives": len(frame) - len(pref),
                "rounded_repeats": int((table_alts["agreement"] == "rounded repeat").sum()),
                "alternatives_differing": int((table_alts["agreement"] == "different value").sum()),
                "years": _years_text(pref["year"].astype(int).tolist()),
                "preliminary": int((frame["status"] == "preliminary").sum()),
                "preferred_flagged": len(flagged),
                "n_sources": int(counts.size),
                "main_sources": ", ".join(
                    f"{s} ({n})" for s, n in counts.head(top_sources).items()
                ),
            }
        )
    return pd.DataFrame(out)


AGREEMENTS = ("same value", "rounded repeat", "different value")


def decimals(value: float) -> int:
    """Decimal places of a value as it reads (``2.8`` -> 1, ``15.4264`` -> 4, ``92`` -> 0)."""
    text = repr(float(value))
    if "e" in text or "." not in text:
        return 0
    fraction = text.split(".")[1]
    return 0 if fraction == "0" else len(fraction)


def agreement(preferred: float, alternative: float) -> str:
    """How an alternative value relates to the preferred one.

    ``"same value"``; ``"rounded repeat"`` when the preferred value, rounded to the
    alternative's decimal places, gives the alternative (MOFCOM's 2.8 for the NBS
    2.7898); otherwise ``"different value"`` (also when the preferred value is unknown).

    >>> agreement(2.7898, 2.8), agreement(1320.7, 1320.0), agreement(2.1, 2.1)
    ('rounded repeat', 'different value', 'same value')
    """
    if pd.isna(preferred):
        return "different value"
    if alternative == preferred:
        return "same value"
    if abs(round(preferred, decimals(alternative)) - alternative) < 1e-9:
        return "rounded repeat"
    return "different value"


def alternatives(rows: pd.DataFrame) -> pd.DataFrame:
    """Every alternative row beside the preferred row it lost to.

    Returns
    -------
    pandas.DataFrame
        Columns ``table``, ``series``, ``key``, ``measure``, ``preferred_value``,
        ``alternative_value``, ``same_value``, ``agreement`` (:func:`agreement`),
        ``reason``, ``status``, ``qualifier``,
        ``source_name``, ``raw_row``; alternatives whose preferred row cannot be found
        have NaN as ``preferred_value``.
    """
    pref = rows[rows["preferred"]].set_index(["table", "series", "key", "measure"])["value"]
    alt = rows[~rows["preferred"]].copy()
    keys = list(zip(alt["table"], alt["series"], alt["key"], alt["measure"], strict=True))
    alt["preferred_value"] = [float(pref.get(k, float("nan"))) for k in keys]
    alt["alternative_value"] = alt["value"].astype(float)
    alt["same_value"] = alt["alternative_value"] == alt["preferred_value"]
    alt["agreement"] = [
        agreement(p, a)
        for p, a in zip(alt["preferred_value"], alt["alternative_value"], strict=True)
    ]
    columns = [
        "table",
        "series",
        "key",
        "measure",
        "preferred_value",
        "alternative_value",
        "same_value",
        "agreement",
        "reason",
        "status",
        "qualifier",
        "source_name",
        "raw_row",
    ]
    return alt[columns].reset_index(drop=True)


def reason_counts(rows: pd.DataFrame) -> pd.DataFrame:
    """Alternatives by the selection step at which they lost and by how their value
    relates to the preferred one: index reason, one column per :data:`AGREEMENTS`."""
    alts = alternatives(rows)
    table = pd.crosstab(alts["reason"], alts["agreement"])
    order = [r for r in SELECTION_REASONS if r in table.index]
    return table.reindex(index=order, columns=list(AGREEMENTS), fill_value=0).astype(int)


def flagged_preferred(rows: pd.DataFrame) -> pd.DataFrame:
    """Preferred values that are not final and exact (estimates, bounds, preliminary,
    secondary, rounded), the caveats of ``data/official/README.md``: columns table,
    series, key, measure, value, unit, status, qualifier."""
    pref = rows[rows["preferred"]]
    flagged = pref[(pref["status"] != "final") | (pref["qualifier"] != "exact")]
    columns = ["table", "series", "key", "measure", "value", "unit", "status", "qualifier"]
    return flagged[columns].reset_index(drop=True)


def status_by_year(rows: pd.DataFrame) -> pd.DataFrame:
    """Status of the preferred value of each annual series and measure per year: one row
    per (table, series, measure, year) of the annual tables."""
    annual = [n for n, m in official.MODELS.items() if m.KEY == "year"]
    pref = rows[rows["preferred"] & rows["table"].isin(annual)]
    columns = ["table", "series", "measure", "year", "status", "qualifier"]
    return pref[columns].sort_values(["table", "series", "measure", "year"]).reset_index(drop=True)


def quality_by_series(rows: pd.DataFrame) -> pd.DataFrame:
    """Preferred values per series by the quality class of their source.

    Returns
    -------
    pandas.DataFrame
        One row per (table, series), columns ``table``, ``series``, one count per class of
        :data:`planbook.data.official.SOURCE_QUALITIES` (best first), ``single source``
        (preferred values only one stored copy carries) and ``preferred`` (all).
    """
    pref = rows[rows["preferred"]]
    table = pd.crosstab([pref["table"], pref["series"]], pref["source_quality"])
    table = table.reindex(columns=list(official.SOURCE_QUALITIES), fill_value=0)
    table["single source"] = pref.groupby(["table", "series"])["single_source"].sum()
    table["preferred"] = pref.groupby(["table", "series"]).size()
    order = {name: i for i, name in enumerate(official.MODELS)}
    table = table.reset_index().sort_values(
        ["table", "series"], key=lambda c: c.map(order) if c.name == "table" else c
    )
    table.columns.name = None
    return table.reset_index(drop=True).astype({c: int for c in table.columns[2:]})


def replaced_sources(rows: pd.DataFrame) -> pd.DataFrame:
    """Alternatives kept because a better copy of the same figure replaced them.

    Returns
    -------
    pandas.DataFrame
        One row per replaced source (an alternative whose note says it lost at the
        "source quality" step): ``table``, ``series``, ``key``, ``measure``, ``value``,
        ``replaced`` (its source name) and ``quality``, ``by`` (the preferred row's source
        name) and ``by_quality``.
    """
    keys = ["table", "series", "key", "measure"]
    pref = rows[rows["preferred"]].set_index(keys)[["source_name", "source_quality"]]
    pref.columns = ["by", "by_quality"]
    lost = rows[~rows["preferred"] & (rows["reason"] == "source quality")]
    out = lost[[*keys, "value", "source_name", "source_quality"]].join(pref, on=keys)
    out.columns = [*keys, "value", "replaced", "quality", "by", "by_quality"]
    return out.reset_index(drop=True)


def weak_single(rows: pd.DataFrame) -> pd.DataFrame:
    """Preferred values that rest on one weak copy only: no other stored copy carries them
    and their source is not a release, state media or a news organisation (columns table,
    series, key, measure, value, unit, status, source_name)."""
    pref = rows[rows["preferred"] & rows["single_source"] & (rows["source_quality"] == "weak")]
    columns = ["table", "series", "key", "measure", "value", "unit", "status", "source_name"]
    return pref[columns].reset_index(drop=True)


def source_counts(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows and tables per source name, most rows first: columns source_name, rows,
    tables."""
    grouped = rows.groupby("source_name")
    out = pd.DataFrame(
        {
            "rows": grouped.size(),
            "tables": grouped["table"].nunique(),
        }
    ).reset_index()
    return out.sort_values(["rows", "source_name"], ascending=[False, True]).reset_index(drop=True)


__all__ = [
    "AGREEMENTS",
    "SELECTION_REASONS",
    "agreement",
    "alternatives",
    "decimals",
    "flagged_preferred",
    "official_rows",
    "official_summary",
    "quality_by_series",
    "reason_counts",
    "replaced_sources",
    "selection_reason",
    "source_counts",
    "source_name",
    "status_by_year",
    "weak_single",
]
