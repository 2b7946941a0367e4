"""Chapter 6's brief: the budget's arithmetic, what it leaves unallocated, whether it pays."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planbook.chapters.briefs.words import (
    CHECKS,
    Bullet,
    audit_bullet,
    cap,
    finite,
    holds,
    part,
    pct,
    yuan,
)
from planbook.chapters.resources import ResourcesResult
from planbook.data.amounts import figure, in_scale

SPLIT = "First-year split adds up to the first-year total"
"""The check of :attr:`ResourcesResult.checks` that the landing page's budget finding reads."""
HORIZONS = "What each horizon holds"
MODEL = "The model: does the spending pay?"


def _billions(x: float) -> str:
    """An amount in hundred million yuan as a number of billions: ``4.5``, ``12``."""
    return figure(in_scale(x, "100m_yuan", "billion")[0])


def split(r: ResourcesResult) -> Bullet:
    """Whether the first-year lines add up to the stated total (the landing page's fact)."""
    row = r.checks.set_index("check").loc[SPLIT]
    lines = " + ".join(_billions(x) for x in (r.tech, r.chain, r.marketing))
    total = f"{lines} = {_billions(float(row['recomputed']))} billion yuan"
    if holds(row["verdict"]):
        said = f"The first-year budget lines add up: {total}, the total stated."
    else:
        said = (
            f"The first-year budget lines do not add up: {total} against "
            f"{_billions(float(row['stated']))} billion stated."
        )
    return Bullet(said, CHECKS)


def checks(r: ResourcesResult) -> Bullet:
    """The budget checks that hold, and the technology line against its own items."""
    word = "exceeds" if r.hw_sw > r.tech else "fits within"
    return Bullet(
        f"{cap(part(r.ch6_checks_hold, r.ch6_checks, 'budget check'))}; hardware and software "
        f"spending ({yuan(r.hw_sw)}) {word} the technology line ({yuan(r.tech)}).",
        CHECKS,
    )


def unallocated(r: ResourcesResult) -> Bullet:
    """How much of the five-year budget no line claims."""
    five = yuan(r.total_y5)
    if r.unallocated_y5 <= 0:
        return Bullet(f"Every yuan of the five-year {five} is allotted to a line.", HORIZONS)
    return Bullet(
        f"{pct(r.unallocated_y5_share, 0)} of the five-year budget of {five} "
        f"({yuan(r.unallocated_y5)}) is not allotted to any line.",
        HORIZONS,
    )


def pays(r: ResourcesResult) -> Bullet:
    """The net present value of the spending, worded from its sign."""
    verdict = "pays" if r.npv > 0 else "does not pay"
    said = (
        f"At a discount rate of {r.discount_rate:g}% and with {r.realisation_pct:g}% of the "
        f"promised benefits realised, the spending {verdict}: a net present value of "
        f"{yuan(r.npv)}"
    )
    if finite(r.breakeven_realisation_pct):
        said += f"; it breaks even at {pct(r.breakeven_realisation_pct, 0)} realisation"
    return Bullet(said + ".", MODEL)


def brief(r: ResourcesResult, audit: Mapping[str, Any]) -> list[Bullet]:
    """Chapter 6's findings; ``audit`` is the page's audit section's glued values."""
    return [split(r), checks(r), unallocated(r), pays(r), audit_bullet(audit, 6)]


__all__ = ["brief", "checks", "pays", "split", "unallocated"]
