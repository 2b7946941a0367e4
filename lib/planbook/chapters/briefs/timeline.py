"""Chapter 7's brief: contradictions between the phase plans, KPIs, false alarms."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planbook.chapters.briefs.words import Bullet, audit_bullet, count, pct
from planbook.chapters.timeline import TimelineResult

CONFLICTS = "Where the phase plans contradict each other"
KPIS = "KPI glide paths"
ALARM = "How often the alert rule fires by chance"


def conflicts(r: TimelineResult) -> Bullet:
    """How often the phase plans contradict each other."""
    c = r.conflicts
    if c.n_conflicts == 0:
        return Bullet(f"The {r.axis.n_plans} phase plans never contradict each other.", CONFLICTS)
    said = f"The {r.axis.n_plans} phase plans contradict each other {count(c.n_conflicts, 'time')}"
    if c.n_deadline:
        gap = f"{c.gap_min:.0f} to {c.gap_max:.0f}" if c.gap_max > c.gap_min else f"{c.gap_min:.0f}"
        said += f"; {count(c.n_deadline, 'target')} {'has' if c.n_deadline == 1 else 'have'} "
        said += f"two deadlines, {gap} months apart"
    return Bullet(said + ".", CONFLICTS)


def kpis(r: TimelineResult) -> Bullet:
    """How many KPI-months disagree with the paths to the dated targets."""
    k, n = int(r.kpis.kpi_disagree), int(r.kpis.kpi_checked)
    if k == 0:
        said = (
            "The plan's recurring KPIs agree with the paths to its dated targets in all "
            f"{count(n, 'KPI-month')} checked."
        )
    else:
        said = (
            "The plan's recurring KPIs are at odds with the paths to its dated targets in "
            f"{k:,} of {count(n, 'KPI-month')} checked."
        )
    return Bullet(said, KPIS)


def alarm(r: TimelineResult) -> Bullet:
    """How often the plan's alert rule fires on noise alone."""
    a = r.alarm
    return Bullet(
        f"At {a.noise:g}% monthly noise, the alert rule (a move of {pct(a.threshold, 0)}) "
        f"fires by chance in {pct(a.fa_rate)} of monthly reviews (exact formula: "
        f"{pct(a.fa_exact)}), a {pct(a.fa_any, 0)} chance of at least one false alarm in "
        f"{a.months} months.",
        ALARM,
    )


def brief(r: TimelineResult, audit: Mapping[str, Any]) -> list[Bullet]:
    """Chapter 7's findings; ``audit`` is the page's audit section's glued values."""
    return [conflicts(r), kpis(r), alarm(r), audit_bullet(audit, 7)]


__all__ = ["alarm", "brief", "conflicts", "kpis"]
