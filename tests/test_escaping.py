"""Text from the data files reaches the page as text: tables, captions and glue escape HTML.

The unit tests feed the page helpers hostile text; the slow test puts it into a copy of
the book's data (a claim's note, a glossary entry) and checks the built site.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import IMG, SCRIPT, EditedBook
from markdown_it import MarkdownIt

from planbook.engine.glued import glued_values
from planbook.methods.audit.findings import COLUMNS
from planbook.page.audit_view import findings_view
from planbook.page.compact import compact
from planbook.page.escape import html_text
from planbook.page.findings import findings_table
from planbook.page.glue import glue_all
from planbook.page.grouped_tables import grouped_tables
from planbook.page.tables import table

HOSTILE = (SCRIPT, IMG)


def assert_inert(html: str) -> None:
    """No tag of the payloads survives; their text is there, escaped."""
    assert "<script>alert" not in html and "<img" not in html
    assert not re.search(r"<[^>]*onerror=", html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {"id": ["C1", "C2", "C3"], "note": [*HOSTILE, "R&D budget"], "value": [1.5, 2.0, 3.25]}
    )


def test_table_escapes_text_cells_and_keeps_numbers_formatted() -> None:
    html = table(frame(), {"value": "{:.1f}"}).to_html()
    assert_inert(html)
    assert "R&amp;D budget" in html  # reads "R&D budget" in a browser
    assert ">1.5<" in html and ">3.2<" in html


def test_table_escapes_text_cells_that_have_a_format_and_headers() -> None:
    hostile = frame().rename(columns={"value": SCRIPT, "id": IMG})
    html = table(hostile, {"note": "{}"}, digits=1).to_html()
    assert "<script>alert" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_compact_and_grouped_tables_escape_cells_and_captions() -> None:
    assert_inert(compact(frame(), caption="data/x.csv", wrap=("note",)).to_html())
    html = compact(frame(), caption=SCRIPT, formats={"note": "{}"}).to_html()
    assert "<script>alert" not in html
    grouped = frame().set_index(pd.Index([IMG, IMG, "2"]), append=False)
    grouped.index = pd.MultiIndex.from_arrays([grouped.index, range(3)])
    views = grouped_tables(grouped, {"id": "10%", "note": "80%", "value": "10%"})
    html = "".join(v.to_html() for v in views)
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt; (2 rows)" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def findings() -> pd.DataFrame:
    row = dict.fromkeys(COLUMNS, "")
    row |= {"sections": "1.1", "rule": "time_frames", "verdict": "inconsistent"}
    row |= {"severity": "high", "stated": 1.0, "recomputed": 2.0, "difference": 1.0}
    return pd.DataFrame([row | {"detail": text} for text in HOSTILE])


def test_findings_view_escapes_the_detail() -> None:
    assert_inert(findings_view(findings()).to_html())
    html = findings_table(findings(), caption=f"Chapter 1 {SCRIPT}").to_html()
    assert_inert(html)
    assert "<script>" not in html
    assert "<script>" not in findings_table(findings().iloc[:0], caption=SCRIPT).to_html()


def test_glue_escapes_html_but_keeps_the_books_markdown(monkeypatch) -> None:
    glued: dict[str, object] = {}
    monkeypatch.setattr("myst_nb.glue", lambda key, value, display: glued.update({key: value}))
    text = f"**rule** (sections 1.1): R&D {SCRIPT} {IMG} [link](https://example.org)"
    glue_all({"worst": text, "n": 3})
    markdown = glued["worst"].data
    assert glued["n"] == 3
    assert "<" not in markdown and ">" not in markdown
    # rendered as myst does (raw HTML allowed): emphasis and links work, tags are text
    html = MarkdownIt("commonmark").render(markdown)
    assert "<strong>rule</strong>" in html and '<a href="https://example.org">link</a>' in html
    assert "R&amp;D" in html
    assert_inert(html)


def test_glued_values_reads_the_text_back_as_computed(tmp_path: Path) -> None:
    text = f"R&D {SCRIPT}"
    record = "application/papermill.record/text/markdown"
    output = {
        "output_type": "display_data",
        "metadata": {"scrapbook": {"name": "worst"}},
        "data": {record: html_text(text)},
    }
    nb = tmp_path / "x.ipynb"
    nb.write_text(json.dumps({"cells": [{"cell_type": "code", "outputs": [output]}]}))
    assert glued_values(nb) == {"worst": text}


# --------------------------------------------------------------------------- the built book


@pytest.mark.slow
def test_script_in_the_data_reaches_the_site_only_as_text(edited_book: EditedBook) -> None:
    # ``edited_book`` holds SCRIPT and IMG in a claim of chapter 1 (its note is in the
    # market page's table) and in a glossary entry, built after a library change that
    # test_book.py checks (one rebuild for both)
    result = edited_book.result
    assert result.returncode == 0, result.stdout + result.stderr
    pages = sorted((edited_book.root / "_build/html").rglob("*.html"))
    shown = set()
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html, page
        assert not re.search(r"<[^>]*\sonerror=", html), page
        if "&lt;script&gt;alert(1)&lt;/script&gt;" in html:
            shown.add(page.name)
    # the text is on the pages that show the claims' notes and the glossary, escaped
    assert {"01_market_background.html", "14_glossary.html"} <= shown, shown


def test_every_styled_table_of_the_page_starts_escaped(repo: Path) -> None:
    # a table built with ``frame.style`` directly would skip the escaping of page.escape
    direct = re.compile(r"\.style\.(hide|format|set_\w+|map|apply)\b")
    sources = [*(repo / "lib/planbook/page").glob("*.py"), *(repo / "notebooks").glob("*.ipynb")]
    offenders = [
        p.name
        for p in sources
        if p.name != "escape.py" and direct.search(p.read_text(encoding="utf-8"))
    ]
    assert not offenders, f"use planbook.page.escape.styled instead of .style in {offenders}"
