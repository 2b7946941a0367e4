"""Charts of the forecasting methods: out-of-sample errors, calibration, monthly models, odds.

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
from planbook.methods.forecast import seasonal as S
from planbook.page import charts as plots

__all__ = [
    "plot_benchmarks",
    "plot_by_horizon",
    "plot_coverage",
    "plot_monthly",
    "plot_targets",
]

NESTED_SOURCE = "nested rolling-origin backtests (method chosen with data before each origin)"


def plot_benchmarks(summary: pd.DataFrame) -> tuple[Figure, Axes]:
    """Dot chart of out-of-sample MASE by series: the selection, the best benchmark chosen
    the same way, and each benchmark.

    Parameters
    ----------
    summary : pandas.DataFrame
        :attr:`planbook.methods.forecast.Evaluation.summary`.

    Returns
    -------
    tuple of (Figure, Axes)
        A finished chart; show it with :func:`planbook.page.charts.show`.
    """
    rows = summary.dropna(subset=["selected_MASE"])
    if rows.empty:
        raise InputError("no series has an out-of-sample score to plot")
    fig, ax = plots.figure(8, 1.2 + 0.6 * len(rows))
    labels, top = [], 0.0
    for y, row in enumerate(rows.itertuples(index=False)):
        bench = [getattr(row, f"{b}_MASE") for b in ("naive", "drift", "mean_log_growth")]
        bench = [b for b in bench if np.isfinite(b)]
        ax.scatter(
            bench,
            [y] * len(bench),
            s=18,
            color=plots.PALETTE["neutral"],
            alpha=0.6,
            label="Each benchmark" if y == 0 else None,
            zorder=2,
        )
        ax.scatter(
            row.best_benchmark_MASE,
            y,
            s=70,
            facecolor="white",
            linewidth=1.5,
            edgecolor=plots.PALETTE["official"],
            zorder=3,
            label="Best benchmark, chosen the same way" if y == 0 else None,
        )
        ax.scatter(
            row.selected_MASE,
            y,
            s=40,
            color=plots.PALETTE["forecast"],
            zorder=4,
            label="Selection among all methods" if y == 0 else None,
        )
        right = max([row.selected_MASE, row.best_benchmark_MASE, *bench])
        ax.text(right * 1.04, y, f"uses {row.method}", va="center", fontsize=8)
        top = max(top, right)
        labels.append(f"{row.label}\n(n = {row.n_obs}, {row.n_oos} forecasts)")
    ax.axvline(1.0, color=plots.PALETTE["neutral"], lw=1, ls=":")
    ax.set_yticks(range(len(rows)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.45)
    ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3)
    plots.finish(
        fig,
        ax,
        title="Out-of-sample error of the selection and the benchmarks, by series",
        xlabel="MASE pooled over all steps ahead (ratio; 1 = in-sample one-step naive error)",
        ylabel="",
        source=f"{plots.OFFICIAL_SOURCE}; {NESTED_SOURCE}",
    )
    return fig, ax


def plot_by_horizon(scores: pd.DataFrame, summary: pd.DataFrame) -> tuple[Figure, Axes]:
    """Out-of-sample MASE by step ahead: the selection (solid) and the best benchmark (dashed).

    Parameters
    ----------
    scores : pandas.DataFrame
        :attr:`planbook.methods.forecast.Evaluation.scores` (per series and step).
    summary : pandas.DataFrame
        :attr:`planbook.methods.forecast.Evaluation.summary` (for the labels).

    Returns
    -------
    tuple of (Figure, Axes)
        A finished chart; show it with :func:`planbook.page.charts.show`.
    """
    labels = summary.set_index("series")["label"]
    keys = list(dict.fromkeys(scores["series"]))
    fig, ax = plots.figure(8, 4.2)
    for colour, key in zip(_colours(len(keys)), keys, strict=True):
        rows = scores[scores["series"] == key]
        ax.plot(rows["horizon"], rows["selected_MASE"], "o-", color=colour, label=labels[key])
        ax.plot(
            rows["horizon"],
            rows["best_benchmark_MASE"],
            "o--",
            color=colour,
            alpha=0.5,
            mfc="white",
        )
    ax.axhline(1.0, color=plots.PALETTE["neutral"], lw=1, ls=":")
    ax.set_xticks(sorted(scores["horizon"].unique()))
    ax.legend(frameon=False, fontsize=7, loc="upper left")
    plots.finish(
        fig,
        ax,
        title="Out-of-sample error grows with the step ahead",
        xlabel="Steps ahead (years)",
        ylabel="MASE (solid: selection; dashed: best benchmark)",
        source=f"{plots.OFFICIAL_SOURCE}; {NESTED_SOURCE}",
    )
    return fig, ax


def plot_coverage(coverage: pd.DataFrame, by: str = "series") -> tuple[Figure, Axes]:
    """Coverage of the 80% and 90% intervals as fitted and as calibrated, per group.

    Parameters
    ----------
    coverage : pandas.DataFrame
        :meth:`planbook.methods.forecast.Evaluation.coverage_by` (last row ``"all"``).
    by : str, default "series"
        The grouping column; its values label the rows.

    Returns
    -------
    tuple of (Figure, Axes)
        A finished chart; show it with :func:`planbook.page.charts.show`.
    """
    fig, axes = plots.figure(8, 1.4 + 0.45 * len(coverage), ncols=2)
    y = np.arange(len(coverage))
    for ax, level in zip(axes, (80, 90), strict=True):
        ax.barh(
            y - 0.2,
            coverage[f"raw_{level}"] * 100,
            height=0.38,
            color=plots.PALETTE["neutral"],
            label="As fitted",
        )
        ax.barh(
            y + 0.2,
            coverage[f"cal_{level}"] * 100,
            height=0.38,
            color=plots.PALETTE["forecast"],
            label="Calibrated",
        )
        ax.axvspan(level - 5, level + 5, color=plots.PALETTE["ok"], alpha=0.12, lw=0)
        ax.axvline(level, color=plots.PALETTE["ok"], lw=1)
        ax.set_xlim(0, 105)
        ax.set_title(f"{level}% intervals", loc="left", fontsize=10)
        ax.set_xlabel("Share of outcomes inside (%)")
        ax.invert_yaxis()
    names = [f"{g} (n = {n})" for g, n in zip(coverage[by], coverage["n"], strict=True)]
    axes[0].set_yticks(y, names, fontsize=8)
    axes[1].set_yticks(y, [""] * len(y))
    axes[1].legend(frameon=False, fontsize=8, loc="lower right")
    plots.finish(
        fig,
        axes[0],
        title="Backtest coverage, as fitted and calibrated",
        xlabel="Share of outcomes inside (%)",
        ylabel="",
        source=f"{plots.OFFICIAL_SOURCE}; every backtest forecast, calibrated leaving its "
        "own year out; band: nominal +-5 points",
    )
    return fig, axes[0]


def plot_monthly(ev: S.MonthlyEvaluation) -> tuple[Figure, Axes]:
    """The monthly releases and the selection's out-of-sample forecasts from each origin.

    Parameters
    ----------
    ev : MonthlyEvaluation
        :func:`planbook.methods.forecast.seasonal.evaluate_monthly`.

    Returns
    -------
    tuple of (Figure, Axes)
        A finished chart; show it with :func:`planbook.page.charts.show`.
    """
    periods = pd.PeriodIndex(ev.months.index, freq="M")
    fig, ax = plots.figure(8, 4.2)
    ax.plot(
        periods.to_timestamp(),
        np.asarray(ev.months),
        color=plots.PALETTE["official"],
        lw=1.2,
        label="Published (January-February as one release)",
    )
    selected = ev.oos[ev.oos["procedure"] == "selected"]
    for i, (origin, rows) in enumerate(selected.groupby("origin")):
        when = [pd.Period(ordinal=int(o), freq="M").to_timestamp() for o in rows["year"]]
        label = "Selection's forecasts from each origin" if i == 0 else None
        ax.plot(when, rows["forecast"], "--", color=plots.PALETTE["forecast"], lw=1.2, label=label)
        ax.axvline(
            pd.Period(ordinal=int(origin), freq="M").to_timestamp(),
            color="#cccccc",
            lw=0.8,
            zorder=0,
        )
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    plots.finish(
        fig,
        ax,
        title=f"{ev.label}: releases and out-of-sample forecasts",
        xlabel="Release",
        ylabel=f"{ev.unit.replace('_', ' ').capitalize()} per release",
        source=f"{plots.OFFICIAL_SOURCE} (NBS single-month releases); origins in June and December",
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
        Output of :func:`planbook.methods.targets.targets_against_data`; the label of each
        bar is its ``probability_text``.

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
        worded = str(row.probability_text).split(" (")[0]
        ax.text(
            min(pct[i], 100) + 1.5,
            i,
            f"{worded}  (needs {row.required_growth_pct:+.1f}%/yr; "
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
        "methods chosen by nested backtest, intervals calibrated",
    )
    return fig, ax
