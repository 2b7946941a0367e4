"""The PDF of the book (`planbook pdf`, `make pdf`): page order, joining, errors, the print.

The fast tests print a two-page site made here (about 2 s with Chromium, skipped without
it); the slow one prints the built book and counts its chapters in the PDF's outline.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import REPO, planbook

from planbook.engine.build import pdf as P
from planbook.engine.build.chromium import cjk_font_missing, find_chromium
from planbook.engine.registry import CHAPTERS
from planbook.errors import ExecutionError, InputError
from planbook.paths import BookPaths

pypdf = pytest.importorskip("pypdf")

needs_printer = pytest.mark.skipif(
    find_chromium() is None or cjk_font_missing(),
    reason="Chromium or a CJK font is missing: install Debian's 'chromium' and "
    "'fonts-wqy-microhei' (.ci/run and make pdf do so when run as root)",
)


def outline_titles(reader: pypdf.PdfReader) -> list[str]:
    """The top-level entries of a PDF's outline, in order."""
    return [item.title for item in reader.outline if not isinstance(item, list)]


def small_site(root: Path) -> Path:
    """A book of two pages at ``root``: its _toc.yml, _config.yml and built site."""
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: book/intro\nchapters:\n  - file: book/chapters/01_one\n",
        encoding="utf-8",
    )
    (root / "_config.yml").write_text('title: "A small book"\n', encoding="utf-8")
    site = root / "_build" / "html"
    (site / "book").mkdir(parents=True)
    (site / "notebooks").mkdir(parents=True)
    (site / "index.html").write_text('<meta http-equiv="refresh" content="0; book/intro.html">')
    page = (
        '<html><head><meta charset="utf-8"><title>{t}</title></head><body><main>'
        '<article class="bd-article"><h1>{t}<a class="headerlink" href="#">#</a></h1>'
        "<p>{body}</p></article></main></body></html>"
    )
    (site / "book" / "intro.html").write_text(
        page.format(t="Intro", body="The plan says 電子商務 and 电商."), encoding="utf-8"
    )
    (site / "notebooks" / "01_one.html").write_text(
        page.format(t="1. One", body="A chapter."), encoding="utf-8"
    )
    return root


def one_page_pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- pure helpers


def test_toc_pages_follow_the_books_toc() -> None:
    toc = yaml.safe_load((REPO / "_toc.yml").read_text(encoding="utf-8"))
    pages = P.toc_pages(toc)
    assert pages[0] == "book/intro.html"
    chapters = [p for p in pages if p.startswith("notebooks/")]
    assert chapters == [f"notebooks/{c.stem}.html" for c in CHAPTERS]
    assert len(chapters) == 14


def test_toc_pages_walk_parts_chapters_and_sections_depth_first() -> None:
    toc = {
        "root": "index.md",
        "parts": [
            {"chapters": [{"file": "a", "sections": [{"file": "a1.ipynb"}]}, {"file": "b"}]},
            {"chapters": [{"file": "book/chapters/c"}, {"url": "https://example.org"}]},
        ],
    }
    assert P.toc_pages(toc) == ["index.html", "a.html", "a1.html", "b.html", "notebooks/c.html"]


def test_join_pages_makes_one_outline_entry_per_page_in_order() -> None:
    pages = [
        P.PrintedPage(url=f"file:///{n}", pdf=one_page_pdf(), info={"title": n})
        for n in ("Intro", "1. One", "Glossary")
    ]
    reader = pypdf.PdfReader(io.BytesIO(P.join_pages(pages, "A book")))
    assert len(reader.pages) == 3
    assert outline_titles(reader) == ["Intro", "1. One", "Glossary"]
    assert reader.metadata.title == "A book"


def test_outline_titles_come_from_the_pages_headings_when_they_match() -> None:
    nodes = [("1. OneOne", 0, 700, [("1.1. 1.1. PartPart", 1, 500, []), ("1.2. Mo re", 2, 80, [])])]
    headings = ["1. One", "1.1. Part", "1.2. More"]
    assert P.retitled(nodes, headings) == [
        ("1. One", 0, 700, [("1.1. Part", 1, 500, []), ("1.2. More", 2, 80, [])])
    ]
    # other headings than entries: Chromium's titles are kept, doubled text written once
    assert P.retitled(nodes, headings[:2]) == [
        ("1. OneOne", 0, 700, [("1.1. Part", 1, 500, []), ("1.2. Mo re", 2, 80, [])])
    ]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("1.6. 1.6. What the audit findsWhat the audit finds", "1.6. What the audit finds"),
        ("The termsThe terms", "The terms"),
        ("1.2. What the numbers show", "1.2. What the numbers show"),
        ("Bonbon", "Bonbon"),
    ],
)
def test_undoubled(title: str, expected: str) -> None:
    assert P.undoubled(title) == expected


def test_joined_outline_nests_each_pages_headings_under_its_title() -> None:
    writer = pypdf.PdfWriter()
    for _ in range(2):
        writer.add_blank_page(width=200, height=200)
    first = writer.add_outline_item(title="One", page_number=0)
    writer.add_outline_item(title="One, part", page_number=1, parent=first)
    buffer = io.BytesIO()
    writer.write(buffer)
    printed = [
        P.PrintedPage("file:///a", buffer.getvalue(), {"title": "1. One", "headings": []}),
        P.PrintedPage("file:///b", one_page_pdf(), {"title": "Glossary"}),
    ]
    reader = pypdf.PdfReader(io.BytesIO(P.join_pages(printed, "")))
    assert outline_titles(reader) == ["1. One", "Glossary"]
    assert [i.title for i in reader.outline[1]] == ["One, part"]
    assert [reader.get_destination_page_number(i) for i in reader.outline[::2]] == [0, 2]


# --------------------------------------------------------------------------- errors


def test_no_built_site_is_one_line_naming_the_fix(tmp_path: Path) -> None:
    root = small_site(tmp_path)
    shutil.rmtree(root / "_build")
    with pytest.raises(InputError, match=r"no built site at _build/html; run 'planbook build'"):
        P.build_pdf(BookPaths(root), root / "_build" / "pdf" / "book.pdf")
    assert not (root / "_build").exists()


def test_a_page_missing_from_the_site_is_named(tmp_path: Path) -> None:
    root = small_site(tmp_path)
    (root / "_build" / "html" / "notebooks" / "01_one.html").unlink()
    with pytest.raises(
        InputError, match=r"lacks a page of _toc.yml, first: _build/html/notebooks/01_one.html"
    ):
        P.site_pages(BookPaths(root), root / "_build" / "html")


def test_no_chromium_names_the_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PLANBOOK_CHROMIUM", str(tmp_path / "no-such-browser"))
    with pytest.raises(InputError, match=r"Chromium not found.*apt-get install chromium"):
        P.check_printer()


def test_failed_print_keeps_the_last_good_pdf(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root = small_site(tmp_path)
    browser = tmp_path / "broken-chromium"
    browser.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n")
    browser.chmod(0o755)
    monkeypatch.setenv("PLANBOOK_CHROMIUM", str(browser))
    monkeypatch.setattr(P, "cjk_font_missing", lambda: False)
    output = root / "_build" / "pdf" / "book.pdf"
    output.parent.mkdir(parents=True)
    output.write_bytes(b"the last good PDF")
    with pytest.raises(ExecutionError) as failed:
        P.build_pdf(BookPaths(root), output, timeout=20)
    message = str(failed.value)
    assert "\n" not in message
    assert "printing the book to PDF failed" in message and "cannot open display" in message
    assert "the last good PDF is unchanged" in message
    assert output.read_bytes() == b"the last good PDF"
    assert sorted(p.name for p in output.parent.iterdir()) == ["book.pdf"]


def test_cli_without_a_built_site_fails_in_one_line(tmp_path: Path) -> None:
    root = small_site(tmp_path)
    shutil.rmtree(root / "_build")
    result = planbook("pdf", root=root, timeout=120)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: no built site at _build/html")
    assert "planbook build" in lines[0]
    assert not (root / "_build").exists()


# --------------------------------------------------------------------------- printing


@needs_printer
def test_small_site_prints_in_toc_order_with_chinese_text(tmp_path: Path) -> None:
    root = small_site(tmp_path)
    output = root / "_build" / "pdf" / "book.pdf"
    result = P.build_pdf(BookPaths(root), output, timeout=60)
    assert result.titles == ("Intro", "1. One")
    reader = pypdf.PdfReader(output)
    assert outline_titles(reader) == ["Intro", "1. One"]
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    assert "電子商務" in text and "电商" in text
    assert text.index("Intro") < text.index("Achapter")


@needs_printer
def test_an_image_that_does_not_load_fails_the_print(tmp_path: Path) -> None:
    root = small_site(tmp_path)
    page = root / "_build" / "html" / "notebooks" / "01_one.html"
    page.write_text(page.read_text().replace("<p>", '<img src="../_images/gone.png"><p>'))
    output = root / "_build" / "pdf" / "book.pdf"
    output.parent.mkdir(parents=True)
    output.write_bytes(b"the last good PDF")
    with pytest.raises(ExecutionError, match=r"images did not load \(1\), first ../_images/gone"):
        P.build_pdf(BookPaths(root), output, timeout=60)
    assert output.read_bytes() == b"the last good PDF"


def image_count(page: pypdf.PageObject) -> int:
    """Image XObjects a PDF page draws (directly or in its forms), without decoding them."""
    seen = 0
    stack = [page.get("/Resources")]
    while stack:
        resources = stack.pop()
        resources = resources.get_object() if resources is not None else None
        xobjects = resources.get("/XObject") if resources else None
        for ref in (xobjects.get_object() if xobjects else {}).values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                seen += 1
            elif obj.get("/Subtype") == "/Form":
                stack.append(obj.get("/Resources"))
    return seen


@pytest.mark.slow
@needs_printer
def test_book_pdf_has_every_chapter_in_order_with_figures_and_chinese(
    built_book: Path,
) -> None:
    from planbook.data.glossary import load_glossary

    result = planbook("pdf", root=built_book, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    output = built_book / "_build" / "pdf" / "book.pdf"
    reader = pypdf.PdfReader(output)
    titles = outline_titles(reader)
    found = [c.title for c in CHAPTERS for t in titles if t.endswith(c.title)]
    assert found == [c.title for c in CHAPTERS], titles  # all 14, each once, in order
    positions = [next(i for i, t in enumerate(titles) if t.endswith(c.title)) for c in CHAPTERS]
    assert positions == sorted(positions)
    # each chapter's pages: from its outline entry to the next one
    starts = [
        reader.get_destination_page_number(i) for i in reader.outline if not isinstance(i, list)
    ]
    ends = [*starts[1:], len(reader.pages)]
    spans = {c.slug: range(starts[at], ends[at]) for c, at in zip(CHAPTERS, positions, strict=True)}
    without = [
        s for s, span in spans.items() if not any(image_count(reader.pages[i]) for i in span)
    ]
    assert not without, f"chapters without a figure in the PDF: {without}"
    text = re.sub(r"\s+", "", "".join(reader.pages[i].extract_text() for i in spans["glossary"]))
    terms = [
        t for t in load_glossary(built_book / "data")["term_zh"] if re.search(r"[\u4e00-\u9fff]", t)
    ]
    assert terms
    missing = [t for t in terms if t not in text]
    assert not missing, (
        f"{len(missing)} of {len(terms)} Chinese glossary terms not in the PDF: {missing[:5]}"
    )
