"""Plan 8.2 and 8.3's social and environmental promises with the yearly rates they imply."""

from __future__ import annotations

import math

import pandas as pd

from planbook.chapters.benefits.growth import period_years
from planbook.data.plan import pick
from planbook.methods import arithmetic as A

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


__all__ = ["SOCIAL", "social_ratios", "social_table"]
