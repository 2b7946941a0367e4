"""Chapter 8's brief: the growth promise both ways, its odds, the checks, the money."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planbook.chapters.benefits import BenefitsResult
from planbook.chapters.briefs.words import (
    CHECKS,
    Bullet,
    audit_bullet,
    cap,
    holds,
    num,
    part,
    pct,
    short_probability,
    yuan,
)

GROWTH = "The growth promise, both ways"
MONEY = "The efficiency and cost promises in money"


def promise(r: BenefitsResult) -> Bullet:
    """The promised rate against the promised end point."""
    s, g = r.says, r.growth
    said = (
        f"From {num(s.gmv_base)} trillion yuan, {pct(s.gmv_rate, 0)} a year for "
        f"{g.gmv_years} years leads to {num(g.end_from_rate)} trillion, "
    )
    if abs(g.end_from_rate / s.gmv_end - 1) * 100 <= r.checks.level_tol:
        said += f"in line with the {s.gmv_end:g} trillion the plan states."
    else:
        said += (
            f"not the {s.gmv_end:g} trillion the plan states; reaching {s.gmv_end:g} takes "
            f"{pct(g.rate_from_end)} a year."
        )
    return Bullet(said, GROWTH)


def odds(r: BenefitsResult) -> Bullet:
    """The promised end point against the official trend's forecast."""
    s, g = r.says, r.growth
    where = (
        "above the top of"
        if s.gmv_end > g.fc_upper
        else "below the bottom of"
        if s.gmv_end < g.fc_lower
        else "inside"
    )
    return Bullet(
        f"On the official trend, the transaction volume of {g.target_year} has a median of "
        f"{num(g.fc_median)} trillion yuan; the {s.gmv_end:g} trillion promised lies {where} "
        f"the {g.level_pct:.0f}% interval ({num(g.fc_lower)} to {num(g.fc_upper)}), with odds "
        f"of {short_probability(g.p_end_text)}.",
        GROWTH,
    )


def checks(r: BenefitsResult) -> Bullet:
    """The chapter's checks that hold, and whether its baseline does."""
    table = r.checks.table
    n_hold = int(table["verdict"].isin(["consistent", "within rounding"]).sum())
    base = "agrees" if holds(r.checks.gmv_base_verdict) else "does not agree"
    own = "of the chapter's own arithmetic"
    said = part(n_hold, len(table), f"check {own}", plural=f"checks {own}")
    return Bullet(
        f"{cap(said)}; the GMV baseline of {num(r.says.gmv_base)} trillion yuan {base} with "
        "chapter 1's transaction volume.",
        CHECKS,
    )


def money(r: BenefitsResult) -> Bullet:
    """What the counted promises are worth a year."""
    m = r.money
    return Bullet(
        f"For {m.base_text}, the counted efficiency and cost promises are worth "
        f"{yuan(m.firm_total)} a year; the logistics cut carries "
        f"{pct(m.logistics_share_of_benefit, 0)} of it.",
        MONEY,
    )


def brief(r: BenefitsResult, audit: Mapping[str, Any]) -> list[Bullet]:
    """Chapter 8's findings; ``audit`` is the page's audit section's glued values."""
    return [promise(r), odds(r), checks(r), money(r), audit_bullet(audit, 8)]


__all__ = ["brief", "checks", "money", "odds", "promise"]
