"""Charts of the forecasting methods: backtest errors by series and step, odds of targets.

Each function takes the table it draws (from :mod:`planbook.methods.forecast` or
:mod:`planbook.methods.targets`) and returns a finished ``(fig, ax)``; show it with
:func:`planbook.page.charts.show`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from planbook.errors import InputError
from planbook.methods import forecast as F
from planbook.page import charts as plots

__all__ = ["plot_benchmarks", "plot_by_horizon", "plot_targets"]


def plot_benchmarks(table: pd.DataFrame) -> tuple[Figure, Axes]:
    """Dot chart of pooled MASE by series: every method, the best benchmark, the chosen one.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`planbook.methods.forecast.backtest_table`.

    Returns
    -------
    tuple of (Figure, Axes)
        A finished chart; show it with :func:`planbook.page.charts.show`.
    """
    pooled = F.pooled_scores(table)
    summary = F.benchmark_comparison(table)
    fig, ax = plots.figure(8, 1.2 + 0.6 * len(summary))
    labels = []
    for y, row in enumerate(summary.itertuples(index=False)):
        group = pooled[pooled["series"] == row.series]
        ax.scatter(
            group["MASE"],
            [y] * len(group),
            s=18,
            color=plots.PALETTE["neutral"],
            alpha=0.6,
            label="Other methods" if y == 0 else None,
            zorder=2,
        )
        ax.scatter(
            row.benchmark_MASE,
            y,
            s=70,
            facecolor="white",
            edgecolor=plots.PALETTE["official"],
            linewidth=1.5,
            zorder=3,
            label="Best benchmark" if y == 0 else None,
        )
        ax.scatter(
            row.chosen_MASE,
            y,
            s=40,
            color=plots.PALETTE["forecast"],
            zorder=4,
            label="Chosen method" if y == 0 else None,
        )
        ax.text(
            max(group["MASE"].max(), row.benchmark_MASE) * 1.04,
            y,
            f"{row.chosen} (a benchmark)"
            if row.chosen == row.best_benchmark
            else f"{row.chosen} vs {row.best_benchmark}",
            va="center",
            fontsize=8,
        )
        labels.append(f"{row.label}\n(n = {row.n_obs}, {row.n_origins} origins)")
    ax.axvline(1.0, color=plots.PALETTE["neutral"], lw=1, ls=":")
    ax.set_yticks(range(len(summary)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, float(pooled["MASE"].max()) * 1.45)
    ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3)
    plots.finish(
        fig,
        ax,
        title="Backtest error of each method, by official series",
        xlabel="MASE pooled over all steps ahead (ratio; 1 = in-sample one-step naive error)",
        ylabel="",
        source=f"{plots.OFFICIAL_SOURCE}; rolling-origin backtests, expanding window",
    )
    return fig, ax


def plot_by_horizon(table: pd.DataFrame) -> tuple[Figure, Axes]:
    """MASE by step ahead: the chosen method (solid) and the best benchmark (dashed).

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`planbook.methods.forecast.backtest_table`.

    Returns
    -------
    tuple of (Figure, Axes)
        A finished chart; show it with :func:`planbook.page.charts.show`.
    """
    summary = F.benchmark_comparison(table)
    fig, ax = plots.figure(8, 4.2)
    colours = _colours(len(summary))
    for colour, row in zip(colours, summary.itertuples(index=False), strict=True):
        rows = table[table["series"] == row.series]
        chosen = rows[rows["method"] == row.chosen]
        bench = rows[rows["method"] == row.best_benchmark]
        ax.plot(
            chosen["horizon"],
            chosen["MASE"],
            "o-",
            color=colour,
            label=f"{row.label}: {row.chosen}",
        )
        if row.best_benchmark != row.chosen:
            ax.plot(bench["horizon"], bench["MASE"], "o--", color=colour, alpha=0.5, mfc="white")
    ax.axhline(1.0, color=plots.PALETTE["neutral"], lw=1, ls=":")
    ax.set_xticks(sorted(table["horizon"].unique()))
    ax.legend(frameon=False, fontsize=7, loc="upper left")
    plots.finish(
        fig,
        ax,
        title="Backtest error grows with the step ahead",
        xlabel="Steps ahead (years)",
        ylabel="MASE (ratio; dashed: best benchmark)",
        source=f"{plots.OFFICIAL_SOURCE}; rolling-origin backtests, expanding window",
    )
    return fig, ax


def _colours(n: int) -> list[str]:
    """``n`` distinct colour-blind-safe colours."""
    return list(sns.color_palette("colorblind", n).as_hex())


def plot_targets(df: pd.DataFrame) -> tuple[Figure, Axes]:
    """Bar chart of the probability that each target is met, with the growth it needs.

    Parameters
    ----------
    df : pandas.DataFrame
        Output of :func:`planbook.methods.targets.targets_against_data`.

    Returns
    -------
    tuple of (Figure, Axes)
        A finished chart (title, axis labels, source line); show it with
        :func:`planbook.page.charts.show`.
    """
    if df.empty:
        raise InputError("no targets to plot: targets_against_data returned no rows")
    fig, ax = plots.figure(8, 0.9 + 0.75 * len(df))
    labels = [f"{d}\n[{t}]" for d, t in zip(df["description"], df["target_id"], strict=True)]
    y = np.arange(len(df))
    pct = df["probability"].to_numpy(dtype=float) * 100
    colours = [plots.PALETTE["ok"] if p >= 50 else plots.PALETTE["bad"] for p in pct]
    ax.barh(y, pct, color=colours, height=0.6)
    for i, row in enumerate(df.itertuples(index=False)):
        ax.text(
            min(pct[i], 100) + 1.5,
            i,
            f"{pct[i]:.1f}%  (needs {row.required_growth_pct:+.1f}%/yr; "
            f"history {row.historical_growth_pct:+.1f}%/yr, n = {row.n_obs})",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlim(0, 100)
    ax.invert_yaxis()
    plots.finish(
        fig,
        ax,
        title="Probability that each target is met, on the official trend",
        xlabel="Probability of meeting the target (%)",
        ylabel="",
        source=f"{plots.OFFICIAL_SOURCE}; {plots.PLAN_SOURCE}; forecasts on logs, "
        "methods chosen by rolling-origin backtest",
    )
    return fig, ax
