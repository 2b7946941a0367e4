"""Chapter 2 (core problems and challenges): gaps to benchmarks, trends, and customer economics.

The plan's chapter 2 names problems in five themes (sections 2.1 to 2.5) and quantifies
them in three ways: against a benchmark (an international, developed-country, offline or
global level), as a change over time, or as a bare level or a case. This module turns
each of those into a tidy table; the customer-economics model lives in
:mod:`planbook.methods.models.customer_economics`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from planbook.data.plan import pick, select
from planbook.errors import InputError
from planbook.methods import arithmetic as A
from planbook.methods.models import customer_economics as CE

if TYPE_CHECKING:
    from planbook.engine.params import ChallengesParams

THEMES: dict[str, str] = {
    "2.1": "Competition and traffic",
    "2.2": "Supply chain",
    "2.3": "Data security and privacy",
    "2.4": "Cross-border",
    "2.5": "Compliance of new models",
}
"""The plan's chapter-2 sections and the theme each covers."""

Better = Literal["higher", "lower"]
How = Literal["level", "points_gap", "relative_above", "relative_below", "absolute_only"]
SeverityMeasure = Literal["log_ratio", "relative_gap"]


@dataclass(frozen=True)
class GapSpec:
    """How one problem's gap to its benchmark is read from the claims.

    Attributes
    ----------
    problem
        Our English label.
    section
        Plan section of both figures.
    metric, period
        The current value's claim (``None`` when the plan states only the gap).
    benchmark
        Who the benchmark is, in words.
    gap_metric
        The claim giving the benchmark: its level (``how="level"``), or the gap to it.
    how
        ``level``: the claim is the benchmark's value; ``points_gap``: an absolute gap in
        the metric's own unit; ``relative_above`` / ``relative_below``: the current value is
        that many percent above / below the benchmark (expressed as an index, benchmark =
        100); ``absolute_only``: only the absolute gap is stated.
    better
        Whether a higher or a lower value is better.
    """

    problem: str
    section: str
    metric: str | None
    period: str
    benchmark: str
    gap_metric: str
    how: How
    better: Better


GAPS: tuple[GapSpec, ...] = (
    GapSpec(
        "Repurchase rate",
        "2.1",
        "repurchase_rate",
        "current",
        "offline retail",
        "repurchase_rate_gap_to_offline_retail",
        "points_gap",
        "higher",
    ),
    GapSpec(
        "Apparel inventory turnover days",
        "2.2",
        "inventory_turnover_days",
        "current",
        "international best practice",
        "inventory_turnover_days_gap_to_international",
        "points_gap",
        "lower",
    ),
    GapSpec(
        "Fresh-produce spoilage rate",
        "2.2",
        "fresh_produce_spoilage_rate",
        "current",
        "developed countries",
        "fresh_produce_spoilage_rate",
        "level",
        "lower",
    ),
    GapSpec(
        "Supply-chain response cycle (a brand)",
        "2.2",
        "supply_chain_response_cycle",
        "current",
        "international leaders",
        "supply_chain_response_cycle_gap_to_leaders",
        "points_gap",
        "lower",
    ),
    GapSpec(
        "Rural delivery cost",
        "2.2",
        None,
        "current",
        "urban areas",
        "rural_delivery_cost_premium",
        "relative_above",
        "lower",
    ),
    GapSpec(
        "Rural delivery time",
        "2.2",
        None,
        "current",
        "urban areas",
        "rural_delivery_delay_vs_urban",
        "absolute_only",
        "lower",
    ),
    GapSpec(
        "Return rate in the Middle East (a brand)",
        "2.4",
        "return_rate",
        "current",
        "global average",
        "return_rate_gap_to_global_average",
        "points_gap",
        "lower",
    ),
    GapSpec(
        "Cross-border conversion rate",
        "2.4",
        None,
        "current",
        "local platforms",
        "conversion_rate_gap_vs_local_platforms",
        "relative_below",
        "higher",
    ),
)
"""Every chapter-2 problem the plan sets against a benchmark."""


def _gap_claim(claims: pd.DataFrame, spec: GapSpec) -> pd.Series:
    found = select(claims, section=spec.section, metric=spec.gap_metric)
    if spec.how == "level":
        found = found[found["kind"] == "benchmark"]
    if len(found) != 1:
        raise KeyError(
            f"expected one claim {spec.gap_metric!r} in section {spec.section}, found {len(found)}"
        )
    return found.iloc[0]


def _current_claim(claims: pd.DataFrame, spec: GapSpec) -> pd.Series:
    found = select(claims, section=spec.section, metric=spec.metric, period=spec.period)
    found = found[found["kind"] != "benchmark"]
    if len(found) != 1:
        raise KeyError(
            f"expected one claim {spec.metric!r} ({spec.period}) in section {spec.section}, "
            f"found {len(found)}"
        )
    return found.iloc[0]


def severity(current: float, benchmark: float, measure: SeverityMeasure) -> float:
    """How far a value is from its benchmark, on a scale that compares unlike metrics.

    ``log_ratio``: ``|ln(current / benchmark)|``, the same for a value twice its benchmark
    and one half of it, whichever way is worse. ``relative_gap``: ``|current - benchmark| /
    benchmark``, the gap as a share of the benchmark (a shortfall can never exceed 1, an
    excess can).
    """
    if measure not in ("log_ratio", "relative_gap"):
        raise InputError(
            f"severity measure {measure!r} is unknown; use 'log_ratio' or 'relative_gap'"
        )
    if not (current > 0 and benchmark > 0):
        return math.nan
    if measure == "log_ratio":
        return abs(math.log(current / benchmark))
    return abs(current - benchmark) / benchmark


def gap_table(claims: pd.DataFrame, measure: SeverityMeasure = "log_ratio") -> pd.DataFrame:
    """Each benchmarked problem: current value, benchmark, absolute and relative gap, severity.

    Returns
    -------
    pandas.DataFrame
        One row per :data:`GAPS` entry, in plan order, with ``theme, section, problem,
        claim_ids, basis`` (industry figure or a single firm's case), ``current, bound``
        (of the current value as stated), ``benchmark_name,
        benchmark, unit, better, gap_abs`` (current minus benchmark, in the unit),
        ``gap_rel_pct`` (that difference as percent of the benchmark), ``severity``
        (per ``measure``; ``nan`` when only the absolute gap is stated) and ``factor``
        (``exp(log ratio)``: how many times worse than the benchmark).
    """
    rows = []
    for spec in GAPS:
        gap = _gap_claim(claims, spec)
        ids = [gap["id"]]
        bound = ""
        kind = gap["kind"]
        if spec.how in ("relative_above", "relative_below"):
            sign = 1.0 if spec.how == "relative_above" else -1.0
            benchmark, current = 100.0, 100.0 + sign * float(gap["value"])
            unit = f"index ({spec.benchmark} = 100)"
        elif spec.how == "absolute_only":
            benchmark = current = math.nan
            unit = gap["unit"]
        else:
            cur = _current_claim(claims, spec)
            ids.insert(0, cur["id"])
            kind = cur["kind"]
            current, unit = float(cur["value"]), cur["unit"]
            bound = cur["bound"] if isinstance(cur["bound"], str) else ""
            if spec.how == "level":
                benchmark = float(gap["value"])
            else:
                worse = -1.0 if spec.better == "higher" else 1.0
                benchmark = current - worse * float(gap["value"])
        gap_abs = float(gap["value"]) if spec.how == "absolute_only" else current - benchmark
        rows.append(
            {
                "theme": THEMES[spec.section],
                "section": spec.section,
                "problem": spec.problem,
                "claim_ids": ", ".join(ids),
                "basis": "a single firm's case" if kind == "case_study" else "industry",
                "current": current,
                "bound": bound,
                "benchmark_name": spec.benchmark,
                "benchmark": benchmark,
                "unit": unit,
                "better": spec.better,
                "gap_abs": gap_abs,
                "gap_rel_pct": gap_abs / benchmark * 100 if benchmark == benchmark else math.nan,
                "severity": severity(current, benchmark, measure),
                "factor": current / benchmark if spec.better == "lower" else benchmark / current,
            }
        )
    return pd.DataFrame(rows)


def ranked_gaps(gaps: pd.DataFrame) -> pd.DataFrame:
    """The gaps that have a severity, most severe first."""
    ranked = gaps.dropna(subset=["severity"])
    return ranked.sort_values("severity", ascending=False, ignore_index=True)


def unbenchmarked(claims: pd.DataFrame) -> pd.DataFrame:
    """Chapter-2 figures that are not part of any benchmark gap, with their theme.

    These are the problems the plan quantifies without a yardstick: levels, growth rates,
    fines and case figures.
    """
    gaps = gap_table(claims)
    used = {i.strip() for ids in gaps["claim_ids"] for i in ids.split(",")}
    rest = select(claims, chapter=2)
    rest = rest[~rest["id"].isin(used)].copy()
    rest.insert(0, "theme", rest["section"].map(THEMES))
    return rest[
        ["theme", "section", "id", "metric", "entity", "period", "kind", "value", "unit", "bound"]
    ].reset_index(drop=True)


def theme_counts(claims: pd.DataFrame) -> pd.DataFrame:
    """Per theme: figures stated, problems set against a benchmark, figures without one."""
    gaps = gap_table(claims)
    ch2 = select(claims, chapter=2)
    rest = unbenchmarked(claims)
    out = pd.DataFrame({"section": list(THEMES), "theme": list(THEMES.values())})
    out["figures"] = out["section"].map(ch2.groupby("section").size()).fillna(0).astype(int)
    out["benchmarked_problems"] = (
        out["section"].map(gaps.groupby("section").size()).fillna(0).astype(int)
    )
    out["figures_without_benchmark"] = (
        out["section"].map(rest.groupby("section").size()).fillna(0).astype(int)
    )
    return out


# --------------------------------------------------------------------------- trends


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


# --------------------------------------------------------------------------- checks


def _bound_check(
    check: str, ids: list[str], stated: float, bound: str, value: float, arithmetic: str
) -> A.Check:
    """A value checked against a stated bound ('lt': under, 'gt': over the stated figure)."""
    ok = value < stated if bound == "lt" else value > stated
    return A.Check(
        check=check,
        claim_ids=", ".join(ids),
        stated=stated,
        recomputed=value,
        unit="percent",
        difference=value - stated,
        tolerance=0.0,
        verdict="consistent" if ok else "inconsistent",
        arithmetic=arithmetic,
    )


def internal_checks(
    claims: pd.DataFrame, rate_tolerance_pp: float, level_tolerance_pct: float
) -> pd.DataFrame:
    """Recompute what chapter 2's figures imply and compare it with what the plan says.

    - the return on ad spend (plan 5.2) puts acquisition spending at ``1 / ROAS`` of the
      revenue it brings, which should be over the 40% of revenue of plan 2.1;
    - the share of users giving consent: under 50% in plan 2.3, 58% for 2023 in plan 1.4;
    - the repurchase rate: under 30% in plan 2.1, exactly 30% as the baseline of plan 3.1;
    - the international leaders' response cycle implied by plan 2.2 against the five-year
      target of plan 3.1, which calls that target the international leading level.
    """
    roas = pick(claims, "5.2", "roas", "current")
    sme = pick(claims, "2.1", "sme_acquisition_cost_share_of_revenue", "current")
    implied = 100.0 / float(roas["value"])
    checks = [
        _bound_check(
            "Acquisition spending share of revenue implied by ROAS (over the 2.1 figure?)",
            [sme["id"], roas["id"]],
            float(sme["value"]),
            "gt",
            implied,
            f"1 / {roas['value']:g} = {implied:.1f}% of revenue",
        )
    ]
    consent = pick(claims, "2.3", "user_consent_rate", "current")
    consent14 = pick(claims, "1.4", "user_consent_rate", "2023")
    checks.append(
        _bound_check(
            "User consent rate: 2.3 'under' figure against 1.4 (2023)",
            [consent["id"], consent14["id"]],
            float(consent["value"]),
            "lt",
            float(consent14["value"]),
            f"1.4 states {consent14['value']:g}% for 2023; 2.3 says under {consent['value']:g}%",
        )
    )
    rep21 = pick(claims, "2.1", "repurchase_rate", "current")
    rep31 = pick(claims, "3.1", "repurchase_rate", "current")
    checks.append(
        A.compare_rate(
            "Repurchase rate: 2.1 'under' figure against the 3.1 baseline",
            [rep21["id"], rep31["id"]],
            float(rep21["value"]),
            float(rep31["value"]),
            rate_tolerance_pp,
            f"2.1 says under {rep21['value']:g}%; 3.1 starts from {rep31['value']:g}%",
        )
    )
    cycle = pick(claims, "2.2", "supply_chain_response_cycle", "current")
    lag = pick(claims, "2.2", "supply_chain_response_cycle_gap_to_leaders", "current")
    target = pick(claims, "3.1", "supply_chain_response_cycle", "5 years")
    leaders = float(cycle["value"]) - float(lag["value"])
    checks.append(
        A.compare_level(
            "International leaders' response cycle (2.2) against the 3.1 target",
            [target["id"], cycle["id"], lag["id"]],
            float(target["value"]),
            leaders,
            "days",
            level_tolerance_pct,
            f"{cycle['value']:g} - {lag['value']:g} = {leaders:g} days",
        )
    )
    return A.checks_frame(checks)


# --------------------------------------------------------------------------- economics


def economics(
    claims: pd.DataFrame, params: ChallengesParams
) -> tuple[CE.CustomerEconomics, pd.DataFrame]:
    """The customer-economics inputs of chapter 2's parameters (the plan's where left empty)."""
    return CE.from_plan(
        claims,
        discount_rate_pct=params.discount_rate_pct,
        lifetime_years=params.customer_lifetime_years,
        order_value_yuan=params.order_value_yuan,
        orders_per_year=params.orders_per_year,
        margin_pct=params.margin_pct,
        repurchase_rate_pct=params.repurchase_rate_pct,
    )


MARGIN_CASES = (
    ("industry profit margin, 2023", "2.1", "industry_profit_margin", "2023"),
    ("industry profit margin, 2020", "2.1", "industry_profit_margin", "2020"),
    ("overseas gross margin target", "3.2", "overseas_gross_margin", "years 5+"),
    ("overall gross margin target", "8.1", "gross_margin", "unspecified"),
)
"""Margins the plan states, for the what-if table."""


def margin_what_if(claims: pd.DataFrame, econ: CE.CustomerEconomics) -> pd.DataFrame:
    """The model at each margin the plan states, other inputs held.

    Returns
    -------
    pandas.DataFrame
        ``case, section, claim_id, margin_pct, ltv, ltv_to_cac, profit_per_customer,
        payback_orders_undiscounted``.
    """
    rows = []
    for label, section, metric, period in MARGIN_CASES:
        row = pick(claims, section, metric, period)
        out = CE.evaluate(replace(econ, margin=float(row["value"]) / 100))
        rows.append(
            {
                "case": label,
                "section": section,
                "claim_id": row["id"],
                "margin_pct": float(row["value"]),
                "ltv": out["ltv"],
                "ltv_to_cac": out["ltv_to_cac"],
                "profit_per_customer": out["profit_per_customer"],
                "payback_orders_undiscounted": out["payback_orders_undiscounted"],
            }
        )
    return pd.DataFrame(rows)


def repurchase_curve(
    econ: CE.CustomerEconomics, margins_pct: list[float], points: int = 91
) -> pd.DataFrame:
    """LTV/CAC as the repurchase rate runs from 0 to 90%, for each of several margins.

    Returns
    -------
    pandas.DataFrame
        Long format: ``margin_pct, repurchase_pct, ltv_to_cac``.
    """
    grid = np.linspace(0.0, 0.9, points)
    frames = []
    for m in margins_pct:
        base = replace(econ, margin=m / 100)
        s = CE.sweep(base, "repurchase", grid)
        frames.append(
            pd.DataFrame(
                {
                    "margin_pct": m,
                    "repurchase_pct": s["repurchase"] * 100,
                    "ltv_to_cac": s["ltv_to_cac"],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


# --------------------------------------------------------------------------- headline


def headline(params: ChallengesParams, claims: pd.DataFrame) -> dict[str, float]:
    """Chapter 2's key numbers under ``params`` (fast: no forecasting, no plotting).

    Keys: the number of benchmarked problems, the most severe gap's severity and
    factor, the model's LTV (yuan), LTV/CAC and break-even margin (percent), the orders
    needed to repay acquisition, and the annual rate of change of the industry profit
    margin (percent a year).
    """
    table = gap_table(claims, params.severity_measure)
    gaps = ranked_gaps(table)
    econ, _ = economics(claims, params)
    out = CE.evaluate(econ)
    trends = trend_rates(claims).set_index("measure")
    return {
        "benchmarked_problems": float(len(table)),
        "top_gap_severity": float(gaps["severity"].iloc[0]),
        "top_gap_factor": float(gaps["factor"].iloc[0]),
        "ltv_yuan": out["ltv"],
        "ltv_to_cac": out["ltv_to_cac"],
        "break_even_margin_pct": out["break_even_margin"] * 100,
        "payback_orders_undiscounted": out["payback_orders_undiscounted"],
        "profit_margin_annual_rate_pct": float(
            trends.loc["Industry average profit margin", "annual_rate_pct"]
        ),
    }
