"""Chapter 2's brief: what a customer is worth, the widest gap and the falling margin."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planbook.chapters.briefs.words import Bullet, audit_bullet, checks_bullet, num, pct
from planbook.chapters.challenges import ChallengesResult, customer_sentence

MODEL = "The model: what an acquired customer is worth"
GAPS = "Gaps to the plan's own benchmarks"
TRENDS = "Trends as annual rates"


def customer(r: ChallengesResult) -> Bullet:
    """Lifetime value against acquisition cost (the landing page's fact)."""
    return Bullet(customer_sentence(r), MODEL)


def widest_gap(r: ChallengesResult) -> Bullet:
    """The problem furthest from the plan's own yardstick."""
    return Bullet(
        f"The widest gap to the plan's own benchmarks is the {r.top_problem}: "
        f"{r.top_current:g}{r.top_unit} against {r.top_benchmark:g}{r.top_unit} in "
        f"{r.top_benchmark_name}, {r.top_factor:.2f} times worse.",
        GAPS,
    )


def margin(r: ChallengesResult) -> Bullet:
    """The industry margin's trend, worded from its sign."""
    word = "fell" if r.margin_rate < 0 else "rose"
    return Bullet(
        f"The industry's average profit margin {word} {num(abs(r.margin_fall))} points "
        f"between {r.margin_start} and {r.margin_end}, {pct(abs(r.margin_rate))} a year "
        "compounded.",
        TRENDS,
    )


def brief(r: ChallengesResult, audit: Mapping[str, Any]) -> list[Bullet]:
    """Chapter 2's findings; ``audit`` is the page's audit section's glued values."""
    checks = checks_bullet(r.ch2_checks_hold, r.ch2_checks)
    return [customer(r), widest_gap(r), margin(r), checks, audit_bullet(audit, 2)]


__all__ = ["brief", "customer", "margin", "widest_gap"]
