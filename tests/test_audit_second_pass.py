"""The audit's second pass: one case credited to two causes, one sum for different items,
targets before a channel's launch, a net-zero pledge against the plan's carbon cuts, a
growth target the book forecasts, and one ranking of the most material problems."""

from __future__ import annotations

import pandas as pd
import pytest
from audit_claims import audit, claims, only

from planbook.errors import InputError
from planbook.methods import audit as AU


def case(section: str, value: float, cause: str | None, passage: str | None = "cut") -> dict:
    return {
        "section": section,
        "metric": "unsold_rate_reduction",
        "entity": "a brand",
        "period": "current",
        "kind": "case_study",
        "value": value,
        "unit": "percent",
        "scope_of": cause,
        "passage": passage,
    }


def test_one_result_credited_to_two_causes() -> None:
    # a brand's unsold rate down 30% by sell-to-order (4.2) and by sentiment analysis (7.4)
    table = claims(case("4.2", 30, "sell_to_order"), case("7.4", 30, "sentiment_analysis"))
    f = only(audit(table, "reused_number"))
    assert (f["stated"], f["recomputed"], f["verdict"]) == (30, 30, "inconsistent")
    assert f["sections"] == "4.2; 7.4" and f["severity"] == "low"
    assert "sell to order (4.2) and to sentiment analysis (7.4)" in f["detail"]
    assert "sell_to_order" not in f["detail"]  # identifiers read as words
    # one cause told twice is a copy; another number is another result; no passage, no case
    assert audit(claims(case("4.2", 30, "x"), case("7.4", 30, "x")), "reused_number").empty
    assert audit(claims(case("4.2", 30, "x"), case("7.4", 25, "y")), "reused_number").empty
    no_passage = claims(case("4.2", 30, "x", None), case("7.4", 30, "y", None))
    assert audit(no_passage, "reused_number").empty


def money(section: str, value: float, item: str, period: str = "unspecified") -> dict:
    return {
        "section": section,
        "metric": "ai_system_investment",
        "period": period,
        "kind": "target",
        "value": value,
        "unit": "100m_yuan",
        "scope_of": item,
    }


def test_one_sum_said_to_pay_for_different_items() -> None:
    # 30 for the AI platform (3.2, 6.1), the same 30 for the AI platform and blockchain (7.1)
    table = claims(
        money("3.2", 30, "technology.ai_platform", "years 1-2"),
        money("6.1", 30, "technology.ai_platform"),
        money("7.1", 30, "technology.ai_platform_and_blockchain", "year 1"),
    )
    f = audit(table, "budget_reconciliation")
    other = only(f[f["detail"].str.startswith("The same 30")])
    assert (other["stated"], other["recomputed"], other["verdict"]) == (30, 30, "inconsistent")
    assert other["sections"] == "3.2; 6.1; 7.1"
    assert "2 different descriptions" in other["detail"]
    assert "AI platform and blockchain (7.1, year 1)" in other["detail"]
    # the two sections naming one item agree with each other
    same = only(f[f["detail"].str.startswith("Spending on AI platform")])
    assert same["verdict"] == "consistent"
    # different sums for different items are no such finding
    apart = claims(
        money("3.2", 30, "technology.ai_platform"), money("7.1", 20, "technology.blockchain")
    )
    assert audit(apart, "budget_reconciliation").empty


def channel(section: str, metric: str, period: str, value: float = 1, unit: str = "count"):
    return {
        "section": section,
        "metric": metric,
        "period": period,
        "kind": "target",
        "value": value,
        "unit": unit,
        "scope": "channel",
        "scope_of": "metaverse",
    }


def test_targets_due_before_their_channel_is_launched() -> None:
    launch = channel("7.2", "channel_launch", "months 19-36")
    stores = channel("4.1", "metaverse_flagship_stores", "year 1", 10)
    quarter = channel("7.3", "metaverse_interaction_milestone", "Q4", 4, "index")
    share = channel("6.1", "metaverse_gmv_share", "3 years", 15, "percent")
    f = audit(claims(launch, stores, quarter, share), "time_frames")
    row = only(f[f["sections"] == "4.1; 7.2; 7.3"])
    # the launch phase starts at month 18; 10 stores are due by month 12
    assert (row["stated"], row["recomputed"], row["verdict"]) == (18, 12, "inconsistent")
    assert "due by month 12" in row["detail"] and "Q4 (7.3)" in row["detail"]
    # the 3-year share falls due inside the launch phase: not listed
    assert "6.1" not in row["sections"]
    # a quarter of an unstated year alone cannot be ordered
    alone = only(audit(claims(launch, quarter), "time_frames"))
    assert alone["verdict"] == "unverifiable"
    assert audit(claims(launch, share), "time_frames").empty


def carbon(section: str, metric: str, period: str, value: float, unit: str = "percent"):
    return {
        "section": section,
        "metric": metric,
        "period": period,
        "kind": "target",
        "value": value,
        "unit": unit,
    }


def test_a_net_zero_pledge_against_the_plan_s_own_carbon_cuts() -> None:
    actual = {
        "section": "1.1",
        "metric": "volume",
        "entity": "industry",
        "period": "2023",
        "kind": "actual",
        "value": 1,
        "unit": "trillion_yuan",
    }
    pledge = carbon("9.2", "logistics_carbon_neutrality_year", "2025", 2025, "years")
    footprint = carbon("6.3", "carbon_footprint_reduction", "3 years", 30)
    emissions = carbon("8.2", "carbon_emission_reduction", "unspecified", 25)
    f = audit(claims(actual, pledge, footprint, emissions), "competing_targets")
    row = only(f[f["sections"] == "6.3; 8.2; 9.2"])
    # net zero by 2025 (month 24 after 2023) is a 100% cut; the plan expects at most 30%
    assert (row["stated"], row["recomputed"], row["verdict"]) == (100, 30, "inconsistent")
    assert row["severity"] == "medium"
    assert "month 24" in row["detail"] and "25% against 30%" in row["detail"]
    assert "leaves 70% of the emissions" in row["detail"]
    # with no datable cut the pledge cannot be checked
    undated = only(audit(claims(actual, pledge, emissions), "competing_targets"))
    assert undated["verdict"] == "unverifiable"
    assert AU.VERDICTS.index("unverifiable") >= 0


def test_a_target_on_a_series_the_book_forecasts_is_judged_by_its_odds() -> None:
    def rows(rate: float) -> pd.DataFrame:
        return claims(
            {
                "section": "1.2",
                "metric": "ecommerce_transaction_volume_cagr",
                "entity": "industry",
                "period": "2020-2023",
                "kind": "actual",
                "value": rate,
                "unit": "percent",
            },
            {
                "section": "8.1",
                "metric": "ecommerce_transaction_volume_cagr",
                "period": "3 years",
                "kind": "target",
                "value": 28,
                "unit": "percent",
            },
        )

    # 28 / 18.4 = 1.52 times history: not far above it, yet not "consistent" either
    f = only(audit(rows(18.4), "target_vs_history"))
    assert f["stated"] == 28 and f["recomputed"] == 18.4
    assert f["verdict"] == "unverifiable" and "chapters 3, 8 and 10" in f["detail"]
    # far above history stays inconsistent: 28 / 10 = 2.8 times
    assert only(audit(rows(10), "target_vs_history"))["verdict"] == "inconsistent"


def finding(rule: str, severity: str, stated: float, recomputed: float, ids: str) -> dict:
    return {
        "rule": rule,
        "verdict": "inconsistent",
        "severity": severity,
        "stated": stated,
        "recomputed": recomputed,
        "difference": recomputed - stated,
        "claim_ids": ids,
    }


def test_one_ranking_for_the_appendix_and_chapter_10() -> None:
    rows = [
        finding("same_figure", "medium", 100, 150, "C1.1-01"),
        finding("competing_targets", "high", 1, 50, "C1.1-02"),
        finding("growth_rate", "high", 10, 30, "C1.1-03"),
        finding("end_value", "high", 80, 100, "C1.1-03; C1.1-02"),
    ]
    top = AU.most_severe(pd.DataFrame(rows), 3)
    # high first; recomputations before disagreements; the competing targets' one claim is
    # covered by the end value's, so that problem is listed once
    assert list(top["rule"]) == ["growth_rate", "end_value", "same_figure"]
    with pytest.raises(InputError):
        AU.most_severe(pd.DataFrame(rows), 0)
