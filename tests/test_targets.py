"""Targets against the data: hand-made series and claims with answers known in advance."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planbook.data import plan as D
from planbook.errors import InputError
from planbook.methods import targets as T
from planbook.page import forecast_charts as FC

REPO = Path(__file__).resolve().parents[1]
YEARS = np.arange(2014, 2026)


def on_trend(year: int | np.ndarray) -> np.ndarray | float:
    """The exact exponential trend 100 * exp(0.1 * (year - 2014))."""
    return 100.0 * np.exp(0.1 * (np.asarray(year) - 2014))


def noisy_trend(unit: str = "trillion_yuan", label: str = "Test series") -> pd.Series:
    """The trend with +-2% noise on logs, none at the two ends: drift is exactly 0.1."""
    noise = 0.02 * np.tile([1.0, -1.0], 6)
    noise[0] = noise[-1] = 0.0
    series = pd.Series(on_trend(YEARS) * np.exp(noise), index=pd.Index(YEARS, name="year"))
    series.attrs = {"unit": unit, "label": label}
    return series


def claim(cid: str, metric: str, kind: str, period: str, value: float, unit: str, bound=None):
    section = cid[1:].split("-")[0]
    return {
        "id": cid,
        "chapter": int(section.split(".")[0]),
        "section": section,
        "metric": metric,
        "entity": "plan" if kind == "target" else "industry",
        "period": period,
        "kind": kind,
        "value": value,
        "unit": unit,
        "bound": bound,
    }


def test_target_on_the_trend_is_a_coin_toss_with_drift() -> None:
    series = noisy_trend()
    result = T.assess(series, float(on_trend(2028)), 2028, method="drift", draws=40_000)
    assert result["method"] == "drift"
    assert result["forecast_median"] == pytest.approx(on_trend(2028), rel=1e-9)
    assert result["probability"] == pytest.approx(0.5, abs=0.01)
    assert result["required_growth_pct"] == pytest.approx(math.expm1(0.1) * 100)
    assert result["historical_growth_pct"] == pytest.approx(math.expm1(0.1) * 100)
    assert (result["baseline_year"], result["n_obs"]) == (2025, 12)


def test_target_far_above_is_hopeless_and_a_ceiling_is_the_complement() -> None:
    series = noisy_trend()
    high = T.assess(series, 10 * float(on_trend(2028)), 2028, method="drift")
    assert high["probability"] == pytest.approx(0.0, abs=1e-3)
    low = T.assess(series, float(on_trend(2027)), 2028, method="drift", draws=20_000)
    ceiling = T.assess(series, float(on_trend(2027)), 2028, "le", method="drift", draws=20_000)
    assert low["probability"] > 0.9
    assert ceiling["probability"] == pytest.approx(1 - low["probability"], abs=0.02)


def test_an_observed_target_year_is_decided_by_the_data() -> None:
    series = noisy_trend()
    met = T.assess(series, 0.5 * series.loc[2024], 2024)
    missed = T.assess(series, 2 * series.loc[2024], 2024)
    assert (met["probability"], missed["probability"]) == (1.0, 0.0)
    assert met["method"] == "observed"
    assert met["forecast_median"] == series.loc[2024]
    assert met["baseline_year"] == 2023


def test_probability_moves_with_seed_draws_and_method_interval_with_level() -> None:
    series = noisy_trend()
    target = float(on_trend(2027))
    base = T.assess(series, target, 2027, method="drift", draws=2000, seed=0)
    assert T.assess(series, target, 2027, method="drift", draws=2000, seed=0) == base
    other_seed = T.assess(series, target, 2027, method="drift", draws=2000, seed=1)
    more_draws = T.assess(series, target, 2027, method="drift", draws=3000, seed=0)
    assert other_seed["probability"] != base["probability"]
    assert more_draws["probability"] != base["probability"]
    naive = T.assess(series, target, 2027, method="naive", draws=2000, seed=0)
    assert naive["probability"] < base["probability"]  # no growth: the target is further off
    narrow = T.assess(series, target, 2027, method="drift", draws=2000, seed=0, level=0.5)
    assert narrow["forecast_upper"] < base["forecast_upper"]
    assert narrow["forecast_lower"] > base["forecast_lower"]
    # The level only sets the reported interval, never the probability.
    assert narrow["probability"] == base["probability"]


def test_a_method_the_series_is_too_short_for_falls_back_to_auto() -> None:
    short = noisy_trend().iloc[-6:]
    result = T.assess(short, 300.0, 2027, method="ets_damped", draws=500)
    assert result["method"] != "ets_damped"
    assert "needs 8 observations" in result["method_note"]


def hand_claims(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


def test_level_target_is_converted_to_the_series_unit() -> None:
    claims = hand_claims(
        claim("C8.1-03", "gmv", "target", "3 years", 800_000.0, "100m_yuan"),
    )
    series = {"ecommerce_transaction_volume": noisy_trend()}
    out = T.targets_against_data(
        claims, method="drift", draws=1000, plan_base_year=2024, series=series
    )
    row = out.iloc[0]
    assert row["target_value"] == pytest.approx(80.0)
    assert row["target_year"] == 2027
    assert row["unit"] == "trillion_yuan"
    assert row["bound"] == "ge"
    assert row["description"] == "GMV: 80 trillion yuan in 3 years (plan 8.1)"
    assert list(out.columns) == list(T.COLUMNS)


def test_cagr_and_proxy_readings_and_bounds() -> None:
    claims = hand_claims(
        claim("C8.1-02", "gmv", "actual", "current", 50.0, "trillion_yuan"),
        claim("C8.1-01", "gmv_cagr", "target", "3 years", 10.0, "percent"),
        claim("C1.2-09", "lower_tier_users", "actual", "2023", 5.0, "100m_count"),
        claim("C6.2-07", "lower_tier_users", "target", "3 years", 10.0, "100m_count", "gt"),
        claim("C3.1-07", "lower_tier_users_cagr", "target", "3 years", 20.0, "percent"),
        claim("C3.3-05", "silver_users", "target", "3 years", 1.0, "100m_count", "gt"),
        claim("C8.1-03", "gmv", "target", "unspecified", 80.0, "trillion_yuan"),
    )
    users = noisy_trend("100m_persons", "Users")
    series = {"ecommerce_transaction_volume": noisy_trend(), "online_shoppers": users}
    out = T.targets_against_data(claims, method="drift", draws=1000, series=series)
    by_id = out.set_index("target_id")
    # No horizon, no official series: left out.
    assert set(by_id.index) == {"C8.1-01", "C6.2-07", "C3.1-07"}
    assert by_id.loc["C8.1-01", "target_value"] == pytest.approx(50.0 * 1.1**3)
    assert by_id.loc["C6.2-07", "target_value"] == pytest.approx(users.loc[2023] * 10 / 5)
    assert by_id.loc["C3.1-07", "target_value"] == pytest.approx(users.loc[2023] * 1.2**3)
    assert by_id.loc["C6.2-07", "description"].startswith("Lower-tier users: more than 1 billion")
    assert (out["target_year"] == 2026).all()
    assert out["probability"].is_monotonic_decreasing
    # A ceiling ("at most") far above the trend is near certain to hold.
    ceiling = hand_claims(
        claim("C8.1-03", "gmv", "target", "3 years", 900.0, "trillion_yuan", "le")
    )
    row = T.targets_against_data(ceiling, method="drift", draws=1000, series=series).iloc[0]
    assert row["bound"] == "le"
    assert row["probability"] > 0.99


def test_base_year_moves_the_target_year_and_the_probability() -> None:
    claims = hand_claims(claim("C8.1-03", "gmv", "target", "3 years", 366.0, "trillion_yuan"))
    series = {"ecommerce_transaction_volume": noisy_trend()}
    early = T.targets_against_data(claims, method="drift", draws=4000, series=series)
    late = T.targets_against_data(
        claims, method="drift", draws=4000, series=series, plan_base_year=2025
    )
    assert (early.loc[0, "target_year"], late.loc[0, "target_year"]) == (2026, 2028)
    assert late.loc[0, "probability"] > early.loc[0, "probability"]


def test_bad_parameters_are_refused_in_one_line() -> None:
    claims = hand_claims(
        claim("C1.2-09", "lower_tier_users", "actual", "2023", 5.0, "100m_count"),
        claim("C6.2-07", "lower_tier_users", "target", "3 years", 10.0, "100m_count"),
    )
    series = {"online_shoppers": noisy_trend("100m_persons")}
    with pytest.raises(InputError, match="method='magic'"):
        T.targets_against_data(claims, method="magic")
    with pytest.raises(InputError, match="level=1.5"):
        T.targets_against_data(claims, level=1.5)
    with pytest.raises(InputError, match="draws=0"):
        T.targets_against_data(claims, draws=0)
    with pytest.raises(InputError, match="plan_base_year=2030.*no official value"):
        T.targets_against_data(claims, plan_base_year=2030, series=series)


def test_horizon_years() -> None:
    assert T.horizon_years("5 years") == 5
    assert T.horizon_years("months 7-18") == 2
    assert T.horizon_years("years 3-4") == 4
    assert T.horizon_years("annual") is None


@pytest.fixture(scope="module")
def real() -> pd.DataFrame:
    return T.targets_against_data(D.load_claims(REPO / "data"), draws=4000)


def test_the_plans_targets_against_official_series(real) -> None:
    assert list(real.columns) == list(T.COLUMNS)
    assert set(real["target_id"]) == {"C8.1-01", "C8.1-03", "C6.2-07", "C3.1-07"}
    gmv = real.set_index("target_id").loc["C8.1-03"]
    assert gmv["target_value"] == pytest.approx(80.0)
    assert gmv["target_year"] == 2026
    assert gmv["baseline_year"] == 2022  # the last official transaction volume
    assert gmv["required_growth_pct"] == pytest.approx(((80 / 43.83) ** 0.25 - 1) * 100)
    assert real["probability"].between(0, 1).all()
    assert (real["forecast_lower"] <= real["forecast_median"]).all()
    assert real["note"].str.len().gt(0).all()


def test_plot_targets_is_a_finished_chart(real) -> None:
    fig, ax = FC.plot_targets(real)
    assert ax.get_title(loc="left").startswith("Probability")
    assert "%" in ax.get_xlabel()
    assert any("Source" in t.get_text() for t in fig.texts)
    assert len(ax.patches) == len(real)
    with pytest.raises(InputError):
        FC.plot_targets(real.iloc[0:0])
