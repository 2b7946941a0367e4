"""A forecast that two pages show is shown to the same digits on both (fast: reads the
notebooks' and the landing page's glue references, no build).

The coherence test (``tests/test_coherence.py``) holds the two glued values of every
same-fact pair equal; this test holds the format the pages print them with equal too, for
every pair about a forecast, so that one page cannot show 16.0 and another 15.97.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from planbook.engine.registry import CHAPTERS

REPO = Path(__file__).resolve().parents[1]
GLUE = re.compile(
    r"\{glue:text\}`(?:\.\./notebooks/(?P<nb>[0-9A-Za-z_]+)\.ipynb::)?(?P<name>\w+):(?P<spec>[^`]*)`"
)


def glue_formats(repo: Path = REPO) -> dict[tuple[str, str], set[str]]:
    """(chapter slug, glued name) -> the format specs its ``{glue:text}`` references use,
    in the chapters' markdown and in ``book/*.md`` (references to a chapter's notebook)."""
    slugs = {c.notebook.removesuffix(".ipynb"): c.slug for c in CHAPTERS}
    found: dict[tuple[str, str], set[str]] = {}

    def add(text: str, slug: str | None) -> None:
        for m in GLUE.finditer(text):
            owner = slugs.get(m["nb"]) if m["nb"] else slug
            if owner:
                found.setdefault((owner, m["name"]), set()).add(m["spec"])

    for chapter in CHAPTERS:
        nb = json.loads((repo / "notebooks" / chapter.notebook).read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "markdown":
                add("".join(cell["source"]), chapter.slug)
    for page in sorted((repo / "book").glob("*.md")):
        add(page.read_text(encoding="utf-8"), None)
    return found


def test_a_forecast_on_two_pages_is_printed_to_the_same_digits() -> None:
    pairs = pd.read_csv(REPO / "data" / "book" / "same_facts.csv")
    forecasts = pairs[pairs["fact"].str.contains("forecast", case=False)]
    formats = glue_formats()
    compared, differ = 0, []
    for row in forecasts.itertuples():
        a = formats.get((row.chapter_a, row.name_a))
        b = formats.get((row.chapter_b, row.name_b))
        if a and b:
            compared += 1
            if a != b:
                differ.append(
                    f"{row.chapter_a}:{row.name_a} {a} vs {row.chapter_b}:{row.name_b} {b}"
                )
    assert compared >= 8, f"only {compared} forecast pairs are shown on both pages"
    assert not differ, "one forecast printed with different digits:\n" + "\n".join(differ)


def test_the_reader_finds_every_glue_reference() -> None:
    """The parser sees chapter 1's forecast and the methods appendix's worked example."""
    formats = glue_formats()
    assert formats[("market", "online_fc_median")] == {".1f"}
    assert formats[("methods", "ex_median")] == {".1f"}
