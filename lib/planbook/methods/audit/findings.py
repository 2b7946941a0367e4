"""The audit's findings: columns, verdicts, severities, tolerances and counts."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

import pandas as pd

from planbook.data.text import counted, listing
from planbook.errors import InputError
from planbook.methods.arithmetic import verdict_of
from planbook.methods.audit.wording import section_key

if TYPE_CHECKING:
    from planbook.methods.audit.figures import Item, Span

COLUMNS: tuple[str, ...] = (
    "rule",
    "chapter",
    "sections",
    "claim_ids",
    "stated",
    "recomputed",
    "difference",
    "unit",
    "verdict",
    "severity",
    "scope",
    "detail",
)
"""Columns of :func:`run_audit`, in order."""

SEVERITIES: tuple[str, ...] = ("none", "low", "medium", "high")
"""Severity levels, mildest first."""

GAP_SEVERITY = {"cut": "low", "empty": "medium", "missing": "high"}
"""Severity of a structural gap by the section's state: a section cut mid-sentence still
holds some text, an empty one holds a heading, a missing one (chapter 10) nothing."""

VERDICTS: tuple[str, ...] = (
    "consistent",
    "within rounding",
    "within tolerance",
    "inconsistent",
    "different scope",
    "unverifiable",
)
"""The audit's verdicts. *consistent*: the recomputed figure rounds to the stated one;
*within rounding*: they agree only once the inputs' own rounding (half a unit of their last
stated digit) or an open bound is allowed for; *within tolerance*: apart by more than
rounding but no more than the tolerance (a parameter), so the stated figures do not round
to each other; *inconsistent*; *different scope*: figures of one metric that measure
different things (the industry and the plan's firm, another service or channel) and so
are not compared; *unverifiable*: nothing to check against."""

HOLDS: tuple[str, ...] = ("consistent", "within rounding", "within tolerance")
"""Verdicts that count as a figure holding up."""

NOT_CHECKED: tuple[str, ...] = ("unverifiable", "different scope")
"""Verdicts of findings that check nothing (they are counted, but not as checked)."""

RATE_UNITS = ("percent", "percentage_points")
"""Units of rates and shares: compared in points, not relative to their size."""


# --------------------------------------------------------------------------- tolerances


@dataclass(frozen=True)
class Tolerances:
    """How far apart two figures may be before the audit calls them inconsistent.

    Attributes
    ----------
    rate_pp : float
        Rates and shares (unit percent or percentage points): a recomputed figure this
        many points from the stated one is ``within rounding`` (default 0.5).
    level_pct : float
        Levels (money, counts, days ...): relative tolerance in percent (default 2.0).
    sum_pp : float
        Shares that must sum to at most 100%: points of slack for rounding (default 0.5).
    max_rate_ratio : float
        A target whose implied annual rate is more than this multiple of the historical
        rate is "far above history" (default 2.0).
    deadline_months : float
        Two deadlines for one target this many months apart still agree (default 0).
    medium_pct, high_pct : float
        Severity thresholds: an inconsistency of at least ``medium_pct`` percent of the
        stated figure is medium, of at least ``high_pct`` percent high (10 and 25).
    """

    rate_pp: float = 0.5
    level_pct: float = 2.0
    sum_pp: float = 0.5
    max_rate_ratio: float = 2.0
    deadline_months: float = 0.0
    medium_pct: float = 10.0
    high_pct: float = 25.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int | float) or math.isnan(value) or value < 0:
                raise InputError(
                    f"tolerance {f.name} must be a number >= 0 (got {value!r}); "
                    f"use e.g. {f.default}"
                )
        if self.max_rate_ratio < 1:
            raise InputError(
                f"tolerance max_rate_ratio must be at least 1 (got {self.max_rate_ratio}); "
                "use e.g. 2.0"
            )
        if self.high_pct < self.medium_pct:
            raise InputError(
                f"tolerance high_pct ({self.high_pct}) must be at least medium_pct "
                f"({self.medium_pct}); raise high_pct or lower medium_pct"
            )

    def for_unit(self, unit: str, stated: float) -> float:
        """The absolute tolerance for a figure of ``unit`` stated as ``stated``."""
        if unit in RATE_UNITS:
            return self.rate_pp
        return abs(stated) * self.level_pct / 100.0


def tolerances_from(params: Any) -> Tolerances:
    """Tolerances from a parameter object (or mapping) with the audit's parameter names.

    Recognised names: ``rate_tolerance_pp``, ``level_tolerance_pct``,
    ``sum_tolerance_pp``, ``max_rate_ratio``, ``deadline_tolerance_months``,
    ``medium_severity_pct``, ``high_severity_pct``; missing ones keep their defaults.
    """
    names = {
        "rate_tolerance_pp": "rate_pp",
        "level_tolerance_pct": "level_pct",
        "sum_tolerance_pp": "sum_pp",
        "max_rate_ratio": "max_rate_ratio",
        "deadline_tolerance_months": "deadline_months",
        "medium_severity_pct": "medium_pct",
        "high_severity_pct": "high_pct",
    }
    get = params.get if isinstance(params, dict) else lambda k, d=None: getattr(params, k, d)
    values = {field: float(get(name)) for name, field in names.items() if get(name) is not None}
    return Tolerances(**values)


# --------------------------------------------------------------------------- findings


@dataclass
class Finding:
    """One comparison of the audit (a row of :func:`run_audit`)."""

    rule: str
    items: Sequence[Item]
    stated: float
    recomputed: float
    unit: str
    verdict: str
    detail: str
    relative: float = math.nan
    severity: str | None = None
    sections: tuple[str, ...] = field(default=())
    ids: tuple[str, ...] = field(default=())
    scope: str = ""

    def row(self, tol: Tolerances) -> dict[str, Any]:
        sections = self.sections or tuple(sorted({i.section for i in self.items}, key=section_key))
        ids = self.ids or tuple(x for i in self.items for x in i.ids)
        difference = (
            self.recomputed - self.stated
            if math.isfinite(self.stated) and math.isfinite(self.recomputed)
            else math.nan
        )
        relative = self.relative
        if math.isnan(relative) and math.isfinite(difference) and self.stated:
            relative = abs(difference) / abs(self.stated) * 100.0
        return {
            "rule": self.rule,
            "chapter": min(section_key(s)[0] for s in sections),
            "sections": "; ".join(sections),
            "claim_ids": "; ".join(ids),
            "stated": float(self.stated),
            "recomputed": float(self.recomputed),
            "difference": float(difference),
            "unit": self.unit,
            "verdict": self.verdict,
            "severity": self.severity or severity_of(self.verdict, relative, tol),
            "scope": self.scope or scope_text(self.items),
            "detail": self.detail[:1].upper() + self.detail[1:],
        }


def scope_text(items: Sequence[Item]) -> str:
    """The scopes of a finding's figures, e.g. "firm; service: drone_delivery_remote_300km"."""
    seen: list[str] = []
    for i in items:
        text = f"{i.scope}: {i.scope_of}" if i.scope_of else i.scope
        if text and text not in seen:
            seen.append(text)
    return "; ".join(seen)


def severity_of(verdict: str, relative_pct: float, tol: Tolerances | None = None) -> str:
    """Severity of a finding from its verdict and relative discrepancy (percent).

    Holds (consistent, within rounding or tolerance) and different scopes are ``none``;
    an inconsistency of less than
    ``tol.medium_pct`` percent of the stated figure is ``low``, less than ``tol.high_pct``
    ``medium``, else ``high`` (an unknown size counts as medium).
    """
    tol = tol or Tolerances()
    if verdict in HOLDS or verdict == "different scope":
        return "none"
    if relative_pct is None or math.isnan(relative_pct):
        return "medium"
    if relative_pct >= tol.high_pct:
        return "high"
    if relative_pct >= tol.medium_pct:
        return "medium"
    return "low"


def compare(
    stated: Span,
    recomputed: Span,
    stated_value: float,
    tolerance: float,
    point: float | None = None,
) -> str:
    """Verdict on a stated span against a recomputed one (see :func:`verdict_of`);
    ``point``: the recomputation from the inputs as written."""
    gap, touching = stated.gap(recomputed)
    point_gap = None
    if point is not None and math.isfinite(point):
        point_gap, _ = stated.gap(type(recomputed)(point, point))
    return verdict_of(stated_value, gap, touching, tolerance, point_gap)


def check_severity(min_severity: str) -> str:
    """Validate a minimum severity name (raises :class:`InputError`)."""
    if min_severity not in SEVERITIES:
        raise InputError(f"unknown severity {min_severity!r}; use one of: {', '.join(SEVERITIES)}")
    return min_severity


def at_least(findings: pd.DataFrame, min_severity: str = "low") -> pd.DataFrame:
    """The findings at or above a severity (``"none"`` keeps every finding)."""
    rank = {s: k for k, s in enumerate(SEVERITIES)}
    floor = rank[check_severity(min_severity)]
    return findings[findings["severity"].map(rank) >= floor].reset_index(drop=True)


def touches(findings: pd.DataFrame, chapter: int) -> pd.Series:
    """Which findings involve a section of ``chapter``."""
    return findings["sections"].map(
        lambda s: any(section_key(x)[0] == chapter for x in str(s).split("; ") if x)
    )


def counts(findings: pd.DataFrame) -> dict[str, float]:
    """How many findings by verdict and by severity: the book's one count definition.

    Keys: ``findings`` (all), ``verdict_*`` and ``severity_*`` (one per verdict of
    :data:`VERDICTS` and per severity), ``holds`` (consistent, within rounding or within
    tolerance), ``checked`` (every finding but the unverifiable ones and those of
    different scope) and ``holds_pct`` (holds per hundred checked, NaN when none is
    checked). Every page that counts findings, for one chapter or for the whole plan,
    quotes these.
    """
    out: dict[str, float] = {"findings": len(findings)}
    for v in VERDICTS:
        out[f"verdict_{v.replace(' ', '_')}"] = int((findings["verdict"] == v).sum())
    for s in SEVERITIES:
        out[f"severity_{s}"] = int((findings["severity"] == s).sum())
    out["holds"] = int(findings["verdict"].isin(HOLDS).sum())
    out["checked"] = int((~findings["verdict"].isin(NOT_CHECKED)).sum())
    out["holds_pct"] = 100 * out["holds"] / out["checked"] if out["checked"] else math.nan
    return out


def findings_sentence(findings: pd.DataFrame, subject: str) -> str:
    """The counts of :func:`counts` as one sentence for a page, without zero-count
    artefacts: "Of the 30 findings that involve chapter 6, 19 hold and 9 are inconsistent
    (6 of high severity); 1 cannot be checked and 1 compares figures of different scope."

    Parameters
    ----------
    findings
        The findings the sentence counts (holds included).
    subject
        What they involve, in words ("chapter 6").
    """
    c = counts(findings)
    n, hold, bad = int(c["findings"]), int(c["holds"]), int(c["verdict_inconsistent"])
    if n == 0:
        return f"No finding involves {subject}."
    failing = findings[findings["verdict"] == "inconsistent"]
    high = int((failing["severity"] == "high").sum())
    held = (
        "none holds"
        if hold == 0
        else f"{'all ' if hold == n > 2 else ''}{hold:,} " + ("holds" if hold == 1 else "hold")
    )
    if bad:
        fails = f"{bad:,} {'is' if bad == 1 else 'are'} inconsistent"
        fails += f" ({high:,} of high severity)" if high else ""
    else:
        fails = "none is inconsistent"
    unverifiable, scope = int(c["verdict_unverifiable"]), int(c["verdict_different_scope"])
    rest = []
    if unverifiable:
        rest.append(f"{unverifiable:,} cannot be checked")
    if scope:
        verb = "compares" if scope == 1 else "compare"
        rest.append(f"{scope:,} {verb} figures of different scope")
    head = f"Of the {counted(n, 'finding')} that involve {subject}"
    if n == 1:
        head = f"Of the one finding that involves {subject}"
    text = f"{head}, {held} and {fails}"
    return text + (f"; {listing(rest)}." if rest else ".")
