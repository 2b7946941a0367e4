"""Chapter 2's trends as annual rates (the checks of its arithmetic are the audit's spec
:mod:`planbook.methods.audit.checks_challenges`)."""

from __future__ import annotations

import pandas as pd

from planbook.data.plan import pick
from planbook.methods import arithmetic as A


def _trend_row(
    measure: str,
    ids: list[str],
    start_year: int,
    end_year: int,
    start: float,
    end: float,
    unit: str,
    how: str,
) -> dict[str, object]:
    years = end_year - start_year
    return {
        "measure": measure,
        "claim_ids": ", ".join(ids),
        "start_year": start_year,
        "end_year": end_year,
        "start": start,
        "end": end,
        "unit": unit,
        "change": end - start,
        "change_pct": (end / start - 1) * 100,
        "annual_rate_pct": A.cagr(start, end, years),
        "annual_change": (end - start) / years,
        "how": how,
    }


def trend_rates(claims: pd.DataFrame) -> pd.DataFrame:
    """The plan's trend claims on profit, acquisition cost and commission, as annual rates.

    - industry profit margin 2020 and 2023 (plan 2.1);
    - acquisition cost: its 2023 level with the year-on-year rise (plan 2.1), and with the
      three-year rise of plan 5.2 (taken as 2020 to 2023);
    - platform commission rate 2020 and 2023 (plan 5.1).

    Returns
    -------
    pandas.DataFrame
        One row per trend: ``measure, claim_ids, start_year, end_year, start, end, unit,
        change`` (end minus start, in the unit: percentage points for rates),
        ``change_pct`` (relative), ``annual_rate_pct`` (compound annual rate of change,
        percent), ``annual_change`` (average change a year, in the unit) and ``how`` (the
        arithmetic).
    """
    m20 = pick(claims, "2.1", "industry_profit_margin", "2020")
    m23 = pick(claims, "2.1", "industry_profit_margin", "2023")
    cac = pick(claims, "2.1", "customer_acquisition_cost", "2023")
    cac_yoy = pick(claims, "2.1", "customer_acquisition_cost_growth", "2023")
    cac_3y = pick(claims, "5.2", "customer_acquisition_cost_growth", "3 years")
    c20 = pick(claims, "5.1", "platform_commission_rate", "2020")
    c23 = pick(claims, "5.1", "platform_commission_rate", "2023")
    end = int(cac["period"])
    rows = [
        _trend_row(
            "Industry average profit margin",
            [m20["id"], m23["id"]],
            int(m20["period"]),
            int(m23["period"]),
            float(m20["value"]),
            float(m23["value"]),
            "percent",
            "stated levels",
        ),
        _trend_row(
            "Acquisition cost, last year (plan 2.1)",
            [cac["id"], cac_yoy["id"]],
            end - 1,
            end,
            A.base_from_growth(float(cac["value"]), float(cac_yoy["value"])),
            float(cac["value"]),
            "yuan per customer",
            f"start = {cac['value']:g} / (1 + {cac_yoy['value']:g}%)",
        ),
        _trend_row(
            "Acquisition cost, three years (plan 5.2)",
            [cac["id"], cac_3y["id"]],
            end - 3,
            end,
            A.base_from_growth(float(cac["value"]), float(cac_3y["value"])),
            float(cac["value"]),
            "yuan per customer",
            f"start = {cac['value']:g} / (1 + {cac_3y['value']:g}%)",
        ),
        _trend_row(
            "Platform commission rate (plan 5.1)",
            [c20["id"], c23["id"]],
            int(c20["period"]),
            int(c23["period"]),
            float(c20["value"]),
            float(c23["value"]),
            "percent",
            "stated levels",
        ),
    ]
    return pd.DataFrame(rows)


def cac_earlier_years_rate(claims: pd.DataFrame) -> float:
    """Average yearly rise of the acquisition cost in the two years before the last (percent).

    If the cost rose by the three-year figure of plan 5.2 in all and by the plan 2.1 figure
    in the last year, the two years before rose by this much a year on average.
    """
    yoy = pick(claims, "2.1", "customer_acquisition_cost_growth", "2023")
    three = pick(claims, "5.2", "customer_acquisition_cost_growth", "3 years")
    ratio = (1 + three["value"] / 100) / (1 + yoy["value"] / 100)
    return (ratio**0.5 - 1) * 100
