"""The methods appendix's page result: its numbers by name."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planbook.chapters import methods
from planbook.data import plan as data
from planbook.engine.params import MethodsParams


@pytest.fixture(scope="module")
def appendix() -> methods.MethodsAppendix:
    return methods.compute(MethodsParams(draws=1_000), data.load_claims())


@pytest.mark.slow
def test_series_and_backtests_are_the_page_numbers(appendix) -> None:
    # the values the page glued before the chapter computed them (default parameters)
    assert (appendix.n_series, appendix.n_slowed, appendix.break_year) == (6, 6, 2020)
    assert appendix.online_gap_official == pytest.approx(7.2)
    assert appendix.online_gap_levels == pytest.approx(0.6229580459472084)
    assert (appendix.n_beats, appendix.n_ties, appendix.n_bench) == (2, 1, 3)
    assert (appendix.or_n, appendix.or_origins) == (12, 5)
    assert (appendix.or_chosen, appendix.or_bench) == ("arima", "naive")
    assert appendix.or_mase == pytest.approx(1.4608282781560866)
    assert (appendix.max_gap_year, appendix.year_before) == (2017, 2019)
    assert (appendix.g_before, appendix.g_break, appendix.g_after) == (16.5, 10.9, 14.1)
    assert (appendix.n_max, appendix.n_min, appendix.n_flagged) == (12, 6, 8)
    assert (appendix.n_claims, appendix.n_targets, appendix.n_actuals) == (457, 207, 120)
    assert appendix.n_rules == 12


@pytest.mark.slow
def test_the_worked_example(appendix) -> None:
    assert (appendix.ex_year, appendix.ex_start, appendix.ex_method) == (2028, 2014, "arima")
    assert appendix.ex_threshold == pytest.approx(25.374439669210872)
    assert appendix.ex_median == pytest.approx(20.084481193706818)
    assert appendix.ex_p_exact == pytest.approx(12.058936124446495)
    assert len(appendix.ex_draws) == appendix.draws == 1_000
    # the simulated share above the threshold is the probability the page quotes
    share = 100 * np.mean(appendix.ex_draws >= appendix.ex_threshold)
    assert abs(share - appendix.ex_p) < 5


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
