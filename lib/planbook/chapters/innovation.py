"""Chapter 9 (innovation and sustainable development): green, social and cross-border figures.

Plan chapter 9 is the least complete of the plan: 9.1 has a heading and no text, 9.4
stops mid-sentence (``data/plan/sections.csv`` records both). What remains are targets
without deadlines (a packaging cut), one dated target (carbon-neutral logistics), case
studies and benchmarks. This module puts dates on the targets (a start year, an as-of
year and, where the plan gives none, an assumed deadline), draws the cuts as paths to
their deadlines and works through the arithmetic of the social-commerce figures.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from planbook.chapters.timeline import period_window, stated_cycle_months
from planbook.data.plan import convert, pick, select
from planbook.methods.models import glide_path

CHAPTER = 9


# --------------------------------------------------------------------------- the source


def section_states(
    claims: pd.DataFrame, sections: pd.DataFrame, chapter: int = CHAPTER
) -> pd.DataFrame:
    """The chapter's sections with their state in the source and how many figures each holds.

    Returns
    -------
    pandas.DataFrame
        ``section``, ``title_en``, ``state`` (full, empty, cut, missing), ``note``,
        ``n_claims``.
    """
    secs = sections[sections["chapter"] == chapter].copy()
    counts = select(claims, chapter=chapter)["section"].value_counts()
    secs["n_claims"] = secs["section"].map(counts).fillna(0).astype(int)
    return secs[["section", "title_en", "state", "note", "n_claims"]].reset_index(drop=True)


def incomplete(sections: pd.DataFrame, chapter: int = CHAPTER) -> pd.DataFrame:
    """The chapter's sections that are not complete in the source (state other than full)."""
    secs = sections[(sections["chapter"] == chapter) & (sections["state"] != "full")]
    return secs[["section", "title_en", "state", "note"]].reset_index(drop=True)


def sections_in_state(sections: pd.DataFrame, state: str, chapter: int = CHAPTER) -> str:
    """The sections of a chapter in a given state, as text (``"9.1"``, ``"9.1 and 9.2"``)."""
    found = list(
        sections.loc[(sections["chapter"] == chapter) & (sections["state"] == state), "section"]
    )
    if not found:
        return "none"
    return found[0] if len(found) == 1 else ", ".join(found[:-1]) + " and " + found[-1]


def related_figures(
    claims: pd.DataFrame, pattern: str, exclude_chapter: int | None = CHAPTER
) -> pd.DataFrame:
    """Claims elsewhere in the plan whose metric matches a regular expression.

    Used to show what an empty or cut section would have drawn on (AI figures for 9.1,
    cross-border figures for 9.4).
    """
    mask = claims["metric"].str.contains(pattern, flags=re.IGNORECASE, regex=True)
    if exclude_chapter is not None:
        mask &= claims["chapter"] != exclude_chapter
    return claims[mask].reset_index(drop=True)


def same_metric_elsewhere(claims: pd.DataFrame, chapter: int = CHAPTER) -> pd.DataFrame:
    """Every figure of the chapter next to the figures with the same metric in other chapters.

    Returns
    -------
    pandas.DataFrame
        ``metric``, ``id``, ``entity``, ``kind``, ``value``, ``unit``, ``period`` of the
        chapter's figure and ``other_id``, ``other_entity``, ``other_kind``,
        ``other_value``, ``other_period``, ``same_value``.
    """
    own = select(claims, chapter=chapter)
    other = claims[(claims["chapter"] != chapter) & claims["metric"].isin(own["metric"])]
    cols = ["id", "metric", "entity", "kind", "value", "unit", "period"]
    merged = own[cols].merge(other[cols], on="metric", suffixes=("", "_o"))
    merged = merged.rename(columns={f"{c}_o": f"other_{c}" for c in cols if c != "metric"})
    merged["same_value"] = (merged["value"] == merged["other_value"]) & (
        merged["unit"] == merged["other_unit"]
    )
    return merged.drop(columns="other_unit").reset_index(drop=True)


# --------------------------------------------------------------------------- social commerce


def content_traffic_share(
    content_conv: float, average_conv: float, gmv_share: float, aov_ratio: float = 1.0
) -> float:
    """Share of traffic that must be content-driven for it to bring ``gmv_share`` of GMV.

    The average conversion is taken over all traffic, content-driven included:
    ``average = s * content + (1 - s) * other``. Content-driven GMV is ``s * content *
    aov_ratio`` and the rest ``(1 - s) * other`` (order values relative to the rest), so

    ``s = g * average / (content * (aov_ratio * (1 - g) + g))``.

    All rates and shares are fractions. Raises ``ValueError`` when an input is out of range.
    """
    if not (0 < average_conv < content_conv <= 1):
        raise ValueError(
            f"need 0 < average ({average_conv}) < content conversion ({content_conv}) <= 1"
        )
    if not 0 < gmv_share < 1:
        raise ValueError(f"gmv_share is a fraction between 0 and 1, got {gmv_share}")
    if aov_ratio <= 0:
        raise ValueError(f"aov_ratio must be positive, got {aov_ratio}")
    return gmv_share * average_conv / (content_conv * (aov_ratio * (1 - gmv_share) + gmv_share))


def max_content_share(content_conv: float, average_conv: float) -> float:
    """Largest share of traffic converting at ``content_conv`` that an average allows.

    Above ``average / content`` the other traffic would need a negative conversion rate.
    """
    if not (0 < average_conv < content_conv):
        raise ValueError(f"need 0 < average ({average_conv}) < content ({content_conv})")
    return average_conv / content_conv


def content_conversion(claims: pd.DataFrame, aov_ratio: float = 1.0) -> dict[str, float]:
    """The arithmetic of plan 9.3's content-driven conversion against the industry average.

    Returns
    -------
    dict
        ``content``, ``average`` (percent), ``multiple``, ``difference_pp``,
        ``uplift_pct``, ``stated_multiple_6_4`` (the multiple plan 6.4 gives for the same
        comparison), ``community_gmv_share`` (percent, 9.3's target), ``traffic_share``
        (percent of traffic content-driven traffic would need to bring that share) and
        ``max_traffic_share`` (percent).
    """
    rates = select(claims, section="9.3", metric="content_conversion_rate")
    content = float(rates.loc[rates["kind"] == "case_study", "value"].iloc[0])
    average = float(rates.loc[rates["kind"] == "benchmark", "value"].iloc[0])
    stated = float(
        pick(claims, "6.4", "content_conversion_multiple_vs_industry", "current")["value"]
    )
    share = float(pick(claims, "9.3", "community_gmv_share", "unspecified")["value"])
    return {
        "content": content,
        "average": average,
        "multiple": content / average,
        "difference_pp": content - average,
        "uplift_pct": (content / average - 1) * 100,
        "stated_multiple_6_4": stated,
        "community_gmv_share": share,
        "traffic_share": 100
        * content_traffic_share(content / 100, average / 100, share / 100, aov_ratio),
        "max_traffic_share": 100 * max_content_share(content / 100, average / 100),
    }


def multiple_readings(value: float, multiple: float) -> dict[str, float]:
    """The two readings of "higher by N times" (高N倍): ``value / N`` and ``value / (N + 1)``.

    Chinese "比…高3倍" is read by some as "3 times as much" and by others as "3 times
    more" (4 times as much); the base the figure implies differs accordingly.
    """
    if multiple <= 0:
        raise ValueError(f"multiple must be positive, got {multiple}")
    return {"times_as_much": value / multiple, "times_more": value / (multiple + 1)}


# --------------------------------------------------------------------------- deadlines


def deadline_year(period: str, plan_start_year: int, unstated_years: float) -> tuple[int, str]:
    """The calendar year by whose end a target is due, and whether the plan states it.

    A calendar year is stated; a plan window (``year 2``, ``3 years``, ``months 7-18``) is
    counted from the start of ``plan_start_year``; ``unspecified`` (and anything else)
    gets ``unstated_years`` from the start (an assumption).
    """
    if re.fullmatch(r"\d{4}", str(period)):
        return int(period), "stated"
    window = period_window(period)
    if window is not None and window[1] is not None:
        return plan_start_year + math.ceil(window[1] / 12.0) - 1, "relative"
    return plan_start_year + math.ceil(unstated_years) - 1, "assumed"


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


# --------------------------------------------------------------------------- headline


def headline(params, claims: pd.DataFrame) -> dict[str, float]:  # noqa: ANN001
    """The chapter's key numbers under ``params`` (an :class:`InnovationParams`)."""
    conv = content_conversion(claims, params.content_aov_ratio)
    paths = green_paths(
        claims,
        params.plan_start_year,
        params.as_of_year,
        params.path_shape,
        params.unstated_deadline_years,
    ).set_index("label")
    due = deadlines(
        claims, params.plan_start_year, params.as_of_year, params.unstated_deadline_years
    )
    return {
        "content_conversion_multiple": conv["multiple"],
        "content_traffic_share_pct": conv["traffic_share"],
        "max_content_traffic_share_pct": conv["max_traffic_share"],
        "packaging_yearly_step": float(paths.loc["Packaging material", "yearly_step"]),
        "packaging_cut_expected_pct": float(paths.loc["Packaging material", "expected_by_as_of"]),
        "targets_passed": float((due["status"] == "passed").sum()),
        "targets_in_chapter": float(len(due)),
    }


__all__ = [
    "FULL_CUT_PCT",
    "GREEN_CUTS",
    "NEUTRALITY",
    "content_conversion",
    "content_traffic_share",
    "deadline_year",
    "deadlines",
    "green_path_frame",
    "green_paths",
    "headline",
    "incomplete",
    "max_content_share",
    "multiple_readings",
    "related_figures",
    "same_metric_elsewhere",
    "section_states",
    "sections_in_state",
    "status",
    "unstated_years",
]
