"""A grid of dots: one row per item, one dot per year, coloured by kind, hollow when marked."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from planbook.page.charts import figure, finish


def dot_grid(
    frame: pd.DataFrame,
    colors: Mapping[str, str],
    *,
    row: str,
    x: str,
    kind: str,
    filled: pd.Series,
    title: str,
    xlabel: str,
    source: str,
    legend_title: str = "",
    size: tuple[float, float] = (8.0, 5.6),
) -> Figure:
    """Dots at (``x``, ``row``) of each record, coloured by ``kind``; rows top-down in
    order of first appearance, whole-number ticks on ``x``.

    Parameters
    ----------
    frame
        One record per dot.
    colors
        Kind -> colour, in legend order (kinds not listed are not drawn).
    row, x, kind
        Columns of ``frame``: the row's label, the position along the axis (a year) and
        the kind that sets the colour.
    filled
        Per record (aligned with ``frame``): True for a filled dot, False for a hollow one.
    title, xlabel, source
        Title, axis label and source line.
    legend_title
        Title of the legend, which stands to the right of the chart.
    size
        Figure size in inches.
    """
    labels = list(dict.fromkeys(frame[row]))
    position = {label: i for i, label in enumerate(labels)}
    fig, ax = figure(*size)
    for name, colour in colors.items():
        part = frame[frame[kind] == name]
        if part.empty:
            continue
        y = part[row].map(position)
        full = filled.loc[part.index]
        ax.scatter(part.loc[full, x], y[full], color=colour, s=36, label=name)
        ax.scatter(
            part.loc[~full, x], y[~full], facecolor="white", edgecolor=colour, s=36, linewidth=1.5
        )
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.legend(
        frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0),
        title=legend_title, title_fontsize=8,
    )  # fmt: skip
    return finish(fig, ax, title=title, xlabel=xlabel, ylabel="", source=source)


__all__ = ["dot_grid"]
