"""Chapter 4's brief: whose results the claims are, inventory arithmetic, the driver tree."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planbook.chapters.briefs.words import Bullet, audit_bullet, cap, holds, num, part, pct
from planbook.chapters.implementation import ImplementationResult

SHOW = "What the numbers show"
INVENTORY = "Checks of the plan's arithmetic: inventory, days against turns"
MODEL = "The model: a driver tree of the claimed uplifts"


def cases(r: ImplementationResult) -> Bullet:
    """How many claimed changes are other firms' results."""
    who = part(r.n_case_changes, r.n_changes, "change", ("is", "are"))
    k = int(r.n_target)
    own = (
        "none is one of the plan's own targets"
        if k == 0
        else f"only {k:,} {'is' if k == 1 else 'are'} the plan's own targets"
    )
    return Bullet(
        f"{cap(who)} results reported for a single other firm; {own}.",
        SHOW,
    )


def inventory(r: ImplementationResult) -> Bullet:
    """Inventory days against turns: the failures and the baseline."""
    fail = part(r.n_inv_fail, r.n_inv_checks, "inventory check", ("fails", "fail"))
    days = f"{num(r.base_days_implied)} days of stock"
    base = (
        f"matching the {r.base_days:.0f} days"
        if holds(r.base_verdict)
        else f"not the {r.base_days:.0f} days"
    )
    return Bullet(
        f"{cap(fail)}: plan 8.1's {r.base_turns:g} turns a year are {days}, {base} that "
        "sections 3.2, 5.1 and 7.1 start from.",
        INVENTORY,
    )


def uplift(r: ImplementationResult) -> Bullet:
    """The GMV change of the claimed uplifts, summed and adjusted."""
    return Bullet(
        f"Summed as stated, the claimed uplifts change GMV by {pct(r.gmv_naive)}; allowing "
        f"for overlap and for evidence from other firms, by {pct(r.gmv_adjusted)}: the "
        f"adjustments remove {pct(r.gmv_removed_share, 0)} of the naive change.",
        MODEL,
    )


def brief(r: ImplementationResult, audit: Mapping[str, Any]) -> list[Bullet]:
    """Chapter 4's findings; ``audit`` is the page's audit section's glued values."""
    return [cases(r), inventory(r), uplift(r), audit_bullet(audit, 4)]


__all__ = ["brief", "cases", "inventory", "uplift"]
