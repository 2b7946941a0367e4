"""Break-even curves: a ratio against one input, one curve per case, the break-even line."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from matplotlib.figure import Figure

from planbook.page.charts import PALETTE, figure, finish


def break_even_curves(
    curves: pd.DataFrame,
    colors: Sequence[str],
    *,
    x: str,
    y: str,
    title: str,
    xlabel: str,
    ylabel: str,
    source: str,
    by: str = "label",
    break_even: float = 1.0,
    break_even_label: str = "",
    label_at: float = 1.0,
    markers: Sequence[tuple[float, str, str]] = (),
    legend_anchor: tuple[float, float] = (0.0, 0.8),
    size: tuple[float, float] = (8.0, 4.4),
) -> Figure:
    """One curve per value of ``by``, a dashed line at ``break_even`` and labelled markers.

    Parameters
    ----------
    curves
        Long table: ``x``, ``y`` and ``by`` (the legend entry), curves in order of appearance.
    colors
        Colours of the curves, in order (extra colours are left unused).
    break_even, break_even_label, label_at
        The break-even level, its label and the x position of the label.
    markers
        Vertical lines ``(x, text, linestyle)`` in grey, their texts from the top down.
    legend_anchor
        Where the legend's upper-left corner sits, in axes fractions.
    """
    fig, ax = figure(*size)
    for colour, (label, group) in zip(colors, curves.groupby(by, sort=False), strict=False):
        ax.plot(group[x], group[y], color=colour, label=label)
    ax.axhline(break_even, color="black", lw=1, ls="--")
    ax.text(label_at, break_even, f" {break_even_label}", va="bottom", fontsize=8)
    for k, (at, text, style) in enumerate(markers):
        ax.axvline(at, color=PALETTE["neutral"], lw=1, ls=style)
        ax.text(at, ax.get_ylim()[1] * (0.95 - 0.1 * k), f" {text}", fontsize=8, va="top")
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=legend_anchor)
    return finish(fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, source=source)


__all__ = ["break_even_curves"]
