"""Chapter 9's brief: what the source leaves out, the green deadlines, social commerce."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planbook.chapters.briefs.words import Bullet, audit_bullet, count, pct
from planbook.chapters.innovation import InnovationResult

SOURCE = "What the plan says, and what it leaves out"
GREEN = "Green e-commerce (plan 9.2)"
SOCIAL = "Social commerce (plan 9.3)"


def source(r: InnovationResult) -> Bullet:
    """The chapter's empty and cut sections."""
    s = r.source
    return Bullet(
        f"Section {s.empty_sections} ({s.empty_titles}) is empty and section "
        f"{s.cut_sections} ({s.cut_titles}) stops mid-sentence; the chapter holds "
        f"{count(s.ch9_claims, 'figure')} in all.",
        SOURCE,
    )


def deadlines(r: InnovationResult) -> Bullet:
    """How many of the chapter's deadlines had passed or fall due."""
    d, year = r.deadlines, r.green.as_of
    parts = [
        f"{d.n_passed:,} had passed by {year}" if d.n_passed else f"none had passed by {year}",
        f"{d.n_due:,} fall due that year" if d.n_due else "",
        f"{d.n_open:,} later" if d.n_open else "",
    ]
    said = ", ".join(p for p in parts if p)
    return Bullet(
        f"Of the chapter's {count(d.n_deadlines, 'dated target')}, {said}; "
        f"{'only ' if d.n_stated < d.n_deadlines else ''}{count(d.n_stated, 'deadline')} "
        f"{'is' if d.n_stated == 1 else 'are'} the plan's own, the others rest on an "
        "assumed horizon.",
        GREEN,
    )


def social(r: InnovationResult) -> Bullet:
    """Content conversion against the average and the multiple plan 6.4 states."""
    c = r.commerce
    bears = c.multiple >= c.stated_multiple
    return Bullet(
        f"Content from ordinary users lifts conversion to {pct(c.content, 0)} against an "
        f"industry average of {pct(c.average, 0)}, {c.multiple:.1f} times: "
        + (
            f"as plan 6.4's more than {c.stated_multiple:g} times says."
            if bears
            else f"short of the more than {c.stated_multiple:g} times that plan 6.4 states."
        ),
        SOCIAL,
    )


def brief(r: InnovationResult, audit: Mapping[str, Any]) -> list[Bullet]:
    """Chapter 9's findings; ``audit`` is the page's audit section's glued values."""
    return [source(r), deadlines(r), social(r), audit_bullet(audit, 9)]


__all__ = ["brief", "deadlines", "social", "source"]
