"""Scatter charts: points coloured by group, with notes beside them and a reference curve."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from matplotlib.figure import Figure

from planbook.page.charts import PALETTE, figure, finish


def labelled_scatter(
    points: pd.DataFrame,
    *,
    x: str,
    y: str,
    group: str,
    colors: Mapping[str, str],
    title: str,
    xlabel: str,
    ylabel: str,
    source: str,
    notes: pd.DataFrame | None = None,
    curve: pd.Series | None = None,
    curve_label: str | None = None,
    size: tuple[float, float] = (8.0, 4.4),
) -> Figure:
    """Points by group (legend: the group with spaces for underscores), notes, a curve.

    Parameters
    ----------
    points
        One row per point; columns ``x``, ``y`` and ``group``.
    colors
        Group -> colour (black for a group not named).
    notes
        Text beside points: columns ``x``, ``y``, ``text`` (written up and to the right).
    curve
        A reference curve (index: x), drawn thin and grey under the points.
    """
    fig, ax = figure(*size)
    if curve is not None:
        ax.plot(curve.index, curve.values, color=PALETTE["neutral"], lw=1.2, label=curve_label)
    for name, grp in points.groupby(group):
        ax.scatter(grp[x], grp[y], s=55, color=colors.get(name, "black"), zorder=3,
                   label=str(name).replace("_", " "))  # fmt: skip
    for note in (notes if notes is not None else pd.DataFrame()).itertuples(index=False):
        ax.annotate(note.text, (note.x, note.y), textcoords="offset points", xytext=(6, 5),
                    fontsize=8)  # fmt: skip
    ax.legend(frameon=False, fontsize=8)
    return finish(fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, source=source)


__all__ = ["labelled_scatter"]
