"""Columns on a log scale, each labelled, against labelled reference lines."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from matplotlib.figure import Figure

from planbook.page.charts import figure, finish
from planbook.page.curves import Rule, rule_on


def readable(value: float) -> str:
    """A value as a label: whole numbers with thousands separators from 10, else one decimal."""
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def log_columns(
    labels: Sequence[object],
    values: Sequence[float],
    colors: Sequence[str],
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    source: str,
    rules: Sequence[Rule] = (),
    fmt: Callable[[float], str] = readable,
    legend: str = "upper right",
    size: tuple[float, float] = (8.0, 4.2),
) -> Figure:
    """One column per label on a log axis from 1 to three times the largest value, each
    written above its column; ``rules`` are horizontal reference lines."""
    values = [float(v) for v in values]
    fig, ax = figure(*size)
    ax.bar([str(x) for x in labels], values, color=list(colors))
    ax.set_yscale("log")
    for rule in rules:
        rule_on(ax, rule)
    for x, v in enumerate(values):
        ax.text(x, v * 1.08, fmt(v), ha="center", va="bottom", fontsize=8)
    ax.set_ylim(1, max(values) * 3)
    ax.legend(frameon=False, fontsize=8, loc=legend)
    return finish(fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, source=source)


__all__ = ["log_columns", "readable"]
