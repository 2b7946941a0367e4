"""One function computes each official forecast, and every page that shows it agrees."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from planbook.chapters import market, methods
from planbook.chapters.benefits.result import growth_promise
from planbook.data import plan as D
from planbook.engine.params import validate_params
from planbook.errors import InputError
from planbook.methods import forecast as F
from planbook.methods import targets as T

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return D.load_claims(REPO / "data")


@pytest.fixture(scope="module")
def evaluation() -> F.Evaluation:
    return F.evaluate_official()


def test_chapter_1_and_the_methods_appendix_show_the_same_online_forecast(
    claims, evaluation
) -> None:
    """Chapter 1 once forecast online retail with ets_damped (window 8) while the appendix
    chose arima (window 7); both now call official_forecast on one evaluation."""
    view = market.outlook(validate_params("market", {}), claims, evaluation)
    appendix = validate_params("methods", {})
    assert (appendix.backtest_min_train, appendix.horizon) == (
        F.DEFAULT_MIN_TRAIN,
        F.BACKTEST_HORIZON,
    )
    summary = evaluation.summary.set_index("series")
    assert view.online_forecast.method == summary.loc["online_retail_sales", "method"]
    direct = F.official_forecast(evaluation, "online_retail_sales", view.end_year, 0.9)
    pd.testing.assert_series_equal(view.online_forecast.median, direct.result.median)
    pd.testing.assert_series_equal(view.online_forecast.upper, direct.result.upper)
    example = methods.result._example(appendix, evaluation)
    assert example["ex_method"] == view.online_forecast.method
    assert example["ex_median"] == view.online_forecast.median.loc[example["ex_year"]]
    assert example["ex_upper"] == view.online_forecast.upper.loc[example["ex_year"]]


def test_transaction_volume_has_one_forecast_in_chapters_1_3_and_8(claims, evaluation) -> None:
    view = market.outlook(validate_params("market", {}), claims, evaluation)
    growth = growth_promise(validate_params("benefits", {}), claims, evaluation)
    table = T.targets_against_data(claims, evaluation=evaluation).set_index("target_id")
    year = growth.target_year
    assert growth.forecast.method == view.volume_forecast.method
    assert growth.fc_median == view.volume_forecast.median.loc[year]
    assert growth.fc_upper == view.volume_forecast.upper.loc[year]
    assert table.loc["C8.1-03", "forecast_median"] == growth.fc_median
    assert table.loc["C8.1-03", "probability_text"] == growth.p_end_text
    assert table.loc["C8.1-01", "probability_text"] == growth.p_rate_text


def test_the_method_is_a_model_only_where_it_beat_the_benchmarks(evaluation) -> None:
    for key, choice in evaluation.choices.items():
        fc = F.official_forecast(evaluation, key, 2030, 0.8)
        assert fc.method == choice.method
        if choice.method in F.BENCHMARKS:
            assert "benchmark" in fc.how
        else:
            assert choice.uses_model and "beat the simple benchmarks" in fc.how
        assert fc.result.distribution.spread == fc.factor


def test_a_set_method_is_used_and_falls_back_when_the_series_is_too_short(evaluation) -> None:
    fc = F.official_forecast(evaluation, "online_retail_sales", 2028, 0.9, "ets_damped")
    assert (fc.method, fc.how) == ("ets_damped", "ets_damped, as set")
    assert fc.factor == F.calibration.factor_for(evaluation.factors, "ets_damped")[0]
    short = F.official_forecast(evaluation, "cross_border_ecommerce", 2028, 0.9, "ets_damped")
    assert short.method == evaluation.choices["cross_border_ecommerce"].method
    assert short.how.startswith("ets_damped needs 8 observations")
    with pytest.raises(InputError, match="forecast_method='magic'"):
        F.official_forecast(evaluation, "online_retail_sales", 2028, 0.9, "magic")
    with pytest.raises(InputError, match="not after the last year"):
        F.official_forecast(evaluation, "online_retail_sales", 2020, 0.9)
    with pytest.raises(InputError, match="no evaluated series"):
        F.official_forecast(evaluation, "gmv", 2028, 0.9)
