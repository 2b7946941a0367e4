"""Chapter 1 computations against hand-computed values from the claims table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from planbook.chapters import market as M
from planbook.data import plan as D
from planbook.engine.params import validate_params
from planbook.errors import InputError

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return D.load_claims(REPO / "data")


def test_headline_sizes_in_trillion_yuan(claims) -> None:
    sizes = M.headline_sizes(claims).set_index("measure")["value"]
    assert sizes["E-commerce transaction volume"] == 47.8
    assert sizes["Fresh-food e-commerce GMV"] == pytest.approx(0.5234)
    assert list(sizes) == sorted(sizes, reverse=True)


def test_share_shifts_imply_2020_levels(claims) -> None:
    shifts = M.share_shifts(claims).set_index("measure")["share_2020_implied"]
    assert shifts["Online share of total retail"] == pytest.approx(26.3 - 8.1)
    assert shifts["B2C share of e-commerce"] == pytest.approx(58.3 - 12.4)
    assert shifts["Lower-tier cities' share of GMV"] == pytest.approx(42.6 - 15.8)


def test_category_mix_sums_to_100(claims) -> None:
    mix = M.category_mix(claims)
    assert mix["share_pct"].sum() == pytest.approx(100)
    assert mix["share_pct"].iloc[-1] == pytest.approx(100 - 22.1 - 18.7 - 15.3)


def test_internal_checks(claims) -> None:
    checks = M.internal_checks(claims, 0.5, 2.0).set_index("check")
    cagr = checks.loc["CAGR 2020-2023 against cumulative growth"]
    assert cagr["recomputed"] == pytest.approx(1.653 ** (1 / 3) * 100 - 100)
    assert cagr["verdict"] == "within tolerance"
    live = checks.loc["Online retail implied by live commerce and its share"]
    assert live["recomputed"] == pytest.approx(4.9 / 0.342)
    assert live["verdict"] == "within tolerance"
    assert checks.loc["Core category shares sum to at most 100%", "recomputed"] == pytest.approx(
        56.1
    )
    strict = M.internal_checks(claims, 0.1, 0.1).set_index("check")
    assert strict.loc["CAGR 2020-2023 against cumulative growth", "verdict"] == "inconsistent"


def test_official_comparison(claims) -> None:
    idx = pd.Index([2020, 2023], name="year")
    tv = pd.Series([37.21, float("nan")], index=idx)
    online = pd.Series([11.7601, 15.4264], index=idx)
    total = pd.Series([39.1981, 47.1495], index=idx)
    share = pd.Series([24.9, 27.6], index=idx)
    users = pd.Series([7.82, 9.15], index=idx)
    for series, measure in [(tv, "level"), (online, "level"), (total, "level")]:
        series.attrs["measure"] = measure
    share.attrs["measure"], users.attrs["measure"] = "share_pct", "level"
    table = M.official_comparison(claims, tv, online, total, share, users)
    assert table.loc[0, "plan"] == pytest.approx(47.8 / 1.653)
    assert table.loc[0, "difference_pct"] == pytest.approx((47.8 / 1.653 - 37.21) / 37.21 * 100)
    assert table.loc[2, "plan"] == pytest.approx(14.4 / 0.263)
    assert table.loc[4, "official"] == pytest.approx(15.4264 / 47.1495 * 100)
    assert table.loc[5, "plan"] == pytest.approx(18.2)
    assert table.loc[6, "plan"] == pytest.approx(6.2 / 0.587)
    # every official figure says its basis: the plan's levels meet published levels
    assert list(table["official_basis"]) == [
        "published levels",
        "published levels",
        "published levels",
        "published shares",
        "ratio of published levels",
        "published shares",
        "published levels",
    ]


def test_official_comparison_needs_official_series(claims) -> None:
    bare = pd.Series([1.0], index=pd.Index([2023], name="year"))
    with pytest.raises(InputError, match="no basis or measure"):
        M.official_comparison(claims, bare, bare, bare, bare, bare)


def test_plan_path_runs_through_its_own_figures(claims) -> None:
    path = M.plan_path(claims, 2026)
    assert path.loc[2020] == pytest.approx(47.8 / 1.653)
    assert path.loc[2023] == pytest.approx(47.8)
    assert path.loc[2026] == pytest.approx(47.8 * 1.184**3)


def test_official_tables_are_in_the_order_official_comparison_takes() -> None:
    tables = M.official_tables()
    names = [t.attrs["series"] for t in tables]
    assert names == [
        "ecommerce_transaction_volume",
        "online_retail_sales",
        "total_retail_sales",
        "physical_goods_online_retail",
        "online_shoppers",
    ]
    assert tables[3].attrs["measure"] == "share_pct"


def test_outlook_forecasts_both_series_to_the_same_year(claims) -> None:
    params = validate_params("market", {"forecast_method": "drift", "forecast_horizon": 2})
    view = M.outlook(params, claims)
    assert view.end_year == int(view.online.index.max()) + 2
    assert view.online_forecast.years[-1] == view.volume_forecast.years[-1] == view.end_year
    assert view.online_choice == view.volume_choice == "drift, as set"
    assert view.volume_2023.target_year == 2023
    assert view.volume_2023.target_value == 47.8
    assert view.volume.index.min() == 2016  # report figures only


def test_outlook_falls_back_when_the_method_needs_more_years(claims) -> None:
    params = validate_params("market", {"forecast_method": "ets_damped", "history_start": 2017})
    view = M.outlook(params, claims)
    assert view.online_choice == "ets_damped, as set"  # 2017-2025: 9 years
    assert view.volume_choice.startswith("ets_damped needs 8 observations")
    assert view.volume_forecast.method != "ets_damped"


def test_headline_matches_the_chapter_functions(claims) -> None:
    params = validate_params("market", {})
    numbers = M.headline(params, claims)
    assert list(numbers) == [
        "cagr_recomputed_pct",
        "tv_2020_implied",
        "total_retail_2023_implied",
        "users_implied",
        "online_forecast_median_end",
        "tv_probability_2023_pct",
    ]
    assert numbers["cagr_recomputed_pct"] == pytest.approx(1.653 ** (1 / 3) * 100 - 100)
    assert numbers["tv_2020_implied"] == pytest.approx(47.8 / 1.653)
    assert numbers["users_implied"] == pytest.approx(6.2 / 0.587)
    view = M.outlook(params, claims)
    assert numbers["online_forecast_median_end"] == view.online_forecast.median.iloc[-1]
    assert 0 <= numbers["tv_probability_2023_pct"] <= 100
    drift = {"forecast_method": "drift"}
    near = M.headline(validate_params("market", drift), claims)
    wider = M.headline(validate_params("market", drift | {"forecast_horizon": 5}), claims)
    assert wider["online_forecast_median_end"] > near["online_forecast_median_end"]


@pytest.fixture(scope="module")
def default_result(claims) -> M.MarketResult:
    """Chapter 1's page at the defaults, computed once for the tests that read it."""
    return M.compute(validate_params("market", {}), claims)


def test_compute_names_every_number_of_the_page(default_result) -> None:
    result = default_result
    assert result.tv_2023 == 47.8
    assert result.online_share_2020 == pytest.approx(26.3 - 8.1)
    assert result.lower_tier_gmv_2023 == 42.6
    assert result.core_categories == pytest.approx(22.1 + 18.7 + 15.3)
    assert result.other_categories == pytest.approx(100 - 56.1)
    assert result.cagr_recomputed == pytest.approx(1.653 ** (1 / 3) * 100 - 100)
    assert result.ch1_checks == 4 and result.cagr_verdict == "within tolerance"
    assert result.tv_2020_plan == pytest.approx(47.8 / 1.653)
    assert result.total_2023_plan == pytest.approx(14.4 / 0.263)
    assert result.users_plan == pytest.approx(6.2 / 0.587)
    assert result.tv_last_official_year == int(result.tv_official.index.max())
    assert result.online_end_year == result.outlook.end_year
    assert result.plan_path_end == result.plan_path.loc[result.online_end_year]
    assert result.online_fc_lower <= result.online_fc_median <= result.online_fc_upper
    assert list(result.claims.columns) == M.CLAIM_COLUMNS
    assert len(result.claims) == result.ch1_claims


def test_the_plan_level_meets_published_levels_not_the_index(default_result) -> None:
    """The online forecast runs on a chain-linked index that meets the published level only
    in its anchor year; the plan's 2023 level is compared with the published level, and
    the page names the index and its gap so that the chart cannot be misread."""
    result = default_result
    anchor = result.online_anchor_year
    assert result.outlook.online.loc[anchor] == pytest.approx(result.online_official.loc[anchor])
    assert (
        result.online_basis.startswith("chain-linked index") and str(anchor) in result.online_basis
    )
    index_2023 = result.outlook.online.loc[2023]
    assert result.online_2023_index == index_2023 != pytest.approx(result.online_2023_official)
    assert result.online_2023_gap == pytest.approx(
        (14.4 - result.online_2023_official) / result.online_2023_official * 100
    )
    assert result.online_2023_gap_index == pytest.approx((14.4 - index_2023) / index_2023 * 100)
    basis = result.comparison.set_index("figure")["official_basis"]
    assert basis[M.FIGURES["online_2023"]] == "published levels"


@pytest.mark.slow
def test_confidence_moves_the_glued_interval(default_values, run_chapter) -> None:
    """A narrower interval level gives a lower upper bound on the page (not a stale one)."""
    default = default_values("market")
    narrower = run_chapter("market", confidence=0.6)
    assert narrower["online_fc_upper"] < default["online_fc_upper"]
    assert narrower["online_fc_median"] == pytest.approx(default["online_fc_median"])


def test_the_last_transaction_volume_says_whether_it_checks_2023() -> None:
    import pandas as pd

    from planbook.chapters.market.result import _last_sentence

    published = pd.Series([37.21, 43.83, 46.41], index=[2020, 2022, 2024])
    text = _last_sentence(published)
    assert text.startswith("The official series has no figure for 2023; its last figure is")
    assert "for 2024 (46.41 trillion yuan, a level found in one copy only" in text
    assert text.endswith("cannot be checked directly.")
    full = pd.Series([43.83, 46.0], index=[2022, 2023])
    assert _last_sentence(full) == (
        "The official series gives 2023 directly; its last figure is for 2023 "
        "(46.00 trillion yuan, the latest published level)."
    )
