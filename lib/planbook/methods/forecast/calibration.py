"""Prediction intervals calibrated on backtest errors.

The intervals of the fitted models treat their parameters as known, and every method
assumes that the future moves like the past; on short, slowing series both make intervals
too narrow. Calibration corrects the width with the methods' own backtest record.

Each backtest forecast is turned into a *normal score*: the standard normal quantile of the
probability the method gave to the outcome (``(log y - loc) / scale`` for a normal
predictive). A well-calibrated method's scores are standard normal. The calibration
factor of a method is

    ``c = q_0.85(|score|) / z_0.925``,

the 85% quantile of the absolute scores over the 85% quantile of ``|N(0, 1)|`` (1.44),
pooled over every series and step ahead it was backtested on. The calibrated distribution
stretches the method's normal scores by ``c`` (:meth:`Predictive.calibrated`): a normal
predictive keeps its median and has its scale multiplied by ``c``, so its 80% and 90%
intervals are ``c`` times as wide on the log scale. The level 85% sits between the two
intervals the book shows.

:func:`spread_factors` gives the factors; :func:`calibrated` applies one to a forecast;
:func:`cross_validated_coverage` checks them: each backtest interval is calibrated with
the factor estimated from the *other* target years (leave one year out), so no forecast
calibrates itself, and its coverage is counted.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from planbook.methods.forecast.result import ForecastResult

#: Level at which the absolute normal scores are matched.
CALIBRATION_LEVEL = 0.85

#: Fewest backtest errors a factor rests on; with fewer, the method's pooled factor is used.
MIN_ERRORS = 5

#: Smallest factor: a few lucky backtest forecasts never narrow an interval below half its
#: fitted width.
MIN_FACTOR = 0.5

#: Interval levels whose coverage is checked.
LEVELS: tuple[float, ...] = (0.8, 0.9)

#: Label of the factor pooled over all methods.
ALL_METHODS = "all methods"


def spread_factor(scores: Sequence[float] | np.ndarray) -> float:
    """The calibration factor of a set of normal scores (see the module docstring).

    At least :data:`MIN_FACTOR`; NaN for fewer than :data:`MIN_ERRORS` finite scores.

    >>> round(spread_factor([-2.0, 1.0, 0.5, -0.2, 3.0, 1.5, -1.0]), 3)  # 2.1 / 1.4395
    1.459
    """
    a = np.abs(np.asarray(scores, dtype=float))
    a = a[np.isfinite(a)]
    if a.size < MIN_ERRORS:
        return math.nan
    q = float(np.quantile(a, CALIBRATION_LEVEL))
    return max(MIN_FACTOR, q / float(stats.norm.ppf(0.5 + CALIBRATION_LEVEL / 2)))


def spread_factors(rows: pd.DataFrame) -> pd.DataFrame:
    """Calibration factor of each method, pooled over series and steps, and of all methods.

    Parameters
    ----------
    rows : pandas.DataFrame
        Scored backtest rows (columns ``method`` and ``score``), e.g. the ``rows`` of
        :class:`~planbook.methods.forecast.nested.SeriesBacktest` for several series.

    Returns
    -------
    pandas.DataFrame
        Indexed by method (and :data:`ALL_METHODS`): ``n`` (errors) and ``factor``. A method
        with fewer than :data:`MIN_ERRORS` errors gets the pooled factor.
    """
    pooled = spread_factor(rows["score"])
    table = rows.groupby("method", sort=True)["score"].agg(["size", spread_factor])
    table.columns = ["n", "factor"]
    table["factor"] = table["factor"].fillna(pooled)
    table.loc[ALL_METHODS] = [len(rows), pooled]
    table["n"] = table["n"].astype(int)
    return table


def factor_for(factors: pd.DataFrame, method: str) -> tuple[float, str]:
    """The factor of ``method`` (the pooled one if it was not backtested) and what it rests on.

    With too few backtest errors to calibrate at all, the factor is 1 (the interval as
    fitted) and the text says so.
    """
    name = method if method in factors.index and method != ALL_METHODS else ALL_METHODS
    row = factors.loc[name]
    if not math.isfinite(float(row["factor"])):
        return 1.0, "too few backtest errors to calibrate; interval as fitted"
    what = method if name == method else "all methods"
    return float(row["factor"]), f"{int(row['n'])} backtest errors of {what}"


def calibrated(result: ForecastResult, factor: float, rests_on: str = "") -> ForecastResult:
    """``result`` with its predictive distribution calibrated by ``factor``.

    The median is unchanged; the interval bounds are recomputed at the result's level.
    """
    dist = result.distribution.calibrated(factor)
    tail = (1.0 - result.level) / 2.0
    index = result.median.index
    note = f"interval calibrated on backtest errors: normal scores x {factor:.2f}"
    return dataclasses.replace(
        result,
        lower=pd.Series(dist.quantile(tail), index=index, name="lower"),
        upper=pd.Series(dist.quantile(1.0 - tail), index=index, name="upper"),
        notes=(*result.notes, f"{note} ({rests_on})" if rests_on else note),
        distribution=dist,
    )


def cross_validated_coverage(rows: pd.DataFrame, levels: Sequence[float] = LEVELS) -> pd.DataFrame:
    """Coverage of each backtest interval, as fitted and calibrated leaving its year out.

    For each row the factor of its method is estimated from the rows of the other target
    years (all series); the row's interval at each level is then
    ``|score| <= factor * z_{(1 + level) / 2}``.

    Parameters
    ----------
    rows : pandas.DataFrame
        Scored backtest rows of several series (``series, method, year, score``).
    levels : sequence of float, default LEVELS
        Interval levels.

    Returns
    -------
    pandas.DataFrame
        The rows' ``series, method, origin, horizon, year, score``, the ``factor`` used,
        and for each level ``L`` (as a percentage, e.g. 80) boolean columns ``raw_L``
        (inside the interval as fitted) and ``cal_L`` (inside the calibrated interval).
    """
    keep = ["series", "method", "origin", "horizon", "year", "score"]
    out = rows[keep].copy().reset_index(drop=True)
    factors = np.full(len(out), np.nan)
    for year in out["year"].unique():
        here = (out["year"] == year).to_numpy()
        table = spread_factors(out.loc[~here])
        for method in out.loc[here, "method"].unique():
            at = here & (out["method"] == method).to_numpy()
            factors[at] = factor_for(table, str(method))[0]
    out["factor"] = factors
    size = out["score"].abs().to_numpy()
    for level in levels:
        z = float(stats.norm.ppf(0.5 + level / 2))
        pct = round(level * 100)
        out[f"raw_{pct}"] = size <= z
        out[f"cal_{pct}"] = size <= out["factor"].to_numpy() * z
    return out


def coverage_table(cv: pd.DataFrame, by: str = "series") -> pd.DataFrame:
    """Share of outcomes inside the intervals, per ``by`` and pooled (last row ``"all"``).

    Parameters
    ----------
    cv : pandas.DataFrame
        Output of :func:`cross_validated_coverage`.
    by : str, default "series"
        Column to group by (``"series"`` or ``"method"``).

    Returns
    -------
    pandas.DataFrame
        Columns ``by``, ``n`` and, for each level, ``raw_L`` and ``cal_L`` as fractions.
    """
    shares = [c for c in cv.columns if c.startswith(("raw_", "cal_"))]
    grouped = cv.groupby(by, sort=False)
    table = grouped[shares].mean()
    table.insert(0, "n", grouped.size())
    total = pd.DataFrame([[len(cv), *cv[shares].mean()]], columns=["n", *shares], index=["all"])
    table = pd.concat([table, total])
    table.index.name = by
    table["n"] = table["n"].astype(int)
    return table.reset_index()


__all__ = [
    "ALL_METHODS",
    "CALIBRATION_LEVEL",
    "LEVELS",
    "MIN_ERRORS",
    "MIN_FACTOR",
    "calibrated",
    "coverage_table",
    "cross_validated_coverage",
    "factor_for",
    "spread_factor",
    "spread_factors",
]
