"""The methods appendix: its key numbers, from the backtests of the official series.

The official series, the backtest table and the comparison with the benchmarks are methods
in their own right (:mod:`planbook.methods.forecast`, modules ``official_data`` and
``evaluation``); this module only reduces them to the numbers the appendix page reports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from planbook.data import official
from planbook.data.plan import ClaimRow
from planbook.methods import audit
from planbook.methods import forecast as F

__all__ = [
    "EXAMPLE_SERIES",
    "GAP_YEAR",
    "MethodsAppendix",
    "claims_schema",
    "compute",
    "final_gaps",
    "growth_by_series",
    "headline",
    "rules_listing",
    "series_inventory",
    "slowed",
]

EXAMPLE_SERIES = "online_retail_sales"
"""The series the page works through (the longest, and the one the plan leans on most)."""

GAP_YEAR = 2024
"""The year whose gap between published levels and the official rate the page quotes."""


def headline(
    params: object, claims: pd.DataFrame | None = None, *, table: pd.DataFrame | None = None
) -> dict[str, float]:
    """The methods appendix's key numbers under ``params`` (a ``MethodsParams``).

    Parameters
    ----------
    params : MethodsParams
        ``history_start``, ``backtest_min_train``, ``horizon``, ``level`` and ``seed``.
    claims : pandas.DataFrame, optional
        Unused (the numbers come from official series); kept for the common signature.
    table : pandas.DataFrame, optional
        A :func:`~planbook.methods.forecast.backtest_table` already computed under ``params``,
        to save recomputing it (2-4 s).

    Returns
    -------
    dict
        ``series_backtested``; ``series_model_beats_benchmarks`` (verdict "beats the
        benchmarks"); ``median_mase_ratio``; ``chosen_coverage_pct`` (mean over series,
        against the nominal ``level``); ``online_retail_chosen_mase`` and
        ``online_retail_benchmark_mase``.
    """
    if table is None:
        table = F.backtest_table(
            F.official_series_all(params.history_start),
            min_train=params.backtest_min_train,
            horizon=params.horizon,
            level=params.level,
            seed=params.seed,
        )
    summary = F.benchmark_comparison(table).set_index("series")
    return {
        "series_backtested": float(len(summary)),
        "series_model_beats_benchmarks": float(
            (summary["verdict"] == "beats the benchmarks").sum()
        ),
        "median_mase_ratio": float(summary["mase_ratio"].median()),
        "chosen_coverage_pct": float(summary["chosen_coverage"].mean() * 100),
        "online_retail_chosen_mase": float(summary.loc["online_retail_sales", "chosen_MASE"]),
        "online_retail_benchmark_mase": float(summary.loc["online_retail_sales", "benchmark_MASE"]),
    }


# --------------------------------------------------------------------------- the page


@dataclass(frozen=True)
class MethodsAppendix:
    """Everything the methods appendix shows, named as the page refers to it.

    Numbers and text are glued under their field names; the tables, the growth series and
    the example's simulated draws are shown.
    """

    # the methods and how one is chosen
    break_year: int
    n_benchmarks: int
    min_train: int
    horizon: int
    min_origins: int
    level_pct: float
    # the official series
    n_series: int
    n_slowed: int
    online_gap_official: float
    online_gap_levels: float
    # the backtests against the benchmarks
    n_beats: int
    n_ties: int
    n_bench: int
    median_ratio: float
    or_n: int
    or_origins: int
    or_chosen: str
    or_mase: float
    or_bench: str
    or_bench_mase: float
    short_series: str
    chosen_coverage: float
    last_step_min: float
    last_step_max: float
    last_step_n: int
    # a probability, step by step
    draws: int
    ex_year: int
    ex_start: int
    ex_growth: float
    ex_threshold: float
    ex_method: str
    ex_median: float
    ex_lower: float
    ex_upper: float
    ex_p: float
    ex_p_exact: float
    ex_se: float
    # what the forecasts cannot know
    n_max: int
    n_min: int
    n_by_series: str
    max_gap: float
    max_gap_year: int
    g_before: float
    g_break: float
    g_after: float
    year_before: int
    n_flagged: int
    flagged_list: str
    # the claims and the audit
    n_claims: int
    n_targets: int
    n_actuals: int
    n_rules: int
    seed: int
    history_start: int
    # tables
    methods: pd.DataFrame = field(repr=False)
    series: dict[str, pd.Series] = field(repr=False)
    inventory: pd.DataFrame = field(repr=False)
    growth: dict[str, pd.Series] = field(repr=False)
    table: pd.DataFrame = field(repr=False)
    summary: pd.DataFrame = field(repr=False)
    ex_draws: np.ndarray = field(repr=False)
    schema: pd.DataFrame = field(repr=False)
    rules: pd.DataFrame = field(repr=False)


def series_inventory(series: Mapping[str, pd.Series]) -> pd.DataFrame:
    """One row per official series: label, basis, years, size, unit, why and detail."""
    return pd.DataFrame(
        [
            {
                "series": s.attrs["label"],
                "basis": s.attrs["basis"].replace("_", " "),
                "years": f"{s.index.min()}-{s.index.max()}",
                "n_obs": len(s),
                "unit": s.attrs["unit"],
                "why": s.attrs["why"],
                "detail": s.attrs["detail"],
            }
            for s in series.values()
        ]
    )


def slowed(series: pd.Series) -> bool:
    """Whether a series grew more slowly (mean log growth) in its second half than its first."""
    growth = np.diff(np.log(series.to_numpy()))
    return bool(growth[len(series) // 2 :].mean() < growth[: (len(series) - 1) // 2].mean())


def growth_by_series(series: Mapping[str, pd.Series]) -> dict[str, pd.Series]:
    """Annual growth in percent of each series, by its label with its size."""
    return {
        f"{s.attrs['label']} (n = {len(s)})": s.pct_change().dropna() * 100 for s in series.values()
    }


def final_gaps(name: str = EXAMPLE_SERIES) -> pd.DataFrame:
    """Levels against official growth (:func:`planbook.data.official.level_vs_growth_gaps`),
    only the years whose two levels are both final statistics (no estimate or bound)."""
    gaps = official.level_vs_growth_gaps(name)
    final = gaps["level_flags"].str.startswith("final")
    return gaps[final & gaps["previous_flags"].str.startswith("final")]


def _type_name(annotation: Any) -> str:
    """``str`` for a plain type, ``float | None`` or ``Literal[...]`` for the others."""
    if isinstance(annotation, type):
        return annotation.__name__
    return str(annotation).replace("typing.", "")


def claims_schema() -> pd.DataFrame:
    """The claims table's columns: name, type and whether it is required."""
    fields = ClaimRow.model_fields
    return pd.DataFrame(
        {
            "column": list(fields),
            "type": [_type_name(f.annotation) for f in fields.values()],
            "required": [f.is_required() for f in fields.values()],
        }
    )


def rules_listing() -> pd.DataFrame:
    """The audit's rules: name and what each checks."""
    return pd.DataFrame([{"rule": r.name, "what it checks": r.description} for r in audit.RULES])


def _example(params: Any, online: pd.Series, method: str) -> dict[str, Any]:
    """The probability worked through: will the series reach the level its average growth
    since the first year gives, ``horizon`` years after the last?"""
    last_year = int(online.index.max())
    growth = float(np.expm1(np.diff(np.log(online.to_numpy())).mean()))
    threshold = float(online.loc[last_year]) * (1 + growth) ** params.horizon
    year = last_year + params.horizon
    fc = F.forecast(online, method, params.horizon, params.level, seed=params.seed)
    odds = F.probability_target_met(
        online,
        threshold,
        year,
        method=method,
        draws=params.draws,
        seed=params.seed,
        level=params.level,
    )
    rng = np.random.default_rng(params.seed)
    return {
        "draws": params.draws,
        "ex_year": year,
        "ex_start": int(online.index.min()),
        "ex_growth": growth * 100,
        "ex_threshold": threshold,
        "ex_method": method,
        "ex_median": odds.median,
        "ex_lower": odds.lower,
        "ex_upper": odds.upper,
        "ex_p": odds.probability * 100,
        "ex_p_exact": odds.probability_exact * 100,
        "ex_se": odds.mc_se * 100,
        "ex_draws": fc.distribution.sample(rng, params.draws, params.horizon),
    }


def compute(params: Any, claims: pd.DataFrame) -> MethodsAppendix:
    """The methods appendix under ``params`` (a ``MethodsParams``).

    Parameters
    ----------
    params
        ``history_start``, ``backtest_min_train``, ``horizon``, ``level``, ``draws`` and
        ``seed``.
    claims
        The claims table (:func:`planbook.data.plan.load_claims`).
    """
    series = F.official_series_all(params.history_start)
    table = F.backtest_table(
        series,
        min_train=params.backtest_min_train,
        horizon=params.horizon,
        level=params.level,
        seed=params.seed,
    )
    summary = F.benchmark_comparison(table)
    by_key = summary.set_index("series")
    online = by_key.loc[EXAMPLE_SERIES]
    verdicts = summary["verdict"]
    short = summary[summary["left_out"].str.contains("arima")]
    last_step = table[table["chosen"] & (table["horizon"] == table["horizon"].max())]
    gaps = final_gaps()
    abs_gaps = gaps["gap_pp"].abs().dropna()
    b = F.DEFAULT_BREAK_YEAR
    growth = official.annual_series(EXAMPLE_SERIES, "yoy_pct")
    sizes = {s.attrs["label"]: len(s) for s in series.values()}
    flagged = [
        f"{s.attrs['label']} {year} ({flag.split('/')[0]})"
        for s in series.values()
        for year, flag in s.attrs["flagged"].items()
    ]
    kinds = claims["kind"].value_counts()
    rules = rules_listing()
    return MethodsAppendix(
        break_year=b,
        n_benchmarks=len(F.BENCHMARKS),
        min_train=params.backtest_min_train,
        horizon=params.horizon,
        min_origins=F.MIN_ORIGINS,
        level_pct=params.level * 100,
        n_series=len(series),
        n_slowed=sum(slowed(s) for s in series.values()),
        online_gap_official=float(gaps.loc[GAP_YEAR, "official_yoy_pct"]),
        online_gap_levels=float(gaps.loc[GAP_YEAR, "implied_yoy_pct"]),
        n_beats=int((verdicts == "beats the benchmarks").sum()),
        n_ties=int((verdicts == "ties a benchmark").sum()),
        n_bench=int((verdicts == "is a benchmark").sum()),
        median_ratio=float(summary["mase_ratio"].median()),
        or_n=int(online["n_obs"]),
        or_origins=int(online["n_origins"]),
        or_chosen=str(online["chosen"]),
        or_mase=float(online["chosen_MASE"]),
        or_bench=str(online["best_benchmark"]),
        or_bench_mase=float(online["benchmark_MASE"]),
        short_series="; ".join(f"{r.label}, n = {r.n_obs}" for r in short.itertuples()) or "none",
        chosen_coverage=float(summary["chosen_coverage"].mean() * 100),
        last_step_min=float(last_step["MASE"].min()),
        last_step_max=float(last_step["MASE"].max()),
        last_step_n=int(last_step["n"].max()),
        **_example(params, series[EXAMPLE_SERIES], str(online["chosen"])),
        n_max=max(sizes.values()),
        n_min=min(sizes.values()),
        n_by_series="; ".join(f"{k}: {v}" for k, v in sizes.items()),
        max_gap=float(abs_gaps.max()),
        max_gap_year=int(abs_gaps.idxmax()),
        g_before=float(growth.loc[b - 1]),
        g_break=float(growth.loc[b]),
        g_after=float(growth.loc[b + 1]),
        year_before=b - 1,
        n_flagged=len(flagged),
        flagged_list="; ".join(flagged) or "none",
        n_claims=len(claims),
        n_targets=int(kinds.get("target", 0)),
        n_actuals=int(kinds.get("actual", 0)),
        n_rules=len(rules),
        seed=params.seed,
        history_start=params.history_start,
        methods=F.methods_table(),
        series=series,
        inventory=series_inventory(series),
        growth=growth_by_series(series),
        table=table,
        summary=summary,
        schema=claims_schema(),
        rules=rules,
    )
