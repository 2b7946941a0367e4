"""Text from the data files reaches the page as text, never as markup.

Notes, entities, locators, glossary entries and sources are read from CSV files that anyone
can edit; a ``<script>`` or an ``onerror=`` in them must show as those characters, not run.
pandas' ``Styler`` does not escape by default and myst passes raw HTML in glued Markdown
through, so every table and every glued text of the book goes through this module.
"""

from __future__ import annotations

import html

import pandas as pd
from pandas.io.formats.style import Styler

from planbook.page.labels import label

ESCAPE = "html"
"""What every ``Styler.format`` call of the page passes as ``escape``: a later ``format``
replaces the formatter (and its escaping) of the columns it names."""


def html_text(text: str) -> str:
    """``text`` with ``&``, ``<`` and ``>`` as entities, everything else as it was.

    Markdown syntax (emphasis, links, lists) is left intact, so glued prose keeps its
    formatting while a tag in the data reads as text. Quotes are left alone: glued text is
    never put inside an attribute.
    """
    return html.escape(text, quote=False)


def caption(text: object) -> str:
    """A table caption, escaped (``Styler.set_caption`` does not escape)."""
    return html.escape(str(text))


def header(name: object) -> str:
    """A column header as the page shows it: its English label
    (:func:`planbook.page.labels.label`), escaped."""
    return html.escape(label("column", name), quote=False)


def styled(frame: pd.DataFrame) -> Styler:
    """``frame.style`` without its index, every cell and column header escaped, headers
    under their English labels and missing values empty.

    Formats added later must pass ``escape=ESCAPE`` for the columns they name.
    """
    style = frame.style.hide(axis="index").format(escape=ESCAPE, na_rep="")
    return style.format_index(header, axis=1)


__all__ = ["ESCAPE", "caption", "header", "html_text", "styled"]
