"""Chapter 8's checks: plan 8.1's GMV promise both ways, and where it meets other chapters.

Plan 8.1 states its GMV promise twice (a growth rate and an end value);
:func:`gmv_promise` reads it and what each statement implies, and the check of the
``gmv_checks`` spec (:data:`planbook.methods.audit.specs.CHECK_SPECS`) sets them against
each other and against the same figures in other chapters. Chapter 8 reads the promise
with the same function (:mod:`planbook.chapters.benefits.growth`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from planbook.data.periods import parse_period
from planbook.data.plan import pick, select
from planbook.methods import arithmetic as A


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


__all__ = ["GmvPromise", "base_year", "gmv_checks", "gmv_promise", "period_years"]
