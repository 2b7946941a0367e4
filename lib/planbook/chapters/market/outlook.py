"""Chapter 1's outlook: where the official online retail and transaction volume series head."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from planbook.data.plan import pick
from planbook.engine.params import MarketParams
from planbook.methods import forecast as F
from planbook.methods.forecast import official_data as backtests


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
        Forecasts to ``end_year`` (online retail: ``forecast_horizon`` years after its last
        year; transaction volume: to the same year).
    online_choice, volume_choice : str
        How each method was chosen.
    volume_2023 : TargetOdds
        Probability that transaction volume reached the plan's 2023 figure.
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


def outlook(params: MarketParams, claims: pd.DataFrame) -> Outlook:
    """Forecast online retail and transaction volume under chapter 1's parameters."""
    online = backtests.official_series("online_retail_sales", params.history_start)
    volume = backtests.official_series("ecommerce_transaction_volume", params.history_start)
    end_year = int(online.index.max()) + params.forecast_horizon
    fc_online, online_choice = F.forecast_with_fallback(
        online, params.forecast_method, params.forecast_horizon, params.confidence
    )
    fc_volume, volume_choice = F.forecast_with_fallback(
        volume, params.forecast_method, end_year - int(volume.index.max()), params.confidence
    )
    plan_2023 = pick(claims, "1.2", "ecommerce_transaction_volume", "2023")
    odds = F.probability_target_met(
        volume,
        float(plan_2023["value"]),
        int(plan_2023["period"]),
        method=fc_volume.method,
        level=params.confidence,
        seed=0,
        **({"members": fc_volume.members} if fc_volume.members else {}),
    )
    return Outlook(
        online, volume, fc_online, online_choice, fc_volume, volume_choice, odds, end_year
    )
