"""The book's method terms (data/book/method_terms.csv) on the glossary page."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from planbook.chapters.glossary import method_terms
from planbook.data.book import load_method_terms
from planbook.engine.registry import CHAPTERS
from planbook.errors import DataFileError

REPO = Path(__file__).resolve().parents[1]
ISSUE_TERMS = ("LTV", "CAC", "NPV", "IRR", "MASE", "ETS", "drift", "AICc", "Monte Carlo")
"""Terms the pages use that a reader may not know (the reader issue's list, less the
Winkler score: no page shows one)."""


LISTS = {13, 14}
"""The data sources appendix and the glossary: they show the table itself."""


def chapter_numbers(cell: str) -> list[int]:
    return [int(part) for part in cell.split(";")]


def test_the_table_loads_and_covers_the_terms_the_pages_use() -> None:
    terms = load_method_terms()
    names = " | ".join([*terms["term"], *terms["abbreviation"].dropna()])
    missing = [term for term in ISSUE_TERMS if term not in names]
    assert not missing, missing
    assert {"lognormal distribution", "prediction interval"} <= set(terms["term"])


def test_every_reference_is_in_the_bibliography() -> None:
    bib = (REPO / "book" / "references.bib").read_text(encoding="utf-8")
    keys = set(re.findall(r"^@\w+\{([^,]+),", bib, flags=re.M))
    assert set(load_method_terms()["reference"]) <= keys


def test_every_chapter_listed_exists() -> None:
    numbers = {c.number for c in CHAPTERS}
    for cell in load_method_terms()["chapters"]:
        assert set(chapter_numbers(cell)) <= numbers, cell


def test_a_term_twice_is_refused(tmp_path: Path) -> None:
    book = tmp_path / "book"
    book.mkdir()
    text = (REPO / "data" / "book" / "method_terms.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    (book / "method_terms.csv").write_text("\n".join([*lines, lines[1]]) + "\n", "utf-8")
    with pytest.raises(DataFileError, match="method_terms.csv"):
        load_method_terms(tmp_path)


def test_the_page_table_labels_abbreviations_and_sorts() -> None:
    terms = pd.DataFrame(
        {
            "term": ["net present value", "drift"],
            "abbreviation": ["NPV", None],
            "definition": ["d1", "d2"],
            "appears_as": ["NPV", "drift"],
            "chapters": ["6", "1; 12"],
            "reference": ["a", "b"],
            "source": ["s1", "s2"],
        }
    )
    view = method_terms(terms)
    assert view.n_method_terms == 2
    assert view.table["term"].tolist() == ["drift", "net present value (NPV)"]
    assert view.table["used in chapters"].tolist() == ["1, 12", "6"]


def visible_text(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    body = html[html.find("<article") : html.find("</article>")]
    body = re.sub(r"<script.*?</script>|<style.*?</style>", "", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


@pytest.mark.slow
def test_each_term_appears_on_the_chapters_it_lists(built_book: Path) -> None:
    """The ``chapters`` column is a record of the built pages: exactly the chapters listed
    use the term (an abbreviation as a word, case kept; a term's stem in any case),
    leaving out the two appendices that show the table itself, and the glossary page
    shows every term."""
    site = built_book / "_build" / "html" / "notebooks"
    pages = {c.number: visible_text(site / f"{c.stem}.html") for c in CHAPTERS}
    terms = load_method_terms()
    for _, row in terms.iterrows():
        word = row["appears_as"]
        if word.isupper() or any(ch.isupper() for ch in word[1:]):
            pattern = re.compile(rf"\b{re.escape(word)}\b")
        else:
            pattern = re.compile(re.escape(word), re.I)
        found = [n for n, text in pages.items() if n not in LISTS and pattern.search(text)]
        assert chapter_numbers(row["chapters"]) == found, row["term"]
    glossary = pages[CHAPTERS[-1].number]
    for term in terms["term"]:
        assert term in glossary, term
