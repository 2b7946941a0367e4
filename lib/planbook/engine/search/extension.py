"""The Sphinx extension of the site's search (``_config.yml``: ``sphinx: extra_extensions``,
with ``html_search_language: zh``).

- The index holds prose only: code (cell sources, text outputs, inline code, math) is left
  out of the copy of each page the indexer reads; the page itself is unchanged. A chapter's
  copy also gets the plan's Chinese terms of its sections (:mod:`.keywords`).
- Chinese is folded to simplified and segmented with jieba, code tokens (``ltv_to_cac``)
  are dropped, English is stemmed (:class:`.language.FoldedChinese`).
- After each build the traditional→simplified map of the characters in the index is
  written to ``_static/`` (:data:`.language.FOLD_SCRIPT`) and loaded by the search page,
  so a query in traditional characters (電商) finds what the simplified one (电商) finds.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jieba
from docutils import nodes
from sphinx.application import Sphinx

from planbook.engine.search.keywords import glossary_keywords
from planbook.engine.search.language import FOLD_SCRIPT, FOLD_VARIABLE, FoldedChinese
from planbook.engine.search.text import fold_map, fold_table, han_characters

CODE_NODES = (nodes.literal_block, nodes.doctest_block, nodes.literal, nodes.math, nodes.math_block)
"""What the index leaves out: code cells and their text outputs, inline code, LaTeX."""


def _in_title(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.title):
            return True
        parent = parent.parent
    return False


def without_code(doctree: nodes.document, keywords: Sequence[str] = ()) -> nodes.document:
    """A copy of ``doctree`` without its code (:data:`CODE_NODES`), except in titles (a
    section titled with inline code keeps its whole title in the results), and with a
    paragraph of ``keywords`` when there are any."""
    copy = doctree.deepcopy()
    for node in list(copy.findall(lambda n: isinstance(n, CODE_NODES))):
        if node.parent is not None and not _in_title(node):
            node.parent.remove(node)
    if keywords:
        copy += nodes.paragraph(text=" ".join(keywords))
    return copy


def _index_prose_only(app: Sphinx) -> None:
    """Make the HTML builder index each page without its code, with its keywords.

    Sphinx has no event between a page's doctree and its indexer, so the builder's
    ``index_page`` is wrapped: it reads a copy (:func:`without_code`), the page is
    written from the original.
    """
    index_page = getattr(app.builder, "index_page", None)
    if index_page is None:  # not an HTML builder: no search index
        return
    keywords = glossary_keywords()

    def index_prose(pagename: str, doctree: nodes.document, title: str) -> None:
        stem = pagename.rsplit("/", 1)[-1]
        index_page(pagename, without_code(doctree, keywords.get(stem, ())), title)

    app.builder.index_page = index_prose  # type: ignore[attr-defined]


def read_index(path: Path) -> dict[str, Any]:
    """The search index of a built site (``searchindex.js``: ``Search.setIndex({...})``)."""
    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1 : text.rindex(")")])


def fold_script(index: dict[str, Any]) -> str:
    """The JavaScript that defines the fold map of the characters of ``index``'s words."""
    words = [*index.get("terms", {}), *index.get("titleterms", {})]
    pairs = fold_map(han_characters(words))
    return f"var {FOLD_VARIABLE} = {json.dumps(pairs, ensure_ascii=False, sort_keys=True)};\n"


def _write_fold_script(app: Sphinx, exception: Exception | None) -> None:
    index = Path(app.outdir) / "searchindex.js"
    if exception is None and app.builder.format == "html" and index.is_file():
        target = Path(app.outdir) / "_static" / FOLD_SCRIPT
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(fold_script(read_index(index)), encoding="utf-8")


def _load_fold_script(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if pagename == "search":
        app.add_js_file(FOLD_SCRIPT)  # this page only (Sphinx resets the list per page)


def warm_up() -> None:
    """Load what the first indexed page would (jieba's dictionary, the fold table): the
    site's ``jupyter-book`` process calls it while the chapters run."""
    jieba.initialize()
    fold_table()


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the language and the hooks (a Sphinx extension's entry point)."""
    app.add_search_language(FoldedChinese)
    app.connect("builder-inited", _index_prose_only)
    app.connect("html-page-context", _load_fold_script)
    app.connect("build-finished", _write_fold_script)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}


__all__ = ["CODE_NODES", "fold_script", "read_index", "setup", "warm_up", "without_code"]
