"""Chapter 3 computations against hand-computed values from the claims table."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from planbook.chapters import goals as G
from planbook.data import plan as D
from planbook.engine.params import validate_params
from planbook.errors import InputError

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return D.load_claims(REPO / "data")


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("12 months", (1.0, True)),
        ("3 years", (3.0, True)),
        ("year 2", (2.0, True)),
        ("years 3-4", (4.0, True)),
        ("years 5+", (5.0, True)),
        ("months 7-18", (1.5, True)),
        ("unspecified", (4.0, False)),
    ],
)
def test_horizon_years(period: str, expected: tuple[float, bool]) -> None:
    assert G.horizon_years(period, 4) == expected


@pytest.mark.parametrize("period", ["annual", "monthly", "current", "2023"])
def test_no_horizon(period: str) -> None:
    years, stated = G.horizon_years(period, 3)
    assert math.isnan(years) and not stated


def test_find_baseline_prefers_the_nearest_section(claims) -> None:
    assert G.find_baseline(claims, "repurchase_rate", "3.1")["id"] == "C3.1-02"
    assert G.find_baseline(claims, "customer_acquisition_cost", "3.1")["id"] == "C2.1-05"
    assert G.find_baseline(claims, "supply_chain_response_cycle", "3.1")["id"] == "C2.2-12"
    assert (
        G.find_baseline(claims, "overseas_revenue_share", "3.1") is None
    )  # Shein's is no baseline


def test_targets_table(claims) -> None:
    table = G.targets_table(claims, 3).set_index("id")
    assert len(table) == int(((claims["chapter"] == 3) & (claims["kind"] == "target")).sum())
    rep = table.loc["C3.1-03"]
    assert rep["required_rate_pct"] == pytest.approx(100 / 3)
    assert rep["required_pp_per_year"] == pytest.approx(10.0)
    cac = table.loc["C3.1-05"]
    assert cac["baseline"] == 185 and cac["required_rate_pct"] == pytest.approx(
        (157 / 185 - 1) * 100
    )
    cut = table.loc["C3.1-04"]
    assert cut["form"] == "relative change" and cut["implied_level"] == pytest.approx(157.25)
    assert cut["required_rate_pct"] == pytest.approx(-15.0)
    users = table.loc["C3.1-07"]
    assert users["form"] == "growth rate" and users["required_rate_pct"] == 25
    assert users["implied_level"] == pytest.approx(6.2 * 1.25**3)
    spoil = table.loc["C3.4-12"]
    assert not spoil["horizon_stated"] and spoil["horizon_years"] == 3
    assert spoil["required_rate_pct"] == pytest.approx(((15 / 25) ** (1 / 3) - 1) * 100)
    assert table.loc["C3.4-01", "form"] == "recurring"
    assert table.loc["C3.1-16", "form"] == "amount"
    assert table.loc["C3.2-06", "horizon_years"] == 2
    longer = G.targets_table(claims, 6).set_index("id")
    assert abs(longer.loc["C3.4-12", "required_rate_pct"]) < abs(spoil["required_rate_pct"])


def test_same_metric_targets_side_by_side(claims) -> None:
    same = G.same_metric_targets(claims)
    assert (same.groupby("family")["section"].nunique() >= 2).all()
    cac = same[same["family"] == "customer_acquisition_cost"].set_index("id")
    assert cac.loc["C3.4-24", "implied_level"] == pytest.approx(185 * 0.8)
    silver = same[same["family"] == "silver_users"].set_index("id")
    assert silver.loc["C7.2-07", "implied_level"] == pytest.approx(0.5)  # 5000 x 10k in 100m
    summary = G.conflict_summary(same).set_index("family")["verdict"]
    assert summary["overseas_revenue_share"] == "different levels for the same date"
    assert summary["lower_tier_users"] == "same date, reconciled only by a bound"
    assert summary["silver_users"] == "different levels, no common date"
    assert summary["social_commerce_gmv_share"] == "same level, different dates"
    assert summary["digital_talent_share"] == "agree"
    assert list(G.conflict_summary(same)["verdict"]) == sorted(
        summary, key=lambda v: G.VERDICTS.index(v)
    )
    wide = G.side_by_side(same, G.conflict_summary(same)).set_index("metric")
    assert "6.2: 25% [3 years]" in wide.loc["overseas_revenue_share", "other_chapters"]
    assert "-15% change (= 157.2 yuan/user)" in wide.loc["customer_acquisition_cost", "chapter_3"]


def test_conflict_summary_on_a_made_up_table() -> None:
    rows = [
        ("m", "3.1", "m", 10.0, "", "3 years"),
        ("m", "6.1", "m", 10.02, "", "3 years"),
        ("n", "3.1", "n", 10.0, "gt", "2 years"),
        ("n", "6.1", "n", 20.0, "", "2 years"),
        ("p", "3.1", "p", 10.0, "", "2 years"),
        ("p", "6.1", "p", 20.0, "", "2 years"),
    ]
    same = pd.DataFrame(rows, columns=["family", "section", "metric", "value", "bound", "period"])
    same = same.assign(implied_level=same["value"], level_unit="count")
    verdicts = G.conflict_summary(same).set_index("family")["verdict"]
    assert verdicts["m"] == "agree"
    assert verdicts["n"] == "same date, reconciled only by a bound"
    assert verdicts["p"] == "different levels for the same date"


def test_internal_checks(claims) -> None:
    checks = G.internal_checks(claims, 2.0)
    assert list(checks["verdict"]) == ["consistent", "consistent", "inconsistent"]
    assert checks.loc[0, "recomputed"] == pytest.approx(157.25)
    assert checks.loc[1, "recomputed"] == 10 and checks.loc[1, "stated"] == 18
    assert checks.loc[2, "recomputed"] == pytest.approx(6.2 * 1.25**3)
    assert checks.loc[2, "stated"] == pytest.approx(6.2 / 0.587)


def test_economics_under_targets(claims) -> None:
    econ, _ = G.economics_now(claims, validate_params("goals", {}))
    cases = G.economics_under_targets(claims, econ).set_index("case")
    both = cases.loc["Both short-term targets met"]
    now = cases.loc["Now (plan 3.1 baselines)"]
    assert (both["repurchase_pct"], both["cac"]) == (40, 157)
    assert (now["repurchase_pct"], now["cac"]) == (30, 185)
    assert both["ltv_to_cac"] > now["ltv_to_cac"]
    assert cases.loc["Acquisition-cost target met", "ltv"] == pytest.approx(now["ltv"])
    gain = both["profit_per_customer"] - now["profit_per_customer"]
    assert gain == pytest.approx((185 - 157) + (both["ltv"] - now["ltv"]))


def test_lower_tier_saturation(claims) -> None:
    frame, sat = G.lower_tier_saturation(claims, None, 5)
    assert sat["ceiling"] == pytest.approx(6.2 / 0.587)
    assert sat["crossing_years"] == pytest.approx(math.log(1 / 0.587) / math.log(1.25))
    assert sat["crossing_year"] == pytest.approx(2023 + sat["crossing_years"])
    assert sat["compound_at_horizon"] == pytest.approx(6.2 * 1.25**3)
    assert sat["other_rate_pct"] == pytest.approx(((8 / 6.2) ** (1 / 3) - 1) * 100)
    assert sat["logistic_at_horizon"] < sat["ceiling"]
    assert len(frame) == 6
    _, wider = G.lower_tier_saturation(claims, 14.0, 5)
    assert wider["ceiling_source"] == "parameter"
    assert wider["crossing_years"] > sat["crossing_years"]
    with pytest.raises(InputError, match="user_ceiling_100m=5: the ceiling must be above"):
        G.lower_tier_saturation(claims, 5.0, 5)


def test_headline_is_fast_and_moves_with_its_parameters(claims) -> None:
    params = validate_params("goals", {})
    base = G.headline(params, claims)
    assert base["targets"] == 40
    assert base["metrics_with_same_date_conflicts"] == 1
    assert base["ltv_to_cac_targets"] > base["ltv_to_cac_now"]
    wider = G.headline(validate_params("goals", {"user_ceiling_100m": 14}), claims)
    assert wider["years_to_ceiling"] > base["years_to_ceiling"]
    richer = G.headline(validate_params("goals", {"margin_pct": 25}), claims)
    assert richer["ltv_to_cac_targets"] > base["ltv_to_cac_targets"]


def test_compute_names_every_number_of_the_page(claims) -> None:
    result = G.compute(validate_params("goals", {}), claims)
    assert result.t_n == len(result.targets) == result.ch3_targets
    assert result.t_rate == len(result.rates)
    assert list(result.rates["required_rate_pct"]) == sorted(result.rates["required_rate_pct"])
    assert result.steep_id == "C3.1-03" and result.steep_rate == pytest.approx(100 / 3)
    assert result.n_verdict_0 == 1 and result.clash_list.startswith("overseas revenue share")
    assert result.ck_cac_implied == pytest.approx(185 * 0.85)
    assert result.ck_users_verdict == "inconsistent" and result.ck_horizon == 3
    assert result.e_gain == pytest.approx(result.e_gain_rep + result.e_gain_cac, rel=0.1)
    assert result.e_bigger == "the cut in acquisition cost"
    assert result.s_compound_h == pytest.approx(6.2 * 1.25**3)
    assert result.s_crossing == "after 2.4 years, in 2025"
    crossing = result.s_start_year + result.s_crossing_years
    assert result.crossing_point == (crossing, result.s_ceiling)
    assert result.s_official_last == result.shoppers.loc[result.s_official_last_year]


def test_families_text_lists_levels_units_and_sections() -> None:
    frame = pd.DataFrame(
        {"family": ["overseas_revenue_share"], "levels": ["25, 30"], "unit": ["percent"]}
    ).assign(sections="3.1, 6.2")
    assert G.families_text(frame) == "overseas revenue share (25 and 30%; plans 3.1, 6.2)"
    assert G.families_text(frame.iloc[0:0]) == "none"


@pytest.mark.slow
def test_ceiling_and_margin_move_the_glued_numbers(default_values, run_chapter) -> None:
    """A higher ceiling delays the crossing; a higher margin raises LTV/CAC under the targets."""
    default = default_values("goals")
    changed = run_chapter("goals", user_ceiling_100m=14.0, margin_pct=25.0)
    assert changed["s_crossing_years"] > default["s_crossing_years"]
    assert changed["s_ceiling"] == 14.0
    assert changed["e_ratio_both"] > default["e_ratio_both"]
    assert changed["tad_n"] == default["tad_n"]
