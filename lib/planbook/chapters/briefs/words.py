"""The shared parts of every chapter's brief: the bullet, number formats and count phrases.

Amounts in English scales come from :mod:`planbook.data.amounts` (``yuan``, ``people``,
re-exported here), the one rule the pages' prose uses too.

Sentences that carry a verdict take their words from computed values (a sign, a verdict,
a count), so a brief stays true under other parameters and scenarios.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from planbook.data.amounts import people, yuan
from planbook.data.text import counted
from planbook.methods.audit import HOLDS

CHECKS = "Checks of the plan's arithmetic"
AUDIT = "What the audit finds"
"""Headings that most chapter pages share."""


@dataclass(frozen=True)
class Bullet:
    """One finding of a chapter: its sentence and the heading of the section that shows it
    on the same page (exactly as the notebook writes it; the page links it by its id)."""

    text: str
    section: str


def holds(verdict: object) -> bool:
    """Whether a check's verdict counts as holding (the audit's definition)."""
    return str(verdict) in HOLDS


def num(x: float, digits: int = 1) -> str:
    """``x`` with thousands separators and ``digits`` decimals: ``1,234.5``."""
    return f"{x:,.{digits}f}"


def pct(x: float, digits: int = 1) -> str:
    """A percentage: ``6.7%``."""
    return f"{num(x, digits)}%"


def count(n: float, noun: str, plural: str | None = None) -> str:
    """``1 check``, ``4 checks``: :func:`planbook.data.text.counted` of a count that may
    arrive as a float (a glued value)."""
    return counted(int(n), noun, plural)


def part(
    k: float,
    n: float,
    noun: str,
    verb: tuple[str, str] = ("holds", "hold"),
    plural: str | None = None,
) -> str:
    """How many of ``n`` things do something, without template artefacts:
    ``all 4 checks hold``, ``none of the 6 checks holds``, ``1 of the 6 checks holds``,
    ``3 of the 4 checks hold``, ``the only check holds``."""
    k, n = int(k), int(n)
    plural = plural or noun + "s"
    if n == 0:
        return f"no {plural}"
    if n == 1:
        return f"the only {noun} " + (verb[0] if k else f"does not {verb[1]}")
    if k == n:
        return f"all {n:,} {plural} {verb[1]}"
    if k == 0:
        return f"none of the {n:,} {plural} {verb[0]}"
    return f"{k:,} of the {n:,} {plural} {verb[0] if k == 1 else verb[1]}"


def cap(text: str) -> str:
    """``text`` with its first letter in upper case."""
    return text[:1].upper() + text[1:]


def short_probability(text: str) -> str:
    """A probability's words without their Monte Carlo error: ``'4.5%'``, ``'under 1%'``."""
    return str(text).split(" (")[0]


def finite(x: object) -> bool:
    """Whether ``x`` is a finite number."""
    return isinstance(x, int | float) and math.isfinite(x)


def checks_bullet(n_hold: float, n: float, section: str = CHECKS) -> Bullet:
    """The chapter's own arithmetic checks: how many hold."""
    own = "of the chapter's own arithmetic"
    said = part(n_hold, n, f"check {own}", plural=f"checks {own}")
    return Bullet(f"{cap(said)}.", section)


def audit_bullet(glued: Mapping[str, Any], chapter: int) -> Bullet:
    """The audit's count for a chapter: the sentence its audit section glues
    (:meth:`planbook.page.audit_section.AuditSection.glue`, ``ch<N>_audit_summary``)."""
    return Bullet(str(glued[f"ch{chapter}_audit_summary"]), AUDIT)


__all__ = [
    "AUDIT",
    "CHECKS",
    "Bullet",
    "audit_bullet",
    "cap",
    "checks_bullet",
    "count",
    "finite",
    "holds",
    "num",
    "part",
    "pct",
    "people",
    "short_probability",
    "yuan",
]
