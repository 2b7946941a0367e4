"""The audit appendix: every finding of the audit of the plan, and its key numbers.

:func:`compute` gathers what the appendix shows (counts by verdict and severity, the
findings per chapter, the most severe failures, what holds up, the structural gaps);
:func:`headline` gives its key numbers under given parameters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from planbook.data.plan import load_sections
from planbook.data.text import counted
from planbook.engine.params import check_settings
from planbook.methods import audit

RECOMPUTED_RULES: tuple[str, ...] = audit.RECOMPUTED_RULES
"""Rules that recompute one figure from others (the audit's own)."""

HOLDS: tuple[str, ...] = audit.HOLDS
"""Verdicts under which a check holds (the audit's own)."""


@dataclass(frozen=True)
class AuditAppendix:
    """Everything the audit appendix shows, named as the page refers to it.

    Numbers and text are glued under their field names; the tables are shown.
    ``chapter_findings`` maps a caption ("Chapter 3: 12 findings at or above severity
    'low'") to that chapter's findings.
    """

    # what the audit does
    n_claims: int
    n_rules: int
    rate_tol: float
    level_tol: float
    # what it finds
    n_findings: int
    n_consistent: int
    n_within: int
    n_tolerance: int
    n_scope: int
    n_inconsistent: int
    n_unverifiable: int
    n_high: int
    n_medium: int
    n_low: int
    top_chapter: int
    top_chapter_n: int
    top_high_chapter: int
    top_high_n: int
    worst_list: str
    n_arith: int
    n_arith_fail: int
    arith_fail_list: str
    min_severity_text: str
    # what holds up
    n_holds: int
    n_checked: int
    share_holds: float
    holds_list: str
    # structural gaps
    n_gaps: int
    gap_sections: str
    # assumptions
    medium_pct: float
    high_pct: float
    ratio: float
    latest_year: str
    # tables
    findings: pd.DataFrame = field(repr=False)
    rules: pd.DataFrame = field(repr=False)
    per_chapter: pd.DataFrame = field(repr=False)
    chapter_findings: dict[str, pd.DataFrame] = field(repr=False)
    holds: pd.DataFrame = field(repr=False)
    scoped: pd.DataFrame = field(repr=False)
    gaps: pd.DataFrame = field(repr=False)


def rules_with_counts(findings: pd.DataFrame) -> pd.DataFrame:
    """Every rule of the one table (the audit's and the chapters' checks: name,
    description) with its findings and inconsistencies; a finding two rules merged
    (:func:`planbook.methods.audit.merge_duplicates`) counts for both."""
    specs = (*audit.RULES, *audit.CHECK_SPECS)
    rules = pd.DataFrame(
        {"rule": [r.name for r in specs], "description": [r.description for r in specs]}
    )
    failing = findings[findings["verdict"] == "inconsistent"]
    rules["findings"] = rules["rule"].map(audit.rule_counts(findings)).fillna(0).astype(int)
    rules["inconsistent"] = rules["rule"].map(audit.rule_counts(failing)).fillna(0).astype(int)
    return rules


def bullet_list(lines: Iterable[str]) -> str:
    """Markdown bullets, one per line, or ``"- none"`` when there are none."""
    return "\n".join(f"- {line}" for line in lines) or "- none"


def _failure(row: Any) -> str:
    rule = str(row.rule).replace("_", " ")
    return f"**{rule}** (sections {row.sections}, {row.severity}): {row.detail}"


def findings_by_chapter(
    findings: pd.DataFrame, chapters: Iterable[int], min_severity: str
) -> dict[str, pd.DataFrame]:
    """Per chapter, the findings that touch it at or above ``min_severity``, under a caption."""
    shown = audit.at_least(findings, min_severity)
    out = {}
    for chapter in chapters:
        mine = shown[audit.touches(shown, chapter)].drop(columns=["chapter"])
        caption = (
            f"Chapter {chapter}: {counted(len(mine), 'finding')} at or above severity "
            f"'{min_severity}'"
        )
        out[caption] = mine
    return out


def compute(params: Any, claims: pd.DataFrame, sections: pd.DataFrame) -> AuditAppendix:
    """The audit appendix under ``params`` (an ``AuditParams``).

    Parameters
    ----------
    params
        Tolerances and severity thresholds of the audit, and ``min_severity`` of the
        chapter tables.
    claims, sections
        The plan's tables (:func:`planbook.data.plan.load_claims`, ``load_sections``).
    """
    findings = audit.book_findings(
        claims, sections, audit.tolerances_from(params), settings=check_settings()
    )
    counts = audit.counts(findings)
    chapters = sorted(int(c) for c in sections["chapter"].unique())
    per_chapter = audit.by_chapter(findings, chapters)
    totals = per_chapter.sum(axis=1)
    arithmetic = findings[audit.first_rule(findings).isin(RECOMPUTED_RULES)]
    arith_fail = arithmetic[arithmetic["verdict"] == "inconsistent"]
    holds = findings[findings["verdict"].isin(HOLDS)]
    recomputed = holds[audit.first_rule(holds).isin(RECOMPUTED_RULES)]
    gaps = findings[findings["rule"] == "structural_gaps"]
    states = gaps["sections"].map(sections.set_index("section")["state"])
    return AuditAppendix(
        n_claims=len(claims),
        n_rules=len(audit.RULES) + len(audit.CHECK_SPECS),
        rate_tol=params.rate_tolerance_pp,
        level_tol=params.level_tolerance_pct,
        n_findings=counts["findings"],
        n_consistent=counts["verdict_consistent"],
        n_within=counts["verdict_within_rounding"],
        n_tolerance=counts["verdict_within_tolerance"],
        n_scope=counts["verdict_different_scope"],
        n_inconsistent=counts["verdict_inconsistent"],
        n_unverifiable=counts["verdict_unverifiable"],
        n_high=counts["severity_high"],
        n_medium=counts["severity_medium"],
        n_low=counts["severity_low"],
        top_chapter=int(totals.idxmax()),
        top_chapter_n=int(totals.max()),
        top_high_chapter=int(per_chapter["high"].idxmax()),
        top_high_n=int(per_chapter["high"].max()),
        worst_list=bullet_list(_failure(r) for r in audit.most_severe(findings, 5).itertuples()),
        n_arith=len(arithmetic),
        n_arith_fail=len(arith_fail),
        arith_fail_list=bullet_list(_failure(r) for r in arith_fail.itertuples()),
        min_severity_text=f"*{params.min_severity}*",
        n_holds=counts["holds"],
        n_checked=counts["checked"],
        share_holds=counts["holds_pct"],
        holds_list=bullet_list(f"{r.detail} (*{r.verdict}*)" for r in recomputed.itertuples()),
        n_gaps=len(gaps),
        gap_sections=", ".join(f"{s} ({t})" for s, t in zip(gaps["sections"], states, strict=True)),
        medium_pct=params.medium_severity_pct,
        high_pct=params.high_severity_pct,
        ratio=params.max_rate_ratio,
        latest_year=str(audit.latest_year(claims)),
        findings=findings,
        rules=rules_with_counts(findings),
        per_chapter=per_chapter,
        chapter_findings=findings_by_chapter(findings, chapters, params.min_severity),
        holds=holds.sort_values(["rule", "chapter", "sections"], kind="stable"),
        scoped=findings[findings["verdict"] == "different scope"],
        gaps=gaps,
    )


def headline(params: Any, claims: pd.DataFrame, sections: pd.DataFrame | None = None) -> dict:
    """Key numbers of the audit under given parameters: counts by verdict and severity."""
    if sections is None:
        sections = load_sections()
    findings = audit.book_findings(
        claims, sections, audit.tolerances_from(params), settings=check_settings()
    )
    c = audit.counts(findings)
    return {
        "findings": c["findings"],
        "consistent": c["verdict_consistent"],
        "within_rounding": c["verdict_within_rounding"],
        "within_tolerance": c["verdict_within_tolerance"],
        "different_scope": c["verdict_different_scope"],
        "inconsistent": c["verdict_inconsistent"],
        "unverifiable": c["verdict_unverifiable"],
        "high_severity": c["severity_high"],
        "medium_severity": c["severity_medium"],
        "low_severity": c["severity_low"],
    }


__all__ = [
    "HOLDS",
    "RECOMPUTED_RULES",
    "AuditAppendix",
    "bullet_list",
    "compute",
    "findings_by_chapter",
    "headline",
    "rules_with_counts",
]
