"""Chapter 3's targets beside the targets other chapters set for the same metric."""

from __future__ import annotations

import math

import pandas as pd

from planbook.chapters.goals.targets import _change_sign, _family, find_baseline, horizon_years
from planbook.data.amounts import said, scaled
from planbook.data.plan import convert, select
from planbook.methods import arithmetic as A

SAME_LEVEL_TOLERANCE_PCT = 0.5
"""Two target levels this close (percent of the smaller) are the same level."""


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
    value = (
        said(row["value"], str(row["unit"])) if scaled(row["unit"]) else f"{row['value']:g}{unit}"
    )
    text = f"{row['section']}: {bound}{sign}{value}"
    if form != "level":
        text += " a year" if form == "growth rate" else " change"
        if row["implied_level"] == row["implied_level"] and row["level_unit"] != row["unit"]:
            lu = str(row["level_unit"])
            level_unit = UNIT_WORDS.get(lu, f" {lu}")
            level = f"{row['implied_level']:.4g}{level_unit}"
            text += f" (= {said(row['implied_level'], lu) if scaled(lu) else level})"
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
