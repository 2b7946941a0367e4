"""A chapter's "What the audit finds" section: its slice of the findings, counted once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from planbook.methods import audit
from planbook.page.audit_view import findings_view

HOLDS = ("consistent", "within rounding")
"""Verdicts that count as a figure holding up."""

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2, "none": 3}


@dataclass(frozen=True)
class AuditSection:
    """The audit findings that involve one chapter, with the counts its page quotes.

    Attributes
    ----------
    chapter
        The plan chapter (1-10).
    findings
        The findings shown (those at or above ``min_severity``).
    every
        Every finding that involves the chapter, holds included.
    """

    chapter: int
    findings: pd.DataFrame
    every: pd.DataFrame

    @property
    def failing(self) -> pd.DataFrame:
        """The shown findings whose verdict is *inconsistent*, most severe first."""
        bad = self.findings[self.findings["verdict"] == "inconsistent"]
        return bad.sort_values("severity", key=lambda s: s.map(SEVERITY_ORDER), kind="stable")

    def _cross(self) -> int:
        prefix = f"{self.chapter}."
        return sum(
            any(not x.startswith(prefix) for x in s.split("; ")) for s in self.failing["sections"]
        )

    def rules(self, frame: pd.DataFrame | None = None) -> str:
        """The rules behind ``frame`` (default: the shown findings) with their counts,
        most frequent first: ``"competing targets (11), time frames (3)"``."""
        frame = self.findings if frame is None else frame
        counts = frame["rule"].value_counts()
        return ", ".join(f"{r.replace('_', ' ')} ({n})" for r, n in counts.items()) or "none"

    def glue(self) -> dict[str, Any]:
        """The section's numbers under the names every chapter page uses.

        ``audit_n`` findings shown, ``audit_all`` findings in all (holds included),
        ``audit_hold`` shown findings that hold, ``audit_bad`` shown findings that are
        inconsistent (``audit_bad_cross`` of them set a figure against another chapter),
        ``audit_high`` / ``audit_medium`` / ``audit_low`` by severity, ``audit_rules`` and
        ``audit_bad_rules`` the rules behind the shown and the failing findings, and
        ``audit_worst`` the arithmetic of the most severe failure.
        """
        failing = self.failing
        worst = failing["detail"].iloc[0] if len(failing) else "no finding is inconsistent."
        severity = self.findings["severity"]
        return {
            "audit_n": len(self.findings),
            "audit_all": len(self.every),
            "audit_hold": int(self.findings["verdict"].isin(HOLDS).sum()),
            "audit_bad": len(failing),
            "audit_bad_cross": self._cross(),
            "audit_high": int((severity == "high").sum()),
            "audit_medium": int((severity == "medium").sum()),
            "audit_low": int((severity == "low").sum()),
            "audit_rules": self.rules(),
            "audit_bad_rules": self.rules(failing),
            "audit_worst": worst,
        }

    def view(self) -> Any:
        """The shown findings as a styled table, verdicts coloured."""
        return findings_view(self.findings)


def audit_section(
    claims: pd.DataFrame,
    sections: pd.DataFrame,
    chapter: int,
    params: object | None = None,
    *,
    min_severity: str = "none",
) -> AuditSection:
    """The audit findings that involve ``chapter``, at the page's tolerances.

    Parameters
    ----------
    claims, sections
        The plan's tables (:func:`planbook.data.plan.load_claims`, ``load_sections``).
    chapter
        The plan chapter whose figures a finding must involve.
    params
        The page's parameters; their tolerance fields (if any) set the audit's tolerances,
        else the audit's defaults apply.
    min_severity
        Show only findings at or above this severity (``"none"`` shows holds too).
    """
    tolerances = audit.tolerances_from(params) if params is not None else None
    kwargs = {"tolerances": tolerances} if tolerances is not None else {}
    every = audit.chapter_findings(claims, sections, chapter, min_severity="none", **kwargs)
    shown = (
        every
        if min_severity == "none"
        else audit.chapter_findings(claims, sections, chapter, min_severity=min_severity, **kwargs)
    )
    return AuditSection(chapter=chapter, findings=shown, every=every)


__all__ = ["AuditSection", "audit_section"]
