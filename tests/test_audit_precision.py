"""Precision-aware verdicts and bounds: the arithmetic of each verdict, by hand."""

from __future__ import annotations

import math

import pytest
from audit_claims import audit, claims, only

from planbook.methods import audit as AU
from planbook.methods.audit.figures import Span
from planbook.methods.audit.findings import compare, verdict_of


def test_half_a_unit_of_the_last_digit_is_consistent() -> None:
    # 18.4 is stated to one decimal: 18.35 to 18.45 round to it
    assert verdict_of(18.4, 0.04, False, 0.5) == "consistent"
    assert verdict_of(18.4, 0.05, False, 0.5) == "consistent"


def test_beyond_rounding_but_within_tolerance_is_named() -> None:
    # 18.4 stated, 18.24 recomputed: 0.16 apart, more than 0.05, within the 0.5 tolerance
    assert verdict_of(18.4, 0.16, False, 0.5) == "within tolerance"
    assert verdict_of(18.4, 0.16, False, 0.1) == "inconsistent"
    # a whole number agrees within 0.5: 62.5 recomputed against 62 is consistent,
    # against 60 (2.5 apart) within a 5-point tolerance only
    assert verdict_of(62, 0.5, False, 5) == "consistent"
    assert verdict_of(60, 2.5, False, 5) == "within tolerance"


def test_only_the_inputs_rounding_reconciles_is_within_rounding() -> None:
    # 4.9 / 14.4 = 34.03% against 34.2% stated; with 4.85-4.95 and 14.35-14.45 the
    # recomputation spans 33.56% to 34.49%, which holds 34.2
    lo, hi = 4.85 / 14.45 * 100, 4.95 / 14.35 * 100
    verdict = compare(Span(34.2, 34.2), Span(lo, hi), 34.2, 0.5, point=4.9 / 14.4 * 100)
    assert verdict == "within rounding"
    assert compare(Span(34.0, 34.0), Span(lo, hi), 34.0, 0.5, point=34.03) == "consistent"


def test_unknown_gap_is_unverifiable() -> None:
    assert verdict_of(10, math.nan, False, 1) == "unverifiable"


@pytest.mark.parametrize(
    ("bound", "other", "expected"),
    [
        ("gt", 85, "consistent"),  # more than 75 meets 85
        ("ge", 75, "consistent"),  # at least 75 holds 75
        ("gt", 75, "within rounding"),  # more than 75 only touches 75 at its open end
        ("gt", 70, "inconsistent"),  # more than 75 against 70: 5 points apart
        ("le", 70, "consistent"),  # at most 75 holds 70
    ],
)
def test_bounds_are_intervals(bound: str, other: float, expected: str) -> None:
    table = claims(
        {
            "section": "5.4",
            "metric": "trust_index",
            "period": "3 years",
            "kind": "target",
            "value": 75,
            "unit": "score",
            "bound": bound,
        },
        {
            "section": "8.3",
            "metric": "trust_index",
            "period": "3 years",
            "kind": "target",
            "value": other,
            "unit": "score",
        },
    )
    assert only(audit(table, "competing_targets"))["verdict"] == expected


def test_counts_keep_tolerance_and_scope_apart() -> None:
    import pandas as pd

    findings = pd.DataFrame(
        {
            "verdict": [
                "consistent",
                "within rounding",
                "within tolerance",
                "inconsistent",
                "different scope",
                "unverifiable",
            ],
            "severity": ["none", "none", "none", "high", "none", "medium"],
        }
    )
    c = AU.counts(findings)
    assert (c["verdict_within_tolerance"], c["verdict_different_scope"]) == (1, 1)
    # holds: consistent + within rounding + within tolerance; checked: all but the
    # unverifiable one and the one of different scope
    assert (c["holds"], c["checked"]) == (3, 4)
    assert c["holds_pct"] == pytest.approx(75.0)
