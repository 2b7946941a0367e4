"""The chapters' own checks in the audit's one findings table: adapter, merging, coverage."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from planbook.data.plan import load_claims, load_sections
from planbook.engine.params import check_settings
from planbook.methods import arithmetic as A
from planbook.methods import audit as AU


@pytest.fixture(scope="module")
def plan() -> tuple[pd.DataFrame, pd.DataFrame]:
    return load_claims(), load_sections()


@pytest.fixture(scope="module")
def book(plan) -> pd.DataFrame:
    return AU.book_findings(*plan, settings=check_settings())


def _claims() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["X1", "X2", "X3"],
            "section": ["1.2", "8.1", "1.2"],
            "scope": ["industry", "firm", "industry"],
            "scope_of": ["", "", "channel_x"],
        }
    )


def test_adapter_shows_the_arithmetic_and_the_one_severity_rule() -> None:
    # 80 stated, 100.24 recomputed: 25.3% of the stated figure, so high (>= 25%)
    check = A.compare_level("End value", ["X2", "X1"], 80.0, 100.24, "t", 2.0, "47.8 x 1.28^3")
    f = AU.findings_from_checks("gmv_checks", A.checks_frame([check]), _claims())
    row = f[0].row(AU.Tolerances())
    assert list(row) == list(AU.COLUMNS)
    assert (row["rule"], row["chapter"], row["sections"]) == ("gmv_checks", 1, "1.2; 8.1")
    assert row["claim_ids"] == "X2; X1" and row["scope"] == "firm; industry"
    assert row["difference"] == pytest.approx(20.24) and row["verdict"] == "inconsistent"
    assert row["severity"] == "high" and row["detail"] == "End value: 47.8 x 1.28^3."
    # 5% off: within the audit's 10% medium threshold, so low
    low = A.compare_level("Level", ["X1"], 100.0, 105.0, "t", 2.0, "")
    assert (
        AU.findings_from_checks("r", A.checks_frame([low]), _claims())[0].row(AU.Tolerances())[
            "severity"
        ]
        == "low"
    )


def test_adapter_reading_turns_a_failure_into_what_it_means() -> None:
    check = A.compare_at_most("Old time fits", ["X1", "X3"], 52.6, 240.0, "", unit="minutes")
    reading = AU.Reading("different scope", "A baseline against its target.")
    f = AU.findings_from_checks(
        "risk_checks", A.checks_frame([check]), _claims(), {"Old time": reading}
    )[0].row(AU.Tolerances())
    assert (f["verdict"], f["severity"]) == ("different scope", "none")
    assert f["detail"].endswith("A baseline against its target.")
    assert f["scope"] == "industry; industry: channel_x"
    with pytest.raises(ValueError):
        AU.Reading("inconsistent", "no")
    with pytest.raises(KeyError):
        bad = A.compare_rate("c", ["NOPE"], 1.0, 1.0, 0.5, "")
        AU.findings_from_checks("r", A.checks_frame([bad]), _claims())


def test_the_chapters_verdicts_are_the_audits_words() -> None:
    # one definition: 18.4 against 18.24 is within tolerance in both, not "within rounding"
    assert A.compare_rate("x", ["a"], 18.4, 18.24, 0.5, "").verdict == "within tolerance"
    assert AU.findings.verdict_of(18.4, 0.16, True, 0.5) == "within tolerance"
    assert set(A.VERDICTS) <= set(AU.VERDICTS)


def _frame(rows: list[tuple[str, str, float, float, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {c: "" for c in AU.COLUMNS}
            | {"rule": r, "claim_ids": ids, "stated": s, "recomputed": x, "verdict": v}
            for r, ids, s, x, v in rows
        ],
        columns=list(AU.COLUMNS),
    )


def test_merge_keeps_one_row_per_fact_and_lists_both_rules() -> None:
    frame = _frame(
        [
            ("reciprocal", "A; B; C", 120.0, 91.25, "inconsistent"),
            ("same_figure", "A; B", 120.0, 91.25, "consistent"),  # another rule, same pair
            ("inventory_checks", "C, A", 120.0, 91.25, "inconsistent"),  # a subset: merged
            ("inventory_checks", "A, B, C", 91.25, 120.0, "inconsistent"),  # same rule: kept
            ("gmv_checks", "A, B, C", 120.0, 90.0, "inconsistent"),  # other figures: kept
            ("gmv_checks", "A, D", 120.0, 91.25, "inconsistent"),  # other claims: kept
        ]
    )
    out = AU.merge_duplicates(frame)
    assert list(out["rule"]) == [
        "reciprocal; same_figure; inventory_checks",
        "inventory_checks",
        "gmv_checks",
        "gmv_checks",
    ]
    assert out["verdict"].iloc[0] == "inconsistent"  # the earlier row's verdict
    assert AU.rule_counts(out)["inventory_checks"] == 2
    assert list(AU.first_rule(out)) == ["reciprocal", "inventory_checks", "gmv_checks"] + [
        "gmv_checks"
    ]
    assert AU.has_rule(out, "same_figure").sum() == 1


def test_a_failing_pair_inside_a_many_way_failure_is_part_of_it() -> None:
    frame = _frame(
        [
            ("competing_targets", "A; B; C; D", 15.0, 10.0, "inconsistent"),
            ("risk_checks", "C, B", 10.0, 12.0, "inconsistent"),  # two of the four: merged
            ("gmv_checks", "A, E", 10.0, 12.0, "inconsistent"),  # another claim: kept
            ("goals_checks", "A, B", 10.0, 12.0, "consistent"),  # holds: kept
            ("reciprocal", "A; B; C; D; E", 1.0, 2.0, "inconsistent"),
            ("budget_checks", "A, B", 10.0, 12.0, "inconsistent"),  # merged into the first
        ]
    )
    out = AU.merge_duplicates(frame)
    assert list(out["rule"]) == [
        "competing_targets; risk_checks; budget_checks",
        "gmv_checks",
        "goals_checks",
        "reciprocal",
    ]
    # a pair inside a failure of a rule that is not many-way stays its own finding
    pair = _frame(
        [
            ("reciprocal", "A; B; C", 1.0, 2.0, "inconsistent"),
            ("risk_checks", "A, B", 10.0, 12.0, "inconsistent"),
        ]
    )
    assert len(AU.merge_duplicates(pair)) == 2


def test_every_chapter_rule_has_rows_in_the_one_table(book) -> None:
    names = [r.name for r in AU.CHECK_SPECS]
    assert set(names) == set(AU.CHAPTER_OF_RULE)
    for name in names:
        mine = AU.rule_slice(book, name)
        assert len(mine) > 0, name
        assert set(mine["verdict"]) <= set(AU.VERDICTS), name


def test_the_one_table_counts_each_fact_once(plan, book) -> None:
    audit_only = AU.run_audit(*plan)
    merged = book[book["rule"].str.contains("; ")]
    # every audit row survives (its verdict too); chapter checks add rows or merge into them
    assert len(book) - len(audit_only) + len(merged) == sum(
        len(r.check(_ctx(plan))) for r in AU.chapter_rules(check_settings())
    )
    assert list(book["verdict"].iloc[: len(audit_only)]) == list(audit_only["verdict"])
    gmv = book[AU.has_rule(book, "gmv_checks") & AU.has_rule(book, "end_value")]
    assert len(gmv) == 1 and gmv["verdict"].iloc[0] == "inconsistent"
    key = ["claim_ids", "stated", "recomputed"]
    assert book[key].duplicated().sum() == audit_only[key].duplicated().sum()  # none added


def _ctx(plan):
    from planbook.methods.audit.figures import Context, items_of, latest_year

    claims, sections = plan
    return Context(items_of(claims), claims, sections, AU.Tolerances(), latest_year(claims))


def test_chapter_counts_quote_the_one_table(plan, book) -> None:
    c = AU.check_counts(book, "market_checks")
    assert (c["findings"], c["holds"]) == (4, 4)
    inv = AU.check_counts(book, "inventory_checks")
    assert (inv["findings"], inv["verdict_inconsistent"]) == (6, 1)
    assert not math.isnan(AU.counts(book)["holds_pct"])


def test_cli_rule_names_include_the_chapter_rules(plan) -> None:
    only = AU.book_findings(*plan, settings=check_settings(), rules=["budget_checks"])
    assert set(only["rule"]) == {"budget_checks"} and len(only) == 6
