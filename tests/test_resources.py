"""Chapter 6 (resources): the budget, its checks, the people and the appraisal."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planbook.chapters import resources as R
from planbook.data import plan as D
from planbook.engine.params import ResourcesParams
from planbook.methods.models import appraisal as AP

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return D.load_claims(REPO / "data")


def test_budget_table_holds_every_money_figure_in_yuan(claims) -> None:
    table = R.budget_table(claims, 7.0).set_index("claim_id")
    money = D.select(claims, section=["6.1", "6.2", "6.3"], metric=None)
    money = money[money["unit"].isin(["100m_yuan", "100m_usd"])]
    assert set(money["id"]) <= set(table.index)
    assert table.loc["C6.3-07", "value_100m_yuan"] == pytest.approx(20 * 7.0)  # USD fund
    assert table.loc["C6.3-01", "value_100m_yuan"] == 120
    assert math.isnan(table.loc["C6.3-14", "value_100m_yuan"])  # a share of revenue
    assert set(table["role"]) == {"total", "use", "source", "reserve"}


def test_horizon_totals_under_both_readings(claims) -> None:
    assert list(R.horizon_totals(claims, "additional")) == [120, 420, 800]
    assert list(R.horizon_totals(claims, "cumulative")) == [120, 300, 800]
    with pytest.raises(ValueError, match="reading"):
        R.horizon_totals(claims, "both")


def test_horizon_allocation_adds_up_to_the_totals(claims) -> None:
    alloc = R.horizon_allocation(claims, 7.1, "additional")
    totals = R.horizon_totals(claims, "additional")
    pd.testing.assert_series_equal(alloc.sum(), totals, check_names=False)
    assert alloc.loc["Overseas M&A fund", "Year 1"] == 0
    assert alloc.loc["Not allocated by the plan", "Years 1-3"] == pytest.approx(
        420 - 120 - 20 * 7.1 - 50
    )
    cumulative = R.horizon_allocation(claims, 7.1, "cumulative")
    assert cumulative.loc["Not allocated by the plan", "Years 1-3"] < 0  # named uses exceed


def test_spending_schedule(claims) -> None:
    schedule = R.spending_schedule(claims, "additional", 7)
    assert list(schedule) == [120, 150, 150, 190, 190, 0, 0]
    assert R.spending_schedule(claims, "cumulative", 5).sum() == 800
    with pytest.raises(ValueError, match="years"):
        R.spending_schedule(claims, "additional", 0)


def test_budget_checks(claims) -> None:
    checks = R.budget_checks(claims, 7.1, "additional").set_index("check")
    assert checks.loc["First-year split adds up to the first-year total", "verdict"] == (
        "consistent"
    )
    hw = checks.loc["Plan 6.1 hardware and software within the first-year technology budget"]
    assert (hw["recomputed"], hw["verdict"]) == (75, "inconsistent")
    fund = "M&A fund and green bonds within the three-year funding"
    assert checks.loc[fund, "recomputed"] == pytest.approx(20 * 7.1 + 50)
    assert checks.loc[fund, "verdict"] == "consistent"
    other = R.budget_checks(claims, 7.1, "cumulative").set_index("check")
    assert other.loc[fund, "stated"] == 300 - 120
    assert other.loc[fund, "verdict"] == "inconsistent"


def test_people(claims) -> None:
    people = R.people_table(claims)
    assert people["people"].iloc[-1] == 500 + 300 + 200
    numbers = R.people_numbers(claims, "additional")
    assert numbers["training_per_named_person_yuan"] == pytest.approx(5e8 / 1000)
    assert numbers["training_share_of_five_year_pct"] == pytest.approx(25 / 800 * 100)
    assert numbers["hires_only_workforce"] == pytest.approx(800)


def test_implied_workforce() -> None:
    # (0.35 N + 500) / (N + 500) = 0.6  ->  N = 500 * 0.4 / 0.25
    assert R.implied_workforce(35, 60, 500) == pytest.approx(800)
    with pytest.raises(ValueError, match="share_from"):
        R.implied_workforce(60, 35, 500)


def test_cash_flows_and_appraisal_hand_computed(claims) -> None:
    params = ResourcesParams()
    flows = R.cash_flows(params, claims)
    # full effect on 1 trillion yuan: 500 + 40 * 65/185 + 10,000 * 0.75 * 0.125 * 0.2
    full = 500 + 40 * 65 / 185 + 187.5
    assert list(flows["benefit"]) == pytest.approx([0, full / 3, 2 * full / 3, full, full])
    assert list(flows["net"]) == pytest.approx(list(flows["benefit"] - flows["spending"]))
    result = R.appraisal(params, claims)
    assert result["npv"] == pytest.approx(AP.npv(0.08, flows["net"]))
    assert result["irr_pct"] == pytest.approx(AP.irr(flows["net"]) * 100)
    assert result["payback_years"] == pytest.approx(
        1 + (120 - (full / 3 - 150)) / (2 * full / 3 - 150)
    )


def test_break_even_points_give_zero_npv(claims) -> None:
    params = ResourcesParams()
    result = R.appraisal(params, claims)
    share = result["breakeven_realisation"]
    assert 0 < share < 1
    assert R.npv_at(params, claims, benefit_realisation=share) == pytest.approx(0, abs=1e-6)
    gmv = result["breakeven_firm_gmv"]
    assert R.npv_at(params, claims, firm_gmv=gmv) == pytest.approx(0, abs=1e-6)
    industry = R.appraisal(params.model_copy(update={"benefit_scope": "industry"}), claims)
    assert math.isnan(industry["breakeven_firm_gmv"])


def test_npv_falls_with_the_discount_rate_and_rises_with_benefits(claims) -> None:
    params = ResourcesParams()
    profile = R.npv_profile(params, claims, np.array([0.0, 8.0, 20.0, 50.0]))
    assert profile.is_monotonic_decreasing
    assert R.npv_at(params, claims, firm_gmv=2.0) > R.npv_at(params, claims)
    shares = R.realisation_profile(params, claims, np.array([0.0, 0.5, 1.0]))
    assert shares.is_monotonic_increasing
    assert shares.loc[0.0] == pytest.approx(-R.appraisal(params, claims)["pv_spending"])


def test_no_benefit_means_no_irr_and_no_payback(claims) -> None:
    params = ResourcesParams(benefit_realisation=0.0)
    result = R.appraisal(params, claims)
    assert math.isnan(result["irr_pct"]) and math.isnan(result["payback_years"])
    assert math.isnan(result["breakeven_firm_gmv"])


def test_scope_comparison(claims) -> None:
    table = R.scope_comparison(ResourcesParams(), claims).set_index("scope")
    ratio = table.loc["industry", "annual_benefit"] / table.loc["firm", "annual_benefit"]
    assert ratio == pytest.approx(47.8)  # every component scales with the base GMV


def test_headline_is_fast_and_complete(claims) -> None:
    values = R.headline(ResourcesParams(), claims)
    assert values["five_year_total_100m_yuan"] == 800
    assert set(values) >= {"npv_100m_yuan", "irr_pct", "payback_years", "breakeven_realisation"}


def test_compute_names_what_the_page_shows(claims) -> None:
    r = R.compute(ResourcesParams(), claims)
    assert (r.ch6_claims, r.hardware, r.year1, r.five, r.fund_yuan) == (58, 45, 120, 800, 142)
    assert (r.total_y1, r.total_y3, r.total_y5) == (120, 420, 800)
    assert r.named_share_y5 == pytest.approx(39.0)
    assert (r.unallocated_y5, r.unallocated_y5_share) == (pytest.approx(488), pytest.approx(61))
    assert (r.ch6_checks, r.ch6_checks_hold, r.hw_tech_verdict, r.fund_verdict_other) == (
        6, 4, "unverifiable", "inconsistent"  # as the one table reads it
    )  # fmt: skip
    assert (r.fund_room, r.fund_room_other, r.spend_y23, r.spend_y45) == (300, 180, 150, 190)
    assert r.training_per_person == 500_000 and r.hires_only_workforce == 800
    assert r.npv == pytest.approx(1012.1146026634265)
    assert r.irr_text == "160% a year"
    assert r.breakeven_text.startswith("less than the full promises")
    assert r.industry_ratio == pytest.approx(41.91785472972973)
    assert list(r.schedules.columns) == list(R.READINGS)
    assert r.schedules.sum().tolist() == [800, 800]
    assert r.npv_by_rate.index.max() == pytest.approx(1.5 * r.irr_pct)


def test_parameter_words() -> None:
    words = R.parameter_words(ResourcesParams(discount_rate_pct=12.0))
    assert words["p_discount_rate_pct"] == "12" and words["d_discount_rate_pct"] == "8"
    assert words["p_benefit_scope"] == "'firm'" and words["p_commission_cut_as_benefit"] == "off"


@pytest.mark.slow
def test_parameters_move_the_glued_numbers(default_values, run_chapter) -> None:
    """A higher discount rate lowers the NPV on the page; a bigger firm raises the benefit."""
    default = default_values("resources")
    dearer = run_chapter("resources", discount_rate_pct=15.0)
    assert dearer["npv"] < default["npv"]
    assert dearer["pv_spending"] < default["pv_spending"]
    bigger = run_chapter("resources", firm_gmv=2.0)
    assert bigger["annual_full"] > default["annual_full"]
    assert bigger["breakeven_realisation_pct"] < default["breakeven_realisation_pct"]
