"""Chapter 6's checks: which of the plan's budget figures add up.

The check of the ``budget_checks`` spec (:data:`planbook.methods.audit.specs.CHECK_SPECS`)
and what it needs, which chapter 6 uses too (:mod:`planbook.chapters.resources.budget`):
every money amount in one unit (100 million yuan, 亿元, the plan's own) and the horizon
totals under either reading of plan 6.3's three-year money. The exchange rate and the
reading are plain arguments; their defaults are the chapter's parameter schema's.
"""

from __future__ import annotations

import math
from typing import Literal

import pandas as pd

from planbook.data.amounts import figure, in_scale
from planbook.data.plan import convert, pick
from planbook.methods import arithmetic as A

MONEY = "100m_yuan"
"""Unit of every money amount of the chapter (亿元)."""

Reading = Literal["additional", "cumulative"]

READINGS: tuple[Reading, ...] = ("additional", "cumulative")
"""The two readings of plan 6.3's three-year money."""


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


def money_amount(
    claims: pd.DataFrame, section: str, metric: str, period: str, usd_cny_rate: float
) -> float:
    """One money claim (by section, metric and period) in 100 million yuan (:func:`to_yuan`)."""
    return to_yuan(pick(claims, section, metric, period), usd_cny_rate)


def horizon_totals(claims: pd.DataFrame, reading: Reading) -> pd.Series:
    """Cumulative spending by horizon (100 million yuan): year 1, three years, five years.

    ``reading`` decides plan 6.3's three-year figure: ``"additional"`` adds it to the
    first year, ``"cumulative"`` takes it as the three-year total.
    """
    if reading not in ("additional", "cumulative"):
        raise ValueError(f"reading must be 'additional' or 'cumulative'; got {reading!r}")
    year1 = money_amount(claims, "6.3", "budget_total", "year 1", 1.0)
    extra = money_amount(claims, "6.3", "additional_funding", "3 years", 1.0)
    five = money_amount(claims, "6.3", "budget_total", "5 years", 1.0)
    three = year1 + extra if reading == "additional" else extra
    return pd.Series(
        [year1, three, five],
        index=pd.Index(["Year 1", "Years 1-3", "Years 1-5"], name="horizon"),
        name="total",
    )


def budget_checks(claims: pd.DataFrame, usd_cny_rate: float, reading: Reading) -> pd.DataFrame:
    """Which budget figures add up (:func:`planbook.methods.arithmetic.checks_frame` layout)."""
    g = {
        key: pick(claims, *key)
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

    def b(x: float) -> str:  # an amount in 100 million yuan, written in billions
        return figure(in_scale(x, MONEY, "billion")[0])

    split = v(tech) + v(chain) + v(mkt)
    checks = [
        A.compare_level(
            "First-year split adds up to the first-year total",
            [total1["id"], tech["id"], chain["id"], mkt["id"]],
            v(total1),
            split,
            MONEY,
            0.0,
            f"{b(v(tech))} + {b(v(chain))} + {b(v(mkt))} = {b(split)} billion yuan",
        ),
        A.compare_at_most(
            "Plan 6.1 hardware and software within the first-year technology budget",
            [hw["id"], sw["id"], tech["id"]],
            v(tech),
            v(hw) + v(sw),
            f"{b(v(hw))} + {b(v(sw))} = {b(v(hw) + v(sw))} against {b(v(tech))} billion yuan",
            unit=MONEY,
        ),
        A.compare_at_most(
            "Plan 6.1 hardware and software within first-year technology and supply chain",
            [hw["id"], sw["id"], tech["id"], chain["id"]],
            v(tech) + v(chain),
            v(hw) + v(sw),
            f"{b(v(hw) + v(sw))} against {b(v(tech))} + {b(v(chain))} = "
            f"{b(v(tech) + v(chain))} billion yuan",
            unit=MONEY,
        ),
        A.compare_at_most(
            "Training fits in the first-year split",
            [training["id"], total1["id"], tech["id"], chain["id"], mkt["id"]],
            v(total1),
            split + v(training),
            f"split {b(split)} + training {b(v(training))} = {b(split + v(training))} "
            f"against {b(v(total1))} billion yuan (unless training sits inside technology)",
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
            f"{b(fund['value'])} billion US dollars x {usd_cny_rate:g} + {b(v(bonds))} = "
            f"{b(v(fund) + v(bonds))} against {b(room)} billion yuan ({reading} reading)",
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
            f"{b(float(totals.iloc[1]))} against {b(v(total5))} billion yuan ({reading} reading)",
            unit=MONEY,
        )
    )
    return A.checks_frame(checks)


__all__ = [
    "MONEY",
    "READINGS",
    "Reading",
    "budget_checks",
    "horizon_totals",
    "money_amount",
    "to_yuan",
]
