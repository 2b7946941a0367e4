"""Index lines: several series on one scale (first year = 100), a line at the base, whole years."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
from matplotlib.figure import Figure

from planbook.page.charts import PALETTE, figure, finish


def index_lines(
    series: Mapping[str, pd.Series],
    colors: Sequence[str],
    styles: Sequence[str],
    *,
    title: str,
    ylabel: str,
    source: str,
    base: float = 100.0,
    xlabel: str = "Year",
    legend: str = "upper left",
    size: tuple[float, float] = (8.0, 4.0),
) -> Figure:
    """Each series as a line (indexed by year), a thin line at ``base``, a tick every year.

    Parameters
    ----------
    series
        Legend entry -> index values by year, in drawing order.
    colors, styles
        One colour and one matplotlib format string (``"o-"``) per series, in order.
    base
        The index's base (drawn as a thin horizontal line).
    """
    fig, ax = figure(*size)
    for (label, s), colour, style in zip(series.items(), colors, styles, strict=True):
        ax.plot(list(s.index), list(s.values), style, color=colour, label=label)
    ax.axhline(base, color=PALETTE["neutral"], lw=0.8)
    first = min(int(s.index.min()) for s in series.values())
    last = max(int(s.index.max()) for s in series.values())
    ax.set_xticks(range(first, last + 1))
    ax.legend(frameon=False, fontsize=8, loc=legend)
    return finish(fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, source=source)


__all__ = ["index_lines"]
