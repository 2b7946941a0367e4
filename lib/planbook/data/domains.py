"""The values a number may take, by unit: one place for every data table's domain rule.

A claim's ``value`` (``data/plan/claims.csv``) must lie in the domain of its ``unit``;
for ``percent`` the metric's name says whether it is a share (0 to 100) or a change (any
sign, any size). An official figure's ``value`` (``data/official/*.csv``) must lie in
the domain of its ``measure``. The rules are written out in ``data/plan/README.md`` and
``data/official/README.md``; a test holds that every unit has a domain.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Domain:
    """A closed interval of allowed values (``None``: unbounded on that side), named."""

    name: str
    low: float | None = None
    high: float | None = None
    positive: bool = False

    def problem(self, value: float) -> str | None:
        """Why ``value`` is outside the domain, or ``None`` when it is inside."""
        shown = f"{value:g}"
        if not math.isfinite(value):
            return f"{shown} is not a finite number"
        if self.positive and value <= 0:
            return f"{shown} is not positive ({self.name})"
        if self.low is not None and value < self.low:
            return f"{shown} is below {self.low:g} ({self.name})"
        if self.high is not None and value > self.high:
            return f"{shown} is above {self.high:g} ({self.name})"
        return None


NON_NEGATIVE = Domain("a level, count, duration or multiple cannot be negative", low=0)
POSITIVE = Domain("a level must be positive", positive=True)
SHARE = Domain("a share or rate in percent lies between 0 and 100", low=0, high=100)
PART_OF = Domain("a part of another quantity in percent cannot be negative", low=0)
RETURN = Domain("a margin or return in percent is at most 100", high=100)
CHANGE = Domain("a relative change in percent cannot fall below -100", low=-100)
POINTS = Domain("a difference in percentage points: any finite value")
SCORE = Domain("a score lies between 0 and 100", low=0, high=100)

UNIT_DOMAINS: dict[str, Domain | None] = {
    "trillion_yuan": NON_NEGATIVE,
    "100m_yuan": NON_NEGATIVE,
    "10k_yuan": NON_NEGATIVE,
    "yuan": NON_NEGATIVE,
    "yuan_per_user": NON_NEGATIVE,
    "100m_usd": NON_NEGATIVE,
    "10k_eur": NON_NEGATIVE,
    "percent": None,  # decided by the metric: :func:`percent_domain`
    "percentage_points": POINTS,
    "seconds": NON_NEGATIVE,
    "minutes": NON_NEGATIVE,
    "hours": NON_NEGATIVE,
    "days": NON_NEGATIVE,
    "weeks": NON_NEGATIVE,
    "months": NON_NEGATIVE,
    "years": NON_NEGATIVE,
    "km": NON_NEGATIVE,
    "times": NON_NEGATIVE,
    "times_per_year": NON_NEGATIVE,
    "count": NON_NEGATIVE,
    "10k_count": NON_NEGATIVE,
    "100m_count": NON_NEGATIVE,
    "score": SCORE,
    "index": NON_NEGATIVE,
    "ratio": NON_NEGATIVE,
}
"""The domain of a claim's value by unit (``data/plan/README.md``, "Domains")."""

CHANGE_WORDS = frozenset(
    {
        "change",
        "growth",
        "cagr",
        "uplift",
        "increase",
        "improvement",
        "decline",
        "reduction",
        "cut",
        "difference",
        "gap",
        "premium",
    }
)
"""Words of a metric's name that make a ``percent`` value a change, not a share."""

RETURN_WORDS = frozenset({"margin", "roe"})
"""Words of a metric's name that make a ``percent`` value a margin or a return."""

MEASURE_DOMAINS: dict[str, Domain] = {
    "level": POSITIVE,
    "yoy_pct": CHANGE,
    "share_pct": SHARE,
}
"""The domain of an official figure by measure (``data/official/README.md``)."""


def percent_domain(metric: str) -> Domain:
    """The domain of a ``percent`` claim, from the words of its metric's name.

    In this order: a name ending in ``share`` is a share (0 to 100); a name with a word
    of :data:`CHANGE_WORDS` is a relative change (growth may be negative or above 100,
    never below -100); a name with ``of`` is a part of another quantity (``cost_share_of_revenue``:
    not negative, may exceed 100); a name with a word of :data:`RETURN_WORDS` is a margin
    or return (may be negative, at most 100); any other is a share or rate (0 to 100).

    >>> percent_domain("user_growth").low, percent_domain("repurchase_rate").high
    (-100, 100)
    """
    words = metric.split("_")
    if words[-1] == "share":
        return SHARE
    if CHANGE_WORDS.intersection(words):
        return CHANGE
    if "of" in words:
        return PART_OF
    if RETURN_WORDS.intersection(words):
        return RETURN
    return SHARE


def claim_domain(unit: str, metric: str) -> Domain:
    """The domain of a claim's value with this ``unit`` and ``metric``.

    Raises
    ------
    KeyError
        For a unit without a domain (every unit of the claims table has one).
    """
    domain = UNIT_DOMAINS[unit]
    return domain if domain is not None else percent_domain(metric)


__all__ = [
    "CHANGE_WORDS",
    "MEASURE_DOMAINS",
    "POINTS",
    "RETURN_WORDS",
    "UNIT_DOMAINS",
    "Domain",
    "claim_domain",
    "percent_domain",
]
