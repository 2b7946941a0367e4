"""The methods appendix's page result: its numbers by name."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planbook.chapters import methods
from planbook.data import plan as data
from planbook.engine.params import MethodsParams
from planbook.methods.audit import CHECK_SPECS, RULES


@pytest.fixture(scope="module")
def appendix() -> methods.MethodsAppendix:
    return methods.compute(MethodsParams(draws=1_000), data.load_claims())


@pytest.mark.slow
def test_series_and_backtests_are_the_page_numbers(appendix) -> None:
    # the values the page glued before the chapter computed them (default parameters)
    assert (appendix.n_series, appendix.n_slowed, appendix.break_year) == (6, 6, 2020)
    assert appendix.online_gap_official == pytest.approx(7.2)
    assert appendix.online_gap_levels == pytest.approx(0.6229580459472084)
    assert (appendix.or_n, appendix.or_origins) == (12, 5)
    assert (appendix.max_gap_year, appendix.year_before) == (2017, 2019)
    assert (appendix.g_before, appendix.g_break, appendix.g_after) == (16.5, 10.9, 14.1)
    assert (appendix.n_max, appendix.n_min) == (12, 6)
    claims = data.load_claims()
    kinds = claims["kind"].value_counts()
    assert (appendix.n_claims, appendix.n_targets, appendix.n_actuals) == (
        len(claims),
        kinds["target"],
        kinds["actual"],
    )
    assert (appendix.n_claims, appendix.n_targets, appendix.n_actuals) == (458, 208, 120)
    assert appendix.n_rules == len(RULES) + len(CHECK_SPECS)  # the one engine's specs


@pytest.mark.slow
def test_nested_verdicts_are_the_summary(appendix) -> None:
    summary = appendix.summary.set_index("series")
    beats = summary["verdict"] == "a model beats the benchmarks"
    assert appendix.n_model_used == int(beats.sum())
    assert appendix.n_oos == summary["n_oos"].sum()
    online = summary.loc["online_retail_sales"]
    assert appendix.or_method == online["method"]
    assert appendix.or_mase == pytest.approx(online["selected_MASE"])
    # the book uses a model only where the verdict says so
    for key, row in summary.iterrows():
        uses_model = row["method"] not in ("naive", "drift", "mean_log_growth")
        assert uses_model == (row["verdict"] == "a model beats the benchmarks"), key


@pytest.mark.slow
def test_calibrated_coverage_is_within_five_points_of_nominal(appendix) -> None:
    assert abs(appendix.cov_cal_80 - 80) <= 5
    assert abs(appendix.cov_cal_90 - 90) <= 5
    assert appendix.cov_raw_80 < appendix.cov_cal_80
    pooled = appendix.coverage.set_index("series").loc["all"]
    assert pooled["n"] == len(appendix.evaluation.rows)


@pytest.mark.slow
def test_monthly_section(appendix) -> None:
    assert (appendix.m_n, appendix.m_start, appendix.m_end) == (70, "2012-02", "2018-05")
    assert appendix.m_sum_gap < 0.01  # the 11 releases add up to the official annual totals
    assert appendix.ytd_enough == 0 and appendix.ytd_longest < appendix.m_run_needed
    assert appendix.m_ratio == pytest.approx(appendix.m_mase / appendix.m_bench_mase)
    assert appendix.m_ann_n == len(appendix.monthly.annual)


@pytest.mark.slow
def test_the_worked_example(appendix) -> None:
    assert (appendix.ex_year, appendix.ex_start) == (2028, 2014)
    assert appendix.ex_method == appendix.or_method
    assert appendix.ex_threshold == pytest.approx(25.374439669210872)
    assert len(appendix.ex_draws) == appendix.draws == 1_000
    # the simulated share above the threshold is the probability the page quotes
    share = 100 * np.mean(appendix.ex_draws >= appendix.ex_threshold)
    assert abs(share - appendix.ex_p) < 5
    assert abs(appendix.ex_p - appendix.ex_p_exact) < 4 * appendix.ex_se + 1e-9


def test_small_helpers() -> None:
    years = pd.Index(range(2010, 2016), name="year")
    speeding = pd.Series(np.exp(np.cumsum([0, 0.1, 0.1, 0.3, 0.3, 0.3])), index=years)
    slowing = pd.Series(np.exp(np.cumsum([0, 0.3, 0.3, 0.1, 0.1, 0.1])), index=years)
    assert not methods.slowed(speeding)
    assert methods.slowed(slowing)
    assert list(methods.claims_schema()["column"])[:2] == ["id", "chapter"]
    # plain types by name: "<class 'str'>" would read as an (empty) tag on the page
    assert list(methods.claims_schema()["type"])[:2] == ["str", "int"]
    assert list(methods.rules_listing().columns) == ["rule", "what it checks"]


def test_the_choice_sentence_has_no_zero_counts() -> None:
    from planbook.chapters.methods.result import _choice_sentence

    assert _choice_sentence(0, 0, 12, 12) == (
        "No series uses a model. On all the data the backtest picks a benchmark for every series"
    )
    assert _choice_sentence(1, 3, 9, 12) == (
        "A model is used for 1 series. On all the data the backtest picks a model for "
        "3 series and a benchmark for 9 series"
    )
