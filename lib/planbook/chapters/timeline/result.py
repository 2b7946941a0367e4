"""The numbers and tables the timeline page shows, by name, one result per page section.

Every field is named as the page refers to it (``{glue:text}`gap_min```); tables and
chart data are fields too, shown rather than glued. :func:`compute` builds them all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planbook.chapters.timeline.plans import (
    CONTRADICTION_RULES,
    WORKSTREAMS,
    contradictions,
    horizon_months,
    phase_targets,
    phases,
    stated_cycle_months,
)
from planbook.chapters.timeline.tracking import (
    KPI_SPECS,
    alert_summary,
    glide_frame,
    glide_table,
)
from planbook.data.plan import pick, select
from planbook.data.text import listing
from planbook.engine.params import TimelineParams
from planbook.methods.audit import latest_year
from planbook.methods.models import alert_sim

CLAIM_COLUMNS = ("id", "section", "metric", "entity", "period", "kind", "value", "unit")
CLAIM_COLUMNS += ("bound", "note")
"""Columns of the chapter's figures as the page lists them."""

GAP_COLUMNS = ("rule", "subject", "plan_a", "due_a", "plan_b", "due_b", "gap_months")
GAP_COLUMNS += ("claim_ids", "detail")
"""Columns of the contradictions table as the page shows it."""

GLIDE_COLUMNS = ("kpi", "baseline", "target", "target_section", "target_period")
GLIDE_COLUMNS += ("deadline_month", "step", "kpi_value", "kpi_period", "months_disagree")
GLIDE_COLUMNS += ("months_stricter", "months_looser", "claim_ids")
"""Columns of the KPI table as the page shows it."""

NOISE_GRID = np.round(np.arange(0.01, 0.2001, 0.005), 4)
"""Noise levels (sd of the monthly log change) of the false-alarm curve."""


@dataclass(frozen=True)
class PlanSays:
    """What plan chapter 7 states: its figures, phase periods, alert rule and routine."""

    ch7_claims: int
    n_milestones: int
    cycle_years: float
    periods_3_2: str
    periods_7_2: str
    periods_7_3: str
    plan_threshold: float
    release_weeks: float
    budget_up: float
    budget_down: float
    claims: pd.DataFrame


@dataclass(frozen=True)
class PhaseAxis:
    """The phase plans on one month axis (``phases``) and by workstream (``streams``)."""

    n_plans: int
    n_phases: int
    n_phase_targets: int
    start_year: int
    horizon_months: float
    milestone_year: int
    len_7_2: float
    cycle_months: float
    global_start_7_2: float
    gap_last: float
    phases: pd.DataFrame
    streams: pd.DataFrame


@dataclass(frozen=True)
class Contradictions:
    """Where the phase plans disagree (``table``, the columns of :data:`GAP_COLUMNS`),
    counted by rule."""

    n_conflicts: int
    n_conflict_rules: int
    n_deadline: int
    n_value: int
    n_stream: int
    n_horizon: int
    gap_min: float
    gap_max: float
    metaverse_note: str
    ai_note: str
    last_year_3_2: float
    stream_list: str
    table: pd.DataFrame


@dataclass(frozen=True)
class KpiPaths:
    """The KPIs of plan 7.3 against the paths to their dated targets.

    ``table`` has one row per KPI and target (:data:`GLIDE_COLUMNS`); ``panels`` holds
    the monthly paths of two KPIs each (one chart per pair), with the KPI's ``unit``.
    """

    shape_text: str
    tol: float
    n_kpis: int
    kpi_disagree: int
    kpi_checked: int
    rep_base: float
    rep_target: float
    rep_deadline: int
    rep_kpi: float
    rep_stricter: int
    rep_looser: int
    rep_agree: int
    rep_mid_month: int
    rep_mid: float
    cac_base: float
    cac_target: float
    cac_kpi: float
    cac_stricter: int
    cac_months: int
    inv_base: float
    inv_target: float
    inv_kpi: float
    inv_deadlines: str
    fresh_base: float
    fresh_target: float
    fresh_deadline: int
    fresh_kpi: float
    response_kpi: float
    response_now: float
    table: pd.DataFrame
    panels: tuple[pd.DataFrame, ...]


@dataclass(frozen=True)
class AlertRule:
    """The false alarms of plan 7.3's alert rule on noise alone.

    ``curve`` gives, in percent, the rate per review (simulated and exact) and the chance of
    at least one alarm over ``months``, by noise level ``sigma_pct``.
    """

    noise: float
    noise_model_text: str
    threshold: float
    threshold_source: str
    sim_draws: int
    months: int
    sim_seed: int
    fa_rate: float
    fa_se: float
    fa_exact: float
    fa_any: float
    fa_mean: float
    sigma_once_a_year: float
    curve: pd.DataFrame


@dataclass(frozen=True)
class Assumptions:
    """The parameters as the assumptions section reads them."""

    path_shape_value: str
    latest_year: int
    noise_model_value: str
    threshold_value: str


@dataclass(frozen=True)
class TimelineResult:
    """Everything the timeline page shows, one field per page section."""

    says: PlanSays
    axis: PhaseAxis
    conflicts: Contradictions
    kpis: KpiPaths
    alarm: AlertRule
    assumptions: Assumptions


def _value(claims: pd.DataFrame, section: str, metric: str, period: str) -> float:
    return float(pick(claims, section, metric, period)["value"])


def plan_says(claims: pd.DataFrame, phase_table: pd.DataFrame) -> PlanSays:
    """What plan chapter 7 states (``phase_table`` from :func:`phases`)."""

    def periods_of(section: str) -> str:
        return listing(phase_table.loc[phase_table["section"] == section, "period"])

    return PlanSays(
        ch7_claims=len(select(claims, chapter=7)),
        n_milestones=int(phase_table["milestone"].sum()),
        cycle_years=_value(claims, "7.1", "plan_horizon", "unspecified"),
        periods_3_2=periods_of("3.2"),
        periods_7_2=periods_of("7.2"),
        periods_7_3=periods_of("7.3"),
        plan_threshold=_value(claims, "7.3", "conversion_rate_alert_threshold", "monthly"),
        release_weeks=_value(claims, "7.4", "release_cycle", "unspecified"),
        budget_up=_value(claims, "7.4", "high_roi_budget_increase", "quarterly"),
        budget_down=_value(claims, "7.4", "low_efficiency_budget_cut", "quarterly"),
        claims=select(claims, chapter=7)[list(CLAIM_COLUMNS)],
    )


def workstream_spans(targets: pd.DataFrame, horizon: float) -> pd.DataFrame:
    """When each phase plan schedules each workstream: ``workstream``, ``section``,
    ``start``, ``end`` (open-ended spans end at ``horizon_months``), ``open_ended``; workstreams in
    the order of :data:`WORKSTREAMS`."""
    spans = (
        targets.groupby(["workstream", "section"])
        .agg(start=("start", "min"), end=("end", "max"), open_ended=("open_ended", "any"))
        .reset_index()
    )
    spans.loc[spans["open_ended"], "end"] = horizon
    order = {name: i for i, name in enumerate(WORKSTREAMS)}
    spans = spans.sort_values("workstream", key=lambda s: s.map(order), kind="stable")
    return spans.reset_index(drop=True)


def phase_axis(
    params: TimelineParams, claims: pd.DataFrame, phase_table: pd.DataFrame, gaps: pd.DataFrame
) -> PhaseAxis:
    """The phase plans on one axis and the figures the page reads off it."""
    horizon = horizon_months(claims)
    p72 = phase_table[phase_table["section"] == "7.2"]
    last = gaps[gaps["subject"] == "overseas gross margin"].set_index("rule")
    return PhaseAxis(
        n_plans=int(phase_table["section"].nunique()),
        n_phases=len(phase_table),
        n_phase_targets=int(phase_table["n_targets"].sum()),
        start_year=params.plan_start_year,
        horizon_months=horizon,
        milestone_year=params.milestone_year,
        len_7_2=float(p72["end"].max()),
        cycle_months=stated_cycle_months(claims),
        global_start_7_2=float(p72["start"].max() + 1),
        gap_last=float(last.loc["same target, different deadline", "gap_months"]),
        phases=phase_table,
        streams=workstream_spans(phase_targets(claims, params.milestone_year), horizon),
    )


def contradiction_counts(
    params: TimelineParams, phase_table: pd.DataFrame, gaps: pd.DataFrame
) -> Contradictions:
    """The contradictions between the phase plans, counted by rule, with the page's notes."""
    by_rule = gaps["rule"].value_counts()
    deadline = gaps[gaps["rule"] == "same target, different deadline"]
    disjoint = gaps[gaps["rule"] == "same workstream, disjoint windows"]
    year = params.milestone_year
    metaverse = (
        f"With the milestones in plan year {year}, 7.3 polishes the metaverse interaction "
        "before 7.2 has launched any metaverse shopping."
        if (disjoint["subject"] == "Metaverse").any()
        else f"With the milestones in plan year {year}, 7.3's metaverse milestone falls "
        "inside 7.2's metaverse phase."
    )
    ai = (
        "The AI milestones of 7.3 (training, then smart customer service) fall in the same "
        "months as 7.2's technology phase."
        if year == 1
        else f"Placed in plan year {year}, however, the AI milestones of 7.3 come after "
        "7.2's technology phase has ended."
    )
    starts_3_2 = phase_table.loc[phase_table["section"] == "3.2", "start"]
    return Contradictions(
        n_conflicts=len(gaps),
        n_conflict_rules=len(CONTRADICTION_RULES),
        n_deadline=int(by_rule.get("same target, different deadline", 0)),
        n_value=int(by_rule.get("same metric, different target", 0)),
        n_stream=int(by_rule.get("same workstream, disjoint windows", 0)),
        n_horizon=int(by_rule.get("different horizon", 0)),
        gap_min=float(deadline["gap_months"].min()),
        gap_max=float(deadline["gap_months"].max()),
        metaverse_note=metaverse,
        ai_note=ai,
        last_year_3_2=float(starts_3_2.max() / 12 + 1),
        stream_list=listing(disjoint["subject"].str.lower(), empty="no workstream"),
        table=gaps[list(GAP_COLUMNS)],
    )


def kpi_paths(params: TimelineParams, claims: pd.DataFrame) -> KpiPaths:
    """Plan 7.3's KPIs against the glide paths to their dated targets."""
    glide = glide_table(claims, params.path_shape, params.kpi_tolerance_pct)
    frame = glide_frame(claims, params.path_shape, params.kpi_tolerance_pct)
    frame = frame.merge(glide[["kpi", "unit"]].drop_duplicates("kpi"), on="kpi", how="left")
    by = glide.set_index(["kpi", "target_section"])
    rep = by.loc[("Repurchase rate", "3.1")]
    cac = by.loc[("Customer acquisition cost", "3.1")]
    inv = glide[glide["kpi"] == "Inventory turnover days"]
    inv_first = by.loc[("Inventory turnover days", "7.1")]
    fresh = by.loc[("Fresh produce spoilage rate", "7.2")]
    mid = int(rep["deadline_month"]) // 2
    rep_path = frame[(frame["kpi"] == "Repurchase rate") & (frame["target_section"] == "3.1")]
    labels = [spec.label for spec in KPI_SPECS]
    return KpiPaths(
        shape_text="linear: equal steps each month"
        if params.path_shape == "linear"
        else "geometric: equal percentage steps each month",
        tol=params.kpi_tolerance_pct,
        n_kpis=len(KPI_SPECS),
        kpi_disagree=int(glide["months_disagree"].sum()),
        kpi_checked=int(glide["months"].sum()),
        rep_base=float(rep["baseline"]),
        rep_target=float(rep["target"]),
        rep_deadline=int(rep["deadline_month"]),
        rep_kpi=float(rep["kpi_value"]),
        rep_stricter=int(rep["months_stricter"]),
        rep_looser=int(rep["months_looser"]),
        rep_agree=int(rep["months"] - rep["months_disagree"]),
        rep_mid_month=mid,
        rep_mid=float(rep_path.set_index("month").loc[mid, "path"]),
        cac_base=float(cac["baseline"]),
        cac_target=float(cac["target"]),
        cac_kpi=float(cac["kpi_value"]),
        cac_stricter=int(cac["months_stricter"]),
        cac_months=int(cac["months"]),
        inv_base=float(inv_first["baseline"]),
        inv_target=float(inv_first["target"]),
        inv_kpi=float(inv_first["kpi_value"]),
        inv_deadlines=listing(
            f"month {d:.0f} ({s})"
            for d, s in zip(inv["deadline_month"], inv["target_section"], strict=True)
        ),
        fresh_base=float(fresh["baseline"]),
        fresh_target=float(fresh["target"]),
        fresh_deadline=int(fresh["deadline_month"]),
        fresh_kpi=float(fresh["kpi_value"]),
        response_kpi=_value(claims, "7.3", "customer_service_response_time", "monthly"),
        response_now=_value(claims, "1.3", "customer_service_response_time", "current"),
        table=glide[list(GLIDE_COLUMNS)],
        panels=tuple(frame[frame["kpi"].isin(labels[i : i + 2])] for i in (0, 2)),
    )


def alert_rule(params: TimelineParams, claims: pd.DataFrame) -> AlertRule:
    """How often plan 7.3's alert rule fires on noise alone (simulated and exact)."""
    alarm = alert_summary(params, claims)
    threshold = alarm["threshold_pct"] / 100
    curve = alert_sim.rate_curve(
        NOISE_GRID, threshold, params.sim_months, params.sim_draws, params.seed, params.noise_model
    )
    curve = pd.DataFrame(
        {
            "sigma_pct": curve["sigma"] * 100,
            "rate_pct": curve["rate"] * 100,
            "analytic_pct": curve["analytic"] * 100,
            "any_alarm_pct": curve["any_alarm"] * 100,
        }
    )
    once_a_year = alert_sim.sigma_for_rate(1 / 12, threshold, params.noise_model)
    return AlertRule(
        noise=params.noise_pct,
        noise_model_text="random walk: each month's change is independent"
        if params.noise_model == "random_walk"
        else "noisy level: each month's rate scatters around a fixed level, so a "
        "month-to-month change carries two months' noise",
        threshold=alarm["threshold_pct"],
        threshold_source="the plan's figure"
        if params.alert_threshold_pct is None
        else "set by the parameter alert_threshold_pct",
        sim_draws=params.sim_draws,
        months=params.sim_months,
        sim_seed=params.seed,
        fa_rate=alarm["rate"] * 100,
        fa_se=alarm["rate_se"] * 100,
        fa_exact=alarm["analytic"] * 100,
        fa_any=alarm["any_alarm"] * 100,
        fa_mean=alarm["mean_alarms"],
        sigma_once_a_year=once_a_year * 100,
        curve=curve,
    )


def compute(params: TimelineParams, claims: pd.DataFrame, sections: pd.DataFrame) -> TimelineResult:
    """Every number and table of the timeline page under ``params``."""
    phase_table = phases(claims, sections, params.milestone_year)
    gaps = contradictions(claims, params.milestone_year)
    threshold = params.alert_threshold_pct
    return TimelineResult(
        says=plan_says(claims, phase_table),
        axis=phase_axis(params, claims, phase_table, gaps),
        conflicts=contradiction_counts(params, phase_table, gaps),
        kpis=kpi_paths(params, claims),
        alarm=alert_rule(params, claims),
        assumptions=Assumptions(
            path_shape_value=params.path_shape,
            latest_year=int(latest_year(claims)),
            noise_model_value=params.noise_model,
            threshold_value="empty" if threshold is None else f"{threshold:g}%",
        ),
    )


def headline(params: TimelineParams, claims: pd.DataFrame) -> dict[str, float]:
    """The chapter's key numbers under ``params``."""
    found = contradictions(claims, params.milestone_year)
    glide = glide_table(claims, params.path_shape, params.kpi_tolerance_pct)
    alarm = alert_summary(params, claims)
    n_plans = phase_targets(claims, params.milestone_year)["section"].nunique()
    return {
        "phase_plans": float(n_plans),
        "contradictions": float(len(found)),
        "max_deadline_gap_months": float(found["gap_months"].max()),
        "kpi_months_disagreeing": float(glide["months_disagree"].sum()),
        "kpi_months_checked": float(glide["months"].sum()),
        "false_alarm_rate_pct": alarm["rate"] * 100.0,
        "false_alarm_rate_exact_pct": alarm["analytic"] * 100.0,
        "any_false_alarm_pct": alarm["any_alarm"] * 100.0,
    }


__all__ = [
    "CLAIM_COLUMNS",
    "GAP_COLUMNS",
    "GLIDE_COLUMNS",
    "NOISE_GRID",
    "AlertRule",
    "Assumptions",
    "Contradictions",
    "KpiPaths",
    "PhaseAxis",
    "PlanSays",
    "TimelineResult",
    "alert_rule",
    "compute",
    "contradiction_counts",
    "headline",
    "kpi_paths",
    "phase_axis",
    "plan_says",
    "workstream_spans",
]
