"""Offline link check of the built site: every internal link and anchor resolves.

Every ``href`` of ``<a>`` and ``<link>`` and every ``src`` of ``<img>`` and ``<script>``
in every HTML page of ``_build/html`` that points inside the site must name an existing
file, and its ``#fragment`` (if any) an element ``id`` (or ``name``) of the target page.
No browser and no network: the pages are parsed with the standard library.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

LINK_ATTRIBUTES = {"a": "href", "link": "href", "img": "src", "script": "src"}


@dataclass
class Page:
    """What one HTML page declares: element ids and the links it makes."""

    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str]] = field(default_factory=list)  # (tag, url)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.page.ids.add(str(values[name]))
        wanted = LINK_ATTRIBUTES.get(tag)
        if wanted and values.get(wanted):
            self.page.links.append((tag, str(values[wanted])))


def parse(path: Path) -> Page:
    """The ids and links of one HTML file."""
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8", errors="replace"))
    return collector.page


def is_internal(url: str) -> bool:
    """A link into the site: no scheme, no host (``//cdn``), not ``mailto:`` etc."""
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and not url.startswith("//")


def site_pages(site: Path) -> Iterator[Path]:
    """Every HTML page of the site, sorted; files under ``_static/`` and the like are the
    theme's assets (some are Jinja templates), not pages, in the main site as in the
    scenario sites it publishes (``scenarios/NAME/_static/``)."""
    for path in sorted(site.rglob("*.html")):
        folders = path.relative_to(site).parts[:-1]
        if path.is_file() and not any(part.startswith("_") for part in folders):
            yield path


def check_links(site: Path) -> tuple[list[str], int]:
    """Check every internal link of every page of ``site``.

    Returns
    -------
    (problems, checked)
        One line per broken link (page, tag, link, what is wrong) and the number of links
        checked.
    """
    site = site.resolve()
    cache: dict[Path, Page] = {}

    def page_of(path: Path) -> Page:
        if path not in cache:
            cache[path] = parse(path)
        return cache[path]

    problems, checked = [], 0
    for html in site_pages(site):
        here = html.relative_to(site).as_posix()
        for tag, url in page_of(html).links:
            if not is_internal(url):
                continue
            parts = urlsplit(url)
            path_part, fragment = unquote(parts.path), unquote(parts.fragment)
            if not path_part and not fragment:
                continue  # href="#" or "?": a button, not a link
            checked += 1
            target = (html.parent / path_part).resolve() if path_part else html
            if path_part.endswith("/") or target.is_dir():
                target = target / "index.html"
            if not target.is_relative_to(site):
                problems.append(f"{here}: <{tag}> {url}: points outside the site")
                continue
            if not target.is_file():
                problems.append(f"{here}: <{tag}> {url}: no file {target.relative_to(site)}")
                continue
            if fragment and target.suffix == ".html" and fragment not in page_of(target).ids:
                problems.append(
                    f"{here}: <{tag}> {url}: no id {fragment!r} in {target.relative_to(site)}"
                )
    return problems, checked


# --------------------------------------------------------------------------- tests


def test_checker_finds_broken_links_and_anchors(tmp_path: Path) -> None:
    site = tmp_path / "html"
    (site / "notebooks").mkdir(parents=True)
    (site / "_static").mkdir()
    (site / "_static" / "a.css").write_text("", encoding="utf-8")
    (site / "_static" / "macros.html").write_text('<a href="{{ x }}">', encoding="utf-8")
    (site / "index.html").write_text(
        '<a href="notebooks/ch.html#results">ok</a><a href="notebooks/ch.html#nope">bad id</a>'
        '<a href="gone.html">missing</a><a href="#top" id="top">self</a><a href="#">button</a>'
        '<a href="https://example.org/x.html#y">external</a><a href="mailto:a@b.c">mail</a>'
        '<link href="_static/a.css"><img src="_static/missing.png">'
        '<a href="../outside.html">escape</a>',
        encoding="utf-8",
    )
    (site / "notebooks" / "ch.html").write_text(
        '<section id="results"></section><a href="../index.html#top">back</a><a href="../">dir</a>',
        encoding="utf-8",
    )
    problems, checked = check_links(site)
    assert checked == 9
    assert problems == [
        "index.html: <a> notebooks/ch.html#nope: no id 'nope' in notebooks/ch.html",
        "index.html: <a> gone.html: no file gone.html",
        "index.html: <img> _static/missing.png: no file _static/missing.png",
        "index.html: <a> ../outside.html: points outside the site",
    ]


@pytest.mark.slow
def test_every_internal_link_of_the_built_site_resolves(built_book: Path) -> None:
    site = built_book / "_build" / "html"
    pages = list(site_pages(site))
    assert len(pages) > 3
    problems, checked = check_links(site)
    print(f"\nlinks: {checked} internal links and anchors checked in {len(pages)} pages")
    assert checked > 100
    assert not problems, f"{len(problems)} broken links:\n" + "\n".join(problems[:50])
