"""Chapter 5's brief: the register, the availability budget and the simulated losses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planbook.chapters.briefs.words import Bullet, audit_bullet, cap, checks_bullet, num, part
from planbook.chapters.risk import RiskResult

SHOW = "What the numbers show"
AVAILABILITY = "Availability and recovery time"
MODEL = "The model: a year's losses, simulated"


def register(r: RiskResult) -> Bullet:
    """How many risks rate high on this page's scores, and the top one."""
    high = part(r.n_risks_high, r.n_risks, "risk", ("is", "are"))
    return Bullet(
        f"{cap(high)} rated high or critical on this page's scores; the highest score, "
        f"{r.top_score:.0f} of 25, goes to {r.top_risk}.",
        SHOW,
    )


def availability(r: RiskResult) -> Bullet:
    """The downtime budget of the availability target against one outage."""
    said = (
        f"The {r.avail:g}% availability target allows {num(r.downtime_min)} minutes of "
        f"downtime a year; one outage at the old {r.r0_h:g}-hour recovery time "
    )
    if r.old_vs_budget > 1:
        said += (
            f"uses {num(r.old_vs_budget)} times that budget, so the target holds only with "
            f"the new {r.r1_min:g}-minute recovery time."
        )
    else:
        said += f"fits within it ({num(r.old_vs_budget * 100, 0)}% of the budget)."
    return Bullet(said, AVAILABILITY)


def losses(r: RiskResult) -> Bullet:
    """The expected annual loss with and without the plan's responses."""
    word = "cut" if r.avoided >= 0 else "raise"
    return Bullet(
        f"The plan's responses {word} the expected annual loss from {num(r.ab, 0)} to "
        f"{num(r.aa, 0)} million yuan ({num(abs(r.avoided_share), 0)}% of it); with them, a bad "
        f"year (the {r.q_pct:.0f}th percentile) costs {num(r.qa, 0)} million yuan.",
        MODEL,
    )


def brief(r: RiskResult, audit: Mapping[str, Any]) -> list[Bullet]:
    """Chapter 5's findings; ``audit`` is the page's audit section's glued values."""
    checks = checks_bullet(r.ch5_checks_hold, r.ch5_checks)
    return [register(r), availability(r), losses(r), checks, audit_bullet(audit, 5)]


__all__ = ["availability", "brief", "losses", "register"]
