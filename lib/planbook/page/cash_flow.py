"""Cash-flow charts: money out below the line, money in above it, the running total."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from planbook.page.charts import PALETTE, figure, finish


def cash_flow(
    outflow: pd.Series,
    inflow: pd.Series,
    cumulative: pd.Series,
    *,
    labels: tuple[str, str, str],
    title: str,
    xlabel: str,
    ylabel: str,
    source: str,
    size: tuple[float, float] = (8.0, 4.4),
) -> Figure:
    """Outflows (plan colour, drawn negative) and inflows side by side per period, with the
    cumulative net flow as a black line.

    Parameters
    ----------
    outflow, inflow, cumulative
        Series on the same index (the periods, numbers); outflows positive.
    labels
        Legend entries of the outflow, the inflow and the cumulative line.
    """
    fig, ax = figure(*size)
    x = outflow.index
    ax.bar(x - 0.2, -outflow, width=0.4, color=PALETTE["plan"], label=labels[0])
    ax.bar(x + 0.2, inflow, width=0.4, color=PALETTE["forecast"], label=labels[1])
    ax.plot(cumulative.index, cumulative, "o-", color="black", label=labels[2])
    ax.axhline(0, color="#333333", lw=0.8)
    ax.set_xticks(list(x))
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    return finish(fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, source=source)


__all__ = ["cash_flow"]
