"""Paired columns: two values per category side by side, a note over the second of each pair."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure

from planbook.page.charts import figure, finish


def paired_columns(
    categories: Sequence[object],
    first: Sequence[float],
    second: Sequence[float],
    notes: Sequence[float],
    *,
    labels: tuple[str, str],
    colors: tuple[str, str],
    title: str,
    value_label: str,
    source: str,
    fmt: str = "{:.2f}x",
    width: float = 0.38,
    size: tuple[float, float] = (8.0, 3.6),
) -> Figure:
    """Two columns per category (``first`` left, ``second`` right), ``notes`` over the right.

    Parameters
    ----------
    categories
        Tick labels, in order (line breaks allowed).
    first, second
        The two values of each category; ``labels`` and ``colors`` name and colour them.
    notes
        One number per category, written over its second column in ``fmt``.
    width
        Width of one column.
    """
    x = range(len(categories))
    fig, ax = figure(*size)
    ax.bar([i - width / 2 for i in x], list(first), width, color=colors[0], label=labels[0])
    ax.bar([i + width / 2 for i in x], list(second), width, color=colors[1], label=labels[1])
    for i, (v, note) in enumerate(zip(second, notes, strict=True)):
        ax.text(i + width / 2, v, fmt.format(note), ha="center", va="bottom", fontsize=8)
    ax.set_xticks(list(x), [str(c) for c in categories], fontsize=8)
    ax.legend(frameon=False, fontsize=8)
    return finish(fig, ax, title=title, xlabel="", ylabel=value_label, source=source)


__all__ = ["paired_columns"]
