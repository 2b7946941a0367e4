"""Checked inputs of the forecasting methods: an annual series, a horizon, a level.

Every method works on the natural logarithm of a positive annual series indexed by
consecutive integer years; :func:`as_history` checks that and sorts the series by year.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd
from statsmodels.tools.sm_exceptions import ModelWarning

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


@dataclass(frozen=True, eq=False)
class History:
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


def as_history(series: pd.Series) -> History:
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
    return History(years=years, values=values, unit=None if unit is None else str(unit))


def require(hist: History, method: str, label: str) -> None:
    """Refuse a series shorter than :data:`MIN_OBS` of ``method`` (``label`` names it)."""
    need = MIN_OBS[method]
    if hist.n < need:
        raise ValueError(f"{label} needs at least {need} observations; got {hist.n}")


def check_horizon(horizon: int) -> int:
    """``horizon`` as an int, if it is a positive integer."""
    if isinstance(horizon, bool) or not isinstance(horizon, int | np.integer) or horizon < 1:
        raise ValueError(f"horizon must be a positive integer; got {horizon!r}")
    return int(horizon)


def check_level(level: float) -> float:
    """``level`` as a float, if it is strictly between 0 and 1."""
    if not 0.0 < float(level) < 1.0:
        raise ValueError(f"level must be between 0 and 1, e.g. 0.8; got {level!r}")
    return float(level)


@contextmanager
def quiet() -> Iterator[None]:
    """Silence statsmodels' model warnings and numpy's runtime warnings, locally."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ModelWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


#: Names of the methods in error messages.
LABELS: Mapping[str, str] = MappingProxyType(
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


def prepare(
    series: pd.Series, name: str, horizon: int, level: float
) -> tuple[History, int, float, np.ndarray]:
    """Validate a method's inputs: the history, horizon, level and steps ``1..horizon``."""
    hist = as_history(series)
    require(hist, name, LABELS[name])
    horizon, level = check_horizon(horizon), check_level(level)
    return hist, horizon, level, np.arange(1, horizon + 1)
