"""The plan's phase plans on one time axis, and where they contradict each other.

The plan schedules its work four times: the phasing of 3.2 (years 1-2, 3-4, 5 and
after), the framework of 7.1 (year 1, 2, 3), the plan of 7.2 (months 1-6, 7-18, 19-36)
and the quarterly milestones of 7.3. Each target row of ``claims.csv`` carries its phase
in ``period``; :func:`period_window` turns a period into months from the start (month 0),
so every phase plan can be drawn and compared on one axis.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd

from planbook.data.amounts import said
from planbook.data.periods import parse_period
from planbook.data.plan import convert, pick, select

PHASE_SECTIONS: tuple[str, ...] = ("3.2", "7.1", "7.2", "7.3")
"""The sections that schedule the plan's work (3.2's phasing and chapter 7's three plans)."""

CONTRADICTION_RULES: tuple[str, ...] = (
    "same target, different deadline",
    "same metric, different target",
    "same workstream, disjoint windows",
    "different horizon",
)
"""The rules of :func:`contradictions`, in the order they are applied."""

MILESTONE_SECTIONS: tuple[str, ...] = ("7.3",)
"""Sections whose phases are quarterly milestones rather than phases of the whole plan."""

WORKSTREAMS: dict[str, tuple[str, ...]] = {
    "AI and recommendation": (
        "ai_system_investment",
        "recommendation_traffic_coverage",
        "ai_customer_service_coverage",
        "recommendation_conversion_rate_uplift",
        "dwell_time_uplift",
        "rnd_team_size",
        "ai_model_training_milestone",
        "smart_customer_service_milestone",
    ),
    "Supply chain": (
        "regional_supply_chain_centres",
        "inventory_turnover_days",
        "delivery_speed_improvement",
        "fresh_produce_spoilage_rate",
    ),
    "Live and social commerce": (
        "streamers_incubated",
        "streamer_annual_gmv_threshold",
        "social_commerce_gmv_share",
    ),
    "Overseas expansion": (
        "overseas_gross_margin",
        "overseas_warehouses",
        "cross_border_delivery_time",
    ),
    "C2M industrial platform": ("c2m_manufacturing_partners",),
    "Metaverse": (
        "channel_launch",
        "metaverse_gmv_share",
        "user_engagement_uplift",
        "metaverse_interaction_milestone",
    ),
    "Blockchain traceability": ("blockchain_traceability_milestone",),
    "Silver economy": ("silver_users", "silver_consumption_share"),
}
"""Our grouping of the phase plans' targets into workstreams (the plan names no such groups)."""


def period_window(period: str, milestone_year: int = 1) -> tuple[float, float | None] | None:
    """The months (from the plan's start, month 0) a period covers: ``(start, end)``.

    ``years 1-2`` is months 0 to 24, ``year 3`` is 24 to 36, ``months 7-18`` is 6 to 18,
    a horizon ``12 months`` or ``3 years`` runs from 0
    (:meth:`planbook.data.periods.Period.month_window`); ``Q2`` is months 3 to 6 of plan year
    ``milestone_year``; ``years 5+`` is open-ended (end ``None``). Periods that are not a
    window of the plan (``current``, ``monthly``, ``unspecified``, a calendar year) give
    ``None``.

    >>> period_window("months 7-18"), period_window("Q2", 2), period_window("years 5+")
    ((6.0, 18.0), (15.0, 18.0), (48.0, None))
    """
    return parse_period(period).month_window(milestone_year)


def phase_targets(claims: pd.DataFrame, milestone_year: int = 1) -> pd.DataFrame:
    """The plan's own targets in the phase sections, with their window in months.

    Returns
    -------
    pandas.DataFrame
        The claims columns plus ``start``, ``end`` (``NaN`` when open-ended), ``open_ended``
        and ``workstream``; rows whose period is not a window (monthly KPIs) are left out.
    """
    rows = select(claims, section=list(PHASE_SECTIONS), entity="plan", kind="target").copy()
    windows = [period_window(p, milestone_year) for p in rows["period"]]
    keep = [w is not None for w in windows]
    rows = rows[keep].copy()
    kept = [w for w in windows if w is not None]
    rows["start"] = [w[0] for w in kept]
    rows["end"] = [np.nan if w[1] is None else w[1] for w in kept]
    rows["open_ended"] = rows["end"].isna()
    rows["workstream"] = rows["metric"].map(workstream_of)
    return rows.reset_index(drop=True)


def workstream_of(metric: str) -> str:
    """The workstream (our grouping) a metric belongs to; ``"Other"`` if none."""
    for name, metrics in WORKSTREAMS.items():
        if metric in metrics:
            return name
    return "Other"


def stated_cycle_months(claims: pd.DataFrame) -> float:
    """The length of the plan's implementation cycle (plan 7.1), in months."""
    row = pick(claims, "7.1", "plan_horizon", "unspecified")
    return convert(float(row["value"]), row["unit"], "months")


def horizon_months(claims: pd.DataFrame) -> float:
    """The longest horizon the plan gives its own targets in chapters 3 and 7, in months.

    Open-ended phases (``years 5+``) are drawn up to it.
    """
    rows = select(claims, chapter=3, entity="plan", kind="target")
    rows = pd.concat([rows, select(claims, chapter=7, entity="plan", kind="target")])
    ends = [w[1] for w in map(period_window, rows["period"]) if w is not None and w[1] is not None]
    starts = [w[0] for w in map(period_window, rows["period"]) if w is not None]
    longest = max([*ends, stated_cycle_months(claims)])
    return max(longest, max(starts) + 12.0)


def phases(claims: pd.DataFrame, sections: pd.DataFrame, milestone_year: int = 1) -> pd.DataFrame:
    """One row per phase of each phase plan, on the common month axis.

    Parameters
    ----------
    claims, sections
        The claims and sections tables (titles label the plans).
    milestone_year
        Plan year of the quarterly milestones of 7.3.

    Returns
    -------
    pandas.DataFrame
        ``plan`` (section and title), ``section``, ``period``, ``start``, ``end`` (open
        phases end at :func:`horizon_months`), ``open_ended``, ``milestone``,
        ``n_targets``, ``claim_ids``, ``targets`` (metric names) and ``workstreams``.
    """
    targets = phase_targets(claims, milestone_year)
    horizon = horizon_months(claims)
    titles = dict(zip(sections["section"], sections["title_en"], strict=True))
    records = []
    for (section, period), grp in targets.groupby(["section", "period"], sort=False):
        records.append(
            {
                "plan": f"{section} {titles.get(section, '')}".strip(),
                "section": section,
                "period": period,
                "start": float(grp["start"].iloc[0]),
                "end": horizon if grp["open_ended"].iloc[0] else float(grp["end"].iloc[0]),
                "open_ended": bool(grp["open_ended"].iloc[0]),
                "milestone": section in MILESTONE_SECTIONS,
                "n_targets": len(grp),
                "claim_ids": ", ".join(grp["id"]),
                "targets": ", ".join(m.replace("_", " ") for m in grp["metric"]),
                "workstreams": ", ".join(sorted(set(grp["workstream"]))),
            }
        )
    out = pd.DataFrame(records)
    order = {s: i for i, s in enumerate(PHASE_SECTIONS)}
    out["_o"] = out["section"].map(order)
    return out.sort_values(["_o", "start"]).drop(columns="_o").reset_index(drop=True)


def _due_text(start: float, end: float) -> str:
    if math.isnan(end):
        return f"from month {start:g}, open-ended"
    return f"month {end:g}"


def _baseline(claims: pd.DataFrame, section: str, metric: str) -> float | None:
    rows = select(claims, section=section, metric=metric, kind="actual", period="current")
    return float(rows["value"].iloc[0]) if len(rows) == 1 else None


def contradictions(claims: pd.DataFrame, milestone_year: int = 1) -> pd.DataFrame:
    """Where the phase plans disagree with each other.

    Three rules, each over pairs of phase plans:

    - *same target, different deadline*: a target with the same metric and value is due
      at different months (an open-ended phase is due no earlier than its start);
    - *same metric, different target*: the same metric gets different target values
      (a weekly or monthly KPI has no deadline; its value is compared all the same);
    - *same workstream, disjoint windows*: a workstream (our grouping, :data:`WORKSTREAMS`)
      is scheduled in windows that do not overlap, for plans that share no metric in it;
    - *different horizon*: a phase plan (not the quarterly milestones) runs beyond or
      short of the cycle stated in 7.1.

    Returns
    -------
    pandas.DataFrame
        ``rule``, ``subject``, ``plan_a``, ``due_a``, ``value_a``, ``plan_b``, ``due_b``,
        ``value_b``, ``gap_months`` (``NaN`` when one side has no deadline), ``claim_ids``
        and ``detail``.
    """
    rows = select(claims, section=list(PHASE_SECTIONS), entity="plan", kind="target").copy()
    windows = [period_window(p, milestone_year) for p in rows["period"]]
    rows["start"] = [np.nan if w is None else w[0] for w in windows]
    rows["end"] = [np.nan if (w is None or w[1] is None) else w[1] for w in windows]
    rows["windowed"] = [w is not None for w in windows]
    out: list[dict[str, object]] = []
    shared: set[tuple[str, str, str]] = set()

    for metric, grp in rows.groupby("metric", sort=False):
        for (_, a), (_, b) in itertools.combinations(grp.iterrows(), 2):
            if a["section"] == b["section"]:
                continue
            shared.add((workstream_of(metric), *sorted((a["section"], b["section"]))))
            same_value = a["value"] == b["value"] and a["unit"] == b["unit"]
            label = metric.replace("_", " ")
            base_a = _baseline(claims, a["section"], metric)
            base_b = _baseline(claims, b["section"], metric)
            if same_value and a["windowed"] and b["windowed"]:
                gap = _deadline_gap(a, b)
                if gap == 0:
                    continue
                rule = "same target, different deadline"
                detail = (
                    f"{a['section']} ({a['period']}) and {b['section']} ({b['period']}) set "
                    f"{said(a['value'], a['unit'])}; due {_due_text(a['start'], a['end'])} "
                    f"against {_due_text(b['start'], b['end'])}"
                )
            elif not same_value:
                rule = "same metric, different target"
                gap = _deadline_gap(a, b) if (a["windowed"] and b["windowed"]) else np.nan
                detail = (
                    f"{a['section']}: {_from_to(base_a, a['value'])} ({a['period']}); "
                    f"{b['section']}: {_from_to(base_b, b['value'])} ({b['period']})"
                )
            else:
                continue
            out.append(_row(rule, label, a, b, gap, detail))

    targets = rows[rows["windowed"]].copy()
    targets["workstream"] = targets["metric"].map(workstream_of)
    for stream, grp in targets.groupby("workstream", sort=False):
        spans = {
            sec: (g["start"].min(), np.inf if g["end"].isna().any() else g["end"].max(), g)
            for sec, g in grp.groupby("section", sort=False)
        }
        for sa, sb in itertools.combinations(spans, 2):
            key = (stream, *sorted((sa, sb)))
            if key in shared:
                continue
            (a0, a1, ga), (b0, b1, gb) = spans[sa], spans[sb]
            if a1 <= b0 or b1 <= a0:
                gap = b0 - a1 if a1 <= b0 else a0 - b1
                detail = (
                    f"{sa} schedules it in months {_span(a0, a1)} ({_periods(ga)}); "
                    f"{sb} in months {_span(b0, b1)} ({_periods(gb)})"
                )
                out.append(
                    {
                        "rule": "same workstream, disjoint windows",
                        "subject": stream,
                        "plan_a": sa,
                        "due_a": _span(a0, a1),
                        "value_a": np.nan,
                        "plan_b": sb,
                        "due_b": _span(b0, b1),
                        "value_b": np.nan,
                        "gap_months": float(gap),
                        "claim_ids": ", ".join([*ga["id"], *gb["id"]]),
                        "detail": detail,
                    }
                )

    cycle = stated_cycle_months(claims)
    cycle_row = pick(claims, "7.1", "plan_horizon", "unspecified")
    for section in PHASE_SECTIONS:
        if section in MILESTONE_SECTIONS:
            continue
        grp = targets[targets["section"] == section]
        if grp.empty:
            continue
        last_start = float(grp["start"].max())
        is_open = bool(grp["end"].isna().any())
        last_end = float(grp["end"].max())
        if not is_open and last_end == cycle:
            continue
        due = f"from month {last_start:g}, open-ended" if is_open else f"month {last_end:g}"
        gap = last_start + 12.0 - cycle if is_open else last_end - cycle
        out.append(
            {
                "rule": "different horizon",
                "subject": "length of the plan",
                "plan_a": "7.1",
                "due_a": f"month {cycle:g}",
                "value_a": float(cycle_row["value"]),
                "plan_b": section,
                "due_b": due,
                "value_b": np.nan,
                "gap_months": gap,
                "claim_ids": ", ".join([cycle_row["id"], *grp["id"]]),
                "detail": (
                    f"7.1 sets a cycle of {float(cycle_row['value']):g} {cycle_row['unit']}; "
                    f"{section}'s last phase ({grp['period'].iloc[-1]}) runs {due}"
                    + (" (so at least a year beyond its start)" if is_open else "")
                ),
            }
        )
    columns = [
        "rule",
        "subject",
        "plan_a",
        "due_a",
        "value_a",
        "plan_b",
        "due_b",
        "value_b",
        "gap_months",
        "claim_ids",
        "detail",
    ]
    return pd.DataFrame(out, columns=columns)


def _deadline_gap(a: pd.Series, b: pd.Series) -> float:
    """Months between two deadlines; an open-ended phase is due no earlier than its start."""
    a_open, b_open = math.isnan(a["end"]), math.isnan(b["end"])
    if a_open and b_open:
        return abs(a["start"] - b["start"])
    if a_open:
        return max(a["start"] - b["end"], 0.0)
    if b_open:
        return max(b["start"] - a["end"], 0.0)
    return abs(a["end"] - b["end"])


def _periods(rows: pd.DataFrame) -> str:
    return ", ".join(dict.fromkeys(rows["period"]))


def _from_to(baseline: float | None, value: float) -> str:
    return f"from {baseline:g} to {value:g}" if baseline is not None else f"{value:g}"


def _span(a: float, b: float) -> str:
    return f"{a:g} onward" if math.isinf(b) else f"{a:g}-{b:g}"


def _row(rule: str, subject: str, a: pd.Series, b: pd.Series, gap: float, detail: str) -> dict:
    def due(r: pd.Series) -> str:
        if not r["windowed"]:
            return f"no deadline ({r['period']})"
        return _due_text(r["start"], r["end"])

    return {
        "rule": rule,
        "subject": subject,
        "plan_a": a["section"],
        "due_a": due(a),
        "value_a": float(a["value"]),
        "plan_b": b["section"],
        "due_b": due(b),
        "value_b": float(b["value"]),
        "gap_months": float(gap),
        "claim_ids": f"{a['id']}, {b['id']}",
        "detail": detail,
    }


__all__ = [
    "CONTRADICTION_RULES",
    "MILESTONE_SECTIONS",
    "PHASE_SECTIONS",
    "WORKSTREAMS",
    "contradictions",
    "horizon_months",
    "period_window",
    "phase_targets",
    "phases",
    "stated_cycle_months",
    "workstream_of",
]
