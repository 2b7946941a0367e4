"""Chapter 8 (benefits): the growth promise, the money, the social rates, sensitivity."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from planbook.chapters import benefits as B
from planbook.data import plan as D
from planbook.engine.params import BenefitsParams, load_scenario, resolve
from planbook.engine.registry import get_chapter
from planbook.methods import forecast as F
from planbook.methods import targets as T
from planbook.methods.models import benefit_stream as BS

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return D.load_claims(REPO / "data")


@pytest.fixture(scope="module")
def evaluation() -> F.Evaluation:
    return F.evaluate_official()


@pytest.fixture(scope="module")
def series(evaluation) -> pd.Series:
    return B.official_transaction_volume(evaluation)


def test_period_years() -> None:
    assert B.period_years("3 years") == 3
    assert B.period_years("unspecified") is None
    assert B.period_years("year 1") is None


def test_gmv_promise_both_ways(claims) -> None:
    p = B.gmv_promise(claims)
    assert (p.base, p.rate, p.end, p.years) == (47.8, 28, 80, 3)
    assert p.end_from_rate == pytest.approx(47.8 * 1.28**3)  # 100.24
    assert p.rate_from_end == pytest.approx(((80 / 47.8) ** (1 / 3) - 1) * 100)  # 18.73
    assert (p.base_year, p.target_year) == (2023, 2026)  # the 1.2 figure for 2023
    paths = B.gmv_paths(p)
    assert list(paths.index) == [2023, 2024, 2025, 2026]
    assert paths.loc[2026, "to_stated_end"] == pytest.approx(80)
    assert paths.loc[2026, "at_stated_rate"] == pytest.approx(p.end_from_rate)


def test_base_year_falls_back_to_the_latest_dated_figure(claims) -> None:
    changed = claims.copy()
    changed.loc[changed["id"] == "C8.1-02", "value"] = 50.0  # no 1.2 figure equals it now
    assert B.base_year(changed) == 2023
    undated = changed[~changed["metric"].eq("ecommerce_transaction_volume")]
    with pytest.raises(KeyError, match="no dated transaction volume"):
        B.base_year(undated)


def test_gmv_checks(claims) -> None:
    checks = B.gmv_checks(claims, 0.5, 2.0).set_index("check")
    assert checks.loc["GMV end value implied by the stated growth rate", "verdict"] == (
        "inconsistent"
    )
    assert checks.loc["GMV growth rate implied by the stated end value", "verdict"] == (
        "inconsistent"
    )
    base = checks.loc["GMV baseline against plan 1.2's transaction volume"]
    assert base["verdict"] == "consistent"
    logistics = checks.loc[
        "Logistics cost: plan 6.4's cut against plan 8.1's share on the promised GMV"
    ]
    assert logistics["recomputed"] == pytest.approx((10 / 15 * 80 / 47.8 - 1) * 100)
    assert checks.loc["Overseas revenue share in three years: plan 8.1 against plan 6.2"][
        "verdict"
    ] == ("inconsistent")


def test_official_series_is_annual_and_final(series) -> None:
    assert list(series.index) == list(range(series.index.min(), series.index.max() + 1))
    assert series.index.max() < 2026
    assert (series > 0).all()


def test_gmv_outlook_gives_reproducible_odds(claims, evaluation) -> None:
    params = BenefitsParams(draws=2000)
    a = B.gmv_outlook(params, claims, evaluation)
    b = B.gmv_outlook(params, claims, evaluation)
    assert a.odds_end.probability == b.odds_end.probability
    assert 0 <= a.odds_rate.probability <= a.odds_end.probability <= 1  # 100.2 > 80
    assert a.odds_end.target_year == 2026
    assert a.forecast.median.index[-1] == 2026
    wide = B.gmv_outlook(BenefitsParams(draws=2000, confidence=0.99), claims, evaluation)
    assert wide.forecast.upper.iloc[-1] > a.forecast.upper.iloc[-1]
    assert a.odds_end.text == F.probability_text(a.odds_end.probability, a.odds_end.mc_se)


def test_the_promise_has_the_same_odds_as_in_chapter_3(claims, evaluation) -> None:
    """Plan 8.1's two statements are chapter 3's targets C8.1-03 (the end value) and
    C8.1-01 (the rate): one function gives both pages the same probability and words."""
    params = BenefitsParams(draws=3000, seed=4)
    outlook = B.gmv_outlook(params, claims, evaluation)
    table = T.targets_against_data(claims, draws=3000, seed=4, evaluation=evaluation)
    by_id = table.set_index("target_id")
    assert by_id.loc["C8.1-03", "probability"] == outlook.odds_end.probability
    assert by_id.loc["C8.1-01", "probability"] == outlook.odds_rate.probability
    assert by_id.loc["C8.1-03", "probability_text"] == outlook.odds_end.text
    assert by_id.loc["C8.1-03", "forecast_median"] == outlook.odds_end.median


def test_gmv_outlook_refuses_a_series_past_the_target(claims, series) -> None:
    longer = pd.concat([series, pd.Series([50.0] * 4, index=range(2023, 2027))])
    longer.attrs = series.attrs
    ahead = F.evaluate({"ecommerce_transaction_volume": longer}, min_train=7)
    with pytest.raises(ValueError, match="not after"):
        B.gmv_outlook(BenefitsParams(), claims, ahead)


def test_money_table_on_both_bases(claims) -> None:
    table = B.money_table(BenefitsParams(), claims).set_index("component")
    logistics = table.loc[BS.COMPONENTS["logistics"]]
    assert logistics["firm"] == pytest.approx(10_000 * 0.05)
    assert logistics["industry"] == pytest.approx(478_000 * 0.05)
    assert logistics["promise"] == "15% -> 10%"
    assert not table.loc[BS.COMPONENTS["commission"], "counted"]
    counted = B.money_table(BenefitsParams(commission_cut_as_benefit=True), claims)
    assert counted["counted"].all()


def test_headline_benefit(claims) -> None:
    full = 500 + 40 * 65 / 185 + 187.5
    assert B.headline_benefit(BenefitsParams(), claims) == pytest.approx(full)
    assert B.headline_benefit(BenefitsParams(benefit_realisation=0.5), claims) == pytest.approx(
        full / 2
    )
    assert B.headline_benefit(
        BenefitsParams(commission_cut_as_benefit=True), claims
    ) == pytest.approx(full + 300)


def test_not_monetised(claims) -> None:
    table = B.not_monetised(claims)
    assert set(table["metric"]) == {"delivery_time", "repurchase_rate", "gross_margin"}
    assert table.set_index("metric").loc["delivery_time", "promise"] == "48 -> 24 (hours)"


def test_social_table_rates(claims) -> None:
    table = B.social_table(claims, 3).set_index("promise")
    assert table.loc["Jobs created directly", "implied_rate"] == pytest.approx(50 / 3)
    assert table.loc["Jobs created directly", "horizon"] == "3 years, stated"
    packaging = table.loc["Packaging material cut"]
    assert packaging["implied_rate"] == pytest.approx((1 - 0.7 ** (1 / 3)) * 100)
    assert packaging["horizon"] == "3 years, assumed"
    assert table.loc["Industry trust index", "implied_rate"] == pytest.approx((85 - 62) / 3)
    assert math.isnan(table.loc["Elderly users", "implied_rate"])
    assert table.loc["Elderly users", "stated"] == "more than 1"
    cases = table[table["kind"] == "case_study"]
    assert cases["implied_rate"].isna().all() and len(cases) == 5
    longer = B.social_table(claims, 5).set_index("promise")
    assert longer.loc["Packaging material cut", "implied_rate"] < packaging["implied_rate"]
    assert longer.loc["Jobs created directly", "implied_rate"] == pytest.approx(50 / 3)


def test_social_ratios(claims) -> None:
    assert B.social_ratios(claims) == {"indirect_per_direct": 6.0, "indirect_per_merchant": 3.0}


def test_tornado_table(claims) -> None:
    table = B.tornado_table(BenefitsParams(), claims)
    assert "commission_cut_pp" not in set(table["driver"])
    assert table["swing"].is_monotonic_decreasing
    assert table["driver"].iloc[0] == "gmv"
    # the GMV base moves logistics and inventory: 25% down and up of (500 + 187.5)
    assert table["swing"].iloc[0] == pytest.approx(0.5 * (500 + 187.5))
    with_commission = B.tornado_table(BenefitsParams(commission_cut_as_benefit=True), claims)
    assert "commission_cut_pp" in set(with_commission["driver"])
    wider = B.tornado_table(BenefitsParams(sensitivity_range_pct=50), claims)
    assert wider["swing"].iloc[0] == pytest.approx(2 * table["swing"].iloc[0])


def scenario_params(names: list[str]) -> dict[str, BenefitsParams]:
    """The chapter's parameters under each named scenario file (as the page loads them)."""
    chapter = get_chapter("benefits")
    return {n: resolve(chapter, load_scenario(n, REPO / "scenarios")) for n in names}


def test_scenarios_side_by_side(claims, evaluation) -> None:
    names = ["baseline", "conservative", "aggressive"]
    scenarios = scenario_params(names)
    assert scenarios["baseline"] == BenefitsParams()
    table = B.scenario_comparison(claims, scenarios, evaluation).set_index("scenario")
    assert list(table.index) == names
    benefit = table["headline_benefit"]
    assert benefit["conservative"] < benefit["baseline"] < benefit["aggressive"]
    assert benefit["baseline"] == pytest.approx(B.headline_benefit(BenefitsParams(), claims))


def test_compute_names_the_page_numbers(claims) -> None:
    """The page's numbers by name, as the notebook glued them before they moved here."""
    scenarios = scenario_params(["baseline", "conservative", "aggressive"])
    r = B.compute(BenefitsParams(), claims, scenarios)
    assert (r.says.gmv_base, r.says.gmv_end, r.says.direct_jobs) == (47.8, 80.0, 500_000.0)
    assert (r.growth.base_year, r.growth.target_year, r.growth.gmv_years) == (2023, 2026, 3)
    assert r.growth.fc_median == pytest.approx(61.92396828380758)
    assert r.checks.n_hold_text == "1 of the 6 checks holds"
    assert r.checks.lt_promised_rise == pytest.approx(2.4)
    assert r.money.headline_benefit == pytest.approx(701.5540540540541)
    assert r.money.logistics_share_of_benefit == pytest.approx(71.2703457574882)
    assert r.social.direct_per_year == pytest.approx(500_000 / 3)
    assert (r.sensitivity.top_driver, r.sensitivity.last_driver) == (
        "GMV base",
        "acquisition cost cut",
    )
    assert r.sensitivity.top_swing == pytest.approx(343.75)
    assert (r.scenarios.scenario_low, r.scenarios.scenario_high) == ("conservative", "aggressive")
    assert list(r.scenarios.stack.index) == ["conservative", "baseline", "aggressive"]
    assert r.scenarios.stack.sum(axis=1).to_numpy() == pytest.approx(
        r.scenarios.table["headline_benefit"].to_numpy()
    )
    assert (
        r.words["p_benefit_scope"] == "'firm'" and r.words["d_commission_cut_as_benefit"] == "off"
    )


def test_headline_is_complete(claims) -> None:
    values = B.headline(BenefitsParams(), claims, evaluations=F.Evaluations())
    assert values["gmv_end_from_rate"] == pytest.approx(47.8 * 1.28**3)
    assert 0 <= values["p_meet_end_value_pct"] <= 100
    assert values["p_meet_stated_rate_pct"] <= values["p_meet_end_value_pct"]


@pytest.mark.slow
def test_parameters_move_the_glued_numbers(default_values, run_chapter) -> None:
    """Each model's glued number moves with its parameter: a bigger firm raises the
    headline benefit, a wider range the tornado's swing, a lower confidence narrows the
    forecast interval."""
    default = default_values("benefits")
    changed = run_chapter("benefits", firm_gmv=2.0, sensitivity_range_pct=50.0, confidence=0.6)
    assert changed["headline_benefit"] > default["headline_benefit"]
    assert changed["top_swing_pct"] > 1.8 * default["top_swing_pct"]
    assert changed["fc_upper"] < default["fc_upper"]
    assert changed["fc_median"] == pytest.approx(default["fc_median"])
