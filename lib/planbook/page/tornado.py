"""Tornado charts: how far an output moves when each input is moved down and up alone."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from planbook.page.charts import PALETTE, figure, finish


def draw_tornado(
    ax: Axes,
    table: pd.DataFrame,
    *,
    low_colour: str,
    high_colour: str,
    value_format: str = "{:,.0f}",
) -> Axes:
    """Draw a tornado table on ``ax``: widest bar on top.

    Each input gets two bars from the base output: to the output with the input lowered
    (``low_colour``) and raised (``high_colour``), each with its value written at its end.

    Parameters
    ----------
    table
        From :func:`planbook.methods.models.sensitivity.tornado`: ``label``,
        ``output_at_low``, ``output_at_high`` and ``base_output``, widest swing first.
    """
    centre = float(table["base_output"].max())
    y = range(len(table))
    ax.barh(
        y, table["output_at_low"] - centre, left=centre, color=low_colour, label="input lowered"
    )
    ax.barh(
        y, table["output_at_high"] - centre, left=centre, color=high_colour, label="input raised"
    )
    ax.axvline(centre, color="#333333", lw=1)
    ax.set_yticks(list(y), list(table["label"]))
    ax.invert_yaxis()
    for i, row in enumerate(table.itertuples(index=False)):
        for out in (row.output_at_low, row.output_at_high):
            ha = "left" if out >= centre else "right"
            ax.text(out, i, " " + value_format.format(out) + " ", va="center", ha=ha, fontsize=8)
    return ax


OUTPUT_COLUMNS: tuple[str, ...] = ("output_at_low", "output_at_high", "base_output")
"""The columns of a sensitivity table in the output's unit (the ones a rescale touches)."""


def tornado(
    table: pd.DataFrame,
    *,
    title: str,
    xlabel: str,
    source: str,
    low_colour: str = PALETTE["warn"],
    high_colour: str = PALETTE["forecast"],
    value_format: str = "{:,.0f}",
    size: tuple[float, float] = (8.0, 4.4),
) -> Figure:
    """A finished tornado chart of a sensitivity table (see :func:`draw_tornado`), with a
    legend for the lowered and raised input."""
    fig, ax = figure(*size)
    draw_tornado(
        ax, table, low_colour=low_colour, high_colour=high_colour, value_format=value_format
    )
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    return finish(fig, ax, title=title, xlabel=xlabel, ylabel="", source=source)


__all__ = ["OUTPUT_COLUMNS", "draw_tornado", "tornado"]
