"""Descriptive alt text for the charts of the site.

myst-nb writes a notebook's PNG outputs to ``_images/<sha256 of the bytes>.png`` and gives
each ``<img>`` its file path as alt text. The chart helper (:func:`planbook.page.charts.show`)
stores a description in the output's metadata (``metadata["image/png"]["alt"]``); after
Sphinx has built the site, :func:`add_alt_text` writes each description into the pages
whose images carry that hash.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import html
import json
import re
from pathlib import Path

_IMG = re.compile(r'<img alt="[^"]*/_images/([0-9a-f]{64})\.png"')


def image_alts(notebook: dict) -> dict[str, str]:
    """``sha256 of the PNG -> alt text`` for every PNG output of ``notebook`` (a parsed
    executed notebook) whose metadata gives one."""
    found: dict[str, str] = {}
    for cell in notebook.get("cells", []) or []:
        for output in cell.get("outputs", []) or []:
            data = (output.get("data") or {}).get("image/png")
            alt = ((output.get("metadata") or {}).get("image/png") or {}).get("alt")
            if not data or not alt:
                continue
            text = "".join(data) if isinstance(data, list) else str(data)
            try:
                raw = base64.b64decode(text)
            except (binascii.Error, ValueError):
                continue
            found[hashlib.sha256(raw).hexdigest()] = str(alt)
    return found


def with_alt_text(page: str, alts: dict[str, str]) -> str:
    """``page`` (HTML) with the alt text of every chart image whose hash ``alts`` knows."""

    def swap(match: re.Match[str]) -> str:
        alt = alts.get(match.group(1))
        if alt is None:
            return match.group(0)
        return match.group(0).split('"', 1)[0] + '"' + html.escape(alt, quote=True) + '"'

    return _IMG.sub(swap, page)


def add_alt_text(site: Path, executed: list[Path]) -> int:
    """Write the charts' alt text into the pages of the built ``site`` (in place), from
    the ``executed`` notebooks; returns how many pages changed."""
    alts: dict[str, str] = {}
    for path in executed:
        alts |= image_alts(json.loads(path.read_text(encoding="utf-8")))
    changed = 0
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = with_alt_text(text, alts)
        if new != text:
            page.write_text(new, encoding="utf-8")
            changed += 1
    return changed


__all__ = ["add_alt_text", "image_alts", "with_alt_text"]
