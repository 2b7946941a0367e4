"""The official series the forecasts use, and how well each method forecast them.

Every series here is an annual run of official figures (:mod:`planbook.data.official`) with
consecutive years, ready for :mod:`planbook.methods.forecast`. Two bases:

``chain_linked``
    The official year-on-year growth rates chained into an index and anchored at the latest
    *final* published level (:func:`planbook.data.official.chain_linked_index`). Used where the
    agency restates its comparison base, so that published levels do not chain but growth
    rates do (online retail, express parcels, cross-border e-commerce).
``levels``
    The published levels, leaving out figures that are not statistics (estimates, plan
    baselines, lower bounds). Used where no consecutive run of growth rates exists
    (transaction volume), or none is published (survey counts, shares).

In both cases the series is the longest run of consecutive years that ends at the last
available year, starting no earlier than ``history_start``.

:func:`backtest_table` scores every method on every series by rolling-origin backtest;
:func:`benchmark_comparison` sets the chosen method against the best simple benchmark.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from planbook.data import official
from planbook.errors import InputError
from planbook.methods import forecast as F
from planbook.page import charts as plots

__all__ = [
    "BENCHMARKS",
    "MIN_ORIGINS",
    "SERIES",
    "SeriesSpec",
    "TABLE_COLUMNS",
    "TIE",
    "TABLE_METHODS",
    "backtest_table",
    "benchmark_comparison",
    "headline",
    "methods_table",
    "official_series",
    "official_series_all",
    "plot_benchmarks",
    "plot_by_horizon",
]

#: Forecast origins a backtest keeps where the series allows (see forecast.training_window).
MIN_ORIGINS = 3

#: A chosen method whose pooled MASE is within this fraction of the best benchmark's ties it.
TIE = 0.005

#: The simple benchmarks every model has to beat (Hyndman & Athanasopoulos, FPP3 5.2).
BENCHMARKS: tuple[str, ...] = ("naive", "drift", "mean_log_growth")

#: Statuses and qualifiers that make a published figure unusable as a level.
_NOT_A_STATISTIC = {"estimate", "plan_baseline"}
_NOT_A_LEVEL = {"lower_bound"}


@dataclass(frozen=True)
class SeriesSpec:
    """How one official series is turned into a forecastable annual run.

    Attributes
    ----------
    key : str
        Name used in the book (``online_retail_sales`` ...).
    label : str
        Short English name for tables and charts.
    table : str
        Official table (:data:`planbook.data.official.TABLE_NAMES`).
    measure : str
        ``level`` or ``share_pct`` (the measure whose values are forecast).
    basis : {"chain_linked", "levels"}
        See the module docstring.
    why : str
        One sentence: why this basis for this series.
    """

    key: str
    label: str
    table: str
    measure: str
    basis: Literal["chain_linked", "levels"]
    why: str


SERIES: Mapping[str, SeriesSpec] = {
    spec.key: spec
    for spec in (
        SeriesSpec(
            "online_retail_sales",
            "Online retail sales",
            "online_retail_sales",
            "level",
            "chain_linked",
            "the NBS restates its comparison base every year, so published levels do not "
            "chain (2024 levels imply +0.6% against the official +7.2%); the official growth "
            "rates are the consistent part",
        ),
        SeriesSpec(
            "ecommerce_transaction_volume",
            "E-commerce transaction volume",
            "ecommerce_transaction_volume",
            "level",
            "levels",
            "official growth rates exist for five scattered years only and cannot be chained; "
            "the published report figures are used, the earlier estimates and plan baseline "
            "left out",
        ),
        SeriesSpec(
            "online_share_of_retail",
            "Online share of retail (physical goods)",
            "physical_goods_online_retail",
            "share_pct",
            "levels",
            "a share is published as such; the NBS share of physical goods sold online in "
            "total retail is the official reading closest to the plan's online share",
        ),
        SeriesSpec(
            "online_shoppers",
            "Online shoppers (CNNIC)",
            "online_shoppers",
            "level",
            "levels",
            "a survey count with no published growth rates: CNNIC year-end surveys (March "
            "2020 stands in for 2019; recent years from one secondary compilation)",
        ),
        SeriesSpec(
            "express_parcels",
            "Express parcels",
            "express_parcels",
            "level",
            "chain_linked",
            "the 2024 level is not comparable with 2023 (levels +32.6% against the official "
            "+21%), so the official growth rates are chained",
        ),
        SeriesSpec(
            "cross_border_ecommerce",
            "Cross-border e-commerce",
            "cross_border_ecommerce",
            "level",
            "chain_linked",
            "the customs full-scope series starts in 2020 and is revised every year, so its "
            "levels and growth rates disagree; the official growth rates are chained",
        ),
    )
}
"""The official series the book forecasts, by key."""


def _last_run(years: np.ndarray) -> np.ndarray:
    """The longest run of consecutive years that ends at the last year."""
    years = np.sort(np.asarray(years, dtype=np.int64))
    breaks = np.nonzero(np.diff(years) != 1)[0]
    return years[breaks[-1] + 1 :] if breaks.size else years


def _chain_linked(spec: SeriesSpec, data_dir: Path | None) -> tuple[pd.Series, str, dict]:
    growth = official.annual_series(spec.table, "yoy_pct", data_dir)
    growth = growth.loc[_last_run(growth.index.to_numpy())]
    levels = official.annual_series(spec.table, "level", data_dir)
    first, last = int(growth.index.min()) - 1, int(growth.index.max())
    final = [
        y
        for y in levels.index
        if first <= y <= last
        and levels.attrs["status"][y] == "final"
        and levels.attrs["qualifier"][y] in {"exact", "rounded"}
    ]
    if not final:
        raise InputError(f"{spec.table}: no final published level in {first}-{last} to anchor")
    anchor = int(max(final))
    index = official.chain_linked_index(growth, anchor, float(levels.loc[anchor]))
    flagged = {
        int(y): f"{growth.attrs['status'][y]}/{growth.attrs['qualifier'][y]}"
        for y in growth.index
        if growth.attrs["status"][y] != "final" or growth.attrs["qualifier"][y] != "exact"
    }
    detail = f"official growth rates {int(growth.index.min())}-{last} chained, anchored at the "
    detail += f"final {anchor} level ({levels.loc[anchor]:g})"
    if flagged:
        detail += f"; growth not final/exact in {', '.join(map(str, flagged))}"
    return index, detail, flagged


def _levels(spec: SeriesSpec, data_dir: Path | None) -> tuple[pd.Series, str, dict]:
    levels = official.annual_series(spec.table, spec.measure, data_dir)
    status, qualifier = levels.attrs["status"], levels.attrs["qualifier"]
    usable = [
        y
        for y in levels.index
        if status[y] not in _NOT_A_STATISTIC and qualifier[y] not in _NOT_A_LEVEL
    ]
    kept = levels.loc[_last_run(np.asarray(usable))]
    flagged = {
        int(y): f"{status[y]}/{qualifier[y]}"
        for y in kept.index
        if status[y] != "final" or qualifier[y] != "exact"
    }
    detail = f"published {'shares' if spec.measure == 'share_pct' else 'levels'}"
    if flagged:
        detail += "; not final/exact: " + ", ".join(f"{y} {f}" for y, f in flagged.items())
    return kept, detail, flagged


def official_series(key: str, history_start: int = 2014, data_dir: Path | None = None) -> pd.Series:
    """One official series, ready to forecast.

    Parameters
    ----------
    key : str
        A key of :data:`SERIES`.
    history_start : int, default 2014
        First year kept (the series may start later: see the module docstring).
    data_dir : pathlib.Path, optional
        The ``data/`` directory; default the repository's.

    Returns
    -------
    pandas.Series
        Positive values indexed by consecutive integer years. ``attrs``: ``unit`` (official
        unit), ``key``, ``label``, ``basis``, ``why``, ``detail`` (anchor, flagged years) and
        ``flagged`` (year -> ``status/qualifier`` of figures used that are not final/exact).

    Raises
    ------
    InputError
        If ``key`` is unknown or fewer than 3 years remain after ``history_start``.
    """
    if key not in SERIES:
        raise InputError(f"unknown series {key!r}; choose one of {', '.join(SERIES)}")
    spec = SERIES[key]
    builder = _chain_linked if spec.basis == "chain_linked" else _levels
    full, detail, flagged = builder(spec, data_dir)
    unit = official.annual_series(spec.table, spec.measure, data_dir).attrs["unit"]
    series = full.loc[int(history_start) :].astype(float).rename(key)
    if len(series) < 3:
        raise InputError(
            f"history_start={history_start} leaves {len(series)} years of {spec.label} "
            f"(data {int(full.index.min())}-{int(full.index.max())}); use an earlier year"
        )
    series.index = pd.Index(series.index.astype("int64"), name="year")
    series.attrs = {
        "unit": unit,
        "key": key,
        "label": spec.label,
        "basis": spec.basis,
        "why": spec.why,
        "detail": detail,
        "flagged": {y: f for y, f in flagged.items() if y >= int(series.index.min())},
    }
    return series


def official_series_all(
    history_start: int = 2014, data_dir: Path | None = None
) -> dict[str, pd.Series]:
    """Every series of :data:`SERIES`, by key (see :func:`official_series`)."""
    return {key: official_series(key, history_start, data_dir) for key in SERIES}


def methods_table() -> pd.DataFrame:
    """The forecasting methods of :mod:`planbook.methods.forecast`, one line each.

    Returns
    -------
    pandas.DataFrame
        Columns ``method``, ``role`` (benchmark or model), ``formula`` (on the log values
        ``y_t``; ``e_t`` an error), ``interval`` and ``min_obs`` (:data:`forecast.MIN_OBS`).
    """
    b = F.DEFAULT_BREAK_YEAR
    rows = [
        ("naive", "y(T+h) = y(T)", "normal, sd = sigma * sqrt(h)"),
        (
            "drift",
            "y(T+h) = y(T) + h * c, c = mean log growth",
            "normal, drift uncertainty included",
        ),
        (
            "mean_log_growth",
            "y(T+h) = y(T) + h * g, g = mean log growth",
            "normal, sd = s * sqrt(h), g and s taken as known",
        ),
        (
            "ets",
            "level l(t) = l(t-1) + b(t-1) + alpha * e(t); trend b(t) = b(t-1) + beta * e(t)",
            "normal, parameters taken as known",
        ),
        (
            "ets_damped",
            "as ets, trend damped: y(T+h) = l(T) + (phi + ... + phi^h) * b(T)",
            "normal, parameters taken as known",
        ),
        (
            "arima",
            "dy(t) = c + a * dy(t-1) + e(t) + m * e(t-1); orders and drift by AICc",
            "normal, parameters taken as known",
        ),
        ("trend", "y(t) = a + b * t + e(t), fitted by OLS", "Student t, parameters uncertain"),
        (
            "trend_break",
            f"y(t) = a + b * t + d * [t >= {b}] + k * max(t - {b}, 0) + e(t); break by AICc",
            "Student t, parameters uncertain",
        ),
        ("ensemble", "average of the members' quantiles", "members' bounds averaged"),
    ]
    return pd.DataFrame(
        {
            "method": [r[0] for r in rows],
            "role": ["benchmark" if r[0] in BENCHMARKS else "model" for r in rows],
            "formula": [r[1] for r in rows],
            "interval": [r[2] for r in rows],
            "min_obs": [F.MIN_OBS.get(r[0]) for r in rows],
        }
    )


# --------------------------------------------------------------------------------------------
# Backtests
# --------------------------------------------------------------------------------------------

#: Every method the backtest table scores: the candidates :func:`forecast.select_method`
#: chooses from, plus ``mean_log_growth`` (a benchmark; it ties ``drift`` on MASE).
TABLE_METHODS: tuple[str, ...] = (*F.DEFAULT_CANDIDATES, "mean_log_growth")

TABLE_COLUMNS: tuple[str, ...] = (
    "series",
    "label",
    "n_obs",
    "first_year",
    "last_year",
    "min_train",
    "n_origins",
    "method",
    "benchmark",
    "chosen",
    "horizon",
    "n",
    "MAPE",
    "MASE",
    "coverage",
    "level",
    "winkler",
)
"""Columns of :func:`backtest_table`."""


def backtest_table(
    series_dict: Mapping[str, pd.Series],
    *,
    min_train: int = 7,
    horizon: int = 3,
    level: float = 0.9,
    seed: int = 0,
    min_origins: int = MIN_ORIGINS,
) -> pd.DataFrame:
    """Rolling-origin accuracy of every method on every series, per step ahead.

    For each series the first training window is ``training_window(n, min_train,
    min_origins)`` (shortened for short series); the methods scored are those that can be
    fitted on that window. The chosen method is the one :func:`forecast.select_method`
    picks among :data:`forecast.DEFAULT_CANDIDATES` on the same backtest (lowest MASE
    pooled over all steps).

    Parameters
    ----------
    series_dict : mapping of str to pandas.Series
        Series by key (e.g. :func:`official_series_all`); ``attrs['label']`` used if set.
    min_train : int, default 7
        Wanted first training window, in years.
    horizon : int, default 3
        Largest step ahead scored.
    level : float, default 0.9
        Coverage of the prediction intervals scored.
    seed : int, default 0
        Passed to the methods.
    min_origins : int, default 3
        Origins kept where possible when shortening the window.

    Returns
    -------
    pandas.DataFrame
        One row per series, method and step ahead, columns :data:`TABLE_COLUMNS`:
        ``benchmark`` and ``chosen`` flag the method; ``n`` counts the forecasts scored;
        MAPE in percent, MASE relative to the in-sample naive error, ``coverage`` the share
        of actuals inside the interval, ``winkler`` in the series' unit.

    Raises
    ------
    InputError
        If a series is too short to backtest (fewer than 3 years).
    """
    frames = []
    for key, series in series_dict.items():
        n = len(series)
        if n < 3:
            raise InputError(f"series {key!r} has {n} years; a backtest needs at least 3")
        window = int(F.training_window(n, min_train, min_origins))
        candidates = [m for m in F.DEFAULT_CANDIDATES if F.MIN_OBS[m] <= window]
        selection = F.select_method(
            series, candidates, min_train=window, horizon=horizon, level=level, seed=seed
        )
        extra = [m for m in TABLE_METHODS if m not in candidates and F.MIN_OBS[m] <= window]
        runs = selection.backtest
        if extra:
            more = F.backtest(series, extra, window, horizon, level, seed=seed)
            runs = pd.concat([runs, more], ignore_index=True)
        acc = F.accuracy(runs, series)
        acc.insert(0, "series", key)
        acc.insert(1, "label", series.attrs.get("label", key))
        acc.insert(2, "n_obs", n)
        acc.insert(3, "first_year", int(series.index.min()))
        acc.insert(4, "last_year", int(series.index.max()))
        acc.insert(5, "min_train", window)
        acc.insert(6, "n_origins", n - window)
        acc["benchmark"] = acc["method"].isin(BENCHMARKS)
        acc["chosen"] = acc["method"] == selection.method
        frames.append(acc)
    table = pd.concat(frames, ignore_index=True)[list(TABLE_COLUMNS)]
    order = {m: i for i, m in enumerate(TABLE_METHODS)}
    table = table.assign(_m=table["method"].map(order))
    keys = {k: i for i, k in enumerate(series_dict)}
    table = table.assign(_s=table["series"].map(keys))
    table = table.sort_values(["_s", "_m", "horizon"], kind="stable")
    return table.drop(columns=["_s", "_m"]).reset_index(drop=True)


def _pooled(table: pd.DataFrame) -> pd.DataFrame:
    """Scores pooled over steps ahead (forecast-weighted means), per series and method."""
    weighted = table.assign(
        **{c: table[c] * table["n"] for c in ("MAPE", "MASE", "coverage", "winkler")}
    )
    keys = ["series", "label", "n_obs", "min_train", "n_origins", "method", "benchmark", "chosen"]
    sums = weighted.groupby(keys, sort=False)[["n", "MAPE", "MASE", "coverage", "winkler"]].sum()
    for c in ("MAPE", "MASE", "coverage", "winkler"):
        sums[c] = sums[c] / sums["n"]
    return sums.reset_index()


def _verdict(chosen: str, ratio: float) -> str:
    if chosen in BENCHMARKS:
        return "is a benchmark"
    return "beats the benchmarks" if ratio < 1 - TIE else "ties a benchmark"


def benchmark_comparison(table: pd.DataFrame) -> pd.DataFrame:
    """The chosen method against the best simple benchmark, per series (pooled over steps).

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`backtest_table`.

    Returns
    -------
    pandas.DataFrame
        One row per series: ``series, label, n_obs, min_train, n_origins, n`` (forecasts),
        ``chosen, chosen_MASE, chosen_coverage, best_benchmark, benchmark_MASE,
        benchmark_coverage``, ``mase_ratio`` (chosen over benchmark), ``verdict``
        (``beats the benchmarks`` when the ratio is below ``1 - TIE``, ``ties a benchmark``
        within :data:`TIE`, ``is a benchmark`` when the backtest chose one),
        ``methods_scored`` and ``left_out`` (methods the first window is too short for).
    """
    pooled = _pooled(table)
    rows = []
    for key, group in pooled.groupby("series", sort=False):
        chosen = group[group["chosen"]].iloc[0]
        bench = (
            group[group["benchmark"]]
            .assign(_mase=lambda g: g["MASE"].round(6))
            .sort_values(["_mase", "winkler"], kind="stable")
            .iloc[0]
        )
        scored = list(group["method"])
        ratio = float(chosen["MASE"]) / float(bench["MASE"])
        rows.append(
            {
                "series": key,
                "label": chosen["label"],
                "n_obs": int(chosen["n_obs"]),
                "min_train": int(chosen["min_train"]),
                "n_origins": int(chosen["n_origins"]),
                "n": int(chosen["n"]),
                "chosen": chosen["method"],
                "chosen_MASE": float(chosen["MASE"]),
                "chosen_coverage": float(chosen["coverage"]),
                "best_benchmark": bench["method"],
                "benchmark_MASE": float(bench["MASE"]),
                "benchmark_coverage": float(bench["coverage"]),
                "mase_ratio": ratio,
                "verdict": _verdict(str(chosen["method"]), ratio),
                "methods_scored": ", ".join(scored),
                "left_out": ", ".join(m for m in TABLE_METHODS if m not in scored),
            }
        )
    return pd.DataFrame(rows)


def plot_benchmarks(table: pd.DataFrame) -> tuple[Figure, Axes]:
    """Dot chart of pooled MASE by series: every method, the best benchmark, the chosen one.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`backtest_table`.

    Returns
    -------
    tuple of (Figure, Axes)
        A finished chart; show it with :func:`planbook.page.charts.show`.
    """
    pooled = _pooled(table)
    summary = benchmark_comparison(table)
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
        Output of :func:`backtest_table`.

    Returns
    -------
    tuple of (Figure, Axes)
        A finished chart; show it with :func:`planbook.page.charts.show`.
    """
    summary = benchmark_comparison(table)
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


def headline(
    params: object, claims: pd.DataFrame | None = None, *, table: pd.DataFrame | None = None
) -> dict[str, float]:
    """The methods appendix's key numbers under ``params`` (a ``MethodsParams``).

    Parameters
    ----------
    params : MethodsParams
        ``history_start``, ``backtest_min_train``, ``horizon``, ``level`` and ``seed``.
    claims : pandas.DataFrame, optional
        Unused (the numbers come from official series); kept for the common signature.
    table : pandas.DataFrame, optional
        A :func:`backtest_table` already computed under ``params``, to save recomputing it
        (2-4 s).

    Returns
    -------
    dict
        ``series_backtested``; ``series_model_beats_benchmarks`` (verdict "beats the
        benchmarks"); ``median_mase_ratio``; ``chosen_coverage_pct`` (mean over series,
        against the nominal ``level``); ``online_retail_chosen_mase`` and
        ``online_retail_benchmark_mase``.
    """
    if table is None:
        table = backtest_table(
            official_series_all(params.history_start),
            min_train=params.backtest_min_train,
            horizon=params.horizon,
            level=params.level,
            seed=params.seed,
        )
    summary = benchmark_comparison(table).set_index("series")
    return {
        "series_backtested": float(len(summary)),
        "series_model_beats_benchmarks": float(
            (summary["verdict"] == "beats the benchmarks").sum()
        ),
        "median_mase_ratio": float(summary["mase_ratio"].median()),
        "chosen_coverage_pct": float(summary["chosen_coverage"].mean() * 100),
        "online_retail_chosen_mase": float(summary.loc["online_retail_sales", "chosen_MASE"]),
        "online_retail_benchmark_mase": float(summary.loc["online_retail_sales", "benchmark_MASE"]),
    }
