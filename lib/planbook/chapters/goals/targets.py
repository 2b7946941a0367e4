"""Chapter 3's targets: each with its baseline, horizon and the annual rate it asks for."""

from __future__ import annotations

import math

import pandas as pd

from planbook.data.periods import parse_period
from planbook.data.plan import convert, select
from planbook.methods import arithmetic as A

RECURRING = ("annual", "quarterly", "monthly", "weekly")
"""Periods of recurring targets (budgets and KPIs): they have no horizon to grow towards."""

CHANGE_SUFFIXES = {"_reduction": -1.0, "_uplift": 1.0, "_improvement": 1.0}
"""Metric suffixes of targets stated as a relative change (percent), and its sign."""

GROWTH_SUFFIX = "_cagr"
"""Metric suffix of targets stated as a compound annual growth rate."""

AMOUNT_UNITS = ("count", "10k_count", "100m_yuan", "10k_yuan", "years")
"""Units of targets that are amounts to spend, build or reach, not rates of a stated level."""


def horizon_years(period: str, unspecified_years: float) -> tuple[float, bool]:
    """Years from "now" to a target's end, and whether the plan states the horizon.

    ``"12 months"`` is 1, ``"3 years"`` 3, ``"years 3-4"`` 4 (the end of the phase),
    ``"years 5+"`` 5 (the earliest end), ``"months 7-18"`` 1.5. ``"unspecified"`` takes
    ``unspecified_years`` (not stated); recurring periods (``annual``, ``monthly`` ...) and
    anything else have no horizon (``nan``). See :meth:`planbook.data.periods.Period.horizon`.

    >>> horizon_years("years 3-4", 3)
    (4.0, True)
    >>> horizon_years("unspecified", 3)
    (3.0, False)
    """
    return parse_period(period).horizon(unspecified_years)


def _change_sign(metric: str) -> float:
    """+1 for an uplift or improvement, -1 for a reduction."""
    for suffix, sign in CHANGE_SUFFIXES.items():
        if metric.endswith(suffix):
            return sign
    raise KeyError(f"{metric!r} is not a relative-change metric")


def _family(metric: str) -> tuple[str, str]:
    """The level metric a target speaks to, and the form of the target."""
    if metric.endswith(GROWTH_SUFFIX):
        return metric.removesuffix(GROWTH_SUFFIX), "growth rate"
    for suffix in CHANGE_SUFFIXES:
        if metric.endswith(suffix):
            return metric.removesuffix(suffix), "relative change"
    return metric, "level"


def find_baseline(claims: pd.DataFrame, metric: str, section: str) -> pd.Series | None:
    """The plan's "now" figure for a metric, or None.

    Candidates are claims of the same metric of kind ``actual`` about the industry or the
    plan's own organisation, preferring the same section, then the same chapter, then the
    earliest chapter. Failing those, a case figure of chapter 2 (which describes the current
    state partly through cases) serves, e.g. the supply-chain response cycle of 2.2.
    """
    same = claims[claims["metric"] == metric]
    actual = same[(same["kind"] == "actual") & same["entity"].isin(["industry", "plan"])]
    if actual.empty:
        actual = same[(same["kind"] == "case_study") & (same["chapter"] == 2)]
    if actual.empty:
        return None
    chapter = int(section.split(".")[0])
    rank = pd.DataFrame(
        {
            "same_section": actual["section"] != section,
            "same_chapter": actual["chapter"] != chapter,
            "chapter": actual["chapter"],
        },
        index=actual.index,
    )
    order = rank.sort_values(["same_section", "same_chapter", "chapter"], kind="stable").index
    return actual.loc[order[0]]


def _baseline_note(row: pd.Series | None) -> str:
    if row is None:
        return "none stated"
    where = f"plan {row['section']}"
    if row["kind"] == "case_study":
        return f"{where}, {row['entity']}'s case"
    return where


def targets_table(claims: pd.DataFrame, unspecified_years: float) -> pd.DataFrame:
    """Every chapter-3 target with its baseline, horizon and the annual rate it requires.

    Returns
    -------
    pandas.DataFrame
        One row per target claim, in plan order: ``id, section, metric, note`` (the
        claims table's description), ``target, unit, bound, period, horizon_years,
        horizon_stated, form`` (level / relative change / growth rate / amount /
        recurring), ``baseline_id, baseline, baseline_unit, baseline_source``,
        ``implied_level`` (the level a change or growth target implies, in the baseline's
        unit), ``required_rate_pct`` (compound annual rate of change, percent a year) and
        ``required_pp_per_year`` (for percent targets: percentage points a year).
    """
    rows = []
    targets = select(claims, chapter=3, kind="target")
    for _, t in targets.iterrows():
        years, stated = horizon_years(t["period"], unspecified_years)
        family, form = _family(t["metric"])
        value = float(t["value"])
        base = find_baseline(claims, family, t["section"])
        if t["period"] in RECURRING:
            form = "recurring"
        elif form == "level" and base is None and t["unit"] in AMOUNT_UNITS:
            form = "amount"
        implied = math.nan
        rate = pp = math.nan
        if base is not None:
            b = float(base["value"])
            if form == "level":
                target_in_base = convert(value, t["unit"], base["unit"])
                if years == years and years > 0 and target_in_base > 0:
                    rate = A.cagr(b, target_in_base, years)
                    if t["unit"] == "percent":
                        pp = (target_in_base - b) / years
            elif form == "relative change":
                implied = b * (1 + _change_sign(t["metric"]) * value / 100)
            elif form == "growth rate" and years == years:
                implied = A.grow(b, value, years)
        if form == "relative change" and years == years and years > 0:
            rate = ((1 + _change_sign(t["metric"]) * value / 100) ** (1 / years) - 1) * 100
        elif form == "growth rate":
            rate = value
        rows.append(
            {
                "id": t["id"],
                "section": t["section"],
                "metric": t["metric"],
                "note": t["note"],
                "target": value,
                "unit": t["unit"],
                "bound": t["bound"] if isinstance(t["bound"], str) else "",
                "period": t["period"],
                "horizon_years": years,
                "horizon_stated": stated,
                "form": form,
                "baseline_id": "" if base is None else base["id"],
                "baseline": math.nan if base is None else float(base["value"]),
                "baseline_unit": "" if base is None else base["unit"],
                "baseline_source": _baseline_note(base),
                "implied_level": implied,
                "required_rate_pct": rate,
                "required_pp_per_year": pp,
            }
        )
    return pd.DataFrame(rows)
