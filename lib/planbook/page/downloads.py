"""The CSV of the data behind a table or a chart, as a download link under it.

The CSV travels inside the page as a ``data:`` address, so the executed notebook holds it
(the cache, the site build and a page saved by a reader all carry it along) and no file
is written beside the notebook.

Every table a page displays (a pandas ``Styler`` or ``DataFrame``, whichever helper
made it) gets its link from :func:`offer_table_downloads`, which
:func:`planbook.page.setup.chapter_params` calls when a page starts: it adds an HTML
formatter to the page's kernel, so no notebook and no table helper has to ask. A chart
gets its link from :func:`planbook.page.charts.show` (see :mod:`planbook.page.chart_data`);
other data, such as a table whose data is not the frame it shows, is offered with
:func:`csv_link` in a cell after it::

    csv_link(result.findings, "findings.csv", "Every finding of the audit")

The data tables under ``data/`` are linked from the data-sources appendix with the
``{download}`` role instead (the site build copies them, see
:data:`planbook.engine.build.site.DOWNLOADS`).
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from typing import Any

import pandas as pd
from IPython.display import HTML
from pandas.io.formats.style import Styler

FILENAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,80}\.csv", re.ASCII)
"""A download's file name: letters, digits, ``_``, ``-`` and ``.``, ending in ``.csv``."""


def csv_text(frame: pd.DataFrame) -> str:
    """The CSV a reader downloads: every column, no index, UTF-8 with ``\\n`` line ends."""
    return frame.to_csv(index=False, lineterminator="\n")


def data_address(frame: pd.DataFrame) -> str:
    """``frame`` as a ``data:text/csv`` address (base64: no character of the data can end
    the attribute it stands in)."""
    payload = base64.b64encode(csv_text(frame).encode("utf-8")).decode("ascii")
    return f"data:text/csv;charset=utf-8;base64,{payload}"


def link_html(frame: pd.DataFrame, filename: str, text: str = "Download the data") -> str:
    """The HTML of the link: ``text (CSV, N rows)``, saved as ``filename``."""
    if not FILENAME.fullmatch(filename):
        raise ValueError(
            f"download name {filename!r}: use letters, digits, '_', '-' and '.', ending in .csv"
        )
    label = html.escape(f"{text} (CSV, {len(frame):,} rows)")
    return (
        f'<p class="csv-download"><a class="csv-download" download="{filename}" '
        f'href="{data_address(frame)}">{label}</a></p>'
    )


def csv_link(frame: pd.DataFrame, filename: str, text: str = "Download the data") -> HTML:
    """A download link for ``frame`` as ``filename`` (displayed where the notebook puts it)."""
    return HTML(link_html(frame, filename, text))


def table_data(shown: Styler | pd.DataFrame) -> pd.DataFrame:
    """The data behind a displayed table: a ``Styler``'s frame (hidden columns included),
    with a meaningful index (anything but 0, 1, 2, ...) as its first columns."""
    frame = shown.data if isinstance(shown, Styler) else shown
    if isinstance(frame.index, pd.RangeIndex) and frame.index.name is None:
        return frame
    return frame.reset_index()


def table_filename(shown: Styler | pd.DataFrame, frame: pd.DataFrame) -> str:
    """A stable file name: the caption's words (``claims-per-chapter.csv``), else the
    hash of the data (``table-1a2b3c4d.csv``)."""
    caption = shown.caption if isinstance(shown, Styler) else None
    words = re.findall(r"[A-Za-z0-9]+", html.unescape(str(caption or "")).lower())
    stem = "-".join(words)[:60].strip("-")
    if not stem:
        digest = hashlib.sha256(csv_text(frame).encode("utf-8")).hexdigest()[:8]
        stem = f"table-{digest}"
    return f"{stem}.csv"


def table_with_link(shown: Styler | pd.DataFrame) -> str | None:
    """The table's own HTML followed by the link to its data (``None``: IPython's default)."""
    own: Any = shown._repr_html_()
    if own is None:
        return None
    frame = table_data(shown)
    if frame.empty:
        return str(own)
    return str(own) + link_html(frame, table_filename(shown, frame), "Download this table")


def offer_table_downloads(shell: Any = None) -> bool:
    """Make the running kernel show every table with the link to its data.

    ``shell`` is the IPython shell (default: the running one). Returns False outside
    IPython (a plain script shows no HTML), True once the formatter is in place.
    """
    if shell is None:
        from IPython import get_ipython

        shell = get_ipython()
    if shell is None:
        return False
    formatter = shell.display_formatter.formatters["text/html"]
    formatter.for_type(Styler, table_with_link)
    formatter.for_type(pd.DataFrame, table_with_link)
    return True


__all__ = [
    "FILENAME",
    "csv_link",
    "csv_text",
    "data_address",
    "link_html",
    "offer_table_downloads",
    "table_data",
    "table_filename",
    "table_with_link",
]
