"""The numbers and tables the innovation page shows, by name, one result per page section.

Every field is named as the page refers to it (``{glue:text}`pack_step:.1f```); tables
and chart data are fields too, shown rather than glued. :func:`compute` builds them all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planbook.chapters.innovation.commerce import content_conversion, multiple_readings
from planbook.chapters.innovation.green import (
    deadlines,
    green_path_frame,
    green_paths,
    unstated_years,
)
from planbook.chapters.innovation.source import (
    CHAPTER,
    related_figures,
    same_metric_elsewhere,
    section_states,
    sections_in_state,
)
from planbook.data.periods import parse_period
from planbook.data.plan import pick, select
from planbook.data.text import counted, listing, tally
from planbook.engine.params import InnovationParams
from planbook.methods.audit import latest_year

CLAIM_COLUMNS = ("id", "section", "metric", "entity", "period", "kind", "value", "unit")
CLAIM_COLUMNS += ("bound", "note")
"""Columns of the chapter's figures as the page lists them."""

PATH_COLUMNS = ("label", "claim_id", "cut_pct", "deadline_year", "deadline_basis", "shape")
PATH_COLUMNS += ("yearly_step", "expected_by_as_of", "status")
"""Columns of the green-path table as the page shows it."""

CROSS_COLUMNS = ("id", "section", "metric", "entity", "period", "kind", "value", "unit", "note")
"""Columns of the cross-border figures as the page lists them."""

AI_PATTERN = r"(?:^|_)ai(?:_|$)|recommendation"
"""Metrics of the plan's AI figures (what the empty section 9.1 would have drawn on)."""

CROSS_PATTERN = r"cross_border|overseas|local_payment"
"""Metrics of the plan's cross-border figures (what the cut section 9.4 would have used)."""

NEUTRAL_STATUS_TEXT = {
    "passed": "passed, with no reported result",
    "due this year": "arrived (it falls due this year)",
    "open": "not yet arrived",
}
"""How the text reads the status of the carbon-neutrality deadline."""


@dataclass(frozen=True)
class Source:
    """What the chapter holds and leaves out (``states``: its sections; ``claims``)."""

    empty_sections: str
    cut_sections: str
    empty_titles: str
    cut_titles: str
    ch9_claims: int
    claims_by_section: str
    payment_methods: float
    n_ai: int
    ai_sections: str
    n_missing: int
    states: pd.DataFrame
    claims: pd.DataFrame


@dataclass(frozen=True)
class Green:
    """Plan 9.2's figures and the green cuts as paths to their deadlines.

    ``paths`` has one row per cut (:data:`PATH_COLUMNS` and ``section``); ``frame`` the
    yearly level of each (``label``, ``year``, ``index``) for the chart.
    """

    plastic: float
    carbon_case: float
    green_sales: float
    packaging: float
    recycling: float
    circular: float
    neutral_year: float
    start_year: int
    as_of: int
    unstated_years: float
    unstated_basis: str
    packaging_deadline: int
    footprint: float
    footprint_years: float
    emissions: float
    green_shape_text: str
    pack_step: float
    pack_step_unit: str
    pack_expected: float
    pack_status: str
    neutral_status: str
    neutral_status_text: str
    neutral_years: int
    neutral_step: float
    neutral_expected: float
    paths: pd.DataFrame
    frame: pd.DataFrame


@dataclass(frozen=True)
class Deadlines:
    """Every target of the chapter with its deadline and status (``table``)."""

    n_deadlines: int
    n_passed: int
    n_due: int
    n_open: int
    n_stated: int
    status_text: str
    stated_text: str
    table: pd.DataFrame


@dataclass(frozen=True)
class Commerce:
    """Plan 9.3's social-commerce arithmetic; ``curve`` gives the share of traffic needed
    (percent) by the order-value ratio ``aov_ratio``."""

    content: float
    average: float
    multiple: float
    diff_pp: float
    uplift: float
    stated_multiple: float
    implied_low: float
    implied_high: float
    gmv_share: float
    aov: float
    traffic_share: float
    max_share: float
    freq: float
    n_targets_93: int
    freq_mult: float
    freq_low: float
    freq_high: float
    engagement: float
    live_repurchase: float
    rep_12m: float
    rep_81: float
    curve: pd.DataFrame


@dataclass(frozen=True)
class Elsewhere:
    """The chapter's figures with the same metric elsewhere (``echo``) and the plan's
    cross-border figures (``cross``)."""

    n_echo_rows: int
    n_echo_same: int
    green_82: float
    n_cross: int
    cross_sections: str
    echo: pd.DataFrame
    cross: pd.DataFrame


@dataclass(frozen=True)
class Assumptions:
    """The parameters as the assumptions section reads them."""

    latest_year: int
    unstated_value: str
    shape_value: str


@dataclass(frozen=True)
class InnovationResult:
    """Everything the innovation page shows, one field per page section."""

    source: Source
    green: Green
    deadlines: Deadlines
    commerce: Commerce
    elsewhere: Elsewhere
    assumptions: Assumptions


def _value(claims: pd.DataFrame, section: str, metric: str, period: str) -> float:
    return float(pick(claims, section, metric, period)["value"])


def _sections(found: pd.DataFrame) -> str:
    """The sections of some claims in the plan's order, as text."""
    ordered = sorted(set(found["section"]), key=lambda s: tuple(map(int, s.split("."))))
    return listing(ordered)


def what_is_missing(claims: pd.DataFrame, sections: pd.DataFrame) -> Source:
    """What plan chapter 9 holds and leaves out."""
    states = section_states(claims, sections)
    ai = related_figures(claims, AI_PATTERN)
    mine = select(claims, chapter=CHAPTER)
    return Source(
        empty_sections=sections_in_state(sections, "empty"),
        cut_sections=sections_in_state(sections, "cut"),
        empty_titles=listing(states.loc[states["state"] == "empty", "title_en"]),
        cut_titles=listing(states.loc[states["state"] == "cut", "title_en"]),
        ch9_claims=len(mine),
        claims_by_section=tally(
            (int(n), f"in {s}") for s, n in zip(states["section"], states["n_claims"], strict=True)
        ),
        payment_methods=_value(claims, "9.4", "local_payment_methods", "current"),
        n_ai=len(ai),
        ai_sections=_sections(ai),
        n_missing=int((sections["state"] == "missing").sum()),
        states=states,
        claims=mine[list(CLAIM_COLUMNS)],
    )


def green_cuts(params: InnovationParams, claims: pd.DataFrame) -> Green:
    """Plan 9.2's figures and the green cuts as paths to their deadlines."""
    paths = green_paths(
        claims,
        params.plan_start_year,
        params.as_of_year,
        params.path_shape,
        params.unstated_deadline_years,
    )
    by = paths.set_index("label")
    pack, neutral = by.loc["Packaging material"], by.loc["Logistics emissions (net)"]
    last_year = int(max(paths["deadline_year"].max(), params.as_of_year)) + 1
    footprint = pick(claims, "6.3", "carbon_footprint_reduction", "3 years")

    def v(metric: str, period: str) -> float:
        return _value(claims, "9.2", metric, period)

    return Green(
        plastic=v("plastic_waste_reduction", "current"),
        carbon_case=v("carbon_emission_reduction", "current"),
        green_sales=v("green_product_sales_growth", "current"),
        packaging=v("packaging_material_reduction", "unspecified"),
        recycling=v("electronics_recycling_rate", "unspecified"),
        circular=v("circular_economy_category_coverage", "unspecified"),
        neutral_year=v("logistics_carbon_neutrality_year", "2025"),
        start_year=params.plan_start_year,
        as_of=params.as_of_year,
        unstated_years=unstated_years(claims, params.unstated_deadline_years),
        unstated_basis="the length of the plan's own cycle in 7.1"
        if params.unstated_deadline_years is None
        else "set by the parameter unstated_deadline_years",
        packaging_deadline=int(pack["deadline_year"]),
        footprint=float(by.loc["Carbon footprint", "cut_pct"]),
        footprint_years=float(parse_period(footprint["period"]).horizon_years),
        emissions=float(by.loc["Carbon emissions", "cut_pct"]),
        green_shape_text="linear (equal cuts each year, in points of the starting level)"
        if params.path_shape == "linear"
        else "geometric (equal percentage cuts each year)",
        pack_step=float(pack["yearly_step"]),
        pack_step_unit="points of the starting level"
        if pack["shape"] == "linear"
        else "percent of the remaining level",
        pack_expected=float(pack["expected_by_as_of"]),
        pack_status=str(pack["status"]),
        neutral_status=str(neutral["status"]),
        neutral_status_text=NEUTRAL_STATUS_TEXT[neutral["status"]],
        neutral_years=int(neutral["years"]),
        neutral_step=float(neutral["yearly_step"]),
        neutral_expected=float(neutral["expected_by_as_of"]),
        paths=paths[[*PATH_COLUMNS, "section"]],
        frame=green_path_frame(paths, params.plan_start_year, last_year),
    )


def dated_targets(params: InnovationParams, claims: pd.DataFrame) -> Deadlines:
    """Every target of the chapter dated, with its status as of ``as_of_year``."""
    due = deadlines(
        claims, params.plan_start_year, params.as_of_year, params.unstated_deadline_years
    )
    n_passed = int((due["status"] == "passed").sum())
    n_due = int((due["status"] == "due this year").sum())
    n_open = int((due["status"] == "open").sum())
    n_stated = int((due["deadline_basis"] == "stated").sum())
    year = params.as_of_year
    return Deadlines(
        n_deadlines=len(due),
        n_passed=n_passed,
        n_due=n_due,
        n_open=n_open,
        n_stated=n_stated,
        status_text=tally(
            [(n_passed, f"passed before {year}"), (n_due, f"fall in {year}"), (n_open, "later")]
        ),
        stated_text=(
            f"Only {counted(n_stated, 'deadline')} {'is' if n_stated == 1 else 'are'}"
            if n_stated
            else "No deadline is"
        ),
        table=due,
    )


def social_commerce(params: InnovationParams, claims: pd.DataFrame) -> Commerce:
    """Plan 9.3's social-commerce figures worked through."""
    aov = params.content_aov_ratio
    conv = content_conversion(claims, aov)
    ratios = np.round(np.linspace(min(0.5, aov), max(3.0, aov), 51), 3)
    shares = [content_conversion(claims, r)["traffic_share"] for r in ratios]
    freq = _value(claims, "9.3", "purchase_frequency", "current")
    freq_mult = _value(claims, "9.3", "purchase_frequency_multiple_vs_non_members", "current")
    readings = multiple_readings(freq, freq_mult)
    return Commerce(
        content=conv["content"],
        average=conv["average"],
        multiple=conv["multiple"],
        diff_pp=conv["difference_pp"],
        uplift=conv["uplift_pct"],
        stated_multiple=conv["stated_multiple_6_4"],
        implied_low=conv["average"] * conv["stated_multiple_6_4"],
        implied_high=conv["average"] * (conv["stated_multiple_6_4"] + 1),
        gmv_share=conv["community_gmv_share"],
        aov=aov,
        traffic_share=conv["traffic_share"],
        max_share=conv["max_traffic_share"],
        freq=freq,
        n_targets_93=len(select(claims, section="9.3", kind="target")),
        freq_mult=freq_mult,
        freq_low=readings["times_as_much"],
        freq_high=readings["times_more"],
        engagement=_value(claims, "9.3", "user_engagement_uplift", "unspecified"),
        live_repurchase=_value(claims, "9.3", "live_commerce_repurchase_rate", "unspecified"),
        rep_12m=_value(claims, "3.1", "repurchase_rate", "12 months"),
        rep_81=_value(claims, "8.1", "repurchase_rate", "unspecified"),
        curve=pd.DataFrame({"aov_ratio": ratios, "traffic_share": shares}),
    )


def figures_elsewhere(claims: pd.DataFrame) -> Elsewhere:
    """The chapter's figures elsewhere in the plan, and the plan's cross-border figures."""
    echo = same_metric_elsewhere(claims)
    cross = related_figures(claims, CROSS_PATTERN)
    return Elsewhere(
        n_echo_rows=int(echo["id"].nunique()),
        n_echo_same=int(echo["same_value"].sum()),
        green_82=_value(claims, "8.2", "green_product_gmv_growth", "2023"),
        n_cross=len(cross),
        cross_sections=_sections(cross),
        echo=echo,
        cross=cross[list(CROSS_COLUMNS)],
    )


def compute(
    params: InnovationParams, claims: pd.DataFrame, sections: pd.DataFrame
) -> InnovationResult:
    """Every number and table of the innovation page under ``params``."""
    years = params.unstated_deadline_years
    return InnovationResult(
        source=what_is_missing(claims, sections),
        green=green_cuts(params, claims),
        deadlines=dated_targets(params, claims),
        commerce=social_commerce(params, claims),
        elsewhere=figures_elsewhere(claims),
        assumptions=Assumptions(
            latest_year=int(latest_year(claims)),
            unstated_value="empty" if years is None else f"{years} years",
            shape_value=params.path_shape,
        ),
    )


def headline(params: InnovationParams, claims: pd.DataFrame) -> dict[str, float]:
    """The chapter's key numbers under ``params``."""
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
    "AI_PATTERN",
    "CLAIM_COLUMNS",
    "CROSS_COLUMNS",
    "CROSS_PATTERN",
    "NEUTRAL_STATUS_TEXT",
    "PATH_COLUMNS",
    "Assumptions",
    "Commerce",
    "Deadlines",
    "Elsewhere",
    "Green",
    "InnovationResult",
    "Source",
    "social_commerce",
    "compute",
    "dated_targets",
    "figures_elsewhere",
    "green_cuts",
    "headline",
    "what_is_missing",
]
