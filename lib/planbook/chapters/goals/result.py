"""Chapter 3's page: every number and table it shows, by name, and its key numbers.

:func:`compute` gives everything but the forecasts (fast); :func:`against_data` gives the
section that sets the targets against official series (it forecasts them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from planbook.chapters.goals.economics import (
    CASES,
    economics_now,
    economics_under_targets,
)
from planbook.chapters.goals.same_metric import (
    SAME_LEVEL_TOLERANCE_PCT,
    UNIT_WORDS,
    VERDICTS,
    conflict_summary,
    same_metric_targets,
    side_by_side,
)
from planbook.chapters.goals.saturation import NEAR_CEILING, lower_tier_saturation
from planbook.chapters.goals.targets import targets_table
from planbook.data import official
from planbook.data.amounts import said, scaled
from planbook.data.plan import pick, select
from planbook.engine.params import GoalsParams, check_settings
from planbook.methods import audit
from planbook.methods import forecast as F
from planbook.methods import targets as T
from planbook.methods.audit.checks_goals import goals_checks
from planbook.methods.targets import targets_against_data

CASE_COLUMNS = ["section", "id", "entity", "metric", "period", "value", "unit", "note"]
"""The columns of the chapter's case studies the page lists."""

TARGET_COLUMNS = [
    "id", "section", "note", "target", "unit", "bound", "period", "horizon_years", "form",
    "baseline", "baseline_source", "implied_level", "required_rate_pct", "required_pp_per_year",
]  # fmt: skip
"""The columns of :func:`targets_table` the page lists."""

CHECKS = {
    "cac": "Acquisition-cost target: stated level against the stated cut",
    "rep": "Repurchase-rate rise asked for (12 months) at most the cited case's (6 months)",
    "users": "Lower-tier users in three years at most all e-commerce users (1.2)",
}
"""The rows of the chapter's checks (column ``check``), by a short name
(:func:`planbook.methods.audit.checks_goals.goals_checks`)."""

LOW_P = 0.1
"""A target this unlikely or less is called implausible."""


@dataclass(frozen=True)
class GoalsResult:
    """What chapter 3's page shows (all but the forecasts), named as its text names it.

    Tables: ``cases`` (the chapter's case studies), ``targets`` (every target with its
    baseline and required rate), ``rates`` (the targets with a rate, slowest first),
    ``side_by_side`` (metrics with targets in several sections), ``checks``,
    ``economics`` (the model now and with the 12-month targets met), ``paths`` (lower-tier
    users compounding and logistic) and ``shoppers`` (CNNIC's online shoppers). The
    numbers: the plan's targets, the targets table (``t_*``), the same-metric verdicts
    (``n_verdict_<i>`` in the order of :data:`VERDICTS`), the checks (``ck_*``), the
    customer economics (``e_*``) and the saturation (``s_*``). ``crossing_point`` is where
    compounding meets the ceiling within the paths (None if it does not).
    """

    cases: pd.DataFrame
    targets: pd.DataFrame
    rates: pd.DataFrame
    side_by_side: pd.DataFrame
    checks: pd.DataFrame
    economics: pd.DataFrame
    paths: pd.DataFrame
    shoppers: pd.Series
    crossing_point: tuple[float, float] | None
    efficiency: float
    rep_now: float
    rep_target: float
    cac_cut: float
    cac_target: float
    lt_cagr: float
    cycle_target: float
    new_markets: float
    overseas_share: float
    p_short: str
    p_mid: str
    p_long: str
    new_cat: float
    n_target_phases: int
    ch3_claims: int
    ch3_targets: int
    ch3_case: int
    ch3_actual: int
    unspecified: float
    t_n: int
    t_baseline: int
    t_rate: int
    t_amount: int
    t_recurring: int
    t_no_date: int
    t_no_base_level: int
    steep_note: str
    steep_id: str
    steep_rate: float
    n_falling: int
    same_tol: float
    n_dates_32_71: int
    n_families: int
    n_verdict_0: int
    n_verdict_1: int
    n_verdict_2: int
    n_verdict_3: int
    n_verdict_4: int
    clash_list: str
    bound_list: str
    level_tol: float
    ck_n: int
    ck_hold: int
    ck_cac_implied: float
    ck_cac_verdict: str
    ck_rep_rise: float
    ck_rep_case: float
    ck_rep_case_period: str
    ck_rep_verdict: str
    ck_users: float
    ck_total: float
    ck_users_verdict: str
    ck_horizon: float
    e_margin: float
    e_order_value: float
    e_ltv_now: float
    e_ltv_both: float
    e_ratio_now: float
    e_ratio_both: float
    e_profit_now: float
    e_profit_both: float
    e_gain: float
    e_gain_rep: float
    e_gain_cac: float
    e_bigger: str
    e_be_now: float
    e_be_both: float
    e_verdict: str
    e_closing: str
    s_rate: float
    s_horizon: float
    s_near: float
    s_start: float
    s_start_year: int
    s_ceiling: float
    s_ceiling_source: str
    s_crossing: str
    s_crossing_years: float
    s_within: str
    s_compound_h: float
    s_logistic_h: float
    s_logistic_rate: float
    s_95: float
    s_other: float
    s_other_rate: float
    s_other_id: str
    s_other_vs_logistic: str
    s_horizon_year: float
    s_official_2023: float
    s_official_last: float
    s_official_last_year: int


def _stated(claims: pd.DataFrame, section: str, metric: str, period: str) -> float:
    return float(pick(claims, section, metric, period)["value"])


def _plan_fields(claims: pd.DataFrame) -> dict[str, object]:
    """The plan's chapter-3 targets the page quotes in its opening, and its counts."""
    ch3 = select(claims, chapter=3)
    phases = ch3.loc[(ch3["section"] == "3.2") & (ch3["kind"] == "target"), "period"]
    return {
        "cases": ch3.loc[ch3["kind"] == "case_study", CASE_COLUMNS],
        "efficiency": _stated(claims, "3.1", "operational_efficiency_uplift", "12 months"),
        "rep_now": _stated(claims, "3.1", "repurchase_rate", "current"),
        "rep_target": _stated(claims, "3.1", "repurchase_rate", "12 months"),
        "cac_cut": _stated(claims, "3.1", "customer_acquisition_cost_reduction", "12 months"),
        "cac_target": _stated(claims, "3.1", "customer_acquisition_cost", "12 months"),
        "lt_cagr": _stated(claims, "3.1", "lower_tier_users_cagr", "3 years"),
        "cycle_target": _stated(claims, "3.1", "supply_chain_response_cycle", "5 years"),
        "new_markets": _stated(claims, "3.1", "cross_border_new_markets", "5 years"),
        "overseas_share": _stated(claims, "3.1", "overseas_revenue_share", "5 years"),
        "p_short": pick(claims, "3.1", "repurchase_rate", "12 months")["period"],
        "p_mid": pick(claims, "3.1", "lower_tier_users_cagr", "3 years")["period"],
        "p_long": pick(claims, "3.1", "overseas_revenue_share", "5 years")["period"],
        "new_cat": _stated(claims, "3.1", "new_category_annual_gmv", "3 years"),
        "n_target_phases": phases.nunique(),
        "ch3_claims": len(ch3),
        "ch3_targets": int((ch3["kind"] == "target").sum()),
        "ch3_case": int((ch3["kind"] == "case_study").sum()),
        "ch3_actual": int((ch3["kind"] == "actual").sum()),
    }


def _target_fields(table: pd.DataFrame) -> dict[str, object]:
    """The targets table's counts and its steepest required rate."""
    with_rate = table.dropna(subset=["required_rate_pct"])
    steep = with_rate.loc[with_rate["required_rate_pct"].abs().idxmax()]
    form = table["form"]
    return {
        "targets": table,
        "rates": with_rate.sort_values("required_rate_pct"),
        "t_n": len(table),
        "t_baseline": int((table["baseline_id"] != "").sum()),
        "t_rate": len(with_rate),
        "t_amount": int((form == "amount").sum()),
        "t_recurring": int((form == "recurring").sum()),
        "t_no_date": int((~table["horizon_stated"] & (form != "recurring")).sum()),
        "t_no_base_level": int(((form == "level") & (table["baseline_id"] == "")).sum()),
        "steep_note": steep["note"],
        "steep_id": steep["id"],
        "steep_rate": steep["required_rate_pct"],
        "n_falling": int((with_rate["required_rate_pct"] < 0).sum()),
    }


def families_text(frame: pd.DataFrame) -> str:
    """Metrics of :func:`conflict_summary` in words: levels with units and the sections."""
    parts = []
    for family, levels, unit, sections in zip(
        frame["family"], frame["levels"], frame["unit"], frame["sections"], strict=True
    ):
        word = UNIT_WORDS.get(unit, " " + unit.replace("_", " "))
        shown = " and ".join(levels.split(", "))
        if scaled(unit):  # 亿 and 万 in English scales, each level with its own
            word, shown = "", " and ".join(said(float(x), unit) for x in levels.split(", "))
        parts.append(f"{family.replace('_', ' ')} ({shown}{word}; plans {sections})")
    return "; ".join(parts) or "none"


def _same_metric_fields(claims: pd.DataFrame) -> dict[str, object]:
    """Metrics with targets in several sections: how many of each verdict, and which."""
    same = same_metric_targets(claims)
    summary = conflict_summary(same)
    counts = summary["verdict"].value_counts()
    verdict, sections = summary["verdict"], summary["sections"]
    dated = (
        (verdict == VERDICTS[3])
        & sections.str.contains("3.2", regex=False)
        & sections.str.contains("7.1", regex=False)
    )
    return {
        "side_by_side": side_by_side(same, summary),
        "same_tol": SAME_LEVEL_TOLERANCE_PCT,
        "n_dates_32_71": int(dated.sum()),
        "n_families": len(summary),
        **{f"n_verdict_{i}": int(counts.get(v, 0)) for i, v in enumerate(VERDICTS)},
        "clash_list": families_text(summary[verdict == VERDICTS[0]]),
        "bound_list": families_text(summary[verdict == VERDICTS[1]]),
    }


def _check_fields(
    claims: pd.DataFrame, checks: pd.DataFrame, counts: dict[str, float]
) -> dict[str, object]:
    """The checks the page quotes, by the check's name; their counts from the book's one
    findings table (``counts``: :func:`planbook.methods.audit.page_counts`)."""
    by = checks.set_index("check")
    cac, rep, users = (by.loc[CHECKS[k]] for k in ("cac", "rep", "users"))
    return {
        "ck_n": int(counts["findings"]),
        "ck_hold": int(counts["holds"]),
        "ck_cac_implied": cac["recomputed"],
        "ck_cac_verdict": cac["verdict"],
        "ck_rep_rise": rep["recomputed"],
        "ck_rep_case": rep["stated"],
        "ck_rep_case_period": pick(claims, "3.1", "repurchase_rate_uplift", "6 months")["period"],
        "ck_rep_verdict": rep["verdict"],
        "ck_users": users["recomputed"],
        "ck_total": users["stated"],
        "ck_users_verdict": users["verdict"],
        "ck_horizon": lower_tier_saturation(claims, None, 3)[1]["horizon"],
    }


def _economics_fields(claims: pd.DataFrame, params: GoalsParams) -> dict[str, object]:
    """The customer economics now and with the 12-month targets met, by case."""
    econ, _ = economics_now(claims, params)
    table = economics_under_targets(claims, econ)
    by = table.set_index("case")
    now, both = by.loc[CASES["now"]], by.loc[CASES["both"]]
    gain_rep = by.loc[CASES["repurchase"], "profit_per_customer"] - now["profit_per_customer"]
    gain_cac = by.loc[CASES["cac"], "profit_per_customer"] - now["profit_per_customer"]
    return {
        "economics": table,
        "e_margin": econ.margin * 100,
        "e_order_value": econ.order_value,
        "e_ltv_now": now["ltv"],
        "e_ltv_both": both["ltv"],
        "e_ratio_now": now["ltv_to_cac"],
        "e_ratio_both": both["ltv_to_cac"],
        "e_profit_now": now["profit_per_customer"],
        "e_profit_both": both["profit_per_customer"],
        "e_gain": both["profit_per_customer"] - now["profit_per_customer"],
        "e_gain_rep": gain_rep,
        "e_gain_cac": gain_cac,
        "e_bigger": (
            "the cut in acquisition cost" if gain_cac >= gain_rep else "the rise in repurchase"
        ),
        "e_be_now": now["break_even_margin_pct"],
        "e_be_both": both["break_even_margin_pct"],
        "e_verdict": "still does not pay back" if both["ltv_to_cac"] < 1 else "pays back",
        "e_closing": (
            "The targets help, but at this margin they do not change the verdict of chapter 2; "
            "what would is a much higher margin per order or customers who keep buying."
            if both["ltv_to_cac"] < 1
            else "At this margin, meeting the targets is enough to make acquisition pay."
        ),
    }


def _crossing_words(crossing: float, crossing_year: float) -> str:
    """When compounding reaches the ceiling, in words."""
    if math.isfinite(crossing) and crossing > 0:
        return f"after {crossing:.1f} years, in {math.floor(crossing_year):d}"
    return "at once: the start is already at the ceiling" if crossing == 0 else "never"


def _saturation_fields(claims: pd.DataFrame, params: GoalsParams) -> dict[str, object]:
    """The lower-tier user target against its ceiling, and the official count for scale."""
    paths, sat = lower_tier_saturation(
        claims, params.user_ceiling_100m, params.path_years, steps_per_year=12
    )
    shoppers = official.annual_series("online_shoppers")
    shoppers = shoppers.loc[shoppers.index >= params.history_start]
    last = int(shoppers.index.max())
    crossing = sat["crossing_years"]
    shown = math.isfinite(crossing) and crossing <= params.path_years
    return {
        "paths": paths,
        "shoppers": shoppers,
        "crossing_point": (sat["crossing_year"], sat["ceiling"]) if shown else None,
        "s_rate": sat["rate_pct"],
        "s_horizon": sat["horizon"],
        "s_near": NEAR_CEILING * 100,
        "s_start": sat["start"],
        "s_start_year": sat["start_year"],
        "s_ceiling": sat["ceiling"],
        "s_ceiling_source": sat["ceiling_source"],
        "s_crossing": _crossing_words(crossing, sat["crossing_year"]),
        "s_crossing_years": crossing,
        "s_within": "within" if crossing <= sat["horizon"] else "after",
        "s_compound_h": sat["compound_at_horizon"],
        "s_logistic_h": sat["logistic_at_horizon"],
        "s_logistic_rate": sat["logistic_rate_pct"],
        "s_95": sat["logistic_95_years"],
        "s_other": sat["other_target"],
        "s_other_rate": sat["other_rate_pct"],
        "s_other_id": sat["other_id"],
        "s_other_vs_logistic": (
            "above" if sat["other_target"] > sat["logistic_at_horizon"] else "below"
        ),
        "s_horizon_year": sat["start_year"] + sat["horizon"],
        "s_official_2023": float(shoppers.get(sat["start_year"], float("nan"))),
        "s_official_last": float(shoppers.loc[last]),
        "s_official_last_year": last,
    }


def compute(params: GoalsParams, claims: pd.DataFrame) -> GoalsResult:
    """Chapter 3's page under ``params``, all but the forecasts (see :func:`against_data`).

    Parameters
    ----------
    params
        The chapter's parameters (horizons, model inputs, ceiling, tolerances).
    claims
        The plan's claims table (:func:`planbook.data.plan.load_claims`).
    """
    checks = goals_checks(claims, params.level_tolerance_pct)
    return GoalsResult(
        checks=checks,
        unspecified=params.unspecified_horizon_years,
        level_tol=params.level_tolerance_pct,
        **_plan_fields(claims),
        **_target_fields(targets_table(claims, params.unspecified_horizon_years)),
        **_same_metric_fields(claims),
        **_check_fields(
            claims,
            checks,
            audit.page_counts(claims, params, "goals_checks", settings=check_settings(params)),
        ),
        **_economics_fields(claims, params),
        **_saturation_fields(claims, params),
    )


@dataclass(frozen=True)
class AgainstData:
    """Chapter 3's targets against official series, named as the page's text names them.

    ``table`` is :func:`planbook.methods.targets.targets_against_data`, most plausible
    first; ``shown`` the same without notes, the probability worded with the precision it
    deserves (:func:`planbook.methods.forecast.probability_text`). ``best_*`` / ``worst_*``
    describe its first and last target (percent a year, probability in percent and as
    ``*_p_text``); ``best_fc_*`` is the forecast of the first target's series for its year
    ``best_year`` (median and interval, in ``best_unit``: the one forecast the benefits
    chapter shows for the same series and year); ``n_low_odds`` targets have a probability
    under ``low_p`` percent.
    """

    table: pd.DataFrame
    shown: pd.DataFrame
    base_year: int
    draws: int
    seed: int
    level_pct: float
    method_note: str
    tad_n: int
    best_desc: str
    best_p: float
    best_p_text: str
    best_req: float
    best_hist: float
    best_year: int
    best_unit: str
    best_fc_median: float
    best_fc_lower: float
    best_fc_upper: float
    worst_desc: str
    worst_p: float
    worst_p_text: str
    worst_req: float
    worst_hist: float
    low_p: float
    n_low_odds: int


def against_data(params: GoalsParams, claims: pd.DataFrame) -> AgainstData:
    """The targets that official statistics can speak to, with their odds on the trend."""
    table = targets_against_data(
        claims,
        plan_base_year=params.plan_base_year,
        level=params.confidence,
        method=params.forecast_method,
        draws=params.draws,
        seed=params.seed,
        evaluation=F.evaluate_official(params.history_start, params.backtest_window),
    )
    table = table.sort_values("probability", ascending=False, kind="stable")
    table = table.reset_index(drop=True)
    best, worst = table.iloc[0], table.iloc[-1]  # the most and the least plausible
    return AgainstData(
        table=table,
        shown=table.drop(columns=["note", "probability", "mc_se"]).rename(
            columns={"probability_text": "probability"}
        ),
        base_year=params.plan_base_year,
        draws=params.draws,
        seed=params.seed,
        level_pct=params.confidence * 100,
        method_note=(
            "each chosen by a nested rolling-origin backtest (a model only where it beat "
            "the simple benchmarks out of sample), with intervals calibrated on backtest "
            "errors"
            if params.forecast_method == "auto"
            else f"set to {params.forecast_method} by the parameter forecast_method"
        ),
        tad_n=len(table),
        best_desc=best["description"],
        best_p=best["probability"] * 100,
        best_p_text=best["probability_text"],
        best_req=best["required_growth_pct"],
        best_hist=best["historical_growth_pct"],
        best_year=int(best["target_year"]),
        best_unit=T.UNIT_WORDS.get(str(best["unit"]), str(best["unit"]).replace("_", " ")),
        best_fc_median=float(best["forecast_median"]),
        best_fc_lower=float(best["forecast_lower"]),
        best_fc_upper=float(best["forecast_upper"]),
        worst_desc=worst["description"],
        worst_p=worst["probability"] * 100,
        worst_p_text=worst["probability_text"],
        worst_req=worst["required_growth_pct"],
        worst_hist=worst["historical_growth_pct"],
        low_p=LOW_P * 100,
        n_low_odds=int((table["probability"] < LOW_P).sum()),
    )


def headline(params: GoalsParams, claims: pd.DataFrame) -> dict[str, float]:
    """Chapter 3's key numbers under ``params`` (fast: no forecasting, no plotting).

    Keys: targets in chapter 3, targets with a stated baseline, metrics with target levels
    for the same date that no single value meets, LTV/CAC now and with both 12-month
    targets met, the years until 25% compounding of lower-tier users crosses the ceiling,
    and the lower-tier users the compounding path reaches at the target's horizon
    (hundred million).
    """
    result = compute(params, claims)
    return {
        "targets": float(result.t_n),
        "targets_with_baseline": float(result.t_baseline),
        "metrics_with_same_date_conflicts": float(result.n_verdict_0),
        "ltv_to_cac_now": float(result.e_ratio_now),
        "ltv_to_cac_targets": float(result.e_ratio_both),
        "years_to_ceiling": float(result.s_crossing_years),
        "users_compound_at_horizon": float(result.s_compound_h),
    }


AMOUNTS: dict[str, str] = {
    "new_cat": "100m_yuan",
    "ck_users": "100m_count",
    "ck_total": "100m_count",
    "s_start": "100m_count",
    "s_ceiling": "100m_count",
    "s_compound_h": "100m_count",
    "s_official_2023": "100m_count",
    "s_official_last": "100m_count",
    "s_logistic_h": "100m_count",
    "s_other": "100m_count",
}
"""The plan's unit of every amount the page states in prose (亿 and 万 counts and yuan):
:func:`planbook.page.glue.glue_result` glues each in English scales."""
