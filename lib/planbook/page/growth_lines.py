"""Annual growth of several series on one chart, one year shaded."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from matplotlib.figure import Figure

from planbook.page.charts import PALETTE, figure, finish


def growth_lines(
    growth: Mapping[str, pd.Series],
    *,
    title: str,
    source: str,
    shade: int | None = None,
    xlabel: str = "Year",
    ylabel: str = "Growth on the year before (%)",
    size: tuple[float, float] = (8.0, 4.4),
) -> Figure:
    """Each series' growth as a line with small markers, a zero line and a shaded year; the
    legend, two entries a row, goes under the axes (labels may be long).

    Parameters
    ----------
    growth
        Legend entry -> growth by year (percent).
    title, source
        The chart's title and source line.
    shade
        A year to shade (such as a break), or None.
    xlabel, ylabel
        Axis labels.
    size
        Figure size in inches.
    """
    fig, ax = figure(*size)
    for label, series in growth.items():
        ax.plot(series.index, series.values, "o-", ms=3, lw=1.4, label=label)
    if shade is not None:
        ax.axvspan(shade - 0.5, shade + 0.5, color=PALETTE["neutral"], alpha=0.15)
    ax.axhline(0, color=PALETTE["neutral"], lw=0.8)
    ax.legend(frameon=False, fontsize=7, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.14))
    return finish(fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, source=source)


__all__ = ["growth_lines"]
