"""One count definition for the audit's findings, whichever page quotes them, and one
figure for the loss the risk responses avoid."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from planbook.chapters.risk.losses import loss_avoided
from planbook.methods import audit as AU
from planbook.methods.models import risk_mc as MC
from planbook.page.audit_section import AuditSection

FINDINGS = pd.DataFrame(
    {
        "rule": ["same_figure", "growth_rate", "competing_targets", "structural_gaps", "parts_sum"],
        "sections": ["4.1; 4.2", "4.1", "4.2; 7.1", "4.3", "4.1"],
        "verdict": [
            "consistent",
            "within rounding",
            "inconsistent",
            "unverifiable",
            "inconsistent",
        ],
        "severity": ["none", "none", "high", "medium", "low"],
        "detail": ["a holds", "b holds", "c fails", "d cannot be checked", "e fails"],
    }
)


def test_counts_define_holds_checked_and_their_share() -> None:
    c = AU.counts(FINDINGS)
    assert c["findings"] == 5
    assert (c["holds"], c["checked"]) == (2, 4)  # consistent + within rounding; all but 1
    assert c["holds_pct"] == 50.0
    assert (c["verdict_inconsistent"], c["verdict_unverifiable"]) == (2, 1)
    assert (c["severity_high"], c["severity_medium"], c["severity_low"]) == (1, 1, 1)


def test_counts_of_nothing_checked_has_no_share() -> None:
    c = AU.counts(FINDINGS[FINDINGS["verdict"] == "unverifiable"])
    assert c["checked"] == 0 and math.isnan(c["holds_pct"])


def test_the_counts_read_as_one_sentence_without_zero_counts() -> None:
    assert AU.findings_sentence(FINDINGS, "chapter 4") == (
        "Of the 5 findings that involve chapter 4, 2 hold and 2 are inconsistent "
        "(1 of high severity); 1 cannot be checked."
    )
    holds = FINDINGS[FINDINGS["verdict"].isin(AU.HOLDS)]
    assert AU.findings_sentence(holds, "chapter 4") == (
        "Of the 2 findings that involve chapter 4, 2 hold and none is inconsistent."
    )
    low = FINDINGS[FINDINGS["severity"] == "low"]
    assert AU.findings_sentence(low, "chapter 4") == (
        "Of the one finding that involves chapter 4, none holds and 1 is inconsistent."
    )
    scoped = FINDINGS.assign(verdict=["consistent"] * 3 + ["different scope"] * 2)
    assert AU.findings_sentence(scoped, "chapter 4") == (
        "Of the 5 findings that involve chapter 4, 3 hold and none is inconsistent; "
        "2 compare figures of different scope."
    )
    assert AU.findings_sentence(FINDINGS.head(0), "chapter 9") == ("No finding involves chapter 9.")


def test_chapter_section_counts_every_finding_whatever_the_table_shows() -> None:
    shown = FINDINGS[FINDINGS["severity"] != "none"]  # the table of a page at "low"
    section = AuditSection(chapter=4, findings=shown, every=FINDINGS)
    glued = section.glue()
    assert glued["ch4_audit_n"] == 5  # not the 3 rows shown
    assert (glued["ch4_audit_hold"], glued["ch4_audit_bad"]) == (2, 2)
    assert glued["ch4_audit_unverifiable"] == 1
    assert glued["ch4_audit_bad_cross"] == 1  # 4.2; 7.1
    assert glued["ch4_audit_worst"] == "c fails"  # the high one first
    assert glued["ch4_audit_bad_rules"] == "competing targets (1), parts sum (1)"
    c = AU.counts(FINDINGS)
    assert (glued["ch4_audit_n"], glued["ch4_audit_hold"]) == (c["findings"], c["holds"])


def test_every_name_a_section_glues_carries_its_chapter() -> None:
    one = AuditSection(chapter=4, findings=FINDINGS, every=FINDINGS).glue()
    other = AuditSection(chapter=5, findings=FINDINGS, every=FINDINGS).glue()
    assert all(k.startswith("ch4_audit_") for k in one)
    assert not set(one) & set(other)


EVENTS = [
    MC.RiskEvent("outage", 0.5, 300.0, 0.0, 0.75),
    MC.RiskEvent("fine", 0.2, 100.0, 0.5, 0.0),
]


def test_loss_avoided_is_the_formula_before_less_after() -> None:
    # before: 0.5*300 + 0.2*100 = 170; after: 0.5*300*0.25 + 0.2*0.5*100 = 47.5
    assert MC.expected_loss(EVENTS) == pytest.approx(170.0)
    assert loss_avoided(EVENTS, 1.0) == pytest.approx(122.5)
    assert loss_avoided(EVENTS, 0.0) == 0.0
