"""The probability that a series meets a plan target in the target year, and its wording.

:func:`odds_from_forecast` simulates the value in the target year from a forecast's
predictive distribution (the book passes calibrated ones) with an explicit seed, and returns
the share of draws that meet the target together with the exact probability;
:func:`probability_target_met` fits a method first. :func:`probability_text` words a
probability with the precision it deserves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from planbook.methods.forecast.inputs import as_history
from planbook.methods.forecast.registry import forecast
from planbook.methods.forecast.result import ForecastResult
from planbook.methods.forecast.selection import select_method

#: Below this probability (and above one minus it) the book prints a band, not a number.
BAND = 0.01


def probability_text(probability: float, mc_se: float | None = None) -> str:
    """A probability worded with the precision it deserves.

    Below 1% it is ``"under 1%"`` and above 99% ``"over 99%"``: the models behind it
    cannot tell 0.1% from 0.01%. In between, two significant digits (``"23%"``,
    ``"4.5%"``), and, when ``mc_se`` is given, the Monte Carlo standard error in
    percentage points (``"23% (Monte Carlo error 0.4 points)"``).

    >>> probability_text(0.0018), probability_text(0.2345), probability_text(0.045, 0.002)
    ('under 1%', '23%', '4.5% (Monte Carlo error 0.2 points)')
    >>> probability_text(0.9995), probability_text(1.0)
    ('over 99%', 'over 99%')
    """
    p = float(probability)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"a probability lies between 0 and 1; got {probability!r}")
    if p < BAND:
        return "under 1%"
    if p > 1.0 - BAND:
        return "over 99%"
    rounded = float(f"{p * 100:.2g}")  # two significant digits
    text = f"{rounded:.0f}%" if rounded >= 10 else f"{rounded:.1f}%"
    if mc_se is not None:
        text += f" (Monte Carlo error {mc_se * 100:.1g} points)"
    return text


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
    text : str
        ``probability`` worded by :func:`probability_text` (a band below 1% or above 99%,
        otherwise two significant digits).
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
    text: str
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
    hist = as_history(series)
    last_year = int(hist.years[-1])
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
    return odds_from_forecast(result, series, target_value, target_year, bound, draws, seed, how)


_UNCERTAINTY = {
    "drift": "drift uncertainty included",
    "trend": "parameter uncertainty included",
    "trend_break": "parameter uncertainty included",
    "ensemble": "members' quantiles averaged",
}


def odds_from_forecast(
    result: ForecastResult,
    series: pd.Series,
    target_value: float,
    target_year: int,
    bound: Literal["ge", "le"] = "ge",
    draws: int = 10_000,
    seed: int = 0,
    how: str = "given",
) -> TargetOdds:
    """Probability that the value in ``target_year`` meets the target, under ``result``.

    ``draws`` values for ``target_year`` are drawn from ``result``'s predictive distribution
    (calibrated or not) with ``numpy.random.default_rng(seed)``; the share that meets the
    target is the probability, worded by :func:`probability_text`.

    Parameters
    ----------
    result : ForecastResult
        A forecast of ``series`` whose years include ``target_year``.
    series : pandas.Series
        The history ``result`` was fitted to.
    target_value, target_year, bound, draws, seed
        As in :func:`probability_target_met`.
    how : str, default "given"
        How the method was chosen, for :attr:`TargetOdds.assumptions`.
    """
    hist = as_history(series)
    last_year, last_value = int(hist.years[-1]), float(hist.values[-1])
    if not (math.isfinite(target_value) and target_value > 0):
        raise ValueError(f"target_value must be positive and finite; got {target_value!r}")
    if int(target_year) not in result.years:
        raise ValueError(f"the forecast covers {result.years}, not the target year {target_year}")
    if bound not in ("ge", "le"):
        raise ValueError(f"bound must be 'ge' or 'le'; got {bound!r}")
    if int(draws) < 1:
        raise ValueError(f"draws must be a positive integer; got {draws!r}")
    horizon = int(target_year) - last_year
    method = result.method
    dist = result.distribution
    rng = np.random.default_rng(seed)
    values = dist.sample(rng, int(draws), horizon)
    hits = values >= target_value if bound == "ge" else values <= target_value
    probability = float(np.mean(hits))
    mc_se = math.sqrt(probability * (1.0 - probability) / int(draws))
    diffs = np.diff(hist.logs)
    sign = ">=" if bound == "ge" else "<="
    unit = f" {hist.unit}" if hist.unit else ""
    uncertainty = _UNCERTAINTY.get(method, "parameters treated as known")
    if dist.spread != 1.0:
        uncertainty += f"; interval calibrated on backtest errors (x {dist.spread:.2f})"
    assumptions = (
        f"P(value in {target_year} itself {sign} {target_value:g}{unit}) under {method} "
        f"({how}) fitted to logs of {hist.n} annual values {hist.years[0]}-{last_year}, "
        f"assuming those dynamics continue; {uncertainty}; model choice treated as known"
    )
    return TargetOdds(
        probability=probability,
        probability_exact=dist.prob(target_value, horizon, bound),
        mc_se=mc_se,
        text=probability_text(probability, mc_se),
        method=method,
        members=result.members,
        target_value=float(target_value),
        target_year=int(target_year),
        bound=bound,
        last_year=last_year,
        last_value=last_value,
        horizon=horizon,
        median=float(result.median.loc[int(target_year)]),
        lower=float(result.lower.loc[int(target_year)]),
        upper=float(result.upper.loc[int(target_year)]),
        level=result.level,
        required_growth=(target_value / last_value) ** (1.0 / horizon) - 1.0,
        historical_growth=math.expm1(float(diffs.mean())),
        n_obs=hist.n,
        draws=int(draws),
        seed=int(seed),
        unit=hist.unit,
        assumptions=assumptions,
    )
