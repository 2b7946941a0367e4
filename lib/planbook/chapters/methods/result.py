"""The methods appendix: every number and table it shows, from one evaluation of the series.

The evaluation itself (nested backtests, calibration, the monthly models) is a method in its
own right (:mod:`planbook.methods.forecast`); this module reduces it to what the page
reports, and works one target probability through with the book's own forecast function.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from planbook.chapters.methods import helpers as H
from planbook.chapters.methods import monthly_view as MV
from planbook.data import official
from planbook.data.text import counted
from planbook.methods import forecast as F
from planbook.methods.forecast import calibration as C
from planbook.methods.forecast import seasonal as S


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
    min_inner: int
    tie_pct: float
    level_pct: float
    # the official series
    n_series: int
    n_slowed: int
    online_gap_official: float
    online_gap_levels: float
    # the nested evaluation
    n_oos: int
    n_model_used: int
    n_model_chosen: int
    n_bench_chosen: int
    choice_sentence: str
    models_used: str
    models_sentence: str
    median_ratio: float
    or_n: int
    or_origins: int
    or_oos: int
    or_selected: str
    or_method: str
    or_mase: float
    or_bench: str
    or_bench_mase: float
    or_naive_mase: float
    or_drift_mase: float
    or_sentence: str
    short_series: str
    last_step: int
    last_step_min: float
    last_step_max: float
    last_step_n: int
    last_step_text: str
    # calibration
    level_lo: float
    level_hi: float
    cal_level_pct: float
    cal_n: int
    cal_min_factor: float
    factors_text: str
    cov_raw_80: float
    cov_cal_80: float
    cov_raw_90: float
    cov_cal_90: float
    cov_cal_80_min: float
    cov_cal_80_max: float
    # a probability, step by step
    draws: int
    ex_year: int
    ex_start: int
    ex_growth: float
    ex_threshold: float
    ex_method: str
    ex_how: str
    ex_basis: str
    ex_factor: float
    ex_median: float
    ex_lower: float
    ex_upper: float
    ex_p: float
    ex_p_exact: float
    ex_p_raw: float
    ex_se: float
    ex_p_text: str
    # monthly data
    m_label: str
    m_n: int
    m_start: str
    m_end: str
    m_origins: int
    m_oos: int
    m_method: str
    m_selected: str
    m_bench: str
    m_method_words: str
    m_bench_words: str
    m_verdict: str
    m_mase: float
    m_bench_mase: float
    m_ratio: float
    m_years_checked: int
    m_sum_gap: float
    m_ann_n: int
    m_run_needed: int
    m_ape_monthly: float
    m_ape_monthly_benchmark: float
    m_ape_annual_naive: float
    m_ape_annual_drift: float
    ytd_enough: int
    ytd_longest: int
    ytd_months: int
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
    n_flagged_used: int
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
    seasonal_methods: pd.DataFrame = field(repr=False)
    series: dict[str, pd.Series] = field(repr=False)
    inventory: pd.DataFrame = field(repr=False)
    growth: dict[str, pd.Series] = field(repr=False)
    evaluation: F.Evaluation = field(repr=False)
    summary: pd.DataFrame = field(repr=False)
    scores: pd.DataFrame = field(repr=False)
    accuracy: pd.DataFrame = field(repr=False)
    factors: pd.DataFrame = field(repr=False)
    coverage: pd.DataFrame = field(repr=False)
    coverage_methods: pd.DataFrame = field(repr=False)
    ytd: pd.DataFrame = field(repr=False)
    monthly: S.MonthlyEvaluation = field(repr=False)
    ex_draws: np.ndarray = field(repr=False)
    schema: pd.DataFrame = field(repr=False)
    rules: pd.DataFrame = field(repr=False)


def seasonal_methods_table() -> pd.DataFrame:
    """The seasonal methods of the monthly section, one line each."""
    rows = [
        ("snaive", "benchmark", "y(t+h) = y(t+h-11k): the same release a year earlier"),
        ("snaive_drift", "benchmark", "as snaive, plus the mean annual log growth"),
        ("ets_seasonal", "model", "ETS(A,Ad,A): damped trend, additive season of 11"),
        ("sarima", "model", "SARIMA(0,1,1)(0,1,1) with a season of 11 (the airline model)"),
        ("stl_ets", "model", "STL decomposition; damped-trend ETS on the adjusted series"),
    ]
    return pd.DataFrame(rows, columns=["method", "role", "formula"])


def _example(params: Any, evaluation: F.Evaluation) -> dict[str, Any]:
    """The probability worked through with the book's own functions: will online retail
    reach the level its average growth since the first year gives, ``horizon`` years on?"""
    online = evaluation.backtests[H.EXAMPLE_SERIES].series
    last_year = int(online.index.max())
    growth = float(np.expm1(np.diff(np.log(online.to_numpy())).mean()))
    threshold = float(online.loc[last_year]) * (1 + growth) ** params.horizon
    year = last_year + params.horizon
    fc = F.official_forecast(evaluation, H.EXAMPLE_SERIES, year, params.level)
    odds = F.target_odds(fc, threshold, year, "ge", params.draws, params.seed)
    raw = fc.result.distribution.calibrated(1.0)
    rng = np.random.default_rng(params.seed)
    return {
        "draws": params.draws,
        "ex_year": year,
        "ex_start": int(online.index.min()),
        "ex_growth": growth * 100,
        "ex_threshold": threshold,
        "ex_method": fc.method,
        "ex_how": fc.how,
        "ex_basis": F.basis_words(online),
        "ex_factor": fc.factor,
        "ex_median": odds.median,
        "ex_lower": odds.lower,
        "ex_upper": odds.upper,
        "ex_p": odds.probability * 100,
        "ex_p_exact": odds.probability_exact * 100,
        "ex_p_raw": raw.prob(threshold, params.horizon, "ge") * 100,
        "ex_se": odds.mc_se * 100,
        "ex_p_text": odds.text,
        "ex_draws": fc.result.distribution.sample(rng, params.draws, params.horizon),
    }


def _models_sentence(n_used: int, used: str) -> str:
    """The intro's sentence on where a model is used."""
    if n_used == 0:
        return (
            "On none of them did a model beat the benchmarks, so the book forecasts every "
            "series with its best simple benchmark, and says so wherever it shows a forecast."
        )
    return (
        f"A model beat them on {n_used} ({used}); the book uses those models there and the "
        "best simple benchmark everywhere else, and says which wherever it shows a forecast."
    )


def _online_sentence(row: pd.Series) -> str:
    """What the nested evaluation found for the example series, in one sentence."""
    scores = (
        f"out of sample the selection scored {row['selected_MASE']:.2f} against "
        f"{row['best_benchmark_MASE']:.2f} for the best benchmark (naive "
        f"{row['naive_MASE']:.2f}, drift {row['drift_MASE']:.2f})"
    )
    if row["verdict"] == "a model beats the benchmarks":
        return f"{scores}, so the book uses {row['method']}, a model."
    if row["selected"] == row["method"]:
        return f"the backtest picks {row['method']}, a benchmark; {scores}."
    picks = f"the backtest picks {row['selected']} on all the data, but {scores}"
    return f"{picks}, so the book uses {row['method']}."


def _last_step_text(last: pd.DataFrame, labels: pd.Series) -> str:
    """The selection's out-of-sample MASE at the longest step, in words."""
    n = int(last["n"].sum())
    forecasts = "one forecast" if n == 1 else f"{n} forecasts"
    if len(last) == 1:
        row = last.iloc[0]
        return (
            f"only {labels[row['series']]} can be scored, on {forecasts}, with a MASE of "
            f"{row['selected_MASE']:.2f}"
        )
    low, high = last["selected_MASE"].min(), last["selected_MASE"].max()
    return (
        f"{len(last)} series can be scored, on {forecasts}, with MASE from {low:.2f} to {high:.2f}"
    )


def _choice_sentence(n_used: int, n_model: int, n_bench: int, n_series: int) -> str:
    """Where the book uses a model, and what the backtest picks on all the data."""

    def series(n: int) -> str:
        return "every series" if n == n_series else counted(n, "series", "series")

    used = "No series uses a model" if n_used == 0 else f"A model is used for {series(n_used)}"
    if n_model == 0:
        picks = f"a benchmark for {series(n_bench)}"
    elif n_bench == 0:
        picks = f"a model for {series(n_model)}"
    else:
        picks = f"a model for {series(n_model)} and a benchmark for {series(n_bench)}"
    return f"{used}. On all the data the backtest picks {picks}"


def _nested_fields(evaluation: F.Evaluation) -> dict[str, Any]:
    """The nested evaluation's numbers: verdicts, the example series, the last step."""
    summary = evaluation.summary.set_index("series")
    choices = evaluation.choices.values()
    online = summary.loc[H.EXAMPLE_SERIES]
    scores = evaluation.scores
    last = scores[scores["horizon"] == scores["horizon"].max()]
    short = summary[summary["candidates"].isin(["naive", "naive, drift"])]
    used = [f"{c.method} for {summary.loc[k, 'label']}" for k, c in evaluation.choices.items()]
    n_used = sum(c.uses_model for c in choices)
    n_model = sum(c.selected not in F.BENCHMARKS for c in choices)
    n_bench = sum(c.verdict == "the backtest chooses a benchmark" for c in choices)
    models_used = "; ".join(u for u, c in zip(used, choices, strict=True) if c.uses_model)
    return {
        "n_oos": int(summary["n_oos"].sum()),
        "n_model_used": n_used,
        "n_model_chosen": n_model,
        "n_bench_chosen": n_bench,
        "choice_sentence": _choice_sentence(n_used, n_model, n_bench, len(summary)),
        "models_used": models_used or "none",
        "models_sentence": _models_sentence(n_used, models_used),
        "median_ratio": float(summary["ratio"].median()),
        "or_n": int(online["n_obs"]),
        "or_origins": int(online["n_origins"]),
        "or_oos": int(online["n_oos"]),
        "or_selected": str(online["selected"]),
        "or_method": str(online["method"]),
        "or_mase": float(online["selected_MASE"]),
        "or_bench": str(online["benchmark"]),
        "or_bench_mase": float(online["best_benchmark_MASE"]),
        "or_naive_mase": float(online["naive_MASE"]),
        "or_drift_mase": float(online["drift_MASE"]),
        "or_sentence": _online_sentence(online),
        "short_series": "; ".join(f"{r.label}, n = {r.n_obs}" for r in short.itertuples())
        or "none",
        "last_step": int(scores["horizon"].max()),
        "last_step_min": float(last["selected_MASE"].min()),
        "last_step_max": float(last["selected_MASE"].max()),
        "last_step_n": int(last["n"].max()),
        "last_step_text": _last_step_text(last, summary["label"]),
    }


def _calibration_fields(evaluation: F.Evaluation) -> dict[str, Any]:
    """The calibration's numbers: factors, and coverage as fitted and calibrated."""
    factors = evaluation.factors.drop(index=C.ALL_METHODS)
    coverage = evaluation.coverage_by("series").set_index("series")
    pooled = coverage.loc["all"]
    per_series = coverage.drop(index="all")
    return {
        "level_lo": C.LEVELS[0] * 100,
        "level_hi": C.LEVELS[1] * 100,
        "cal_level_pct": C.CALIBRATION_LEVEL * 100,
        "cal_n": int(evaluation.factors.loc[C.ALL_METHODS, "n"]),
        "cal_min_factor": C.MIN_FACTOR,
        "factors_text": ", ".join(
            f"{MV.method_words(m)} {r.factor:.2f}" for m, r in factors.iterrows()
        ),
        "cov_raw_80": float(pooled["raw_80"]) * 100,
        "cov_cal_80": float(pooled["cal_80"]) * 100,
        "cov_raw_90": float(pooled["raw_90"]) * 100,
        "cov_cal_90": float(pooled["cal_90"]) * 100,
        "cov_cal_80_min": float(per_series["cal_80"].min()) * 100,
        "cov_cal_80_max": float(per_series["cal_80"].max()) * 100,
    }


def _limits_fields(series: dict[str, pd.Series]) -> dict[str, Any]:
    """What no forecast can know: sizes, restated bases, the break, flagged figures."""
    gaps = H.final_gaps()
    abs_gaps = gaps["gap_pp"].abs().dropna()
    b = F.DEFAULT_BREAK_YEAR
    growth = official.annual_series(H.EXAMPLE_SERIES, "yoy_pct")
    sizes = {s.attrs["label"]: len(s) for s in series.values()}
    flagged = [
        f"{s.attrs['label']} {year} ({flag.split('/')[0]})"
        for s in series.values()
        for year, flag in s.attrs["flagged"].items()
    ]
    return {
        "online_gap_official": float(gaps.loc[H.GAP_YEAR, "official_yoy_pct"]),
        "online_gap_levels": float(gaps.loc[H.GAP_YEAR, "implied_yoy_pct"]),
        "n_max": max(sizes.values()),
        "n_min": min(sizes.values()),
        "n_by_series": "; ".join(f"{k}: {v}" for k, v in sizes.items()),
        "max_gap": float(abs_gaps.max()),
        "max_gap_year": int(abs_gaps.idxmax()),
        "g_before": float(growth.loc[b - 1]),
        "g_break": float(growth.loc[b]),
        "g_after": float(growth.loc[b + 1]),
        "year_before": b - 1,
        "n_flagged_used": len(flagged),
        "flagged_list": "; ".join(flagged) or "none",
    }


def evaluate(params: Any) -> F.Evaluation:
    """The appendix's evaluation of the official series under ``params``."""
    return F.evaluate_official(params.history_start, params.backtest_min_train, params.horizon)


def compute(
    params: Any, claims: pd.DataFrame, evaluation: F.Evaluation | None = None
) -> MethodsAppendix:
    """The methods appendix under ``params`` (a ``MethodsParams``).

    Parameters
    ----------
    params
        ``history_start``, ``backtest_min_train``, ``horizon``, ``level``, ``draws`` and
        ``seed``.
    claims
        The claims table (:func:`planbook.data.plan.load_claims`).
    evaluation
        :func:`evaluate` under ``params``, if already computed.
    """
    evaluation = evaluation or evaluate(params)
    series = {k: bt.series for k, bt in evaluation.backtests.items()}
    monthly = MV.monthly_evaluation()
    ytd = MV.ytd_table()
    kinds = claims["kind"].value_counts()
    rules = H.rules_listing()
    return MethodsAppendix(
        break_year=F.DEFAULT_BREAK_YEAR,
        n_benchmarks=len(F.BENCHMARKS),
        min_train=params.backtest_min_train,
        horizon=params.horizon,
        min_origins=F.MIN_ORIGINS,
        min_inner=F.MIN_INNER,
        tie_pct=F.TIE * 100,
        level_pct=params.level * 100,
        n_series=len(series),
        n_slowed=sum(H.slowed(s) for s in series.values()),
        **_nested_fields(evaluation),
        **_calibration_fields(evaluation),
        **_example(params, evaluation),
        **MV.monthly_fields(monthly, ytd, MV.sum_check(monthly)),
        **_limits_fields(series),
        n_claims=len(claims),
        n_targets=int(kinds.get("target", 0)),
        n_actuals=int(kinds.get("actual", 0)),
        n_rules=len(rules),
        seed=params.seed,
        history_start=params.history_start,
        methods=F.methods_table(),
        seasonal_methods=seasonal_methods_table(),
        series=series,
        inventory=H.series_inventory(series),
        growth=H.growth_by_series(series),
        evaluation=evaluation,
        summary=evaluation.summary,
        scores=evaluation.scores,
        accuracy=evaluation.accuracy,
        factors=evaluation.factors,
        coverage=evaluation.coverage_by("series"),
        coverage_methods=evaluation.coverage_by("method"),
        ytd=ytd,
        monthly=monthly,
        schema=H.claims_schema(),
        rules=rules,
    )


def headline(
    params: object,
    claims: pd.DataFrame | None = None,
    *,
    evaluations: F.Evaluations | None = None,
    evaluation: F.Evaluation | None = None,
) -> dict[str, float]:
    """The methods appendix's key numbers under ``params`` (a ``MethodsParams``).

    Parameters
    ----------
    params : MethodsParams
        ``history_start``, ``backtest_min_train`` and ``horizon``.
    claims : pandas.DataFrame, optional
        Unused (the numbers come from official series); kept for the common signature.
    evaluations : Evaluations, optional
        The run's evaluations (the conclusions page's scenario table passes one).
    evaluation : Evaluation, optional
        :func:`evaluate` under ``params``, if already computed (the page passes its own).

    Returns
    -------
    dict
        ``series_evaluated``; ``series_using_a_model`` (a model beat the benchmarks out of
        sample); ``median_oos_mase_ratio`` (selection over best benchmark, out of sample);
        ``calibrated_coverage_80_pct`` and ``calibrated_coverage_90_pct`` (pooled,
        cross-validated); ``online_retail_oos_mase`` and ``online_retail_benchmark_oos_mase``.
    """
    if evaluation is None:
        p = params
        if evaluations is not None:
            evaluation = evaluations.get(p.history_start, p.backtest_min_train, p.horizon)
        else:
            evaluation = evaluate(params)
    fields = {**_nested_fields(evaluation), **_calibration_fields(evaluation)}
    return {
        "series_evaluated": float(len(evaluation.summary)),
        "series_using_a_model": float(fields["n_model_used"]),
        "median_oos_mase_ratio": fields["median_ratio"],
        "calibrated_coverage_80_pct": fields["cov_cal_80"],
        "calibrated_coverage_90_pct": fields["cov_cal_90"],
        "online_retail_oos_mase": fields["or_mase"],
        "online_retail_benchmark_oos_mase": fields["or_bench_mase"],
    }


__all__ = ["MethodsAppendix", "compute", "evaluate", "headline", "seasonal_methods_table"]
