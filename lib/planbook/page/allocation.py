"""Allocation bars: the named uses of each total stacked, the rest hatched, the total marked."""

from __future__ import annotations

import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from planbook.page.charts import PALETTE
from planbook.page.stacked import stacked_bars


def allocation_bars(
    table: pd.DataFrame,
    totals: pd.Series,
    *,
    rest: str,
    title: str,
    xlabel: str,
    ylabel: str,
    source: str,
    total_label: str = "Stated total",
    size: tuple[float, float] = (8.0, 4.4),
) -> Figure:
    """One bar per column of ``table``: its rows stacked, the row ``rest`` hatched on top.

    Parameters
    ----------
    table
        Rows: the uses, then ``rest`` (what no use claims; drawn from zero up only);
        columns: the bars, in order.
    totals
        The stated total of each bar, marked with a black line.
    """
    segments = table.T.assign(**{rest: table.loc[rest].clip(lower=0)})
    named = [c for c in segments.columns if c != rest]
    colors = dict(zip(named, sns.color_palette("Set2", len(named)), strict=True))
    fig = stacked_bars(
        segments, {**colors, rest: "white"}, title=title, source=source, xlabel=xlabel,
        ylabel=ylabel, width=0.6, size=size, legend={"loc": "upper left"},
    )  # fmt: skip
    ax = fig.axes[0]
    for patch in ax.containers[-1]:
        patch.set_edgecolor(PALETTE["neutral"])
        patch.set_hatch("//")
    ax.scatter([str(c) for c in totals.index], totals.to_numpy(), marker="_", s=1500,
               linewidths=2.5, color="black", zorder=3, label=total_label)  # fmt: skip
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    return fig


__all__ = ["allocation_bars"]
