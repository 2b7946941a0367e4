"""A chapter's "What the audit finds" section: its slice of the findings, counted once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from planbook.methods import audit
from planbook.page.audit_view import findings_view

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2, "none": 3}


@dataclass(frozen=True)
class AuditSection:
    """The audit findings that involve one chapter, with the counts its page quotes.

    Attributes
    ----------
    chapter
        The plan chapter (1-10).
    findings
        The findings the table shows (those at or above ``min_severity``).
    every
        Every finding that involves the chapter, holds included: what the counts count.
    """

    chapter: int
    findings: pd.DataFrame
    every: pd.DataFrame

    @property
    def failing(self) -> pd.DataFrame:
        """Every finding on the chapter whose verdict is *inconsistent*, most severe first."""
        bad = self.every[self.every["verdict"] == "inconsistent"]
        return bad.sort_values("severity", key=lambda s: s.map(SEVERITY_ORDER), kind="stable")

    def _cross(self) -> int:
        prefix = f"{self.chapter}."
        return sum(
            any(not x.startswith(prefix) for x in s.split("; ")) for s in self.failing["sections"]
        )

    def rules(self, frame: pd.DataFrame | None = None) -> str:
        """The rules behind ``frame`` (default: every finding on the chapter) with their
        counts, most frequent first: ``"competing targets (11), time frames (3)"``."""
        frame = self.every if frame is None else frame
        counts = audit.rule_counts(frame)
        return ", ".join(f"{r.replace('_', ' ')} ({n})" for r, n in counts.items()) or "none"

    @property
    def prefix(self) -> str:
        """The start of every name the section glues: ``ch4_audit`` for chapter 4, so that a
        name means one chapter's count wherever it is read."""
        return f"ch{self.chapter}_audit"

    def glue(self) -> dict[str, Any]:
        """The section's numbers, counted over every finding on the chapter with the one
        definition of :func:`planbook.methods.audit.counts` (the appendix's and chapter 10's).

        Under :attr:`prefix` (``ch4_audit``): ``_n`` findings, ``_hold`` that hold
        (consistent, within rounding or within tolerance), ``_bad`` inconsistent
        (``_bad_cross`` of them set a figure against another chapter), ``_tolerance`` within
        tolerance, ``_scope`` of different scope, ``_unverifiable``, ``_high`` / ``_medium`` /
        ``_low`` by severity, ``_rules`` and ``_bad_rules`` the rules behind all and the
        failing findings, ``_worst`` the arithmetic of the most severe failure and
        ``_summary`` the counts in one sentence
        (:func:`planbook.methods.audit.findings_sentence`).
        """
        failing = self.failing
        worst = failing["detail"].iloc[0] if len(failing) else "no finding is inconsistent."
        c = audit.counts(self.every)
        p = self.prefix
        return {
            f"{p}_n": c["findings"],
            f"{p}_hold": c["holds"],
            f"{p}_bad": c["verdict_inconsistent"],
            f"{p}_bad_cross": self._cross(),
            f"{p}_tolerance": c["verdict_within_tolerance"],
            f"{p}_scope": c["verdict_different_scope"],
            f"{p}_unverifiable": c["verdict_unverifiable"],
            f"{p}_high": c["severity_high"],
            f"{p}_medium": c["severity_medium"],
            f"{p}_low": c["severity_low"],
            f"{p}_rules": self.rules(),
            f"{p}_bad_rules": self.rules(failing),
            f"{p}_worst": worst,
            f"{p}_summary": audit.findings_sentence(self.every, f"chapter {self.chapter}"),
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
    findings: pd.DataFrame | None = None,
) -> AuditSection:
    """The findings that involve ``chapter``, at the page's tolerances.

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
    findings
        The book's one findings table (:func:`planbook.methods.audit.page_findings`: the
        audit's rules and every chapter's checks); when not given, the audit's rules alone
        are run at the page's tolerances.
    """
    if findings is None:
        tolerances = audit.tolerances_from(params) if params is not None else None
        findings = audit.run_audit(claims, sections, tolerances)
    every = audit.chapter_findings(
        claims, sections, chapter, min_severity="none", findings=findings
    )
    shown = audit.at_least(every, min_severity)
    return AuditSection(chapter=chapter, findings=shown, every=every)


__all__ = ["AuditSection", "audit_section"]
