"""The simple benchmarks every model has to beat: naive, drift and mean log growth.

All three are random walks on the logs of the series (Hyndman & Athanasopoulos, *FPP3*,
section 5.2), with normal intervals on logs.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from planbook.methods.forecast.distribution import Predictive
from planbook.methods.forecast.inputs import History, prepare
from planbook.methods.forecast.result import ForecastResult, documented, make_result

#: The simple benchmarks every model has to beat (Hyndman & Athanasopoulos, FPP3 5.2).
BENCHMARKS: tuple[str, ...] = ("naive", "drift", "mean_log_growth")


@documented("naive")
def naive(series: pd.Series, horizon: int, level: float = 0.8, *, seed: int = 0) -> ForecastResult:
    """Naive forecast: random walk on logs.

    The median is the last value; on logs the ``h``-step standard deviation is
    ``sigma * sqrt(h)``, ``sigma**2`` being the mean squared log difference (no parameter is
    estimated, so no degrees-of-freedom correction). Normal on logs.

    {parameters}

    {returns}
    """
    hist, horizon, level, h = prepare(series, "naive", horizon, level)
    sigma = math.sqrt(float(np.mean(np.diff(hist.logs) ** 2)))
    dist = Predictive.single(np.full(horizon, hist.logs[-1]), sigma * np.sqrt(h))
    notes = (f"random walk on logs; sigma = {sigma:.4g}; normal interval on logs",)
    return make_result("naive", hist, level, dist, notes)


def _growth_and_spread(hist: History) -> tuple[float, float, int]:
    """Mean and standard deviation (``ddof=1``) of the log differences, and their count."""
    diffs = np.diff(hist.logs)
    return float(diffs.mean()), float(diffs.std(ddof=1)), int(diffs.size)


@documented("drift")
def drift(series: pd.Series, horizon: int, level: float = 0.8, *, seed: int = 0) -> ForecastResult:
    """Random walk with drift on logs (Hyndman & Athanasopoulos, *FPP3*, section 5.2).

    The drift ``c`` is the mean of the ``m = n - 1`` log differences, so the median grows at
    ``exp(c) - 1`` a year from the last value. The ``h``-step standard deviation on logs is
    ``s * sqrt(h * (1 + h / m))`` with ``s`` the standard deviation of the log differences
    (``ddof=1``); the ``h / m`` term is the uncertainty of the drift. Normal on logs.

    {parameters}

    {returns}
    """
    hist, horizon, level, h = prepare(series, "drift", horizon, level)
    c, s, m = _growth_and_spread(hist)
    dist = Predictive.single(hist.logs[-1] + c * h, s * np.sqrt(h * (1 + h / m)))
    notes = (
        f"random walk with drift on logs; drift = {c:.4g} (growth {math.expm1(c):.2%} a year), "
        f"s = {s:.4g}; normal interval on logs including drift uncertainty",
    )
    return make_result("drift", hist, level, dist, notes)


@documented("mean_log_growth")
def mean_log_growth(
    series: pd.Series, horizon: int, level: float = 0.8, *, seed: int = 0
) -> ForecastResult:
    """Constant growth at the historical mean log growth rate.

    The median is ``last * exp(g * h)`` with ``g`` the mean log growth (identical to the
    ``drift`` median). Future log growth rates are taken as independent normal with mean
    ``g`` and standard deviation ``s`` (``ddof=1``), ``g`` and ``s`` treated as known, so the
    ``h``-step standard deviation on logs is ``s * sqrt(h)``.

    {parameters}

    {returns}
    """
    hist, horizon, level, h = prepare(series, "mean_log_growth", horizon, level)
    g, s, _ = _growth_and_spread(hist)
    dist = Predictive.single(hist.logs[-1] + g * h, s * np.sqrt(h))
    notes = (
        f"mean log growth = {g:.4g} (growth {math.expm1(g):.2%} a year), s = {s:.4g}; "
        "normal interval on logs, mean growth treated as known",
    )
    return make_result("mean_log_growth", hist, level, dist, notes)
