"""Diverging bars: changes either side of zero, coloured by group, each labelled."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from matplotlib.figure import Figure
from matplotlib.patches import Patch

from planbook.page.charts import figure, finish


def diverging_bars(
    labels: Sequence[object],
    values: Sequence[float],
    groups: Sequence[str],
    *,
    colors: Mapping[str, str],
    legend: Mapping[str, str],
    title: str,
    value_label: str,
    source: str,
    fmt: str = "{:+.0f}%",
    margin: float = 1.35,
    size: tuple[float, float] = (8.0, 5.6),
) -> Figure:
    """Horizontal bars from zero, first label at the bottom, values written at their ends.

    Parameters
    ----------
    labels, values, groups
        One bar per label; ``groups`` picks its colour from ``colors``.
    legend
        Group -> legend entry, in the legend's order.
    fmt
        How a value is written next to its bar.
    margin
        The value axis runs from ``margin`` times the smallest to ``margin`` times the largest.
    """
    labels, values = [str(x) for x in labels], [float(v) for v in values]
    fig, ax = figure(*size)
    ax.barh(labels, values, color=[colors[g] for g in groups])
    for y, v in enumerate(values):
        ax.text(v, y, f" {fmt.format(v)} ", va="center", ha="left" if v >= 0 else "right",
                fontsize=8)  # fmt: skip
    ax.axvline(0, color="black", lw=0.8)
    ax.tick_params(axis="y", labelsize=8)
    handles = [Patch(color=colors[g], label=text) for g, text in legend.items()]
    ax.legend(handles=handles, frameon=False, fontsize=8, loc="upper left")
    ax.set_xlim(min(values) * margin, max(values) * margin)
    return finish(fig, ax, title=title, xlabel=value_label, ylabel="", source=source)


__all__ = ["diverging_bars"]
