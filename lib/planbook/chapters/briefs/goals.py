"""Chapter 3's brief: user growth, the odds of the targets, what the targets are worth."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planbook.chapters.briefs.words import (
    Bullet,
    audit_bullet,
    checks_bullet,
    holds,
    num,
    pct,
    people,
    short_probability,
)
from planbook.chapters.goals.result import AgainstData, GoalsResult

USERS = "User growth against saturation"
ODDS = "Targets against the data"
WORTH = "What the short-term targets are worth"


def users(r: GoalsResult) -> Bullet:
    """Lower-tier users at the target rate against all users (the landing page's fact)."""
    within = holds(r.ck_users_verdict)
    return Bullet(
        f"Growing lower-tier users by {pct(r.lt_cagr, 0)} a year (plan 3.1) takes them from "
        f"{people(r.s_start)} to {people(r.ck_users)} in {r.ck_horizon:.0f} years, "
        f"{'within' if within else 'more than'} the {people(r.ck_total)} e-commerce "
        "users of all kinds that plan 1.2 implies.",
        USERS,
    )


def odds(a: AgainstData) -> Bullet:
    """How many targets with an official series behind them have low odds."""
    k, n = int(a.n_low_odds), int(a.tad_n)
    who = "all" if k == n else "none" if k == 0 else f"{k:,}"
    verb = "has" if who == "none" or (k == 1 and n > 1) else "have"
    return Bullet(
        f"Of the {n:,} targets that an official series can test, {who} {verb} odds below "
        f"{pct(a.low_p, 0)} on the official trend; the best placed, {a.best_desc}, has "
        f"{short_probability(a.best_p_text)}.",
        ODDS,
    )


def worth(r: GoalsResult) -> Bullet:
    """A customer's worth with the short-term targets met."""
    gain = r.e_profit_both
    return Bullet(
        "With the short-term repurchase and acquisition-cost targets both met, a customer's "
        f"lifetime value rises from {num(r.e_ltv_now)} to {num(r.e_ltv_both)} yuan, "
        f"{r.e_ratio_both:.2f} times the acquisition cost: each new customer "
        f"{'earns' if gain >= 0 else 'still loses'} {num(abs(gain), 0)} yuan.",
        WORTH,
    )


def brief(r: GoalsResult, a: AgainstData, audit: Mapping[str, Any]) -> list[Bullet]:
    """Chapter 3's findings; ``audit`` is the page's audit section's glued values."""
    checks = checks_bullet(r.ck_hold, r.ck_n)
    return [users(r), odds(a), worth(r), checks, audit_bullet(audit, 3)]


__all__ = ["brief", "odds", "users", "worth"]
