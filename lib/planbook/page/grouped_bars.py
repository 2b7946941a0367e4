"""Grouped bars: two or more series side by side for each category."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure

from planbook.page.charts import figure, finish, offsets
from planbook.page.curves import Rule, rule_on


def grouped_bars(
    categories: Sequence[object],
    series: Mapping[str, Sequence[float]],
    colors: Mapping[str, str],
    *,
    title: str,
    value_label: str,
    source: str,
    category_label: str = "",
    horizontal: bool = True,
    thickness: float = 0.38,
    fmt: str | None = None,
    rules: Sequence[Rule] = (),
    limits: tuple[float, float] | None = None,
    legend: str = "best",
    size: tuple[float, float] = (8.0, 3.8),
) -> Figure:
    """One bar per series and category; horizontal bars read top-down.

    Parameters
    ----------
    categories
        The categories, in reading order.
    series
        Legend entry -> one value per category.
    colors
        Legend entry -> colour.
    thickness
        Thickness of one bar (the series of a category share 0.8).
    fmt
        If given, each value is written at the end of its bar (vertical bars only).
    rules
        Reference lines across the value axis.
    limits
        Range of the value axis.
    """
    pos = np.arange(len(categories))
    names = [str(c) for c in categories]
    fig, ax = figure(*size)
    for shift, (label, values) in zip(offsets(len(series)), series.items(), strict=True):
        values = np.asarray(values, dtype=float)
        if horizontal:
            ax.barh(pos + shift, values, height=thickness, color=colors[label], label=label)
        else:
            ax.bar(pos + shift, values, width=thickness, color=colors[label], label=label)
            for x, v in zip(pos + shift, values, strict=True):
                if fmt is not None:
                    ax.text(x, v, fmt.format(v), ha="center", va="bottom", fontsize=8)
    if horizontal:
        ax.set_yticks(pos, names)
        ax.invert_yaxis()
    else:
        ax.set_xticks(pos, names)
    for rule in rules:
        rule_on(ax, rule)
    if limits is not None:
        (ax.set_xlim if horizontal else ax.set_ylim)(*limits)
    ax.legend(frameon=False, fontsize=8, loc=legend)
    xlabel, ylabel = (value_label, category_label) if horizontal else (category_label, value_label)
    return finish(fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, source=source)


__all__ = ["grouped_bars"]
