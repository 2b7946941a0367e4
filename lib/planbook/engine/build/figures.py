"""The charts of the built site as figures: descriptive alt text, a number and a caption.

myst-nb writes a notebook's PNG outputs to ``_images/<sha256 of the bytes>.png`` and gives
each ``<img>`` its file path as alt text. The chart helper (:func:`planbook.page.charts.show`)
stores a description (``alt``) and a caption (``caption``, the chart's title) in the
output's metadata (``metadata["image/png"]``). After Sphinx has built the site,
:func:`finish_figures` writes each description into the pages whose images carry that
hash, and wraps each such image in a numbered ``<figure>`` with its caption: "Figure 3.2"
for the second chart of chapter 3, "Figure 2" for the second chart of an appendix (the
appendices are not numbered). The numbers follow the order of the charts on the page.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

_IMG = re.compile(r'<img alt="[^"]*/_images/([0-9a-f]{64})\.png"[^>]*>')


@dataclass(frozen=True)
class Chart:
    """What the page build knows of one chart image: its alt text and its caption."""

    alt: str
    caption: str | None = None


def image_charts(notebook: dict) -> dict[str, Chart]:
    """``sha256 of the PNG -> Chart`` for every PNG output of ``notebook`` (a parsed
    executed notebook) whose metadata gives alt text."""
    found: dict[str, Chart] = {}
    for cell in notebook.get("cells", []) or []:
        for output in cell.get("outputs", []) or []:
            data = (output.get("data") or {}).get("image/png")
            meta = (output.get("metadata") or {}).get("image/png") or {}
            alt = meta.get("alt")
            if not data or not alt:
                continue
            text = "".join(data) if isinstance(data, list) else str(data)
            try:
                raw = base64.b64decode(text)
            except (binascii.Error, ValueError):
                continue
            caption = meta.get("caption")
            found[hashlib.sha256(raw).hexdigest()] = Chart(
                str(alt), str(caption) if caption else None
            )
    return found


def figure_label(chapter: int | None, k: int) -> str:
    """The label of the ``k``-th chart (from 1) of a page: ``"3.2"`` in chapter 3,
    ``"2"`` on a page without a chapter number (an appendix)."""
    return f"{chapter}.{k}" if chapter else str(k)


def with_figures(page: str, charts: dict[str, Chart], chapter: int | None = None) -> str:
    """``page`` (HTML) with the alt text of every chart image whose hash ``charts`` knows,
    and each chart with a caption wrapped in a numbered ``<figure>``."""
    count = 0

    def swap(match: re.Match[str]) -> str:
        nonlocal count
        chart = charts.get(match.group(1))
        if chart is None:
            return match.group(0)
        tag = match.group(0)
        rest = tag.split('"', 2)[2]
        img = '<img alt="' + html.escape(chart.alt, quote=True) + '"' + rest
        if chart.caption is None:
            return img
        count += 1
        label = figure_label(chapter, count)
        anchor = "figure-" + label.replace(".", "-")
        return (
            f'<figure class="planbook-figure" id="{anchor}">{img}<figcaption><p>'
            f'<span class="caption-number">Figure {label}. </span>'
            f'<span class="caption-text">{html.escape(chart.caption)}</span>'
            f'<a class="headerlink" href="#{anchor}" title="Link to this figure">#</a>'
            "</p></figcaption></figure>"
        )

    return _IMG.sub(swap, page)


def finish_figures(site: Path, executed: list[tuple[Path, int | None]]) -> int:
    """Give the charts of the built ``site`` (in place) their alt text, numbers and
    captions, from the ``executed`` notebooks, each with the chapter number its figures
    carry (``None`` for an appendix); returns how many pages changed.

    A notebook's page is ``<site>/notebooks/<stem>.html`` (the build's layout); other
    pages (the landing page) get alt text only.
    """
    every: dict[str, Chart] = {}
    per_page: dict[str, tuple[dict[str, Chart], int | None]] = {}
    for path, chapter in executed:
        charts = image_charts(json.loads(path.read_text(encoding="utf-8")))
        every |= charts
        per_page[path.stem] = (charts, chapter)
    changed = 0
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if page.parent.name == "notebooks" and page.stem in per_page:
            charts, chapter = per_page[page.stem]
            new = with_figures(text, charts, chapter)
        else:
            alts_only = {h: Chart(c.alt) for h, c in every.items()}
            new = with_figures(text, alts_only)
        if new != text:
            page.write_text(new, encoding="utf-8")
            changed += 1
    return changed


__all__ = ["Chart", "figure_label", "finish_figures", "image_charts", "with_figures"]
