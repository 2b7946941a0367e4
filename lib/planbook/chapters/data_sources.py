"""The book's data sources: every table under ``data/``, its schema, its provenance.

Computations for the "Data sources" appendix. Every CSV file under ``data/`` is found by
walking the folder (:func:`csv_files`), so a table added later appears on the page without
a change here; a file with no loader is listed as not validated. For the official tables,
the choices documented in ``data/official/README.md`` are read back from the data: each
row's ``status``, ``qualifier``, ``preferred`` flag and the selection reason that
``build_tables.py`` writes at the head of its ``note`` (:func:`selection_reason`).
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import annotated_types
import pandas as pd
from pydantic import BaseModel

from planbook.data import glossary, official
from planbook.data import plan as data
from planbook.errors import InputError
from planbook.paths import default_data_dir


@dataclass(frozen=True)
class Loader:
    """How the book reads one CSV file: the loader's dotted name, its call and row model."""

    name: str
    load: Callable[[Path], pd.DataFrame] | None
    model: type[BaseModel] | None
    note: str = ""


RAW_NOTE = (
    "raw input of data/official/build_tables.py, never read by a chapter; checked by "
    "rebuilding the official tables byte for byte (tests/test_official.py) and by its "
    "checksum in data/official/README.md"
)


def loaders() -> dict[str, Loader]:
    """The loader of each known CSV file, keyed by its path relative to ``data/``."""
    known: dict[str, Loader] = {
        "plan/claims.csv": Loader(
            "planbook.data.plan.load_claims", data.load_claims, data.ClaimRow
        ),
        "plan/sections.csv": Loader(
            "planbook.data.plan.load_sections", data.load_sections, data.SectionRow
        ),
        "plan/glossary.csv": Loader(
            "planbook.data.glossary.load_glossary", glossary.load_glossary, glossary.GlossaryRow
        ),
        "official/raw/official_stats.csv": Loader("none", None, None, RAW_NOTE),
    }
    for name, model in official.MODELS.items():
        known[f"official/{name}.csv"] = Loader(
            "planbook.data.official.load_official",
            lambda d, n=name: official.load_official(n, d),
            model,
        )
    return known


def csv_files(data_dir: Path | None = None) -> list[Path]:
    """Every ``*.csv`` file below ``data_dir`` (default the book's ``data/``), sorted."""
    root = Path(data_dir or default_data_dir())
    return sorted(p for p in root.rglob("*.csv") if p.is_file())


def relative(path: Path, data_dir: Path | None = None) -> str:
    """A file's path relative to ``data/``, with forward slashes."""
    return path.relative_to(Path(data_dir or default_data_dir())).as_posix()


def load_table(path: Path, data_dir: Path | None = None) -> pd.DataFrame:
    """Read one CSV under ``data/`` through its loader (validated), or plainly if it has
    none (every value as text)."""
    data_dir = Path(data_dir or default_data_dir())
    loader = loaders().get(relative(path, data_dir))
    if loader is not None and loader.load is not None:
        return loader.load(data_dir)
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def load_all(data_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    """Every CSV under ``data/``, loaded (see :func:`load_table`), keyed by relative path."""
    data_dir = Path(data_dir or default_data_dir())
    return {relative(p, data_dir): load_table(p, data_dir) for p in csv_files(data_dir)}


def inventory(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per CSV file: rows, columns, loader, row model and whether it is validated.

    Parameters
    ----------
    tables
        As returned by :func:`load_all`.

    Returns
    -------
    pandas.DataFrame
        Columns ``file`` (relative to ``data/``), ``rows``, ``n_columns``, ``columns``
        (the file's own columns, comma-separated), ``loader``, ``row_model``,
        ``validated`` and ``note``.
    """
    known = loaders()
    rows = []
    for rel, frame in tables.items():
        loader = known.get(rel)
        model = loader.model if loader else None
        columns = list(model.model_fields) if model is not None else list(frame.columns)
        rows.append(
            {
                "file": rel,
                "rows": len(frame),
                "n_columns": len(columns),
                "columns": ", ".join(columns),
                "loader": loader.name if loader else "none",
                "row_model": model.__name__ if model is not None else "none",
                "validated": bool(loader and loader.load is not None),
                "note": loader.note if loader else "no loader: not validated, not used",
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- schemas


def _type_text(annotation: Any) -> str:
    if typing.get_origin(annotation) is Literal:
        return "one of: " + ", ".join(str(a) for a in typing.get_args(annotation))
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if args and len(args) < len(typing.get_args(annotation)):
        return f"{_type_text(args[0])} (optional)"
    return getattr(annotation, "__name__", str(annotation))


def _constraints(metadata: list[Any]) -> str:
    parts = []
    for m in metadata:
        for attr, word in (
            ("ge", ">="),
            ("gt", ">"),
            ("le", "<="),
            ("lt", "<"),
            ("min_length", "min length"),
            ("max_length", "max length"),
        ):
            value = getattr(m, attr, None)
            if value is not None and isinstance(m, annotated_types.BaseMetadata):
                parts.append(f"{word} {value}")
        pattern = getattr(m, "pattern", None)
        if pattern:
            parts.append(f"pattern {pattern}")
    return "; ".join(parts)


def schema_table(model: type[BaseModel]) -> pd.DataFrame:
    """A row model's columns: ``column``, ``type`` (with choices) and ``constraints``
    (ranges, lengths, patterns; validators in code are not listed)."""
    rows = []
    for name, info in model.model_fields.items():
        rows.append(
            {
                "column": name,
                "type": _type_text(info.annotation),
                "required": info.is_required(),
                "constraints": _constraints(list(info.metadata)),
            }
        )
    return pd.DataFrame(rows)


def official_models() -> pd.DataFrame:
    """How each official table narrows the shared :class:`~planbook.data.official.OfficialRow`:
    its row model, the column that with series and measure keys an observation (``year``
    or ``period``), its allowed units and series."""
    rows = []
    for name, model in official.MODELS.items():
        fields = model.model_fields
        rows.append(
            {
                "table": name,
                "row_model": model.__name__,
                "key": model.KEY,
                "units": ", ".join(typing.get_args(fields["unit"].annotation)),
                "series": ", ".join(typing.get_args(fields["series"].annotation)),
            }
        )
    return pd.DataFrame(rows)


def compact(
    frame: pd.DataFrame,
    caption: str | None = None,
    wrap: tuple[str, ...] = (),
    formats: dict[str, str] | None = None,
) -> Any:
    """A small-type table for the page: no index, one line per row except the ``wrap``
    columns (long text), optional caption and number formats. Returns a pandas Styler."""
    styler = frame.style.hide(axis="index").set_table_styles(
        [
            {
                "selector": "td, th",
                "props": "white-space: nowrap; font-size: 0.85em; padding: 0.1em 0.6em;",
            }
        ]
    )
    if wrap:
        styler = styler.set_properties(
            subset=list(wrap), **{"white-space": "normal", "min-width": "18em"}
        )
    if formats:
        styler = styler.format(formats, na_rep="")
    if caption:
        styler = styler.set_caption(caption)
    return styler


# --------------------------------------------------------------------------- official


SELECTION_REASONS = (
    "only value found",
    "preferred over alternatives",
    "explicit rule",
    "status",
    "qualifier",
    "precision",
    "raw-file order",
    "unstated",
)
"""Why a row of an official table is (or is not) preferred; the order of the README's
selection steps."""

_ALTERNATIVE = re.compile(r"^alternative to raw row (\d+) \(([^)]*)\): ([^;]+)")


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
    if reason.endswith(")") and " figure (preferred row is " in reason:
        return "qualifier"
    if reason.startswith("less precise"):
        return "precision"
    if reason.startswith("same standing"):
        return "raw-file order"
    return "unstated"


def source_name(source: str) -> str:
    """A short name of a row's source: the web host, the GitHub repository, or the kind
    of source when neither is given.

    >>> source_name("page https://www.stats.gov.cn/sj/zxfb/x.html (NBS 2024-01-17)")
    'stats.gov.cn'
    >>> source_name("GitHub liunian/liunian.github.io data/china-retail-amount.js (NBS)")
    'github.com/liunian/liunian.github.io'
    """
    url = re.search(r"https?://([^/\s)]+)", source)
    if url:
        host = url.group(1).lower()
        return host.removeprefix("www.")
    repo = re.match(r"GitHub ([\w.-]+/[\w.-]+) ", source)
    if repo:
        return f"github.com/{repo.group(1)}"
    if source.startswith("GitHub file"):
        return "GitHub file (repository not named)"
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


# --------------------------------------------------------------------------- claims


def claims_coverage(claims: pd.DataFrame, sections: pd.DataFrame) -> pd.DataFrame:
    """Claims per plan chapter and kind, with totals.

    Returns
    -------
    pandas.DataFrame
        Index ``chapter`` (every chapter of ``sections``, then ``"all"``), one column per
        kind in the order of the schema, and ``total``.
    """
    kinds = list(typing.get_args(data.Kind))
    chapters = sorted(sections["chapter"].astype(int).unique())
    table = pd.crosstab(claims["chapter"].astype(int), claims["kind"]).reindex(
        index=chapters, columns=kinds, fill_value=0
    )
    table["total"] = table.sum(axis=1)
    table.loc["all"] = table.sum(axis=0)
    table.index.name = "chapter"
    table.columns.name = None
    return table.astype(int)


def sections_without_claims(claims: pd.DataFrame, sections: pd.DataFrame) -> pd.DataFrame:
    """Sections of the plan that hold no claim, with their state and note."""
    empty = sections[~sections["section"].isin(set(claims["section"]))]
    return empty[["section", "title_en", "state", "note"]].reset_index(drop=True)


# --------------------------------------------------------------------------- headline


def headline(params: object, claims: pd.DataFrame) -> dict[str, float]:
    """The data-sources page's key numbers.

    Parameters
    ----------
    params
        The chapter's parameters (:class:`~planbook.engine.params.DataSourcesParams`); they only
        change what the page shows, not these numbers.
    claims
        The claims table (:func:`planbook.data.plan.load_claims`).
    """
    tables = load_all()
    inv = inventory(tables)
    rows = official_rows(tables)
    alts = alternatives(rows)
    return {
        "csv_files": float(len(inv)),
        "validated_files": float(inv["validated"].sum()),
        "claims": float(len(claims)),
        "official_rows": float(len(rows)),
        "official_alternatives": float(len(alts)),
        "alternatives_differing": float((alts["agreement"] == "different value").sum()),
        "preferred_flagged": float(len(flagged_preferred(rows))),
        "source_names": float(rows["source_name"].nunique()),
    }


__all__ = [
    "Loader",
    "AGREEMENTS",
    "SELECTION_REASONS",
    "agreement",
    "alternatives",
    "claims_coverage",
    "compact",
    "csv_files",
    "decimals",
    "flagged_preferred",
    "headline",
    "inventory",
    "load_all",
    "load_table",
    "loaders",
    "official_models",
    "official_rows",
    "official_summary",
    "reason_counts",
    "relative",
    "schema_table",
    "selection_reason",
    "sections_without_claims",
    "source_counts",
    "source_name",
    "status_by_year",
]
