"""Plan 8.1's efficiency and cost promises in money (the benefit stream of
:mod:`planbook.methods.models.benefit_stream`), their sensitivity and the shipped
scenarios side by side."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from planbook.chapters.benefits.growth import gmv_outlook
from planbook.data.plan import pick, select
from planbook.engine.params import BenefitsParams
from planbook.methods import forecast as F
from planbook.methods.models import benefit_stream as BS
from planbook.methods.models import sensitivity as S


def headline_benefit(params: BenefitsParams, claims: pd.DataFrame) -> float:
    """The headline benefit: the annual value (100 million yuan) of plan 8.1's efficiency
    and cost promises at full effect, on the parameters' base, times the share realised."""
    drivers = BS.drivers_from_params(params, claims)
    return BS.annual_benefit(drivers, params.benefit_realisation, params.commission_cut_as_benefit)


MONEY_ROWS: dict[str, tuple[str, str]] = {
    "logistics": ("logistics_cost_share", "GMV x cut in the logistics cost share"),
    "acquisition": (
        "customer_acquisition_cost",
        "acquisition spending x (cut / cost now); spending = year-1 marketing budget per "
        "unit of the firm's GMV, times the base",
    ),
    "inventory": (
        "inventory_turnover_rate",
        "GMV x (1 - gross margin) x (1/turns now - 1/turns promised) x carrying cost",
    ),
    "commission": ("platform_commission_rate", "GMV x cut in the commission rate"),
}


def money_table(params: BenefitsParams, claims: pd.DataFrame) -> pd.DataFrame:
    """Plan 8.1's cost and efficiency promises in money, on both bases.

    Columns: ``promise`` (from -> to), ``claim_ids``, ``how``, ``firm`` and ``industry``
    (100 million yuan a year at full effect, before the share realised), ``counted``
    (whether the headline benefit includes it).
    """
    values = {
        scope: BS.component_values(
            BS.drivers_from_claims(claims, scope, params.firm_gmv, params.carrying_cost_pct)
        )
        for scope in BS.SCOPES
    }
    rows = []
    for key, (metric, how) in MONEY_ROWS.items():
        now = pick(claims, "8.1", metric, "current")
        then = pick(claims, "8.1", metric, "unspecified")
        unit = {"percent": "%", "yuan_per_user": " yuan per user", "times_per_year": " a year"}
        u = unit.get(str(now["unit"]), f" {now['unit']}")
        rows.append(
            {
                "component": BS.COMPONENTS[key],
                "promise": f"{now['value']:g}{u} -> {then['value']:g}{u}",
                "claim_ids": f"{now['id']}, {then['id']}",
                "how": how,
                "firm": values["firm"][key],
                "industry": values["industry"][key],
                "counted": key != "commission" or params.commission_cut_as_benefit,
            }
        )
    return pd.DataFrame(rows)


NOT_MONETISED: tuple[tuple[str, str, str], ...] = (
    (
        "delivery_time",
        "hours",
        "faster delivery pays through repeat purchases and GMV; counting it again would "
        "double count",
    ),
    (
        "repurchase_rate",
        "percent",
        "a driver of GMV growth, which the GMV promise already covers",
    ),
    (
        "gross_margin",
        "percent",
        "used as the cost-of-goods base of the inventory saving; the plan gives no "
        "baseline, so no gain can be computed",
    ),
)


def not_monetised(claims: pd.DataFrame) -> pd.DataFrame:
    """Plan 8.1's promises the benefit stream does not turn into money, and why."""
    rows = []
    for metric, _unit, reason in NOT_MONETISED:
        found = select(claims, section="8.1", metric=metric).sort_values("period")
        now = found[found["period"] == "current"]
        then = found[found["period"] != "current"]
        promise = (
            f"{now['value'].iloc[0]:g} -> {then['value'].iloc[0]:g}"
            if not now.empty
            else f"{then['value'].iloc[0]:g}"
        )
        rows.append(
            {
                "metric": metric,
                "promise": f"{promise} ({then['unit'].iloc[0]})",
                "claim_ids": ", ".join(found["id"]),
                "why not in money": reason,
            }
        )
    return pd.DataFrame(rows)


def tornado_table(params: BenefitsParams, claims: pd.DataFrame) -> pd.DataFrame:
    """The headline benefit with each driver moved down and up by ``sensitivity_range_pct``
    (see :func:`planbook.methods.models.sensitivity.tornado`); the commission cut is a driver only
    when it is counted."""
    drivers = BS.drivers_from_params(params, claims)
    names = [
        n
        for n in BS.TORNADO_DRIVERS
        if n != "commission_cut_pp" or params.commission_cut_as_benefit
    ]

    def benefit(values: Mapping[str, float]) -> float:
        return BS.annual_benefit(
            BS.with_values(drivers, **values),
            params.benefit_realisation,
            params.commission_cut_as_benefit,
        )

    return S.tornado(
        benefit,
        {n: float(getattr(drivers, n)) for n in names},
        params.sensitivity_range_pct / 100,
        labels={n: BS.TORNADO_DRIVERS[n][0] for n in names},
    )


def scenario_comparison(
    claims: pd.DataFrame, scenarios: Mapping[str, BenefitsParams], evaluation: F.Evaluation
) -> pd.DataFrame:
    """The headline benefit and the odds of the GMV promise under each scenario's parameters."""
    rows = []
    for name, params in scenarios.items():
        outlook = gmv_outlook(params, claims, evaluation)
        values = BS.component_values(BS.drivers_from_params(params, claims))
        rows.append(
            {
                "scenario": name,
                "benefit_scope": params.benefit_scope,
                "firm_gmv": params.firm_gmv,
                "benefit_realisation": params.benefit_realisation,
                "carrying_cost_pct": params.carrying_cost_pct,
                "commission_cut_as_benefit": params.commission_cut_as_benefit,
                **{
                    f"{k}_counted": params.benefit_realisation * v
                    for k, v in values.items()
                    if k != "commission" or params.commission_cut_as_benefit
                },
                "headline_benefit": headline_benefit(params, claims),
                "forecast_method": outlook.forecast.method,
                "p_meet_end_pct": outlook.odds_end.probability * 100,
                "p_meet_rate_pct": outlook.odds_rate.probability * 100,
                "p_meet_end": outlook.odds_end.text,
                "p_meet_rate": outlook.odds_rate.text,
            }
        )
    return pd.DataFrame(rows).fillna({"commission_counted": 0.0})


__all__ = [
    "MONEY_ROWS",
    "NOT_MONETISED",
    "headline_benefit",
    "money_table",
    "not_monetised",
    "scenario_comparison",
    "tornado_table",
]
