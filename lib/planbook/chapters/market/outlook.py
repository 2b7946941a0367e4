"""Chapter 1's outlook: where the official online retail and transaction volume series head."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from planbook.data.plan import pick
from planbook.engine.params import MarketParams
from planbook.methods import forecast as F


@dataclass(frozen=True)
class Outlook:
    """Where the official series are heading (chapter 1's forecasts).

    Attributes
    ----------
    online, volume : pandas.Series
        The histories forecast: online retail sales (chain-linked official growth) and
        e-commerce transaction volume (published report figures), from ``history_start``
        (see :func:`planbook.methods.forecast.official_series`).
    online_forecast, volume_forecast : ForecastResult
        The book's forecasts (:func:`planbook.methods.forecast.official_forecast`: method
        from the nested evaluation, interval calibrated) to ``end_year`` (online retail:
        ``forecast_horizon`` years after its last year; transaction volume: to the same year).
    online_choice, volume_choice : str
        How each method was chosen.
    volume_2023 : TargetOdds
        Probability that transaction volume reached the plan's 2023 figure
        (:func:`planbook.methods.forecast.target_odds`, 10,000 draws, seed 0).
    end_year : int
        Last forecast year.
    """

    online: pd.Series
    volume: pd.Series
    online_forecast: F.ForecastResult
    online_choice: str
    volume_forecast: F.ForecastResult
    volume_choice: str
    volume_2023: F.TargetOdds
    end_year: int


def outlook(
    params: MarketParams, claims: pd.DataFrame, evaluation: F.Evaluation | None = None
) -> Outlook:
    """Forecast online retail and transaction volume under chapter 1's parameters.

    ``evaluation`` is :func:`planbook.methods.forecast.evaluate_official` under
    ``params.history_start``; computed here when not given.
    """
    ev = evaluation or F.evaluate_official(params.history_start)
    online = ev.backtests["online_retail_sales"].series
    end_year = int(online.index.max()) + params.forecast_horizon
    level, method = params.confidence, params.forecast_method
    fc_online = F.official_forecast(ev, "online_retail_sales", end_year, level, method)
    fc_volume = F.official_forecast(ev, "ecommerce_transaction_volume", end_year, level, method)
    plan_2023 = pick(claims, "1.2", "ecommerce_transaction_volume", "2023")
    odds = F.target_odds(fc_volume, float(plan_2023["value"]), int(plan_2023["period"]))
    return Outlook(
        online,
        fc_volume.series,
        fc_online.result,
        fc_online.how,
        fc_volume.result,
        fc_volume.how,
        odds,
        end_year,
    )
