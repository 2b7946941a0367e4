"""Running the audit: all findings, one chapter's, counts by chapter, the most severe."""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import pandas as pd

from planbook.errors import InputError
from planbook.methods.audit.figures import Context, items_of, latest_year
from planbook.methods.audit.findings import (
    COLUMNS,
    SEVERITIES,
    Tolerances,
    at_least,
    check_severity,
    touches,
)
from planbook.methods.audit.registry import RULES, rule_names
from planbook.methods.audit.wording import plain_words, section_key


def run_audit(
    claims: pd.DataFrame,
    sections: pd.DataFrame,
    tolerances: Tolerances | None = None,
    *,
    rules: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Run the audit's rules over the claims table.

    Parameters
    ----------
    claims, sections
        The tables of :func:`planbook.data.plan.load_claims` and
        :func:`~planbook.data.plan.load_sections`.
    tolerances
        How far apart figures may be (default :class:`Tolerances`).
    rules
        Only these rules (names of :data:`RULES`); default all.

    Returns
    -------
    pandas.DataFrame
        One row per finding (holds included) with the columns of :data:`COLUMNS`, in rule
        order, then by section and claim ids.
    """
    tol = tolerances or Tolerances()
    ctx = Context(items_of(claims), claims, sections, tol, latest_year(claims))
    chosen = set(rule_names(rules))
    rows = []
    for rank, rule in enumerate(RULES):
        if rule.name not in chosen:
            continue
        for finding in rule.check(ctx):
            row = finding.row(tol)
            row["_rank"] = rank
            rows.append(row)
    frame = pd.DataFrame(rows, columns=[*COLUMNS, "_rank"])
    if frame.empty:
        return frame.drop(columns="_rank")
    frame["_sec"] = frame["sections"].map(lambda s: tuple(section_key(x) for x in s.split("; ")))
    frame = frame.sort_values(["_rank", "_sec", "claim_ids"], kind="stable", ignore_index=True)
    frame = frame.drop(columns=["_rank", "_sec"])
    frame["chapter"] = frame["chapter"].astype(int)
    frame["detail"] = frame["detail"].map(plain_words)
    return frame


def _chapters(sections: pd.DataFrame) -> list[int]:
    return sorted(int(c) for c in sections["chapter"].unique())


def chapter_findings(
    claims: pd.DataFrame,
    sections: pd.DataFrame,
    chapter: int,
    *,
    tolerances: Tolerances | None = None,
    min_severity: str = "low",
) -> pd.DataFrame:
    """The findings that touch one chapter, at or above a severity.

    A finding that compares sections of chapters 3 and 8 shows in both. ``min_severity``
    ``"none"`` includes the findings that hold.

    Raises
    ------
    InputError
        For a chapter the plan does not have, or an unknown severity.
    """
    check_severity(min_severity)
    valid = _chapters(sections)
    if not isinstance(chapter, numbers.Real) or int(chapter) != chapter or chapter not in valid:
        raise InputError(
            f"unknown chapter {chapter!r}; use a chapter number of the plan "
            f"({valid[0]}-{valid[-1]})"
        )
    findings = run_audit(claims, sections, tolerances)
    return at_least(findings[touches(findings, int(chapter))], min_severity)


def by_chapter(findings: pd.DataFrame, chapters: Sequence[int]) -> pd.DataFrame:
    """Findings per chapter (rows) and severity (columns); a finding counts in every
    chapter it touches."""
    table = pd.DataFrame(0, index=pd.Index(list(chapters), name="chapter"), columns=SEVERITIES)
    for ch in chapters:
        mine = findings[touches(findings, ch)]
        for sev in SEVERITIES:
            table.loc[ch, sev] = int((mine["severity"] == sev).sum())
    return table


RECOMPUTED_RULES: tuple[str, ...] = (
    "growth_rate",
    "end_value",
    "cumulative_vs_cagr",
    "implied_total",
    "parts_sum",
    "reciprocal",
    "budget_reconciliation",
    "magnitude",
)
"""Rules that recompute one figure from others (a rate, an end value, a total, a sum):
a failure is an arithmetic error for sure (or, for ``magnitude``, a size the plan's own
figures rule out). The other rules compare figures between sections of the same scope."""


def most_severe(findings: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The ``n`` most material inconsistencies: the one ranking of the book (the audit
    appendix and chapter 10 both call it).

    Ordered by severity, then recomputation failures (:data:`RECOMPUTED_RULES`) before
    disagreements between sections, then the discrepancy relative to the stated figure.
    A finding whose claims are all covered by a higher one (the same figures seen by
    another rule) is left out, so each problem is listed once.

    Raises
    ------
    InputError
        For ``n`` below 1.
    """
    if n < 1:
        raise InputError(f"n={n!r}: ask for at least one problem")
    rank = {s: k for k, s in enumerate(SEVERITIES)}
    bad = findings[findings["verdict"] == "inconsistent"].copy()
    stated = bad["stated"].abs().where(bad["stated"].abs() > 0)
    bad["_rel"] = (bad["difference"].abs() / stated).fillna(0.0)
    bad["_sev"] = bad["severity"].map(rank)
    bad["_sure"] = bad["rule"].isin(RECOMPUTED_RULES).astype(int)
    bad = bad.sort_values(["_sev", "_sure", "_rel"], ascending=False, kind="stable")
    seen: set[str] = set()
    keep = []
    for idx, ids in bad["claim_ids"].items():
        claim_set = {c.strip() for c in str(ids).split(";") if c.strip()}
        if claim_set and claim_set <= seen:
            continue
        seen |= claim_set
        keep.append(idx)
        if len(keep) == n:
            break
    return bad.loc[keep].drop(columns=["_rel", "_sev", "_sure"]).reset_index(drop=True)
