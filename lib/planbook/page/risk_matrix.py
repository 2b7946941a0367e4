"""Risk matrices: risks placed by likelihood and impact on a grid coloured by their product."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure

from planbook.page.chart_data import attach
from planbook.page.charts import figure, finish

SCORE_COLOURS = ("#eaf5ee", "#f7dc6f", "#eb984e", "#c0392b")
"""From a score of 1 (pale green) to 25 (the plan's red)."""


def risk_matrix(
    risks: pd.DataFrame,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    source: str,
    likelihood: str = "likelihood",
    impact: str = "impact",
    name: str = "key",
    size: tuple[float, float] = (8.0, 6.0),
) -> Figure:
    """A 5 x 5 grid, each cell coloured by likelihood times impact and marked with it; each
    risk's name (underscores as spaces) written in its cell.

    Parameters
    ----------
    risks
        One row per risk: its ``likelihood`` and ``impact`` scores (1-5) and its ``name``.
    """
    score = np.outer(np.arange(5, 0, -1), np.arange(1, 6))
    cmap = LinearSegmentedColormap.from_list("risk", list(SCORE_COLOURS))
    fig, ax = figure(*size)
    ax.imshow(score, cmap=cmap, vmin=1, vmax=25, extent=(0.5, 5.5, 0.5, 5.5), aspect="auto")
    for (lk, im), grp in risks.groupby([likelihood, impact]):
        names = "\n".join(str(k).replace("_", " ") for k in grp[name])
        ax.text(lk, im, names, ha="center", va="center", fontsize=8)
    for lk in range(1, 6):
        for im in range(1, 6):
            ax.text(lk + 0.45, im - 0.45, str(lk * im), ha="right", va="bottom", fontsize=6,
                    color="#555555")  # fmt: skip
    ax.set_xticks(range(1, 6))
    ax.set_yticks(range(1, 6))
    ax.grid(False)
    attach(fig, risks[[name, likelihood, impact]].assign(score=risks[likelihood] * risks[impact]))
    return finish(fig, ax, title=title, xlabel=xlabel, ylabel=ylabel, source=source)


__all__ = ["SCORE_COLOURS", "risk_matrix"]
