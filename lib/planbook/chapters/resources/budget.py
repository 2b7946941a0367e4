"""Chapter 6's budget and people: every money figure in one unit, what adds up, who is hired.

Every budget figure of plan 6.1-6.3 goes into one table in one unit (100 million yuan,
亿元, the plan's own); the horizon totals, their allocation and the spending schedule
they imply follow from them. The checks that show which of them add up are the audit's
spec :mod:`planbook.methods.audit.checks_resources`, which also holds the unit conversion
and the horizon totals (re-exported here).
"""

from __future__ import annotations

import pandas as pd

from planbook.data.plan import convert, pick
from planbook.methods.audit.checks_resources import (
    MONEY,
    READINGS,
    Reading,
    budget_checks,
    horizon_totals,
    money_amount,
    to_yuan,
)

UNALLOCATED = "Not allocated by the plan"
"""The row of :func:`horizon_allocation` that holds what the plan leaves without a use."""

# (section, metric, period, item, horizon, role)
BUDGET_ITEMS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("6.3", "budget_total", "year 1", "First-year total", "year 1", "total"),
    ("6.3", "technology_budget", "year 1", "Technology", "year 1", "use"),
    ("6.3", "supply_chain_budget", "year 1", "Supply-chain build-out", "year 1", "use"),
    ("6.3", "marketing_budget", "year 1", "Marketing", "year 1", "use"),
    (
        "6.1",
        "smart_logistics_investment",
        "unspecified",
        "Hardware: smart logistics network",
        "not stated",
        "use",
    ),
    (
        "6.1",
        "ai_system_investment",
        "unspecified",
        "Software: AI middle platform",
        "not stated",
        "use",
    ),
    ("6.2", "annual_training_investment", "annual", "Training", "every year", "use"),
    (
        "6.3",
        "additional_funding",
        "3 years",
        "Further funding within three years",
        "within 3 years",
        "total",
    ),
    ("6.3", "overseas_ma_fund", "3 years", "Overseas M&A fund", "within 3 years", "use"),
    (
        "6.3",
        "green_bond_issuance",
        "3 years",
        "Green bonds for low-carbon logistics",
        "within 3 years",
        "source",
    ),
    ("6.3", "budget_total", "5 years", "Five-year cumulative total", "5 years", "total"),
    ("6.3", "ipo_proceeds", "5 years", "IPO proceeds", "within 5 years", "source"),
    (
        "6.3",
        "risk_reserve_share_of_revenue",
        "annual",
        "Risk reserve (share of revenue)",
        "every year",
        "reserve",
    ),
)


def budget_table(claims: pd.DataFrame, usd_cny_rate: float) -> pd.DataFrame:
    """Every budget figure of plan 6.1-6.3, as stated and in 100 million yuan.

    ``role`` says what a figure is: a ``total``, a ``use`` of money, a ``source`` of it, or
    a ``reserve`` rule (a share of revenue, with no yuan value since the plan gives no
    revenue).
    """
    rows = []
    for section, metric, period, item, horizon, role in BUDGET_ITEMS:
        r = pick(claims, section, metric, period)
        rows.append(
            {
                "item": item,
                "claim_id": r["id"],
                "section": section,
                "horizon": horizon,
                "role": role,
                "stated": float(r["value"]),
                "unit": r["unit"],
                "value_100m_yuan": to_yuan(r, usd_cny_rate),
            }
        )
    return pd.DataFrame(rows)


def horizon_allocation(claims: pd.DataFrame, usd_cny_rate: float, reading: Reading) -> pd.DataFrame:
    """What the plan allocates within each cumulative horizon, and what it leaves open.

    Rows are the named uses (the first-year split, the M&A fund, the green-bond-financed
    logistics) plus ``Not allocated by the plan`` (the stated total minus the named uses;
    negative when the named uses exceed it); columns are the horizons of
    :func:`horizon_totals`; values in 100 million yuan.
    """
    totals = horizon_totals(claims, reading)
    named = {
        "Technology (year 1)": money_amount(claims, "6.3", "technology_budget", "year 1", 1.0),
        "Supply chain (year 1)": money_amount(claims, "6.3", "supply_chain_budget", "year 1", 1.0),
        "Marketing (year 1)": money_amount(claims, "6.3", "marketing_budget", "year 1", 1.0),
        "Overseas M&A fund": money_amount(
            claims, "6.3", "overseas_ma_fund", "3 years", usd_cny_rate
        ),
        "Green-bond logistics": money_amount(claims, "6.3", "green_bond_issuance", "3 years", 1.0),
    }
    from_horizon = {
        "Technology (year 1)": 0,
        "Supply chain (year 1)": 0,
        "Marketing (year 1)": 0,
        "Overseas M&A fund": 1,
        "Green-bond logistics": 1,
    }
    table = pd.DataFrame(
        {
            h: [v if from_horizon[k] <= i else 0.0 for k, v in named.items()]
            for i, h in enumerate(totals.index)
        },
        index=pd.Index(list(named), name="component"),
    )
    table.loc[UNALLOCATED] = totals - table.sum()
    return table


def spending_schedule(claims: pd.DataFrame, reading: Reading, years: int) -> pd.Series:
    """Spending by plan year implied by the horizon totals (100 million yuan).

    Year 1 is the first-year total; the rest of the three-year total is spread evenly over
    years 2 and 3, the rest of the five-year total over years 4 and 5; the plan states no
    spending after year 5, so later years are zero.
    """
    if years < 1:
        raise ValueError(f"years must be at least 1; got {years!r}")
    y1, y3, y5 = horizon_totals(claims, reading)
    per_year = {1: y1, 2: (y3 - y1) / 2, 3: (y3 - y1) / 2, 4: (y5 - y3) / 2, 5: (y5 - y3) / 2}
    index = pd.RangeIndex(1, years + 1, name="year")
    return pd.Series([per_year.get(y, 0.0) for y in index], index=index, name="spending")


# --------------------------------------------------------------------------- people

HEADCOUNTS: tuple[tuple[str, str, str], ...] = (
    ("Data scientists and algorithm engineers to hire", "tech_hires", "6.2"),
    ("Operations team (lower-tier and cross-border)", "operations_team_size", "6.2"),
    ("Legal and tax experts (compliance committee)", "compliance_experts", "6.2"),
)


def people_table(claims: pd.DataFrame) -> pd.DataFrame:
    """The headcounts of plan 6.2 with their total."""
    rows = []
    for label, metric, section in HEADCOUNTS:
        r = pick(claims, section, metric, "unspecified")
        rows.append({"group": label, "claim_id": r["id"], "people": float(r["value"])})
    out = pd.DataFrame(rows)
    total = {"group": "Named people in all", "claim_id": "", "people": out["people"].sum()}
    return pd.concat([out, pd.DataFrame([total])], ignore_index=True)


def implied_workforce(share_from_pct: float, share_to_pct: float, hires: float) -> float:
    """Workforce before hiring for which ``hires`` new digital staff alone lift the digital
    share from ``share_from_pct`` to ``share_to_pct``.

    Solves ``(s0 N + h) / (N + h) = s1`` for ``N``: ``N = h (1 - s1) / (s1 - s0)``.

    >>> implied_workforce(35, 60, 500)
    800.0
    """
    s0, s1 = share_from_pct / 100, share_to_pct / 100
    if not 0 <= s0 < s1 < 1:
        raise ValueError("need 0 <= share_from < share_to < 100")
    return hires * (1 - s1) / (s1 - s0)


def people_numbers(claims: pd.DataFrame, reading: Reading) -> dict[str, float]:
    """The implied figures of plan 6.2: training per named person, training's share of the
    five-year budget, and the workforce the digital-talent target implies if met by hiring."""
    people = people_table(claims)
    named = float(people["people"].iloc[-1])
    training = to_yuan(pick(claims, "6.2", "annual_training_investment", "annual"), 1.0)
    s0 = float(pick(claims, "6.2", "digital_talent_share", "current")["value"])
    s1 = float(pick(claims, "6.2", "digital_talent_share", "unspecified")["value"])
    hires = float(pick(claims, "6.2", "tech_hires", "unspecified")["value"])
    five = float(horizon_totals(claims, reading).iloc[-1])
    return {
        "named_people": named,
        "training_per_year": training,
        "training_per_named_person_yuan": convert(training, MONEY, "yuan") / named,
        "training_five_years": 5 * training,
        "training_share_of_five_year_pct": 5 * training / five * 100,
        "digital_share_from": s0,
        "digital_share_to": s1,
        "hires_only_workforce": implied_workforce(s0, s1, hires),
    }


__all__ = [
    "BUDGET_ITEMS",
    "HEADCOUNTS",
    "MONEY",
    "READINGS",
    "UNALLOCATED",
    "Reading",
    "budget_checks",
    "budget_table",
    "horizon_allocation",
    "horizon_totals",
    "implied_workforce",
    "people_numbers",
    "people_table",
    "spending_schedule",
    "to_yuan",
]
