"""Tables of the data-sources appendix: a table folded under a summary, and the primary
statistical sources with a link to the copy the book read."""

from __future__ import annotations

import copy
import html

import pandas as pd
from pandas.io.formats.style import Styler

from planbook.page.tables import Table, fold, table


class Folded(Table):
    """A table folded under its summary whatever its length (a reference table a reader
    opens when needed: a schema, a preview)."""

    summary: str = "Show the table"

    def _repr_html_(self) -> str:  # noqa: D105 (Jupyter's display hook)
        return fold(self.to_html(), self.summary)


def folded(shown: Styler, summary: str) -> Folded:
    """``shown`` (from :func:`planbook.page.tables.table` or any helper), folded under
    ``summary``; the page still offers its data as a CSV."""
    out = copy.deepcopy(shown)
    out.__class__ = Folded
    out.summary = summary
    return out  # type: ignore[return-value]


def link_cells(frame: pd.DataFrame, url: str, text: str) -> dict[str, str]:
    """Each address of column ``url`` as a link whose words are the row's ``text``
    (escaped); an empty address as the words alone."""
    cells = {}
    for address, words in zip(frame[url], frame[text], strict=True):
        shown = html.escape(str(words))
        if address:
            cells[address] = f'<a href="{html.escape(str(address), quote=True)}">{shown}</a>'
        else:
            cells[address] = shown
    return cells


def primary_table(frame: pd.DataFrame, caption: str | None = None) -> Table:
    """The primary statistical sources (:func:`planbook.chapters.data_sources.primary.
    primary_sources`): labelled by :func:`~planbook.page.tables.table`, the copy of the
    latest value as a link named by its site, the notes as footnotes."""
    cells = link_cells(frame, "link_used", "read_at")
    shown = table(frame, columns=[c for c in frame.columns if c != "read_at"], caption=caption)
    return shown.format(
        {"link_used": lambda url: cells.get(html.unescape(str(url)), "")}, escape=None
    )


__all__ = ["Folded", "folded", "link_cells", "primary_table"]
