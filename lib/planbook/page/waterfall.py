"""Waterfall charts: a level built up step by step from a baseline to a total."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from planbook.page.charts import PALETTE, figure, finish


def waterfall(
    steps: pd.DataFrame,
    *,
    title: str,
    ylabel: str,
    source: str,
    total_colors: Mapping[str, str] | None = None,
    total_color: str = PALETTE["forecast"],
    up_color: str = PALETTE["ok"],
    down_color: str = PALETTE["warn"],
    size: tuple[float, float] = (8.0, 4.4),
) -> Figure:
    """Totals as full columns and steps as floating ones, each labelled with its value.

    Parameters
    ----------
    steps
        Columns ``label``, ``kind`` (``"total"`` or ``"step"``), ``start``, ``end`` and
        ``delta``, in the order drawn (as :func:`planbook.methods.models.driver_tree.waterfall`).
    total_colors
        Colour of a total by its label; other totals take ``total_color``.
    up_color, down_color
        Colours of rising and falling steps.
    """
    bottoms, heights, colours = [], [], []
    for r in steps.itertuples(index=False):
        if r.kind == "total":
            bottoms.append(0.0)
            heights.append(r.end)
            colours.append((total_colors or {}).get(r.label, total_color))
        else:
            bottoms.append(min(r.start, r.end))
            heights.append(abs(r.delta))
            colours.append(up_color if r.delta >= 0 else down_color)
    fig, ax = figure(*size)
    pos = np.arange(len(steps))
    ax.bar(pos, heights, bottom=bottoms, color=colours, width=0.65)
    for p, r in zip(pos, steps.itertuples(index=False), strict=True):
        text = f"{r.end:.0f}" if r.kind == "total" else f"{r.delta:+.1f}"
        ax.text(p, max(r.start, r.end) + 2, text, ha="center", fontsize=8)
    ax.set_xticks(pos, [str(x).replace(" ", "\n", 1) for x in steps["label"]], fontsize=8)
    return finish(fig, ax, title=title, xlabel="", ylabel=ylabel, source=source)


__all__ = ["waterfall"]
