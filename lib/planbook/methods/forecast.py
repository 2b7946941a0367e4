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
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, Protocol, TypeVar

import numpy as np
import pandas as pd
from scipy import optimize, stats
from statsmodels.regression.linear_model import OLS
from statsmodels.tools.sm_exceptions import ModelWarning
from statsmodels.tsa.arima.model import ARIMA
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

__all__ = [
    "DEFAULT_CANDIDATES",
    "METHODS",
    "MIN_OBS",
    "ForecastResult",
    "Method",
    "Predictive",
    "Selection",
    "TargetOdds",
    "accuracy",
    "arima",
    "backtest",
    "drift",
    "ensemble",
    "ets",
    "ets_damped",
    "forecast",
    "forecast_with_fallback",
    "mean_log_growth",
    "naive",
    "probability_target_met",
    "select_method",
    "trend",
    "training_window",
    "trend_break",
    "winkler_score",
]

#: Smallest series each method accepts. For the fitted models this is the smallest ``n`` for
#: which the AICc of the model is finite (``n_eff > k + 1``, ``k`` counting the variance).
MIN_OBS: Mapping[str, int] = MappingProxyType(
    {
        "naive": 2,
        "drift": 3,
        "mean_log_growth": 3,
        "ets": 7,
        "ets_damped": 8,
        "arima": 5,
        "trend": 5,
        "trend_break": 5,
    }
)

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

#: Break year used by :func:`trend_break` (the 2020 pandemic year).
DEFAULT_BREAK_YEAR = 2020

_TINY = 1e-12
_F = TypeVar("_F", bound=Callable[..., "ForecastResult"])
_BACKTEST_COLUMNS = (
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
)


# --------------------------------------------------------------------------------------------
# Input handling
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _History:
    """A validated annual series: consecutive integer years, positive finite values."""

    years: np.ndarray
    values: np.ndarray
    unit: str | None

    @property
    def n(self) -> int:
        return int(self.values.size)

    @property
    def logs(self) -> np.ndarray:
        return np.log(self.values)

    def log_series(self) -> pd.Series:
        """Log values on an annual ``PeriodIndex``, the index statsmodels understands."""
        index = pd.period_range(str(self.years[0]), periods=self.n, freq="Y")
        return pd.Series(self.logs, index=index)


def _years_of(index: pd.Index) -> np.ndarray:
    if isinstance(index, pd.PeriodIndex | pd.DatetimeIndex):
        return np.asarray(index.year, dtype=np.int64)
    try:
        numeric = np.asarray(pd.to_numeric(np.asarray(index)), dtype=float)
    except (TypeError, ValueError):
        raise ValueError("the series index must hold integer years, e.g. 2014..2025") from None
    if not np.all(np.isfinite(numeric)) or np.any(numeric != np.round(numeric)):
        raise ValueError("the series index must hold integer years, e.g. 2014..2025")
    return numeric.astype(np.int64)


def _history(series: pd.Series) -> _History:
    """Validate ``series`` and return it sorted by year.

    Raises
    ------
    TypeError
        If ``series`` is not a pandas Series.
    ValueError
        If the years are not unique consecutive integers or a value is missing, non-numeric,
        zero or negative.
    """
    if not isinstance(series, pd.Series):
        raise TypeError(f"expected a pandas Series indexed by year; got {type(series).__name__}")
    if series.size < 2:
        raise ValueError(f"need at least 2 annual observations; got {series.size}")
    years = _years_of(series.index)
    values = np.asarray(pd.to_numeric(series, errors="coerce"), dtype=float)
    order = np.argsort(years, kind="stable")
    years, values = years[order], values[order]
    if np.any(np.diff(years) == 0):
        dup = int(years[1:][np.diff(years) == 0][0])
        raise ValueError(f"year {dup} appears more than once")
    gaps = np.nonzero(np.diff(years) != 1)[0]
    if gaps.size:
        raise ValueError(
            f"years must be consecutive; the series jumps from {years[gaps[0]]} "
            f"to {years[gaps[0] + 1]}"
        )
    bad = np.nonzero(~np.isfinite(values) | (values <= 0))[0]
    if bad.size:
        i = int(bad[0])
        raise ValueError(
            f"values must be positive and finite (the models work on logs); "
            f"year {years[i]} has {series.iloc[order[i]]!r}"
        )
    unit = series.attrs.get("unit")
    return _History(years=years, values=values, unit=None if unit is None else str(unit))


def _require(hist: _History, method: str, label: str) -> None:
    need = MIN_OBS[method]
    if hist.n < need:
        raise ValueError(f"{label} needs at least {need} observations; got {hist.n}")


def _check_horizon(horizon: int) -> int:
    if isinstance(horizon, bool) or not isinstance(horizon, int | np.integer) or horizon < 1:
        raise ValueError(f"horizon must be a positive integer; got {horizon!r}")
    return int(horizon)


def _check_level(level: float) -> float:
    if not 0.0 < float(level) < 1.0:
        raise ValueError(f"level must be between 0 and 1, e.g. 0.8; got {level!r}")
    return float(level)


@contextmanager
def _quiet() -> Iterator[None]:
    """Silence statsmodels' model warnings and numpy's runtime warnings, locally."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ModelWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


# --------------------------------------------------------------------------------------------
# Predictive distribution and result type
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Predictive:
    """Predictive distribution of the level at each forecast step.

    It is built from ``k`` components. Component ``i`` says that the log value at step ``j``
    is ``loc[i, j] + scale[i, j] * T`` where ``T`` is standard normal (``df[i]`` infinite) or
    Student t with ``df[i]`` degrees of freedom. The distribution of the level is the quantile
    average of the components in levels: ``Q(p) = mean_i exp(loc_i + scale_i * q_i(p))``. A
    single model has one component; an ensemble has one per member.

    Attributes
    ----------
    loc, scale : numpy.ndarray
        Arrays of shape ``(k, horizon)`` on the log scale; ``scale >= 0``.
    df : numpy.ndarray
        Shape ``(k,)``; ``inf`` for a normal component.
    """

    loc: np.ndarray
    scale: np.ndarray
    df: np.ndarray

    @classmethod
    def single(
        cls, loc: Sequence[float], scale: Sequence[float], df: float = math.inf
    ) -> Predictive:
        """One location-scale component on logs (``df=inf`` for normal)."""
        loc_a = np.asarray(loc, dtype=float).reshape(1, -1)
        scale_a = np.asarray(scale, dtype=float).reshape(1, -1)
        if loc_a.shape != scale_a.shape:
            raise ValueError("loc and scale must have the same length")
        if np.any(~np.isfinite(loc_a)) or np.any(~np.isfinite(scale_a)) or np.any(scale_a < 0):
            raise ValueError("the fitted model gave a non-finite forecast or a negative scale")
        return cls(loc=loc_a, scale=scale_a, df=np.array([float(df)]))

    @classmethod
    def combine(cls, members: Sequence[Predictive]) -> Predictive:
        """Quantile-average several predictive distributions with equal weights."""
        if not members:
            raise ValueError("an ensemble needs at least one member")
        if len({m.loc.shape[1] for m in members}) != 1:
            raise ValueError("ensemble members must have the same horizon")
        return cls(
            loc=np.vstack([m.loc for m in members]),
            scale=np.vstack([m.scale for m in members]),
            df=np.concatenate([m.df for m in members]),
        )

    @property
    def horizon(self) -> int:
        """Number of forecast steps."""
        return int(self.loc.shape[1])

    def _z(self, p: np.ndarray) -> np.ndarray:
        """Component quantiles of ``p``: shape ``(k, len(p))``."""
        p = np.clip(np.asarray(p, dtype=float), _TINY, 1.0 - _TINY)
        return stats.t.ppf(p[None, :], self.df[:, None])

    def ppf(self, p: np.ndarray | float, step: int) -> np.ndarray:
        """Quantiles of the level at forecast step ``step`` (1-based) for probabilities ``p``."""
        j = step - 1
        z = self._z(np.atleast_1d(p))
        levels = np.exp(self.loc[:, j, None] + self.scale[:, j, None] * z)
        return levels.mean(axis=0)

    def quantile(self, p: float) -> np.ndarray:
        """The ``p`` quantile of the level at every step, shape ``(horizon,)``."""
        z = self._z(np.array([p]))[:, 0]
        return np.exp(self.loc + self.scale * z[:, None]).mean(axis=0)

    def prob(self, x: float, step: int, bound: Literal["ge", "le"]) -> float:
        """Exact probability that the level at ``step`` is ``>= x`` (``"ge"``) or ``<= x``."""
        j = step - 1
        if np.all(self.scale[:, j] == 0):
            value = float(np.exp(self.loc[:, j]).mean())
            return float(value >= x) if bound == "ge" else float(value <= x)
        if self.loc.shape[0] == 1:
            z = (math.log(x) - self.loc[0, j]) / self.scale[0, j]
            cdf = float(stats.t.cdf(z, self.df[0]))
        else:
            lo, hi = float(self.ppf(_TINY, step)[0]), float(self.ppf(1 - _TINY, step)[0])
            if x <= lo:
                cdf = 0.0
            elif x >= hi:
                cdf = 1.0
            else:
                cdf = optimize.brentq(
                    lambda p: float(self.ppf(p, step)[0]) - x, _TINY, 1 - _TINY, xtol=1e-14
                )
        return 1.0 - cdf if bound == "ge" else cdf

    def sample(self, rng: np.random.Generator, draws: int, step: int) -> np.ndarray:
        """Draw ``draws`` levels at ``step`` by inverting the quantile function."""
        return self.ppf(rng.random(draws), step)


@dataclass(frozen=True, eq=False)
class ForecastResult:
    """Forecast of one method for the years after the last observation.

    Attributes
    ----------
    method : str
        Name of the method (a key of :data:`METHODS`).
    years : tuple of int
        Target years, ``history_end + 1 .. history_end + horizon``.
    median : pandas.Series
        Point forecast, indexed by target year: the predictive median in levels
        (``exp`` of the mean on logs), not the mean.
    lower, upper : pandas.Series
        Bounds of the equal-tailed prediction interval at ``level``, in levels.
    level : float
        Nominal coverage of the interval, e.g. 0.8.
    n_obs : int
        Number of annual observations the method saw.
    history_start, history_end : int
        First and last observed year.
    unit : str or None
        ``series.attrs['unit']`` of the input, if any.
    notes : tuple of str
        What was fitted (parameters, chosen order or break) and any convergence problems.
    members : tuple of str
        Members of an ensemble; empty for a single method.
    distribution : Predictive
        The full predictive distribution, used by :func:`probability_target_met`.
    """

    method: str
    years: tuple[int, ...]
    median: pd.Series
    lower: pd.Series
    upper: pd.Series
    level: float
    n_obs: int
    history_start: int
    history_end: int
    unit: str | None
    notes: tuple[str, ...]
    members: tuple[str, ...]
    distribution: Predictive = field(repr=False)

    @property
    def horizon(self) -> int:
        """Number of years forecast."""
        return len(self.years)

    def to_frame(self) -> pd.DataFrame:
        """Tidy table: one row per target year.

        Returns
        -------
        pandas.DataFrame
            Columns ``method, year, horizon, median, lower, upper, level, n_obs,
            history_end, unit``.
        """
        return pd.DataFrame(
            {
                "method": self.method,
                "year": list(self.years),
                "horizon": range(1, self.horizon + 1),
                "median": self.median.to_numpy(),
                "lower": self.lower.to_numpy(),
                "upper": self.upper.to_numpy(),
                "level": self.level,
                "n_obs": self.n_obs,
                "history_end": self.history_end,
                "unit": self.unit,
            }
        )


def _result(
    method: str,
    hist: _History,
    level: float,
    dist: Predictive,
    notes: Sequence[str],
    members: Sequence[str] = (),
) -> ForecastResult:
    end = int(hist.years[-1])
    years = tuple(end + h for h in range(1, dist.horizon + 1))
    index = pd.Index(years, name="year")
    tail = (1.0 - level) / 2.0
    return ForecastResult(
        method=method,
        years=years,
        median=pd.Series(dist.quantile(0.5), index=index, name="median"),
        lower=pd.Series(dist.quantile(tail), index=index, name="lower"),
        upper=pd.Series(dist.quantile(1.0 - tail), index=index, name="upper"),
        level=level,
        n_obs=hist.n,
        history_start=int(hist.years[0]),
        history_end=end,
        unit=hist.unit,
        notes=tuple(notes),
        members=tuple(members),
        distribution=dist,
    )


class Method(Protocol):
    """Signature shared by every forecasting method in :data:`METHODS`."""

    def __call__(
        self, series: pd.Series, horizon: int, level: float = ..., *, seed: int = ...
    ) -> ForecastResult: ...


# --------------------------------------------------------------------------------------------
# Benchmarks
# --------------------------------------------------------------------------------------------

_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "naive": "the naive method",
        "drift": "the drift method",
        "mean_log_growth": "the mean-log-growth method",
        "ets": "ETS",
        "ets_damped": "damped-trend ETS",
        "arima": "ARIMA",
        "trend": "the log-linear trend",
        "trend_break": "the log-linear trend",
    }
)

_SHARED_DOC = {
    "series": """series : pandas.Series
        Positive annual values indexed by consecutive integer years; at least
        ``MIN_OBS[{name!r}]`` ({min_obs}) of them.""",
    "horizon": """horizon : int
        Number of years to forecast after the last observation.""",
    "level": """level : float, default 0.8
        Coverage of the prediction interval.""",
    "seed": """seed : int, default 0
        Unused (the interval is analytic); present so all methods share one signature.""",
    "returns": """Returns
    -------
    ForecastResult

    Raises
    ------
    ValueError
        If the series is shorter than ``MIN_OBS[{name!r}]`` or cannot be fitted.""",
}


def _documented(name: str) -> Callable[[_F], _F]:
    """Fill the shared parts of a method's numpydoc docstring (``{parameters}``, ``{returns}``,
    or one parameter: ``{series}``, ``{horizon}``, ``{level}``, ``{seed}``)."""

    def decorate(fn: _F) -> _F:
        parts = {
            key: text.format(name=name, min_obs=MIN_OBS.get(name))
            for key, text in _SHARED_DOC.items()
        }
        if name not in MIN_OBS:
            parts["series"] = parts["series"].split(";")[0] + "; enough for every member."
        shared = (parts[key] for key in ("series", "horizon", "level", "seed"))
        parts["parameters"] = "Parameters\n    ----------\n    " + "\n    ".join(shared)
        fn.__doc__ = (fn.__doc__ or "").format(**parts)
        return fn

    return decorate


def _setup(
    series: pd.Series, name: str, horizon: int, level: float
) -> tuple[_History, int, float, np.ndarray]:
    """Validate a method's inputs: the history, horizon, level and steps ``1..horizon``."""
    hist = _history(series)
    _require(hist, name, _LABELS[name])
    horizon, level = _check_horizon(horizon), _check_level(level)
    return hist, horizon, level, np.arange(1, horizon + 1)


@_documented("naive")
def naive(series: pd.Series, horizon: int, level: float = 0.8, *, seed: int = 0) -> ForecastResult:
    """Naive forecast: random walk on logs.

    The median is the last value; on logs the ``h``-step standard deviation is
    ``sigma * sqrt(h)``, ``sigma**2`` being the mean squared log difference (no parameter is
    estimated, so no degrees-of-freedom correction). Normal on logs.

    {parameters}

    {returns}
    """
    hist, horizon, level, h = _setup(series, "naive", horizon, level)
    sigma = math.sqrt(float(np.mean(np.diff(hist.logs) ** 2)))
    dist = Predictive.single(np.full(horizon, hist.logs[-1]), sigma * np.sqrt(h))
    notes = (f"random walk on logs; sigma = {sigma:.4g}; normal interval on logs",)
    return _result("naive", hist, level, dist, notes)


def _growth_and_spread(hist: _History) -> tuple[float, float, int]:
    """Mean and standard deviation (``ddof=1``) of the log differences, and their count."""
    diffs = np.diff(hist.logs)
    return float(diffs.mean()), float(diffs.std(ddof=1)), int(diffs.size)


@_documented("drift")
def drift(series: pd.Series, horizon: int, level: float = 0.8, *, seed: int = 0) -> ForecastResult:
    """Random walk with drift on logs (Hyndman & Athanasopoulos, *FPP3*, section 5.2).

    The drift ``c`` is the mean of the ``m = n - 1`` log differences, so the median grows at
    ``exp(c) - 1`` a year from the last value. The ``h``-step standard deviation on logs is
    ``s * sqrt(h * (1 + h / m))`` with ``s`` the standard deviation of the log differences
    (``ddof=1``); the ``h / m`` term is the uncertainty of the drift. Normal on logs.

    {parameters}

    {returns}
    """
    hist, horizon, level, h = _setup(series, "drift", horizon, level)
    c, s, m = _growth_and_spread(hist)
    dist = Predictive.single(hist.logs[-1] + c * h, s * np.sqrt(h * (1 + h / m)))
    notes = (
        f"random walk with drift on logs; drift = {c:.4g} (growth {math.expm1(c):.2%} a year), "
        f"s = {s:.4g}; normal interval on logs including drift uncertainty",
    )
    return _result("drift", hist, level, dist, notes)


@_documented("mean_log_growth")
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
    hist, horizon, level, h = _setup(series, "mean_log_growth", horizon, level)
    g, s, _ = _growth_and_spread(hist)
    dist = Predictive.single(hist.logs[-1] + g * h, s * np.sqrt(h))
    notes = (
        f"mean log growth = {g:.4g} (growth {math.expm1(g):.2%} a year), s = {s:.4g}; "
        "normal interval on logs, mean growth treated as known",
    )
    return _result("mean_log_growth", hist, level, dist, notes)


# --------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------


def _ets(series: pd.Series, horizon: int, level: float, damped: bool) -> ForecastResult:
    name = "ets_damped" if damped else "ets"
    hist, horizon, level, _ = _setup(series, name, horizon, level)
    with _quiet():
        model = ETSModel(
            hist.log_series(),
            error="add",
            trend="add",
            damped_trend=damped,
            initialization_method="estimated",
        )
        fit = model.fit(disp=False)
        pred = fit.get_prediction(start=hist.n, end=hist.n + horizon - 1)
        loc = np.asarray(pred.predicted_mean, dtype=float)
        scale = np.sqrt(np.maximum(np.asarray(pred.forecast_variance, dtype=float), 0.0))
    # ETSResults.params comes back with an integer index: pair it with param_names.
    params = dict(zip(fit.param_names, np.asarray(fit.params, dtype=float), strict=True))
    shown = ", ".join(
        f"{label} = {params[key]:.3g}"
        for key, label in (
            ("smoothing_level", "alpha"),
            ("smoothing_trend", "beta"),
            ("damping_trend", "phi"),
        )
        if key in params
    )
    notes = [
        f"ETS(A,{'Ad' if damped else 'A'},N) on logs: {shown}; analytic normal interval on "
        "logs, parameters treated as known"
    ]
    if not fit.mle_retvals.get("converged", True):
        notes.append("the ETS optimizer did not report convergence")
    return _result(name, hist, level, Predictive.single(loc, scale), notes)


@_documented("ets")
def ets(series: pd.Series, horizon: int, level: float = 0.8, *, seed: int = 0) -> ForecastResult:
    """ETS(A,A,N) on logs: Holt's linear trend with additive errors (statsmodels ``ETSModel``).

    The interval is analytic, normal on logs, with the parameters treated as known.

    {parameters}

    {returns}
    """
    return _ets(series, horizon, level, damped=False)


@_documented("ets_damped")
def ets_damped(
    series: pd.Series, horizon: int, level: float = 0.8, *, seed: int = 0
) -> ForecastResult:
    """ETS(A,Ad,N) on logs: additive errors and a damped additive trend.

    statsmodels bounds the damping parameter ``phi`` to ``[0.8, 0.98]``. The interval is
    analytic, normal on logs, with the parameters treated as known.

    {parameters}

    {returns}
    """
    return _ets(series, horizon, level, damped=True)


@_documented("arima")
def arima(
    series: pd.Series,
    horizon: int,
    level: float = 0.8,
    *,
    max_p: int = 1,
    max_q: int = 1,
    seed: int = 0,
) -> ForecastResult:
    """ARIMA(p,1,q) on logs, with or without drift, chosen by AICc.

    The search covers ``p = 0..max_p``, ``q = 0..max_q`` and drift on/off (statsmodels
    ``trend="t"``, which with ``d=1`` is a constant growth rate). ``d`` is fixed at 1 because
    AICc values of models with different ``d`` are not comparable. Orders whose AICc would be
    infinite on this sample (too many parameters) are skipped. The interval is Gaussian on
    logs with parameters treated as known.

    Parameters
    ----------
    {series}
    {horizon}
    {level}
    max_p, max_q : int, default 1
        Largest autoregressive and moving-average orders tried.
    {seed}

    {returns}
    """
    hist, horizon, level, _ = _setup(series, "arima", horizon, level)
    y = hist.log_series()
    n_eff = hist.n - 1
    best, best_aicc, best_order, tried = None, math.inf, None, 0
    with _quiet():
        for p, q, trend_term in itertools.product(range(max_p + 1), range(max_q + 1), "nt"):
            k = p + q + (trend_term == "t") + 1
            if n_eff - k - 1 <= 0:
                continue
            try:
                fit = ARIMA(y, order=(p, 1, q), trend=trend_term).fit(cov_type="none")
            except (ValueError, np.linalg.LinAlgError):
                continue
            tried += 1
            if np.isfinite(fit.aicc) and fit.aicc < best_aicc:
                best, best_aicc, best_order = fit, float(fit.aicc), (p, q, trend_term)
        if best is None or best_order is None:
            raise ValueError(f"ARIMA: no order could be fitted to {hist.n} observations")
        pred = best.get_forecast(horizon)
        loc = np.asarray(pred.predicted_mean, dtype=float)
        scale = np.asarray(pred.se_mean, dtype=float)
    p, q, trend_term = best_order
    notes = [
        f"ARIMA({p},1,{q}){' with drift' if trend_term == 't' else ''} on logs, lowest AICc "
        f"({best_aicc:.2f}) of {tried} orders; Gaussian interval on logs, parameters treated "
        "as known"
    ]
    if not best.mle_retvals.get("converged", True):
        notes.append("the ARIMA optimizer did not report convergence for the chosen order")
    return _result("arima", hist, level, Predictive.single(loc, scale), notes)


def _trend_design(t: np.ndarray, years: np.ndarray, variant: str, break_year: int) -> np.ndarray:
    columns = [np.ones_like(t), t]
    if "level" in variant:
        columns.append((years >= break_year).astype(float))
    if "slope" in variant:
        columns.append(np.maximum(years - break_year, 0).astype(float))
    return np.column_stack(columns)


def _ols_aicc(llf: float, n: int, n_params: int) -> float:
    k = n_params + 1  # the variance counts as a parameter
    if n - k - 1 <= 0:
        return math.inf
    return -2.0 * llf + 2.0 * k + 2.0 * k * (k + 1) / (n - k - 1)


def _break_variants(years: np.ndarray, break_year: int | None) -> list[str]:
    """Break variants the data can identify: >= 3 years before the break and enough after."""
    if break_year is None or np.sum(years < break_year) < 3:
        return []
    on_or_after, after = int(np.sum(years >= break_year)), int(np.sum(years > break_year))
    variants = []
    if on_or_after >= 2:
        variants.append("level")
    if after >= 2:
        variants.append("slope")
    if on_or_after >= 3 and after >= 2:
        variants.append("level+slope")
    return variants


def _trend(
    series: pd.Series, horizon: int, level: float, break_year: int | None, name: str
) -> ForecastResult:
    hist, horizon, level, h = _setup(series, name, horizon, level)
    t = (hist.years - hist.years[0]).astype(float)
    future_years = hist.years[-1] + h
    t_future = (future_years - hist.years[0]).astype(float)
    b = 0 if break_year is None else int(break_year)
    best = None
    scores: list[str] = []
    with _quiet():
        for variant in ["none", *_break_variants(hist.years, break_year)]:
            design = _trend_design(t, hist.years, variant, b)
            fit = OLS(hist.logs, design).fit()
            aicc = _ols_aicc(float(fit.llf), hist.n, design.shape[1])
            scores.append(f"{variant} {aicc:.2f}")
            if best is None or aicc < best[0]:
                best = (aicc, variant, fit)
        assert best is not None
        _, variant, fit = best
        pred = fit.get_prediction(_trend_design(t_future, future_years, variant, b))
        loc = np.asarray(pred.predicted_mean, dtype=float)
        scale = np.asarray(pred.se_obs, dtype=float)
    slope = float(fit.params[1])
    notes = [
        f"OLS line on logs, slope {slope:.4g} (growth {math.expm1(slope):.2%} a year); "
        f"Student-t interval with {fit.df_resid:g} df including parameter uncertainty"
    ]
    if break_year is not None and len(scores) == 1:
        notes.append(f"break at {b} not identifiable from years {hist.years[0]}-{hist.years[-1]}")
    elif break_year is not None:
        chosen = "no break" if variant == "none" else f"{variant} break at {b}"
        notes.append(f"break at {b} considered by AICc ({'; '.join(scores)}): {chosen}")
    dist = Predictive.single(loc, scale, df=float(fit.df_resid))
    return _result(name, hist, level, dist, notes)


@_documented("trend")
def trend(
    series: pd.Series,
    horizon: int,
    level: float = 0.8,
    *,
    break_year: int | None = None,
    seed: int = 0,
) -> ForecastResult:
    """Log-linear trend (constant growth) fitted by OLS, optionally with a break.

    Without a break the model is ``log y_t = a + b t + e_t``. With ``break_year=B`` the
    candidates are: no break; a level shift ``1{{year >= B}}``; a slope change
    ``max(year - B, 0)``; both. A candidate is only considered when the data can identify it
    (3 years before ``B``, 2 years on or after it for a shift, 2 years after it for a slope
    change, 3 and 2 for both), and a break is kept only when it gives a strictly lower AICc
    than the simpler alternatives. The interval is the OLS prediction interval (Student t,
    parameter uncertainty included) on logs.

    Parameters
    ----------
    {series}
    {horizon}
    {level}
    break_year : int, optional
        Year from which a level shift applies and after which a slope change applies.
    {seed}

    {returns}
    """
    return _trend(series, horizon, level, break_year, "trend")


@_documented("trend_break")
def trend_break(
    series: pd.Series,
    horizon: int,
    level: float = 0.8,
    *,
    break_year: int = DEFAULT_BREAK_YEAR,
    seed: int = 0,
) -> ForecastResult:
    """Log-linear trend with a possible break at ``break_year`` (default 2020), by AICc.

    Same as :func:`trend` with ``break_year`` set; identical to ``trend`` whenever the break
    is not identifiable (e.g. in backtest windows ending before 2021) or does not lower AICc.

    Parameters
    ----------
    {series}
    {horizon}
    {level}
    break_year : int, default 2020
        Candidate break year.
    {seed}

    {returns}
    """
    return _trend(series, horizon, level, break_year, "trend_break")


@_documented("ensemble")
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
    hist = _history(series)
    dist = Predictive.combine([r.distribution for r in results])
    notes = (f"simple average of {', '.join(members)} (median and bounds averaged)",)
    return _result("ensemble", hist, _check_level(level), dist, notes, members)


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


# --------------------------------------------------------------------------------------------
# Backtests and accuracy
# --------------------------------------------------------------------------------------------


def _resolve(methods: Sequence[str] | Mapping[str, Method]) -> dict[str, Method]:
    if isinstance(methods, str):
        methods = [methods]
    if isinstance(methods, Mapping):
        return dict(methods)
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ValueError(f"unknown method {unknown[0]!r}; choose from {', '.join(METHODS)}")
    return {m: METHODS[m] for m in methods}


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
        (median), ``lower, upper, level``.

    Raises
    ------
    ValueError
        If ``min_train`` leaves no origin or a method cannot be fitted on the shortest window.
    """
    hist = _history(series)
    fns = _resolve(methods)
    horizon, level = _check_horizon(horizon), _check_level(level)
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
            for step in range(1, steps + 1):
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
                    )
                )
    return pd.DataFrame(rows, columns=list(_BACKTEST_COLUMNS))


def _naive_scale(hist: _History, start: int, origin: int) -> float:
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


def _scored(frame: pd.DataFrame, hist: _History) -> pd.DataFrame:
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
    scored = _scored(backtest_frame, _history(series))
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


# --------------------------------------------------------------------------------------------
# Model selection
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Selection:
    """Outcome of :func:`select_method`.

    Attributes
    ----------
    method : str
        Chosen method, a key of :data:`METHODS` (possibly ``"ensemble"``).
    members : tuple of str
        Members of the chosen ensemble; empty unless ``method == "ensemble"``.
    scores : pandas.DataFrame
        One row per candidate (and ``"ensemble"`` if considered), pooled over all backtest
        forecasts, best first: ``method, n, MAPE, MASE, coverage, level, winkler``.
    accuracy : pandas.DataFrame
        Per method and horizon, as returned by :func:`accuracy`.
    backtest : pandas.DataFrame
        The backtest rows, ensemble rows included.
    min_train, horizon : int
        Backtest settings.
    level : float
        Interval coverage used in the backtest.
    n_obs : int
        Length of the series.
    """

    method: str
    members: tuple[str, ...]
    scores: pd.DataFrame
    accuracy: pd.DataFrame
    backtest: pd.DataFrame
    min_train: int
    horizon: int
    level: float
    n_obs: int

    def forecast(self, series: pd.Series, horizon: int, level: float = 0.8) -> ForecastResult:
        """Forecast ``series`` with the chosen method (and ensemble members)."""
        options = {"members": self.members} if self.method == "ensemble" else {}
        return forecast(series, self.method, horizon, level, **options)


def _ensemble_rows(frame: pd.DataFrame, members: Sequence[str]) -> pd.DataFrame:
    """Backtest rows of the simple-average ensemble of ``members``."""
    keys = ["origin", "train_start", "n_train", "horizon", "year"]
    rows = frame[frame["method"].isin(members)]
    out = rows.groupby(keys, sort=True).agg(
        actual=("actual", "first"),
        forecast=("forecast", "mean"),
        lower=("lower", "mean"),
        upper=("upper", "mean"),
        level=("level", "first"),
        count=("method", "size"),
    )
    if (out["count"] != len(members)).any():
        raise ValueError("ensemble members were not backtested on the same origins")
    out = out.drop(columns="count").reset_index()
    out.insert(0, "method", "ensemble")
    return out[list(_BACKTEST_COLUMNS)]


def _rank(scores: pd.DataFrame, order: Sequence[str]) -> pd.DataFrame:
    """Sort by MASE (to 6 decimals), then Winkler score, then candidate order."""
    position = {m: i for i, m in enumerate(order)}
    ranked = scores.assign(_mase=scores["MASE"].round(6), _order=scores["method"].map(position))
    ranked = ranked.sort_values(["_mase", "winkler", "_order"], na_position="last", kind="stable")
    return ranked.drop(columns=["_mase", "_order"]).reset_index(drop=True)


def select_method(
    series: pd.Series,
    candidates: Sequence[str] | None = None,
    *,
    min_train: int | None = None,
    horizon: int = 3,
    level: float = 0.8,
    ensemble: bool = False,
    top_k: int | None = None,
    min_origins: int = 3,
    seed: int = 0,
) -> Selection:
    """Choose a method by rolling-origin backtest MASE, never by in-sample fit.

    Every candidate is backtested on the same origins; the score is MASE pooled over all
    backtest forecasts (all origins and steps). Ties on MASE (to 6 decimals) go to the lower
    Winkler score, then to the earlier candidate. With
    ``ensemble=True`` the simple average of the ``top_k`` best candidates (all candidates if
    ``top_k`` is None) is scored on the same backtest, from the members' backtest forecasts,
    and chosen if its MASE is lowest. Picking the top ``k`` on the same backtest that then
    scores the ensemble flatters the ensemble slightly; ``top_k=None`` avoids that.

    Parameters
    ----------
    series : pandas.Series
        Positive annual values indexed by consecutive integer years.
    candidates : sequence of str, optional
        Method names. By default :data:`DEFAULT_CANDIDATES` whose minimum length
        (:data:`MIN_OBS`) leaves at least ``min_origins`` backtest origins or, when
        ``min_train`` is given, fits in the first training window.
    min_train : int, optional
        First training window; by default the largest minimum length among the candidates.
        :func:`training_window` shortens a window to fit a short series.
    horizon : int, default 3
        Largest step ahead in the backtest.
    level : float, default 0.8
        Interval coverage in the backtest.
    ensemble : bool, default False
        Also consider the simple-average ensemble.
    top_k : int, optional
        Number of best candidates averaged in the ensemble (at least 2); all if None.
    min_origins : int, default 3
        Used only to filter the default candidates.
    seed : int, default 0
        Passed to the methods.

    Returns
    -------
    Selection

    Raises
    ------
    ValueError
        If the series is too short to backtest the candidates.
    """
    hist = _history(series)
    if candidates is None:
        limit = hist.n - min_origins if min_train is None else min(min_train, hist.n - 1)
        candidates = [c for c in DEFAULT_CANDIDATES if MIN_OBS[c] <= limit]
        if not candidates:
            raise ValueError(
                f"select_method needs at least {MIN_OBS['naive'] + min_origins} observations "
                f"to backtest any method; got {hist.n}"
            )
    candidates = list(dict.fromkeys(candidates))
    _resolve(candidates)
    if "ensemble" in candidates:
        raise ValueError("pass ensemble=True rather than 'ensemble' as a candidate")
    if min_train is None:
        min_train = max(MIN_OBS[c] for c in candidates)
    if min_train >= hist.n:
        raise ValueError(
            f"the series has {hist.n} observations; backtesting "
            f"{', '.join(candidates)} needs at least {min_train + 1}"
        )
    if top_k is not None and not 2 <= top_k <= len(candidates):
        raise ValueError(f"top_k must be between 2 and {len(candidates)}; got {top_k}")
    frame = backtest(series, candidates, min_train, horizon, level, seed=seed)
    scores = _rank(accuracy(frame, series, by=("method",)), candidates)
    members: tuple[str, ...] = ()
    order = list(candidates)
    if ensemble:
        members = tuple(scores["method"].head(top_k or len(candidates)))
        frame = pd.concat([frame, _ensemble_rows(frame, members)], ignore_index=True)
        order.append("ensemble")
        scores = _rank(accuracy(frame, series, by=("method",)), order)
    chosen = str(scores["method"].iloc[0])
    return Selection(
        method=chosen,
        members=members if chosen == "ensemble" else (),
        scores=scores,
        accuracy=accuracy(frame, series),
        backtest=frame,
        min_train=int(min_train),
        horizon=int(horizon),
        level=float(level),
        n_obs=hist.n,
    )


def training_window(n_obs: int, min_train: int | None, min_origins: int = 3) -> int | None:
    """First training window of a rolling-origin backtest on a series of ``n_obs`` years.

    ``min_train`` is shortened where the series is short, so that at least ``min_origins``
    forecast origins remain, but never below the 2 points the naive method needs.

    Parameters
    ----------
    n_obs : int
        Length of the series.
    min_train : int or None
        Wanted first window, in years; None leaves the choice to :func:`select_method`.
    min_origins : int, default 3
        Origins to keep where possible.

    Returns
    -------
    int or None

    Examples
    --------
    >>> training_window(12, 7), training_window(7, 7), training_window(4, 7)
    (7, 4, 2)
    """
    if min_train is None:
        return None
    if int(min_train) < MIN_OBS["naive"]:
        raise ValueError(f"min_train must be at least {MIN_OBS['naive']}; got {min_train}")
    return max(MIN_OBS["naive"], min(int(min_train), int(n_obs) - int(min_origins)))


def _min_obs(method: str) -> int:
    """Smallest series a method accepts (an ensemble of the defaults: its largest member's)."""
    if method == "ensemble":
        return max(MIN_OBS[c] for c in DEFAULT_CANDIDATES)
    return MIN_OBS[method]


def forecast_with_fallback(
    series: pd.Series,
    method: str,
    horizon: int,
    level: float = 0.8,
    seed: int = 0,
    *,
    min_train: int | None = None,
    backtest_horizon: int = 3,
) -> tuple[ForecastResult, str]:
    """Forecast with a named method, or with the backtest's choice (``"auto"``).

    A named method that needs more observations than the series has (:data:`MIN_OBS`) falls
    back to the backtest's choice, and the note says so. ``"auto"`` runs
    :func:`select_method` (no ensemble) with steps up to ``min(horizon, backtest_horizon)``
    and the first window ``training_window(len(series), min_train)``.

    Parameters
    ----------
    series : pandas.Series
        Positive annual values indexed by consecutive integer years.
    method : str
        ``"auto"`` or a key of :data:`METHODS`.
    horizon : int
        Number of years to forecast after the last observation.
    level : float, default 0.8
        Coverage of the prediction interval.
    seed : int, default 0
        Passed to the methods.
    min_train : int, optional
        First training window of the backtest, in years (see :func:`training_window`).
    backtest_horizon : int, default 3
        Largest step ahead scored in the backtest.

    Returns
    -------
    tuple of (ForecastResult, str)
        The forecast and a one-line note on how its method was chosen.

    Raises
    ------
    ValueError
        If ``method`` is unknown or the series is too short to backtest any method.
    """
    hist = _history(series)
    fallback = ""
    if method != "auto":
        if method not in METHODS:
            raise ValueError(
                f"unknown method {method!r}; choose 'auto' or one of {', '.join(METHODS)}"
            )
        needed = _min_obs(method)
        if hist.n >= needed:
            return forecast(series, method, horizon, level, seed=seed), f"{method}, as set"
        fallback = f"{method} needs {needed} observations and this series has {hist.n}; "
    selection = select_method(
        series,
        horizon=min(_check_horizon(horizon), backtest_horizon),
        level=level,
        seed=seed,
        min_train=training_window(hist.n, min_train),
    )
    result = selection.forecast(series, horizon, level)
    return result, f"{fallback}{result.method}, chosen by rolling-origin backtest MASE"


# --------------------------------------------------------------------------------------------
# Probability of meeting a target
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetOdds:
    """Predictive probability that a series meets a target in the target year.

    Attributes
    ----------
    probability : float
        Share of ``draws`` simulated values in ``target_year`` that meet the target.
    probability_exact : float
        The same probability computed from the predictive distribution without simulation.
    mc_se : float
        Monte Carlo standard error of ``probability``.
    method : str
        Method used (``"auto"`` resolved to the chosen one).
    members : tuple of str
        Ensemble members, if ``method == "ensemble"``.
    target_value : float
        The target, in the series' unit.
    target_year : int
        The year whose value is compared with the target.
    bound : {"ge", "le"}
        ``"ge"``: met when the value is at least the target; ``"le"``: at most.
    last_year : int
        Last observed year.
    last_value : float
        Last observed value.
    horizon : int
        ``target_year - last_year``.
    median, lower, upper : float
        Predictive median and interval bounds for ``target_year``.
    level : float
        Coverage of ``lower``-``upper``.
    required_growth : float
        Constant annual growth rate taking ``last_value`` to ``target_value`` in ``horizon``
        years, e.g. 0.12 for 12 % a year.
    historical_growth : float
        Geometric mean annual growth over the history, ``exp(mean log growth) - 1``.
    n_obs : int
        Number of observations used.
    draws, seed : int
        Simulation settings.
    unit : str or None
        Unit of the series, if known.
    assumptions : str
        One-line statement of what the probability assumes.
    """

    probability: float
    probability_exact: float
    mc_se: float
    method: str
    members: tuple[str, ...]
    target_value: float
    target_year: int
    bound: Literal["ge", "le"]
    last_year: int
    last_value: float
    horizon: int
    median: float
    lower: float
    upper: float
    level: float
    required_growth: float
    historical_growth: float
    n_obs: int
    draws: int
    seed: int
    unit: str | None
    assumptions: str


def probability_target_met(
    series: pd.Series,
    target_value: float,
    target_year: int,
    method: str = "auto",
    draws: int = 10_000,
    seed: int = 0,
    bound: Literal["ge", "le"] = "ge",
    *,
    level: float = 0.9,
    **options: object,
) -> TargetOdds:
    """Probability that the value in ``target_year`` meets ``target_value``.

    "By the target year" means the value observed in ``target_year`` itself, not the
    maximum of the years up to it. The method is fitted to the logs of the whole series,
    ``draws`` values for ``target_year`` are drawn from its predictive distribution with
    ``numpy.random.default_rng(seed)`` (inverting the quantile function), and the share that
    meets the target is returned; the exact probability from the same distribution is
    returned alongside as a check.

    Parameters
    ----------
    series : pandas.Series
        Positive annual values indexed by consecutive integer years.
    target_value : float
        Target, in the series' unit; positive.
    target_year : int
        Year of the target; after the last observation.
    method : str, default "auto"
        A key of :data:`METHODS`, or ``"auto"`` for :func:`select_method` with the
        ensemble considered (all default candidates averaged) and ``horizon`` up to the target.
    draws : int, default 10000
        Number of simulated values.
    seed : int, default 0
        Seed of the random generator.
    bound : {"ge", "le"}, default "ge"
        ``"ge"`` when the target is a floor (value at least the target), ``"le"`` when it is a
        ceiling.
    level : float, default 0.9
        Coverage of the reported interval for ``target_year``.
    **options
        Extra keyword arguments for the method (e.g. ``members``, ``break_year``).

    Returns
    -------
    TargetOdds

    Raises
    ------
    ValueError
        If the target is not positive, ``target_year`` is not after the last observation,
        ``bound`` is unknown, ``draws < 1`` or the method cannot be fitted.
    """
    hist = _history(series)
    last_year, last_value = int(hist.years[-1]), float(hist.values[-1])
    if not (math.isfinite(target_value) and target_value > 0):
        raise ValueError(f"target_value must be positive and finite; got {target_value!r}")
    if int(target_year) <= last_year:
        raise ValueError(
            f"target year {target_year} is not after the last observation {last_year}; "
            "compare the observed value with the target directly"
        )
    if bound not in ("ge", "le"):
        raise ValueError(f"bound must be 'ge' or 'le'; got {bound!r}")
    if int(draws) < 1:
        raise ValueError(f"draws must be a positive integer; got {draws!r}")
    horizon = int(target_year) - last_year
    how = "given"
    if method == "auto":
        selection = select_method(series, horizon=horizon, ensemble=True, seed=seed)
        method, how = selection.method, "chosen by backtest MASE"
        if selection.members:
            options = {**options, "members": selection.members}
    result = forecast(series, method, horizon, level, seed=seed, **options)
    dist = result.distribution
    rng = np.random.default_rng(seed)
    values = dist.sample(rng, int(draws), horizon)
    hits = values >= target_value if bound == "ge" else values <= target_value
    probability = float(np.mean(hits))
    diffs = np.diff(hist.logs)
    sign = ">=" if bound == "ge" else "<="
    unit = f" {hist.unit}" if hist.unit else ""
    uncertainty = {
        "drift": "drift uncertainty included",
        "trend": "parameter uncertainty included",
        "trend_break": "parameter uncertainty included",
        "ensemble": "members' quantiles averaged",
    }.get(method, "parameters treated as known")
    assumptions = (
        f"P(value in {target_year} itself {sign} {target_value:g}{unit}) under {method} "
        f"({how}) fitted to logs of {hist.n} annual values {hist.years[0]}-{last_year}, "
        f"assuming those dynamics continue; {uncertainty}; model choice treated as known"
    )
    return TargetOdds(
        probability=probability,
        probability_exact=dist.prob(target_value, horizon, bound),
        mc_se=math.sqrt(probability * (1.0 - probability) / int(draws)),
        method=method,
        members=result.members,
        target_value=float(target_value),
        target_year=int(target_year),
        bound=bound,
        last_year=last_year,
        last_value=last_value,
        horizon=horizon,
        median=float(result.median.iloc[-1]),
        lower=float(result.lower.iloc[-1]),
        upper=float(result.upper.iloc[-1]),
        level=result.level,
        required_growth=(target_value / last_value) ** (1.0 / horizon) - 1.0,
        historical_growth=math.expm1(float(diffs.mean())),
        n_obs=hist.n,
        draws=int(draws),
        seed=int(seed),
        unit=hist.unit,
        assumptions=assumptions,
    )
