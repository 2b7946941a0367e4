"""Seasonal models of a monthly official series, evaluated like the annual ones.

A monthly series on the NBS calendar has 11 releases a year (:mod:`.monthly`). Every method
works on the logs of the releases with a season of 11 and gives a normal predictive
distribution on logs:

``snaive``
    Seasonal naive: the same release a year earlier (benchmark).
``snaive_drift``
    Seasonal naive plus the mean annual log growth (benchmark).
``ets_seasonal``
    ETS(A,Ad,A): additive errors, damped trend and additive seasonality (statsmodels
    ``ETSModel``).
``sarima``
    The "airline" model SARIMA(0,1,1)(0,1,1) with a season of 11 (statsmodels
    ``SARIMAX``).
``stl_ets``
    STL decomposition, the seasonally adjusted series forecast by damped-trend ETS and the
    seasonal component carried forward (statsmodels ``STLForecast``).

:func:`backtest_monthly` backtests them from origins in June and December (two a year, to
keep the runtime of a page small) with steps up to a year ahead; the nested evaluation of
:mod:`.nested` then applies unchanged (MASE scaled by the in-sample seasonal naive error).
:func:`annual_comparison` adds the releases up to annual totals and sets them beside annual
benchmarks fitted to the annual totals, the figures the plan speaks of.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from statsmodels.tsa.exponential_smoothing.ets import ETSModel
from statsmodels.tsa.forecasting.stl import STLForecast
from statsmodels.tsa.statespace.sarimax import SARIMAX

from planbook.methods.forecast import nested as N
from planbook.methods.forecast.distribution import normal_scores
from planbook.methods.forecast.inputs import quiet
from planbook.methods.forecast.monthly import SEASONS, annual_totals

#: Seasonal benchmarks, then models.
MONTHLY_BENCHMARKS: tuple[str, ...] = ("snaive", "snaive_drift")
MONTHLY_MODELS: tuple[str, ...] = ("ets_seasonal", "sarima", "stl_ets")
MONTHLY_METHODS: tuple[str, ...] = (*MONTHLY_BENCHMARKS, *MONTHLY_MODELS)

#: First training window: three years of releases.
MIN_TRAIN_MONTHS = 3 * SEASONS

#: Months whose releases serve as forecast origins.
ORIGIN_MONTHS: tuple[int, ...] = (6, 12)


def _seasonal_naive(y: np.ndarray, steps: int, drift: bool) -> tuple[np.ndarray, np.ndarray]:
    diffs = y[SEASONS:] - y[:-SEASONS]
    h = np.arange(1, steps + 1)
    years = (h - 1) // SEASONS + 1
    last_year = y[-SEASONS:]
    base = last_year[(h - 1) % SEASONS]
    if not drift:
        sigma = math.sqrt(float(np.mean(diffs**2)))
        return base, sigma * np.sqrt(years)
    growth, s, m = float(diffs.mean()), float(diffs.std(ddof=1)), diffs.size
    return base + growth * years, s * np.sqrt(years * (1 + years / m))


def _ets(y: np.ndarray, steps: int) -> tuple[np.ndarray, np.ndarray]:
    model = ETSModel(
        pd.Series(y),
        error="add",
        trend="add",
        damped_trend=True,
        seasonal="add",
        seasonal_periods=SEASONS,
    )
    pred = model.fit(disp=False).get_prediction(start=y.size, end=y.size + steps - 1)
    variance = np.maximum(np.asarray(pred.forecast_variance, dtype=float), 0.0)
    return np.asarray(pred.predicted_mean, dtype=float), np.sqrt(variance)


def _sarima(y: np.ndarray, steps: int) -> tuple[np.ndarray, np.ndarray]:
    model = SARIMAX(y, order=(0, 1, 1), seasonal_order=(0, 1, 1, SEASONS))
    pred = model.fit(disp=False).get_forecast(steps)
    return np.asarray(pred.predicted_mean, dtype=float), np.asarray(pred.se_mean, dtype=float)


def _stl_ets(y: np.ndarray, steps: int) -> tuple[np.ndarray, np.ndarray]:
    kwargs = {"error": "add", "trend": "add", "damped_trend": True}
    fit = STLForecast(pd.Series(y), ETSModel, model_kwargs=kwargs, period=SEASONS).fit(
        fit_kwargs={"disp": False}
    )
    pred = fit.get_prediction(start=y.size, end=y.size + steps - 1)
    return np.asarray(pred.predicted_mean, dtype=float), np.asarray(pred.se_mean, dtype=float)


def forecast_monthly(y_log: np.ndarray, method: str, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """Forecast ``steps`` releases of a log series with a season of 11.

    Parameters
    ----------
    y_log : numpy.ndarray
        Logs of consecutive releases (at least two years).
    method : str
        One of :data:`MONTHLY_METHODS`.
    steps : int
        Releases ahead.

    Returns
    -------
    tuple of numpy.ndarray
        ``loc`` and ``scale`` of the normal predictive distribution on logs, per step.
    """
    y = np.asarray(y_log, dtype=float)
    if y.size < 2 * SEASONS:
        raise ValueError(f"a seasonal method needs two years of releases; got {y.size}")
    with quiet():
        if method in MONTHLY_BENCHMARKS:
            return _seasonal_naive(y, steps, drift=method == "snaive_drift")
        fits = {"ets_seasonal": _ets, "sarima": _sarima, "stl_ets": _stl_ets}
        if method not in fits:
            raise ValueError(f"unknown monthly method {method!r}; choose from {MONTHLY_METHODS}")
        return fits[method](y, steps)


def _origins(periods: pd.PeriodIndex, min_train: int) -> list[int]:
    """Positions (training lengths) of the June and December releases after ``min_train``."""
    return [
        i + 1
        for i, p in enumerate(periods)
        if i + 1 >= min_train and i + 1 < len(periods) and p.month in ORIGIN_MONTHS
    ]


def backtest_monthly(
    months: pd.Series,
    *,
    key: str = "monthly",
    min_train: int = MIN_TRAIN_MONTHS,
    horizon: int = SEASONS,
    methods: tuple[str, ...] = MONTHLY_METHODS,
) -> N.SeriesBacktest:
    """Backtest the seasonal methods on consecutive releases from June and December origins.

    Parameters
    ----------
    months : pandas.Series
        Consecutive releases (positive), indexed by monthly period.
    key : str, default "monthly"
        Name of the series.
    min_train : int, default MIN_TRAIN_MONTHS
        Releases in the first training window.
    horizon : int, default SEASONS
        Releases ahead forecast from each origin.
    methods : tuple of str, default MONTHLY_METHODS
        Methods backtested (benchmarks first).

    Returns
    -------
    SeriesBacktest
        Rows with ``origin`` and ``year`` holding the period ordinals of the origin and
        target releases; ``ase`` scaled by the in-sample seasonal naive error.
    """
    periods = pd.PeriodIndex(months.index, freq="M")
    values = np.asarray(months, dtype=float)
    logs = np.log(values)
    rows = []
    for end in _origins(periods, min_train):
        steps = min(horizon, len(values) - end)
        scale = float(np.mean(np.abs(values[SEASONS:end] - values[: end - SEASONS])))
        for method in methods:
            loc, sd = forecast_monthly(logs[:end], method, steps)
            for h in range(1, steps + 1):
                actual = values[end - 1 + h]
                rows.append(
                    {
                        "method": method,
                        "origin": periods[end - 1].ordinal,
                        "n_train": end,
                        "horizon": h,
                        "year": periods[end - 1 + h].ordinal,
                        "actual": actual,
                        "forecast": math.exp(loc[h - 1]),
                        "loc": loc[h - 1],
                        "scale": sd[h - 1],
                        "df": math.inf,
                        "ase": abs(actual - math.exp(loc[h - 1])) / scale,
                    }
                )
    frame = pd.DataFrame(rows)
    z = (np.log(frame["actual"]) - frame["loc"]) / frame["scale"]
    frame["score"] = normal_scores(z.to_numpy(float), frame["df"].to_numpy(float))
    frame.insert(0, "series", key)
    return N.SeriesBacktest(
        key=key,
        series=months,
        window=min_train,
        candidates=tuple(methods),
        benchmarks=tuple(m for m in methods if m in MONTHLY_BENCHMARKS),
        rows=frame,
    )


def _period(ordinal: int) -> pd.Period:
    return pd.Period(ordinal=int(ordinal), freq="M")


def _annual_forecast(
    months: pd.Series, bt: N.SeriesBacktest, method: str, origin: int
) -> tuple[int, float, int]:
    """The year forecast from ``origin`` (the next one from a December origin), its total
    (releases known by the origin plus the forecast medians of the rest) and the number of
    its releases covered."""
    at = _period(origin)
    year = at.year + (1 if at.month == 12 else 0)
    periods = pd.PeriodIndex(months.index, freq="M")
    known = (periods.year == year) & (periods <= at)
    rows = bt.rows[(bt.rows["method"] == method) & (bt.rows["origin"] == origin)]
    ahead = rows[[_period(o).year == year for o in rows["year"]]]
    total = float(np.asarray(months, dtype=float)[known].sum() + ahead["forecast"].sum())
    return year, total, int(known.sum()) + len(ahead)


def annual_comparison(months: pd.Series, bt: N.SeriesBacktest, oos: pd.DataFrame) -> pd.DataFrame:
    """Annual totals forecast from the monthly procedures and from annual benchmarks.

    For each outer origin of the nested evaluation whose year is complete in the data,
    the monthly selection and the best seasonal benchmark give the year's total (releases
    known by the origin plus forecasts of the rest); the annual ``naive`` and ``drift``
    benchmarks, fitted to the annual totals of the complete years before it, give their
    one-year-ahead forecast.

    Returns
    -------
    pandas.DataFrame
        One row per origin: ``origin`` (``YYYY-MM``), ``year``, ``actual`` (annual total),
        ``monthly_method``, ``monthly`` (selection), ``monthly_benchmark``, ``annual_naive``,
        ``annual_drift``, ``known`` (releases of the year already published) and the
        absolute percentage errors ``ape_<approach>``.
    """
    totals = annual_totals(months)
    rows = []
    for origin in sorted(oos["origin"].unique()):
        at = oos[oos["origin"] == origin]
        picked = dict(zip(at["procedure"], at["method"], strict=False))
        year, monthly, count = _annual_forecast(months, bt, picked[N.SELECTED], int(origin))
        if year not in totals.index or count != SEASONS:
            continue
        _, bench, _ = _annual_forecast(months, bt, picked[N.BEST_BENCHMARK], int(origin))
        past = totals.loc[: year - 1]
        logs = np.log(past.to_numpy())
        naive = float(past.iloc[-1])
        drift = float(math.exp(logs[-1] + np.diff(logs).mean())) if len(past) > 1 else naive
        at_origin = _period(origin)
        periods = pd.PeriodIndex(months.index, freq="M")
        known = int(((periods.year == year) & (periods <= at_origin)).sum())
        rows.append(
            {
                "origin": str(at_origin),
                "year": int(year),
                "actual": float(totals.loc[year]),
                "known": known,
                "monthly_method": picked[N.SELECTED],
                "monthly": monthly,
                "monthly_benchmark": bench,
                "annual_naive": naive,
                "annual_drift": drift,
            }
        )
    table = pd.DataFrame(rows)
    for column in ("monthly", "monthly_benchmark", "annual_naive", "annual_drift"):
        if len(table):
            table[f"ape_{column}"] = 100 * (table[column] / table["actual"] - 1).abs()
    return table


@dataclass(frozen=True, eq=False)
class MonthlyEvaluation:
    """The nested evaluation of a monthly series, and its comparison with annual methods.

    Attributes
    ----------
    key, label, unit : str
        The series.
    months : pandas.Series
        The releases used (the longest consecutive run).
    backtest : SeriesBacktest
        Its backtest (:func:`backtest_monthly`).
    oos : pandas.DataFrame
        Out-of-sample rows (:func:`nested.nested_rows`).
    scores : pandas.DataFrame
        Out-of-sample MASE per step ahead (:func:`nested.nested_scores`).
    pooled : pandas.Series
        The same pooled over steps.
    choice : Choice
        What the evaluation concludes (a seasonal model only where it beats the seasonal
        benchmarks out of sample).
    annual : pandas.DataFrame
        :func:`annual_comparison`.
    """

    key: str
    label: str
    unit: str
    months: pd.Series = field(repr=False)
    backtest: N.SeriesBacktest = field(repr=False)
    oos: pd.DataFrame = field(repr=False)
    scores: pd.DataFrame = field(repr=False)
    pooled: pd.Series = field(repr=False)
    choice: N.Choice
    annual: pd.DataFrame = field(repr=False)


def evaluate_monthly(months: pd.Series, key: str, label: str, unit: str) -> MonthlyEvaluation:
    """Backtest, evaluate (nested) and aggregate to years a monthly series (a few seconds)."""
    bt = backtest_monthly(months, key=key)
    oos = N.nested_rows(bt)
    scores = N.nested_scores(oos, benchmarks=MONTHLY_BENCHMARKS)
    pooled = N.nested_scores(oos, by=("series",), benchmarks=MONTHLY_BENCHMARKS).iloc[0]
    return MonthlyEvaluation(
        key=key,
        label=label,
        unit=unit,
        months=months,
        backtest=bt,
        oos=oos,
        scores=scores,
        pooled=pooled,
        choice=N.use_model(bt, pooled),
        annual=annual_comparison(months, bt, oos),
    )


__all__ = [
    "MIN_TRAIN_MONTHS",
    "MONTHLY_BENCHMARKS",
    "MONTHLY_METHODS",
    "MONTHLY_MODELS",
    "ORIGIN_MONTHS",
    "MonthlyEvaluation",
    "annual_comparison",
    "backtest_monthly",
    "evaluate_monthly",
    "forecast_monthly",
]
