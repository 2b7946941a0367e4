"""Dates for the chapter's targets and the green cuts as paths to their deadlines.

The plan gives one deadline (carbon-neutral logistics by 2025); the others are counted
from a start year, or given an assumed horizon where the plan states none.
"""

from __future__ import annotations

import math

import pandas as pd

from planbook.chapters.innovation.source import CHAPTER
from planbook.chapters.timeline import stated_cycle_months
from planbook.data.periods import parse_period
from planbook.data.plan import convert, pick, select
from planbook.methods.models import glide_path


def deadline_year(period: str, plan_start_year: int, unstated_years: float) -> tuple[int, str]:
    """The calendar year by whose end a target is due, and whether the plan states it.

    A calendar year is stated; a plan window (``year 2``, ``3 years``, ``months 7-18``) is
    counted from the start of ``plan_start_year``; ``unspecified`` (and anything else)
    gets ``unstated_years`` from the start (an assumption). See
    :meth:`planbook.data.periods.Period.due_year`.
    """
    when = parse_period(period)
    due = when.due_year(plan_start_year)
    if due is None:
        return plan_start_year + math.ceil(unstated_years) - 1, "assumed"
    return due, "stated" if when.year is not None else "relative"


def status(deadline: int, as_of_year: int) -> str:
    """``passed`` (ended before the as-of year), ``due this year`` or ``open``."""
    if deadline < as_of_year:
        return "passed"
    return "due this year" if deadline == as_of_year else "open"


def unstated_years(claims: pd.DataFrame, override: int | None = None) -> float:
    """Years assumed for a target without a deadline: the override or the plan's cycle (7.1)."""
    if override is not None:
        return float(override)
    return stated_cycle_months(claims) / 12.0


def deadlines(
    claims: pd.DataFrame,
    plan_start_year: int,
    as_of_year: int,
    unstated: int | None = None,
    chapter: int = CHAPTER,
) -> pd.DataFrame:
    """Every target of the chapter with its deadline year, how it was set, and its status.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``section``, ``metric``, ``value``, ``unit``, ``period``,
        ``deadline_year``, ``deadline_basis`` (stated, relative, assumed), ``status``.
    """
    years = unstated_years(claims, unstated)
    rows = select(claims, chapter=chapter, kind="target", entity="plan").copy()
    due = [deadline_year(p, plan_start_year, years) for p in rows["period"]]
    rows["deadline_year"] = [d for d, _ in due]
    rows["deadline_basis"] = [b for _, b in due]
    rows["status"] = [status(d, as_of_year) for d in rows["deadline_year"]]
    cols = ["id", "section", "metric", "value", "unit", "period"]
    return rows[[*cols, "deadline_year", "deadline_basis", "status"]].reset_index(drop=True)


# --------------------------------------------------------------------------- green paths

GREEN_CUTS: tuple[tuple[str, str, str, str], ...] = (
    ("Packaging material", "9.2", "packaging_material_reduction", "unspecified"),
    ("Carbon footprint", "6.3", "carbon_footprint_reduction", "3 years"),
    ("Carbon emissions", "8.2", "carbon_emission_reduction", "unspecified"),
)
"""The plan's relative cuts on the green agenda: (label, section, metric, period)."""

NEUTRALITY = ("Logistics emissions (net)", "9.2", "logistics_carbon_neutrality_year", "2025")
"""Carbon-neutral logistics: a cut of the whole (net) emissions by a stated year."""

FULL_CUT_PCT = 100.0
"""Carbon neutrality is a net cut of all emissions: 100 percent by definition."""


def green_paths(
    claims: pd.DataFrame,
    plan_start_year: int,
    as_of_year: int,
    shape: str = "linear",
    unstated: int | None = None,
) -> pd.DataFrame:
    """The green cuts as paths from the plan's start to their deadlines.

    Each cut starts at the beginning of ``plan_start_year`` (index 100) and reaches its
    target at the end of its deadline year. The neutrality target is a full cut, which
    a geometric path never reaches, so it is always linear.

    Returns
    -------
    pandas.DataFrame
        ``label``, ``claim_id``, ``section``, ``cut_pct``, ``deadline_year``,
        ``deadline_basis``, ``years``, ``shape``, ``yearly_step`` (the cut each year:
        index points when linear, percent of the remaining level when geometric),
        ``expected_by_as_of`` (cut the path reaches by the start of ``as_of_year``,
        percent), ``status``.
    """
    years_unstated = unstated_years(claims, unstated)
    items = []
    for label, section, metric, period in GREEN_CUTS:
        row = pick(claims, section, metric, period)
        cut = convert(float(row["value"]), row["unit"], "percent")
        items.append((label, row, cut, *deadline_year(period, plan_start_year, years_unstated)))
    label, section, metric, period = NEUTRALITY
    row = pick(claims, section, metric, period)
    items.append((label, row, FULL_CUT_PCT, int(row["value"]), "stated"))

    records = []
    elapsed = as_of_year - plan_start_year
    for label, row, cut, deadline, basis in items:
        years = deadline - plan_start_year + 1
        used = "linear" if cut >= FULL_CUT_PCT else shape
        if years < 1:
            step, expected = math.nan, cut
        else:
            step = -glide_path.step(100.0, 100.0 - cut, years, used)
            expected = 100.0 - glide_path.fraction_of_path(100.0, 100.0 - cut, elapsed, years, used)
        records.append(
            {
                "label": label,
                "claim_id": row["id"],
                "section": row["section"],
                "cut_pct": cut,
                "deadline_year": deadline,
                "deadline_basis": basis,
                "years": years,
                "shape": used,
                "yearly_step": step,
                "expected_by_as_of": expected,
                "status": status(deadline, as_of_year),
            }
        )
    return pd.DataFrame(records)


def green_path_frame(paths: pd.DataFrame, plan_start_year: int, last_year: int) -> pd.DataFrame:
    """Yearly index values (start of each year, plan start = 100) of each path, for charts."""
    frames = []
    for row in paths.itertuples(index=False):
        years = max(int(row.years), 1)
        horizon = max(last_year + 1 - plan_start_year, years)
        p = glide_path.path(100.0, 100.0 - row.cut_pct, years, row.shape, horizon)
        frames.append(
            pd.DataFrame(
                {"label": row.label, "year": plan_start_year + p.index, "index": p.to_numpy()}
            )
        )
    return pd.concat(frames, ignore_index=True)


__all__ = [
    "FULL_CUT_PCT",
    "GREEN_CUTS",
    "NEUTRALITY",
    "deadline_year",
    "deadlines",
    "green_path_frame",
    "green_paths",
    "status",
    "unstated_years",
]
