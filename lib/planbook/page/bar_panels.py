"""Bar panels: the same categories in panels side by side, one panel per base or case."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from matplotlib.figure import Figure

from planbook.page.charts import figure, finish


def bar_panels(
    labels: Sequence[object],
    panels: Mapping[str, Sequence[float]],
    *,
    colors: str | Sequence[str],
    title: str,
    value_label: str,
    source: str,
    fmt: str = " {:,.0f}",
    margin: float = 1.25,
    size: tuple[float, float] = (10.0, 3.8),
) -> Figure:
    """Horizontal bars, first label at the top, one panel per entry of ``panels``.

    Parameters
    ----------
    labels
        The categories, shown on the first panel only.
    panels
        Panel note (written bold in its lower right corner) -> one value per label. Each
        panel has its own value axis, from 0 to ``margin`` times its largest value.
    colors
        One colour for all bars or one per label.
    fmt
        How a value is written at the end of its bar.
    """
    names = [str(x) for x in labels]
    fig, axes = figure(*size, ncols=len(panels))
    for ax, (note, values) in zip(axes, panels.items(), strict=True):
        values = [float(v) for v in values]
        ax.barh(names, values, color=colors)
        ax.invert_yaxis()
        for y, v in enumerate(values):
            ax.text(v, y, fmt.format(v), va="center", fontsize=8)
        ax.set_xlim(0, max(values) * margin)
        ax.text(0.98, 0.04, note, transform=ax.transAxes, ha="right", va="bottom", fontsize=9,
                fontweight="bold")  # fmt: skip
        ax.set_xlabel(value_label)
    for ax in axes[1:]:
        ax.set_yticklabels([])
    return finish(fig, axes[0], title=title, xlabel=value_label, ylabel="", source=source)


__all__ = ["bar_panels"]
