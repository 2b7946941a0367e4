"""Growth against a ceiling: a compounding path, a logistic path, and when one meets the other.

A quantity ``start`` growing at a constant ``rate`` (percent a year) follows

    compound(t) = start * (1 + rate / 100) ** t

and crosses a ceiling ``K`` after ``ln(K / start) / ln(1 + rate / 100)`` years. A
logistic path with the same intrinsic growth rate ``lam = ln(1 + rate / 100)`` (the rate it
grows at while far below the ceiling) and the same start bends towards the ceiling and
never crosses it:

    logistic(t) = K / (1 + (K / start - 1) * exp(-lam * t))

Time ``t`` is in years from the base year; values are in whatever unit ``start`` and
``ceiling`` share.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from planbook.errors import InputError

__all__ = [
    "compound_path",
    "crossing_time",
    "logistic_path",
    "logistic_time_to_share",
    "paths",
]


def _check(start: float, rate_pct: float, ceiling: float | None = None) -> None:
    if not (math.isfinite(start) and start > 0):
        raise InputError(f"saturation: start must be a positive number (got {start!r})")
    if not (math.isfinite(rate_pct) and rate_pct > -100):
        raise InputError(
            f"saturation: rate_pct is a yearly rate in percent above -100 (got {rate_pct!r})"
        )
    if ceiling is not None and not (math.isfinite(ceiling) and ceiling > 0):
        raise InputError(f"saturation: ceiling must be a positive number (got {ceiling!r})")


def compound_path(start: float, rate_pct: float, t: np.ndarray | list[float]) -> np.ndarray:
    """Values of constant growth at ``rate_pct`` a year, ``t`` years after the start."""
    _check(start, rate_pct)
    return start * (1.0 + rate_pct / 100.0) ** np.asarray(t, dtype=float)


def logistic_path(
    start: float, rate_pct: float, ceiling: float, t: np.ndarray | list[float]
) -> np.ndarray:
    """Logistic growth from ``start`` towards ``ceiling`` with intrinsic rate ``ln(1 + rate)``.

    Raises
    ------
    InputError
        If the ceiling is not above the start (the logistic path needs room to grow) or
        the rate is not positive.
    """
    _check(start, rate_pct, ceiling)
    if ceiling <= start:
        raise InputError(
            f"saturation: the ceiling ({ceiling:g}) must be above the starting value "
            f"({start:g}); raise the ceiling"
        )
    if rate_pct <= 0:
        raise InputError(f"saturation: the logistic path needs a positive rate (got {rate_pct!r})")
    lam = math.log1p(rate_pct / 100.0)
    return ceiling / (1.0 + (ceiling / start - 1.0) * np.exp(-lam * np.asarray(t, dtype=float)))


def crossing_time(start: float, rate_pct: float, ceiling: float) -> float:
    """Years until constant growth at ``rate_pct`` reaches ``ceiling``.

    Returns
    -------
    float
        0 if ``start`` is already at or above the ceiling; ``inf`` if the rate is not
        positive and the start is below it.
    """
    _check(start, rate_pct, ceiling)
    if start >= ceiling:
        return 0.0
    if rate_pct <= 0:
        return math.inf
    return math.log(ceiling / start) / math.log1p(rate_pct / 100.0)


def logistic_time_to_share(start: float, rate_pct: float, ceiling: float, share: float) -> float:
    """Years until the logistic path reaches ``share`` (a fraction, 0 to 1) of the ceiling.

    Returns 0 when the start is already at that share.
    """
    _check(start, rate_pct, ceiling)
    if not 0 < share < 1:
        raise InputError(
            f"saturation: share is a fraction strictly between 0 and 1 (got {share!r})"
        )
    if ceiling <= start:
        raise InputError(
            f"saturation: the ceiling ({ceiling:g}) must be above the starting value ({start:g})"
        )
    if rate_pct <= 0:
        raise InputError(f"saturation: the logistic path needs a positive rate (got {rate_pct!r})")
    if start >= share * ceiling:
        return 0.0
    lam = math.log1p(rate_pct / 100.0)
    return math.log((ceiling / start - 1.0) / (1.0 / share - 1.0)) / lam


def paths(
    start: float,
    rate_pct: float,
    ceiling: float,
    base_year: int,
    years: int,
    steps_per_year: int = 1,
) -> pd.DataFrame:
    """The compounding and logistic paths side by side, with the ceiling.

    Parameters
    ----------
    start
        Value in ``base_year``.
    rate_pct
        Annual growth rate, percent.
    ceiling
        The level neither path should exceed.
    base_year
        Calendar year of ``start``.
    years
        Number of years to run; at least 1.
    steps_per_year
        Points per year (1: one per calendar year; more for smooth charts).

    Returns
    -------
    pandas.DataFrame
        Columns ``t`` (years from the base), ``year`` (calendar, fractional between whole
        years), ``compound``, ``logistic``, ``ceiling``, ``compound_share`` and
        ``logistic_share`` (percent of the ceiling).
    """
    if int(years) < 1 or int(steps_per_year) < 1:
        raise InputError("saturation: years and steps_per_year must be at least 1")
    t = np.linspace(0.0, float(years), int(years) * int(steps_per_year) + 1)
    compound = compound_path(start, rate_pct, t)
    logistic = logistic_path(start, rate_pct, ceiling, t)
    return pd.DataFrame(
        {
            "t": t,
            "year": base_year + t,
            "compound": compound,
            "logistic": logistic,
            "ceiling": ceiling,
            "compound_share": compound / ceiling * 100.0,
            "logistic_share": logistic / ceiling * 100.0,
        }
    )
