"""Chapter 1's brief: the plan's market sizes against official statistics."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planbook.chapters.briefs.words import (
    CHECKS,
    Bullet,
    audit_bullet,
    checks_bullet,
    num,
    pct,
    short_probability,
)
from planbook.chapters.market import MarketResult

OFFICIAL = "The plan beside official statistics"
OUTLOOK = "Where the official series are heading"


def online(r: MarketResult) -> Bullet:
    """2023 online retail sales against the official figure (the landing page's fact)."""
    gap, official = r.online_2023_gap, num(r.online_2023_official)
    said = f"The plan's 2023 online retail sales, {num(r.online_2023)} trillion yuan, "
    if abs(gap) <= r.level_tol:
        said += f"agree with the official {official} trillion (within {r.level_tol:g}%)."
    else:
        side = "below" if gap < 0 else "above"
        said += f"are {pct(abs(gap))} {side} the official {official} trillion."
    return Bullet(said, OFFICIAL)


def volume(r: MarketResult) -> Bullet:
    """The 2023 transaction volume against the official trend's interval."""
    inside = r.tv_fc_2023_lower <= r.tv_2023 <= r.tv_fc_2023_upper
    return Bullet(
        f"The plan's 2023 transaction volume, {num(r.tv_2023)} trillion yuan, lies "
        f"{'inside' if inside else 'outside'} the {r.level_pct:.0f}% interval of the official "
        f"trend ({num(r.tv_fc_2023_lower)} to {num(r.tv_fc_2023_upper)} trillion); the "
        f"forecast gives it a probability of {short_probability(r.p_2023_text)}.",
        OUTLOOK,
    )


def base_2020(r: MarketResult) -> Bullet:
    """The 2020 transaction volume the plan's growth implies, against the official one."""
    gap, official = r.tv_2020_gap, num(r.tv_2020_official)
    said = (
        "The plan's stated growth implies a 2020 transaction volume of "
        f"{num(r.tv_2020_plan)} trillion yuan, "
    )
    if abs(gap) <= r.level_tol:
        said += f"in line with the official {official} trillion."
    else:
        side, pace = ("below", "faster") if gap < 0 else ("above", "slower")
        said += (
            f"{pct(abs(gap))} {side} the official {official} trillion: its growth since 2020 "
            f"is {pace} than the official series shows."
        )
    return Bullet(said, OFFICIAL)


def brief(r: MarketResult, audit: Mapping[str, Any]) -> list[Bullet]:
    """Chapter 1's findings; ``audit`` is the page's audit section's glued values."""
    checks = checks_bullet(r.ch1_checks_hold, r.ch1_checks, CHECKS)
    return [online(r), volume(r), base_2020(r), checks, audit_bullet(audit, 1)]


__all__ = ["base_2020", "brief", "online", "volume"]
