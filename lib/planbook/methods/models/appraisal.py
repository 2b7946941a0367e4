"""Investment appraisal of a yearly cash-flow schedule: NPV, IRR and payback.

Conventions, the same in every function:

- ``flows`` is a sequence (or Series) of net cash flows, one per year, in order; the first
  flow falls at time 0 and is not discounted, flow ``t`` is discounted by ``(1 + rate)^t``
  (the convention of spreadsheet ``NPV`` applied from the first flow, and of
  ``numpy_financial.npv``).
- Rates are fractions (0.08 for 8 % a year), never percent.
- Payback counts years from the first flow; flow ``t`` accrues evenly over the year that
  ends at time ``t``, so a payback period can be fractional.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import optimize

__all__ = ["discount_factors", "irr", "npv", "npv_profile", "payback"]

_MIN_RATE = -0.99
_MAX_RATE = 1_000_000.0


def _as_array(flows: Sequence[float] | pd.Series | np.ndarray) -> np.ndarray:
    values = np.asarray(flows, dtype=float)
    if values.ndim != 1 or values.size == 0:
        raise ValueError("flows must be a non-empty one-dimensional sequence of numbers")
    if not np.all(np.isfinite(values)):
        raise ValueError("flows must be finite numbers")
    return values


def discount_factors(rate: float, n: int) -> np.ndarray:
    """``(1 + rate)^-t`` for ``t = 0 .. n-1``.

    Raises
    ------
    ValueError
        If ``rate <= -1`` (the factors are undefined).
    """
    if rate <= -1:
        raise ValueError(f"rate must be greater than -1 (-100 %); got {rate!r}")
    return (1.0 + rate) ** -np.arange(n, dtype=float)


def npv(rate: float, flows: Sequence[float] | pd.Series | np.ndarray) -> float:
    """Net present value of ``flows`` at ``rate`` (first flow undiscounted).

    >>> round(npv(0.1, [-100, 60, 60]), 4)
    4.1322
    """
    values = _as_array(flows)
    return float(np.sum(values * discount_factors(rate, values.size)))


def npv_profile(
    flows: Sequence[float] | pd.Series | np.ndarray, rates: Sequence[float]
) -> pd.Series:
    """NPV of ``flows`` at each of ``rates``, indexed by rate."""
    return pd.Series(
        [npv(r, flows) for r in rates], index=pd.Index(list(rates), name="rate"), name="npv"
    )


def irr(flows: Sequence[float] | pd.Series | np.ndarray) -> float:
    """Internal rate of return: the rate at which the NPV of ``flows`` is zero.

    Searches rates from -99 % to 100 million % a year for a change of sign of the NPV and
    refines it with Brent's method. When the NPV changes sign more than once (flows whose
    sign changes several times can have several IRRs), the lowest root is returned.

    Returns
    -------
    float
        The IRR as a fraction, or ``nan`` when none exists: all flows of one sign (no
        change of sign, so the NPV never crosses zero) or no root in the searched range.
    """
    values = _as_array(flows)
    nonzero = values[values != 0]
    if nonzero.size == 0 or np.all(nonzero > 0) or np.all(nonzero < 0):
        return math.nan
    # A grid even in log(1 + rate): dense near zero, sparse far out; NPVs in one product.
    log_grid = np.linspace(math.log1p(_MIN_RATE), math.log1p(_MAX_RATE), 4001)
    grid = np.expm1(log_grid)
    values_at = np.exp(-np.outer(log_grid, np.arange(values.size))) @ values
    signs = np.sign(values_at)
    exact = np.flatnonzero(signs == 0)
    crossings = np.flatnonzero(signs[:-1] * signs[1:] < 0)
    candidates = [float(grid[i]) for i in exact]
    if crossings.size:
        i = int(crossings[0])
        candidates.append(optimize.brentq(lambda r: npv(r, values), grid[i], grid[i + 1]))
    return min(candidates) if candidates else math.nan


def payback(flows: Sequence[float] | pd.Series | np.ndarray, rate: float | None = None) -> float:
    """Years until the cumulative (optionally discounted) cash flow turns non-negative for good.

    Parameters
    ----------
    flows
        Net cash flows by year, the first one at time 0 (as in :func:`npv`).
    rate
        Discount rate (fraction) for a discounted payback; ``None`` for the simple one.

    Returns
    -------
    float
        Years after the first flow until the cumulative flow reaches zero for the last time
        (after which it stays at or above zero), each flow ``t`` accruing evenly over the
        year up to time ``t``: ``0.0`` if the cumulative flow is never negative, ``nan`` if
        it is negative after the last flow.
    """
    values = _as_array(flows)
    if rate is not None:
        values = values * discount_factors(rate, values.size)
    cumulative = np.cumsum(values)
    slack = 1e-9 * max(1.0, float(np.max(np.abs(values))))
    negative = np.flatnonzero(cumulative < -slack)
    if negative.size == 0:
        return 0.0
    last = int(negative[-1])
    if last == values.size - 1:
        return math.nan
    return float(last + min(1.0, -cumulative[last] / values[last + 1]))
