"""Nested rolling-origin evaluation: choose with the data before an origin, score after it.

A plain rolling-origin backtest that both chooses a method and reports the chosen method's
score flatters the choice: the winner is scored on the forecasts that made it the winner.
The nested evaluation separates the two. At every *outer* origin (a year ``T``):

1. the method is chosen among the candidates by MASE pooled over the backtest forecasts
   whose outcome was known by the end of ``T`` (the *inner* backtest: forecasts made
   from earlier origins of years up to ``T``; nothing after ``T`` is seen);
2. the best simple benchmark is chosen the same way, among the benchmarks only;
3. both, and each benchmark, forecast the years after ``T`` from the data up to ``T``, and
   those forecasts are scored against what was published.

Because an expanding-window forecast from origin ``s`` does not depend on later years, one
backtest of every method at every origin serves every outer origin: the inner backtest at
``T`` is the subset of rows whose target year is at most ``T``. The evaluation therefore
costs no more model fits than the plain backtest.

:func:`backtest_series` runs the backtest of one series; :func:`choose` picks a method
from rows; :func:`nested_rows` gives the out-of-sample rows of each procedure;
:func:`nested_scores` scores them per series and step; :func:`use_model` says whether a
model beat the benchmarks out of sample.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planbook.methods.forecast.backtesting import backtest, score_rows
from planbook.methods.forecast.benchmarks import BENCHMARKS
from planbook.methods.forecast.distribution import normal_scores
from planbook.methods.forecast.inputs import MIN_OBS, as_history
from planbook.methods.forecast.registry import DEFAULT_CANDIDATES

#: Inner origins needed before a method can be chosen at an outer origin.
MIN_INNER = 2

#: Origins a series keeps where it can: two to choose with, at least two to score.
MIN_ORIGINS = 4

#: A procedure whose out-of-sample MASE is within this fraction of a benchmark's ties it.
TIE = 0.005

#: Names of the procedures scored out of sample, besides the benchmarks themselves.
SELECTED, BEST_BENCHMARK = "selected", "best benchmark"

#: Columns of :func:`nested_rows`.
NESTED_COLUMNS: tuple[str, ...] = (
    "series",
    "procedure",
    "method",
    "origin",
    "horizon",
    "year",
    "actual",
    "forecast",
    "ase",
    "score",
    "loc",
    "scale",
    "df",
)


@dataclass(frozen=True, eq=False)
class SeriesBacktest:
    """Every method's rolling-origin forecasts of one series, scored.

    Attributes
    ----------
    key : str
        Name of the series.
    series : pandas.Series
        The series (positive annual values by year).
    window : int
        First training window, in years.
    candidates : tuple of str
        Methods the selection chooses from: the default candidates that fit in ``window``.
    benchmarks : tuple of str
        Benchmarks that fit in ``window`` (the best of them is chosen the same way).
    rows : pandas.DataFrame
        :func:`~planbook.methods.forecast.backtest` rows of the candidates and benchmarks,
        with ``ase`` (absolute error over the window's in-sample naive error) and ``score``
        (the normal score of the outcome under the method's predictive distribution).
    """

    key: str
    series: pd.Series
    window: int
    candidates: tuple[str, ...]
    benchmarks: tuple[str, ...]
    rows: pd.DataFrame


def first_window(n_obs: int, min_train: int, min_origins: int = MIN_ORIGINS) -> int:
    """The first training window: ``min_train``, shortened so ``min_origins`` origins remain.

    Never below the 2 years the naive method needs.

    >>> first_window(12, 7), first_window(10, 7), first_window(6, 7)
    (7, 6, 2)
    """
    if int(min_train) < MIN_OBS["naive"]:
        raise ValueError(f"min_train must be at least {MIN_OBS['naive']}; got {min_train}")
    return max(MIN_OBS["naive"], min(int(min_train), int(n_obs) - int(min_origins)))


def backtest_series(
    series: pd.Series,
    *,
    key: str | None = None,
    min_train: int = 7,
    horizon: int = 3,
    candidates: Sequence[str] = DEFAULT_CANDIDATES,
    min_origins: int = MIN_ORIGINS,
    seed: int = 0,
) -> SeriesBacktest:
    """Backtest the candidates and benchmarks that fit in the first window of ``series``.

    Parameters
    ----------
    series : pandas.Series
        Positive annual values indexed by consecutive integer years (at least 3).
    key : str, optional
        Name of the series; default ``series.attrs['key']`` or ``series.name``.
    min_train : int, default 7
        Wanted first training window (see :func:`first_window`).
    horizon : int, default 3
        Largest step ahead forecast from each origin.
    candidates : sequence of str, default DEFAULT_CANDIDATES
        Methods the selection may choose; those needing more years than the window are
        left out. The benchmarks are always backtested.
    min_origins : int, default MIN_ORIGINS
        Origins kept where the series allows.
    seed : int, default 0
        Passed to the methods.

    Returns
    -------
    SeriesBacktest
    """
    hist = as_history(series)
    if hist.n < 3:
        raise ValueError(f"a nested backtest needs at least 3 years; got {hist.n}")
    name = str(key or series.attrs.get("key") or series.name or "series")
    window = first_window(hist.n, min_train, min_origins)
    fits = [m for m in dict.fromkeys([*candidates, *BENCHMARKS]) if MIN_OBS[m] <= window]
    rows = score_rows(backtest(series, fits, window, horizon, 0.8, seed=seed), series)
    rows["score"] = normal_scores(
        (np.log(rows["actual"].to_numpy(float)) - rows["loc"].to_numpy(float))
        / rows["scale"].to_numpy(float),
        rows["df"].to_numpy(float),
    )
    rows.insert(0, "series", name)
    return SeriesBacktest(
        key=name,
        series=series,
        window=window,
        candidates=tuple(m for m in candidates if m in fits),
        benchmarks=tuple(m for m in BENCHMARKS if m in fits),
        rows=rows,
    )


def choose(
    rows: pd.DataFrame, methods: Sequence[str], upto: int, min_inner: int = MIN_INNER
) -> str | None:
    """The method with the lowest MASE on the forecasts known by the end of ``upto``.

    Only rows whose target ``year`` is at most ``upto`` count, so nothing after ``upto``
    is seen. Ties (MASE to 6 decimals) go to the method listed first.

    Parameters
    ----------
    rows : pandas.DataFrame
        Scored backtest rows of one series (columns ``method, origin, year, ase``).
    methods : sequence of str
        The methods to choose from, in order of preference on a tie.
    upto : int
        Last year whose outcome may be used.
    min_inner : int, default MIN_INNER
        Fewest distinct origins the choice must rest on; None is returned below it.

    Returns
    -------
    str or None
    """
    seen = rows[(rows["year"] <= upto) & rows["method"].isin(methods)]
    if seen["origin"].nunique() < min_inner:
        return None
    mase = seen.groupby("method")["ase"].mean().round(6)
    order = [m for m in methods if m in mase.index]
    return min(order, key=lambda m: (mase[m], order.index(m)))


def nested_rows(backtest_: SeriesBacktest, min_inner: int = MIN_INNER) -> pd.DataFrame:
    """Out-of-sample forecasts of the selection, of the best benchmark and of each benchmark.

    At each outer origin with at least ``min_inner`` inner origins, the selection
    (:func:`choose` among the candidates) and the best benchmark (among the benchmarks) are
    chosen from the rows known by that origin; their forecasts from that origin, and each
    benchmark's, are returned under ``procedure`` ``"selected"``, ``"best benchmark"`` and
    the benchmark's name.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`NESTED_COLUMNS`; ``method`` is the method behind the procedure.
    """
    rows = backtest_.rows
    parts = []
    for origin in sorted(rows["origin"].unique()):
        picked = {
            SELECTED: choose(rows, backtest_.candidates, int(origin), min_inner),
            BEST_BENCHMARK: choose(rows, backtest_.benchmarks, int(origin), min_inner),
        }
        if picked[SELECTED] is None or picked[BEST_BENCHMARK] is None:
            continue
        picked |= {b: b for b in backtest_.benchmarks}
        at = rows[rows["origin"] == origin]
        for procedure, method in picked.items():
            part = at[at["method"] == method].assign(procedure=procedure)
            parts.append(part)
    if not parts:
        return pd.DataFrame(columns=list(NESTED_COLUMNS))
    return pd.concat(parts, ignore_index=True)[list(NESTED_COLUMNS)]


def nested_scores(
    oos: pd.DataFrame,
    by: Sequence[str] = ("series", "horizon"),
    benchmarks: Sequence[str] = BENCHMARKS,
) -> pd.DataFrame:
    """Out-of-sample MASE of the selection against the benchmarks, per group.

    Parameters
    ----------
    oos : pandas.DataFrame
        Output of :func:`nested_rows` (one or more series).
    by : sequence of str, default ("series", "horizon")
        Grouping columns; ``("series",)`` pools the steps ahead.
    benchmarks : sequence of str, default BENCHMARKS
        The benchmarks scored on their own (the seasonal ones for monthly series).

    Returns
    -------
    pandas.DataFrame
        One row per group: ``n`` (forecasts of the selection), ``selected_MASE``,
        ``best_benchmark_MASE``, ``<benchmark>_MASE`` for each benchmark, ``ratio``
        (selection over the best benchmark chosen the same way) and ``beats`` (the selection's
        MASE is below ``1 - TIE`` times the best benchmark's and every benchmark's).
    """
    keys = list(by)
    mase = oos.pivot_table(index=keys, columns="procedure", values="ase", aggfunc="mean")
    count = oos[oos["procedure"] == SELECTED].groupby(keys).size()
    out = pd.DataFrame({"n": count})
    out["selected_MASE"] = mase[SELECTED]
    out["best_benchmark_MASE"] = mase[BEST_BENCHMARK]
    bench = [b for b in benchmarks if b in mase.columns]
    for b in bench:
        out[f"{b}_MASE"] = mase[b]
    out["ratio"] = out["selected_MASE"] / out["best_benchmark_MASE"]
    rivals = out[["best_benchmark_MASE", *[f"{b}_MASE" for b in bench]]].min(axis=1)
    out["beats"] = out["selected_MASE"] < (1 - TIE) * rivals
    return out.reset_index()


@dataclass(frozen=True)
class Choice:
    """The method the book uses for one series, and why.

    Attributes
    ----------
    method : str
        The method used: ``selected`` if it is a model that beat the benchmarks out of
        sample, otherwise ``benchmark``.
    selected : str
        The backtest's choice among the candidates on all the data.
    benchmark : str
        The best benchmark on all the data, chosen the same way.
    uses_model : bool
        Whether ``method`` is a model (not a benchmark).
    verdict : str
        ``"a model beats the benchmarks"``, ``"no model beats the benchmarks"`` or
        ``"the backtest chooses a benchmark"``; ``"too short to evaluate"`` when no outer
        origin could be scored.
    n_oos : int
        Out-of-sample forecasts of the selection behind the verdict.
    selected_mase, benchmark_mase : float
        Out-of-sample MASE of the selection and of the best benchmark chosen the same way,
        pooled over steps (NaN when too short).
    """

    method: str
    selected: str
    benchmark: str
    uses_model: bool
    verdict: str
    n_oos: int
    selected_mase: float
    benchmark_mase: float


def use_model(backtest_: SeriesBacktest, pooled: pd.Series | None) -> Choice:
    """The method for the book's forecast of one series.

    The selection and the best benchmark are chosen on every backtest row (all the data).
    A model is used only when the selection is a model and, out of sample, it beat the best
    benchmark chosen the same way and each benchmark (``pooled['beats']``); otherwise the
    best benchmark is used.

    Parameters
    ----------
    backtest_ : SeriesBacktest
        The series' backtest.
    pooled : pandas.Series or None
        The series' row of ``nested_scores(oos, by=("series",))``; None when no outer
        origin could be scored.
    """
    last = int(backtest_.rows["year"].max())
    selected = choose(backtest_.rows, backtest_.candidates, last, 1)
    benchmark = choose(backtest_.rows, backtest_.benchmarks, last, 1)
    if selected is None or benchmark is None:
        raise ValueError(f"{backtest_.key}: no backtest row to choose a method from")
    if pooled is None:
        verdict, beats, n, sel, ben = "too short to evaluate", False, 0, np.nan, np.nan
    else:
        beats, n = bool(pooled["beats"]), int(pooled["n"])
        sel, ben = float(pooled["selected_MASE"]), float(pooled["best_benchmark_MASE"])
        verdict = "a model beats the benchmarks" if beats else "no model beats the benchmarks"
    if selected in backtest_.benchmarks:
        verdict = "the backtest chooses a benchmark" if pooled is not None else verdict
        return Choice(selected, selected, benchmark, False, verdict, n, sel, ben)
    method = selected if beats else benchmark
    return Choice(method, selected, benchmark, beats, verdict, n, sel, ben)


__all__ = [
    "BEST_BENCHMARK",
    "MIN_INNER",
    "MIN_ORIGINS",
    "NESTED_COLUMNS",
    "SELECTED",
    "TIE",
    "Choice",
    "SeriesBacktest",
    "backtest_series",
    "choose",
    "first_window",
    "nested_rows",
    "nested_scores",
    "use_model",
]
