"""Glide paths: the month-by-month values a tracking dashboard expects on the way to a target.

A plan states a baseline, a target and a deadline; a dashboard needs a value for every
month in between. Two shapes are offered:

- ``linear``: equal steps, ``b + (t - b) * m / T``;
- ``geometric``: equal percentage steps, ``b * (t / b) ** (m / T)`` (baseline and target
  must be positive; a geometric path never reaches zero).

After the deadline the path stays at the target. A recurring KPI (a level the plan
checks every month or week) is then compared with the path month by month.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

Shape = Literal["linear", "geometric"]
SHAPES: tuple[str, ...] = ("linear", "geometric")


def fraction_of_path(
    baseline: float, target: float, elapsed: float, total: float, shape: Shape = "linear"
) -> float:
    """Value reached after ``elapsed`` of ``total`` time units on a path.

    Parameters
    ----------
    baseline, target
        Start and end values.
    elapsed, total
        Time elapsed and time to the deadline, in the same unit; ``elapsed`` is clipped
        to ``[0, total]`` (before the start: the baseline; after the deadline: the target).
    shape
        ``"linear"`` or ``"geometric"``.

    Raises
    ------
    ValueError
        For an unknown shape, a non-positive ``total``, or a geometric path whose
        baseline or target is not positive.
    """
    _check(baseline, target, total, shape)
    share = min(max(elapsed / total, 0.0), 1.0)
    if shape == "linear":
        return baseline + (target - baseline) * share
    return baseline * (target / baseline) ** share


def path(
    baseline: float,
    target: float,
    deadline: int,
    shape: Shape = "linear",
    horizon: int | None = None,
) -> pd.Series:
    """The path's value at every period from 0 (the baseline) to ``horizon``.

    Parameters
    ----------
    baseline, target
        Start and end values.
    deadline
        Period (e.g. month) at which the target is due; at least 1.
    shape
        ``"linear"`` or ``"geometric"``.
    horizon
        Last period shown (default: the deadline); after the deadline the path holds
        the target.

    Returns
    -------
    pandas.Series
        Indexed by period (``RangeIndex`` named ``month``).
    """
    if deadline < 1:
        raise ValueError(f"deadline must be at least 1 period, got {deadline}")
    horizon = deadline if horizon is None else horizon
    if horizon < 0:
        raise ValueError(f"horizon must not be negative, got {horizon}")
    _check(baseline, target, float(deadline), shape)
    months = np.arange(horizon + 1)
    share = np.minimum(months / deadline, 1.0)
    if shape == "linear":
        values = baseline + (target - baseline) * share
    else:
        values = baseline * (target / baseline) ** share
    return pd.Series(values, index=pd.RangeIndex(horizon + 1, name="month"), name="path")


def step(baseline: float, target: float, periods: float, shape: Shape = "linear") -> float:
    """The path's step per period: in the value's unit (linear) or in percent (geometric)."""
    _check(baseline, target, periods, shape)
    if shape == "linear":
        return (target - baseline) / periods
    return ((target / baseline) ** (1.0 / periods) - 1.0) * 100.0


def compare_kpi(
    glide: pd.Series, kpi: float, lower_is_better: bool, tolerance_pct: float
) -> pd.DataFrame:
    """Compare a fixed KPI level with a path, period by period.

    Parameters
    ----------
    glide
        The path (from :func:`path`); period 0, the baseline, is left out.
    kpi
        The KPI level the plan checks every period.
    lower_is_better
        True for costs, days and loss rates: a KPI below the path asks for more.
    tolerance_pct
        A KPI within this relative distance of the path (percent of the path's value)
        agrees with it.

    Returns
    -------
    pandas.DataFrame
        One row per period: ``path``, ``kpi``, ``gap_pct`` (KPI relative to the path,
        percent), ``agrees`` and ``stance`` (``"agrees"``, ``"stricter"``: the KPI asks
        for more than the path, ``"looser"``: for less).
    """
    if tolerance_pct < 0:
        raise ValueError(f"tolerance_pct must not be negative, got {tolerance_pct}")
    values = glide.iloc[1:]
    gap = (kpi - values) / values.abs() * 100.0
    agrees = gap.abs() <= tolerance_pct + 1e-9
    asks_more = gap < 0 if lower_is_better else gap > 0
    stance = np.where(agrees, "agrees", np.where(asks_more, "stricter", "looser"))
    return pd.DataFrame(
        {"path": values, "kpi": float(kpi), "gap_pct": gap, "agrees": agrees, "stance": stance}
    )


def _check(baseline: float, target: float, total: float, shape: str) -> None:
    if shape not in SHAPES:
        raise ValueError(f"unknown path shape {shape!r}; use one of: {', '.join(SHAPES)}")
    if not total > 0:
        raise ValueError(f"the time to the deadline must be positive, got {total}")
    if shape == "geometric" and (baseline <= 0 or target <= 0):
        raise ValueError(
            "a geometric path needs a positive baseline and target "
            f"(got {baseline} and {target}); use the linear shape"
        )


__all__ = ["SHAPES", "Shape", "compare_kpi", "fraction_of_path", "path", "step"]
