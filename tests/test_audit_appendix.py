"""The audit appendix's page result: its numbers by name, on the real tables."""

from __future__ import annotations

import pandas as pd
import pytest

from planbook.chapters import audit as audit_chapter
from planbook.data import plan as data
from planbook.engine.params import AuditParams
from planbook.methods import audit


@pytest.fixture(scope="module")
def appendix() -> audit_chapter.AuditAppendix:
    return audit_chapter.compute(AuditParams(), data.load_claims(), data.load_sections())


def test_counts_are_the_page_numbers(appendix) -> None:
    # default parameters: the audit's 16 rules and the chapters' 7 checks in one table,
    # 15 chapter checks merged into the audit's rows (before the chapters' checks joined:
    # 16 rules, 142 findings, 32 inconsistent)
    assert (appendix.n_claims, appendix.n_rules, appendix.n_findings) == (458, 23, 161)
    assert (appendix.n_consistent, appendix.n_within, appendix.n_tolerance) == (105, 1, 3)
    assert (appendix.n_inconsistent, appendix.n_scope, appendix.n_unverifiable) == (32, 8, 12)
    assert (appendix.n_high, appendix.n_medium, appendix.n_low) == (21, 15, 8)
    assert (appendix.top_chapter, appendix.top_chapter_n) == (3, 49)
    assert (appendix.top_high_chapter, appendix.top_high_n) == (6, 10)
    assert (appendix.n_arith, appendix.n_arith_fail) == (33, 12)
    assert (appendix.n_holds, appendix.n_checked, appendix.n_gaps) == (109, 141, 6)
    assert appendix.share_holds == pytest.approx(100 * 109 / 141)


def test_tables_agree_with_the_counts(appendix) -> None:
    # a finding two rules merged counts for each of them in the rules table
    merged = audit.rules_of(appendix.findings).map(len) - 1
    failing = appendix.findings["verdict"] == "inconsistent"
    assert merged.sum() > 0
    assert appendix.rules["findings"].sum() == appendix.n_findings + merged.sum()
    assert appendix.rules["inconsistent"].sum() == appendix.n_inconsistent + merged[failing].sum()
    assert len(appendix.holds) == appendix.n_holds
    assert appendix.worst_list.count("\n- ") == 4  # five bullets
    assert appendix.min_severity_text == "*low*"
    captions = list(appendix.chapter_findings)
    assert captions[0].startswith("Chapter 1: ")
    assert all("'low'" in c for c in captions)


def test_bullet_list() -> None:
    assert audit_chapter.bullet_list(["a", "b"]) == "- a\n- b"
    assert audit_chapter.bullet_list([]) == "- none"


def test_rules_with_counts() -> None:
    findings = pd.DataFrame(
        {"rule": ["growth_rate", "growth_rate", "parts_sum"], "verdict": ["inconsistent"] * 3}
    )
    rules = audit_chapter.rules_with_counts(findings).set_index("rule")
    assert rules.loc["growth_rate", "findings"] == 2
    assert rules.loc["parts_sum", "inconsistent"] == 1
    assert rules.loc["end_value", "findings"] == 0
