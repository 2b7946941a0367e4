"""The audit: each rule on small hand-made tables, the whole audit on the real tables, the CLI.

Hand-made claims use the schema of ``data/plan/claims.csv``; every expected number below is
computed by hand in the comment next to it.
"""

from __future__ import annotations

import typing
from pathlib import Path

import pandas as pd
import pytest
from conftest import planbook

from planbook.chapters import audit as audit_chapter
from planbook.data import plan as D
from planbook.engine.params import check_settings
from planbook.errors import InputError
from planbook.methods import audit as AU
from planbook.page.audit_view import findings_view

REPO = Path(__file__).resolve().parents[1]
CLAIM_COLUMNS = [
    "id",
    "chapter",
    "section",
    "metric",
    "entity",
    "period",
    "kind",
    "value",
    "unit",
    "bound",
    "locator",
    "note",
]


def claims_of(*rows: tuple) -> pd.DataFrame:
    """A claims table from ``(section, metric, entity, period, kind, value, unit[, bound])``."""
    records = []
    counters: dict[str, int] = {}
    for row in rows:
        section, metric, entity, period, kind, value, unit, *rest = row
        counters[section] = counters.get(section, 0) + 1
        records.append(
            {
                "id": f"C{section}-{counters[section]:02d}",
                "chapter": int(section.split(".")[0]),
                "section": section,
                "metric": metric,
                "entity": entity,
                "period": period,
                "kind": kind,
                "value": float(value),
                "unit": unit,
                "bound": rest[0] if rest else None,
                "locator": "xx",
                "note": "test",
            }
        )
    return pd.DataFrame(records, columns=CLAIM_COLUMNS)


def sections_of(claims: pd.DataFrame, **states: str) -> pd.DataFrame:
    """A sections table covering the claims' sections (state full unless given)."""
    names = sorted(set(claims["section"]) | {k.replace("_", ".") for k in states})
    return pd.DataFrame(
        {
            "chapter": [int(s.split(".")[0]) for s in names],
            "section": names,
            "title_en": [f"Section {s}" for s in names],
            "title_zh": "x",
            "state": [states.get(s.replace(".", "_"), "full") for s in names],
            "note": None,
        }
    )


def audit(claims: pd.DataFrame, rule: str, tol: AU.Tolerances | None = None, **states: str):
    return AU.run_audit(claims, sections_of(claims, **states), tol, rules=rule)


def only(findings: pd.DataFrame) -> pd.Series:
    assert len(findings) == 1, findings.to_string()
    return findings.iloc[0]


# --------------------------------------------------------------------------- rules 1-2

BASE = ("8.1", "gmv", "industry", "current", "actual", 47.8, "trillion_yuan")
RATE = ("8.1", "gmv_cagr", "plan", "3 years", "target", 28, "percent")


def test_growth_rate_fails_when_end_and_rate_disagree() -> None:
    claims = claims_of(RATE, BASE, ("8.1", "gmv", "plan", "3 years", "target", 80, "trillion_yuan"))
    f = only(audit(claims, "growth_rate"))
    # (80 / 47.8)^(1/3) - 1 = 18.73%
    assert f["recomputed"] == pytest.approx(((80 / 47.8) ** (1 / 3) - 1) * 100)
    assert f["stated"] == 28 and f["verdict"] == "inconsistent" and f["severity"] == "high"
    assert "18.73%" in f["detail"] and "28%" in f["detail"]


def test_growth_rate_holds_when_the_end_follows_from_the_rate() -> None:
    # 47.8 x 1.28^3 = 100.25
    end = ("8.1", "gmv", "plan", "3 years", "target", 100.25, "trillion_yuan")
    f = only(audit(claims_of(RATE, BASE, end), "growth_rate"))
    assert f["verdict"] == "consistent" and f["severity"] == "none"


def test_growth_rate_reads_a_floor_on_the_end_as_a_floor_on_the_rate() -> None:
    claims = claims_of(
        ("1.2", "users", "industry", "2023", "actual", 6.2, "100m_count"),
        ("3.1", "users_cagr", "plan", "3 years", "target", 25, "percent"),
        ("6.2", "users", "plan", "3 years", "target", 8, "100m_count", "gt"),
    )
    f = only(audit(claims, "growth_rate"))
    # (8 / 6.2)^(1/3) - 1 = 8.87%, a floor: 25% is above it ...
    assert f["recomputed"] == pytest.approx(8.865, abs=0.01)
    assert "at least" in f["detail"]
    # ... but "more than 8" names the milestone 8 to 9 (at most 13.53% a year), and 25%
    # a year for the same 3 years is another target (tests/test_audit_hunt.py)
    assert f["verdict"] == "inconsistent" and "milestone" in f["detail"]
    # "at least 8" is a floor the plan sets: 25% is above it
    floor = claims.assign(bound=[None, None, "ge"])
    assert only(audit(floor, "growth_rate"))["verdict"] == "consistent"


def test_end_value_recomputes_the_end() -> None:
    claims = claims_of(RATE, BASE, ("8.1", "gmv", "plan", "3 years", "target", 80, "trillion_yuan"))
    f = only(audit(claims, "end_value"))
    assert f["stated"] == 80
    assert f["recomputed"] == pytest.approx(47.8 * 1.28**3)  # 100.24
    assert f["difference"] == pytest.approx(47.8 * 1.28**3 - 80)
    assert f["verdict"] == "inconsistent"
    assert "18.73% a year" in f["detail"]  # what the stated end implies


def test_end_value_of_a_before_after_case_with_a_reduction() -> None:
    claims = claims_of(
        ("4.2", "cycle", "a brand", "before", "case_study", 30, "days"),
        ("4.2", "cycle", "a brand", "after", "case_study", 15, "days"),
        ("8.1", "cycle_reduction", "a brand", "current", "case_study", 50, "percent"),
    )
    assert only(audit(claims, "end_value"))["verdict"] == "consistent"  # 30 x 0.5 = 15
    bad = claims.assign(value=[30.0, 12.0, 50.0])
    f = only(audit(bad, "end_value"))
    assert f["recomputed"] == pytest.approx(15) and f["verdict"] == "inconsistent"


def test_rounding_of_the_inputs_is_carried_through() -> None:
    # 8% -> 3% is a cut of 62.5%, but 3% may be anything from 2.5% to 3.5%: 60% is possible
    claims = claims_of(
        ("4.2", "oversell", "a brand", "before", "case_study", 8, "percent"),
        ("4.2", "oversell", "a brand", "after", "case_study", 3, "percent"),
        ("8.1", "oversell_reduction", "a brand", "current", "case_study", 60, "percent"),
    )
    f = only(audit(claims, "growth_rate"))
    assert f["recomputed"] == pytest.approx(62.5)
    assert f["verdict"] == "consistent" and "rounded as stated" in f["detail"]


# --------------------------------------------------------------------------- rule 3


def cum(growth: float, cagr: float) -> pd.DataFrame:
    return claims_of(
        ("1.2", "volume_growth", "industry", "2020-2023", "actual", growth, "percent"),
        ("1.2", "volume_cagr", "industry", "2020-2023", "actual", cagr, "percent"),
    )


def test_cumulative_against_cagr() -> None:
    # (1.653)^(1/3) - 1 = 18.24%
    f = only(audit(cum(65.3, 18.4), "cumulative_vs_cagr"))
    assert f["recomputed"] == pytest.approx(1.653 ** (1 / 3) * 100 - 100)
    # 0.16 points apart: more than half a unit of 18.4's last digit, within the 0.5 tolerance
    assert f["verdict"] == "within tolerance"
    assert only(audit(cum(65.3, 18.2), "cumulative_vs_cagr"))["verdict"] == "consistent"
    assert only(audit(cum(65.3, 20.0), "cumulative_vs_cagr"))["verdict"] == "inconsistent"


# --------------------------------------------------------------------------- rule 4


def implied(total: float) -> pd.DataFrame:
    return claims_of(
        ("1.2", "online_retail_sales", "industry", "2023", "actual", total, "trillion_yuan"),
        ("1.5", "live_commerce_gmv", "industry", "2023", "actual", 4.9, "trillion_yuan"),
        (
            "1.5",
            "live_commerce_share_of_online_retail",
            "industry",
            "2023",
            "actual",
            34.2,
            "percent",
        ),
    )


def test_implied_total_against_the_stated_total() -> None:
    f = only(audit(implied(14.4), "implied_total"))
    assert f["recomputed"] == pytest.approx(4.9 / 0.342)  # 14.33
    assert f["verdict"] in ("consistent", "within rounding")
    bad = only(audit(implied(20), "implied_total"))
    assert bad["verdict"] == "inconsistent" and bad["severity"] == "high"  # 28% off


def test_two_implied_totals_of_one_whole_are_compared() -> None:
    claims = claims_of(
        ("1.5", "live_gmv", "industry", "2023", "actual", 5, "trillion_yuan"),
        ("1.5", "live_share_of_online", "industry", "2023", "actual", 50, "percent"),
        ("2.1", "fresh_gmv", "industry", "2023", "actual", 1, "trillion_yuan"),
        ("2.1", "fresh_share_of_online", "industry", "2023", "actual", 20, "percent"),
    )
    f = only(audit(claims, "implied_total"))  # 5 / 50% = 10 against 1 / 20% = 5
    assert (f["stated"], f["recomputed"], f["verdict"]) == (10, 5, "inconsistent")


# --------------------------------------------------------------------------- rule 5


def budget(marketing: float) -> pd.DataFrame:
    return claims_of(
        ("6.3", "budget_total", "plan", "year 1", "target", 120, "100m_yuan"),
        ("6.3", "technology_budget", "plan", "year 1", "target", 45, "100m_yuan"),
        ("6.3", "supply_chain_budget", "plan", "year 1", "target", 35, "100m_yuan"),
        ("6.3", "marketing_budget", "plan", "year 1", "target", marketing, "100m_yuan"),
    )


def test_parts_that_add_up_are_not_flagged() -> None:
    f = only(audit(budget(40), "parts_sum"))
    assert f["recomputed"] == 120 and f["verdict"] == "consistent"  # 45 + 35 + 40
    assert "45 + 35 + 40 = 120" in f["detail"]


def test_parts_that_do_not_add_up_are_flagged() -> None:
    f = only(audit(budget(50), "parts_sum"))
    assert f["recomputed"] == 130 and f["verdict"] == "inconsistent"


def test_shares_of_one_whole_cannot_exceed_100() -> None:
    metrics = [m for _, m in D.CATEGORIES]
    rows = [
        ("1.2", m, "industry", "2023", "actual", v, "percent")
        for m, v in zip(metrics, (40, 30, 20), strict=True)
    ]
    assert only(audit(claims_of(*rows), "parts_sum"))["verdict"] == "consistent"  # 90
    rows = [
        ("1.2", m, "industry", "2023", "actual", v, "percent")
        for m, v in zip(metrics, (50, 40, 20), strict=True)
    ]
    f = only(audit(claims_of(*rows), "parts_sum"))  # 110
    assert f["recomputed"] == 110 and f["verdict"] == "inconsistent"


# --------------------------------------------------------------------------- rule 6


def test_same_figure_in_two_sections() -> None:
    agree = claims_of(
        ("2.2", "turnover_days", "industry", "current", "actual", 120, "days"),
        ("5.1", "turnover_days", "industry", "current", "actual", 120, "days"),
    )
    assert only(audit(agree, "same_figure"))["verdict"] == "consistent"
    differ = agree.assign(value=[120.0, 90.0])
    f = only(audit(differ, "same_figure"))
    assert (f["stated"], f["recomputed"], f["verdict"]) == (120, 90, "inconsistent")
    assert f["severity"] == "high"  # 30 / 120 = 25%


def test_same_figure_reads_current_as_the_latest_year_and_respects_bounds() -> None:
    claims = claims_of(
        ("1.4", "consent", "industry", "2023", "actual", 58, "percent"),
        ("2.3", "consent", "industry", "current", "actual", 50, "percent", "lt"),
    )
    f = only(audit(claims, "same_figure"))
    assert f["verdict"] == "inconsistent" and f["difference"] == pytest.approx(-8)
    touching = claims_of(
        ("2.1", "repurchase", "industry", "current", "actual", 30, "percent", "lt"),
        ("3.1", "repurchase", "industry", "current", "actual", 30, "percent"),
    )
    assert only(audit(touching, "same_figure"))["verdict"] == "within rounding"


def test_unnamed_subjects_are_not_compared_across_sections() -> None:
    claims = claims_of(
        ("3.4", "uplift", "a platform", "current", "case_study", 28, "percent"),
        ("4.3", "uplift", "a platform", "current", "case_study", 32, "percent"),
    )
    assert audit(claims, "same_figure").empty


# --------------------------------------------------------------------------- rule 7


def test_competing_targets() -> None:
    claims = claims_of(
        ("3.4", "spoilage", "plan", "unspecified", "target", 15, "percent"),
        ("4.2", "spoilage", "plan", "unspecified", "target", 10, "percent"),
    )
    f = only(audit(claims, "competing_targets"))
    assert (f["stated"], f["recomputed"], f["verdict"]) == (15, 10, "inconsistent")
    assert "from 10 to 15%" in f["detail"]
    same = claims.assign(value=[15.0, 15.0])
    assert only(audit(same, "competing_targets"))["verdict"] == "consistent"


def test_dated_targets_that_form_a_path_hold() -> None:
    path = claims_of(
        ("3.3", "silver_share", "plan", "3 years", "target", 15, "percent"),
        ("7.2", "silver_share", "plan", "months 7-18", "target", 10, "percent"),
    )
    f = only(audit(path, "competing_targets"))
    assert f["verdict"] == "consistent" and "dated path" in f["detail"]
    backwards = path.assign(value=[10.0, 15.0])
    assert only(audit(backwards, "competing_targets"))["verdict"] == "inconsistent"


def test_the_two_ends_of_a_range_are_one_figure() -> None:
    claims = claims_of(
        ("3.1", "new_categories", "plan", "3 years", "target", 3, "count"),
        ("3.1", "new_categories", "plan", "3 years", "target", 5, "count"),
    )
    assert audit(claims, "competing_targets").empty


# --------------------------------------------------------------------------- rule 8


def test_target_already_met_minds_the_direction() -> None:
    claims = claims_of(
        ("1.4", "tax_rebate_processing_time", "industry", "current", "actual", 3, "days"),
        ("6.4", "tax_rebate_processing_time", "plan", "unspecified", "target", 5, "days"),
    )
    f = only(audit(claims, "target_already_met"))  # lower is better: 3 days beats 5
    assert f["verdict"] == "inconsistent" and "lower is better" in f["detail"]
    slower = claims.assign(value=[8.0, 5.0])
    assert only(audit(slower, "target_already_met"))["verdict"] == "consistent"


def test_target_already_met_takes_the_direction_the_plan_states() -> None:
    claims = claims_of(
        ("3.4", "feed_ads_share", "industry", "current", "actual", 60, "percent"),
        ("3.4", "feed_ads_share", "plan", "unspecified", "target", 40, "percent"),
        ("5.1", "feed_ads_share", "plan", "unspecified", "target", 70, "percent"),
    )
    found = audit(claims, "target_already_met").set_index("sections")["verdict"]
    assert found["3.4"] == "consistent"  # from 60 down to 40: not met yet
    assert found["3.4; 5.1"] == "inconsistent"  # 60 is already below 70


def test_target_already_met_with_a_bounded_actual() -> None:
    claims = claims_of(
        ("2.1", "repurchase", "industry", "current", "actual", 30, "percent", "lt"),
        ("7.3", "repurchase", "plan", "monthly", "target", 35, "percent"),
    )
    assert only(audit(claims, "target_already_met"))["verdict"] == "consistent"


# --------------------------------------------------------------------------- rule 9


def history(rate: float) -> pd.DataFrame:
    return claims_of(
        ("1.2", "volume_cagr", "industry", "2020-2023", "actual", rate, "percent"),
        ("8.1", "volume", "industry", "current", "actual", 47.8, "trillion_yuan"),
        ("8.1", "volume", "plan", "3 years", "target", 80, "trillion_yuan"),
    )


def test_target_against_history() -> None:
    f = only(audit(history(18.4), "target_vs_history"))
    assert f["stated"] == pytest.approx(((80 / 47.8) ** (1 / 3) - 1) * 100)  # 18.73
    # faster than history (1.02 times), within the tolerance: not "consistent"
    assert f["recomputed"] == 18.4 and f["verdict"] == "within tolerance"
    slow = only(audit(history(20.0), "target_vs_history"))  # 18.73 / 20 = 0.94 times
    assert slow["verdict"] == "consistent"
    fast = only(audit(history(5.0), "target_vs_history"))  # 18.73 / 5 = 3.7 times
    assert fast["verdict"] == "inconsistent"
    lenient = AU.Tolerances(max_rate_ratio=4.0)
    assert only(audit(history(5.0), "target_vs_history", lenient))["verdict"] == "within tolerance"


# --------------------------------------------------------------------------- rule 10


def test_one_target_dated_to_different_phases() -> None:
    claims = claims_of(
        ("3.2", "centres", "plan", "years 1-2", "target", 10, "count"),
        ("7.1", "centres", "plan", "year 1", "target", 10, "count"),
    )
    f = only(audit(claims, "time_frames"))
    assert (f["stated"], f["recomputed"], f["unit"]) == (24, 12, "months")
    assert f["verdict"] == "inconsistent"
    agree = claims_of(
        ("6.1", "metaverse_share", "plan", "3 years", "target", 15, "percent"),
        ("7.2", "metaverse_share", "plan", "months 19-36", "target", 15, "percent"),
    )
    assert only(audit(agree, "time_frames"))["verdict"] == "consistent"


def test_phases_beyond_the_plan_horizon() -> None:
    claims = claims_of(
        ("3.2", "a", "plan", "years 1-2", "target", 1, "count"),
        ("3.2", "b", "plan", "years 5+", "target", 2, "count"),
        ("7.1", "plan_horizon", "plan", "unspecified", "target", 3, "years"),
        ("7.1", "c", "plan", "year 1", "target", 3, "count"),
        ("7.1", "d", "plan", "year 3", "target", 4, "count"),
    )
    found = audit(claims, "time_frames").set_index("sections")
    assert found.loc["3.2; 7.1", "verdict"] == "inconsistent"  # years 5+ starts at month 48
    assert found.loc["7.1", "verdict"] == "consistent"  # year 3 ends at month 36


# --------------------------------------------------------------------------- rules 11-12


def test_structural_gaps() -> None:
    claims = claims_of(("9.4", "methods", "a platform", "current", "case_study", 20, "count"))
    found = audit(
        claims, "structural_gaps", None, **{"9_1": "empty", "9_4": "cut", "10_1": "missing"}
    )
    found = found.set_index("sections")
    assert set(found["verdict"]) == {"unverifiable"}
    assert found.loc["9.1", "severity"] == "medium"
    assert found.loc["9.4", "severity"] == "low" and found.loc["9.4", "claim_ids"] == "C9.4-01"
    assert found.loc["10.1", "severity"] == "high" and found.loc["10.1", "chapter"] == 10


def test_reciprocal_turnover() -> None:
    claims = claims_of(
        ("7.3", "inventory_turnover_days", "industry", "current", "actual", 90, "days"),
        ("8.1", "inventory_turnover_rate", "industry", "current", "actual", 4, "times_per_year"),
    )
    f = only(audit(claims, "reciprocal"))
    # the one day-count convention: turns = 365 / days, as in chapter 4
    assert f["recomputed"] == pytest.approx(365 / 4) and f["verdict"] == "consistent"
    slow = claims.assign(value=[120.0, 4.0])
    assert only(audit(slow, "reciprocal"))["verdict"] == "inconsistent"


# --------------------------------------------------------------------------- the real tables


@pytest.fixture(scope="module")
def real() -> tuple[pd.DataFrame, pd.DataFrame]:
    return D.load_claims(REPO / "data"), D.load_sections(REPO / "data")


@pytest.fixture(scope="module")
def findings(real) -> pd.DataFrame:
    return AU.run_audit(*real)


def test_columns_and_values(findings) -> None:
    assert list(findings.columns) == list(AU.COLUMNS)
    assert set(findings["verdict"]) <= set(AU.VERDICTS)
    assert set(findings["severity"]) <= set(AU.SEVERITIES)
    calm = findings["verdict"].isin([*AU.HOLDS, "different scope"])
    assert (findings.loc[calm, "severity"] == "none").all()
    assert (findings.loc[~calm, "severity"] != "none").all()
    assert findings["scope"].str.len().gt(0).all()
    assert findings["detail"].str.len().gt(20).all()
    assert findings["chapter"].dtype.kind == "i"


def test_plan_8_1_end_value_contradiction_is_found(findings) -> None:
    rows = findings[(findings["rule"] == "end_value") & (findings["sections"] == "8.1")]
    f = only(rows)
    assert f["stated"] == 80 and f["recomputed"] == pytest.approx(47.8 * 1.28**3)
    assert f["verdict"] == "inconsistent" and f["severity"] == "high"
    rate = only(findings[(findings["rule"] == "growth_rate") & (findings["sections"] == "8.1")])
    assert rate["recomputed"] == pytest.approx(18.73, abs=0.01)


def test_year_one_budget_is_not_flagged(findings) -> None:
    f = only(findings[(findings["rule"] == "parts_sum") & (findings["sections"] == "6.3")])
    assert f["recomputed"] == 120 and f["verdict"] == "consistent"


def test_known_contradictions_across_sections(findings) -> None:
    bad = findings[findings["verdict"] == "inconsistent"]

    def failing(rule: str) -> pd.Series:
        return bad.loc[bad["rule"] == rule, "detail"].str.lower()

    assert failing("same_figure").str.contains("hhi").any()
    assert failing("same_figure").str.contains("user consent rate").any()
    # 4 turns a year (8.1) is 91.25 days against the firm's 120 days (3.2, 5.1, 7.1)
    assert failing("reciprocal").str.contains("365 / 4 = 91.25 days").any()
    for name in ("fresh produce spoilage rate", "automated warehouses", "overseas revenue share"):
        assert failing("competing_targets").str.startswith(f"the plan sets {name} at").any()
    assert failing("target_already_met").str.contains("export tax rebate").any()
    # the repeated passage of 3.2 and 7.1 is one finding, its eight dates listed in it (the
    # 30 hundred million yuan pays for another item in 7.1: rule budget_reconciliation)
    passage = bad[(bad["rule"] == "repeated_passage") & (bad["sections"] == "3.2; 7.1")]
    assert len(passage) == 1 and "dates 8 targets differently" in passage["detail"].iloc[0]
    assert not ((bad["rule"] == "time_frames") & (bad["sections"] == "3.2; 7.1")).any()


def test_paths_and_scopes_are_not_contradictions(findings) -> None:
    """Staged targets judged as a path; figures of another scope not set against each other."""
    targets = findings[findings["rule"] == "competing_targets"]
    for name in ("repurchase rate", "silver users"):
        row = targets[targets["detail"].str.startswith(f"The plan sets {name} in steps")]
        assert (row["verdict"] == "consistent").all() and len(row) == 1, name
    # the monthly KPIs of 7.3 are the first step of both their paths: at most 150 yuan a
    # month against 157 at 12 months disagree (35% a month on the way to 40% does not)
    cac = only(
        targets[targets["detail"].str.startswith("The plan sets customer acquisition cost in")]
    )
    assert cac["verdict"] == "inconsistent" and "disagree" in cac["detail"]
    delivery = only(targets[targets["detail"].str.startswith("Delivery time is stated")])
    assert delivery["verdict"] == "different scope" and delivery["severity"] == "none"
    met = findings[findings["rule"] == "target_already_met"]
    for name in ("recommendation conversion rate uplift", "customer service response time"):
        row = only(met[met["detail"].str.contains(name)])
        assert row["verdict"] == "different scope", name


def test_structural_gaps_are_found(findings) -> None:
    gaps = findings[findings["rule"] == "structural_gaps"].set_index("sections")
    assert {"9.1", "9.4", "10.1", "10.2", "10.3", "10.4"} <= set(gaps.index)
    assert (gaps["verdict"] == "unverifiable").all()


def test_output_is_deterministic(real, findings) -> None:
    again = AU.run_audit(*real)
    pd.testing.assert_frame_equal(findings, again)
    shuffled = real[0].sample(frac=1, random_state=1)
    pd.testing.assert_frame_equal(findings, AU.run_audit(shuffled.sort_values("id"), real[1]))


def test_a_tolerance_change_flips_a_verdict(real) -> None:
    def cagr_verdict(tol: AU.Tolerances) -> str:
        found = AU.run_audit(*real, tol, rules="cumulative_vs_cagr")
        return only(found[found["sections"] == "1.2"])["verdict"]

    assert cagr_verdict(AU.Tolerances(rate_pp=0.5)) == "within tolerance"  # 18.4 vs 18.24
    assert cagr_verdict(AU.Tolerances(rate_pp=0.1)) == "inconsistent"


def test_severity_thresholds_are_parameters(real) -> None:
    default = AU.run_audit(*real)
    strict = AU.run_audit(*real, AU.Tolerances(medium_pct=1, high_pct=2))
    assert (strict["severity"] == "high").sum() > (default["severity"] == "high").sum()


def test_chapter_findings(real) -> None:
    claims, sections = real
    ch3 = AU.chapter_findings(claims, sections, 3, min_severity="none")
    ch8 = AU.chapter_findings(claims, sections, 8, min_severity="none")
    both = set(ch3["claim_ids"]) & set(ch8["claim_ids"])
    assert both  # findings spanning chapters 3 and 8 show in both
    assert all(any(s.startswith("3.") for s in x.split("; ")) for x in ch3["sections"])
    low = AU.chapter_findings(claims, sections, 3)
    assert (low["severity"] != "none").all() and len(low) < len(ch3)
    high = AU.chapter_findings(claims, sections, 3, min_severity="high")
    assert (high["severity"] == "high").all() and len(high) <= len(low)
    gaps = AU.chapter_findings(claims, sections, 10)
    assert set(gaps["rule"]) == {"structural_gaps"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"chapter": 12}, "unknown chapter 12"),
        ({"chapter": 3, "min_severity": "huge"}, "none, low"),
    ],
)
def test_chapter_findings_refuses_bad_input(real, kwargs, message) -> None:
    chapter = kwargs.pop("chapter")
    with pytest.raises(InputError, match=message):
        AU.chapter_findings(*real, chapter, **kwargs)


def test_tolerances_refuse_negative_values() -> None:
    with pytest.raises(InputError, match="rate_pp"):
        AU.Tolerances(rate_pp=-1)
    with pytest.raises(InputError, match="high_pct"):
        AU.Tolerances(medium_pct=30, high_pct=20)


def test_unknown_rule_is_refused(real) -> None:
    with pytest.raises(InputError, match="did you mean 'growth_rate'"):
        AU.run_audit(*real, rules="growth_rat")


def test_registry_view_and_headline(real, findings) -> None:
    from planbook.engine.params import AuditSeverity, validate_params

    names = [r.name for r in AU.RULES]
    assert len(names) == len(set(names)) and set(findings["rule"]) <= set(names)
    assert list(AU.rules_table().columns) == ["rule", "description"]
    assert list(typing.get_args(AuditSeverity)) == list(AU.SEVERITIES)
    html = findings_view(findings.head(3)).to_html()
    assert "detail" in html.lower() and "consistent" in html
    params = validate_params("audit", {})
    head = audit_chapter.headline(params, real[0])
    book = AU.book_findings(*real, settings=check_settings())  # rules and chapters' checks
    assert len(book) > len(findings)
    assert head["findings"] == len(book)
    assert head["inconsistent"] == (book["verdict"] == "inconsistent").sum()
    looser = audit_chapter.headline(validate_params("audit", {"rate_tolerance_pp": 5}), real[0])
    assert looser["inconsistent"] < head["inconsistent"]


# --------------------------------------------------------------------------- CLI


def test_cli_lists_findings_and_writes_csv(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "audit.csv"
    result = planbook("audit", "--chapter", "8", "--csv", str(out), root=repo)
    assert result.returncode == 0, result.stderr
    assert "end_value" in result.stdout and "findings:" in result.stdout
    assert "inconsistent" in result.stdout
    table = pd.read_csv(out)
    assert list(table.columns) == list(AU.COLUMNS)
    assert table["sections"].str.contains("8.").all()


def test_cli_rule_and_tolerance_options(repo: Path) -> None:
    strict = planbook("audit", "--rule", "cumulative_vs_cagr", "--rate-tolerance", "0.1", root=repo)
    assert strict.returncode == 0, strict.stderr
    assert "cumulative_vs_cagr" in strict.stdout and "1 inconsistent" in strict.stdout
    holds = planbook(
        "audit",
        "--rule",
        "parts_sum",
        "--min-severity",
        "none",
        "--level-tolerance",
        "0",
        root=repo,
    )
    assert holds.returncode == 0, holds.stderr
    assert "0 inconsistent" in holds.stdout and "2 listed at --min-severity none" in holds.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--chapter", "12"], ["--chapter 12", "from 1 to 10"]),
        (["--chapter", "three"], ["--chapter three", "chapter number"]),
        (["--min-severity", "huge"], ["--min-severity 'huge'", "none, low, medium, high"]),
        (["--rule", "growth"], ["--rule 'growth'", "did you mean 'growth_rate'"]),
        (["--rate-tolerance", "-1"], ["--rate-tolerance -1", "at least 0"]),
        (["--level-tolerance", "lots"], ["--level-tolerance lots", "must be a number"]),
        (["--csv", "/no/such/folder/a.csv"], ["--csv /no/such/folder/a.csv", "writable folder"]),
    ],
    ids=lambda a: " ".join(a) if isinstance(a, list) and a and a[0].startswith("--") else None,
)
def test_cli_bad_input_is_one_line(repo: Path, args: list[str], expected: list[str]) -> None:
    result = planbook("audit", *args, root=repo)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for text in expected:
        assert text in lines[0]
    assert "Traceback" not in result.stdout + result.stderr


# --------------------------------------------------------------------------- the appendix


@pytest.mark.slow
def test_raising_a_tolerance_lowers_the_glued_inconsistent_count(
    default_values, run_chapter
) -> None:
    default = default_values("audit")
    looser = run_chapter("audit", rate_tolerance_pp=5.0)
    assert looser["n_inconsistent"] < default["n_inconsistent"]
    # scope does not depend on tolerances (the count of findings can: a pair that fails
    # inside a failing many-way finding is merged into it)
    assert looser["n_scope"] == default["n_scope"]
