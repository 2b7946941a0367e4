"""Chapter 2 computations against hand-computed values from the claims table."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from planbook.chapters import challenges as C
from planbook.data import plan as D
from planbook.engine.params import validate_params
from planbook.errors import InputError

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return D.load_claims(REPO / "data")


def test_gap_table_benchmarks(claims) -> None:
    gaps = C.gap_table(claims).set_index("problem")
    rep = gaps.loc["Repurchase rate"]
    assert (rep["current"], rep["benchmark"], rep["gap_abs"]) == (30, 40, -10)
    assert rep["bound"] == "lt" and rep["better"] == "higher"
    assert rep["gap_rel_pct"] == pytest.approx(-25.0)
    assert gaps.loc["Apparel inventory turnover days", "benchmark"] == 120 - 40
    assert gaps.loc["Fresh-produce spoilage rate", "benchmark"] == 10
    assert gaps.loc["Fresh-produce spoilage rate", "gap_rel_pct"] == pytest.approx(150.0)
    assert gaps.loc["Supply-chain response cycle (a brand)", "benchmark"] == 15
    assert gaps.loc["Return rate in the Middle East (a brand)", "benchmark"] == 20
    cost = gaps.loc["Rural delivery cost"]
    assert (cost["current"], cost["benchmark"]) == (130, 100)
    assert cost["unit"] == "index (urban areas = 100)"
    assert gaps.loc["Cross-border conversion rate", "current"] == 72
    time_row = gaps.loc["Rural delivery time"]
    assert time_row["gap_abs"] == 48 and math.isnan(time_row["severity"])


def test_gap_table_marks_case_studies(claims) -> None:
    gaps = C.gap_table(claims).set_index("problem")
    assert gaps.loc["Repurchase rate", "basis"] == "industry"
    assert gaps.loc["Supply-chain response cycle (a brand)", "basis"] == "a single firm's case"
    assert gaps.loc["Cross-border conversion rate", "basis"] == "a single firm's case"


def test_severity_measures() -> None:
    assert C.severity(25, 10, "log_ratio") == pytest.approx(math.log(2.5))
    assert C.severity(5, 10, "log_ratio") == pytest.approx(C.severity(20, 10, "log_ratio"))
    assert C.severity(25, 10, "relative_gap") == pytest.approx(1.5)
    assert C.severity(30, 40, "relative_gap") == pytest.approx(0.25)
    assert math.isnan(C.severity(0, 10, "log_ratio"))
    with pytest.raises(InputError, match="unknown; use 'log_ratio' or 'relative_gap'"):
        C.severity(1, 2, "z_score")


def test_ranking_depends_on_the_measure(claims) -> None:
    log = C.ranked_gaps(C.gap_table(claims, "log_ratio"))
    rel = C.ranked_gaps(C.gap_table(claims, "relative_gap"))
    assert log["problem"].iloc[0] == "Fresh-produce spoilage rate"
    assert log["severity"].is_monotonic_decreasing
    assert log["severity"].iloc[0] == pytest.approx(math.log(2.5))
    assert rel["severity"].iloc[0] == pytest.approx(1.5)
    assert len(log) == len(C.GAPS) - 1  # rural delivery time has no relative size
    assert list(log["problem"]) != list(rel["problem"])


def test_every_chapter_2_claim_is_benchmarked_or_listed(claims) -> None:
    gaps = C.gap_table(claims)
    used = {i.strip() for ids in gaps["claim_ids"] for i in ids.split(",")}
    rest = C.unbenchmarked(claims)
    ch2 = D.select(claims, chapter=2)
    assert used | set(rest["id"]) == set(ch2["id"])
    assert not used & set(rest["id"])
    counts = C.theme_counts(claims)
    assert counts["figures"].sum() == len(ch2)
    assert set(counts.loc[counts["benchmarked_problems"] == 0, "section"]) == {"2.3", "2.5"}


def test_trend_rates(claims) -> None:
    t = C.trend_rates(claims).set_index("measure")
    margin = t.loc["Industry average profit margin"]
    assert margin["annual_rate_pct"] == pytest.approx(((3.5 / 8.2) ** (1 / 3) - 1) * 100)
    assert margin["annual_change"] == pytest.approx(-4.7 / 3)
    cac1 = t.loc["Acquisition cost, last year (plan 2.1)"]
    assert cac1["start"] == pytest.approx(185 / 1.28) and cac1["start_year"] == 2022
    assert cac1["annual_rate_pct"] == pytest.approx(28.0)
    cac3 = t.loc["Acquisition cost, three years (plan 5.2)"]
    assert cac3["annual_rate_pct"] == pytest.approx((1.68 ** (1 / 3) - 1) * 100)
    commission = t.loc["Platform commission rate (plan 5.1)"]
    assert commission["change"] == 4 and commission["annual_change"] == pytest.approx(4 / 3)
    assert C.cac_earlier_years_rate(claims) == pytest.approx(((1.68 / 1.28) ** 0.5 - 1) * 100)


def test_internal_checks(claims) -> None:
    checks = C.internal_checks(claims, 0.5, 2.0)
    assert list(checks["verdict"]) == ["consistent", "inconsistent", "consistent", "consistent"]
    assert checks.loc[0, "recomputed"] == pytest.approx(100 / 2.1)
    assert checks.loc[1, "recomputed"] == 58
    assert checks.loc[3, "recomputed"] == 15


def test_economics_and_margin_what_if(claims) -> None:
    params = validate_params("challenges", {})
    econ, inputs = C.economics(claims, params)
    assert econ.margin == pytest.approx(0.035) and econ.cac == 185
    what_if = C.margin_what_if(claims, econ)
    assert list(what_if["margin_pct"]) == [3.5, 8.2, 22, 25]
    assert what_if["ltv_to_cac"].is_monotonic_increasing
    assert what_if.loc[0, "ltv_to_cac"] == pytest.approx(
        C.CE.ltv_to_cac(econ)  # the 2023 margin is the default
    )
    curve = C.repurchase_curve(econ, [3.5, 25], points=10)
    assert len(curve) == 20
    assert (
        curve.groupby("margin_pct")["ltv_to_cac"].apply(lambda s: s.is_monotonic_increasing).all()
    )


def test_headline_is_fast_and_moves_with_its_parameters(claims) -> None:
    params = validate_params("challenges", {})
    base = C.headline(params, claims)
    assert base["benchmarked_problems"] == len(C.GAPS)
    assert base["top_gap_factor"] == pytest.approx(2.5)
    assert base["ltv_to_cac"] < 1
    richer = C.headline(validate_params("challenges", {"margin_pct": 25}), claims)
    assert richer["ltv_to_cac"] > base["ltv_to_cac"]
    assert richer["break_even_margin_pct"] == pytest.approx(base["break_even_margin_pct"])
    rel = C.headline(validate_params("challenges", {"severity_measure": "relative_gap"}), claims)
    assert rel["top_gap_severity"] == pytest.approx(1.5)


def test_compute_names_every_number_of_the_page(claims) -> None:
    result = C.compute(validate_params("challenges", {}), claims)
    assert result.n_benchmarked == len(C.GAPS) and result.n_ranked == len(result.ranked)
    assert result.spoilage == 25 and result.rural_premium == 30 and result.conversion_gap == 28
    assert result.top_problem == "fresh-produce spoilage rate" and result.top_factor == 2.5
    assert result.margin_fall == pytest.approx(8.2 - 3.5)
    assert result.cac_2022 == pytest.approx(185 / 1.28)
    assert result.commission_share_of_fall == pytest.approx(4 / 4.7 * 100)
    assert result.roas_share_verdict == "consistent" and result.consent_verdict == "inconsistent"
    assert result.ltv_cac < 1 and result.pays_back == "does not pay back"
    assert result.best_case == "overall gross margin target" and result.best_margin == 25
    assert result.freq_multiple_plus == result.freq_multiple + 1
    index = result.trend_index["Industry profit margin"]
    assert index.loc[2020] == 100 and index.loc[2023] == pytest.approx(3.5 / 8.2 * 100)
    assert result.curves["label"].str.endswith("(used)").sum() == 91  # one curve of 91 points
    assert list(result.claims.columns) == [*C.result.CLAIM_COLUMNS, "note"]


@pytest.mark.slow
def test_margin_and_severity_move_the_glued_numbers(default_values, run_chapter) -> None:
    """A higher margin raises the page's LTV/CAC; the other scale changes the top severity."""
    default = default_values("challenges")
    changed = run_chapter("challenges", margin_pct=25.0, severity_measure="relative_gap")
    assert changed["ltv_cac"] > default["ltv_cac"]
    assert changed["break_even_margin"] == pytest.approx(default["break_even_margin"])
    assert changed["severity_definition"] != default["severity_definition"]
    assert changed["top_severity"] > default["top_severity"]  # 1.5 against ln 2.5
    assert changed["top_factor"] == pytest.approx(default["top_factor"])
