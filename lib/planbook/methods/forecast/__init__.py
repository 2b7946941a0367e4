"""Forecasts of short annual series, their backtests, and the odds of meeting a plan target.

Every method works on the natural logarithm of a positive annual series (8-12 points is the
intended size) and back-transforms to levels with ``exp``. The point forecast is therefore the
predictive **median** in levels, not the mean. Prediction intervals are equal-tailed intervals
of the predictive distribution at the requested level.

Methods (keys of :data:`METHODS`):

``naive``
    Random walk on logs: the last value, interval widening with the square root of the horizon.
``drift``
    Random walk with drift on logs (Hyndman & Athanasopoulos): the line through the first and
    last log values, extended; the interval includes the uncertainty of the drift.
``mean_log_growth``
    Growth at the historical mean log growth rate from the last value. Same point forecast as
    ``drift`` (the mean of the log differences is the drift); the interval treats the mean
    growth as known, so it is narrower than ``drift``'s.
``ets``, ``ets_damped``
    Exponential smoothing with additive errors and an additive (or damped) trend, statsmodels
    ``ETSModel``; analytic normal interval on logs.
``arima``
    ARIMA(p,1,q) on logs, with or without drift, the order chosen by AICc; Gaussian interval.
``trend``, ``trend_break``
    Ordinary least squares line on logs (constant growth), with Student-t prediction interval;
    ``trend_break`` may add a level shift and/or slope change at 2020 when that lowers AICc.
``ensemble``
    Simple average of other methods: the median and each bound are the means of the members'
    (quantile averaging).

Entry points: :func:`forecast` (one named method), :func:`backtest` and :func:`accuracy`
(rolling-origin evaluation), :func:`select_method` (the method with the lowest backtest
MASE), :func:`forecast_with_fallback` (a named method, or the backtest's choice when it is
``"auto"`` or when the series is too short for the named one) and
:func:`probability_target_met`.

Intervals of ``ets``, ``ets_damped`` and ``arima`` treat the fitted parameters as known; no
interval accounts for the choice of model. Warnings statsmodels emits while fitting short
series are silenced inside the fitting functions; convergence problems are reported in
:attr:`ForecastResult.notes` instead.

Modules, by job: ``inputs`` (checked series, horizon and level), ``distribution``
(the predictive distribution), ``result`` (:class:`ForecastResult` and the shared method
signature), ``benchmarks`` and ``models`` (the methods), ``registry``
(:data:`METHODS`, :func:`forecast`, the ensemble), ``backtesting`` (rolling-origin
backtests and accuracy), ``selection`` (method choice), ``target_odds`` (odds of
meeting a target), ``official_data`` (the official series the book forecasts) and
``evaluation`` (every method backtested on those series, against the benchmarks).
Everything public is importable from this package.
"""

from __future__ import annotations

from planbook.methods.forecast.backtesting import accuracy, backtest, winkler_score
from planbook.methods.forecast.benchmarks import BENCHMARKS, drift, mean_log_growth, naive
from planbook.methods.forecast.distribution import Predictive
from planbook.methods.forecast.evaluation import (
    MIN_ORIGINS,
    TABLE_COLUMNS,
    TABLE_METHODS,
    TIE,
    backtest_table,
    benchmark_comparison,
    pooled_scores,
)
from planbook.methods.forecast.inputs import MIN_OBS
from planbook.methods.forecast.models import (
    DEFAULT_BREAK_YEAR,
    arima,
    ets,
    ets_damped,
    trend,
    trend_break,
)
from planbook.methods.forecast.official_data import (
    SERIES,
    SeriesSpec,
    official_series,
    official_series_all,
)
from planbook.methods.forecast.registry import (
    DEFAULT_CANDIDATES,
    METHODS,
    ensemble,
    forecast,
    methods_table,
)
from planbook.methods.forecast.result import ForecastResult, Method
from planbook.methods.forecast.selection import (
    Selection,
    forecast_with_fallback,
    select_method,
    training_window,
)
from planbook.methods.forecast.target_odds import TargetOdds, probability_target_met

__all__ = [
    "BENCHMARKS",
    "DEFAULT_BREAK_YEAR",
    "DEFAULT_CANDIDATES",
    "METHODS",
    "MIN_OBS",
    "MIN_ORIGINS",
    "SERIES",
    "TABLE_COLUMNS",
    "TABLE_METHODS",
    "TIE",
    "ForecastResult",
    "Method",
    "Predictive",
    "Selection",
    "SeriesSpec",
    "TargetOdds",
    "accuracy",
    "arima",
    "backtest",
    "backtest_table",
    "benchmark_comparison",
    "drift",
    "ensemble",
    "ets",
    "ets_damped",
    "forecast",
    "forecast_with_fallback",
    "mean_log_growth",
    "methods_table",
    "naive",
    "official_series",
    "official_series_all",
    "pooled_scores",
    "probability_target_met",
    "select_method",
    "training_window",
    "trend",
    "trend_break",
    "winkler_score",
]
