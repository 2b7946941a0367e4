"""The plan's Chinese terms as search keywords of the chapters that reproduce their sections.

The chapter pages are written in English; a reader who types the plan's word (电商, 跨境电商)
should still find the chapter that checks the sections using it. The glossary
(``data/plan/glossary.csv``) says in which plan sections each term appears, the registry
which sections each chapter reproduces: a chapter's keywords are the terms of its sections.
They go into the search index only (see :func:`planbook.engine.search.without_code`), not
into the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from planbook.data.glossary import load_glossary, sections_of
from planbook.engine.registry import CHAPTERS, Chapter


def chapter_keywords(
    terms: Mapping[str, str], chapters: Iterable[Chapter] = CHAPTERS
) -> dict[str, list[str]]:
    """Each chapter's page name (its notebook stem) and the terms of its plan sections.

    Parameters
    ----------
    terms
        The glossary: a term as the plan writes it and its ``plan_sections`` cell
        (``"1.2; 3.1"``).
    chapters
        The chapters with the plan sections each reproduces.

    Returns
    -------
    dict
        Stem to terms in glossary order; chapters whose sections use no term are left out.
    """
    out: dict[str, list[str]] = {}
    for chapter in chapters:
        mine = set(chapter.sections)
        found = [term for term, cell in terms.items() if mine & set(sections_of(cell))]
        if found:
            out[chapter.stem] = found
    return out


def glossary_keywords(data_dir: Path | None = None) -> dict[str, list[str]]:
    """:func:`chapter_keywords` of the book's glossary (checked by its loader; the files
    it reads are :data:`planbook.engine.search.KEYWORD_FILES`)."""
    glossary = load_glossary(data_dir)
    return chapter_keywords(dict(zip(glossary["term_zh"], glossary["plan_sections"], strict=True)))


__all__ = ["chapter_keywords", "glossary_keywords"]
