"""Scope and staging: figures of another scope are not set against each other, staged
targets are judged as a path, a repeated passage is one finding."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from audit_claims import audit, claims, only

from planbook.data import plan as D
from planbook.errors import DataFileError

REPO = Path(__file__).resolve().parents[1]


def delivery(**extra: str) -> list[dict]:
    base = {"metric": "delivery_time", "kind": "target", "period": "unspecified"}
    return [
        {
            **base,
            "section": "4.1",
            "value": 2,
            "unit": "hours",
            "scope": "service",
            "scope_of": "drone_delivery",
        },
        {
            **base,
            "section": "4.2",
            "value": 30,
            "unit": "minutes",
            "scope": "service",
            "scope_of": "forward_warehouse_3km",
        },
        {**base, "section": "8.1", "value": 24, "unit": "hours", **extra},
    ]


def test_different_services_get_their_own_verdict() -> None:
    # 2 hours, 30 minutes and 24 hours: 22 hours apart, but three different services
    f = only(audit(claims(*delivery()), "competing_targets"))
    assert f["verdict"] == "different scope" and f["severity"] == "none"
    assert "service: drone_delivery" in f["scope"] and "firm" in f["scope"]


def test_the_same_scope_is_still_compared() -> None:
    rows = delivery(scope="service", scope_of="drone_delivery")
    found = audit(claims(*rows), "competing_targets")
    bad = only(found[found["verdict"] == "inconsistent"])  # 2 hours against 24 hours
    assert (bad["stated"], bad["recomputed"]) == (2, 24)


def test_a_change_on_another_base_is_not_already_met() -> None:
    # the industry's recommendation uplift of 32% against the firm's target of 28%
    table = claims(
        {
            "section": "1.3",
            "metric": "conversion_uplift",
            "entity": "industry",
            "period": "current",
            "kind": "actual",
            "value": 32,
            "unit": "percent",
        },
        {
            "section": "7.2",
            "metric": "conversion_uplift",
            "period": "months 1-6",
            "kind": "target",
            "value": 28,
            "unit": "percent",
        },
    )
    f = only(audit(table, "target_already_met"))
    assert f["verdict"] == "different scope" and "another base" in f["detail"]
    same = table.assign(scope="firm", entity="plan")
    assert only(audit(same, "target_already_met"))["verdict"] == "inconsistent"


def path_rows(values: tuple[float, float, float]) -> list[dict]:
    base = {"metric": "repurchase_rate", "kind": "target", "unit": "percent", "path": "rep"}
    return [
        {**base, "section": "7.3", "period": "monthly", "value": values[0], "stage": 1},
        {**base, "section": "3.1", "period": "12 months", "value": values[1], "stage": 2},
        {**base, "section": "8.1", "period": "unspecified", "value": values[2], "stage": 3},
    ]


def test_staged_targets_are_judged_as_a_path() -> None:
    # 35 -> 40 -> 45: each step further along (higher is better)
    f = only(audit(claims(*path_rows((35, 40, 45))), "competing_targets"))
    assert f["verdict"] == "consistent" and "35% (7.3, monthly) -> 40%" in f["detail"]
    # 35 -> 45 -> 40 goes back at its last step
    back = only(audit(claims(*path_rows((35, 45, 40))), "competing_targets"))
    assert back["verdict"] == "inconsistent" and "goes back" in back["detail"]


def test_without_a_path_the_same_targets_compete() -> None:
    rows = [
        {k: v for k, v in r.items() if k not in ("path", "stage")} for r in path_rows((35, 40, 45))
    ]
    assert only(audit(claims(*rows), "competing_targets"))["verdict"] == "inconsistent"


def passage_rows(later: float) -> list[dict]:
    base = {"metric": "spoilage_rate", "kind": "target", "unit": "percent", "passage": "p"}
    return [
        {**base, "section": "3.4", "period": "unspecified", "value": 15},
        {**base, "section": "7.2", "period": "months 1-6", "value": later},
        {
            "section": "3.4",
            "metric": "centres",
            "kind": "target",
            "unit": "count",
            "period": "years 1-2",
            "value": 10,
            "passage": "p",
        },
        {
            "section": "7.2",
            "metric": "centres",
            "kind": "target",
            "unit": "count",
            "period": "year 1",
            "value": 10,
            "passage": "p",
        },
    ]


def test_a_repeated_passage_is_one_finding() -> None:
    found = audit(claims(*passage_rows(18)))
    f = only(found[found["rule"] == "repeated_passage"])
    # 15% against 18%: 3 points apart; centres due in month 24 (years 1-2) or 12 (year 1)
    assert f["verdict"] == "inconsistent" and f["sections"] == "3.4; 7.2"
    assert "changes 1 figure:" in f["detail"] and "dates 1 target " in f["detail"]
    # no other rule counts the passage again
    assert found[found["verdict"] == "inconsistent"]["rule"].tolist() == ["repeated_passage"]


def test_a_faithful_copy_is_counted_once_as_consistent() -> None:
    rows = passage_rows(15)[:2]
    rows[1]["period"] = "unspecified"
    f = only(audit(claims(*rows)))
    assert f["rule"] == "repeated_passage" and f["verdict"] == "consistent"
    assert "no independent evidence" in f["detail"]


@pytest.mark.parametrize(
    ("old", "new", "column"),
    [
        (",segment,lower_tier,", ",segment,,", "scope_of"),
        (",segment,lower_tier,", ",nation,lower_tier,", "scope"),
        (",repurchase_rate,2,", ",repurchase_rate,,", "stage"),
    ],
    ids=["segment without its name", "unknown scope", "path without stage"],
)
def test_the_claims_schema_checks_scope_and_path(tmp_path: Path, old, new, column) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    path = data / "plan" / "claims.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataFileError, match=rf"column '{column}'"):
        D.load_claims(data)


def test_every_claim_has_a_scope() -> None:
    table = D.load_claims(REPO / "data")
    assert set(table["scope"]) <= set(D.SCOPES)
    named = table[table["scope"].isin(["segment", "region", "channel", "service"])]
    assert named["scope_of"].notna().all()
    staged = table[table["path"].notna()]
    assert staged["kind"].isin(["target", "actual"]).all() and staged["stage"].notna().all()
