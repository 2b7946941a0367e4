"""Ranked bars: horizontal bars read top-down, coloured by group, each with a note at its end."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from planbook.page.charts import figure, finish


def ranked_bars(
    labels: Sequence[object],
    values: Sequence[float],
    notes: Sequence[float],
    groups: Sequence[str],
    colors: Mapping[str, str],
    *,
    title: str,
    value_label: str,
    source: str,
    fmt: str = " {:.2f}",
    headroom: float = 1.2,
    legend: str = "lower right",
    size: tuple[float, float] = (8.0, 3.8),
) -> Figure:
    """One bar per label, first at the top, with a legend of the groups in order of appearance.

    Parameters
    ----------
    labels, values
        The bars, in reading order.
    notes
        One number per bar, written at its end in ``fmt`` (it need not be the bar's value).
    groups
        The group of each bar; ``colors`` maps a group to its colour.
    headroom
        The value axis runs from 0 to ``headroom`` times the largest value.
    """
    labels, values = [str(x) for x in labels], [float(v) for v in values]
    fig, ax = figure(*size)
    ax.barh(labels, values, color=[colors[g] for g in groups])
    ax.invert_yaxis()
    for y, (v, note) in enumerate(zip(values, notes, strict=True)):
        ax.text(v, y, fmt.format(note), va="center", fontsize=9)
    shown = list(dict.fromkeys(groups))
    handles = [plt.Rectangle((0, 0), 1, 1, color=colors[g]) for g in shown]
    ax.legend(handles, shown, frameon=False, fontsize=8, loc=legend)
    ax.set_xlim(0, max(values) * headroom)
    return finish(fig, ax, title=title, xlabel=value_label, ylabel="", source=source)


__all__ = ["ranked_bars"]
