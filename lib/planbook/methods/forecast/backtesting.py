"""Rolling-origin backtests of the methods and their accuracy (MAPE, MASE, coverage, Winkler).

:func:`backtest` refits every method on expanding windows and forecasts the years that
followed; :func:`accuracy` scores those forecasts against what was observed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from planbook.methods.forecast.inputs import History, as_history, check_horizon, check_level
from planbook.methods.forecast.registry import resolve
from planbook.methods.forecast.result import Method

#: Columns of :func:`backtest`, in order.
BACKTEST_COLUMNS = (
    "method",
    "origin",
    "train_start",
    "n_train",
    "horizon",
    "year",
    "actual",
    "forecast",
    "lower",
    "upper",
    "level",
    "loc",
    "scale",
    "df",
)


def backtest(
    series: pd.Series,
    methods: Sequence[str] | Mapping[str, Method],
    min_train: int,
    horizon: int = 1,
    level: float = 0.8,
    *,
    seed: int = 0,
) -> pd.DataFrame:
    """Rolling-origin (expanding window) evaluation.

    For each origin from the ``min_train``-th observation to the second-to-last, each method
    is fitted on all years up to the origin and forecasts up to ``horizon`` years that have
    been observed.

    Parameters
    ----------
    series : pandas.Series
        Positive annual values indexed by consecutive integer years.
    methods : sequence of str or mapping of str to callable
        Names in :data:`METHODS`, or a mapping from a label to a callable with the
        :class:`Method` signature (e.g. ``functools.partial(trend, break_year=2019)``).
    min_train : int
        Length of the first training window; must be below the series length.
    horizon : int, default 1
        Largest number of steps ahead evaluated.
    level : float, default 0.8
        Coverage of the prediction intervals.
    seed : int, default 0
        Passed to each method.

    Returns
    -------
    pandas.DataFrame
        One row per method, origin and step, with columns ``method, origin`` (last training
        year), ``train_start, n_train, horizon`` (steps ahead), ``year, actual, forecast``
        (median), ``lower, upper, level`` and the log-scale predictive of a single-component
        method, ``loc, scale, df`` (NaN for an ensemble): the log value is
        ``loc + scale * T`` with ``T`` standard normal (``df`` infinite) or Student t.

    Raises
    ------
    ValueError
        If ``min_train`` leaves no origin or a method cannot be fitted on the shortest window.
    """
    hist = as_history(series)
    fns = resolve(methods)
    horizon, level = check_horizon(horizon), check_level(level)
    if not 2 <= min_train < hist.n:
        raise ValueError(
            f"min_train must be at least 2 and below the series length {hist.n}; got {min_train}"
        )
    full = pd.Series(hist.values, index=pd.Index(hist.years, name="year"))
    full.attrs["unit"] = hist.unit
    rows = []
    for name, fn in fns.items():
        for end in range(min_train, hist.n):
            steps = min(horizon, hist.n - end)
            result = fn(full.iloc[:end], steps, level, seed=seed)
            dist = result.distribution
            single = dist.loc.shape[0] == 1
            for step in range(1, steps + 1):
                j = step - 1
                loc, scale, df = (
                    (float(dist.loc[0, j]), float(dist.scale[0, j]), float(dist.df[0]))
                    if single
                    else (math.nan, math.nan, math.nan)
                )
                rows.append(
                    (
                        name,
                        int(hist.years[end - 1]),
                        int(hist.years[0]),
                        end,
                        step,
                        int(hist.years[end - 1 + step]),
                        float(hist.values[end - 1 + step]),
                        float(result.median.iloc[step - 1]),
                        float(result.lower.iloc[step - 1]),
                        float(result.upper.iloc[step - 1]),
                        level,
                        loc,
                        scale,
                        df,
                    )
                )
    return pd.DataFrame(rows, columns=list(BACKTEST_COLUMNS))


def _naive_scale(hist: History, start: int, origin: int) -> float:
    """In-sample mean absolute one-step naive error over years ``start..origin``."""
    window = hist.values[(hist.years >= start) & (hist.years <= origin)]
    if window.size < 2:
        raise ValueError(f"MASE needs at least 2 training years; window {start}-{origin}")
    mae = float(np.mean(np.abs(np.diff(window))))
    return mae if mae > 0 else math.nan


def winkler_score(
    actual: np.ndarray | float,
    lower: np.ndarray | float,
    upper: np.ndarray | float,
    level: np.ndarray | float,
) -> np.ndarray:
    """Winkler interval score: width plus ``2 / alpha`` times the miss distance.

    ``W = (u - l) + 2/alpha * (l - y) * [y < l] + 2/alpha * (y - u) * [y > u]`` with
    ``alpha = 1 - level`` (Hyndman & Athanasopoulos, *FPP3*, section 5.9). Lower is better.

    Parameters
    ----------
    actual, lower, upper : array_like
        Observed values and interval bounds, in levels.
    level : array_like
        Nominal coverage of the intervals.

    Returns
    -------
    numpy.ndarray
        One score per observation.
    """
    y, lo, hi = (np.asarray(a, dtype=float) for a in (actual, lower, upper))
    alpha = 1.0 - np.asarray(level, dtype=float)
    below = np.where(y < lo, lo - y, 0.0)
    above = np.where(y > hi, y - hi, 0.0)
    return (hi - lo) + 2.0 / alpha * (below + above)


def score_rows(frame: pd.DataFrame, series: pd.Series) -> pd.DataFrame:
    """Backtest rows with their scores: ``ape`` (percent), ``ase`` (absolute error over the
    in-sample one-step naive error of the row's own training window), ``covered`` and
    ``winkler`` (of the row's interval).

    Parameters
    ----------
    frame : pandas.DataFrame
        Output of :func:`backtest` (or any frame with its columns ``method, origin,
        horizon, actual, forecast, lower, upper, level``; ``train_start`` optional).
    series : pandas.Series
        The series the backtest ran on (for the MASE scale).
    """
    return _scored(frame, as_history(series))


def _scored(frame: pd.DataFrame, hist: History) -> pd.DataFrame:
    missing = [c for c in ("method", "origin", "horizon", "actual", "forecast") if c not in frame]
    missing += [c for c in ("lower", "upper", "level") if c not in frame]
    if missing:
        raise ValueError(f"backtest frame lacks column {missing[0]!r}")
    out = frame.copy()
    starts = out["train_start"] if "train_start" in out else pd.Series(hist.years[0], out.index)
    cache: dict[tuple[int, int], float] = {}
    scales = []
    for start, origin in zip(starts.astype(int), out["origin"].astype(int), strict=True):
        if (start, origin) not in cache:
            cache[(start, origin)] = _naive_scale(hist, start, origin)
        scales.append(cache[(start, origin)])
    error = out["actual"].to_numpy(float) - out["forecast"].to_numpy(float)
    actual = out["actual"].to_numpy(float)
    out["ape"] = 100.0 * np.abs(error) / np.abs(actual)
    out["ase"] = np.abs(error) / np.asarray(scales)
    out["covered"] = (out["lower"] <= out["actual"]) & (out["actual"] <= out["upper"])
    out["winkler"] = winkler_score(actual, out["lower"], out["upper"], out["level"])
    return out


def accuracy(
    backtest_frame: pd.DataFrame,
    series: pd.Series,
    by: Sequence[str] = ("method", "horizon"),
) -> pd.DataFrame:
    """Accuracy of backtest forecasts: MAPE, MASE, interval coverage, Winkler score.

    MASE follows Hyndman & Athanasopoulos: each absolute error is divided by the in-sample
    mean absolute one-step naive error of that forecast's own training window (years
    ``train_start..origin`` of ``series``; ``train_start`` defaults to the first year).

    Parameters
    ----------
    backtest_frame : pandas.DataFrame
        Output of :func:`backtest`, or any frame with columns ``method, origin, horizon,
        actual, forecast, lower, upper, level`` (and optionally ``train_start``).
    series : pandas.Series
        The series the backtest ran on (used for the MASE scale).
    by : sequence of str, default ("method", "horizon")
        Grouping columns; ``("method",)`` pools all steps.

    Returns
    -------
    pandas.DataFrame
        One row per group with ``n`` (forecasts), ``MAPE`` (percent), ``MASE``,
        ``coverage`` (share of actuals inside the interval), nominal ``level``, ``winkler``
        (mean score, in the series' unit).
    """
    scored = _scored(backtest_frame, as_history(series))
    grouped = scored.groupby(list(by), sort=False)
    table = grouped.agg(
        n=("ape", "size"),
        MAPE=("ape", "mean"),
        MASE=("ase", "mean"),
        coverage=("covered", "mean"),
        level=("level", "mean"),
        winkler=("winkler", "mean"),
    )
    return table.reset_index()
