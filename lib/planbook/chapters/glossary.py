"""The glossary page: the checked glossary table shaped for reading.

Sorting, the display table, where terms occur and the page's key numbers. The table
itself is loaded and validated by :func:`planbook.data.glossary.load_glossary`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from planbook.data.glossary import (
    SORT_CHOICES,
    TEXT_STATES,
    _section_key,
    load_glossary,
    sections_of,
)
from planbook.engine.registry import CHAPTERS
from planbook.errors import InputError

# --------------------------------------------------------------------------- views


def chapter_label(number: int) -> str:
    """``"3 Goals and strategy"``: a plan chapter's number and the book's title for it.

    Falls back to ``"Plan chapter N"`` when the book has no chapter of that number.
    """
    titles = {c.number: c.title for c in CHAPTERS}
    title = titles.get(number) if number <= 10 else None
    return f"{number} {title}" if title else f"Plan chapter {number}"


def _plain(text: str) -> str:
    """Lower-case text without tone marks, for sorting pinyin alphabetically."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def sort_glossary(glossary: pd.DataFrame, sort_by: str = "chapter") -> pd.DataFrame:
    """The glossary in display order.

    Parameters
    ----------
    glossary
        As returned by :func:`load_glossary`.
    sort_by
        ``"chapter"``: by the chapter and section where a term first appears, then in file
        order (the order of first appearance); ``"english"``: alphabetically by the English
        rendering; ``"term"``: alphabetically by pinyin without tone marks (terms without
        pinyin, such as GMV, by the term itself).

    Returns
    -------
    pandas.DataFrame
        The same rows, reordered, with a fresh index.

    Raises
    ------
    InputError
        If ``sort_by`` is not one of the choices.
    """
    if sort_by not in SORT_CHOICES:
        raise InputError(f"sort_by {sort_by!r} is not valid; use one of: {', '.join(SORT_CHOICES)}")
    frame = glossary.copy()
    frame["_order"] = range(len(frame))
    if sort_by == "chapter":
        frame["_key"] = [_section_key(s) for s in frame["first_section"]]
        keys = ["_key", "_order"]
    elif sort_by == "english":
        frame["_key"] = frame["english"].str.casefold()
        keys = ["_key", "_order"]
    else:
        frame["_key"] = [
            _plain(p) if p else _plain(t)
            for p, t in zip(frame["pinyin"], frame["term_zh"], strict=True)
        ]
        keys = ["_key", "_order"]
    return (
        frame.sort_values(keys, kind="stable")
        .drop(columns=["_key", "_order"])
        .reset_index(drop=True)
    )


def display_table(glossary: pd.DataFrame, sort_by: str = "chapter") -> pd.DataFrame:
    """The table shown on the page, indexed by (chapter where first used, row number).

    The first index level groups the terms by the plan chapter in which they first appear
    when ``sort_by="chapter"``; otherwise it holds one group, ``"All chapters"``.
    """
    ordered = sort_glossary(glossary, sort_by)
    if sort_by == "chapter":
        groups = [chapter_label(n) for n in ordered["first_chapter"]]
    else:
        groups = ["All chapters"] * len(ordered)
    table = ordered[["term_zh", "pinyin", "english", "plan_sections", "note"]].copy()
    table.index = pd.MultiIndex.from_arrays(
        [groups, range(1, len(table) + 1)], names=["first used in", "#"]
    )
    return table.rename(
        columns={
            "term_zh": "term",
            "english": "English",
            "plan_sections": "plan sections",
        }
    )


def occurrences(glossary: pd.DataFrame) -> pd.DataFrame:
    """One row per (term, section) in which the term appears: columns term_zh, english,
    section, chapter."""
    rows = [
        {"term_zh": t, "english": e, "section": s, "chapter": _section_key(s)[0]}
        for t, e, v in zip(
            glossary["term_zh"], glossary["english"], glossary["plan_sections"], strict=True
        )
        for s in sections_of(v)
    ]
    return pd.DataFrame(rows, columns=["term_zh", "english", "section", "chapter"])


def terms_per_chapter(glossary: pd.DataFrame, chapters: list[int] | None = None) -> pd.DataFrame:
    """Per plan chapter: terms first used there (``introduced``) and terms used there at all
    (``used``).

    Parameters
    ----------
    glossary
        As returned by :func:`load_glossary`.
    chapters
        Chapters to report (zeros where no term appears); default the chapters with terms.
    """
    occ = occurrences(glossary)
    used = occ.drop_duplicates(["term_zh", "chapter"]).groupby("chapter").size()
    introduced = glossary.groupby("first_chapter").size()
    index = sorted(chapters) if chapters is not None else sorted(used.index)
    out = pd.DataFrame(index=pd.Index(index, name="chapter"))
    out["introduced"] = introduced.reindex(out.index, fill_value=0).astype(int)
    out["used"] = used.reindex(out.index, fill_value=0).astype(int)
    return out.reset_index()


def terms_per_section(glossary: pd.DataFrame, sections: pd.DataFrame) -> pd.DataFrame:
    """Glossary terms appearing in each section of the plan (zero for sections without
    text), with the section's state: columns section, chapter, state, terms."""
    counts = occurrences(glossary).groupby("section").size()
    out = sections[["section", "chapter", "state"]].copy().reset_index(drop=True)
    out["terms"] = [int(counts.get(s, 0)) for s in out["section"]]
    return out


def widespread_terms(glossary: pd.DataFrame, top: int) -> pd.DataFrame:
    """The ``top`` terms that appear in the most sections (ties: first appearance first)."""
    if top < 1:
        raise InputError(f"top must be at least 1 (got {top})")
    frame = glossary.reset_index(drop=True)
    order = sorted(range(len(frame)), key=lambda i: (-int(frame["n_sections"].iloc[i]), i))
    return frame.iloc[order[:top]].reset_index(drop=True)


def presence(glossary: pd.DataFrame, chapters: list[int]) -> pd.DataFrame:
    """Sections per chapter in which each term appears: one row per term (index
    ``term_zh``), one column per chapter."""
    occ = occurrences(glossary)
    table = pd.crosstab(occ["term_zh"], occ["chapter"]).reindex(
        index=list(glossary["term_zh"]), columns=chapters, fill_value=0
    )
    table.columns.name = "chapter"
    return table


def term_label(english: str, term: str) -> str:
    """A term's label on a chart: the English rendering, with the term itself when the
    plan writes it in Latin letters (``"gross merchandise volume (GMV)"``)."""
    return f"{english} ({term})" if term.isascii() else english


ORDER_TEXTS: dict[str, str] = {
    "chapter": "by the plan chapter in which each term first appears (one table per chapter), "
    "and within a chapter in order of first appearance",
    "english": "alphabetically by the English rendering",
    "term": "alphabetically by pinyin (tone marks ignored)",
}
"""How the page says the list is ordered, by ``sort_by``."""


@dataclass(frozen=True)
class GlossaryPage:
    """Everything the glossary page shows, named as the page refers to it.

    Numbers and text are glued under their field names; the tables are shown.
    """

    # the terms
    n_terms: int
    n_chapters: int
    n_sections_used: int
    order_text: str
    # where the terms appear
    most_new_chapter: int
    most_new_count: int
    most_used_chapter: int
    most_used_count: int
    most_used_introduced: int
    densest_section: str
    densest_terms: int
    median_section_terms: float
    no_text_list: str
    # the most widespread terms
    top_n: int
    top_mean: float
    top_term_english: str
    top_term_sections: int
    median_sections: float
    # tables
    table: pd.DataFrame = field(repr=False)
    per_chapter: pd.DataFrame = field(repr=False)
    per_section: pd.DataFrame = field(repr=False)
    top: pd.DataFrame = field(repr=False)
    presence: pd.DataFrame = field(repr=False)


def _first_by(frame: pd.DataFrame, column: str) -> pd.Series:
    """The row with the most ``column``, the earliest chapter among ties."""
    ranked = frame.sort_values([column, "chapter"], ascending=[False, True])
    return ranked.iloc[0]


def compute(params: Any, sections: pd.DataFrame, glossary: pd.DataFrame) -> GlossaryPage:
    """The glossary page under ``params`` (a ``GlossaryParams``).

    Parameters
    ----------
    params
        ``sort_by`` (the order of the list) and ``top_terms`` (how many of the most
        widespread terms to chart).
    sections
        The plan's sections (:func:`planbook.data.plan.load_sections`).
    glossary
        The glossary (:func:`planbook.data.glossary.load_glossary`).
    """
    chapters = sorted(sections["chapter"].unique().tolist())
    per_chapter = terms_per_chapter(glossary, chapters)
    busiest = _first_by(per_chapter, "used")
    newest = _first_by(per_chapter, "introduced")
    per_section = terms_per_section(glossary, sections)
    densest = per_section.sort_values("terms", ascending=False, kind="stable").iloc[0]
    has_text = per_section["state"].isin(TEXT_STATES)
    top = widespread_terms(glossary, params.top_terms)
    top["label"] = [term_label(e, t) for e, t in zip(top["english"], top["term_zh"], strict=True)]
    most = top.iloc[0]
    matrix = presence(glossary, chapters).loc[top["term_zh"]]
    matrix.index = top["label"].tolist()
    return GlossaryPage(
        n_terms=len(glossary),
        n_chapters=glossary["first_chapter"].nunique(),
        n_sections_used=occurrences(glossary)["section"].nunique(),
        order_text=ORDER_TEXTS[params.sort_by],
        most_new_chapter=int(newest["chapter"]),
        most_new_count=int(newest["introduced"]),
        most_used_chapter=int(busiest["chapter"]),
        most_used_count=int(busiest["used"]),
        most_used_introduced=int(busiest["introduced"]),
        densest_section=str(densest["section"]),
        densest_terms=int(densest["terms"]),
        median_section_terms=float(per_section.loc[has_text, "terms"].median()),
        no_text_list=", ".join(per_section.loc[~has_text, "section"]),
        top_n=len(top),
        top_mean=float(top["n_sections"].mean()),
        top_term_english=str(most["english"]),
        top_term_sections=int(most["n_sections"]),
        median_sections=float(glossary["n_sections"].median()),
        table=display_table(glossary, params.sort_by),
        per_chapter=per_chapter,
        per_section=per_section.assign(has_text=has_text),
        top=top,
        presence=matrix,
    )


@dataclass(frozen=True)
class MethodTerms:
    """The glossary's second table: the terms of the book's own methods.

    Attributes
    ----------
    n_method_terms : int
        Terms listed.
    table : pandas.DataFrame
        term (with its abbreviation), meaning, the book's chapters that use it and the
        source of the definition, in alphabetical order.
    """

    n_method_terms: int
    table: pd.DataFrame = field(repr=False)


def method_terms(terms: pd.DataFrame) -> MethodTerms:
    """The method terms (:func:`planbook.data.book.load_method_terms`) as the page lists them."""
    abbreviation = terms["abbreviation"].fillna("")
    label = terms["term"].where(abbreviation == "", terms["term"] + " (" + abbreviation + ")")
    table = pd.DataFrame(
        {
            "term": label,
            "meaning": terms["definition"],
            "used in chapters": terms["chapters"].str.replace(";", ",", regex=False),
            "source": terms["source"],
        }
    )
    order = label.str.lower().sort_values(kind="stable").index
    return MethodTerms(n_method_terms=len(terms), table=table.loc[order].reset_index(drop=True))


def headline(params: object, claims: pd.DataFrame | None = None) -> dict[str, float]:
    """The glossary's key numbers (the page's last cell prints them).

    Parameters
    ----------
    params
        The chapter's parameters (:class:`~planbook.engine.params.GlossaryParams`); ``top_terms``
        sets how many of the most widespread terms are summarised.
    claims
        Unused (every chapter's ``headline`` takes it); the glossary is its own table.
    """
    glossary = load_glossary()
    top = widespread_terms(glossary, int(getattr(params, "top_terms", 15)))
    return {
        "terms": float(len(glossary)),
        "chapters_covered": float(glossary["first_chapter"].nunique()),
        "sections_covered": float(occurrences(glossary)["section"].nunique()),
        "max_sections_per_term": float(glossary["n_sections"].max()),
        "median_sections_per_term": float(glossary["n_sections"].median()),
        "top_terms_mean_sections": float(top["n_sections"].mean()),
    }


__all__ = [
    "ORDER_TEXTS",
    "SORT_CHOICES",
    "GlossaryPage",
    "compute",
    "term_label",
    "chapter_label",
    "display_table",
    "headline",
    "occurrences",
    "presence",
    "sort_glossary",
    "terms_per_chapter",
    "terms_per_section",
    "widespread_terms",
]
