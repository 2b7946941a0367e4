"""Chapter 2's problems against the plan's own benchmarks: gaps, severity, what has none.

The plan's chapter 2 names problems in five themes (sections 2.1 to 2.5) and quantifies
them in three ways: against a benchmark (an international, developed-country, offline or
global level), as a change over time, or as a bare level or a case. This module reads the
first kind (:data:`GAPS`) and counts the rest.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from planbook.data.plan import select
from planbook.errors import InputError

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
