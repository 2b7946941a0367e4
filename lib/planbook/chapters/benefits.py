"""Chapter 8 (expected effects and value): the plan's promises, checked and valued.

- The GMV promise of plan 8.1, stated twice (a growth rate and an end value), set against
  each other and against a forecast of the official transaction volume.
- The efficiency and cost promises turned into money on an explicit base, with the shared
  benefit stream of :mod:`planbook.methods.models.benefit_stream`.
- The social and environmental promises (plan 8.2, 8.3) with the annual rates they imply.
- A tornado of the headline benefit and the shipped scenarios side by side.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from planbook.chapters import methods as backtests
from planbook.data.plan import pick, select
from planbook.engine.params import BenefitsParams, load_scenario, resolve
from planbook.engine.registry import get_chapter
from planbook.methods import arithmetic as A
from planbook.methods import forecast as F
from planbook.methods.models import benefit_stream as BS
from planbook.methods.models import sensitivity as S

__all__ = [
    "GmvPromise",
    "Outlook",
    "base_year",
    "gmv_checks",
    "gmv_outlook",
    "gmv_paths",
    "gmv_promise",
    "headline",
    "headline_benefit",
    "money_table",
    "not_monetised",
    "official_transaction_volume",
    "period_years",
    "scenario_comparison",
    "scenario_params",
    "social_ratios",
    "social_table",
    "tornado_table",
]

# --------------------------------------------------------------------------- GMV promise


def period_years(period: str) -> int | None:
    """The number of years of a horizon period (``"3 years"`` -> 3); None otherwise."""
    match = re.fullmatch(r"(\d+) years", str(period))
    return int(match.group(1)) if match else None


def base_year(claims: pd.DataFrame) -> int:
    """The calendar year of plan 8.1's "current" GMV.

    Plan 8.1 gives no year. Its baseline is the transaction volume plan 1.2 states for a
    named year when one equals it; otherwise (the figures were edited apart) the latest
    year for which plan 1.2 states a transaction volume, the plan's "current" year.

    Raises
    ------
    KeyError
        If plan 1.2 states no dated transaction volume at all.
    """
    current = pick(claims, "8.1", "gmv", "current")
    dated = select(claims, section="1.2", metric="ecommerce_transaction_volume")
    dated = dated[dated["period"].str.fullmatch(r"\d{4}")]
    if dated.empty:
        raise KeyError("plan 1.2 states no dated transaction volume to date the 8.1 baseline")
    same = dated[dated["value"] == current["value"]]
    chosen = same if not same.empty else dated
    return int(chosen["period"].astype(int).max())


@dataclass(frozen=True)
class GmvPromise:
    """Plan 8.1's GMV promise and what each of its two statements implies.

    Money in trillion yuan, rates in percent a year.
    """

    base: float
    rate: float
    end: float
    years: int
    base_year: int
    end_from_rate: float
    rate_from_end: float
    claim_ids: tuple[str, str, str]

    @property
    def target_year(self) -> int:
        return self.base_year + self.years


def gmv_promise(claims: pd.DataFrame) -> GmvPromise:
    """Read plan 8.1's GMV promise and compute the end value its rate implies and the rate
    its end value implies."""
    base = pick(claims, "8.1", "gmv", "current")
    rate = pick(claims, "8.1", "gmv_cagr", "3 years")
    end = pick(claims, "8.1", "gmv", "3 years")
    years = period_years(rate["period"])
    if years is None or years != period_years(end["period"]):
        raise ValueError("plan 8.1's GMV rate and end value must share a horizon in years")
    return GmvPromise(
        base=float(base["value"]),
        rate=float(rate["value"]),
        end=float(end["value"]),
        years=years,
        base_year=base_year(claims),
        end_from_rate=A.grow(float(base["value"]), float(rate["value"]), years),
        rate_from_end=A.cagr(float(base["value"]), float(end["value"]), years),
        claim_ids=(str(base["id"]), str(rate["id"]), str(end["id"])),
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


def gmv_checks(
    claims: pd.DataFrame, rate_tolerance_pp: float, level_tolerance_pct: float
) -> pd.DataFrame:
    """Chapter 8's own arithmetic, and where it meets the same figures in other chapters.

    - the end value against the stated rate, both ways;
    - the baseline against plan 1.2's transaction volume;
    - the overseas revenue share of plan 8.1 against plan 6.2 (same three-year horizon);
    - the carbon cut of plan 8.2 against plan 6.3;
    - the logistics cost share of plan 8.1 against the logistics cost cut of plan 6.4,
      with GMV on the promised path.
    """
    p = gmv_promise(claims)
    base_id, rate_id, end_id = p.claim_ids
    checks = [
        A.compare_level(
            "GMV end value implied by the stated growth rate",
            [end_id, base_id, rate_id],
            p.end,
            p.end_from_rate,
            "trillion_yuan",
            level_tolerance_pct,
            f"{p.base:g} x (1 + {p.rate:g}%)^{p.years} = {p.end_from_rate:.1f}",
        ),
        A.compare_rate(
            "GMV growth rate implied by the stated end value",
            [rate_id, base_id, end_id],
            p.rate,
            p.rate_from_end,
            rate_tolerance_pp,
            f"({p.end:g} / {p.base:g})^(1/{p.years}) - 1 = {p.rate_from_end:.2f}%",
        ),
    ]
    tv = pick(claims, "1.2", "ecommerce_transaction_volume", str(p.base_year))
    checks.append(
        A.compare_level(
            "GMV baseline against plan 1.2's transaction volume",
            [base_id, str(tv["id"])],
            float(tv["value"]),
            p.base,
            "trillion_yuan",
            level_tolerance_pct,
            f"8.1 states {p.base:g}, 1.2 states {tv['value']:g} for {p.base_year}",
        )
    )
    s81 = pick(claims, "8.1", "overseas_revenue_share", "3 years")
    s62 = pick(claims, "6.2", "overseas_revenue_share", "3 years")
    checks.append(
        A.compare_rate(
            "Overseas revenue share in three years: plan 8.1 against plan 6.2",
            [str(s81["id"]), str(s62["id"])],
            float(s81["value"]),
            float(s62["value"]),
            rate_tolerance_pp,
            f"8.1: more than {s81['value']:g}%; 6.2: {s62['value']:g}%",
        )
    )
    c82 = pick(claims, "8.2", "carbon_emission_reduction", "unspecified")
    c63 = pick(claims, "6.3", "carbon_footprint_reduction", "3 years")
    checks.append(
        A.compare_rate(
            "Carbon cut: plan 8.2 (emissions) against plan 6.3 (footprint)",
            [str(c82["id"]), str(c63["id"])],
            float(c82["value"]),
            float(c63["value"]),
            rate_tolerance_pp,
            f"8.2: -{c82['value']:g}%; 6.3: -{c63['value']:g}% in three years",
        )
    )
    ls_from = pick(claims, "8.1", "logistics_cost_share", "current")
    ls_to = pick(claims, "8.1", "logistics_cost_share", "unspecified")
    cut64 = pick(claims, "6.4", "logistics_cost_reduction", "unspecified")
    change = (float(ls_to["value"]) / float(ls_from["value"]) * p.end / p.base - 1) * 100
    checks.append(
        A.compare_rate(
            "Logistics cost: plan 6.4's cut against plan 8.1's share on the promised GMV",
            [str(cut64["id"]), str(ls_from["id"]), str(ls_to["id"]), end_id, base_id],
            -float(cut64["value"]),
            change,
            rate_tolerance_pp,
            f"({ls_to['value']:g}/{ls_from['value']:g}) x ({p.end:g}/{p.base:g}) - 1 = "
            f"{change:+.1f}% against -{cut64['value']:g}%",
        )
    )
    return A.checks_frame(checks)


def official_transaction_volume() -> pd.Series:
    """The official e-commerce transaction volume chapter 1 forecasts: published report
    figures, estimates and plan baselines left out (trillion yuan, indexed by year; see
    :func:`planbook.chapters.methods.official_series`)."""
    return backtests.official_series("ecommerce_transaction_volume")


@dataclass(frozen=True)
class Outlook:
    """The forecast of transaction volume to the target year and the odds of the promise."""

    forecast: F.ForecastResult
    method_note: str
    odds_end: F.TargetOdds
    odds_rate: F.TargetOdds


def gmv_outlook(params: BenefitsParams, claims: pd.DataFrame, series: pd.Series) -> Outlook:
    """Forecast ``series`` to plan 8.1's target year and give the probability that the
    value in that year meets each statement of the promise (end value, and the end value
    its stated rate implies)."""
    p = gmv_promise(claims)
    last = int(series.index.max())
    if p.target_year <= last:
        raise ValueError(f"the target year {p.target_year} is not after the last year {last}")
    fc, note = F.forecast_with_fallback(
        series, params.forecast_method, p.target_year - last, params.confidence, params.seed
    )
    options = {"members": fc.members} if fc.members else {}

    def odds(target: float) -> F.TargetOdds:
        return F.probability_target_met(
            series,
            target,
            p.target_year,
            method=fc.method,
            draws=params.draws,
            seed=params.seed,
            level=params.confidence,
            **options,
        )

    return Outlook(fc, note, odds(p.end), odds(p.end_from_rate))


# --------------------------------------------------------------------------- money


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


# --------------------------------------------------------------------------- social


# (section, metric, period, label, rule); rules: per_year, compound_cut, from_to, as_stated,
# no_baseline, case_study.
SOCIAL: tuple[tuple[str, str, str, str, str], ...] = (
    ("8.2", "direct_jobs_created", "3 years", "Jobs created directly", "per_year"),
    ("8.2", "indirect_jobs", "3 years", "Jobs created indirectly", "per_year"),
    ("8.2", "smes_supported", "3 years", "Small merchants supported", "per_year"),
    (
        "8.2",
        "packaging_material_reduction",
        "unspecified",
        "Packaging material cut",
        "compound_cut",
    ),
    ("8.2", "carbon_emission_reduction", "unspecified", "Carbon emissions cut", "compound_cut"),
    ("8.2", "green_product_gmv_growth", "2023", "Green-product GMV growth, 2023", "as_stated"),
    ("8.2", "silver_users", "unspecified", "Elderly users", "no_baseline"),
    (
        "8.2",
        "lower_tier_ecommerce_penetration",
        "unspecified",
        "E-commerce penetration below tier-3 cities",
        "no_baseline",
    ),
    ("8.3", "patent_applications", "3 years", "Patent applications", "per_year"),
    (
        "8.3",
        "alliance_market_coverage",
        "unspecified",
        "Market participants in the alliance",
        "no_baseline",
    ),
    ("8.3", "industry_trust_index", "unspecified", "Industry trust index", "from_to"),
    (
        "8.2",
        "farmer_households_helped",
        "current",
        "Farm households helped (Pinduoduo)",
        "case_study",
    ),
    ("8.2", "plastic_waste_reduction", "current", "Plastic waste cut (one platform)", "case_study"),
    (
        "8.2",
        "agri_upstream_cost_reduction",
        "current",
        "Farm-produce selling cost cut (one platform)",
        "case_study",
    ),
    ("8.2", "farmer_income_uplift", "current", "Farmers' income rise (one platform)", "case_study"),
    ("8.3", "violation_rate_reduction", "current", "Violations cut (one platform)", "case_study"),
)

_UNIT_WORDS = {
    "10k_count": "10,000",
    "100m_count": "100 million",
    "count": "",
    "percent": "%",
    "score": "points",
}


def social_table(claims: pd.DataFrame, target_horizon_years: int) -> pd.DataFrame:
    """Plan 8.2 and 8.3's promises with the annual rates they imply.

    A target with no date is given ``target_horizon_years``; ``horizon`` says whether the
    years are stated or assumed. Rates: a count over a horizon gives a count a year; a
    percentage cut gives the constant yearly cut that compounds to it
    (``1 - (1 - cut)^(1/years)``); a from-to pair gives points a year and the compound
    growth rate; a rate already annual is shown as stated; a target with no baseline, and
    a single firm's case study, have no rate.
    """
    rows = []
    for section, metric, period, label, rule in SOCIAL:
        if rule == "from_to":
            now = pick(claims, section, metric, "current")
            row = pick(claims, section, metric, period)
            ids = f"{now['id']}, {row['id']}"
        else:
            row = pick(claims, section, metric, period)
            ids = str(row["id"])
        stated_years = period_years(period)
        years = stated_years or target_horizon_years
        horizon = (
            f"{years} years, stated"
            if stated_years
            else (f"{years} years, assumed" if rule in {"compound_cut", "from_to"} else "")
        )
        value = float(row["value"])
        unit = str(row["unit"])
        rate, rate_unit = math.nan, ""
        if rule == "per_year":
            rate, rate_unit = value / years, f"{_UNIT_WORDS.get(unit, unit)} a year".strip()
        elif rule == "compound_cut":
            rate, rate_unit = (1 - (1 - value / 100) ** (1 / years)) * 100, "% cut a year"
        elif rule == "from_to":
            base = float(now["value"])
            rate = (value - base) / years
            rate_unit = f"points a year ({A.cagr(base, value, years):.1f}% a year, from {base:g})"
        elif rule == "as_stated":
            rate, rate_unit = value, "% a year (stated)"
        shown_value = f"{value:g}"
        if row["bound"] in {"gt", "ge"}:
            shown_value = "more than " + shown_value
        rows.append(
            {
                "section": section,
                "promise": label,
                "claim_ids": ids,
                "kind": row["kind"],
                "stated": shown_value,
                "unit": _UNIT_WORDS.get(unit, unit) or "count",
                "horizon": horizon,
                "implied_rate": rate,
                "rate_unit": rate_unit
                or ("one firm, no horizon" if rule == "case_study" else "no baseline stated"),
            }
        )
    return pd.DataFrame(rows)


def social_ratios(claims: pd.DataFrame) -> dict[str, float]:
    """Ratios the job promises imply: indirect jobs per direct job and per merchant helped."""
    direct = float(pick(claims, "8.2", "direct_jobs_created", "3 years")["value"])
    indirect = float(pick(claims, "8.2", "indirect_jobs", "3 years")["value"])
    smes = float(pick(claims, "8.2", "smes_supported", "3 years")["value"])
    return {
        "indirect_per_direct": indirect / direct,
        "indirect_per_merchant": indirect / smes,
    }


# --------------------------------------------------------------------------- sensitivity


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


def scenario_params(names: Iterable[str], scenarios_dir: Path) -> dict[str, BenefitsParams]:
    """The chapter's parameters under each named scenario file (defaults where it is silent)."""
    chapter = get_chapter("benefits")
    out: dict[str, BenefitsParams] = {}
    for name in names:
        out[name] = BenefitsParams(
            **resolve(chapter, load_scenario(name, scenarios_dir)).model_dump()
        )
    return out


def scenario_comparison(
    claims: pd.DataFrame, scenarios: Mapping[str, BenefitsParams], series: pd.Series
) -> pd.DataFrame:
    """The headline benefit and the odds of the GMV promise under each scenario's parameters."""
    rows = []
    for name, params in scenarios.items():
        outlook = gmv_outlook(params, claims, series)
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
            }
        )
    return pd.DataFrame(rows).fillna({"commission_counted": 0.0})


# --------------------------------------------------------------------------- headline


def headline(params: BenefitsParams, claims: pd.DataFrame) -> dict[str, float]:
    """The chapter's key numbers under ``params``."""
    p = gmv_promise(claims)
    outlook = gmv_outlook(params, claims, official_transaction_volume())
    return {
        "gmv_end_from_rate": p.end_from_rate,
        "gmv_rate_from_end_pct": p.rate_from_end,
        "forecast_median_target_year": float(outlook.forecast.median.iloc[-1]),
        "p_meet_end_value_pct": outlook.odds_end.probability * 100,
        "p_meet_stated_rate_pct": outlook.odds_rate.probability * 100,
        "headline_benefit_100m_yuan": headline_benefit(params, claims),
    }
