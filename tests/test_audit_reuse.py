"""Numbers a retelling reuses with another meaning, unit or subject."""

from __future__ import annotations

from audit_claims import audit, claims, only


def told_twice(first: dict, second: dict) -> list[dict]:
    base = {"period": "current", "kind": "actual", "entity": "industry", "passage": "p"}
    return [{**base, "section": "2.3", **first}, {**base, "section": "5.4", **second}]


def test_a_count_retold_as_a_growth_rate() -> None:
    rows = told_twice(
        {"metric": "cases", "value": 120, "unit": "count"},
        {"metric": "cases_growth", "value": 120, "unit": "percent"},
    )
    f = only(audit(claims(*rows), "reused_number"))
    assert f["verdict"] == "inconsistent" and (f["stated"], f["recomputed"]) == (120, 120)
    assert "120 is cases of industry (2.3" in f["detail"]
    assert "120% is cases growth of industry (5.4" in f["detail"]


def test_people_retold_as_yuan() -> None:
    rows = told_twice(
        {"metric": "affected_users", "value": 2, "unit": "100m_count", "bound": "gt"},
        {"metric": "average_loss", "value": 2, "unit": "100m_yuan", "bound": "gt"},
    )
    f = only(audit(claims(*rows), "reused_number"))
    assert "hundred million is affected users" in f["detail"]
    assert "hundred million yuan is average loss" in f["detail"]


def test_one_result_credited_to_two_subjects() -> None:
    rows = told_twice(
        {"metric": "conversion_uplift", "value": 22, "unit": "percent", "entity": "a brand"},
        {"metric": "conversion_uplift", "value": 22, "unit": "percent", "entity": "a streamer"},
    )
    f = only(audit(claims(*rows), "reused_number"))
    assert "of a brand" in f["detail"] and "of a streamer" in f["detail"]


def test_a_faithful_retelling_reuses_nothing() -> None:
    same = {"metric": "cases_growth", "value": 35, "unit": "percent"}
    assert audit(claims(*told_twice(same, same)), "reused_number").empty
    # different numbers with different meanings are no reuse either
    rows = told_twice(
        {"metric": "cases", "value": 120, "unit": "count"},
        {"metric": "cases_growth", "value": 60, "unit": "percent"},
    )
    assert audit(claims(*rows), "reused_number").empty


def test_one_number_shared_by_two_unnamed_cases_is_unverifiable() -> None:
    rows = told_twice(
        {"metric": "pricing_fine", "value": 5000, "unit": "10k_yuan", "entity": "a platform"},
        {"metric": "face_fine", "value": 5000, "unit": "10k_yuan", "entity": "a platform"},
    )
    f = only(audit(claims(*rows), "reused_number"))
    assert f["verdict"] == "unverifiable" and "by chance" in f["detail"]
