"""Stacked bars: one bar per category, split into segments that add up to its total."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from planbook.page.charts import figure, finish


def stacked_bars(
    table: pd.DataFrame,
    colors: Mapping[str, str | Sequence[str]] | str,
    *,
    title: str,
    source: str,
    xlabel: str = "",
    ylabel: str = "",
    labels: Mapping[str, str | None] | None = None,
    horizontal: bool = False,
    top_down: bool = False,
    width: float = 0.8,
    totals: str | None = None,
    size: tuple[float, float] = (8.0, 4.2),
    legend: Mapping[str, Any] | None = None,
) -> Figure:
    """Bars stacked from the table's columns, one bar per row.

    Parameters
    ----------
    table
        Index: the categories, in order (shown as text); columns: the segments, stacked
        in the order of ``colors``.
    colors
        Segment (a column of ``table``) -> one colour, or one colour per bar; or the name
        of a seaborn palette coloured over every column in order.
    title, source, xlabel, ylabel
        The chart's title, source line and axis labels.
    labels
        Segment -> legend entry (default: the column name; None leaves it out).
    horizontal
        Horizontal bars instead of vertical columns.
    top_down
        Horizontal bars only: the first category at the top.
    width
        Width of a bar (of a category's slot).
    totals
        If given, each bar's total is written at its end in this ``str.format`` spec.
    size
        Figure size in inches.
    legend
        Keyword arguments of the legend (always without a frame, in 8-point type).
    """
    if isinstance(colors, str):
        palette = sns.color_palette(colors, len(table.columns))
        colors = dict(zip(table.columns, palette, strict=True))
    fig, ax = figure(*size)
    names = [str(c) for c in table.index]
    base = pd.Series(0.0, index=table.index)
    draw = ax.barh if horizontal else ax.bar
    for column, colour in colors.items():
        label = (labels or {}).get(column, str(column))
        offset = {"left": base.to_numpy()} if horizontal else {"bottom": base.to_numpy()}
        size_kw = {"height": width} if horizontal else {"width": width}
        draw(names, table[column].to_numpy(), color=colour, label=label, **offset, **size_kw)
        base = base + table[column]
    if totals is not None:
        for k, total in enumerate(base):
            if horizontal:
                ax.text(total, k, totals.format(total), va="center", fontsize=8)
            else:
                ax.text(k, total, totals.format(total), ha="center", va="bottom", fontsize=8)
    if horizontal and top_down:
        ax.invert_yaxis()
    ax.legend(frameon=False, fontsize=8, **(legend or {}))
    return finish(fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, source=source)


__all__ = ["stacked_bars"]
