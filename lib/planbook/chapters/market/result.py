"""Chapter 1's page: every number and table it shows, by name, and its key numbers."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from planbook.chapters.market.figures import (
    FIGURES,
    SHARE_SHIFTS,
    headline_sizes,
    official_comparison,
    official_tables,
    plan_path,
    share_shifts,
)
from planbook.chapters.market.outlook import Outlook, outlook
from planbook.data import official
from planbook.data.plan import pick, select
from planbook.engine.params import MarketParams, check_settings
from planbook.methods import audit
from planbook.methods import forecast as F
from planbook.methods.audit.checks_market import OTHER_CATEGORIES, category_mix, market_checks

CLAIM_COLUMNS = [
    "id",
    "section",
    "metric",
    "entity",
    "period",
    "kind",
    "value",
    "unit",
    "bound",
    "note",
]
"""The columns of the chapter's claims the page lists."""


@dataclass(frozen=True)
class MarketResult:
    """What chapter 1's page shows, each number named as the page's text names it.

    Tables: ``claims`` (every chapter-1 figure), ``sizes``, ``shifts``, ``mix``,
    ``checks``, ``comparison`` (the plan beside official statistics), the official series
    ``tv_official`` and ``online_official`` (published levels), ``plan_path_2023`` and
    ``plan_path`` (the plan's transaction volume to 2023 and to the last forecast year) and
    ``outlook`` (the forecasts). The numbers: the plan's headline figures (``tv_2023`` ...),
    the shares and their implied 2020 levels, the category mix, the internal checks
    (``cagr_*``, ``live_*``, ``ch1_checks``, ``ch1_checks_hold``), the official comparison
    (``*_official``, ``*_gap``, ``*_plan``: published levels and shares) and the forecasts
    (``online_*``, ``tv_*``, ``p_2023``, worded as ``p_2023_text``). The online retail
    forecast runs on a chain-linked index (``online_basis``), which meets the published
    level only in ``online_anchor_year``: ``online_2023_index`` is its 2023 value and
    ``online_2023_gap_index`` the plan's 2023 figure against it, the comparison the page
    warns against. Rates and shares in percent, levels in trillion yuan unless the claim's
    own unit applies.
    """

    claims: pd.DataFrame
    sizes: pd.DataFrame
    shifts: pd.DataFrame
    mix: pd.DataFrame
    checks: pd.DataFrame
    comparison: pd.DataFrame
    tv_official: pd.Series
    online_official: pd.Series
    plan_path_2023: pd.Series
    plan_path: pd.Series
    outlook: Outlook
    ch1_claims: int
    tv_2023: float
    global_share: float
    online_2023: float
    online_share_2023: float
    b2c_2023: float
    lower_tier_users: float
    lower_tier_user_share: float
    online_share_2020: float
    b2c_2020: float
    lower_tier_gmv_2020: float
    lower_tier_gmv_2023: float
    core_categories: float
    other_categories: float
    fresh_gmv: float
    rate_tol: float
    level_tol: float
    cagr_stated: float
    cagr_recomputed: float
    cagr_diff: float
    cagr_verdict: str
    cum_growth: float
    live_implied: float
    live_verdict: str
    ch1_checks: int
    ch1_checks_hold: int
    tv_2020_plan: float
    tv_2020_official: float
    tv_2020_gap: float
    tv_last_official: float
    tv_last_sentence: str
    tv_last_official_year: int
    online_2023_official: float
    online_2023_gap: float
    total_2023_plan: float
    total_2023_official: float
    total_2023_gap: float
    physical_share_2023: float
    all_online_share_2023: float
    share_2020_official: float
    users_plan: float
    users_official: float
    level_pct: float
    method_note: str
    online_n: int
    online_start: int
    online_end: int
    online_method: str
    online_end_year: int
    online_fc_median: float
    online_fc_lower: float
    online_fc_upper: float
    online_fc_cagr: float
    online_basis: str
    online_anchor_year: int
    online_2023_index: float
    online_2023_gap_index: float
    tv_n: int
    tv_start: int
    tv_end: int
    tv_method: str
    tv_fc_2023_median: float
    tv_fc_2023_lower: float
    tv_fc_2023_upper: float
    tv_fc_end_median: float
    tv_fc_end_lower: float
    tv_fc_end_upper: float
    plan_path_end: float
    p_2023: float
    p_2023_text: str
    tv_hist_growth: float
    tv_required_growth: float


def _stated(claims: pd.DataFrame, section: str, metric: str, period: str) -> float:
    return float(pick(claims, section, metric, period)["value"])


def _plan_fields(claims: pd.DataFrame) -> dict[str, object]:
    """The plan's own chapter-1 figures: headline sizes, shares and their 2020 levels, mix."""
    shifts = share_shifts(claims).set_index("measure")
    label = {metric: name for name, metric in SHARE_SHIFTS}

    def shift(metric: str, column: str) -> float:
        return float(shifts.loc[label[metric], column])

    mix = category_mix(claims)
    return {
        "ch1_claims": len(select(claims, chapter=1)),
        "tv_2023": _stated(claims, "1.2", "ecommerce_transaction_volume", "2023"),
        "global_share": _stated(claims, "1.1", "china_share_of_global_ecommerce", "2023"),
        "online_2023": _stated(claims, "1.2", "online_retail_sales", "2023"),
        "online_share_2023": shift("online_retail_share_of_total_retail", "share_2023"),
        "b2c_2023": shift("b2c_share", "share_2023"),
        "lower_tier_users": _stated(claims, "1.2", "lower_tier_users", "2023"),
        "lower_tier_user_share": _stated(claims, "1.2", "lower_tier_share_of_users", "2023"),
        "online_share_2020": shift("online_retail_share_of_total_retail", "share_2020_implied"),
        "b2c_2020": shift("b2c_share", "share_2020_implied"),
        "lower_tier_gmv_2020": shift("lower_tier_gmv_share", "share_2020_implied"),
        "lower_tier_gmv_2023": shift("lower_tier_gmv_share", "share_2023"),
        "core_categories": float(mix.loc[mix["category"] != OTHER_CATEGORIES, "share_pct"].sum()),
        "other_categories": float(mix.set_index("category").loc[OTHER_CATEGORIES, "share_pct"]),
        "fresh_gmv": _stated(claims, "1.2", "fresh_produce_gmv", "2023"),
        "cum_growth": _stated(claims, "1.2", "ecommerce_transaction_volume_growth", "2020-2023"),
    }


def _check_fields(checks: pd.DataFrame, counts: dict[str, float]) -> dict[str, object]:
    """The internal checks the page quotes, by the check's name; their counts from the
    book's one findings table (``counts``: :func:`planbook.methods.audit.page_counts`)."""
    by = checks.set_index("check")
    cagr = by.loc["CAGR 2020-2023 against cumulative growth"]
    live = by.loc["Online retail implied by live commerce and its share"]
    return {
        "cagr_stated": float(cagr["stated"]),
        "cagr_recomputed": float(cagr["recomputed"]),
        "cagr_diff": abs(float(cagr["difference"])),
        "cagr_verdict": str(cagr["verdict"]),
        "live_implied": float(live["recomputed"]),
        "live_verdict": str(live["verdict"]),
        "ch1_checks": int(counts["findings"]),
        "ch1_checks_hold": int(counts["holds"]),
    }


def _last_sentence(volume: pd.Series, year: int = 2023) -> str:
    """Whether the official transaction volume can check the plan's ``year`` figure, and
    what its last figure is worth (from the breaks table: an unverified level is shown but
    left out of the trend)."""
    last = int(volume.index.max())
    flagged = official.breaks_for("ecommerce_transaction_volume", ("unverified",))
    worth = (
        "a level found in one copy only and not yet verified, which the trend and its "
        "forecast leave out; see the data sources appendix"
        if last in set(flagged["year"].astype(int))
        else "the latest published level"
    )
    said = f"its last figure is for {last} ({volume.loc[last]:.2f} trillion yuan, {worth})"
    if year in volume.index:
        return f"The official series gives {year} directly; {said}."
    return (
        f"The official series has no figure for {year}; {said}, so the plan's {year} figure "
        "cannot be checked directly."
    )


def _official_fields(comparison: pd.DataFrame, volume: pd.Series) -> dict[str, object]:
    """The plan beside official statistics, by the row's name in :data:`FIGURES`."""
    rows = comparison.set_index("figure")

    def row(key: str, column: str) -> float:
        return float(rows.loc[FIGURES[key], column])

    last = int(volume.index.max())
    return {
        "tv_2020_plan": row("tv_2020", "plan"),
        "tv_2020_official": row("tv_2020", "official"),
        "tv_2020_gap": row("tv_2020", "difference_pct"),
        "tv_last_official": float(volume.loc[last]),
        "tv_last_sentence": _last_sentence(volume),
        "tv_last_official_year": last,
        "online_2023_official": row("online_2023", "official"),
        "online_2023_gap": row("online_2023", "difference_pct"),
        "total_2023_plan": row("total_2023", "plan"),
        "total_2023_official": row("total_2023", "official"),
        "total_2023_gap": row("total_2023", "difference_pct"),
        "physical_share_2023": row("physical_share_2023", "official"),
        "all_online_share_2023": row("all_online_share_2023", "official"),
        "share_2020_official": row("share_2020", "official"),
        "users_plan": row("users", "plan"),
        "users_official": row("users", "official"),
    }


def _basis_fields(view: Outlook, plan_2023: float) -> dict[str, object]:
    """The basis of the online retail forecast and the plan's 2023 figure against it."""
    index_2023 = float(view.online.get(2023, float("nan")))
    return {
        "online_basis": F.basis_words(view.online),
        "online_anchor_year": int(view.online.attrs["anchor"]),
        "online_2023_index": index_2023,
        "online_2023_gap_index": (plan_2023 - index_2023) / index_2023 * 100,
    }


def _outlook_fields(
    params: MarketParams, view: Outlook, plan_future: pd.Series
) -> dict[str, object]:
    """The forecasts' numbers: history used, method, median and interval at the end year."""
    online, volume, end = view.online_forecast, view.volume_forecast, view.end_year
    last_online = float(view.online.loc[view.online.index.max()])
    odds = view.volume_2023
    return {
        "level_pct": params.confidence * 100,
        "method_note": (
            "chosen for each series by a nested rolling-origin backtest (a model only "
            "where it beat the simple benchmarks out of sample), with intervals calibrated "
            "on backtest errors"
            if params.forecast_method == "auto"
            else f"set by the parameter forecast_method to {params.forecast_method}"
        ),
        "online_n": online.n_obs,
        "online_start": online.history_start,
        "online_end": online.history_end,
        "online_method": view.online_choice,
        "online_end_year": end,
        "online_fc_median": float(online.median.loc[end]),
        "online_fc_lower": float(online.lower.loc[end]),
        "online_fc_upper": float(online.upper.loc[end]),
        "online_fc_cagr": (
            (float(online.median.loc[end]) / last_online) ** (1 / params.forecast_horizon) - 1
        )
        * 100,
        "tv_n": volume.n_obs,
        "tv_start": volume.history_start,
        "tv_end": volume.history_end,
        "tv_method": view.volume_choice,
        "tv_fc_2023_median": float(volume.median.loc[odds.target_year]),
        "tv_fc_2023_lower": float(volume.lower.loc[odds.target_year]),
        "tv_fc_2023_upper": float(volume.upper.loc[odds.target_year]),
        "tv_fc_end_median": float(volume.median.loc[end]),
        "tv_fc_end_lower": float(volume.lower.loc[end]),
        "tv_fc_end_upper": float(volume.upper.loc[end]),
        "plan_path_end": float(plan_future.loc[end]),
        "p_2023": odds.probability * 100,
        "p_2023_text": odds.text,
        "tv_hist_growth": odds.historical_growth * 100,
        "tv_required_growth": odds.required_growth * 100,
    }


def compute(
    params: MarketParams, claims: pd.DataFrame, evaluations: F.Evaluations | None = None
) -> MarketResult:
    """Chapter 1's page under ``params``: every number and table it shows.

    Parameters
    ----------
    params
        The chapter's parameters (tolerances and forecast settings).
    claims
        The plan's claims table (:func:`planbook.data.plan.load_claims`).
    evaluations
        The run's evaluations of the official series (:class:`~planbook.methods.forecast.
        Evaluations`); a new one by default.
    """
    checks = market_checks(claims, params.rate_tolerance_pp, params.level_tolerance_pct)
    tables = official_tables()
    comparison = official_comparison(claims, *tables)
    evaluation = (evaluations or F.Evaluations()).get(params.history_start)
    view = outlook(params, claims, evaluation)
    plan_future = plan_path(claims, view.end_year)
    plan_fields = _plan_fields(claims)
    return MarketResult(
        claims=select(claims, chapter=1)[CLAIM_COLUMNS],
        sizes=headline_sizes(claims),
        shifts=share_shifts(claims),
        mix=category_mix(claims),
        checks=checks,
        comparison=comparison,
        tv_official=tables[0],
        online_official=tables[1],
        plan_path_2023=plan_path(claims, 2023),
        plan_path=plan_future,
        outlook=view,
        rate_tol=params.rate_tolerance_pp,
        level_tol=params.level_tolerance_pct,
        **plan_fields,
        **_check_fields(
            checks,
            audit.page_counts(claims, params, "market_checks", settings=check_settings(params)),
        ),
        **_official_fields(comparison, tables[0]),
        **_outlook_fields(params, view, plan_future),
        **_basis_fields(view, float(plan_fields["online_2023"])),
    )


def key_figures(result: MarketResult) -> dict[str, float]:
    """Chapter 1's key numbers, read from its computed page (see :func:`headline`)."""
    return {
        "cagr_recomputed_pct": result.cagr_recomputed,
        "tv_2020_implied": result.tv_2020_plan,
        "total_retail_2023_implied": result.total_2023_plan,
        "users_implied": result.users_plan,
        "online_forecast_median_end": result.online_fc_median,
        "tv_probability_2023_pct": result.p_2023,
    }


def headline(
    params: MarketParams, claims: pd.DataFrame, *, evaluations: F.Evaluations | None = None
) -> dict[str, float]:
    """Chapter 1's key numbers under ``params`` (``evaluations``: see :func:`compute`).

    Returns
    -------
    dict
        ``cagr_recomputed_pct`` (2020-2023 CAGR implied by the cumulative growth),
        ``tv_2020_implied`` and ``total_retail_2023_implied`` (trillion yuan),
        ``users_implied`` (hundred million), ``online_forecast_median_end`` (trillion yuan,
        ``forecast_horizon`` years after the last official year) and
        ``tv_probability_2023_pct`` (probability, percent, that transaction volume reached
        the plan's 2023 figure on the official trend).
    """
    return key_figures(compute(params, claims, evaluations))


AMOUNTS: dict[str, str] = {
    "lower_tier_users": "100m_count",
    "fresh_gmv": "100m_yuan",
    "users_plan": "100m_count",
    "users_official": "100m_count",
}
"""The plan's unit of every amount the page states in prose (亿 and 万 counts and yuan):
:func:`planbook.page.glue.glue_result` glues each in English scales."""
