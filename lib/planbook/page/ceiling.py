"""Growth against a ceiling: a compounding path, a logistic path, the ceiling and the data."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from planbook.page.charts import PALETTE, figure, finish


def ceiling_paths(
    paths: pd.DataFrame,
    ceiling: float,
    official: pd.Series,
    *,
    compound_label: str,
    logistic_label: str,
    official_label: str,
    target: tuple[float, float, str],
    crossing: tuple[float, float] | None,
    top: float,
    title: str,
    ylabel: str,
    source: str,
    headroom: float = 1.35,
    size: tuple[float, float] = (8.0, 4.4),
) -> Figure:
    """The paths of ``paths`` (``year``, ``compound``, ``logistic``) under a dashed ceiling.

    Parameters
    ----------
    ceiling
        The level the logistic path bends towards (a dashed black line).
    official
        Observed values by year, drawn with small markers in the official colour.
    target
        Another target, ``(year, value, legend entry)``, drawn as a triangle.
    crossing
        Where compounding meets the ceiling, ``(year, value)``, or None to leave it out.
    top, headroom
        The value axis runs from 0 to ``headroom`` times ``top``.
    """
    fig, ax = figure(*size)
    ax.plot(paths["year"], paths["compound"], color=PALETTE["plan"], label=compound_label)
    ax.plot(paths["year"], paths["logistic"], color=PALETTE["forecast"], label=logistic_label)
    ax.axhline(ceiling, color="black", lw=1, ls="--", label="Ceiling")
    if crossing is not None:
        ax.scatter([crossing[0]], [crossing[1]], color=PALETTE["plan"], zorder=3)
    year, value, label = target
    ax.scatter([year], [value], marker="^", color=PALETTE["warn"], zorder=3, label=label)
    ax.plot(official.index, official.values, "o-", color=PALETTE["official"], ms=3,
            label=official_label)  # fmt: skip
    ax.set_ylim(0, top * headroom)
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    return finish(fig, ax, title=title, xlabel="Year", ylabel=ylabel, source=source)


__all__ = ["ceiling_paths"]
