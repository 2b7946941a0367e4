"""Chapter 7 (timeline and phases): the plan's phase plans on one time axis, KPI glide paths
and the false-alarm rate of its alert rule.

- :mod:`~planbook.chapters.timeline.plans`: the four phase plans (3.2, 7.1, 7.2, 7.3) on
  one month axis and where they contradict each other;
- :mod:`~planbook.chapters.timeline.tracking`: the KPIs of 7.3 against the paths to
  their dated targets, and the alert rule of 7.3 on noise alone;
- :mod:`~planbook.chapters.timeline.result`: the page's numbers and tables by name
  (:func:`compute`) and the chapter's key numbers (:func:`headline`).
"""

from planbook.chapters.timeline.plans import (
    CONTRADICTION_RULES,
    MILESTONE_SECTIONS,
    PHASE_SECTIONS,
    WORKSTREAMS,
    contradictions,
    horizon_months,
    period_window,
    phase_targets,
    phases,
    stated_cycle_months,
    workstream_of,
)
from planbook.chapters.timeline.result import (
    AlertRule,
    Assumptions,
    Contradictions,
    KpiPaths,
    PhaseAxis,
    PlanSays,
    TimelineResult,
    compute,
    headline,
    workstream_spans,
)
from planbook.chapters.timeline.tracking import (
    KPI_SPECS,
    KpiSpec,
    alert_summary,
    alert_threshold,
    glide_frame,
    glide_table,
)

__all__ = [
    "CONTRADICTION_RULES",
    "KPI_SPECS",
    "MILESTONE_SECTIONS",
    "PHASE_SECTIONS",
    "WORKSTREAMS",
    "AlertRule",
    "Assumptions",
    "Contradictions",
    "KpiPaths",
    "KpiSpec",
    "PhaseAxis",
    "PlanSays",
    "TimelineResult",
    "alert_summary",
    "alert_threshold",
    "compute",
    "contradictions",
    "glide_frame",
    "glide_table",
    "headline",
    "horizon_months",
    "period_window",
    "phase_targets",
    "phases",
    "stated_cycle_months",
    "workstream_of",
    "workstream_spans",
]
