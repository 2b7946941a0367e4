"""The numbers and tables the benefits page shows, by name, one result per page section.

Every field is named as the page refers to it (``{glue:text}`p_end:.2f```); tables and
chart data are fields too, shown rather than glued. :func:`compute` builds them all; the
scenarios' parameters come in as an argument (the page loads them from ``scenarios/``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from planbook.chapters.benefits.growth import (
    GmvPromise,
    gmv_checks,
    gmv_outlook,
    gmv_paths,
    gmv_promise,
    official_transaction_volume,
)
from planbook.chapters.benefits.social import social_ratios, social_table
from planbook.chapters.benefits.value import (
    headline_benefit,
    money_table,
    not_monetised,
    scenario_comparison,
    tornado_table,
)
from planbook.data.plan import convert, pick, select, value_of
from planbook.engine.params import BenefitsParams, check_settings
from planbook.methods import audit
from planbook.methods import forecast as F
from planbook.methods.models import benefit_stream as BS

CLAIM_COLUMNS = ("id", "section", "metric", "entity", "period", "kind", "value", "unit")
CLAIM_COLUMNS += ("bound", "note")
"""Columns of the chapter's figures as the page lists them."""

STACK_COLUMNS = tuple(f"{key}_counted" for key in BS.COMPONENTS)
"""Columns of the scenario comparison that hold the counted parts of the benefit."""


@dataclass(frozen=True)
class Promises:
    """What plan chapter 8 states: the figures the first section quotes, and all of them."""

    ch8_claims: int
    gmv_rate: float
    gmv_base: float
    gmv_end: float
    lower_tier_share: float
    cross_border_share: float
    turns_from: float
    turns_to: float
    delivery_from: float
    delivery_to: float
    repurchase_from: float
    repurchase_to: float
    cac_from: float
    cac_to: float
    logistics_from: float
    logistics_to: float
    commission_from: float
    commission_to: float
    gross_margin: float
    direct_jobs: float
    indirect_jobs: float
    smes: float
    claims: pd.DataFrame


@dataclass(frozen=True)
class Growth:
    """The GMV promise both ways and against the forecast of the official series."""

    gmv_years: int
    end_from_rate: float
    rate_from_end: float
    base_year: int
    target_year: int
    n_obs: int
    hist_start: int
    hist_end: int
    method_note: str
    level_pct: float
    fc_base: float
    fc_median: float
    fc_lower: float
    fc_upper: float
    p_end: float
    p_rate: float
    p_end_text: str
    p_rate_text: str
    p_end_exact: float
    mc_se_end: float
    draws: int
    required_end: float
    required_rate: float
    hist_growth: float
    last_year: int
    promise: GmvPromise
    series: pd.Series
    forecast: F.ForecastResult
    paths: pd.DataFrame


@dataclass(frozen=True)
class Checks:
    """The chapter's arithmetic checks (``table``) and the figures the page sets beside them."""

    rate_tol: float
    level_tol: float
    ch8_checks: int
    n_hold_text: str
    gmv_base_verdict: str
    overseas_62: float
    overseas_31: float
    carbon_63: float
    carbon_82: float
    logistics_64: float
    logistics_change: float
    lt_now: float
    lt_change: float
    lt_promised_rise: float
    table: pd.DataFrame


@dataclass(frozen=True)
class Money:
    """The efficiency and cost promises in money on both bases (``table``), the promises
    left out (``not_monetised``) and the headline benefit."""

    base_text: str
    headline_benefit: float
    benefit_full: float
    realisation_pct: float
    firm_total: float
    industry_total: float
    industry_over_firm: float
    logistics_share_of_benefit: float
    commission_firm: float
    commission_text: str
    firm_gmv: float
    industry_gmv: float
    table: pd.DataFrame
    not_monetised: pd.DataFrame


@dataclass(frozen=True)
class Social:
    """Plans 8.2 and 8.3's promises with the yearly rates they imply (``table``)."""

    target_horizon: int
    direct_per_year: float
    indirect_per_direct: float
    indirect_per_merchant: float
    packaging_per_year: float
    carbon_per_year: float
    trust_per_year: float
    n_case_studies: int
    n_no_baseline: int
    table: pd.DataFrame


@dataclass(frozen=True)
class Sensitivity:
    """The headline benefit with each driver moved alone (``table``, widest swing first)."""

    range_pct: float
    top_driver: str
    top_swing: float
    top_swing_pct: float
    second_driver: str
    last_driver: str
    last_swing: float
    table: pd.DataFrame


@dataclass(frozen=True)
class Scenarios:
    """The headline benefit and the odds of the promise under each scenario (``table``,
    smallest benefit first; ``stack`` its counted parts by component, one row per scenario)."""

    n_scenarios: int
    scenario_low: str
    scenario_low_value: float
    scenario_high: str
    scenario_high_value: float
    scenario_p_max: float
    scenario_p_text: str
    scenario_p_max_text: str
    table: pd.DataFrame
    stack: pd.DataFrame


@dataclass(frozen=True)
class BenefitsResult:
    """Everything the benefits page shows, one field per page section; ``words`` gives
    each parameter's value (``p_<name>``) and default (``d_<name>``) as the text reads them."""

    says: Promises
    growth: Growth
    checks: Checks
    money: Money
    social: Social
    sensitivity: Sensitivity
    scenarios: Scenarios
    words: dict[str, str]


def _value(claims: pd.DataFrame, section: str, metric: str, period: str) -> float:
    return float(pick(claims, section, metric, period)["value"])


def promise_figures(claims: pd.DataFrame) -> Promises:
    """The figures of plan chapter 8 the page quotes."""

    def v(metric: str, period: str) -> float:
        return _value(claims, "8.1", metric, period)

    def count(metric: str) -> float:
        return value_of(claims, pick(claims, "8.2", metric, "3 years")["id"], "count")

    return Promises(
        ch8_claims=len(select(claims, chapter=8)),
        gmv_rate=v("gmv_cagr", "3 years"),
        gmv_base=v("gmv", "current"),
        gmv_end=v("gmv", "3 years"),
        lower_tier_share=v("lower_tier_gmv_share", "3 years"),
        cross_border_share=v("overseas_revenue_share", "3 years"),
        turns_from=v("inventory_turnover_rate", "current"),
        turns_to=v("inventory_turnover_rate", "unspecified"),
        delivery_from=v("delivery_time", "current"),
        delivery_to=v("delivery_time", "unspecified"),
        repurchase_from=v("repurchase_rate", "current"),
        repurchase_to=v("repurchase_rate", "unspecified"),
        cac_from=v("customer_acquisition_cost", "current"),
        cac_to=v("customer_acquisition_cost", "unspecified"),
        logistics_from=v("logistics_cost_share", "current"),
        logistics_to=v("logistics_cost_share", "unspecified"),
        commission_from=v("platform_commission_rate", "current"),
        commission_to=v("platform_commission_rate", "unspecified"),
        gross_margin=v("gross_margin", "unspecified"),
        direct_jobs=count("direct_jobs_created"),
        indirect_jobs=count("indirect_jobs"),
        smes=count("smes_supported"),
        claims=select(claims, chapter=8)[list(CLAIM_COLUMNS)],
    )


def growth_promise(
    params: BenefitsParams, claims: pd.DataFrame, evaluation: F.Evaluation
) -> Growth:
    """Plan 8.1's GMV promise both ways, and its odds against the book's forecast of the
    official transaction volume (``evaluation``: :func:`~planbook.methods.forecast.
    evaluate_official`)."""
    promise = gmv_promise(claims)
    series = official_transaction_volume(evaluation)
    outlook = gmv_outlook(params, claims, evaluation)
    fc, end, rate = outlook.forecast, outlook.odds_end, outlook.odds_rate
    return Growth(
        gmv_years=promise.years,
        end_from_rate=promise.end_from_rate,
        rate_from_end=promise.rate_from_end,
        base_year=promise.base_year,
        target_year=promise.target_year,
        n_obs=fc.n_obs,
        hist_start=fc.history_start,
        hist_end=fc.history_end,
        method_note=outlook.method_note,
        level_pct=params.confidence * 100,
        fc_base=float(fc.median.loc[promise.base_year]),
        fc_median=float(fc.median.loc[promise.target_year]),
        fc_lower=float(fc.lower.loc[promise.target_year]),
        fc_upper=float(fc.upper.loc[promise.target_year]),
        p_end=end.probability * 100,
        p_rate=rate.probability * 100,
        p_end_text=end.text,
        p_rate_text=rate.text,
        p_end_exact=end.probability_exact * 100,
        mc_se_end=end.mc_se * 100,
        draws=params.draws,
        required_end=end.required_growth * 100,
        required_rate=rate.required_growth * 100,
        hist_growth=end.historical_growth * 100,
        last_year=end.last_year,
        promise=promise,
        series=series,
        forecast=fc,
        paths=gmv_paths(promise),
    )


def arithmetic_checks(params: BenefitsParams, claims: pd.DataFrame) -> Checks:
    """The chapter's arithmetic checks and the figures of other chapters they meet."""
    table = audit.checks_as_read(
        "gmv_checks", gmv_checks(claims, params.rate_tolerance_pp, params.level_tolerance_pct)
    )
    by = table.set_index("check")
    settings = check_settings(params)  # of the chapters' checks, at this page's params
    one = audit.page_counts(claims, params, "gmv_checks", settings=settings)  # one table's slice
    n_hold, n_all = int(one["holds"]), int(one["findings"])
    logistics = "Logistics cost: plan 6.4's cut against plan 8.1's share on the promised GMV"
    base_year = gmv_promise(claims).base_year
    lt_now = _value(claims, "1.2", "lower_tier_gmv_share", str(base_year))
    since = f"{base_year - 3}-{base_year}"
    return Checks(
        rate_tol=params.rate_tolerance_pp,
        level_tol=params.level_tolerance_pct,
        ch8_checks=n_all,
        n_hold_text=f"{n_hold} of the {n_all} checks {'holds' if n_hold == 1 else 'hold'}",
        gmv_base_verdict=by.loc["GMV baseline against plan 1.2's transaction volume", "verdict"],
        overseas_62=_value(claims, "6.2", "overseas_revenue_share", "3 years"),
        overseas_31=_value(claims, "3.1", "overseas_revenue_share", "5 years"),
        carbon_63=_value(claims, "6.3", "carbon_footprint_reduction", "3 years"),
        carbon_82=_value(claims, "8.2", "carbon_emission_reduction", "unspecified"),
        logistics_64=_value(claims, "6.4", "logistics_cost_reduction", "unspecified"),
        logistics_change=float(by.loc[logistics, "recomputed"]),
        lt_now=lt_now,
        lt_change=_value(claims, "1.2", "lower_tier_gmv_share_change", since),
        lt_promised_rise=_value(claims, "8.1", "lower_tier_gmv_share", "3 years") - lt_now,
        table=table,
    )


def in_money(params: BenefitsParams, claims: pd.DataFrame) -> Money:
    """Plan 8.1's efficiency and cost promises in money, and the headline benefit."""
    table = money_table(params, claims)
    drivers = BS.drivers_from_params(params, claims)
    industry = BS.drivers_from_claims(claims, "industry", params.firm_gmv, params.carrying_cost_pct)
    full = BS.annual_benefit(drivers, 1.0, params.commission_cut_as_benefit)
    counted = table[table["counted"]]
    by = table.set_index("component")
    return Money(
        base_text=f"one firm with a GMV of {params.firm_gmv:g} trillion yuan a year"
        if params.benefit_scope == "firm"
        else f"the whole industry's GMV of {drivers.gmv / 1e4:g} trillion yuan a year",
        headline_benefit=headline_benefit(params, claims),
        benefit_full=full,
        realisation_pct=params.benefit_realisation * 100,
        firm_total=float(counted["firm"].sum()),
        industry_total=float(counted["industry"].sum()),
        industry_over_firm=float(counted["industry"].sum() / counted["firm"].sum()),
        logistics_share_of_benefit=float(
            by.loc[BS.COMPONENTS["logistics"], params.benefit_scope] / full * 100
        ),
        commission_firm=float(by.loc[BS.COMPONENTS["commission"], "firm"]),
        commission_text="counted" if params.commission_cut_as_benefit else "shown but not counted",
        firm_gmv=params.firm_gmv,
        industry_gmv=industry.gmv / 1e4,
        table=table,
        not_monetised=not_monetised(claims),
    )


def social_rates(params: BenefitsParams, claims: pd.DataFrame) -> Social:
    """Plans 8.2 and 8.3's promises with the yearly rates they imply."""
    table = social_table(claims, params.target_horizon_years)
    rate = table.set_index("promise")["implied_rate"]
    ratios = social_ratios(claims)
    return Social(
        target_horizon=params.target_horizon_years,
        direct_per_year=convert(float(rate.loc["Jobs created directly"]), "10k_count", "count"),
        indirect_per_direct=ratios["indirect_per_direct"],
        indirect_per_merchant=ratios["indirect_per_merchant"],
        packaging_per_year=float(rate.loc["Packaging material cut"]),
        carbon_per_year=float(rate.loc["Carbon emissions cut"]),
        trust_per_year=float(rate.loc["Industry trust index"]),
        n_case_studies=int((table["kind"] == "case_study").sum()),
        n_no_baseline=int((table["rate_unit"] == "no baseline stated").sum()),
        table=table,
    )


def _in_text(label: str) -> str:
    """A driver's label inside a sentence: lower case first letter, acronyms kept."""
    return label if label[:3].isupper() else label[0].lower() + label[1:]


def benefit_sensitivity(params: BenefitsParams, claims: pd.DataFrame) -> Sensitivity:
    """The headline benefit with each driver moved down and up alone, widest swing first."""
    table = tornado_table(params, claims)
    ranked = table.sort_values("swing", ascending=False, kind="stable")
    top, second = ranked.head(2).itertuples(index=False)
    (last,) = ranked.tail(1).itertuples(index=False)
    return Sensitivity(
        range_pct=params.sensitivity_range_pct,
        top_driver=_in_text(top.label),
        top_swing=top.swing,
        top_swing_pct=top.swing / top.base_output * 100,
        second_driver=_in_text(second.label),
        last_driver=_in_text(last.label),
        last_swing=last.swing,
        table=table,
    )


def scenario_table(
    claims: pd.DataFrame, chosen: Mapping[str, BenefitsParams], evaluation: F.Evaluation
) -> Scenarios:
    """The headline benefit and the odds of the promise under each scenario's parameters."""
    table = scenario_comparison(claims, chosen, evaluation)
    table = table.sort_values("headline_benefit", ignore_index=True)
    by = table.set_index("scenario")
    parts = [c for c in STACK_COLUMNS if c in table.columns]
    labels = {f"{key}_counted": label for key, label in BS.COMPONENTS.items()}
    return Scenarios(
        n_scenarios=len(chosen),
        scenario_low=str(by["headline_benefit"].idxmin()),
        scenario_low_value=float(by["headline_benefit"].min()),
        scenario_high=str(by["headline_benefit"].idxmax()),
        scenario_high_value=float(by["headline_benefit"].max()),
        scenario_p_max=float(by["p_meet_end_pct"].max()),
        scenario_p_max_text=F.probability_text(float(by["p_meet_end_pct"].max()) / 100),
        scenario_p_text="No scenario's reading of the official data makes the promise likely."
        if by["p_meet_end_pct"].max() < 10
        else "Only the most favourable reading gives the promise a real chance.",
        table=table,
        stack=by[parts].rename(columns=labels),
    )


def _word(value: object) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, int | float):
        return f"{value:g}"
    return f"'{value}'"


def parameter_words(params: BenefitsParams) -> dict[str, str]:
    """Each parameter's value (``p_<name>``) and default (``d_<name>``) as the text reads
    them: numbers as ``1``, flags as ``on``/``off``, choices quoted."""
    fields = type(params).model_fields
    return {
        **{f"p_{name}": _word(value) for name, value in params.model_dump().items()},
        **{f"d_{name}": _word(info.default) for name, info in fields.items()},
    }


def compute(
    params: BenefitsParams,
    claims: pd.DataFrame,
    chosen: Mapping[str, BenefitsParams],
    evaluations: F.Evaluations | None = None,
) -> BenefitsResult:
    """Every number and table of the benefits page under ``params``.

    Parameters
    ----------
    params
        The page's parameters.
    claims
        The plan's claims table.
    chosen
        The parameters of each scenario to compare, by scenario name.
    evaluations
        The run's evaluations of the official series (:class:`~planbook.methods.forecast.
        Evaluations`); a new one by default.
    """
    evaluation = (evaluations or F.Evaluations()).get()
    return BenefitsResult(
        says=promise_figures(claims),
        growth=growth_promise(params, claims, evaluation),
        checks=arithmetic_checks(params, claims),
        money=in_money(params, claims),
        social=social_rates(params, claims),
        sensitivity=benefit_sensitivity(params, claims),
        scenarios=scenario_table(claims, chosen, evaluation),
        words=parameter_words(params),
    )


def headline(
    params: BenefitsParams, claims: pd.DataFrame, *, evaluations: F.Evaluations | None = None
) -> dict[str, float]:
    """The chapter's key numbers under ``params`` (``evaluations``: see :func:`compute`)."""
    p = gmv_promise(claims)
    outlook = gmv_outlook(params, claims, (evaluations or F.Evaluations()).get())
    return {
        "gmv_end_from_rate": p.end_from_rate,
        "gmv_rate_from_end_pct": p.rate_from_end,
        "forecast_median_target_year": float(outlook.forecast.median.loc[p.target_year]),
        "p_meet_end_value_pct": outlook.odds_end.probability * 100,
        "p_meet_stated_rate_pct": outlook.odds_rate.probability * 100,
        "headline_benefit_100m_yuan": headline_benefit(params, claims),
    }


__all__ = [
    "CLAIM_COLUMNS",
    "STACK_COLUMNS",
    "BenefitsResult",
    "Checks",
    "Growth",
    "Money",
    "Promises",
    "Scenarios",
    "Sensitivity",
    "Social",
    "arithmetic_checks",
    "compute",
    "growth_promise",
    "headline",
    "in_money",
    "parameter_words",
    "promise_figures",
    "scenario_table",
    "benefit_sensitivity",
    "social_rates",
]


AMOUNTS: dict[str, str] = {
    "firm_total": "100m_yuan",
    "industry_total": "100m_yuan",
    "commission_firm": "100m_yuan",
    "headline_benefit": "100m_yuan",
    "top_swing": "100m_yuan",
    "last_swing": "100m_yuan",
    "scenario_low_value": "100m_yuan",
    "scenario_high_value": "100m_yuan",
}
"""The plan's unit of every amount the page states in prose (亿 and 万 counts and yuan):
:func:`planbook.page.glue.glue_result` glues each in English scales."""
