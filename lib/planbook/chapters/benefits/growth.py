"""Plan 8.1's GMV promise, stated twice (a growth rate and an end value), set against each
other, against the same figures elsewhere in the plan and against a forecast of the
official transaction volume."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from planbook.data.periods import parse_period
from planbook.data.plan import pick, select
from planbook.engine.params import BenefitsParams
from planbook.methods import arithmetic as A
from planbook.methods import forecast as F


def period_years(period: str) -> int | None:
    """The number of years of a horizon period (``"3 years"`` -> 3); None otherwise."""
    return parse_period(period).years


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
