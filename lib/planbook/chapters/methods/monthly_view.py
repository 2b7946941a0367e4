"""The methods appendix's monthly section: what the monthly releases give, and how the
seasonal models do against seasonal benchmarks and against annual models."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from planbook.data import official
from planbook.data.book import load_labels
from planbook.methods.forecast import monthly as M
from planbook.methods.forecast import seasonal as S

#: Year-to-date series of the book's online series: (table, series, annual table, label).
YTD_SERIES: tuple[tuple[str, str, str, str], ...] = (
    ("online_retail_sales_ytd", "online_retail_sales_ytd", "online_retail_sales", "Online retail"),
    (
        "online_retail_sales_ytd",
        "physical_goods_online_retail_ytd",
        "physical_goods_online_retail",
        "Physical goods sold online",
    ),
)

#: The one official series published as single months: (table, series, annual table, label).
MONTHLY_SERIES = (
    "total_retail_sales_monthly",
    "total_retail_sales_month",
    "total_retail_sales",
    "Total retail sales (monthly)",
)

#: Consecutive releases a nested monthly evaluation needs: the first window and a year more.
RUN_NEEDED = S.MIN_TRAIN_MONTHS + M.SEASONS


def ytd_table(data_dir: Path | None = None) -> pd.DataFrame:
    """What each year-to-date series yields as single months (:func:`monthly.ytd_coverage`)."""
    rows = []
    for table, series, annual, label in YTD_SERIES:
        got = M.ytd_coverage(table, series, annual, data_dir)
        rows.append(
            {
                "series": label,
                "releases": got["releases"],
                "single_months": got["months"],
                "longest_run": got["run"],
                "run": f"{got['run_start']} to {got['run_end']}" if got["run"] else "none",
                "enough": got["run"] >= RUN_NEEDED,
            }
        )
    return pd.DataFrame(rows)


def monthly_evaluation(data_dir: Path | None = None) -> S.MonthlyEvaluation:
    """The nested evaluation of the monthly total retail sales (its longest run)."""
    table, series, _, label = MONTHLY_SERIES
    levels, unit = M.monthly_levels(table, series, data_dir)
    return S.evaluate_monthly(M.longest_run(levels), series, label, unit)


def sum_check(ev: S.MonthlyEvaluation, data_dir: Path | None = None) -> tuple[int, float]:
    """Years where the sum of the 11 releases meets an official annual level, and the
    largest relative gap between them (percent)."""
    totals = M.annual_totals(ev.months)
    annual = official.annual_series(MONTHLY_SERIES[2], data_dir=data_dir)
    common = totals.index.intersection(annual.index)
    if common.empty:
        return 0, float("nan")
    gap = (totals.loc[common] / annual.loc[common] - 1).abs() * 100
    return len(common), float(gap.max())


def method_words(name: str, data_dir: Path | None = None) -> str:
    """A forecasting method's name as the pages write it (its ``method`` row of
    ``data/book/labels.csv``; the name itself when it has none)."""
    table = load_labels(data_dir)
    found = table.loc[(table["kind"] == "method") & (table["name"] == name), "label"]
    return str(found.iloc[0]) if len(found) and found.iloc[0] else name


def monthly_fields(ev: S.MonthlyEvaluation, ytd: pd.DataFrame, years_checked: tuple) -> dict:
    """The monthly section's numbers, by the names the page glues."""
    choice, annual = ev.choice, ev.annual
    periods = pd.PeriodIndex(ev.months.index, freq="M")
    fields: dict[str, Any] = {
        "m_label": ev.label,
        "m_n": len(ev.months),
        "m_start": str(periods[0]),
        "m_end": str(periods[-1]),
        "m_origins": int(ev.oos["origin"].nunique()),
        "m_oos": choice.n_oos,
        "m_method": choice.method,
        "m_selected": choice.selected,
        "m_bench": choice.benchmark,
        "m_method_words": method_words(choice.method),
        "m_bench_words": method_words(choice.benchmark),
        "m_verdict": choice.verdict,
        "m_mase": choice.selected_mase,
        "m_bench_mase": choice.benchmark_mase,
        "m_ratio": choice.selected_mase / choice.benchmark_mase,
        "m_years_checked": years_checked[0],
        "m_sum_gap": years_checked[1],
        "m_ann_n": len(annual),
        "m_run_needed": RUN_NEEDED,
        "ytd_enough": int(ytd["enough"].sum()),
        "ytd_longest": int(ytd["longest_run"].max()),
        "ytd_months": int(ytd["single_months"].sum()),
    }
    for column in ("monthly", "monthly_benchmark", "annual_naive", "annual_drift"):
        value = annual[f"ape_{column}"].mean() if len(annual) else np.nan
        fields[f"m_ape_{column}"] = float(value)
    return fields


__all__ = [
    "MONTHLY_SERIES",
    "RUN_NEEDED",
    "YTD_SERIES",
    "monthly_evaluation",
    "method_words",
    "monthly_fields",
    "sum_check",
    "ytd_table",
]
