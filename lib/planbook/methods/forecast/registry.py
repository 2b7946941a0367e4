"""The methods by name: the registry, :func:`forecast`, the ensemble and a table of them all.

:data:`METHODS` maps each name to a function with the :class:`Method` signature;
:func:`forecast` calls one by name. The ensemble lives here because it forecasts with the
other registered methods.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

import pandas as pd

from planbook.methods.forecast.benchmarks import BENCHMARKS, drift, mean_log_growth, naive
from planbook.methods.forecast.distribution import Predictive
from planbook.methods.forecast.inputs import MIN_OBS, as_history, check_level
from planbook.methods.forecast.models import (
    DEFAULT_BREAK_YEAR,
    arima,
    ets,
    ets_damped,
    trend,
    trend_break,
)
from planbook.methods.forecast.result import ForecastResult, Method, documented, make_result

#: Methods :func:`select_method` compares by default. ``mean_log_growth`` is left out because
#: its point forecasts equal ``drift``'s, so the two always tie on MASE.
DEFAULT_CANDIDATES: tuple[str, ...] = (
    "naive",
    "drift",
    "ets",
    "ets_damped",
    "arima",
    "trend",
    "trend_break",
)


@documented("ensemble")
def ensemble(
    series: pd.Series,
    horizon: int,
    level: float = 0.8,
    *,
    members: Sequence[str] = DEFAULT_CANDIDATES,
    seed: int = 0,
) -> ForecastResult:
    """Simple average of several methods.

    The ensemble's median and each interval bound are the arithmetic means of the members'
    (quantile averaging in levels), so the ensemble interval is the average of the members'
    intervals, and its full distribution is the quantile average of theirs.

    Parameters
    ----------
    {series}
    {horizon}
    {level}
    members : sequence of str, default DEFAULT_CANDIDATES
        Names of methods in :data:`METHODS` (not ``"ensemble"``).
    seed : int, default 0
        Passed to the members.

    Returns
    -------
    ForecastResult

    Raises
    ------
    ValueError
        If ``members`` is empty, names an unknown method or ``"ensemble"``, or the series is
        too short for a member (the message names the member).
    """
    members = tuple(members)
    if not members:
        raise ValueError("an ensemble needs at least one member")
    if "ensemble" in members:
        raise ValueError("an ensemble cannot contain 'ensemble'")
    results = []
    for name in members:
        try:
            results.append(forecast(series, name, horizon, level, seed=seed))
        except ValueError as exc:
            raise ValueError(f"ensemble member {name!r}: {exc}") from exc
    hist = as_history(series)
    dist = Predictive.combine([r.distribution for r in results])
    notes = (f"simple average of {', '.join(members)} (median and bounds averaged)",)
    return make_result("ensemble", hist, check_level(level), dist, notes, members)


#: Registry of methods by name. Read-only.
METHODS: Mapping[str, Method] = MappingProxyType(
    {
        "naive": naive,
        "drift": drift,
        "mean_log_growth": mean_log_growth,
        "ets": ets,
        "ets_damped": ets_damped,
        "arima": arima,
        "trend": trend,
        "trend_break": trend_break,
        "ensemble": ensemble,
    }
)


def forecast(
    series: pd.Series,
    method: str,
    horizon: int,
    level: float = 0.8,
    seed: int = 0,
    **options: object,
) -> ForecastResult:
    """Forecast ``series`` with the method registered under ``method``.

    Parameters
    ----------
    series : pandas.Series
        Positive annual values indexed by consecutive integer years; ``attrs['unit']`` is
        carried into the result.
    method : str
        A key of :data:`METHODS`.
    horizon : int
        Number of years to forecast after the last observation.
    level : float, default 0.8
        Coverage of the prediction interval.
    seed : int, default 0
        Seed for methods that simulate; all built-in methods are analytic and ignore it.
    **options
        Extra keyword arguments for the method, e.g. ``break_year`` for ``trend`` or
        ``members`` for ``ensemble``.

    Returns
    -------
    ForecastResult

    Raises
    ------
    ValueError
        If the method is unknown or cannot be fitted (e.g. the series is too short).
    """
    try:
        fn = METHODS[method]
    except KeyError:
        raise ValueError(f"unknown method {method!r}; choose from {', '.join(METHODS)}") from None
    return fn(series, horizon, level, seed=seed, **options)


def resolve(methods: Sequence[str] | Mapping[str, Method]) -> dict[str, Method]:
    """Methods by label: names looked up in :data:`METHODS`, or a mapping used as given."""
    if isinstance(methods, str):
        methods = [methods]
    if isinstance(methods, Mapping):
        return dict(methods)
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ValueError(f"unknown method {unknown[0]!r}; choose from {', '.join(METHODS)}")
    return {m: METHODS[m] for m in methods}


def methods_table() -> pd.DataFrame:
    """The forecasting methods of :mod:`planbook.methods.forecast`, one line each.

    Returns
    -------
    pandas.DataFrame
        Columns ``method``, ``role`` (benchmark or model), ``formula`` (on the log values
        ``y_t``; ``e_t`` an error), ``interval`` and ``min_obs`` (:data:`MIN_OBS`).
    """
    b = DEFAULT_BREAK_YEAR
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
            "dy(t) = c + a * dy(t-1) + e(t) + m * e(t-1), a or m zero; order, drift by AICc",
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
            "min_obs": [MIN_OBS.get(r[0]) for r in rows],
        }
    )
