"""Chapter 2's page: every number and table it shows, by name, and its key numbers."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from planbook.chapters.challenges.economics import economics, margin_what_if, repurchase_curve
from planbook.chapters.challenges.gaps import (
    THEMES,
    gap_table,
    ranked_gaps,
    theme_counts,
    unbenchmarked,
)
from planbook.chapters.challenges.trends import cac_earlier_years_rate, trend_rates
from planbook.data.plan import pick, select
from planbook.engine.params import ChallengesParams, check_settings
from planbook.methods import audit
from planbook.methods.audit.checks_challenges import challenges_checks
from planbook.methods.models import customer_economics as CE

CLAIM_COLUMNS = ["theme", "id", "metric", "entity", "period", "kind", "value", "unit", "bound"]
"""The columns of the chapter's claims the page lists (with ``note`` last)."""

SEVERITY_WORDS = {
    "log_ratio": "the absolute log ratio |ln(current / benchmark)|, which counts a value "
    "twice its benchmark and one half of it as equally far off",
    "relative_gap": "the relative gap |current - benchmark| / benchmark, the gap as a share "
    "of the benchmark (a shortfall cannot exceed 1, an excess can)",
}
"""Each severity measure in words."""

TRENDS = {
    "margin": "Industry average profit margin",
    "commission": "Platform commission rate (plan 5.1)",
    "cac_1y": "Acquisition cost, last year (plan 2.1)",
    "cac_3y": "Acquisition cost, three years (plan 5.2)",
}
"""The rows of :func:`trend_rates` (column ``measure``), by a short name."""

CHECKS = {
    "roas": "Acquisition spending share of revenue implied by ROAS (over the 2.1 figure?)",
    "consent": "User consent rate: 2.3 'under' figure against 1.4 (2023)",
    "leaders": "International leaders' response cycle (2.2) against the 3.1 target",
}
"""The rows of the chapter's checks (column ``check``) the page quotes, by a short name
(:func:`planbook.methods.audit.checks_challenges.challenges_checks`)."""

INDEX_LINES = {
    "Industry profit margin": ("margin",),
    "Platform commission rate": ("commission",),
    "Acquisition cost (5.2 three-year rise, 2.1 last-year rise)": ("cac_3y", "cac_1y"),
}
"""The trend chart's lines: label -> the trends it joins (the first sets start and end)."""


@dataclass(frozen=True)
class ChallengesResult:
    """What chapter 2's page shows, each number named as the page's text names it.

    Tables: ``claims`` (every chapter-2 figure with its theme), ``gaps`` (the benchmarked
    problems), ``ranked`` (those with a severity, most severe first), ``themes``,
    ``trends``, ``trend_index`` (the trends as indices, first year = 100), ``checks``,
    ``inputs`` (the model's inputs), ``what_if`` (the model at the plan's margins) and
    ``curves`` (LTV / CAC by repurchase rate for each of them, with its legend ``label``).
    The numbers: the plan's figures (``margin_*``, ``cac_*`` ..., years ``y_*``), the gaps
    (``n_benchmarked``, ``top_*``, ``bottom_*``), the trends, the checks and the customer
    economics (percent where the name says so, yuan otherwise).
    """

    claims: pd.DataFrame
    gaps: pd.DataFrame
    ranked: pd.DataFrame
    themes: pd.DataFrame
    trends: pd.DataFrame
    trend_index: dict[str, pd.Series]
    checks: pd.DataFrame
    inputs: pd.DataFrame
    what_if: pd.DataFrame
    curves: pd.DataFrame
    y_m0: int
    y_m1: int
    y_cac: int
    y_breach: int
    ch2_claims: int
    ch2_case: int
    margin_2020: float
    margin_2023: float
    cac_2023: float
    cac_growth: float
    repurchase: float
    repurchase_gap: float
    turnover: float
    turnover_gap: float
    spoilage: float
    breach_growth: float
    complaints_growth: float
    trust_index: float
    n_benchmarked: int
    rural_premium: float
    conversion_gap: float
    offline_repurchase: float
    severity_definition: str
    other_measure: str
    n_ranked: int
    n_rank_moves: int
    top_stays: str
    top_problem: str
    top_current: float
    top_benchmark: float
    top_benchmark_name: str
    top_factor: float
    top_severity: float
    top_unit: str
    n_case_gaps: int
    case_gaps: str
    bottom_problem: str
    bottom_factor: float
    themes_without: str
    n_themes_without: int
    n_unbench: int
    n_unbench_growth: int
    n_unbench_case: int
    margin_rate: float
    margin_pp_year: float
    margin_fall: float
    margin_fall_year: float
    margin_fall_rate: float
    margin_start: int
    margin_end: int
    margin_halving: float
    commission_part: str
    cac_1y_rate: float
    cac_2022: float
    cac_3y_rate: float
    cac_3y_cum: float
    cac_2020: float
    cac_earlier_rate: float
    cac_direction: str
    commission_rate: float
    commission_pp_year: float
    commission_rise: float
    commission_share_of_fall: float
    rate_tol: float
    level_tol: float
    ch2_checks: int
    ch2_checks_hold: int
    roas_share: float
    roas_share_verdict: str
    sme_share: float
    consent_14: float
    consent_23: float
    consent_verdict: str
    y_consent: int
    leaders_cycle: float
    cycle_target: float
    leaders_verdict: str
    order_value: float
    margin_used: float
    repurchase_used: float
    orders_per_year_used: float
    lifetime: float
    discount: float
    contribution: float
    expected_orders: float
    ltv: float
    cac: float
    ltv_cac: float
    profit_per_customer: float
    pays_back: str
    payback_orders_u: float
    payback_years_u: float
    payback_within: str
    payback_prob: str
    break_even_margin: float
    break_even_repurchase_text: str
    best_case: str
    best_section: str
    conclusion: str
    best_margin: float
    best_ratio: float
    n_cases_pay: int
    n_margin_cases: int
    freq_multiple: float
    freq_multiple_plus: float


def _stated(claims: pd.DataFrame, section: str, metric: str, period: str) -> float:
    return float(pick(claims, section, metric, period)["value"])


def _year(claims: pd.DataFrame, section: str, metric: str, period: str) -> int:
    return int(pick(claims, section, metric, period)["period"])


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:]


def _plan_fields(claims: pd.DataFrame) -> dict[str, object]:
    """The plan's chapter-2 figures the page quotes in its opening."""
    ch2 = select(claims, chapter=2)
    multiple = _stated(
        claims, "5.2", "private_vs_public_purchase_frequency_multiple", "unspecified"
    )
    return {
        "y_m0": _year(claims, "2.1", "industry_profit_margin", "2020"),
        "y_m1": _year(claims, "2.1", "industry_profit_margin", "2023"),
        "y_cac": _year(claims, "2.1", "customer_acquisition_cost", "2023"),
        "y_breach": _year(claims, "2.3", "data_breach_incidents_growth", "2023"),
        "ch2_claims": len(ch2),
        "ch2_case": int((ch2["kind"] == "case_study").sum()),
        "margin_2020": _stated(claims, "2.1", "industry_profit_margin", "2020"),
        "margin_2023": _stated(claims, "2.1", "industry_profit_margin", "2023"),
        "cac_2023": _stated(claims, "2.1", "customer_acquisition_cost", "2023"),
        "cac_growth": _stated(claims, "2.1", "customer_acquisition_cost_growth", "2023"),
        "repurchase": _stated(claims, "2.1", "repurchase_rate", "current"),
        "repurchase_gap": _stated(
            claims, "2.1", "repurchase_rate_gap_to_offline_retail", "current"
        ),
        "turnover": _stated(claims, "2.2", "inventory_turnover_days", "current"),
        "turnover_gap": _stated(
            claims, "2.2", "inventory_turnover_days_gap_to_international", "current"
        ),
        "breach_growth": _stated(claims, "2.3", "data_breach_incidents_growth", "2023"),
        "complaints_growth": _stated(
            claims, "2.5", "live_commerce_false_advertising_complaints_growth", "2023"
        ),
        "trust_index": _stated(claims, "2.5", "industry_trust_index", "2023"),
        "y_consent": _year(claims, "1.4", "user_consent_rate", "2023"),
        "freq_multiple": multiple,
        "freq_multiple_plus": multiple + 1,
    }


def _gap_fields(claims: pd.DataFrame, measure: str, gaps: pd.DataFrame) -> dict[str, object]:
    """The gaps to benchmarks: named problems, the ranking and what it leaves out."""
    by = gaps.set_index("problem")
    ranked = ranked_gaps(gaps)
    alternative = "relative_gap" if measure == "log_ratio" else "log_ratio"
    other = ranked_gaps(gap_table(claims, alternative))["problem"]
    top, bottom = ranked.iloc[0], ranked.iloc[-1]  # the most and the least severe
    themes = theme_counts(claims)
    missing = themes[themes["benchmarked_problems"] == 0]
    cases = ranked.loc[ranked["basis"] != "industry", "problem"]
    rest = unbenchmarked(claims)
    return {
        "ranked": ranked,
        "themes": themes,
        "spoilage": float(by.loc["Fresh-produce spoilage rate", "current"]),
        "n_benchmarked": len(gaps),
        "rural_premium": float(by.loc["Rural delivery cost", "gap_abs"]),
        "conversion_gap": -float(by.loc["Cross-border conversion rate", "gap_abs"]),
        "offline_repurchase": float(by.loc["Repurchase rate", "benchmark"]),
        "severity_definition": SEVERITY_WORDS[measure],
        "other_measure": alternative.replace("_", " "),
        "n_ranked": len(ranked),
        "n_rank_moves": int((ranked["problem"].to_numpy() != other.to_numpy()).sum()),
        "top_stays": (
            "the widest gap stays the widest"
            if other.iloc[0] == ranked["problem"].iloc[0]
            else f"the widest gap becomes the {_lower_first(other.iloc[0])}"
        ),
        "top_problem": _lower_first(top["problem"]),
        "top_current": float(top["current"]),
        "top_benchmark": float(top["benchmark"]),
        "top_benchmark_name": str(top["benchmark_name"]),
        "top_factor": float(top["factor"]),
        "top_severity": float(top["severity"]),
        "top_unit": {"percent": "%", "days": " days"}.get(top["unit"], ""),
        "n_case_gaps": len(cases),
        "case_gaps": "; ".join(_lower_first(p) for p in cases) or "none",
        "bottom_problem": _lower_first(bottom["problem"]),
        "bottom_factor": float(bottom["factor"]),
        "themes_without": " and ".join(
            f"{t.lower()} ({s})" for t, s in zip(missing["theme"], missing["section"], strict=True)
        )
        or "none",
        "n_themes_without": len(missing),
        "n_unbench": len(rest),
        "n_unbench_growth": int(rest["metric"].str.endswith("_growth").sum()),
        "n_unbench_case": int((rest["kind"] == "case_study").sum()),
    }


def trend_index(trends: pd.DataFrame) -> dict[str, pd.Series]:
    """The trends as indices (first year = 100), one series a line of :data:`INDEX_LINES`.

    A line that joins several trends runs from the first one's start through the later
    ones' starts to the first one's end (the acquisition cost: three years back, one
    year back, now).
    """
    by = trends.set_index("measure")
    out = {}
    for label, keys in INDEX_LINES.items():
        rows = [by.loc[TRENDS[k]] for k in keys]
        years = [int(rows[0]["start_year"])] + [int(r["start_year"]) for r in rows[1:]]
        values = [rows[0]["start"]] + [r["start"] for r in rows[1:]] + [rows[0]["end"]]
        base = rows[0]["start"]
        out[label] = pd.Series(
            [v / base * 100 for v in values],
            index=pd.Index([*years, int(rows[0]["end_year"])], name="year"),
            name=label,
        )
    return out


def _trend_fields(claims: pd.DataFrame, trends: pd.DataFrame) -> dict[str, object]:
    """The trends' rates and the comparisons the page draws between them."""
    by = trends.set_index("measure")
    margin, commission = by.loc[TRENDS["margin"]], by.loc[TRENDS["commission"]]
    cac1, cac3 = by.loc[TRENDS["cac_1y"]], by.loc[TRENDS["cac_3y"]]
    earlier = cac_earlier_years_rate(claims)
    return {
        "margin_rate": margin["annual_rate_pct"],
        "margin_pp_year": margin["annual_change"],
        "margin_fall": -margin["change"],
        "margin_fall_year": -margin["annual_change"],
        "margin_fall_rate": -margin["annual_rate_pct"],
        "margin_start": int(margin["start_year"]),
        "margin_end": int(margin["end_year"]),
        "margin_halving": math.log(0.5) / math.log1p(margin["annual_rate_pct"] / 100),
        "commission_part": "most" if commission["change"] > -margin["change"] / 2 else "part",
        "cac_1y_rate": cac1["annual_rate_pct"],
        "cac_2022": cac1["start"],
        "cac_3y_rate": cac3["annual_rate_pct"],
        "cac_3y_cum": cac3["change_pct"],
        "cac_2020": cac3["start"],
        "cac_earlier_rate": earlier,
        "cac_direction": "accelerated" if cac1["annual_rate_pct"] > earlier else "slowed",
        "commission_rate": commission["annual_rate_pct"],
        "commission_pp_year": commission["annual_change"],
        "commission_rise": commission["change"],
        "commission_share_of_fall": commission["change"] / -margin["change"] * 100,
    }


def _check_fields(checks: pd.DataFrame, counts: dict[str, float]) -> dict[str, object]:
    """The checks the page quotes, by the check's name; their counts from the book's one
    findings table (``counts``: :func:`planbook.methods.audit.page_counts`)."""
    by = checks.set_index("check")
    roas, consent, leaders = (by.loc[CHECKS[k]] for k in ("roas", "consent", "leaders"))
    return {
        "ch2_checks": int(counts["findings"]),
        "ch2_checks_hold": int(counts["holds"]),
        "roas_share": roas["recomputed"],
        "roas_share_verdict": roas["verdict"],
        "sme_share": roas["stated"],
        "consent_14": consent["recomputed"],
        "consent_23": consent["stated"],
        "consent_verdict": consent["verdict"],
        "leaders_cycle": leaders["recomputed"],
        "cycle_target": leaders["stated"],
        "leaders_verdict": leaders["verdict"],
    }


def _break_even_words(econ: CE.CustomerEconomics, repurchase: float) -> str:
    """The repurchase rate at which acquisition breaks even, in words."""
    if math.isnan(repurchase):
        return (
            "no repurchase rate is enough: even a customer who never leaves does not repay the "
            f"cost within {econ.lifetime_years:g} years at this margin"
        )
    if repurchase == 0:
        return "the first order alone repays the cost"
    return f"a repurchase rate of {repurchase * 100:.1f}% would be enough at this margin"


def _economics_fields(econ: CE.CustomerEconomics, what_if: pd.DataFrame) -> dict[str, object]:
    """The model's outputs at the page's inputs, in the page's words."""
    out = CE.evaluate(econ)
    p = out["payback_probability_undiscounted"]
    best = what_if.loc[what_if["ltv_to_cac"].idxmax()]
    return {
        "order_value": econ.order_value,
        "margin_used": econ.margin * 100,
        "repurchase_used": econ.repurchase * 100,
        "orders_per_year_used": econ.orders_per_year,
        "lifetime": econ.lifetime_years,
        "discount": econ.discount_rate * 100,
        "contribution": econ.contribution_per_order,
        "expected_orders": out["expected_orders"],
        "ltv": out["ltv"],
        "cac": out["cac"],
        "ltv_cac": out["ltv_to_cac"],
        "profit_per_customer": out["profit_per_customer"],
        "pays_back": "pays back" if out["ltv_to_cac"] >= 1 else "does not pay back",
        "payback_orders_u": out["payback_orders_undiscounted"],
        "payback_years_u": out["payback_years_undiscounted"],
        "payback_within": (
            "within" if out["payback_years_undiscounted"] < econ.lifetime_years else "beyond"
        ),
        "payback_prob": f"about 1 in {1 / p:,.0f}" if 0 < p < 0.001 else f"{p * 100:.1f}%",
        "break_even_margin": out["break_even_margin"] * 100,
        "break_even_repurchase_text": _break_even_words(econ, out["break_even_repurchase"]),
        "best_case": best["case"],
        "best_section": best["section"],
        "conclusion": (
            "At these inputs a customer won through paid traffic does not repay the cost "
            "unless they keep buying far more often than the repurchase rate says"
            if out["ltv_to_cac"] < 1
            else "At these inputs a customer won through paid traffic repays the cost on average"
        ),
        "best_margin": best["margin_pct"],
        "best_ratio": best["ltv_to_cac"],
        "n_cases_pay": int((what_if["ltv_to_cac"] >= 1).sum()),
        "n_margin_cases": len(what_if),
    }


def ltv_curves(econ: CE.CustomerEconomics, what_if: pd.DataFrame) -> pd.DataFrame:
    """LTV / CAC by repurchase rate at each margin of ``what_if`` and at the margin used.

    Returns
    -------
    pandas.DataFrame
        :func:`repurchase_curve` with a ``label`` per margin (the case, its section and
        the margin; the margin used marked as such), in the order of ``what_if``.
    """
    labels = {
        round(m, 6): f"{c} ({s}), {m:g}%"
        for c, s, m in zip(what_if["case"], what_if["section"], what_if["margin_pct"], strict=True)
    }
    used = econ.margin * 100
    labels.setdefault(round(used, 6), f"margin used, {used:g}%")
    curve = repurchase_curve(econ, list(labels))
    marked = {
        m: text + (" (used)" if math.isclose(m, used) and "used" not in text else "")
        for m, text in labels.items()
    }
    return curve.assign(label=curve["margin_pct"].map(marked))


def compute(params: ChallengesParams, claims: pd.DataFrame) -> ChallengesResult:
    """Chapter 2's page under ``params``: every number and table it shows.

    Parameters
    ----------
    params
        The chapter's parameters (severity measure, model inputs, tolerances).
    claims
        The plan's claims table (:func:`planbook.data.plan.load_claims`).
    """
    ch2 = select(claims, chapter=2)
    gaps = gap_table(claims, params.severity_measure)
    trends = trend_rates(claims)
    checks = challenges_checks(claims, params.rate_tolerance_pp, params.level_tolerance_pct)
    econ, inputs = economics(claims, params)
    what_if = margin_what_if(claims, econ)
    return ChallengesResult(
        claims=ch2.assign(theme=ch2["section"].map(THEMES))[[*CLAIM_COLUMNS, "note"]],
        gaps=gaps,
        trends=trends,
        trend_index=trend_index(trends),
        checks=checks,
        inputs=inputs,
        what_if=what_if,
        curves=ltv_curves(econ, what_if),
        rate_tol=params.rate_tolerance_pp,
        level_tol=params.level_tolerance_pct,
        **_plan_fields(claims),
        **_gap_fields(claims, params.severity_measure, gaps),
        **_trend_fields(claims, trends),
        **_check_fields(
            checks,
            audit.page_counts(claims, params, "challenges_checks", settings=check_settings(params)),
        ),
        **_economics_fields(econ, what_if),
    )


def customer_sentence(r: ChallengesResult) -> str:
    """What an acquired customer is worth against what acquiring one costs, in one
    sentence worded from the sign of the profit: the landing page's finding and the
    chapter's brief both state it with this function."""
    loss = r.profit_per_customer
    return (
        f"At the plan's own {r.margin_used:.1f}% margin, a customer is worth "
        f"{r.ltv:,.0f} yuan over their lifetime against an acquisition cost of "
        f"{r.cac_2023:,.0f} yuan (a ratio of {r.ltv_cac:.2f}): each new customer "
        f"{'earns' if loss >= 0 else 'loses'} {abs(loss):,.0f} yuan."
    )


def headline(params: ChallengesParams, claims: pd.DataFrame) -> dict[str, float]:
    """Chapter 2's key numbers under ``params`` (fast: no forecasting, no plotting).

    Keys: the number of benchmarked problems, the most severe gap's severity and
    factor, the model's LTV (yuan), LTV/CAC and break-even margin (percent), the orders
    needed to repay acquisition, and the annual rate of change of the industry profit
    margin (percent a year).
    """
    result = compute(params, claims)
    return {
        "benchmarked_problems": float(result.n_benchmarked),
        "top_gap_severity": result.top_severity,
        "top_gap_factor": result.top_factor,
        "ltv_yuan": result.ltv,
        "ltv_to_cac": result.ltv_cac,
        "break_even_margin_pct": result.break_even_margin,
        "payback_orders_undiscounted": result.payback_orders_u,
        "profit_margin_annual_rate_pct": float(result.margin_rate),
    }
