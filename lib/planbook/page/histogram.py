"""A histogram of simulated values with the median, an interval and a threshold marked."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure

from planbook.page.charts import PALETTE, figure, finish


def draws_histogram(
    draws: Sequence[float],
    *,
    median: float,
    interval: tuple[float, float],
    interval_label: str,
    threshold: float,
    threshold_label: str,
    title: str,
    xlabel: str,
    source: str,
    ylabel: str = "Number of draws",
    bins: int = 60,
    size: tuple[float, float] = (8.0, 3.6),
) -> Figure:
    """Simulated values of a forecast: their histogram, the median (solid line), the
    prediction interval (shaded) and a threshold (dashed) in the official colour.

    Parameters
    ----------
    draws
        The simulated values.
    median, interval
        The predictive median and interval ``(lower, upper)``.
    interval_label, threshold_label
        Legend entries of the interval and the threshold.
    threshold
        The value the question asks about.
    title, xlabel, source, ylabel
        Title, axis labels (with units) and source line.
    bins
        Histogram bins.
    size
        Figure size in inches.
    """
    fig, ax = figure(*size)
    ax.hist(draws, bins=bins, color=PALETTE["forecast"], alpha=0.6)
    ax.axvline(median, color=PALETTE["forecast"], lw=1.5, label="Median")
    ax.axvspan(*interval, color=PALETTE["forecast"], alpha=0.1, label=interval_label)
    ax.axvline(threshold, color=PALETTE["official"], ls="--", lw=1.5, label=threshold_label)
    ax.legend(frameon=False, fontsize=8)
    return finish(fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, source=source)


__all__ = ["draws_histogram"]
