"""What the data-sources page shows, by name: :func:`compute`, and its key numbers."""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from planbook.chapters.data_sources.primary import data_as_of, primary_sources, series_labels
from planbook.chapters.data_sources.provenance import (
    alternatives,
    flagged_preferred,
    official_rows,
    official_summary,
    quality_by_series,
    reason_counts,
    replaced_sources,
    source_counts,
    status_by_year,
    weak_single,
)
from planbook.chapters.data_sources.tables import (
    file_title,
    inventory,
    load_all,
    loaders,
    official_models,
    schema_table,
)
from planbook.data import official
from planbook.data import plan as data
from planbook.data.publications import load_publications
from planbook.data.text import tally

CUT_AT = 28
"""Characters of a cell a preview shows before it cuts the text."""

BREAK_WORDS = {
    "level_shift": ("level shift", "level shifts"),
    "definition_change": ("definition change", "definition changes"),
    "unverified": ("unverified figure", "unverified figures"),
}
"""How the page names a kind of break (singular, plural)."""

PLAN_SCHEMAS: tuple[str, ...] = ("plan/claims.csv", "plan/sections.csv", "plan/glossary.csv")
"""The plan's tables whose row models the page lists."""


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
    pref = rows[rows["preferred"]]
    return {
        "csv_files": float(len(inv)),
        "validated_files": float(inv["validated"].sum()),
        "claims": float(len(claims)),
        "official_rows": float(len(rows)),
        "official_alternatives": float(len(alts)),
        "alternatives_differing": float((alts["agreement"] == "different value").sum()),
        "preferred_flagged": float(len(flagged_preferred(rows))),
        "source_names": float(rows["source_name"].nunique()),
        "preferred_primary_or_media": float(
            pref["source_quality"].isin(["primary", "official_media"]).sum()
        ),
        "preferred_weak_single": float(len(weak_single(rows))),
        "replaced_sources": float(len(replaced_sources(rows))),
        "known_breaks": float(len(tables["official/breaks.csv"])),
    }


@dataclass(frozen=True)
class DataSources:
    """Everything the data-sources page shows, named as the page refers to it.

    Numbers and text are glued under their field names; the tables are shown. Mappings
    of tables are keyed by the caption the page gives each.
    """

    # every table under data/
    n_csv_files: int
    n_rows_all: int
    n_validated: int
    n_unvalidated: int
    unvalidated_list: str
    n_official_tables: int
    # where the official figures come from
    n_official_rows: int
    n_source_names: int
    top_source: str
    top_source_rows: int
    top_source_share: float
    n_preferred: int
    n_flagged: int
    # primary sources and the "data as of" stamp
    vintage: str
    as_of_period: str
    n_publications: int
    n_publishers: int
    # source quality, breaks
    n_primary: int
    n_official_media: int
    n_secondary_copy: int
    n_weak: int
    n_single: int
    n_weak_single: int
    n_replaced: int
    n_breaks: int
    break_kinds: str
    # preferred values and the alternatives kept
    n_alternatives: int
    n_same: int
    n_rounded: int
    n_differing: int
    n_explicit: int
    n_unstated: int
    reasons_text: str
    # how the claims cover the plan
    n_claims: int
    n_targets: int
    target_share: float
    n_case: int
    n_actual: int
    busiest_chapter: int
    busiest_count: int
    n_empty_sections: int
    empty_list: str
    # checks of the tables
    n_keys_checked: int
    check_preferred: str
    check_linked: str
    check_reasons: str
    # previews
    show_rows: int
    cut_at: int
    # tables
    primary: pd.DataFrame = field(repr=False)
    inventory: pd.DataFrame = field(repr=False)
    table_rows: pd.DataFrame = field(repr=False)
    schemas: dict[str, pd.DataFrame] = field(repr=False)
    official_schema: pd.DataFrame = field(repr=False)
    official_models: pd.DataFrame = field(repr=False)
    official_counts: pd.DataFrame = field(repr=False)
    official_years: pd.DataFrame = field(repr=False)
    status: pd.DataFrame = field(repr=False)
    quality: pd.DataFrame = field(repr=False)
    vintages: pd.DataFrame = field(repr=False)
    breaks: pd.DataFrame = field(repr=False)
    replaced: pd.DataFrame = field(repr=False)
    reasons: pd.DataFrame = field(repr=False)
    differing: pd.DataFrame = field(repr=False)
    flagged: pd.DataFrame = field(repr=False)
    coverage: pd.DataFrame = field(repr=False)
    empty: pd.DataFrame = field(repr=False)
    previews: dict[str, pd.DataFrame] = field(repr=False)


def rows_by_table(inv: pd.DataFrame, alts: pd.DataFrame) -> pd.DataFrame:
    """Rows per file: ``used`` (rows a chapter can read) and ``kept`` (official
    alternatives kept beside the preferred row), and the file's ``kind`` (plan, official
    or raw). Index: the file, relative to ``data/``."""
    counts = inv.set_index("file")["rows"]
    per_table = alts.groupby("table").size()
    tables = [f.removeprefix("official/").removesuffix(".csv") for f in counts.index]
    kept = pd.Series([int(per_table.get(t, 0)) for t in tables], index=counts.index)
    kinds = [
        "plan" if f.startswith("plan/") else "raw" if "/raw/" in f else "official"
        for f in counts.index
    ]
    return pd.DataFrame({"used": counts - kept, "kept": kept, "kind": kinds})


def shorten(value: object, cut_at: int = CUT_AT) -> str:
    """A cell as text, cut to ``cut_at`` characters with an ellipsis; a missing value as
    an empty cell (never ``nan``)."""
    missing = value is None or (isinstance(value, float) and value != value)
    text = "" if missing else str(value)
    return text if len(text) <= cut_at else text[: cut_at - 1] + "\u2026"


def previews(tables: dict[str, pd.DataFrame], show_rows: int) -> dict[str, pd.DataFrame]:
    """The first ``show_rows`` rows of each table, cells shortened, by caption."""
    if show_rows <= 0:
        return {}
    return {
        f"data/{name} ({len(frame)} rows)": frame.head(show_rows).map(shorten)
        for name, frame in tables.items()
    }


def titled_previews(
    tables: dict[str, pd.DataFrame], show_rows: int, names: dict[str, str]
) -> dict[str, pd.DataFrame]:
    """:func:`previews` keyed by the file's name in words and its size."""
    shown = previews(tables, show_rows)
    return {
        f"{file_title(name, names)}: the first rows of {len(tables[name]):,}": frame
        for name, frame in zip(tables, shown.values(), strict=False)
    }


def _differing(alts: pd.DataFrame) -> pd.DataFrame:
    columns = ["series", "key", "measure", "preferred_value", "alternative_value", "reason"]
    shown = alts.loc[alts["agreement"] == "different value", [*columns, "status", "source_name"]]
    return shown.rename(
        columns={
            "preferred_value": "preferred",
            "alternative_value": "alternative",
            "source_name": "source",
        }
    )


def vintages(rows: pd.DataFrame) -> pd.DataFrame:
    """Per official table, the latest source date (its "data as of") and how many rows
    state a date: columns ``table``, ``data as of``, ``dated rows``, ``rows``."""
    out = []
    for name, frame in rows.groupby("table", sort=False):
        dated = frame["source_date"][frame["source_date"] != ""]
        out.append(
            {
                "table": name,
                "data as of": max(dated, default=""),
                "dated rows": len(dated),
                "rows": len(frame),
            }
        )
    return pd.DataFrame(out)


WORDED = ("measure", "status", "qualifier", "quality", "preferred quality", "reason")
"""Columns whose values are codes written with underscores (``yoy_pct``, ``official_media``)."""

MEASURE_WORDS = {"level": "level", "yoy_pct": "growth (%)", "share_pct": "share (%)"}
"""How the page names a measure of the official tables."""


def in_words(frame: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """``frame`` as the page shows it: a ``table`` column of official table names by the
    tables' English names, the codes of :data:`WORDED` columns in words."""
    out = frame.copy()
    if "table" in out.columns:
        out["table"] = [file_title(f"official/{t}.csv", names) for t in out["table"]]
    for col in (c for c in WORDED if c in out.columns):
        words = MEASURE_WORDS if col == "measure" else {}
        out[col] = [words.get(v, str(v).replace("_", " ")) for v in out[col]]
    return out


def _verdict(holds: bool) -> str:
    return "holds" if holds else "fails"


def _reasons_text(n_explicit: int, n_unstated: int) -> str:
    """Why the alternatives lost, counted without zero-count artefacts."""
    text = tally(
        [
            (n_explicit, "decided by an explicit rule"),
            (n_unstated, "left without a recorded reason"),
        ],
        ("was", "were"),
    )
    return text[:1].upper() + text[1:]


def compute(
    params: Any, claims: pd.DataFrame, sections: pd.DataFrame, data_dir: Path | None = None
) -> DataSources:
    """The data-sources page under ``params`` (a ``DataSourcesParams``).

    Parameters
    ----------
    params
        ``show_rows`` (rows per preview) and ``top_sources`` (source names per official
        table); they change what is shown, not the counts.
    claims, sections
        The plan's tables (:func:`planbook.data.plan.load_claims`, ``load_sections``).
    data_dir
        The ``data/`` folder (default the book's).
    """
    tables = load_all(data_dir)
    inv = inventory(tables)
    rows = official_rows(tables)
    alts = alternatives(rows)
    by_source = source_counts(rows).set_index("source_name")["rows"]
    top_source = str(by_source.idxmax())
    summary = official_summary(rows, params.top_sources)
    status = status_by_year(rows)
    status["label"] = status["series"] + " (" + status["measure"] + ")"
    flagged = flagged_preferred(rows)
    coverage = claims_coverage(claims, sections)
    totals = coverage.loc["all"]
    by_chapter = coverage.drop(index="all")["total"]
    empty = sections_without_claims(claims, sections)
    keys = rows.groupby(["table", "series", "key", "measure"])["preferred"].sum()
    pref = rows[rows["preferred"]]
    classes = pref["source_quality"].value_counts()
    breaks = tables["official/breaks.csv"]
    kinds = breaks["kind"].value_counts()
    agreements, reasons = alts["agreement"], alts["reason"]
    known = loaders()
    names = series_labels(data_dir)
    as_of = data_as_of(rows)
    primary = primary_sources(rows, load_publications(data_dir), names)
    inv.insert(0, "title", [file_title(f, names) for f in inv["file"]])
    return DataSources(
        n_csv_files=len(inv),
        n_rows_all=int(inv["rows"].sum()),
        n_validated=int(inv["validated"].sum()),
        n_unvalidated=int((~inv["validated"]).sum()),
        unvalidated_list=", ".join(t.lower() for t in inv.loc[~inv["validated"], "title"])
        or "none",
        n_official_tables=len(official.MODELS),
        n_official_rows=len(rows),
        n_source_names=len(by_source),
        top_source=top_source,
        top_source_rows=int(by_source[top_source]),
        top_source_share=by_source[top_source] / len(rows) * 100,
        n_preferred=int(rows["preferred"].sum()),
        n_flagged=len(flagged),
        vintage=as_of.source_date,
        as_of_period=as_of.period_text,
        n_publications=len(primary),
        n_publishers=int(primary["publisher"].nunique()),
        n_primary=int(classes.get("primary", 0)),
        n_official_media=int(classes.get("official_media", 0)),
        n_secondary_copy=int(classes.get("secondary_copy", 0)),
        n_weak=int(classes.get("weak", 0)),
        n_single=int(pref["single_source"].sum()),
        n_weak_single=len(weak_single(rows)),
        n_replaced=len(replaced_sources(rows)),
        n_breaks=len(breaks),
        break_kinds=", ".join(
            f"{int(kinds[k])} {BREAK_WORDS[k][int(kinds[k]) != 1]}"
            for k in official.BREAK_KINDS
            if k in kinds
        ),
        n_alternatives=len(alts),
        n_same=int((agreements == "same value").sum()),
        n_rounded=int((agreements == "rounded repeat").sum()),
        n_differing=int((agreements == "different value").sum()),
        n_explicit=int((reasons == "explicit rule").sum()),
        n_unstated=int((reasons == "unstated").sum()),
        reasons_text=_reasons_text(
            int((reasons == "explicit rule").sum()), int((reasons == "unstated").sum())
        ),
        n_claims=len(claims),
        n_targets=int(totals["target"]),
        target_share=totals["target"] / len(claims) * 100,
        n_case=int(totals["case_study"]),
        n_actual=int(totals["actual"]),
        busiest_chapter=int(by_chapter.idxmax()),
        busiest_count=int(by_chapter.max()),
        n_empty_sections=len(empty),
        empty_list=", ".join(empty["section"] + " (" + empty["state"] + ")"),
        n_keys_checked=len(keys),
        check_preferred=_verdict(bool((keys == 1).all())),
        check_linked=_verdict(bool(alts["preferred_value"].notna().all())),
        check_reasons=_verdict(bool((rows["reason"] != "unstated").all())),
        show_rows=params.show_rows,
        cut_at=CUT_AT,
        primary=primary,
        inventory=inv,
        table_rows=rows_by_table(inv, alts),
        schemas={
            f"{file_title(name)}: its columns and their checks": schema_table(known[name].model)
            for name in PLAN_SCHEMAS
        },
        official_schema=schema_table(official.OfficialRow),
        official_models=official_models(),
        official_counts=in_words(summary.drop(columns=["years", "main_sources"]), names).rename(
            columns={
                "rounded_repeats": "rounded repeats",
                "alternatives_differing": "differing",
                "preferred_flagged": "flagged",
                "n_sources": "sources",
            }
        ),
        official_years=in_words(summary[["table", "years", "main_sources"]], names),
        status=status,
        quality=in_words(quality_by_series(rows), names),
        vintages=in_words(vintages(rows), names),
        breaks=breaks[["series", "period", "kind", "description", "source"]],
        replaced=in_words(replaced_sources(rows), names).rename(
            columns={
                "replaced": "replaced source",
                "by": "preferred source",
                "by_quality": "preferred quality",
            }
        ),
        reasons=reason_counts(rows),
        differing=in_words(_differing(alts), names),
        flagged=in_words(flagged.drop(columns="table"), names),
        coverage=coverage,
        empty=empty,
        previews=titled_previews(tables, params.show_rows, names),
    )


__all__ = [
    "CUT_AT",
    "MEASURE_WORDS",
    "WORDED",
    "in_words",
    "PLAN_SCHEMAS",
    "DataSources",
    "compute",
    "previews",
    "rows_by_table",
    "shorten",
    "titled_previews",
    "vintages",
    "claims_coverage",
    "headline",
    "sections_without_claims",
]
