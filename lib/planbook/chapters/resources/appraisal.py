"""Chapter 6's appraisal: the plan's spending against the benefits plan 8.1 promises.

The spending schedule of :mod:`.budget` is set against the benefit stream of
:mod:`planbook.methods.models.benefit_stream` to give a net present value, an internal
rate of return, a payback period and the break-even points.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import optimize

from planbook.chapters.resources.budget import spending_schedule
from planbook.engine.params import ResourcesParams
from planbook.methods.models import appraisal as AP
from planbook.methods.models import benefit_stream as BS


def cash_flows(params: ResourcesParams, claims: pd.DataFrame) -> pd.DataFrame:
    """Spending, benefits and net cash flow by plan year (100 million yuan).

    Columns: ``spending`` (positive), one column per benefit component, ``benefit``,
    ``net`` (benefit minus spending), ``cumulative``, ``discount_factor`` (year 1 at time 0),
    ``discounted_net``.
    """
    years = params.appraisal_years
    spend = spending_schedule(claims, params.three_year_reading, years)
    drivers = BS.drivers_from_params(params, claims)
    stream = BS.benefit_stream(
        drivers,
        years,
        realisation=params.benefit_realisation,
        start_year=params.benefit_start_year,
        ramp_years=params.ramp_years,
        include_commission=params.commission_cut_as_benefit,
    )
    out = pd.DataFrame({"spending": spend})
    components = [c for c in BS.COMPONENTS if c in stream.columns]
    for c in components:
        out[c] = stream[c]
    out["benefit"] = stream["total"]
    out["net"] = out["benefit"] - out["spending"]
    out["cumulative"] = out["net"].cumsum()
    out["discount_factor"] = AP.discount_factors(params.discount_rate_pct / 100, years)
    out["discounted_net"] = out["net"] * out["discount_factor"]
    return out


def appraisal(params: ResourcesParams, claims: pd.DataFrame) -> dict[str, float]:
    """NPV, IRR, payback and break-even points of the plan's spending against its benefits.

    Returns
    -------
    dict
        ``npv`` (100 million yuan), ``irr_pct`` (nan when the flows never change sign),
        ``payback_years`` and ``discounted_payback_years`` (nan if never),
        ``pv_spending`` and ``pv_benefit`` (100 million yuan), ``breakeven_realisation``
        (the share of promised benefits at which NPV is zero; above 1 means not even the
        full promises pay back), ``breakeven_firm_gmv`` (trillion yuan; the firm GMV at
        which NPV is zero, nan in industry scope or outside 0.001-1000).
    """
    flows = cash_flows(params, claims)
    rate = params.discount_rate_pct / 100
    pv_spending = AP.npv(rate, flows["spending"])
    pv_benefit = AP.npv(rate, flows["benefit"])
    at_full = params.model_copy(update={"benefit_realisation": 1.0})
    full = AP.npv(rate, cash_flows(at_full, claims)["benefit"])
    return {
        "npv": pv_benefit - pv_spending,
        "irr_pct": AP.irr(flows["net"]) * 100,
        "payback_years": AP.payback(flows["net"]),
        "discounted_payback_years": AP.payback(flows["net"], rate),
        "pv_spending": pv_spending,
        "pv_benefit": pv_benefit,
        "breakeven_realisation": pv_spending / full if full > 0 else math.inf,
        "breakeven_firm_gmv": breakeven_firm_gmv(params, claims),
    }


def npv_at(params: ResourcesParams, claims: pd.DataFrame, **changes: object) -> float:
    """The NPV with some parameters changed (validated by the schema)."""
    changed = ResourcesParams(**{**params.model_dump(), **changes})
    flows = cash_flows(changed, claims)
    return AP.npv(changed.discount_rate_pct / 100, flows["net"])


def breakeven_firm_gmv(params: ResourcesParams, claims: pd.DataFrame) -> float:
    """Firm GMV (trillion yuan) at which the NPV is zero; nan in industry scope, when no
    benefit is realised, or when the root lies outside 0.001-1000 trillion yuan."""
    if params.benefit_scope != "firm" or params.benefit_realisation == 0:
        return math.nan

    def f(gmv: float) -> float:
        changed = params.model_copy(update={"firm_gmv": gmv})
        flows = cash_flows(changed, claims)
        return AP.npv(params.discount_rate_pct / 100, flows["net"])

    low, high = 1e-3, 1e3
    if f(low) * f(high) > 0:
        return math.nan
    return float(optimize.brentq(f, low, high, xtol=1e-9))


def npv_profile(params: ResourcesParams, claims: pd.DataFrame, rates_pct: np.ndarray) -> pd.Series:
    """NPV (100 million yuan) at each discount rate of ``rates_pct`` (percent)."""
    flows = cash_flows(params, claims)
    profile = AP.npv_profile(flows["net"], list(np.asarray(rates_pct) / 100))
    profile.index = pd.Index(np.asarray(rates_pct, dtype=float), name="rate_pct")
    return profile


def realisation_profile(
    params: ResourcesParams, claims: pd.DataFrame, shares: np.ndarray
) -> pd.Series:
    """NPV (100 million yuan) at each share of promised benefits realised."""
    values = [npv_at(params, claims, benefit_realisation=float(s)) for s in shares]
    return pd.Series(
        values, index=pd.Index(np.asarray(shares, dtype=float), name="realisation"), name="npv"
    )


def scope_comparison(params: ResourcesParams, claims: pd.DataFrame) -> pd.DataFrame:
    """The appraisal with the benefit base set to one firm and to the whole industry."""
    rows = []
    for scope in BS.SCOPES:
        changed = params.model_copy(update={"benefit_scope": scope})
        result = appraisal(changed, claims)
        full = BS.annual_benefit(
            BS.drivers_from_params(changed, claims),
            changed.benefit_realisation,
            changed.commission_cut_as_benefit,
        )
        rows.append(
            {
                "scope": scope,
                "annual_benefit": full,
                **{k: result[k] for k in ("npv", "irr_pct", "payback_years")},
            }
        )
    return pd.DataFrame(rows)


__all__ = [
    "appraisal",
    "breakeven_firm_gmv",
    "cash_flows",
    "npv_at",
    "npv_profile",
    "realisation_profile",
    "scope_comparison",
]
