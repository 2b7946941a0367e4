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
MASE), :func:`forecast_with_fallback` and :func:`probability_target_met`.

The book itself forecasts through :func:`official_forecast`: :func:`evaluate_official`
backtests every candidate on every official series once, evaluates the choice *nested*
(chosen with the data before each origin, scored after it; a model is used only where it
beat the simple benchmarks out of sample) and calibrates each method's intervals on its
backtest errors; :func:`official_forecast` then gives one series' forecast from that
evaluation and :func:`target_odds` the probability of a target, worded by
:func:`probability_text`. Every page that shows a forecast or a target's odds calls these,
so they agree to the digit.

The fitted intervals of ``ets``, ``ets_damped`` and ``arima`` treat the parameters as
known and no fitted interval accounts for the choice of model; the calibration widens them
by what the backtests show. Warnings statsmodels emits while fitting short series are
silenced inside the fitting functions; convergence problems are reported in
:attr:`ForecastResult.notes` instead.

Modules, by job: ``inputs`` (checked series, horizon and level), ``distribution``
(the predictive distribution, calibrated or not), ``result`` (:class:`ForecastResult` and
the shared method signature), ``benchmarks`` and ``models`` (the methods), ``registry``
(:data:`METHODS`, :func:`forecast`, the ensemble), ``backtesting`` (rolling-origin
backtests and accuracy), ``selection`` (method choice on one backtest), ``nested`` (the
nested evaluation), ``calibration`` (calibrated intervals and their coverage),
``evaluation`` (both on a set of series), ``official_data`` (the official series the book
forecasts), ``official_forecasts`` (the book's forecast of each), ``target_odds`` (odds of
meeting a target), ``monthly`` (year-to-date totals to single months on the NBS calendar,
and back to years) and ``seasonal`` (seasonal models of monthly series, evaluated the same
way). Everything public of the annual modules is importable from this package.
"""

from __future__ import annotations

from planbook.methods.forecast.backtesting import accuracy, backtest, winkler_score
from planbook.methods.forecast.benchmarks import BENCHMARKS, drift, mean_log_growth, naive
from planbook.methods.forecast.calibration import (
    LEVELS,
    calibrated,
    coverage_table,
    cross_validated_coverage,
    spread_factor,
    spread_factors,
)
from planbook.methods.forecast.distribution import Predictive
from planbook.methods.forecast.evaluation import (
    ACCURACY_COLUMNS,
    SUMMARY_COLUMNS,
    TABLE_METHODS,
    Evaluation,
    evaluate,
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
from planbook.methods.forecast.nested import (
    MIN_INNER,
    MIN_ORIGINS,
    TIE,
    Choice,
    SeriesBacktest,
    backtest_series,
    choose,
    first_window,
    nested_rows,
    nested_scores,
    use_model,
)
from planbook.methods.forecast.official_data import (
    SERIES,
    SeriesSpec,
    basis_label,
    basis_words,
    official_series,
    official_series_all,
)
from planbook.methods.forecast.official_forecasts import (
    BACKTEST_HORIZON,
    DEFAULT_MIN_TRAIN,
    Evaluations,
    OfficialForecast,
    evaluate_official,
    official_forecast,
    target_odds,
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
from planbook.methods.forecast.target_odds import (
    TargetOdds,
    odds_from_forecast,
    probability_target_met,
    probability_text,
)

__all__ = [
    "ACCURACY_COLUMNS",
    "BACKTEST_HORIZON",
    "BENCHMARKS",
    "DEFAULT_BREAK_YEAR",
    "DEFAULT_CANDIDATES",
    "DEFAULT_MIN_TRAIN",
    "LEVELS",
    "METHODS",
    "MIN_INNER",
    "MIN_OBS",
    "MIN_ORIGINS",
    "SERIES",
    "SUMMARY_COLUMNS",
    "TABLE_METHODS",
    "TIE",
    "Choice",
    "Evaluation",
    "Evaluations",
    "ForecastResult",
    "Method",
    "OfficialForecast",
    "Predictive",
    "Selection",
    "SeriesBacktest",
    "SeriesSpec",
    "TargetOdds",
    "accuracy",
    "arima",
    "backtest",
    "backtest_series",
    "basis_label",
    "basis_words",
    "calibrated",
    "choose",
    "coverage_table",
    "cross_validated_coverage",
    "drift",
    "ensemble",
    "ets",
    "ets_damped",
    "evaluate",
    "evaluate_official",
    "first_window",
    "forecast",
    "forecast_with_fallback",
    "mean_log_growth",
    "methods_table",
    "naive",
    "nested_rows",
    "nested_scores",
    "odds_from_forecast",
    "official_forecast",
    "official_series",
    "official_series_all",
    "probability_target_met",
    "probability_text",
    "select_method",
    "spread_factor",
    "spread_factors",
    "target_odds",
    "training_window",
    "trend",
    "trend_break",
    "use_model",
    "winkler_score",
]
