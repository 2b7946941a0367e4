"""Signed bars: rates either side of zero, a fall in green and a rise in red, some hatched."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure

from planbook.page.charts import PALETTE, figure, finish


def signed_bars(
    labels: Sequence[object],
    values: Sequence[float],
    hatched: Sequence[bool],
    *,
    title: str,
    value_label: str,
    source: str,
    fmt: str = " {:+.1f}% ",
    width: float = 8.0,
) -> Figure:
    """Horizontal bars from zero, first label at the bottom, each value written at its end.

    Parameters
    ----------
    labels, values
        One bar per label, drawn from the bottom up.
    hatched
        Whether each bar is hatched (e.g. a value that rests on an assumption).
    fmt
        How a value is written next to its bar (outside its end).
    width
        Figure width in inches; the height grows with the number of bars.
    """
    labels, values = [str(x) for x in labels], [float(v) for v in values]
    fig, ax = figure(width, 0.8 + 0.32 * len(values))
    colours = [PALETTE["ok"] if v < 0 else PALETTE["plan"] for v in values]
    bars = ax.barh(labels, values, color=colours)
    for bar, hatch in zip(bars, hatched, strict=True):
        if hatch:
            bar.set_hatch("///")
            bar.set_edgecolor("white")
    ax.axvline(0, color="black", lw=0.8)
    for y, v in enumerate(values):
        ax.text(v, y, fmt.format(v), va="center", ha="left" if v >= 0 else "right", fontsize=8)
    ax.tick_params(axis="y", labelsize=8)
    lo, hi = min(values), max(values)
    ax.set_xlim(min(lo, 0) * 1.35 - 2, max(hi, 0) * 1.3 + 2)
    return finish(fig, ax, title=title, xlabel=value_label, ylabel="", source=source)


__all__ = ["signed_bars"]
