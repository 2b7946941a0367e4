"""The arithmetic behind the book's checks: growth rates, implied totals and verdicts.

Rates are in percent (18.4 means 18.4 %), as the plan writes them. A check compares a
stated figure with the same figure recomputed from other figures and gives a verdict in
the audit's words (:data:`planbook.methods.audit.VERDICTS`; :func:`verdict_of` is the one
definition both use):

- ``consistent``: the recomputation rounds to the stated figure (within half a unit of
  its last stated digit);
- ``within rounding``: only the inputs' rounding or an open bound reconciles them (the
  audit's span comparisons; a point comparison here never gives it);
- ``within tolerance``: apart by more than rounding, within the tolerance (a parameter);
- ``inconsistent``: beyond the tolerance;
- ``unverifiable``: an input is missing.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import pandas as pd

VERDICTS = ("consistent", "within tolerance", "inconsistent", "unverifiable")
"""The verdicts a point comparison of this module gives (a subset of the audit's)."""


def decimals(value: float) -> int:
    """Number of decimals of a figure as written (``18.4`` -> 1, ``47`` -> 0)."""
    text = repr(float(value))
    if "e" in text:
        return 0
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    return len(frac)


def half_unit(value: float) -> float:
    """Half a unit of the last stated digit: the rounding slack of a figure."""
    return 0.5 * 10 ** (-decimals(value))


def cagr(start: float, end: float, years: float) -> float:
    """Compound annual growth rate in percent from ``start`` to ``end`` over ``years``."""
    if start <= 0 or end <= 0 or years <= 0:
        raise ValueError("cagr needs positive start, end and years")
    return ((end / start) ** (1.0 / years) - 1.0) * 100.0


def cagr_from_cumulative(cumulative_pct: float, years: float) -> float:
    """Annual rate (percent) implied by a cumulative growth of ``cumulative_pct`` over ``years``."""
    return ((1.0 + cumulative_pct / 100.0) ** (1.0 / years) - 1.0) * 100.0


def cumulative_from_cagr(rate_pct: float, years: float) -> float:
    """Cumulative growth (percent) of ``years`` years at an annual rate of ``rate_pct``."""
    return ((1.0 + rate_pct / 100.0) ** years - 1.0) * 100.0


def grow(start: float, rate_pct: float, years: float) -> float:
    """The value after ``years`` years of growth at ``rate_pct`` per year."""
    return start * (1.0 + rate_pct / 100.0) ** years


def base_from_growth(end: float, cumulative_pct: float) -> float:
    """The starting value implied by an end value and the cumulative growth up to it."""
    return end / (1.0 + cumulative_pct / 100.0)


def implied_total(part: float, share_pct: float) -> float:
    """The whole implied by a part and its share (percent) of the whole."""
    if share_pct <= 0:
        raise ValueError("share must be positive")
    return part / (share_pct / 100.0)


def share(part: float, total: float) -> float:
    """A part's share of a total, in percent."""
    return part / total * 100.0


@dataclass(frozen=True)
class Check:
    """One recomputation: a stated figure against the same figure derived from others."""

    check: str
    claim_ids: str
    stated: float
    recomputed: float
    unit: str
    difference: float
    tolerance: float
    verdict: str
    arithmetic: str


def verdict_of(
    stated: float,
    gap: float,
    meets: bool,
    tolerance: float,
    point_gap: float | None = None,
) -> str:
    """Verdict from the distance between a stated figure and a recomputed one: the book's
    one definition (the audit and the chapters' checks both call it).

    ``gap`` is the distance between the stated figure and the values the recomputation
    can take with its inputs rounded as stated; ``point_gap`` (optional) the distance to
    the recomputation from the inputs as written. ``meets``: the two share a point.

    - within half a unit of the stated figure's last digit: *consistent* when the
      recomputation from the inputs as written rounds to it too (or ``point_gap`` is not
      given), else *within rounding* (only the inputs' rounding reconciles them);
    - spans that only touch at an open end ("less than 30" against 30): *within rounding*;
    - within ``tolerance``: *within tolerance* (18.4% stated, 18.24% recomputed: the
      stated figures do not round to each other);
    - else *inconsistent*; a NaN gap is *unverifiable*.

    >>> verdict_of(18.4, 0.16, False, 0.5)
    'within tolerance'
    >>> verdict_of(34.2, 0.0, True, 0.5, point_gap=0.17)
    'within rounding'
    """
    if math.isnan(gap):
        return "unverifiable"
    half = half_unit(stated) + 1e-9
    if gap == 0 and not meets:
        return "within rounding"
    if gap <= half:
        if point_gap is not None and math.isfinite(point_gap) and point_gap > half:
            return "within rounding"
        return "consistent"
    if gap <= tolerance + 1e-12:
        return "within tolerance"
    return "inconsistent"


def _verdict(stated: float, recomputed: float, tolerance: float) -> str:
    """:func:`verdict_of` for two points (a stated figure, a recomputed one)."""
    if any(math.isnan(x) for x in (stated, recomputed)):
        return "unverifiable"
    return verdict_of(stated, abs(recomputed - stated), True, tolerance)


def compare_rate(
    check: str,
    claim_ids: list[str],
    stated_pct: float,
    recomputed_pct: float,
    tolerance_pp: float,
    arithmetic: str,
    unit: str = "percent",
) -> Check:
    """Compare a stated rate with a recomputed one; tolerance in percentage points."""
    return Check(
        check=check,
        claim_ids=", ".join(claim_ids),
        stated=stated_pct,
        recomputed=recomputed_pct,
        unit=unit,
        difference=recomputed_pct - stated_pct,
        tolerance=tolerance_pp,
        verdict=_verdict(stated_pct, recomputed_pct, tolerance_pp),
        arithmetic=arithmetic,
    )


def compare_level(
    check: str,
    claim_ids: list[str],
    stated: float,
    recomputed: float,
    unit: str,
    tolerance_pct: float,
    arithmetic: str,
) -> Check:
    """Compare a stated level with a recomputed one; tolerance relative, in percent."""
    return Check(
        check=check,
        claim_ids=", ".join(claim_ids),
        stated=stated,
        recomputed=recomputed,
        unit=unit,
        difference=recomputed - stated,
        tolerance=abs(stated) * tolerance_pct / 100.0,
        verdict=_verdict(stated, recomputed, abs(stated) * tolerance_pct / 100.0),
        arithmetic=arithmetic,
    )


def compare_at_most(
    check: str,
    claim_ids: list[str],
    limit: float,
    value: float,
    arithmetic: str,
    unit: str = "percent",
) -> Check:
    """Check that a derived value does not exceed a hard limit (e.g. shares sum to <= 100)."""
    verdict = (
        "unverifiable"
        if math.isnan(value)
        else ("consistent" if value <= limit + 1e-9 else "inconsistent")
    )
    return Check(
        check=check,
        claim_ids=", ".join(claim_ids),
        stated=limit,
        recomputed=value,
        unit=unit,
        difference=value - limit,
        tolerance=0.0,
        verdict=verdict,
        arithmetic=arithmetic,
    )


def checks_frame(checks: list[Check]) -> pd.DataFrame:
    """A list of checks as one tidy table."""
    columns = list(Check.__dataclass_fields__)
    return pd.DataFrame([asdict(c) for c in checks], columns=columns)
