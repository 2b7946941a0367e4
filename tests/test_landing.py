"""The landing page of the built book: its key findings, in English and in Chinese, with
glued numbers, a link per finding to a section that exists, and the summary chart."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from planbook.chapters.findings import LINKS

NUMBER = re.compile(r"^[+-]?\d[\d,]*(\.\d+)?$")
CJK = re.compile(r"[\u4e00-\u9fff]")


class _Items(HTMLParser):
    """The ``<li>`` items of one section (by its id) with their glued values and links."""

    def __init__(self, section_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.section_id, self.depth = section_id, 0
        self.items: list[dict] = []
        self.images: list[dict[str, str]] = []
        self._pasted = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if self.depth:
            self.depth += tag == "section"
        elif tag == "section" and a.get("id") == self.section_id:
            self.depth = 1
            return
        if not self.depth:
            return
        if tag == "li":
            self.items.append({"pasted": [], "links": [], "text": ""})
        elif tag == "span" and "pasted-text" in a.get("class", "") and self.items:
            self._pasted = True
        elif tag == "a" and self.items:
            self.items[-1]["links"].append(a.get("href", ""))
        elif tag == "img":
            self.images.append(a)

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == "section":
            self.depth -= 1
        if tag == "span":
            self._pasted = False

    def handle_data(self, data: str) -> None:
        if self.depth and self.items:
            self.items[-1]["text"] += data
            if self._pasted:
                self.items[-1]["pasted"].append(data.strip())


def _section(page: Path, section_id: str) -> _Items:
    parser = _Items(section_id)
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def _ids(page: Path) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', page.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def site(built_book: Path) -> Path:
    return built_book / "_build" / "html"


@pytest.mark.slow
@pytest.mark.parametrize("section_id", ["key-findings", "zh-summary"])
def test_findings_have_glued_numbers_and_links_to_existing_sections(
    site: Path, section_id: str
) -> None:
    page = site / "book" / "intro.html"
    items = _section(page, section_id).items
    assert 6 <= len(items) <= 10, f"{section_id}: {len(items)} findings"
    numbers = [p for item in items for p in item["pasted"] if NUMBER.match(p)]
    assert len(numbers) >= 6, numbers
    for item in items:
        assert any(NUMBER.match(p) for p in item["pasted"]), item["text"]
        assert item["links"], f"no link: {item['text'][:80]}"
        for href in item["links"]:
            url = urlsplit(href)
            target = (page.parent / url.path).resolve()
            assert target.is_file(), href
            assert url.fragment and url.fragment in _ids(target), href
        if section_id == "zh-summary":
            assert CJK.search(item["text"]), item["text"]


@pytest.mark.slow
def test_every_finding_links_its_section(site: Path) -> None:
    page = site / "book" / "intro.html"
    for section_id in ("key-findings", "zh-summary"):
        hrefs = {h for item in _section(page, section_id).items for h in item["links"]}
        for notebook, anchor in LINKS.values():
            assert f"../notebooks/{notebook}.html#{anchor}" in hrefs, (section_id, anchor)


@pytest.mark.slow
def test_summary_chart_is_on_the_landing_page_with_alt_text(site: Path) -> None:
    images = _section(site / "book" / "intro.html", "key-findings").images
    assert len(images) == 1
    assert images[0]["src"].startswith("data:image/png;base64,")
    assert images[0]["alt"].startswith("Bar chart of the plan's figures against the evidence")
