"""The audit appendix's page result: its numbers by name, on the real tables."""

from __future__ import annotations

import pandas as pd
import pytest

from planbook.chapters import audit as audit_chapter
from planbook.data import plan as data
from planbook.engine.params import AuditParams


@pytest.fixture(scope="module")
def appendix() -> audit_chapter.AuditAppendix:
    return audit_chapter.compute(AuditParams(), data.load_claims(), data.load_sections())


def test_counts_are_the_page_numbers(appendix) -> None:
    # the values the page glued before the chapter computed them (default parameters)
    assert (appendix.n_claims, appendix.n_rules, appendix.n_findings) == (458, 16, 142)
    assert (appendix.n_consistent, appendix.n_within, appendix.n_tolerance) == (94, 1, 2)
    assert (appendix.n_inconsistent, appendix.n_scope, appendix.n_unverifiable) == (32, 4, 9)
    assert (appendix.n_high, appendix.n_medium, appendix.n_low) == (19, 15, 7)
    assert (appendix.top_chapter, appendix.top_chapter_n) == (3, 45)
    assert (appendix.top_high_chapter, appendix.top_high_n) == (6, 8)
    assert (appendix.n_arith, appendix.n_arith_fail) == (33, 12)
    assert (appendix.n_holds, appendix.n_checked, appendix.n_gaps) == (97, 129, 6)
    assert appendix.share_holds == pytest.approx(97 / 129 * 100)


def test_tables_agree_with_the_counts(appendix) -> None:
    assert appendix.rules["findings"].sum() == appendix.n_findings
    assert appendix.rules["inconsistent"].sum() == appendix.n_inconsistent
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
