"""Search for the site's readers, as a Sphinx extension (:mod:`.extension`).

Chinese segmented with jieba and folded to simplified (電商 and 电商 find the same pages),
code tokens kept out of the index, the plan's Chinese terms as keywords of the chapters
that check them. :mod:`.text` holds the pure text functions, :mod:`.language` the Sphinx
search language and its JavaScript, :mod:`.keywords` the chapters' terms.

This module stays light (no Sphinx, no jieba): the build imports it to know what the site
depends on beyond its pages.
"""

from __future__ import annotations

from pathlib import Path

KEYWORD_FILES = ("data/plan/glossary.csv", "data/plan/sections.csv")
"""The data files the keywords come from (:func:`.keywords.glossary_keywords`)."""


def site_inputs(root: Path) -> dict[str, Path]:
    """What the search index depends on besides the pages: this package's modules and the
    keyword files of the book at ``root`` (name to path, for the site's build key)."""
    here = Path(__file__).parent
    inputs = {f"search/{p.name}": p for p in sorted(here.glob("*.py"))}
    inputs |= {name: root / name for name in KEYWORD_FILES if (root / name).is_file()}
    return inputs


__all__ = ["KEYWORD_FILES", "site_inputs"]
