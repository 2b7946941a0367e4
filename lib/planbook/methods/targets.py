"""Targets against the data: how likely the plan's targets are on the official trend.

The plan sets a few targets that an official series can speak to: the market size three
years out (plan 8.1: a GMV level and a GMV growth rate) and the number of
lower-tier users (plans 3.1 and 6.2). For each, :func:`targets_against_data` forecasts the
official series to the target year and reports the probability that the target is met,
together with the growth the target requires and the growth the history delivered.

The plan states horizons relative to "now" ("within three years"); ``plan_base_year``
fixes "now" (default 2023, the plan's last data year), so a three-year target falls in
``plan_base_year + 3``.

A target is read against its series in one of three ways (:class:`TargetSpec`):

``level``
    The target is a level of the series itself (GMV = e-commerce transaction volume).
``cagr``
    A growth rate over the horizon, applied to the plan's own baseline for the same
    concept (its "current" GMV) to give a level.
``proxy_growth``
    The plan's figure has no official counterpart, but a wider official series contains
    it (lower-tier users are part of all online shoppers). The target is turned into the
    growth it asks for over the plan's own baseline (a level target: target / baseline; a
    growth rate: (1 + rate) ** years), and that growth is applied to the official series
    from ``plan_base_year``. This assumes the part keeps its share of the whole.

The plan's other targets that touch official statistics have none behind them: it sets
no target for the online share of retail, cross-border e-commerce or express parcels
(its cross-border figures are shares of its own revenue), and CNNIC publishes no count
of elderly or lower-tier users (:data:`NO_TARGET`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from planbook.data.amounts import said, scaled
from planbook.data.periods import parse_period
from planbook.data.plan import convert
from planbook.errors import InputError
from planbook.methods import forecast as F

__all__ = [
    "COLUMNS",
    "NO_TARGET",
    "TARGETS",
    "TargetSpec",
    "assess",
    "horizon_years",
    "targets_against_data",
]

#: Claims-table unit that stands for each official unit in :func:`planbook.data.plan.convert`.
CLAIM_UNIT = {
    "trillion_yuan": "trillion_yuan",
    "100m_yuan": "100m_yuan",
    "100m_persons": "100m_count",
    "100m_parcels": "100m_count",
    "percent": "percent",
}

#: Words for units in descriptions.
UNIT_WORDS = {
    "trillion_yuan": "trillion yuan",
    "100m_yuan": "hundred million yuan",
    "100m_count": "hundred million",
    "100m_persons": "hundred million people",
    "100m_parcels": "hundred million parcels",
    "percent": "%",
}

COLUMNS: tuple[str, ...] = (
    "target_id",
    "metric",
    "description",
    "series",
    "unit",
    "baseline_year",
    "baseline_value",
    "target_year",
    "target_value",
    "bound",
    "forecast_median",
    "forecast_lower",
    "forecast_upper",
    "probability",
    "probability_text",
    "mc_se",
    "required_growth_pct",
    "historical_growth_pct",
    "n_obs",
    "method",
    "note",
)
"""Columns of :func:`targets_against_data`, in order."""


@dataclass(frozen=True)
class TargetSpec:
    """How the plan's targets of one metric are read against an official series.

    Attributes
    ----------
    metric : str
        Metric of the target claims (``kind == "target"``).
    series : str
        Key of :data:`planbook.methods.forecast.SERIES`.
    reading : {"level", "cagr", "proxy_growth"}
        See the module docstring.
    what : str
        Short English name of the quantity, for descriptions ("GMV", "lower-tier users").
    baseline_metric : str or None
        Metric of the plan's own "now" figure (kind ``actual``; the latest is used) for
        ``cagr`` and ``proxy_growth`` readings.
    """

    metric: str
    series: str
    reading: Literal["level", "cagr", "proxy_growth"]
    what: str
    baseline_metric: str | None = None


TARGETS: tuple[TargetSpec, ...] = (
    TargetSpec("gmv", "ecommerce_transaction_volume", "level", "GMV"),
    TargetSpec("gmv_cagr", "ecommerce_transaction_volume", "cagr", "GMV", "gmv"),
    TargetSpec(
        "lower_tier_users",
        "online_shoppers",
        "proxy_growth",
        "lower-tier users",
        "lower_tier_users",
    ),
    TargetSpec(
        "lower_tier_users_cagr",
        "online_shoppers",
        "proxy_growth",
        "lower-tier users",
        "lower_tier_users",
    ),
)
"""The target metrics with an official series behind them."""

NO_TARGET: Mapping[str, str] = {
    "online_share_of_retail": "the plan sets no target for the online share of retail",
    "cross_border_ecommerce": "the plan's cross-border targets are shares of its own revenue "
    "and counts of markets, not the size of cross-border e-commerce",
    "express_parcels": "the plan sets no target for parcel volumes",
    "online_retail_sales": "the plan's market-size target is GMV (transaction volume), "
    "not online retail",
}
"""Official series the plan sets no target for, and why."""


def horizon_years(period: str) -> int | None:
    """Years from "now" to the end of a relative horizon, rounded up to whole years; None if
    it has none or is open-ended (:attr:`planbook.data.periods.Period.whole_years`).

    >>> [horizon_years(p) for p in ("3 years", "12 months", "year 2", "months 19-36")]
    [3, 1, 2, 3]
    >>> horizon_years("unspecified") is None
    True
    """
    return parse_period(period).whole_years


def _bound(claim_bound: object) -> Literal["ge", "le"]:
    return "le" if claim_bound in ("lt", "le") else "ge"


def _bound_words(claim_bound: object) -> str:
    return {"gt": "more than ", "ge": "at least ", "lt": "less than ", "le": "at most "}.get(
        str(claim_bound), ""
    )


def _plan_baseline(claims: pd.DataFrame, metric: str) -> pd.Series:
    """The plan's latest reported figure of ``metric``: ``current``, else the latest year."""
    rows = claims[(claims["metric"] == metric) & (claims["kind"] == "actual")]
    if rows.empty:
        raise InputError(f"claims.csv has no actual {metric!r} figure to serve as the baseline")
    year = pd.to_numeric(rows["period"], errors="coerce")
    year = year.where(rows["period"] != "current", np.inf).fillna(-np.inf)
    return rows.assign(_year=year).sort_values("_year", kind="stable").iloc[-1]


def assess(
    series: pd.Series,
    target_value: float,
    target_year: int,
    bound: Literal["ge", "le"] = "ge",
    *,
    level: float = 0.9,
    method: str = "auto",
    backtest_window: int | None = F.DEFAULT_MIN_TRAIN,
    draws: int = 10_000,
    seed: int = 0,
    evaluation: F.Evaluation | None = None,
    key: str | None = None,
) -> dict[str, object]:
    """Forecast ``series`` to ``target_year`` and the probability that the target is met.

    The forecast is the book's (:func:`planbook.methods.forecast.official_forecast`: the
    method chosen by the nested evaluation, the interval calibrated) and the probability is
    :func:`planbook.methods.forecast.target_odds`, so every page that shows a target's odds
    shows the same number. Where ``target_year`` is already observed, the observed value
    decides (probability 0 or 1, method ``"observed"``).

    Parameters
    ----------
    series : pandas.Series
        Positive annual values indexed by consecutive integer years.
    target_value : float
        The target, in the series' unit.
    target_year : int
        Year whose value is compared with the target.
    bound : {"ge", "le"}, default "ge"
        Met when the value is at least (``ge``) or at most (``le``) the target.
    level : float, default 0.9
        Coverage of the reported interval.
    method : str, default "auto"
        ``"auto"`` (the nested evaluation's choice) or a key of
        :data:`planbook.methods.forecast.METHODS`; a method the series is too short for
        falls back to ``"auto"``.
    backtest_window : int or None, default DEFAULT_MIN_TRAIN
        First training window of the backtest, in years (shortened for short series); used
        only when ``evaluation`` is not given.
    draws : int, default 10000
        Simulated values for the probability.
    seed : int, default 0
        Seed of the simulation.
    evaluation : Evaluation, optional
        An evaluation that holds ``series`` under ``key``; default: one of ``series`` alone.
    key : str, optional
        The series' key in ``evaluation``; default ``series.attrs['key']`` or ``"series"``.

    Returns
    -------
    dict
        ``baseline_year, baseline_value, forecast_median, forecast_lower, forecast_upper,
        probability, probability_text, mc_se, required_growth_pct, historical_growth_pct,
        n_obs, method, method_note``.
    """
    target_year = int(target_year)
    last_year = int(series.index.max())
    if target_year <= last_year:
        history = series.loc[: target_year - 1]
        observed = float(series.loc[target_year])
        met = observed >= target_value if bound == "ge" else observed <= target_value
        base_year, base_value = int(history.index.max()), float(history.iloc[-1])
        diffs = np.diff(np.log(history.to_numpy(dtype=float)))
        return {
            "baseline_year": base_year,
            "baseline_value": base_value,
            "forecast_median": observed,
            "forecast_lower": observed,
            "forecast_upper": observed,
            "probability": float(met),
            "probability_text": "observed: met" if met else "observed: not met",
            "mc_se": 0.0,
            "required_growth_pct": _growth_pct(base_value, target_value, target_year - base_year),
            "historical_growth_pct": math.expm1(float(diffs.mean())) * 100,
            "n_obs": len(history),
            "method": "observed",
            "method_note": f"the official {target_year} figure ({observed:g}) is known",
        }
    name = str(key or series.attrs.get("key") or "series")
    if evaluation is None:
        window = F.DEFAULT_MIN_TRAIN if backtest_window is None else int(backtest_window)
        evaluation = F.evaluate({name: series}, min_train=window, horizon=F.BACKTEST_HORIZON)
    official = F.official_forecast(evaluation, name, target_year, level, method)
    odds = F.target_odds(official, target_value, target_year, bound, draws, seed)
    return {
        "baseline_year": odds.last_year,
        "baseline_value": odds.last_value,
        "forecast_median": odds.median,
        "forecast_lower": odds.lower,
        "forecast_upper": odds.upper,
        "probability": odds.probability,
        "probability_text": odds.text,
        "mc_se": odds.mc_se,
        "required_growth_pct": odds.required_growth * 100,
        "historical_growth_pct": odds.historical_growth * 100,
        "n_obs": odds.n_obs,
        "method": odds.method,
        "method_note": official.how,
    }


def _series_label(data: pd.Series, key: str) -> str:
    """The series' label with its basis (published levels, chain-linked index ...) where
    its attrs say it (:func:`planbook.methods.forecast.basis_label`)."""
    label = str(data.attrs.get("label", key))
    known = "basis" in data.attrs or "measure" in data.attrs
    return F.basis_label(label, data) if known else label


def _growth_pct(start: float, end: float, years: int) -> float:
    return ((end / start) ** (1.0 / years) - 1.0) * 100 if years > 0 else math.nan


def _target_in_series_unit(
    spec: TargetSpec,
    row: pd.Series,
    years: int,
    claims: pd.DataFrame,
    series: pd.Series,
    plan_base_year: int,
) -> tuple[float, str]:
    """The target as a value of the series (its unit), and how it was derived."""
    unit = CLAIM_UNIT[series.attrs["unit"]]
    value, claim_unit = float(row["value"]), str(row["unit"])
    if spec.reading == "level":
        target = convert(value, claim_unit, unit)
        words = (
            said(target, unit)
            if scaled(unit)
            else f"{target:.4g} {UNIT_WORDS.get(series.attrs['unit'], unit)}"
        )
        return target, f"the target is a level of this series ({words})"
    base = _plan_baseline(claims, str(spec.baseline_metric))
    if claim_unit == "percent":
        factor = (1 + value / 100) ** years
        how = f"{value:g}% a year for {years} years multiplies by {factor:.3f}"
    else:
        factor = value / convert(float(base["value"]), str(base["unit"]), claim_unit)
        how = f"{value:g} over the plan's {base['value']:g} ({base['id']}) is a factor {factor:.3f}"
    if spec.reading == "cagr":
        start = convert(float(base["value"]), str(base["unit"]), unit)
        return start * factor, f"{how}, applied to the plan's baseline {start:g} ({base['id']})"
    if plan_base_year not in series.index:
        raise InputError(
            f"plan_base_year={plan_base_year}: {series.attrs['label']} has no official value "
            f"for it (data {int(series.index.min())}-{int(series.index.max())}); "
            "choose a year inside the data"
        )
    anchor = float(series.loc[plan_base_year])
    return anchor * factor, (
        f"{how}, applied to the official {plan_base_year} value {anchor:g} (the plan's "
        f"{spec.what} assumed to keep their share of the official total)"
    )


def _description(spec: TargetSpec, row: pd.Series, years: int) -> str:
    value, unit = float(row["value"]), str(row["unit"])
    if unit == "percent":
        amount = f"{_bound_words(row['bound'])}{value:g}% a year for {years} years"
    else:
        words = said(value, unit) if scaled(unit) else f"{value:g} {UNIT_WORDS.get(unit, unit)}"
        amount = f"{_bound_words(row['bound'])}{words} in {years} years"
    return f"{spec.what[0].upper()}{spec.what[1:]}: {amount} (plan {row['section']})"


def targets_against_data(
    claims: pd.DataFrame,
    *,
    plan_base_year: int = 2023,
    level: float = 0.9,
    method: str = "auto",
    backtest_window: int | None = F.DEFAULT_MIN_TRAIN,
    draws: int = 10_000,
    seed: int = 0,
    history_start: int = 2014,
    series: Mapping[str, pd.Series] | None = None,
    evaluation: F.Evaluation | None = None,
) -> pd.DataFrame:
    """The plan's targets that an official series can speak to, and their odds.

    Parameters
    ----------
    claims : pandas.DataFrame
        The claims table (:func:`planbook.data.plan.load_claims`).
    plan_base_year : int, default 2023
        The year the plan's relative horizons count from (its last data year).
    level : float, default 0.9
        Coverage of the forecast interval at the target year (not used by the probability).
    method : str, default "auto"
        ``"auto"`` (the nested evaluation's choice) or a key of
        :data:`planbook.methods.forecast.METHODS`.
    backtest_window : int or None, default DEFAULT_MIN_TRAIN
        First training window (years) of the backtests; used only when ``evaluation`` is
        not given.
    draws : int, default 10000
        Simulated values per target.
    seed : int, default 0
        Seed of the simulation.
    history_start : int, default 2014
        First official year the forecasts see.
    series : mapping of str to pandas.Series, optional
        Series to use instead of the official ones, by key of
        :data:`planbook.methods.forecast.SERIES` (``attrs['unit']`` and ``attrs['label']`` set);
        evaluated together when ``evaluation`` is not given.
    evaluation : Evaluation, optional
        The evaluation of the official series
        (:func:`planbook.methods.forecast.evaluate_official`), computed once by the chapter;
        by default computed here (a few seconds).

    Returns
    -------
    pandas.DataFrame
        One row per target, columns :data:`COLUMNS`, most plausible first (highest
        probability, then the smallest growth gap). ``probability`` is a fraction;
        ``*_growth_pct`` are percent a year; values are in ``unit`` (the series' unit).

    Raises
    ------
    InputError
        On a bad parameter (unknown method, level outside (0, 1), draws < 1, a base year
        the series cannot anchor).
    """
    if method != "auto" and method not in F.METHODS:
        raise InputError(f"method={method!r}: choose 'auto' or one of {', '.join(F.METHODS)}")
    if not 0 < level < 1:
        raise InputError(f"level={level!r}: use a fraction between 0 and 1, e.g. 0.9")
    if int(draws) < 1:
        raise InputError(f"draws={draws!r}: use a positive whole number, e.g. 10000")
    if evaluation is None:
        window = F.DEFAULT_MIN_TRAIN if backtest_window is None else int(backtest_window)
        if series is None:
            evaluation = F.evaluate_official(history_start, window)
        else:
            evaluation = F.evaluate(series, min_train=window, horizon=F.BACKTEST_HORIZON)
    rows = []
    for spec in TARGETS:
        found = claims[(claims["metric"] == spec.metric) & (claims["kind"] == "target")]
        for _, row in found.iterrows():
            years = horizon_years(row["period"])
            if years is None:
                continue
            if spec.series not in evaluation.backtests:
                raise InputError(f"no series {spec.series!r} to read the {spec.what} target")
            data = evaluation.backtests[spec.series].series
            target_year = int(plan_base_year) + years
            target, how = _target_in_series_unit(spec, row, years, claims, data, plan_base_year)
            bound = _bound(row["bound"])
            result = assess(
                data,
                target,
                target_year,
                bound,
                level=level,
                method=method,
                draws=draws,
                seed=seed,
                evaluation=evaluation,
                key=spec.series,
            )
            note = "; ".join(
                [
                    f"{row['period']} from {plan_base_year}",
                    how,
                    f"series: {data.attrs.get('why', '')}",
                    data.attrs.get("detail", ""),
                    f"method: {result.pop('method_note')}",
                ]
            )
            rows.append(
                {
                    "target_id": row["id"],
                    "metric": spec.metric,
                    "description": _description(spec, row, years),
                    "series": _series_label(data, spec.series),
                    "unit": data.attrs.get("unit", ""),
                    "target_year": target_year,
                    "target_value": target,
                    "bound": bound,
                    **result,
                    "note": note,
                }
            )
    out = pd.DataFrame(rows, columns=list(COLUMNS))
    if out.empty:
        return out
    gap = out["required_growth_pct"] - out["historical_growth_pct"]
    order = np.lexsort((gap.to_numpy(), -out["probability"].to_numpy()))
    return out.iloc[order].reset_index(drop=True)
