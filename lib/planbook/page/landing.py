"""The landing page's findings: glued so that another page can paste them, and their chart.

myst-nb pastes a value from another page (``{glue:text}`../notebooks/10_conclusions.ipynb
::key```) from its ``text/plain`` form only, and a figure (the ``{glue}`` directive with
``:doc:``) from its ``text/html`` or image form. So text is glued here as plain strings
(not as Markdown, which :func:`planbook.page.glue.glue_all` uses for a page's own text)
and the chart as an HTML figure with its alt text and caption.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping

import pandas as pd
from matplotlib import pyplot as plt
from matplotlib.figure import Figure

from planbook.page.charts import PALETTE, figure, finish, png
from planbook.page.glue import plain

SOURCE = (
    "Plan figures: the plan's claims table; evidence: NBS and CNNIC series, this book's "
    "forecasts of them and its customer model"
)
"""The summary chart's source line."""


def glue_plain(values: Mapping[str, object]) -> None:
    """Glue numbers and text so that another page can paste them with ``{glue:text}``."""
    from myst_nb import glue

    for key, value in values.items():
        glue(key, plain(value), display=False)


class HtmlFigure:
    """A figure as HTML (an ``<img>`` with alt text, and a caption) for gluing."""

    def __init__(self, image: bytes, alt: str, caption: str) -> None:
        self.image, self.alt, self.caption = image, alt, caption

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.image).decode("ascii")
        return (
            '<figure class="planbook-summary">'
            f'<img src="data:image/png;base64,{data}" alt="{html.escape(self.alt)}" '
            'style="max-width:100%;height:auto">'
            f"<figcaption>{html.escape(self.caption)}</figcaption></figure>"
        )

    def __repr__(self) -> str:
        return self.alt


def glue_figure(key: str, fig: Figure, alt: str, caption: str) -> None:
    """Glue ``fig`` as an HTML figure under ``key`` (for ``{glue}`` with ``:doc:``)."""
    from myst_nb import glue

    image = png(fig)
    plt.close(fig)
    glue(key, HtmlFigure(image, alt, caption), display=False)


def summary_chart(summary: pd.DataFrame) -> Figure:
    """The plan's figures against their evidence: the gap in percent, one bar per finding.

    Parameters
    ----------
    summary
        :func:`planbook.chapters.findings.summary_table`: label, ``gap_pct``, ``holds``.
    """
    rows = summary.iloc[::-1]
    fig, ax = figure(8.0, 1.0 + 0.42 * len(rows))
    colours = [PALETTE["ok"] if h else PALETTE["plan"] for h in rows["holds"]]
    ax.barh(rows["label"], rows["gap_pct"], color=colours)
    ax.plot(rows["gap_pct"], range(len(rows)), "o", color="black", ms=3)  # visible at 0
    ax.axvline(0, color="black", lw=0.8)
    for y, (v, h) in enumerate(zip(rows["gap_pct"], rows["holds"], strict=True)):
        words = f" {v:+.1f}% ({'holds' if h else 'does not hold'}) "
        ax.text(v, y, words, va="center", ha="left" if v >= 0 else "right", fontsize=8)
    lo, hi = float(rows["gap_pct"].min()), float(rows["gap_pct"].max())
    ax.set_xlim(min(lo, 0) * 1.7 - 10, max(hi, 0) * 1.7 + 25)  # room for the words
    ax.tick_params(axis="y", labelsize=8)
    return finish(
        fig,
        ax,
        title="The plan's figures against the evidence",
        xlabel="Plan figure above (+) or below (-) the evidence (%)",
        ylabel="",
        source=SOURCE,
    )


def summary_alt(summary: pd.DataFrame) -> str:
    """Alt text of the summary chart: every bar in words."""
    parts = [
        f"{r.label}: {r.gap_pct:+.1f}%, {'holds' if r.holds else 'does not hold'}"
        for r in summary.itertuples()
    ]
    return "Bar chart of the plan's figures against the evidence, in percent. " + "; ".join(parts)


__all__ = ["SOURCE", "HtmlFigure", "glue_figure", "glue_plain", "summary_alt", "summary_chart"]
