"""Chapter 6's budget and people: every money figure in one unit, what adds up, who is hired.

Every budget figure of plan 6.1-6.3 goes into one table in one unit (100 million yuan,
亿元, the plan's own); the horizon totals, their allocation and the spending schedule
they imply follow from them, and the checks show which of them add up.
"""

from __future__ import annotations

import math
from typing import Literal

import pandas as pd

from planbook.data.plan import convert, pick
from planbook.methods import arithmetic as A

MONEY = "100m_yuan"
"""Unit of every money amount of the chapter (亿元)."""

Reading = Literal["additional", "cumulative"]

READINGS: tuple[Reading, ...] = ("additional", "cumulative")
"""The two readings of plan 6.3's three-year money."""

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


def _row(claims: pd.DataFrame, section: str, metric: str, period: str) -> pd.Series:
    return pick(claims, section, metric, period)


def to_yuan(row: pd.Series, usd_cny_rate: float) -> float:
    """A money claim in 100 million yuan; US dollars converted at ``usd_cny_rate``.

    Returns ``nan`` for a claim that is not an amount of money (a percentage).
    """
    unit = str(row["unit"])
    value = float(row["value"])
    if unit == "100m_usd":
        return value * usd_cny_rate
    try:
        return convert(value, unit, MONEY)
    except ValueError:
        return math.nan


def budget_table(claims: pd.DataFrame, usd_cny_rate: float) -> pd.DataFrame:
    """Every budget figure of plan 6.1-6.3, as stated and in 100 million yuan.

    ``role`` says what a figure is: a ``total``, a ``use`` of money, a ``source`` of it, or
    a ``reserve`` rule (a share of revenue, with no yuan value since the plan gives no
    revenue).
    """
    rows = []
    for section, metric, period, item, horizon, role in BUDGET_ITEMS:
        r = _row(claims, section, metric, period)
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


def _amount(claims: pd.DataFrame, section: str, metric: str, period: str, rate: float) -> float:
    return to_yuan(_row(claims, section, metric, period), rate)


def horizon_totals(claims: pd.DataFrame, reading: Reading) -> pd.Series:
    """Cumulative spending by horizon (100 million yuan): year 1, three years, five years.

    ``reading`` decides plan 6.3's three-year figure: ``"additional"`` adds it to the
    first year, ``"cumulative"`` takes it as the three-year total.
    """
    if reading not in ("additional", "cumulative"):
        raise ValueError(f"reading must be 'additional' or 'cumulative'; got {reading!r}")
    year1 = _amount(claims, "6.3", "budget_total", "year 1", 1.0)
    extra = _amount(claims, "6.3", "additional_funding", "3 years", 1.0)
    five = _amount(claims, "6.3", "budget_total", "5 years", 1.0)
    three = year1 + extra if reading == "additional" else extra
    return pd.Series(
        [year1, three, five],
        index=pd.Index(["Year 1", "Years 1-3", "Years 1-5"], name="horizon"),
        name="total",
    )


def horizon_allocation(claims: pd.DataFrame, usd_cny_rate: float, reading: Reading) -> pd.DataFrame:
    """What the plan allocates within each cumulative horizon, and what it leaves open.

    Rows are the named uses (the first-year split, the M&A fund, the green-bond-financed
    logistics) plus ``Not allocated by the plan`` (the stated total minus the named uses;
    negative when the named uses exceed it); columns are the horizons of
    :func:`horizon_totals`; values in 100 million yuan.
    """
    totals = horizon_totals(claims, reading)
    named = {
        "Technology (year 1)": _amount(claims, "6.3", "technology_budget", "year 1", 1.0),
        "Supply chain (year 1)": _amount(claims, "6.3", "supply_chain_budget", "year 1", 1.0),
        "Marketing (year 1)": _amount(claims, "6.3", "marketing_budget", "year 1", 1.0),
        "Overseas M&A fund": _amount(claims, "6.3", "overseas_ma_fund", "3 years", usd_cny_rate),
        "Green-bond logistics": _amount(claims, "6.3", "green_bond_issuance", "3 years", 1.0),
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


def budget_checks(claims: pd.DataFrame, usd_cny_rate: float, reading: Reading) -> pd.DataFrame:
    """Which budget figures add up (:func:`planbook.methods.arithmetic.checks_frame` layout)."""
    g = {
        key: _row(claims, *key)
        for key in [
            ("6.3", "budget_total", "year 1"),
            ("6.3", "technology_budget", "year 1"),
            ("6.3", "supply_chain_budget", "year 1"),
            ("6.3", "marketing_budget", "year 1"),
            ("6.1", "smart_logistics_investment", "unspecified"),
            ("6.1", "ai_system_investment", "unspecified"),
            ("6.3", "additional_funding", "3 years"),
            ("6.3", "overseas_ma_fund", "3 years"),
            ("6.3", "green_bond_issuance", "3 years"),
            ("6.3", "budget_total", "5 years"),
            ("6.2", "annual_training_investment", "annual"),
        ]
    }
    total1, tech, chain, mkt, hw, sw, extra, fund, bonds, total5, training = g.values()

    def v(row: pd.Series) -> float:
        return to_yuan(row, usd_cny_rate)

    split = v(tech) + v(chain) + v(mkt)
    checks = [
        A.compare_level(
            "First-year split adds up to the first-year total",
            [total1["id"], tech["id"], chain["id"], mkt["id"]],
            v(total1),
            split,
            MONEY,
            0.0,
            f"{v(tech):g} + {v(chain):g} + {v(mkt):g} = {split:g}",
        ),
        A.compare_at_most(
            "Plan 6.1 hardware and software within the first-year technology budget",
            [hw["id"], sw["id"], tech["id"]],
            v(tech),
            v(hw) + v(sw),
            f"{v(hw):g} + {v(sw):g} = {v(hw) + v(sw):g} against {v(tech):g}",
            unit=MONEY,
        ),
        A.compare_at_most(
            "Plan 6.1 hardware and software within first-year technology and supply chain",
            [hw["id"], sw["id"], tech["id"], chain["id"]],
            v(tech) + v(chain),
            v(hw) + v(sw),
            f"{v(hw) + v(sw):g} against {v(tech):g} + {v(chain):g} = {v(tech) + v(chain):g}",
            unit=MONEY,
        ),
        A.compare_at_most(
            "Training fits in the first-year split",
            [training["id"], total1["id"], tech["id"], chain["id"], mkt["id"]],
            v(total1),
            split + v(training),
            f"split {split:g} + training {v(training):g} = {split + v(training):g} "
            f"against {v(total1):g} (unless training sits inside technology)",
            unit=MONEY,
        ),
    ]
    room = v(extra) if reading == "additional" else v(extra) - v(total1)
    checks.append(
        A.compare_at_most(
            "M&A fund and green bonds within the three-year funding",
            [fund["id"], bonds["id"], extra["id"]],
            room,
            v(fund) + v(bonds),
            f"{fund['value']:g} x {usd_cny_rate:g} + {v(bonds):g} = {v(fund) + v(bonds):.1f} "
            f"against {room:g} ({reading} reading)",
            unit=MONEY,
        )
    )
    totals = horizon_totals(claims, reading)
    checks.append(
        A.compare_at_most(
            "Three-year total within the five-year total",
            [total1["id"], extra["id"], total5["id"]],
            v(total5),
            float(totals.iloc[1]),
            f"{totals.iloc[1]:g} against {v(total5):g} ({reading} reading)",
            unit=MONEY,
        )
    )
    return A.checks_frame(checks)


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
        r = _row(claims, section, metric, "unspecified")
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
    training = to_yuan(_row(claims, "6.2", "annual_training_investment", "annual"), 1.0)
    s0 = float(_row(claims, "6.2", "digital_talent_share", "current")["value"])
    s1 = float(_row(claims, "6.2", "digital_talent_share", "unspecified")["value"])
    hires = float(_row(claims, "6.2", "tech_hires", "unspecified")["value"])
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
