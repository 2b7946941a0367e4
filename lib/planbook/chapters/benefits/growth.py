"""Plan 8.1's GMV promise, stated twice (a growth rate and an end value), as two paths and
against a forecast of the official transaction volume. The promise itself and its checks
(the two statements against each other and the same figures elsewhere in the plan) are
the audit's spec :mod:`planbook.methods.audit.checks_benefits` (re-exported here)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from planbook.engine.params import BenefitsParams
from planbook.methods import arithmetic as A
from planbook.methods import forecast as F
from planbook.methods.audit.checks_benefits import (
    GmvPromise,
    base_year,
    gmv_checks,
    gmv_promise,
    period_years,
)


def gmv_paths(promise: GmvPromise) -> pd.DataFrame:
    """The two GMV paths of plan 8.1 by year: at the stated rate, and at the rate that
    reaches the stated end value (trillion yuan)."""
    years = range(promise.base_year, promise.target_year + 1)
    return pd.DataFrame(
        {
            "at_stated_rate": [
                A.grow(promise.base, promise.rate, y - promise.base_year) for y in years
            ],
            "to_stated_end": [
                A.grow(promise.base, promise.rate_from_end, y - promise.base_year) for y in years
            ],
        },
        index=pd.Index(list(years), name="year"),
    )


VOLUME = "ecommerce_transaction_volume"
"""The official series plan 8.1's GMV promise is read against (the one chapter 1 forecasts)."""


def official_transaction_volume(evaluation: F.Evaluation) -> pd.Series:
    """The official e-commerce transaction volume chapter 1 forecasts: published report
    figures, estimates and plan baselines left out (trillion yuan, indexed by year; see
    :func:`planbook.methods.forecast.official_series`)."""
    return evaluation.backtests[VOLUME].series


@dataclass(frozen=True)
class Outlook:
    """The forecast of transaction volume to the target year and the odds of the promise."""

    forecast: F.ForecastResult
    method_note: str
    odds_end: F.TargetOdds
    odds_rate: F.TargetOdds


def gmv_outlook(params: BenefitsParams, claims: pd.DataFrame, evaluation: F.Evaluation) -> Outlook:
    """Forecast transaction volume to plan 8.1's target year and give the probability that
    the value in that year meets each statement of the promise (end value, and the end value
    its stated rate implies).

    The forecast and the odds come from the same functions as chapter 1's and chapter 3's
    (:func:`planbook.methods.forecast.official_forecast`, :func:`~planbook.methods.forecast.
    target_odds`), so the same target has the same probability on every page.
    """
    p = gmv_promise(claims)
    series = official_transaction_volume(evaluation)
    last = int(series.index.max())
    if p.target_year <= last:
        raise ValueError(f"the target year {p.target_year} is not after the last year {last}")
    fc = F.official_forecast(
        evaluation, VOLUME, p.target_year, params.confidence, params.forecast_method
    )

    def odds(target: float) -> F.TargetOdds:
        return F.target_odds(fc, target, p.target_year, "ge", params.draws, params.seed)

    return Outlook(fc.result, fc.how, odds(p.end), odds(p.end_from_rate))


__all__ = [
    "GmvPromise",
    "Outlook",
    "base_year",
    "gmv_checks",
    "gmv_outlook",
    "gmv_paths",
    "gmv_promise",
    "official_transaction_volume",
    "period_years",
]
