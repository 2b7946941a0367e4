"""Chapter 3 (goals and strategy): every target with its baseline, horizon and required rate.

Also the targets of other chapters that set the same metric (side by side), the
customer-economics model of chapter 2 under the 12-month targets, and the lower-tier
user target against a ceiling.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd

from planbook.data.plan import convert, pick, select
from planbook.errors import InputError
from planbook.methods import arithmetic as A
from planbook.methods.models import customer_economics as CE
from planbook.methods.models import saturation as S

if TYPE_CHECKING:
    from planbook.engine.params import GoalsParams

RECURRING = ("annual", "quarterly", "monthly", "weekly")
"""Periods of recurring targets (budgets and KPIs): they have no horizon to grow towards."""

CHANGE_SUFFIXES = {"_reduction": -1.0, "_uplift": 1.0, "_improvement": 1.0}
"""Metric suffixes of targets stated as a relative change (percent), and its sign."""

GROWTH_SUFFIX = "_cagr"
"""Metric suffix of targets stated as a compound annual growth rate."""

SAME_LEVEL_TOLERANCE_PCT = 0.5
"""Two target levels this close (percent of the smaller) are the same level."""

NEAR_CEILING = 0.95
"""Share of the ceiling at which the logistic path counts as saturated."""

AMOUNT_UNITS = ("count", "10k_count", "100m_yuan", "10k_yuan", "years")
"""Units of targets that are amounts to spend, build or reach, not rates of a stated level."""


def horizon_years(period: str, unspecified_years: float) -> tuple[float, bool]:
    """Years from "now" to a target's end, and whether the plan states the horizon.

    ``"12 months"`` is 1, ``"3 years"`` 3, ``"years 3-4"`` 4 (the end of the phase),
    ``"years 5+"`` 5 (the earliest end), ``"months 7-18"`` 1.5. ``"unspecified"`` takes
    ``unspecified_years`` (not stated); recurring periods (``annual``, ``monthly`` ...) and
    anything else have no horizon (``nan``).

    >>> horizon_years("years 3-4", 3)
    (4.0, True)
    >>> horizon_years("unspecified", 3)
    (3.0, False)
    """
    text = str(period).strip()
    if text == "unspecified":
        return float(unspecified_years), False
    patterns = (
        (r"^(\d+) months$", 12.0),
        (r"^(\d+) years$", 1.0),
        (r"^year (\d+)$", 1.0),
        (r"^years \d+-(\d+)$", 1.0),
        (r"^years (\d+)\+$", 1.0),
        (r"^months \d+-(\d+)$", 12.0),
    )
    for pattern, per_year in patterns:
        match = re.match(pattern, text)
        if match:
            return int(match.group(1)) / per_year, True
    return math.nan, False


def _change_sign(metric: str) -> float:
    """+1 for an uplift or improvement, -1 for a reduction."""
    for suffix, sign in CHANGE_SUFFIXES.items():
        if metric.endswith(suffix):
            return sign
    raise KeyError(f"{metric!r} is not a relative-change metric")


def _family(metric: str) -> tuple[str, str]:
    """The level metric a target speaks to, and the form of the target."""
    if metric.endswith(GROWTH_SUFFIX):
        return metric.removesuffix(GROWTH_SUFFIX), "growth rate"
    for suffix in CHANGE_SUFFIXES:
        if metric.endswith(suffix):
            return metric.removesuffix(suffix), "relative change"
    return metric, "level"


def find_baseline(claims: pd.DataFrame, metric: str, section: str) -> pd.Series | None:
    """The plan's "now" figure for a metric, or None.

    Candidates are claims of the same metric of kind ``actual`` about the industry or the
    plan's own organisation, preferring the same section, then the same chapter, then the
    earliest chapter. Failing those, a case figure of chapter 2 (which describes the current
    state partly through cases) serves, e.g. the supply-chain response cycle of 2.2.
    """
    same = claims[claims["metric"] == metric]
    actual = same[(same["kind"] == "actual") & same["entity"].isin(["industry", "plan"])]
    if actual.empty:
        actual = same[(same["kind"] == "case_study") & (same["chapter"] == 2)]
    if actual.empty:
        return None
    chapter = int(section.split(".")[0])
    rank = pd.DataFrame(
        {
            "same_section": actual["section"] != section,
            "same_chapter": actual["chapter"] != chapter,
            "chapter": actual["chapter"],
        },
        index=actual.index,
    )
    order = rank.sort_values(["same_section", "same_chapter", "chapter"], kind="stable").index
    return actual.loc[order[0]]


def _baseline_note(row: pd.Series | None) -> str:
    if row is None:
        return "none stated"
    where = f"plan {row['section']}"
    if row["kind"] == "case_study":
        return f"{where}, {row['entity']}'s case"
    return where


def targets_table(claims: pd.DataFrame, unspecified_years: float) -> pd.DataFrame:
    """Every chapter-3 target with its baseline, horizon and the annual rate it requires.

    Returns
    -------
    pandas.DataFrame
        One row per target claim, in plan order: ``id, section, metric, note`` (the
        claims table's description), ``target, unit, bound, period, horizon_years,
        horizon_stated, form`` (level / relative change / growth rate / amount /
        recurring), ``baseline_id, baseline, baseline_unit, baseline_source``,
        ``implied_level`` (the level a change or growth target implies, in the baseline's
        unit), ``required_rate_pct`` (compound annual rate of change, percent a year) and
        ``required_pp_per_year`` (for percent targets: percentage points a year).
    """
    rows = []
    targets = select(claims, chapter=3, kind="target")
    for _, t in targets.iterrows():
        years, stated = horizon_years(t["period"], unspecified_years)
        family, form = _family(t["metric"])
        value = float(t["value"])
        base = find_baseline(claims, family, t["section"])
        if t["period"] in RECURRING:
            form = "recurring"
        elif form == "level" and base is None and t["unit"] in AMOUNT_UNITS:
            form = "amount"
        implied = math.nan
        rate = pp = math.nan
        if base is not None:
            b = float(base["value"])
            if form == "level":
                target_in_base = convert(value, t["unit"], base["unit"])
                if years == years and years > 0 and target_in_base > 0:
                    rate = A.cagr(b, target_in_base, years)
                    if t["unit"] == "percent":
                        pp = (target_in_base - b) / years
            elif form == "relative change":
                implied = b * (1 + _change_sign(t["metric"]) * value / 100)
            elif form == "growth rate" and years == years:
                implied = A.grow(b, value, years)
        if form == "relative change" and years == years and years > 0:
            rate = ((1 + _change_sign(t["metric"]) * value / 100) ** (1 / years) - 1) * 100
        elif form == "growth rate":
            rate = value
        rows.append(
            {
                "id": t["id"],
                "section": t["section"],
                "metric": t["metric"],
                "note": t["note"],
                "target": value,
                "unit": t["unit"],
                "bound": t["bound"] if isinstance(t["bound"], str) else "",
                "period": t["period"],
                "horizon_years": years,
                "horizon_stated": stated,
                "form": form,
                "baseline_id": "" if base is None else base["id"],
                "baseline": math.nan if base is None else float(base["value"]),
                "baseline_unit": "" if base is None else base["unit"],
                "baseline_source": _baseline_note(base),
                "implied_level": implied,
                "required_rate_pct": rate,
                "required_pp_per_year": pp,
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- same metric


def _comparable(claims: pd.DataFrame, row: pd.Series, unit: str, base: pd.Series | None) -> float:
    """A target as a level in ``unit``: itself, or the level its change or growth implies."""
    _, form = _family(row["metric"])
    value = float(row["value"])
    if form == "level":
        try:
            return convert(value, row["unit"], unit)
        except ValueError:
            return math.nan
    if base is None:  # a change with no baseline: comparable only with changes
        return value if row["unit"] == unit else math.nan
    b = convert(float(base["value"]), base["unit"], unit)
    if form == "relative change":
        return b * (1 + _change_sign(row["metric"]) * value / 100)
    years, _ = horizon_years(row["period"], math.nan)
    return A.grow(b, value, years) if years == years else math.nan


def same_metric_targets(claims: pd.DataFrame) -> pd.DataFrame:
    """Targets of every chapter for the metrics that chapter 3 sets a target for.

    Targets for one metric are grouped with those for its change or growth rate (a cut in
    the acquisition cost with the acquisition cost), and each is also stated as the level
    it implies over the plan's baseline, so that they can be read side by side. Only
    metrics with targets in at least two sections are kept.

    Returns
    -------
    pandas.DataFrame
        Long table: ``family, section, id, metric, value, unit, bound, period,
        implied_level, level_unit``, ordered by family and section.
    """
    targets = select(claims, kind="target")
    ch3 = targets[targets["chapter"] == 3]
    families = dict.fromkeys(_family(m)[0] for m in ch3["metric"])
    rows = []
    for family in families:
        found = targets[targets["metric"].map(lambda m, f=family: _family(m)[0] == f)]
        if found["section"].nunique() < 2:
            continue
        levels = found[found["metric"] == family]
        base = find_baseline(claims, family, "3.1")
        if not levels.empty:
            unit = str(levels["unit"].iloc[0])
        elif base is not None:
            unit = str(base["unit"])
        else:  # only changes with no baseline: compare the changes themselves
            unit = str(found["unit"].iloc[0])
        for _, r in found.iterrows():
            rows.append(
                {
                    "family": family,
                    "section": r["section"],
                    "id": r["id"],
                    "metric": r["metric"],
                    "value": float(r["value"]),
                    "unit": r["unit"],
                    "bound": r["bound"] if isinstance(r["bound"], str) else "",
                    "period": r["period"],
                    "implied_level": _comparable(claims, r, unit, base),
                    "level_unit": unit,
                }
            )
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    key = out["section"].str.split(".", expand=True).astype(int)
    out = out.assign(_c=key[0], _s=key[1]).sort_values(["family", "_c", "_s", "id"], kind="stable")
    return out.drop(columns=["_c", "_s"]).reset_index(drop=True)


def _distinct(values: list[float], tolerance_pct: float) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or abs(v - out[-1]) > abs(out[-1]) * tolerance_pct / 100:
            out.append(v)
    return out


VERDICTS = (
    "different levels for the same date",
    "same date, reconciled only by a bound",
    "different levels, no common date",
    "same level, different dates",
    "agree",
)
"""Verdicts of :func:`conflict_summary`, most serious first."""


def _interval(value: float, bound: str, tolerance_pct: float) -> tuple[float, float]:
    """The values a target admits: above a floor, below a cap, or near a point."""
    if bound in ("gt", "ge"):
        return value, math.inf
    if bound in ("lt", "le"):
        return -math.inf, value
    slack = abs(value) * tolerance_pct / 100
    return value - slack, value + slack


def _overlap(group: pd.DataFrame, tolerance_pct: float) -> bool:
    spans = [
        _interval(v, b, tolerance_pct)
        for v, b in zip(group["implied_level"], group["bound"], strict=True)
    ]
    return max(lo for lo, _ in spans) <= min(hi for _, hi in spans)


def conflict_summary(
    same: pd.DataFrame, tolerance_pct: float = SAME_LEVEL_TOLERANCE_PCT
) -> pd.DataFrame:
    """Per metric: how many targets, and whether their levels and dates agree.

    Levels agree when they are within ``tolerance_pct`` percent of each other (a 15% cut
    of 185 is 157.25 against a stated 157). A target stated as a floor ("over 8") or a cap
    admits every value beyond it. Dates are the stated horizons; targets without one
    (``unspecified``) or recurring ones (``monthly`` KPIs) have no date.

    Verdicts (:data:`VERDICTS`): *different levels for the same date* (two targets for the
    same metric and date that no single value meets); *same date, reconciled only by a
    bound* (different levels for one date, both met by a value beyond a floor or cap);
    *different levels, no common date* (possibly stages of one path, but the plan does
    not say so); *same level, different dates*; *agree*.

    Returns
    -------
    pandas.DataFrame
        ``family, targets, sections, levels`` (the distinct implied levels, as text),
        ``unit, periods`` (the distinct periods) and ``verdict``, most serious first.
    """
    rows = []
    for family, group in same.groupby("family", sort=False):
        levels = group["implied_level"].dropna().to_numpy(dtype=float)
        distinct = _distinct(list(levels), tolerance_pct)
        years = group["period"].map(lambda p: horizon_years(p, math.nan)[0])
        dated = group.assign(_h=years).dropna(subset=["_h", "implied_level"])
        by_date = [g for _, g in dated.groupby("_h") if len(g) > 1]
        clash = any(not _overlap(g, tolerance_pct) for g in by_date)
        differ = any(len(_distinct(list(g["implied_level"]), tolerance_pct)) > 1 for g in by_date)
        periods = list(dict.fromkeys(group["period"]))
        if clash:
            verdict = VERDICTS[0]
        elif differ:
            verdict = VERDICTS[1]
        elif len(distinct) > 1:
            verdict = VERDICTS[2]
        elif dated["_h"].nunique() > 1:
            verdict = VERDICTS[3]
        else:
            verdict = VERDICTS[4]
        rows.append(
            {
                "family": family,
                "targets": len(group),
                "sections": ", ".join(dict.fromkeys(group["section"])),
                "levels": ", ".join(f"{v:.4g}" for v in distinct),
                "unit": group["level_unit"].iloc[0],
                "periods": ", ".join(periods),
                "verdict": verdict,
            }
        )
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    rank = out["verdict"].map({v: i for i, v in enumerate(VERDICTS)})
    out = out.assign(_r=rank).sort_values(["_r", "family"]).drop(columns="_r")
    return out.reset_index(drop=True)


UNIT_WORDS = {
    "percent": "%",
    "percentage_points": " points",
    "yuan_per_user": " yuan/user",
    "100m_count": " hundred million",
    "10k_count": " x10k",
    "100m_yuan": " hundred million yuan",
    "10k_yuan": " x10k yuan",
    "count": "",
    "days": " days",
    "years": " years",
}
"""Short unit words for the side-by-side table."""

_BOUND_WORDS = {"gt": "over ", "ge": "at least ", "lt": "under ", "le": "at most "}


def _describe_target(row: pd.Series) -> str:
    unit = UNIT_WORDS.get(str(row["unit"]), f" {row['unit']}")
    _, form = _family(row["metric"])
    sign = ""
    if form == "relative change":
        sign = "+" if _change_sign(row["metric"]) > 0 else "-"
    bound = _BOUND_WORDS.get(row["bound"], "")
    text = f"{row['section']}: {bound}{sign}{row['value']:g}{unit}"
    if form != "level":
        text += " a year" if form == "growth rate" else " change"
        if row["implied_level"] == row["implied_level"] and row["level_unit"] != row["unit"]:
            level_unit = UNIT_WORDS.get(str(row["level_unit"]), f" {row['level_unit']}")
            text += f" (= {row['implied_level']:.4g}{level_unit})"
    return f"{text} [{row['period']}]"


def side_by_side(same: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    """Each metric's targets in chapter 3 next to those set elsewhere, with the verdict.

    Returns
    -------
    pandas.DataFrame
        ``metric, chapter_3, other_chapters, verdict``, in the order of ``summary``; each
        cell lists ``section: value [period]`` entries separated by semicolons.
    """
    rows = []
    for _, s in summary.iterrows():
        group = same[same["family"] == s["family"]]
        in3 = group[group["section"].str.startswith("3.")]
        other = group[~group["section"].str.startswith("3.")]
        rows.append(
            {
                "metric": s["family"],
                "chapter_3": "; ".join(_describe_target(r) for _, r in in3.iterrows()),
                "other_chapters": "; ".join(_describe_target(r) for _, r in other.iterrows()),
                "verdict": s["verdict"],
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- checks


def internal_checks(claims: pd.DataFrame, level_tolerance_pct: float) -> pd.DataFrame:
    """Recompute what chapter 3's short- and medium-term targets imply.

    - the 12-month acquisition-cost target as a level (plan 3.1) against the cut it is
      said to be, applied to the 2023 cost of plan 2.1;
    - the 12-month rise of the repurchase rate (plan 3.1) against the rise the plan cites
      as its evidence (a platform's, in six months): the target should not ask for more;
    - the lower-tier users that 3.1's growth rate gives after three years against all
      e-commerce users as plan 1.2 implies them (a part cannot outgrow the whole).
    """
    cac = pick(claims, "2.1", "customer_acquisition_cost", "2023")
    cut = pick(claims, "3.1", "customer_acquisition_cost_reduction", "12 months")
    level = pick(claims, "3.1", "customer_acquisition_cost", "12 months")
    implied = float(cac["value"]) * (1 - float(cut["value"]) / 100)
    checks = [
        A.compare_level(
            "Acquisition-cost target: stated level against the stated cut",
            [level["id"], cac["id"], cut["id"]],
            float(level["value"]),
            implied,
            "yuan per customer",
            level_tolerance_pct,
            f"{cac['value']:g} x (1 - {cut['value']:g}%) = {implied:.2f}",
        )
    ]
    now = pick(claims, "3.1", "repurchase_rate", "current")
    target = pick(claims, "3.1", "repurchase_rate", "12 months")
    case = pick(claims, "3.1", "repurchase_rate_uplift", "6 months")
    rise = float(target["value"]) - float(now["value"])
    checks.append(
        A.compare_at_most(
            "Repurchase-rate rise asked for (12 months) at most the cited case's (6 months)",
            [target["id"], now["id"], case["id"]],
            float(case["value"]),
            rise,
            f"{target['value']:g} - {now['value']:g} = {rise:g} points against "
            f"{case['value']:g} points in the case",
            unit="percentage_points",
        )
    )
    _, sat = lower_tier_saturation(claims, None, 3)
    total, total_ids = implied_total_users(claims)
    checks.append(
        A.compare_at_most(
            "Lower-tier users in three years at most all e-commerce users (1.2)",
            [sat["rate_id"], *total_ids],
            total,
            float(sat["compound_at_horizon"]),
            f"{sat['start']:g} x (1 + {sat['rate_pct']:g}%)^{sat['horizon']:g} = "
            f"{sat['compound_at_horizon']:.2f} against {total:.2f} (all users, 2023)",
            unit="hundred million users",
        )
    )
    return A.checks_frame(checks)


# --------------------------------------------------------------------------- economics


def economics_now(
    claims: pd.DataFrame, params: GoalsParams
) -> tuple[CE.CustomerEconomics, pd.DataFrame]:
    """Chapter 2's customer-economics model at the baselines plan 3.1 starts from."""
    rep = pick(claims, "3.1", "repurchase_rate", "current")
    return CE.from_plan(
        claims,
        discount_rate_pct=params.discount_rate_pct,
        lifetime_years=params.customer_lifetime_years,
        order_value_yuan=params.order_value_yuan,
        orders_per_year=params.orders_per_year,
        margin_pct=params.margin_pct,
        repurchase_rate_pct=float(rep["value"]),
    )


def economics_under_targets(claims: pd.DataFrame, econ: CE.CustomerEconomics) -> pd.DataFrame:
    """The model now, with each 12-month target of plan 3.1 met, and with both met.

    The order value, margin and the rest stay as in ``econ``.

    Returns
    -------
    pandas.DataFrame
        ``case, claim_ids, repurchase_pct, cac, ltv, ltv_to_cac, profit_per_customer,
        expected_orders, break_even_margin_pct, payback_orders_undiscounted``.
    """
    rep = pick(claims, "3.1", "repurchase_rate", "12 months")
    cac = pick(claims, "3.1", "customer_acquisition_cost", "12 months")
    cases = [
        ("Now (plan 3.1 baselines)", "", econ),
        ("Repurchase target met", rep["id"], replace(econ, repurchase=rep["value"] / 100)),
        ("Acquisition-cost target met", cac["id"], replace(econ, cac=float(cac["value"]))),
        (
            "Both short-term targets met",
            f"{rep['id']}, {cac['id']}",
            replace(econ, repurchase=rep["value"] / 100, cac=float(cac["value"])),
        ),
    ]
    rows = []
    for label, ids, e in cases:
        out = CE.evaluate(e)
        rows.append(
            {
                "case": label,
                "claim_ids": ids,
                "repurchase_pct": e.repurchase * 100,
                "cac": e.cac,
                "ltv": out["ltv"],
                "ltv_to_cac": out["ltv_to_cac"],
                "profit_per_customer": out["profit_per_customer"],
                "expected_orders": out["expected_orders"],
                "break_even_margin_pct": out["break_even_margin"] * 100,
                "payback_orders_undiscounted": out["payback_orders_undiscounted"],
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- saturation


def implied_total_users(claims: pd.DataFrame) -> tuple[float, list[str]]:
    """All e-commerce users in 2023 as plan 1.2 implies them (hundred million), and the ids.

    The lower-tier user count divided by its share of all users.
    """
    users = pick(claims, "1.2", "lower_tier_users", "2023")
    share = pick(claims, "1.2", "lower_tier_share_of_users", "2023")
    total = A.implied_total(float(users["value"]), float(share["value"]))
    return total, [users["id"], share["id"]]


def user_ceiling(claims: pd.DataFrame, ceiling_100m: float | None) -> tuple[float, str]:
    """The ceiling of lower-tier users (hundred million) and where it comes from.

    ``None`` takes all e-commerce users as plan 1.2 implies them
    (:func:`implied_total_users`).
    """
    if ceiling_100m is not None:
        return float(ceiling_100m), "parameter"
    total, ids = implied_total_users(claims)
    return total, f"all e-commerce users implied by plan 1.2 ({', '.join(ids)})"


def lower_tier_saturation(
    claims: pd.DataFrame, ceiling_100m: float | None, years: int, steps_per_year: int = 1
) -> tuple[pd.DataFrame, dict[str, object]]:
    """The lower-tier user target of plan 3.1 as a compounding path against a ceiling.

    Starts from the 2023 count of plan 1.2 and the growth rate of plan 3.1; the logistic
    path has the same intrinsic rate (see :mod:`planbook.methods.models.saturation`).

    Returns
    -------
    tuple
        The paths (:func:`planbook.methods.models.saturation.paths`, hundred million users) and a
        summary: ``start, start_year, start_id, rate_pct, rate_id, horizon`` (the target's
        years), ``ceiling, ceiling_source, crossing_years, crossing_year``,
        ``compound_at_horizon, logistic_at_horizon, logistic_rate_pct`` (the logistic path's
        average rate over the horizon), ``logistic_95_years`` (years to
        :data:`NEAR_CEILING` of the ceiling), and the other lower-tier target of the plan
        (plan 6.2): ``other_id, other_target, other_rate_pct``.
    """
    start_row = pick(claims, "1.2", "lower_tier_users", "2023")
    rate_row = pick(claims, "3.1", "lower_tier_users_cagr", "3 years")
    other = pick(claims, "6.2", "lower_tier_users", "3 years")
    start, rate = float(start_row["value"]), float(rate_row["value"])
    start_year = int(start_row["period"])
    horizon, _ = horizon_years(rate_row["period"], math.nan)
    ceiling, source = user_ceiling(claims, ceiling_100m)
    if ceiling <= start:
        raise InputError(
            f"user_ceiling_100m={ceiling:g}: the ceiling must be above the {start_year} "
            f"lower-tier users ({start:g} hundred million, plan 1.2); raise it or leave it "
            "empty for the plan's own total"
        )
    frame = S.paths(start, rate, ceiling, start_year, max(int(years), 1), steps_per_year)
    crossing = S.crossing_time(start, rate, ceiling)
    logistic_h = float(S.logistic_path(start, rate, ceiling, [horizon])[0])
    other_value = convert(float(other["value"]), other["unit"], start_row["unit"])
    summary: dict[str, object] = {
        "start": start,
        "start_year": start_year,
        "start_id": start_row["id"],
        "rate_pct": rate,
        "rate_id": rate_row["id"],
        "horizon": horizon,
        "ceiling": ceiling,
        "ceiling_source": source,
        "crossing_years": crossing,
        "crossing_year": start_year + crossing,
        "compound_at_horizon": A.grow(start, rate, horizon),
        "logistic_at_horizon": logistic_h,
        "logistic_rate_pct": A.cagr(start, logistic_h, horizon),
        "logistic_95_years": S.logistic_time_to_share(start, rate, ceiling, NEAR_CEILING),
        "other_id": other["id"],
        "other_target": other_value,
        "other_rate_pct": A.cagr(start, other_value, horizon),
    }
    return frame, summary


# --------------------------------------------------------------------------- headline


def headline(params: GoalsParams, claims: pd.DataFrame) -> dict[str, float]:
    """Chapter 3's key numbers under ``params`` (fast: no forecasting, no plotting).

    Keys: targets in chapter 3, targets with a stated baseline, metrics with target levels
    for the same date that no single value meets, LTV/CAC now and with both 12-month
    targets met, the years until 25% compounding of lower-tier users crosses the ceiling,
    and the lower-tier users the compounding path reaches at the target's horizon
    (hundred million).
    """
    table = targets_table(claims, params.unspecified_horizon_years)
    summary = conflict_summary(same_metric_targets(claims))
    econ, _ = economics_now(claims, params)
    cases = economics_under_targets(claims, econ)
    _, sat = lower_tier_saturation(claims, params.user_ceiling_100m, params.path_years)
    return {
        "targets": float(len(table)),
        "targets_with_baseline": float((table["baseline_id"] != "").sum()),
        "metrics_with_same_date_conflicts": float(
            (summary["verdict"] == VERDICTS[0]).sum() if not summary.empty else 0
        ),
        "ltv_to_cac_now": float(cases["ltv_to_cac"].iloc[0]),
        "ltv_to_cac_targets": float(cases["ltv_to_cac"].iloc[-1]),
        "years_to_ceiling": float(sat["crossing_years"]),
        "users_compound_at_horizon": float(sat["compound_at_horizon"]),
    }


__all__ = [
    "NEAR_CEILING",
    "SAME_LEVEL_TOLERANCE_PCT",
    "VERDICTS",
    "internal_checks",
    "side_by_side",
    "conflict_summary",
    "economics_now",
    "economics_under_targets",
    "find_baseline",
    "headline",
    "horizon_years",
    "implied_total_users",
    "lower_tier_saturation",
    "same_metric_targets",
    "targets_table",
    "user_ceiling",
]
