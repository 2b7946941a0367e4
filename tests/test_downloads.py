"""Downloads: the data tables from the data pages, and a table's CSV under it.

The fast tests hold the link helper (``planbook.page.downloads``); the slow one reads the
built data pages and follows every download link into the site.
"""

from __future__ import annotations

import base64
import io
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pandas as pd
import pytest

from planbook.engine.build.site import DOWNLOADS
from planbook.page.downloads import (
    csv_text,
    link_html,
    offer_table_downloads,
    table_filename,
    table_with_link,
)
from planbook.page.escape import styled

DATA_PAGES = ("notebooks/13_data_sources.html", "notebooks/11_audit.html")


def _decode(href: str) -> str:
    head, _, payload = href.partition(",")
    assert head == "data:text/csv;charset=utf-8;base64", head
    return base64.b64decode(payload).decode("utf-8")


def test_the_link_carries_the_whole_table_and_escapes_its_label() -> None:
    frame = pd.DataFrame({"name": ["a,b", '<script>"x"</script>', "電商"], "value": [1.5, 2, 3]})
    html = link_html(frame, "findings.csv", "Rows & <more>")
    href = re.search(r'href="([^"]+)"', html).group(1)
    back = pd.read_csv(io.StringIO(_decode(href)))
    pd.testing.assert_frame_equal(back, frame)
    assert 'download="findings.csv"' in html
    assert "Rows &amp; &lt;more&gt; (CSV, 3 rows)" in html
    assert "<script>" not in html
    assert csv_text(frame).startswith("name,value\n")


@pytest.mark.parametrize("name", ["", "x.txt", "../x.csv", 'a".csv', "a b.csv"])
def test_a_bad_download_name_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="download name"):
        link_html(pd.DataFrame({"a": [1]}), name)


def test_a_shown_table_carries_its_data_with_a_stable_name() -> None:
    frame = pd.DataFrame({"year": [2023, 2024], "value": [1.25, 2.5]})
    shown = styled(frame).set_caption("Claims per <b>chapter</b> & kind")
    html = table_with_link(shown)
    assert html.startswith(shown.to_html()[:40])
    href = re.search(r'class="csv-download" download="([^"]+)" href="([^"]+)"', html)
    assert href.group(1) == "claims-per-b-chapter-b-kind.csv"
    pd.testing.assert_frame_equal(pd.read_csv(io.StringIO(_decode(href.group(2)))), frame)
    # no caption: named by the data, the same name every run
    assert re.fullmatch(r"table-[0-9a-f]{8}\.csv", table_filename(frame, frame))
    assert table_filename(frame, frame) == table_filename(frame.copy(), frame.copy())
    # a meaningful index is data too
    indexed = frame.set_index("year")
    assert "year,value" in _decode(re.search(r'href="([^"]+)"', table_with_link(indexed)).group(1))
    assert table_with_link(frame.iloc[0:0]) == frame.iloc[0:0]._repr_html_()


def test_the_page_kernel_shows_every_table_with_its_link() -> None:
    class Formatter:
        def __init__(self) -> None:
            self.types: dict[type, object] = {}

        def for_type(self, kind: type, fn: object) -> None:
            self.types[kind] = fn

    class Shell:
        def __init__(self) -> None:
            self.display_formatter = type("F", (), {"formatters": {"text/html": Formatter()}})()

    shell = Shell()
    assert offer_table_downloads(shell)
    registered = shell.display_formatter.formatters["text/html"].types
    assert set(registered) == {pd.DataFrame, type(styled(pd.DataFrame()))}
    assert offer_table_downloads() is False  # no kernel: nothing to do


def test_a_chart_offers_the_data_it_draws() -> None:
    from planbook.page import charts
    from planbook.page.chart_data import chart_data, chart_link_html

    fig = charts.bars(["north", "south"], [1.5, 2.5], title="Sales by region", source="s")
    assert chart_data(fig).to_dict("list") == {
        "series": ["bars 1", "bars 1"],
        "x": [1.5, 2.5],
        "y": ["north", "south"],
    }
    link = chart_link_html(fig)
    assert 'download="chart-sales-by-region.csv"' in link and "(CSV, 2 rows)" in link
    history = pd.Series([1.0, 2.0], index=[2020, 2021])
    fig = charts.lines(
        {"Official": history}, title="", xlabel="Year", ylabel="v", source="s", hlines={"Goal": 3}
    )
    data = chart_data(fig)
    assert data["series"].tolist() == ["Official", "Official", "Goal"]
    assert data["x"].tolist()[:2] == [2020, 2021] and data["y"].tolist() == [1.0, 2.0, 3]
    assert re.search(r'download="chart-[0-9a-f]{8}\.csv"', chart_link_html(fig))
    grid = pd.DataFrame([[1, 2]], index=["a"], columns=["x1", "x2"])
    fig = charts.heatmap(grid, title="Grid", source="s")
    assert chart_data(fig).to_dict("list") == {
        "row": ["a", "a"],
        "column": ["x1", "x2"],
        "value": [1, 2],
    }
    empty, _ = charts.figure()
    assert chart_link_html(empty) is None
    for f in (fig, empty):
        charts.plt.close(f)


class _Links(HTMLParser):
    """Every ``<a>`` with a ``download`` attribute: its href."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and "download" in found and found.get("href"):
            self.hrefs.append(str(found["href"]))


def _download_links(page: Path) -> list[str]:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.hrefs


@pytest.mark.slow
def test_every_download_link_on_the_data_pages_resolves(built_book: Path) -> None:
    site = built_book / "_build" / "html"
    names: list[str] = []
    for rel in DATA_PAGES:
        page = site / rel
        hrefs = _download_links(page)
        assert hrefs, f"{rel}: no download link"
        for href in hrefs:
            if href.startswith("data:"):
                frame = pd.read_csv(io.StringIO(_decode(href)))
                assert len(frame) > 0 and len(frame.columns) > 0, f"{rel}: empty download"
                continue
            target = (page.parent / unquote(href.split("#")[0])).resolve()
            assert target.is_file(), f"{rel}: download link {href} leads nowhere"
            assert target.is_relative_to(site.resolve()), f"{rel}: {href} leaves the site"
            names.append(target.name)
            source = next((built_book / "data").rglob(target.name), None)
            assert source is not None and source.read_bytes() == target.read_bytes()
    # every table the book reads is offered on the data-sources page
    tables = {p.name for pattern in DOWNLOADS for p in built_book.glob(pattern)}
    assert tables <= set(names), f"tables without a download link: {sorted(tables - set(names))}"
    audit = (site / DATA_PAGES[1]).read_text(encoding="utf-8")
    assert 'download="findings.csv"' in audit


@pytest.mark.slow
def test_every_table_of_every_chapter_links_its_csv(built_book: Path) -> None:
    pages = sorted((built_book / "_build" / "html" / "notebooks").glob("*.html"))
    assert len(pages) == 14
    for page in pages:
        text = page.read_text(encoding="utf-8")
        # every Styler table (one table folded in two, failures and holds, keeps one id)
        tables = len(set(re.findall(r'<table id="(T_[^"]+)"', text)))
        links = re.findall(r'class="csv-download" download="[^"]+" href="(data:[^"]+)"', text)
        assert tables > 0 and len(links) >= tables, (
            f"{page.name}: {tables} tables, {len(links)} CSVs"
        )
        for href in links:
            assert _decode(href).count("\n") >= 2, f"{page.name}: a CSV without rows"


CHART = re.compile(r'<img [^>]*src="[^"]*_images/[0-9a-f]{64}\.png"')
CHART_LINK = re.compile(r'<a class="csv-download" download="(chart-[^"]+)" href="(data:[^"]+)"')


@pytest.mark.slow
def test_every_chart_of_every_chapter_links_its_csv(built_book: Path) -> None:
    pages = sorted((built_book / "_build" / "html" / "notebooks").glob("*.html"))
    assert len(pages) == 14
    for page in pages:
        text = page.read_text(encoding="utf-8")
        charts = [m.end() for m in CHART.finditer(text)]
        links = list(CHART_LINK.finditer(text))
        assert charts and len(links) == len(charts), (
            f"{page.name}: {len(charts)} charts, {len(links)} chart CSVs"
        )
        # each chart's link comes after it and before the next chart
        for chart, following, link in zip(charts, [*charts[1:], len(text)], links, strict=True):
            assert chart < link.start() < following, f"{page.name}: {link.group(1)} misplaced"
            frame = pd.read_csv(io.StringIO(_decode(link.group(2))))
            assert len(frame) > 0 and len(frame.columns) >= 2, f"{page.name}: {link.group(1)}"
