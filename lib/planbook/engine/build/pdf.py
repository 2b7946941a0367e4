"""One PDF of the whole book, printed from the built site by headless Chromium.

Every page of the table of contents is printed, in its order, by one browser (see
``chromium.py``) with a print style sheet that drops the navigation and keeps figures and
table rows whole; the pages are joined with pypdf under an outline of one entry per page
(its own headings below it). The PDF is written to a temporary file and moved into
place, so a failed print leaves the last good PDF as it was.
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from planbook.engine.build.chromium import (
    Browser,
    ChromiumError,
    PrintedPage,
    cjk_font_missing,
    find_chromium,
)
from planbook.engine.build.files import atomic_write_bytes, file_errors
from planbook.errors import ExecutionError, InputError
from planbook.paths import BookPaths, display_path

CJK_FONT_PACKAGE = "fonts-wqy-microhei"
"""Debian's package of the font that prints the plan's Chinese text (1.6 MB)."""

CHROMIUM_PACKAGE = "chromium"
"""Debian's package of the browser that prints the pages."""

PRINT_CSS = """
@page { size: A4; margin: 14mm 13mm 16mm 13mm; }
html { font-size: 13px !important; }
.bd-header, .bd-header-article, .bd-sidebar-primary, .bd-sidebar-secondary,
.bd-footer, .bd-footer-article, .bd-footer-content, .prev-next-area, .footer-article-items,
#pst-back-to-top, #jb-print-docs-body, .headerlink, .skip-link, #pst-skip-link,
details.hide.above-input, .cell.tag_hide-input > .cell_input, .cell.tag_hide-cell,
.cell.tag_hide-output > .cell_output { display: none !important; }
.bd-main .bd-content .bd-article h1:first-of-type { display: block !important; }
.bd-main .bd-content { margin-left: 0 !important; }
.bd-container, .bd-container__inner, .bd-page-width, .bd-main, .bd-content,
.bd-article-container, .bd-article { max-width: none !important; width: auto !important;
  padding: 0 !important; margin: 0 !important; display: block !important; }
img, figure, svg, .cell_output .output.image
  { break-inside: avoid; max-width: 100% !important; height: auto; }
figure, .cell_output .output.image { break-inside: avoid-page; }
h1, h2, h3, h4 { break-after: avoid; }
.table-wrapper, .pst-scrollable-table-container, .output, .cell_output, div.output_area
  { overflow: visible !important; max-height: none !important; }
table { max-width: 100% !important; }
tr, li { break-inside: avoid; }
thead { display: table-header-group; }
table.planbook-print-small { font-size: 80% !important; }
table.planbook-print-wrap td, table.planbook-print-wrap th
  { overflow-wrap: anywhere !important; }
a { color: inherit !important; text-decoration: none !important; }
"""
"""What the print adds to the theme's own print rules: no navigation, no code toggles,
the page's own numbered heading instead of the theme's print title, the article at full
width, figures and table rows kept whole; a table wider than the page gets a smaller
font, then its cells wrap anywhere (see :data:`PRINT_SCRIPT`)."""

PRINT_WIDTH = 695
"""The printable width of an A4 page with the margins of :data:`PRINT_CSS`, in CSS
pixels (184 mm at 96 per inch): the width at which the script measures the tables."""

PRINT_SCRIPT = """
const article = document.querySelector("article.bd-article") || document.body;
const room = article.getBoundingClientRect().width;
for (const table of article.querySelectorAll("table")) {
  for (const name of ["planbook-print-small", "planbook-print-wrap"]) {
    if (table.getBoundingClientRect().width <= room + 1) break;
    table.classList.add(name);
  }
}
const h1 = article.querySelector("h1") || document.querySelector("h1");
let title = document.title;
if (h1) {
  const copy = h1.cloneNode(true);
  copy.querySelectorAll(".headerlink").forEach(e => e.remove());
  title = copy.textContent.replace(/\\s+/g, " ").trim();
}
const headings = Array.from(document.querySelectorAll("h1, h2, h3, h4, h5, h6"))
  .filter(h => h.getClientRects().length > 0)
  .map(h => {
    const copy = h.cloneNode(true);
    copy.querySelectorAll(".headerlink").forEach(e => e.remove());
    return copy.textContent.replace(/\\s+/g, " ").trim();
  });
const images = Array.from(article.querySelectorAll("img"));
const broken = images.filter(i => !i.naturalWidth).map(i => i.getAttribute("src"));
return {title, headings, images: images.length, broken};
"""
"""Run in each page before it prints: fit the wide tables, return the page's title (its
first heading, numbered as in the navigation), its visible headings in order (for the
outline), its images and those that did not load."""

FOOTER = (
    '<div style="font-size:8px;width:100%;margin:0 13mm;color:#555;display:flex;'
    'justify-content:space-between"><span class="title"></span>'
    '<span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>'
)

PRINT_OPTIONS: dict[str, Any] = {
    "printBackground": True,
    "preferCSSPageSize": True,
    "generateDocumentOutline": True,
    "displayHeaderFooter": True,
    "headerTemplate": "<span></span>",
    "footerTemplate": FOOTER,
}
"""``Page.printToPDF`` parameters: A4 (from the style sheet), backgrounds, the page's
headings as an outline, a footer with the page's title and its page number."""


@dataclass(frozen=True)
class PdfResult:
    """What ``build_pdf`` wrote."""

    path: Path
    pages: int
    titles: tuple[str, ...]
    images: int
    seconds: float


def toc_pages(toc: dict[str, Any]) -> list[str]:
    """The site's HTML pages (relative to the site) of a parsed ``_toc.yml``, in order.

    The root page comes first, then every ``file`` of every part, chapter and section,
    depth first. Executed chapters (``book/chapters/...``) are published under
    ``notebooks/`` (see ``site.stage_sources``).
    """
    files: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("file"), str):
                files.append(node["file"])
            for key in ("parts", "chapters", "sections"):
                for child in node.get(key) or []:
                    walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    root = toc.get("root")
    if isinstance(root, str):
        files.append(root)
    walk({key: toc[key] for key in ("parts", "chapters", "sections") if key in toc})
    pages = []
    for name in files:
        name = name.removesuffix(".ipynb").removesuffix(".md")
        if name.startswith("book/chapters/"):
            name = "notebooks/" + name.removeprefix("book/chapters/")
        pages.append(f"{name}.html")
    return pages


def site_pages(paths: BookPaths, site: Path) -> list[Path]:
    """The pages of the built ``site`` in the table of contents' order; raise
    :class:`InputError` naming the fix when the site or one of its pages is missing."""
    shown = display_path(site, paths.root)
    if not (site / "index.html").is_file():
        raise InputError(
            f"no built site at {shown}; run 'planbook build' (or 'make book') first, "
            "then 'planbook pdf'"
        )
    try:
        toc = yaml.safe_load((paths.root / "_toc.yml").read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" (line {where.line + 1})" if where is not None else ""
        raise InputError(f"_toc.yml is not valid YAML{line}; fix it and rerun") from None
    pages = [site / rel for rel in toc_pages(toc if isinstance(toc, dict) else {})]
    if not pages:
        raise InputError("_toc.yml lists no page; list the book's pages in it and rerun")
    missing = [display_path(p, paths.root) for p in pages if not p.is_file()]
    if missing:
        count = "a page" if len(missing) == 1 else f"{len(missing)} pages"
        raise InputError(
            f"the site at {shown} lacks {count} of _toc.yml, first: {missing[0]}; "
            "run 'planbook build' to rebuild it, then 'planbook pdf'"
        )
    return pages


def check_printer() -> Path:
    """The Chromium executable, once a CJK font and pypdf are known to exist; else raise
    :class:`InputError` naming the package to install."""
    try:
        import pypdf  # noqa: F401  (joins the printed pages)
    except ImportError:
        raise InputError(
            "the Python package pypdf is missing; install the pinned packages "
            "(make pdf does, from requirements.lock) and rerun"
        ) from None
    chromium = find_chromium()
    if chromium is None:
        raise InputError(
            f"Chromium not found (set PLANBOOK_CHROMIUM or install Debian's "
            f"'{CHROMIUM_PACKAGE}' package: apt-get install {CHROMIUM_PACKAGE}); "
            "'make pdf' installs it when run as root"
        )
    if cjk_font_missing():
        raise InputError(
            f"no font with Chinese glyphs (fc-list :lang=zh finds none); install Debian's "
            f"'{CJK_FONT_PACKAGE}' package (apt-get install {CJK_FONT_PACKAGE}); "
            "'make pdf' installs it when run as root"
        )
    return chromium


OutlineNode = tuple[str, int, Any, list["OutlineNode"]]
"""An outline entry: title, page index, its destination's top, its children."""


def outline_tree(reader: Any) -> list[OutlineNode]:
    """The outline of a pypdf ``PdfReader`` as nested nodes (pypdf gives a flat list in
    which a list holds the children of the entry before it)."""

    def walk(items: list[Any]) -> list[OutlineNode]:
        nodes: list[OutlineNode] = []
        for item in items:
            if isinstance(item, list):
                (nodes[-1][3] if nodes else nodes).extend(walk(item))
            else:
                top = item.get("/Top")
                nodes.append((str(item.title), reader.get_destination_page_number(item), top, []))
        return nodes

    return walk(list(reader.outline))


def retitled(nodes: list[OutlineNode], titles: list[str]) -> list[OutlineNode]:
    """``nodes`` with the titles of ``titles`` in reading order (depth first), when there
    are as many; else as they are, each title with a doubled text written once.

    Chromium's outline takes a heading's text from its printed lines: a heading split
    across lines loses the space between them, and one split across pages comes twice.
    """
    flat: list[OutlineNode] = []

    def count(items: list[OutlineNode]) -> None:
        for node in items:
            flat.append(node)
            count(node[3])

    count(nodes)
    names = iter(titles if len(titles) == len(flat) else [undoubled(n[0]) for n in flat])

    def rename(items: list[OutlineNode]) -> list[OutlineNode]:
        return [(next(names), page, top, rename(children)) for _, page, top, children in items]

    return rename(nodes)


def undoubled(title: str) -> str:
    """A title whose number or text comes twice, with each once: ``"1.6. 1.6. TextText"``
    gives ``"1.6. Text"``, ``"TextText"`` gives ``"Text"``."""
    words = title.split(" ")
    if len(words) > 2 and words[0] == words[1]:
        words = words[1:]
    for number in ("", words[0] + " "):
        rest = " ".join(words)[len(number) :]
        half = len(rest) // 2
        if len(rest) >= 8 and len(rest) % 2 == 0 and rest[:half] == rest[half:]:
            return number + rest[:half]
    return " ".join(words)


def join_pages(printed: list[PrintedPage], title: str) -> bytes:
    """One PDF of ``printed`` in order, its outline one entry per page (its title) with
    the page's headings below it, and the book's ``title`` in the metadata."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import Fit

    writer = PdfWriter()

    def add(nodes: list[OutlineNode], offset: int, parent: Any) -> None:
        for name, page, top, children in nodes:
            fit = Fit.xyz(top=top) if top is not None else Fit.fit()
            item = writer.add_outline_item(
                title=name, page_number=offset + page, parent=parent, fit=fit
            )
            add(children, offset, item)

    for page in printed:
        offset = len(writer.pages)
        reader = PdfReader(io.BytesIO(page.pdf))
        writer.append(reader, import_outline=False)
        nodes = retitled(outline_tree(reader), list(page.info.get("headings", [])))
        if len(nodes) == 1:  # the page's own heading heads its entry
            _, first, top, children = nodes[0]
            nodes = [(page.info["title"], first, top, children)]
        else:
            nodes = [(page.info["title"], 0, None, nodes)]
        add(nodes, offset, None)
    writer.add_metadata({"/Title": title, "/Creator": "planbook pdf (Chromium, pypdf)"})
    writer.page_mode = "/UseOutlines"
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def book_title(paths: BookPaths) -> str:
    """The book's title from ``_config.yml`` (empty when it has none)."""
    config = yaml.safe_load((paths.root / "_config.yml").read_text(encoding="utf-8")) or {}
    return str(config.get("title") or "")


def build_pdf(
    paths: BookPaths,
    output: Path,
    report: Callable[[str], None] = lambda _: None,
    timeout: float = 120.0,
) -> PdfResult:
    """Print the main book's built site to ``output``, one PDF.

    Raises :class:`InputError` (exit 2) when the site is not built, or Chromium or a CJK
    font is missing; :class:`ExecutionError` (exit 1) when printing fails; a
    :class:`~planbook.errors.FileSystemError` (exit 4) when ``output`` cannot be written.
    In every case the last good PDF is left as it was.
    """
    start = time.perf_counter()
    site = paths.site(None)
    pages = site_pages(paths, site)
    chromium = check_printer()
    kept = "the last good PDF is unchanged"
    printed: list[PrintedPage] = []
    report(f"printing {len(pages)} pages of {display_path(site, paths.root)} with {chromium} ...")
    try:
        with Browser(chromium, timeout=timeout) as browser:
            browser.emulate("print", PRINT_WIDTH)
            for page in pages:
                url = page.resolve().as_uri()
                printed.append(browser.print_page(url, PRINT_CSS, PRINT_OPTIONS, PRINT_SCRIPT))
    except ChromiumError as exc:
        raise ExecutionError(f"printing the book to PDF failed: {exc}; {kept}") from None
    broken = [(p.url, src) for p in printed for src in p.info["broken"]]
    if broken:
        url, src = broken[0]
        raise ExecutionError(
            f"printing the book to PDF failed: images did not load ({len(broken)}), first "
            f"{src} in {url}; run 'planbook build --force' to rebuild the site; {kept}"
        )
    data = join_pages(printed, book_title(paths))
    with file_errors("cannot write the PDF", paths.root, kept):
        atomic_write_bytes(output, data)
        os.chmod(output, 0o644)  # readable like the site's files (the temporary was 0600)
    from pypdf import PdfReader

    count = len(PdfReader(io.BytesIO(data)).pages)
    return PdfResult(
        path=output,
        pages=count,
        titles=tuple(p.info["title"] for p in printed),
        images=sum(p.info["images"] for p in printed),
        seconds=time.perf_counter() - start,
    )


__all__ = [
    "CJK_FONT_PACKAGE",
    "CHROMIUM_PACKAGE",
    "PRINT_CSS",
    "PdfResult",
    "build_pdf",
    "check_printer",
    "join_pages",
    "site_pages",
    "toc_pages",
]
