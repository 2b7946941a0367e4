"""Columns, one per category, with some categories marked by a cross at zero."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure

from planbook.page.charts import PALETTE, figure, finish


def marked_columns(
    labels: Sequence[str],
    values: Sequence[float],
    colors: Sequence[str],
    marked: Sequence[str],
    *,
    marked_label: str,
    title: str,
    xlabel: str,
    ylabel: str,
    source: str,
    label_size: float = 7,
    size: tuple[float, float] = (8.0, 3.6),
) -> Figure:
    """Vertical bars with upright-turned category labels, and a cross at zero on the
    ``marked`` categories (such as those without data).

    Parameters
    ----------
    labels, values, colors
        One bar per label, its value and its colour.
    marked
        Labels to mark with a cross (in the ``bad`` colour), listed in the legend as
        ``marked_label``.
    title, xlabel, ylabel, source
        Title, axis labels and source line.
    label_size
        Type size of the category labels.
    size
        Figure size in inches.
    """
    fig, ax = figure(*size)
    ax.bar(list(labels), list(values), color=list(colors))
    ax.scatter(
        list(marked), [0] * len(marked), marker="x", color=PALETTE["bad"], zorder=3,
        label=marked_label,
    )  # fmt: skip
    ax.tick_params(axis="x", labelrotation=90, labelsize=label_size)
    ax.legend(frameon=False, fontsize=8)
    return finish(fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, source=source)


__all__ = ["marked_columns"]
