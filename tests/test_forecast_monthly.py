"""Monthly data: year-to-date to single months (NBS January-February rule), months back to
years, and the seasonal models on series with known answers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from planbook.methods.forecast import monthly as M
from planbook.methods.forecast import seasonal as S


def releases(years: range, level: float = 10.0, growth: float = 0.0) -> pd.Series:
    """11 releases a year on the NBS calendar: January-February twice a month's size, then
    a fixed seasonal pattern, growing by ``growth`` (log) a year."""
    pattern = np.array([2.0, 1.0, 0.9, 1.0, 1.0, 0.95, 1.0, 1.05, 1.1, 1.2, 1.4])
    index, values = [], []
    for i, year in enumerate(years):
        for season, month in enumerate([2, *range(3, 13)]):
            index.append(pd.Period(f"{year}-{month:02d}", "M"))
            values.append(level * pattern[season] * math.exp(growth * i))
    return pd.Series(values, index=pd.PeriodIndex(index, freq="M"))


def test_january_february_is_one_release_and_later_months_are_differences() -> None:
    ytd = pd.Series(
        [10.0, 14.0, 19.0, 30.0, 12.0, 17.0],
        index=["2024-02", "2024-03", "2024-04", "2024-06", "2025-02", "2025-03"],
    )
    months = M.single_months(ytd)
    assert [str(p) for p in months.index] == ["2024-02", "2024-03", "2024-04", "2025-02", "2025-03"]
    # Feb = Jan+Feb as published; Mar = 14 - 10; Apr = 19 - 14; June has no May: left out;
    # 2025-02 is not the difference from 2024's last release (a new year starts at zero)
    assert months.tolist() == [10.0, 4.0, 5.0, 12.0, 5.0]


def test_the_annual_figure_stands_in_for_december() -> None:
    ytd = pd.Series([100.0], index=["2023-11"])
    annual = pd.Series([112.0], index=[2023])
    months = M.single_months(ytd, annual)
    assert months.loc[pd.Period("2023-12", "M")] == pytest.approx(12.0)
    # a December year-to-date figure already published wins over the annual one
    both = M.single_months(pd.Series([100.0, 111.0], index=["2023-11", "2023-12"]), annual)
    assert both.loc[pd.Period("2023-12", "M")] == pytest.approx(11.0)


def test_bad_year_to_date_input_is_refused() -> None:
    with pytest.raises(ValueError, match="January and February together"):
        M.single_months(pd.Series([5.0, 10.0], index=["2024-01", "2024-02"]))
    with pytest.raises(ValueError, match="falls from 2024-03 to 2024-04"):
        M.single_months(pd.Series([10.0, 14.0, 13.0], index=["2024-02", "2024-03", "2024-04"]))
    with pytest.raises(ValueError, match="appears twice"):
        M.single_months(pd.Series([10.0, 11.0], index=["2024-02", "2024-02"]))


def test_seasons_and_runs_follow_the_nbs_calendar() -> None:
    assert [M.season(pd.Period(f"2024-{m:02d}", "M")) for m in (2, 3, 12)] == [0, 1, 10]
    months = releases(range(2020, 2022))
    assert len(M.longest_run(months)) == 22  # December 2020 is followed by February 2021
    gappy = months.drop(pd.Period("2021-05", "M"))
    assert len(M.longest_run(gappy)) == 14  # 2020-02 to 2021-04


def test_monthly_to_annual_aggregation() -> None:
    months = releases(range(2019, 2022), level=3.0)
    totals = M.annual_totals(months)
    assert totals.index.tolist() == [2019, 2020, 2021]
    assert totals.loc[2020] == pytest.approx(3.0 * 12.6)  # the pattern sums to 12.6
    partial = months.iloc[:-1]  # December 2021 missing: 2021 is incomplete
    assert M.annual_totals(partial).index.tolist() == [2019, 2020]
    # single months from year-to-date totals add back to the annual figure
    ytd = months.groupby(months.index.year).cumsum()
    back = M.single_months(pd.Series(ytd.to_numpy(), index=ytd.index))
    np.testing.assert_allclose(M.annual_totals(back), totals, rtol=1e-12)


def test_seasonal_benchmarks_are_exact_on_exact_series() -> None:
    flat = np.log(releases(range(2018, 2021)).to_numpy())
    loc, scale = S.forecast_monthly(flat, "snaive", 11)
    np.testing.assert_allclose(loc, flat[-11:], rtol=1e-12)
    np.testing.assert_allclose(scale, 0.0, atol=1e-12)
    growing = np.log(releases(range(2018, 2021), growth=0.08).to_numpy())
    loc, _ = S.forecast_monthly(growing, "snaive_drift", 13)
    expected = np.log(releases(range(2018, 2023), growth=0.08).to_numpy())[33:46]
    np.testing.assert_allclose(loc, expected, rtol=1e-12)
    with pytest.raises(ValueError, match="two years"):
        S.forecast_monthly(flat[:15], "snaive", 3)


def test_seasonal_models_evaluate_and_add_up_to_years() -> None:
    """Seasonal series growing 8% a year with noise: the evaluation runs nested, every
    seasonal model tracks it, and the annual totals of the forecasts are close."""
    rng = np.random.default_rng(5)
    months = releases(range(2012, 2019), growth=0.08)
    months = months * np.exp(rng.normal(0, 0.01, len(months)))
    ev = S.evaluate_monthly(months, "test", "Test series", "trillion_yuan")
    assert set(ev.backtest.rows["method"]) == set(S.MONTHLY_METHODS)
    assert ev.choice.n_oos > 0 and ev.pooled["selected_MASE"] < 1.0
    assert ev.choice.benchmark in S.MONTHLY_BENCHMARKS
    assert len(ev.annual) >= 3
    assert (ev.annual["ape_monthly"] < 3.0).all()
    assert (ev.annual["known"].isin([0, 5])).all()  # December and June origins
    # the snaive forecast of a year is last year's total
    assert ev.annual["annual_naive"].iloc[0] == pytest.approx(
        M.annual_totals(months).loc[ev.annual["year"].iloc[0] - 1]
    )
