"""Running the audit: all findings, one chapter's, counts by chapter, the most severe."""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any

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
from planbook.methods.audit.registry import RULES, Rule, rule_names
from planbook.methods.audit.wording import plain_words, section_key


def run_audit(
    claims: pd.DataFrame,
    sections: pd.DataFrame,
    tolerances: Tolerances | None = None,
    *,
    rules: str | Sequence[str] | None = None,
    extra: Sequence[Rule] = (),
) -> pd.DataFrame:
    """Run the audit's rules (and any further specs) over the claims table: the one engine.

    Parameters
    ----------
    claims, sections
        The tables of :func:`planbook.data.plan.load_claims` and
        :func:`~planbook.data.plan.load_sections`.
    tolerances
        How far apart figures may be (default :class:`Tolerances`).
    rules
        Only these rules (names of :data:`RULES` or of ``extra``); default all.
    extra
        Further specs of the audit's kind run after :data:`RULES` (the chapters' own
        checks: :data:`planbook.methods.audit.specs.CHECK_SPECS`, through
        :func:`planbook.methods.audit.specs.book_findings`).

    Returns
    -------
    pandas.DataFrame
        One row per finding (holds included) with the columns of :data:`COLUMNS`, in rule
        order, then by section and claim ids; one fact found by two rules is one row
        (:func:`merge_duplicates`).
    """
    tol = tolerances or Tolerances()
    ctx = Context(items_of(claims), claims, sections, tol, latest_year(claims))
    specs = (*RULES, *extra)
    chosen = set(rule_names(rules, specs))
    rows = []
    for rank, rule in enumerate(specs):
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
    return merge_duplicates(frame)


def _ids(text: object) -> frozenset[str]:
    return frozenset(x.strip() for x in str(text).replace(",", ";").split(";") if x.strip())


def _same_pair(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Do two findings set the same two figures side by side (either way round)?"""

    def close(x: float, y: float) -> bool:
        return bool(abs(x - y) <= 1e-6 * max(1.0, abs(x), abs(y)))

    pairs = ((a["stated"], a["recomputed"]), (a["recomputed"], a["stated"]))
    return any(close(s, b["stated"]) and close(r, b["recomputed"]) for s, r in pairs)


def merge_duplicates(findings: pd.DataFrame) -> pd.DataFrame:
    """One row per fact: a finding that restates an earlier one is merged into it.

    Two findings of different rules are one fact when they compare the same two figures
    (the stated and the recomputed value, either way round, equal to a millionth) and
    the claims of one are among the claims of the other: a chapter's check that redoes
    an audit rule's comparison, say (chapter 4's 4 turns against 120 days is the
    ``reciprocal`` finding, which also names the other sections stating 120 days). The
    engine keeps the earlier row (rule order: the audit's rules before the chapters'),
    its claims, verdict and severity, and lists both rule names in ``rule``
    ("end_value; gmv_checks"); :func:`rules_of` splits them. Rows of one rule are never
    merged.

    A failing finding is also merged into an earlier failing finding of a rule that sets
    every statement of one figure against the others (:data:`MANY_WAY_RULES`) when its
    claims are among that finding's: two of five spoilage targets that disagree are part
    of the finding that all five disagree, not a second contradiction.
    """
    if findings.empty:
        return findings
    keep: list[int] = []
    names: dict[int, list[str]] = {}
    ids_of: dict[int, frozenset[str]] = {}
    rows = dict(zip(findings.index, findings.to_dict("records"), strict=True))
    for idx, row in rows.items():
        ids = _ids(row["claim_ids"])
        twin = next(
            (
                k
                for k in keep
                if row["rule"] not in names[k]
                and (
                    ((ids <= ids_of[k] or ids_of[k] <= ids) and _same_pair(rows[k], row))
                    or _part_of(rows[k], row, ids, ids_of[k])
                )
            ),
            None,
        )
        if twin is None:
            keep.append(idx)
            names[idx] = [str(row["rule"])]
            ids_of[idx] = ids
        else:
            names[twin].append(str(row["rule"]))
    out = findings.loc[keep].copy()
    out["rule"] = [RULE_SEP.join(names[k]) for k in keep]
    return out.reset_index(drop=True)


MANY_WAY_RULES: tuple[str, ...] = ("competing_targets", "same_figure")
"""Rules whose one finding sets every statement of a figure against the others."""


def _part_of(
    earlier: Mapping[str, Any],
    row: Mapping[str, Any],
    ids: frozenset[str],
    earlier_ids: frozenset[str],
) -> bool:
    """Whether ``row`` fails on a part of what the ``earlier`` many-way finding fails on."""
    return (
        str(earlier["rule"]).split("; ")[0] in MANY_WAY_RULES
        and earlier["verdict"] == row["verdict"] == "inconsistent"
        and ids < earlier_ids
    )


RULE_SEP = "; "
"""Between the rule names of a merged finding (:func:`merge_duplicates`)."""


def rules_of(findings: pd.DataFrame) -> pd.Series:
    """The rule names of each finding, as tuples (a merged finding has several)."""
    return findings["rule"].map(lambda r: tuple(str(r).split(RULE_SEP)))


def first_rule(findings: pd.DataFrame) -> pd.Series:
    """The rule that found each finding first (the one whose verdict the row carries)."""
    return rules_of(findings).map(lambda t: t[0])


def has_rule(findings: pd.DataFrame, name: str) -> pd.Series:
    """Which findings a rule found (alone or merged with another)."""
    return rules_of(findings).map(lambda t: name in t)


def rule_counts(findings: pd.DataFrame) -> pd.Series:
    """Findings per rule name, most first; a merged finding counts for each of its rules."""
    return rules_of(findings).explode().value_counts()


def _chapters(sections: pd.DataFrame) -> list[int]:
    return sorted(int(c) for c in sections["chapter"].unique())


def chapter_findings(
    claims: pd.DataFrame,
    sections: pd.DataFrame,
    chapter: int,
    *,
    tolerances: Tolerances | None = None,
    min_severity: str = "low",
    extra: Sequence[Rule] = (),
    findings: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The findings that touch one chapter, at or above a severity.

    A finding that compares sections of chapters 3 and 8 shows in both. ``min_severity``
    ``"none"`` includes the findings that hold. ``extra``: further specs for
    :func:`run_audit`; ``findings``: a table already run (then ``tolerances`` and
    ``extra`` are not used).

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
    if findings is None:
        findings = run_audit(claims, sections, tolerances, extra=extra)
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
    bad["_sure"] = first_rule(bad).isin(RECOMPUTED_RULES).astype(int)
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
