"""Contradictions found by reading the plan by hand: a "more than X" target read as the
milestone it names, a stage of a path whose targets disagree, and one fine credited to
two offences."""

from __future__ import annotations

import pytest
from audit_claims import audit, claims, only

from planbook.data.plan import load_claims
from planbook.methods.audit.rules_growth import last_digit_unit


def lower_tier(cagr: float, floor: float, floor_period: str = "3 years") -> list[dict]:
    seg = {"scope": "segment", "scope_of": "lower_tier"}
    return [
        {
            "section": "1.2",
            "metric": "lower_tier_users",
            "entity": "industry",
            "period": "2023",
            "kind": "actual",
            "value": 6.2,
            "unit": "100m_count",
            **seg,
        },
        {
            "section": "3.1",
            "metric": "lower_tier_users_cagr",
            "period": "3 years",
            "kind": "target",
            "value": cagr,
            "unit": "percent",
            **seg,
        },
        {
            "section": "6.2",
            "metric": "lower_tier_users",
            "period": floor_period,
            "kind": "target",
            "value": floor,
            "unit": "100m_count",
            "bound": "gt",
            **seg,
        },
    ]


def test_the_unit_of_a_figures_last_digit() -> None:
    assert [last_digit_unit(v) for v in (8, 12, 80, 0.5, 5000, 18.4)] == pytest.approx(
        [1, 1, 10, 0.1, 1000, 0.1]
    )


def test_a_rate_far_past_a_more_than_milestone_is_another_target() -> None:
    # 6.2 x 1.25^3 = 12.11, past "more than 8" (8 to 9): (8 / 6.2)^(1/3) - 1 = 8.87%,
    # (9 / 6.15)^(1/3) - 1 = 13.53% at most, far from 25%
    rate = only(audit(claims(*lower_tier(25, 8)), "growth_rate"))
    assert rate["verdict"] == "inconsistent" and rate["stated"] == 25
    assert rate["recomputed"] == pytest.approx(((8 / 6.2) ** (1 / 3) - 1) * 100)
    assert "(8 to 9 hundred million)" in rate["detail"]
    assert "13.53% a year, not the 25% of 3.1" in rate["detail"]
    end = only(audit(claims(*lower_tier(25, 8)), "end_value"))
    assert end["verdict"] == "inconsistent"
    assert end["recomputed"] == pytest.approx(6.2 * 1.25**3)
    assert "overshoots at 12.11 hundred million" in end["detail"]


def test_a_rate_that_reaches_the_milestone_agrees_with_it() -> None:
    # 6.2 x 1.1^3 = 8.25: past 8 and short of 9, the milestone the 6.2 target names
    assert only(audit(claims(*lower_tier(10, 8)), "growth_rate"))["verdict"] == "consistent"
    assert only(audit(claims(*lower_tier(10, 8)), "end_value"))["verdict"] == "consistent"


def test_an_at_least_floor_stays_a_floor() -> None:
    # "at least 8" (ge) is a floor the plan sets, not a milestone it names: 12.11 holds
    rows = lower_tier(25, 8)
    rows[2]["bound"] = "ge"
    assert only(audit(claims(*rows), "end_value"))["verdict"] == "consistent"
    assert only(audit(claims(*rows), "growth_rate"))["verdict"] == "consistent"


def kpi_rows(kpi_stage: int) -> list[dict]:
    base = {
        "metric": "customer_acquisition_cost",
        "kind": "target",
        "unit": "yuan_per_user",
        "path": "cac",
    }
    return [
        {**base, "section": "3.1", "period": "12 months", "value": 157, "stage": 1},
        {
            **base,
            "section": "7.3",
            "period": "monthly",
            "value": 150,
            "stage": kpi_stage,
            "bound": "le",
        },
        {**base, "section": "8.1", "period": "unspecified", "value": 120, "stage": 3},
    ]


def test_targets_of_one_step_that_disagree_break_the_path() -> None:
    # the monthly KPI (at most 150) as a step of its own after the 12-month 157: a path
    assert only(audit(claims(*kpi_rows(2)), "competing_targets"))["verdict"] == "consistent"
    # the same KPI in the first step with 157: 157 against at most 150 is 4.7% apart
    f = only(audit(claims(*kpi_rows(1)), "competing_targets"))
    assert f["verdict"] == "inconsistent"
    assert "157 yuan per user (3.1, 12 months) or at most 150 yuan per user (7.3" in f["detail"]
    assert "disagree" in f["detail"] and "goes back" not in f["detail"]


def test_the_plans_monthly_kpis_are_one_step_for_every_metric() -> None:
    # 7.3's monthly KPIs (acquisition cost, repurchase rate) are one list: the claims give
    # them one position in their paths, the first step, as the repurchase path does
    table = load_claims()
    kpis = table[(table["section"] == "7.3") & (table["period"] == "monthly")]
    staged = kpis[kpis["path"].notna() & (kpis["path"] != "")]
    assert len(staged) == 2 and set(staged["stage"].astype(int)) == {1}


def test_one_fine_told_for_two_offences_is_one_case_with_two_causes() -> None:
    table = load_claims()
    fines = table[table["passage"] == "platform_fine_5000"]
    assert set(fines["metric"]) == {"platform_fine"} and len(fines) == 2
    assert set(fines["scope_of"]) == {"algorithmic_pricing", "facial_recognition"}
    rows = [
        {
            "section": s,
            "metric": "platform_fine",
            "entity": "a platform",
            "period": "current",
            "kind": "case_study",
            "value": 5000,
            "unit": "10k_yuan",
            "scope_of": cause,
            "passage": "fine",
        }
        for s, cause in (("2.3", "algorithmic_pricing"), ("5.4", "facial_recognition"))
    ]
    f = only(audit(claims(*rows), "reused_number"))
    assert f["verdict"] == "inconsistent" and (f["stated"], f["recomputed"]) == (5000, 5000)
    assert "algorithmic pricing (2.3) and to facial recognition (5.4)" in f["detail"]
