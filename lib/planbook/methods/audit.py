"""The audit: declarative consistency checks of the plan's arithmetic over the claims table.

Each rule of :data:`RULES` is a small function over the claims table that finds the
figures it needs by their metric, entity, period, kind and unit (never by claim id or by
value), recomputes what they imply with :mod:`planbook.methods.arithmetic`, and returns one
finding per comparison, the ones that hold as well as the ones that fail.
:func:`run_audit` runs them all into one table; :func:`chapter_findings` selects the rows
that touch one chapter; :func:`findings_view` styles a selection for a notebook.

How figures are matched (the assumptions behind every pairing):

- **Entities.** ``industry`` and ``plan`` describe the same market (the plan sets its
  targets against the industry's figures), so they match each other. A named company
  (``JD.com``, ``Shein``) matches only itself. A generic subject (``a platform``,
  ``a brand``: any entity starting with "a ") may be a different firm in each section, so
  it is compared only within a stated before/after pair.
- **Periods.** ``current`` is the plan's latest reported year (the latest single year of
  any ``actual`` claim, 2023). Target horizons become windows in months from the plan's
  start: ``3 years`` = months 0-36, ``year 2`` = months 12-24, ``years 5+`` = month 48
  on, ``months 7-18`` = months 6-18. ``unspecified`` and recurring periods (``monthly``)
  have no window.
- **Ranges.** Two claims of one section with the same metric, entity, period, kind and
  unit are the two ends of a stated range ("3-5 categories") and are read as one figure.
- **Bounds.** "More than 8" is the interval above 8, and so on; two figures agree when
  their intervals meet.
- **Direction.** A target "is met" when the figure is at or beyond it in the direction
  the plan wants: the direction the plan itself states ("from 25% down to 15%") when a
  section pairs a baseline with a target; else lower is better for times, cycles, costs,
  losses, fees, rates of failure (:data:`LOWER_IS_BETTER`); else higher is better.
- **Names.** The plan calls the transaction volume of plan 1.2 "GMV" in plan 8.1;
  :data:`SAME_QUANTITY` maps such names onto one.

Verdicts follow :mod:`planbook.methods.arithmetic`: ``consistent`` (within half a unit of the last
stated digit), ``within rounding`` (within the tolerance), ``inconsistent``,
``unverifiable``. Severity (:func:`severity_of`) grades each inconsistent finding by the
size of the discrepancy relative to the stated figure: below ``medium_pct`` (10%) low,
below ``high_pct`` (25%) medium, else high. Findings that hold have severity ``none``;
structural gaps are graded by what is lost (:data:`GAP_SEVERITY`).
"""

from __future__ import annotations

import difflib
import math
import numbers
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import pandas as pd

from planbook.data.plan import UNITS, convert
from planbook.errors import InputError
from planbook.methods import arithmetic as A

__all__ = [
    "COLUMNS",
    "GAP_SEVERITY",
    "LOWER_IS_BETTER",
    "RULES",
    "SAME_QUANTITY",
    "SEVERITIES",
    "Rule",
    "Tolerances",
    "VIEW_COLUMNS",
    "at_least",
    "by_chapter",
    "chapter_findings",
    "counts",
    "findings_view",
    "most_severe",
    "rules_table",
    "run_audit",
    "severity_of",
    "tolerances_from",
    "touches",
]

COLUMNS: tuple[str, ...] = (
    "rule",
    "chapter",
    "sections",
    "claim_ids",
    "stated",
    "recomputed",
    "difference",
    "unit",
    "verdict",
    "severity",
    "detail",
)
"""Columns of :func:`run_audit`, in order."""

SEVERITIES: tuple[str, ...] = ("none", "low", "medium", "high")
"""Severity levels, mildest first."""

GAP_SEVERITY = {"cut": "low", "empty": "medium", "missing": "high"}
"""Severity of a structural gap by the section's state: a section cut mid-sentence still
holds some text, an empty one holds a heading, a missing one (chapter 10) nothing."""

SAME_QUANTITY = {"gmv": "ecommerce_transaction_volume"}
"""Metric names the plan uses for one quantity: plan 8.1's baseline GMV of 47.8 trillion
yuan is plan 1.2's 2023 e-commerce transaction volume (the claims' note says so). A
metric ``gmv_cagr`` becomes ``ecommerce_transaction_volume_cagr`` too."""

LOWER_IS_BETTER = (
    "_time",
    "_cycle",
    "_days",
    "_horizon",
    "cost",
    "expense",
    "spoilage",
    "churn",
    "unsold",
    "overselling",
    "stockout",
    "return_rate",
    "abandonment",
    "commission",
    "breach",
    "incident",
    "fee",
    "delay",
    "loss",
    "fine",
    "complaint",
    "impact_scope",
)
"""Parts of metric names for which a lower figure is better (when the plan does not state
the direction itself). Changes (``_reduction``, ``_uplift`` ...) are always better larger."""

CHANGE_SUFFIXES = ("cagr", "growth", "reduction", "uplift", "change", "improvement")
_CHANGE_RE = re.compile(rf"^(?P<base>.+)_(?P<kind>{'|'.join(CHANGE_SUFFIXES)})$")
_RANGE_RE = re.compile(r"^(\d{4})-(\d{4})$")
_YEAR_RE = re.compile(r"^\d{4}$")
_PHASE_RE = re.compile(r"^(year \d+|years \d+-\d+|years \d+\+|months \d+-\d+)$")
_RATE_UNITS = ("percent", "percentage_points")


# --------------------------------------------------------------------------- tolerances


@dataclass(frozen=True)
class Tolerances:
    """How far apart two figures may be before the audit calls them inconsistent.

    Attributes
    ----------
    rate_pp : float
        Rates and shares (unit percent or percentage points): a recomputed figure this
        many points from the stated one is ``within rounding`` (default 0.5).
    level_pct : float
        Levels (money, counts, days ...): relative tolerance in percent (default 2.0).
    sum_pp : float
        Shares that must sum to at most 100%: points of slack for rounding (default 0.5).
    max_rate_ratio : float
        A target whose implied annual rate is more than this multiple of the historical
        rate is "far above history" (default 2.0).
    deadline_months : float
        Two deadlines for one target this many months apart still agree (default 0).
    medium_pct, high_pct : float
        Severity thresholds: an inconsistency of at least ``medium_pct`` percent of the
        stated figure is medium, of at least ``high_pct`` percent high (10 and 25).
    """

    rate_pp: float = 0.5
    level_pct: float = 2.0
    sum_pp: float = 0.5
    max_rate_ratio: float = 2.0
    deadline_months: float = 0.0
    medium_pct: float = 10.0
    high_pct: float = 25.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int | float) or math.isnan(value) or value < 0:
                raise InputError(
                    f"tolerance {f.name} must be a number >= 0 (got {value!r}); "
                    f"use e.g. {f.default}"
                )
        if self.max_rate_ratio < 1:
            raise InputError(
                f"tolerance max_rate_ratio must be at least 1 (got {self.max_rate_ratio}); "
                "use e.g. 2.0"
            )
        if self.high_pct < self.medium_pct:
            raise InputError(
                f"tolerance high_pct ({self.high_pct}) must be at least medium_pct "
                f"({self.medium_pct}); raise high_pct or lower medium_pct"
            )

    def for_unit(self, unit: str, stated: float) -> float:
        """The absolute tolerance for a figure of ``unit`` stated as ``stated``."""
        if unit in _RATE_UNITS:
            return self.rate_pp
        return abs(stated) * self.level_pct / 100.0


def tolerances_from(params: Any) -> Tolerances:
    """Tolerances from a parameter object (or mapping) with the audit's parameter names.

    Recognised names: ``rate_tolerance_pp``, ``level_tolerance_pct``,
    ``sum_tolerance_pp``, ``max_rate_ratio``, ``deadline_tolerance_months``,
    ``medium_severity_pct``, ``high_severity_pct``; missing ones keep their defaults.
    """
    names = {
        "rate_tolerance_pp": "rate_pp",
        "level_tolerance_pct": "level_pct",
        "sum_tolerance_pp": "sum_pp",
        "max_rate_ratio": "max_rate_ratio",
        "deadline_tolerance_months": "deadline_months",
        "medium_severity_pct": "medium_pct",
        "high_severity_pct": "high_pct",
    }
    get = params.get if isinstance(params, dict) else lambda k, d=None: getattr(params, k, d)
    values = {field: float(get(name)) for name, field in names.items() if get(name) is not None}
    return Tolerances(**values)


# --------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class Span:
    """The set of values a stated figure allows: ``[lo, hi]``, ends open or closed."""

    lo: float
    hi: float
    lo_open: bool = False
    hi_open: bool = False

    @classmethod
    def of(cls, value: float, bound: object) -> Span:
        if bound == "gt":
            return cls(value, math.inf, lo_open=True)
        if bound == "ge":
            return cls(value, math.inf)
        if bound == "lt":
            return cls(-math.inf, value, hi_open=True)
        if bound == "le":
            return cls(-math.inf, value)
        return cls(value, value)

    def scaled(self, factor: float) -> Span:
        return Span(self.lo * factor, self.hi * factor, self.lo_open, self.hi_open)

    def gap(self, other: Span) -> tuple[float, bool]:
        """Distance between two spans and whether they share a point."""
        if self.hi < other.lo:
            return other.lo - self.hi, False
        if other.hi < self.lo:
            return self.lo - other.hi, False
        if self.hi == other.lo and (self.hi_open or other.lo_open):
            return 0.0, False
        if other.hi == self.lo and (other.hi_open or self.lo_open):
            return 0.0, False
        return 0.0, True


@dataclass(frozen=True)
class Item:
    """One figure of the plan: a claim, or the two claims of a stated range."""

    ids: tuple[str, ...]
    section: str
    chapter: int
    metric: str
    entity: str
    period: str
    kind: str
    unit: str
    value: float
    span: Span
    bound: str
    order: int

    @property
    def skey(self) -> tuple[int, int]:
        return _section_key(self.section)

    @property
    def dim(self) -> str:
        return UNITS[self.unit][0]

    def value_in(self, unit: str) -> float:
        return convert(self.value, self.unit, unit)

    def span_in(self, unit: str) -> Span:
        return self.span.scaled(convert(1.0, self.unit, unit))

    def text(self, unit: str | None = None) -> str:
        """The figure as the plan states it, e.g. "more than 8 hundred million"."""
        unit = unit or self.unit
        if self.span.lo != self.span.hi and math.isfinite(self.span.lo + self.span.hi):
            lo, hi = convert(self.span.lo, self.unit, unit), convert(self.span.hi, self.unit, unit)
            return f"{_num(lo)}-{_with_unit(hi, unit)}"
        words = {"gt": "more than ", "ge": "at least ", "lt": "less than ", "le": "at most "}
        return words.get(self.bound, "") + _with_unit(self.value_in(unit), unit)


def _section_key(section: str) -> tuple[int, int]:
    major, minor = str(section).split(".")
    return int(major), int(minor)


def _num(x: float) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    if math.isinf(x):
        return "no limit"
    if x != 0 and abs(x) < 0.1:
        return f"{x:.3g}"
    text = f"{x:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


_UNIT_WORDS = {
    "trillion_yuan": " trillion yuan",
    "100m_yuan": " hundred million yuan",
    "10k_yuan": " ten thousand yuan",
    "yuan": " yuan",
    "yuan_per_user": " yuan per user",
    "100m_usd": " hundred million USD",
    "10k_eur": " ten thousand EUR",
    "percent": "%",
    "percentage_points": " points",
    "times": " times",
    "times_per_year": " times a year",
    "10k_count": " ten thousand",
    "100m_count": " hundred million",
    "count": "",
    "index": "",
    "ratio": "",
    "score": " points of 100",
}


def _with_unit(x: float, unit: str) -> str:
    return _num(x) + _UNIT_WORDS.get(unit, f" {unit}")


def _apart(gap: float, unit: str) -> str:
    """A distance between two figures in words: "5 points", "30 days", "1 year"."""
    word = {"percent": " points", "percentage_points": " points"}.get(
        unit, _UNIT_WORDS.get(unit, f" {unit}")
    )
    if gap == 1 and word.endswith("s") and unit in ("years", "months", "days", "weeks"):
        word = word[:-1]
    return f"{_num(gap)}{word} apart"


def _is_generic(entity: str) -> bool:
    return str(entity).startswith("a ")


def _entity_key(entity: str) -> str | None:
    """Entities that describe the same subject share a key; generic ones have none."""
    if entity in ("industry", "plan"):
        return "market"
    if _is_generic(entity):
        return None
    return entity


def _normal_metric(metric: str) -> str:
    for old, new in SAME_QUANTITY.items():
        if metric == old:
            return new
        if metric.startswith(old + "_"):
            return new + metric[len(old) :]
    return metric


def latest_year(claims: pd.DataFrame) -> str | None:
    """The plan's latest reported year: the latest single year of an ``actual`` claim."""
    years = claims.loc[claims["kind"] == "actual", "period"].astype(str)
    years = years[years.str.fullmatch(r"\d{4}")]
    return str(years.astype(int).max()) if not years.empty else None


def window(period: str) -> tuple[float, float] | None:
    """A target horizon as months from the plan's start ``(start, end)``; None if undated.

    >>> window("3 years"), window("year 2"), window("years 5+"), window("months 7-18")
    ((0.0, 36.0), (12.0, 24.0), (48.0, inf), (6.0, 18.0))
    """
    text = str(period)
    if m := re.fullmatch(r"(\d+) years", text):
        return 0.0, 12.0 * int(m[1])
    if m := re.fullmatch(r"(\d+) months", text):
        return 0.0, float(m[1])
    if m := re.fullmatch(r"year (\d+)", text):
        return 12.0 * (int(m[1]) - 1), 12.0 * int(m[1])
    if m := re.fullmatch(r"years (\d+)-(\d+)", text):
        return 12.0 * (int(m[1]) - 1), 12.0 * int(m[2])
    if m := re.fullmatch(r"years (\d+)\+", text):
        return 12.0 * (int(m[1]) - 1), math.inf
    if m := re.fullmatch(r"months (\d+)-(\d+)", text):
        return float(int(m[1]) - 1), float(m[2])
    return None


def _due(win: tuple[float, float]) -> float:
    """The month a window's target falls due: its end, or its start if open-ended."""
    return win[1] if math.isfinite(win[1]) else win[0]


def _window_text(win: tuple[float, float]) -> str:
    if not math.isfinite(win[1]):
        return f"from month {_num(win[0])}"
    return f"months {_num(win[0])}-{_num(win[1])}"


@dataclass
class Context:
    """What every rule sees: the figures, the sections and the tolerances."""

    items: list[Item]
    claims: pd.DataFrame
    sections: pd.DataFrame
    tol: Tolerances
    latest: str | None

    def period(self, item: Item) -> str:
        """An item's period with ``current`` read as the latest reported year."""
        return self.latest if item.period == "current" and self.latest else item.period

    def is_latest(self, item: Item) -> bool:
        """Is the item a figure for "now" (``current`` or the latest reported year)?"""
        return item.period == "current" or (self.latest is not None and item.period == self.latest)


def _items(claims: pd.DataFrame) -> list[Item]:
    """The claims as figures: names normalised, the two ends of a stated range merged."""
    frame = claims.reset_index(drop=True).copy()
    frame["metric"] = frame["metric"].map(_normal_metric)
    frame["bound"] = frame["bound"].where(frame["bound"].notna(), "")
    frame["_order"] = range(len(frame))
    keys = ["section", "metric", "entity", "period", "kind", "unit"]
    out = []
    for _, group in frame.groupby(keys, sort=False):
        first = group.iloc[0]
        values = group["value"].astype(float)
        if len(group) == 1:
            span = Span.of(float(first["value"]), first["bound"])
            bound = str(first["bound"])
        else:
            span, bound = Span(float(values.min()), float(values.max())), ""
        out.append(
            Item(
                ids=tuple(group["id"]),
                section=str(first["section"]),
                chapter=int(first["chapter"]),
                metric=str(first["metric"]),
                entity=str(first["entity"]),
                period=str(first["period"]),
                kind=str(first["kind"]),
                unit=str(first["unit"]),
                value=float(values.min()),
                span=span,
                bound=bound,
                order=int(first["_order"]),
            )
        )
    return sorted(out, key=lambda i: (i.skey, i.order))


# --------------------------------------------------------------------------- findings


@dataclass
class Finding:
    """One comparison of the audit (a row of :func:`run_audit`)."""

    rule: str
    items: Sequence[Item]
    stated: float
    recomputed: float
    unit: str
    verdict: str
    detail: str
    relative: float = math.nan
    severity: str | None = None
    sections: tuple[str, ...] = field(default=())
    ids: tuple[str, ...] = field(default=())

    def row(self, tol: Tolerances) -> dict[str, Any]:
        sections = self.sections or tuple(sorted({i.section for i in self.items}, key=_section_key))
        ids = self.ids or tuple(x for i in self.items for x in i.ids)
        difference = (
            self.recomputed - self.stated
            if math.isfinite(self.stated) and math.isfinite(self.recomputed)
            else math.nan
        )
        relative = self.relative
        if math.isnan(relative) and math.isfinite(difference) and self.stated:
            relative = abs(difference) / abs(self.stated) * 100.0
        return {
            "rule": self.rule,
            "chapter": min(_section_key(s)[0] for s in sections),
            "sections": "; ".join(sections),
            "claim_ids": "; ".join(ids),
            "stated": float(self.stated),
            "recomputed": float(self.recomputed),
            "difference": float(difference),
            "unit": self.unit,
            "verdict": self.verdict,
            "severity": self.severity or severity_of(self.verdict, relative, tol),
            "detail": self.detail[:1].upper() + self.detail[1:],
        }


def severity_of(verdict: str, relative_pct: float, tol: Tolerances | None = None) -> str:
    """Severity of a finding from its verdict and relative discrepancy (percent).

    Holds (consistent, within rounding) are ``none``; an inconsistency of less than
    ``tol.medium_pct`` percent of the stated figure is ``low``, less than ``tol.high_pct``
    ``medium``, else ``high`` (an unknown size counts as medium).
    """
    tol = tol or Tolerances()
    if verdict in ("consistent", "within rounding"):
        return "none"
    if relative_pct is None or math.isnan(relative_pct):
        return "medium"
    if relative_pct >= tol.high_pct:
        return "high"
    if relative_pct >= tol.medium_pct:
        return "medium"
    return "low"


def _verdict(stated: float, gap: float, meets: bool, tolerance: float) -> str:
    """Verdict from the distance between a stated figure and a recomputed one.

    ``meets``: the two share a point. Spans that only touch at an open end ("less than
    30" against 30) are within rounding; a gap within half a unit of the last stated
    digit is consistent, within ``tolerance`` within rounding.
    """
    if math.isnan(gap):
        return "unverifiable"
    if gap == 0 and not meets:
        return "within rounding"
    if gap <= A.half_unit(stated) + 1e-9:
        return "consistent"
    if gap <= tolerance + 1e-12:
        return "within rounding"
    return "inconsistent"


def _compare(stated: Span, recomputed: Span, stated_value: float, tolerance: float) -> str:
    gap, touching = stated.gap(recomputed)
    return _verdict(stated_value, gap, touching, tolerance)


def _nearest(candidates: Iterable[Item], to: Item) -> Item | None:
    """The candidate closest to ``to``: same section, then same chapter, then plan order."""
    ranked = sorted(
        candidates,
        key=lambda c: (c.section != to.section, c.chapter != to.chapter, c.skey, c.order),
    )
    return ranked[0] if ranked else None


_ACRONYMS = {
    "ai": "AI",
    "b2c": "B2C",
    "c2m": "C2M",
    "cagr": "CAGR",
    "ecommerce": "e-commerce",
    "ctr": "CTR",
    "gmv": "GMV",
    "hhi": "HHI",
    "ip": "IP",
    "mau": "MAU",
    "mcn": "MCN",
    "rnd": "R&D",
    "roas": "ROAS",
    "roe": "ROE",
    "roi": "ROI",
    "sku": "SKU",
    "sme": "SME",
}


def _label(metric: str) -> str:
    """A metric name in words: ``rnd_team_size`` -> "R&D team size"."""
    return " ".join(_ACRONYMS.get(w, w) for w in metric.split("_"))


# --------------------------------------------------------------------------- directions


def direction(metric: str, items: Sequence[Item]) -> int:
    """+1 if a higher figure is better for ``metric``, -1 if lower (see module notes)."""
    signs = set()
    by_section: dict[str, list[Item]] = {}
    for it in items:
        if it.metric == metric and _entity_key(it.entity) == "market":
            by_section.setdefault(it.section, []).append(it)
    for group in by_section.values():
        actual = [i for i in group if i.kind == "actual"]
        target = [i for i in group if i.kind == "target"]
        for a in actual:
            for t in target:
                if a.dim == t.dim and t.value_in(a.unit) != a.value:
                    signs.add(1 if t.value_in(a.unit) > a.value else -1)
    if len(signs) == 1:
        return signs.pop()
    if _CHANGE_RE.match(metric) or metric.endswith("_multiple"):
        return 1
    return -1 if any(p in metric for p in LOWER_IS_BETTER) else 1


# --------------------------------------------------------------------------- rules 1-2


def _rate_triples(ctx: Context) -> list[tuple[Item, Item, Item, float, str]]:
    """Stated changes with their start and end figures: ``(rate, start, end, years, how)``.

    ``how`` is the rate's kind (cagr, growth, reduction ...). Three ways to find them:
    a before/after pair of the same subject; a year range ``2020-2023`` with figures for
    both years; a target horizon with a target figure for the same horizon (in the rate's
    section, or anywhere with the same dated horizon) and the latest actual as the start.
    """
    out = []
    items = ctx.items
    for rate in items:
        m = _CHANGE_RE.match(rate.metric)
        if not m or rate.unit not in _RATE_UNITS:
            continue
        base, how = m["base"], m["kind"]
        levels = [i for i in items if i.metric == base and i.unit not in ("percentage_points",)]
        if how in ("cagr",) and rate.unit != "percent":
            continue
        # before / after of the same subject
        before = [i for i in levels if i.period == "before" and i.entity == rate.entity]
        after = [i for i in levels if i.period == "after" and i.entity == rate.entity]
        if before and after and how != "cagr":
            b = _nearest(before, rate)
            a = _nearest([i for i in after if i.section == b.section and i.dim == b.dim], rate)
            if a is not None:
                out.append((rate, b, a, 1.0, how))
                continue
        key = _entity_key(rate.entity)
        if key is None:
            continue
        same = [i for i in levels if _entity_key(i.entity) == key]
        # a year range with figures at both ends
        if r := _RANGE_RE.match(rate.period):
            start = [i for i in same if ctx.period(i) == r[1]]
            end = [i for i in same if ctx.period(i) == r[2]]
            if start and end:
                s, e = _nearest(start, rate), _nearest(end, rate)
                if s.dim == e.dim:
                    out.append((rate, s, e, float(int(r[2]) - int(r[1])), how))
            continue
        # a target horizon: the target figure for that horizon and the latest actual
        win = window(rate.period)
        if rate.kind != "target" or win is None:
            continue
        ends = [
            i
            for i in same
            if i.kind == "target"
            and i.period == rate.period
            and (i.section == rate.section or window(i.period) is not None)
        ]
        starts = [i for i in same if i.kind == "actual" and ctx.is_latest(i)]
        e = _nearest(ends, rate)
        if e is None:
            continue
        s = _nearest([i for i in starts if i.dim == e.dim], e)
        if s is None:
            continue
        years = _due(win) / 12.0 if how == "cagr" else 1.0
        out.append((rate, s, e, years, how))
    return out


def _change(how: str, unit: str, start: float, end: float, years: float) -> float:
    if how == "cagr":
        return A.cagr(start, end, years)
    if unit == "percentage_points":
        return end - start
    if how == "reduction":
        return (1.0 - end / start) * 100.0
    return (end / start - 1.0) * 100.0


def _apply(how: str, unit: str, start: float, rate: float, years: float) -> float:
    if how == "cagr":
        return A.grow(start, rate, years)
    if unit == "percentage_points":
        return start + rate
    if how == "reduction":
        return start * (1.0 - rate / 100.0)
    return start * (1.0 + rate / 100.0)


def _formula(how: str, unit: str, s: str, r: str, e: str, years: float) -> str:
    if how == "cagr":
        return f"({e} / {s})^(1/{_num(years)}) - 1"
    if unit == "percentage_points":
        return f"{e} - {s}"
    if how == "reduction":
        return f"1 - {e} / {s}"
    return f"{e} / {s} - 1"


def _bound_sign(item: Item) -> int:
    return 1 if item.bound in ("gt", "ge") else -1 if item.bound in ("lt", "le") else 0


def _half(item: Item, unit: str) -> float:
    """Half a unit of the last digit an item is stated to, in ``unit``."""
    if item.span.lo != item.span.hi and math.isfinite(item.span.lo + item.span.hi):
        return 0.0
    return A.half_unit(item.value) * convert(1.0, item.unit, unit)


def _rounded(fn: Callable[..., float], args: Sequence[tuple[float, float]], bound: int = 0) -> Span:
    """The values ``fn`` can take when each input may be off by its rounding.

    ``args`` are ``(value, half_unit)`` pairs; ``fn`` is monotone in each, so its range is
    reached at the corners. ``bound`` +1 (-1) opens the range upwards (downwards), for an
    input stated as a floor (ceiling).
    """
    values = []
    for corner in range(2 ** len(args)):
        point = [v + (h if corner >> k & 1 else -h) for k, (v, h) in enumerate(args)]
        try:
            values.append(fn(*point))
        except (ValueError, ZeroDivisionError):
            continue
    if not values:
        x = fn(*(v for v, _ in args))
        values = [x]
    lo, hi = min(values), max(values)
    if bound > 0:
        return Span(lo, math.inf)
    if bound < 0:
        return Span(-math.inf, hi)
    return Span(lo, hi)


def _rounding_note(stated: Item | float, point: float, span: Span, verdict: str, unit: str) -> str:
    """Say so when only the inputs' rounding reconciles a figure with its recomputation."""
    value = stated.value if isinstance(stated, Item) else stated
    if isinstance(stated, Item) and (stated.bound or stated.span.lo != stated.span.hi):
        return ""
    if verdict != "consistent" or abs(point - value) <= A.half_unit(value) + 1e-9:
        return ""
    if not (math.isfinite(span.lo) and math.isfinite(span.hi)):
        return ""
    return (
        f" (with the inputs rounded as stated, anything from {_num(span.lo)} to "
        f"{_with_unit(span.hi, unit)} is possible)"
    )


def _lead(span: Span) -> str:
    if span.hi == math.inf and span.lo != span.hi:
        return "at least "
    if span.lo == -math.inf and span.lo != span.hi:
        return "at most "
    return ""


def rule_growth_rate(ctx: Context) -> list[Finding]:
    """A stated growth rate, CAGR or change against the start and end figures it links."""
    out = []
    for rate, s, e, years, how in _rate_triples(ctx):
        start, end = s.value_in(e.unit), e.value
        if start <= 0 or end <= 0:
            continue
        recomputed = _change(how, rate.unit, start, end, years)
        # a floor on the end raises the rate (a reduction: lowers it); one on the start reverses
        up = -1 if how == "reduction" and rate.unit == "percent" else 1
        signs = {up * _bound_sign(e), -up * _bound_sign(s)} - {0}
        if len(signs) > 1:
            continue
        span = _rounded(
            lambda a, b, how=how, unit=rate.unit, n=years: _change(how, unit, a, b, n),
            [(start, _half(s, e.unit)), (end, _half(e, e.unit))],
            signs.pop() if signs else 0,
        )
        tol = ctx.tol.for_unit(rate.unit, rate.value)
        verdict = _compare(rate.span, span, rate.value, tol)
        formula = _formula(how, rate.unit, _num(start), _num(rate.value), _num(end), years)
        detail = (
            f"{_label(s.metric)} from {s.text(e.unit)} ({s.section}, {s.period}) to "
            f"{e.text()} ({e.section}, {e.period}) implies {formula} = "
            f"{_lead(span)}{_with_unit(recomputed, rate.unit)}, against the {rate.text()} "
            f"stated in {rate.section}"
            f"{_rounding_note(rate, recomputed, span, verdict, rate.unit)}."
        )
        out.append(
            Finding("growth_rate", [rate, s, e], rate.value, recomputed, rate.unit, verdict, detail)
        )
    return out


def rule_end_value(ctx: Context) -> list[Finding]:
    """A stated end figure against its start figure and the stated rate or change."""
    out = []
    for rate, s, e, years, how in _rate_triples(ctx):
        start = s.value_in(e.unit)
        if start <= 0:
            continue
        recomputed = _apply(how, rate.unit, start, rate.value, years)
        up = -1 if how == "reduction" and rate.unit == "percent" else 1
        signs = {up * _bound_sign(rate), _bound_sign(s)} - {0}
        if len(signs) > 1:
            continue
        span = _rounded(
            lambda a, r, how=how, unit=rate.unit, n=years: _apply(how, unit, a, r, n),
            [(start, _half(s, e.unit)), (rate.value, _half(rate, rate.unit))],
            signs.pop() if signs else 0,
        )
        tol = ctx.tol.for_unit(e.unit, e.value)
        verdict = _compare(e.span, span, e.value, tol)
        if how == "cagr":
            step = f"{_num(start)} x (1 + {_num(rate.value)}%)^{_num(years)}"
        elif rate.unit == "percentage_points":
            step = f"{_num(start)} + {_num(rate.value)} points"
        elif how == "reduction":
            step = f"{_num(start)} x (1 - {_num(rate.value)}%)"
        else:
            step = f"{_num(start)} x (1 + {_num(rate.value)}%)"
        detail = (
            f"{_label(e.metric)}: {s.text(e.unit)} ({s.section}, {s.period}) changed by "
            f"{rate.text()} ({rate.section}) gives {step} = "
            f"{_lead(span)}{_with_unit(recomputed, e.unit)}, against the {e.text()} stated in "
            f"{e.section} ({e.period}){_rounding_note(e, recomputed, span, verdict, e.unit)}"
        )
        if how == "cagr" and verdict == "inconsistent" and start > 0 and e.value > 0:
            implied = A.cagr(start, e.value, years)
            detail += f"; the stated end implies {_num(implied)}% a year"
        out.append(
            Finding("end_value", [e, s, rate], e.value, recomputed, e.unit, verdict, detail + ".")
        )
    return out


# --------------------------------------------------------------------------- rule 3


def rule_cumulative_vs_cagr(ctx: Context) -> list[Finding]:
    """Cumulative growth over a year range against the CAGR stated for the same range."""
    out = []
    for growth in ctx.items:
        m = _CHANGE_RE.match(growth.metric)
        if not m or m["kind"] != "growth" or growth.unit != "percent":
            continue
        r = _RANGE_RE.match(growth.period)
        if not r:
            continue
        key = _entity_key(growth.entity)
        rates = [
            i
            for i in ctx.items
            if i.metric == f"{m['base']}_cagr"
            and i.period == growth.period
            and i.unit == "percent"
            and (i.entity == growth.entity or (key and _entity_key(i.entity) == key))
        ]
        rate = _nearest(rates, growth)
        if rate is None:
            continue
        years = int(r[2]) - int(r[1])
        recomputed = A.cagr_from_cumulative(growth.value, years)
        span = _rounded(
            lambda g, n=years: A.cagr_from_cumulative(g, n),
            [(growth.value, _half(growth, "percent"))],
        )
        verdict = _compare(rate.span, span, rate.value, ctx.tol.rate_pp)
        detail = (
            f"Cumulative growth of {_label(m['base'])} of {growth.text()} over {growth.period} "
            f"({growth.section}) is (1 + {_num(growth.value)}%)^(1/{years}) - 1 = "
            f"{_num(recomputed)}% a year, against the {rate.text()} CAGR stated in "
            f"{rate.section}{_rounding_note(rate, recomputed, span, verdict, 'percent')}."
        )
        out.append(
            Finding(
                "cumulative_vs_cagr",
                [rate, growth],
                rate.value,
                recomputed,
                "percent",
                verdict,
                detail,
            )
        )
    return out


# --------------------------------------------------------------------------- rule 4

_SHARE_OF_RE = re.compile(r"^(?P<part>.+)_share_of_(?P<total>.+)$")


def _starts(metric: str, stem: str) -> bool:
    return metric == stem or metric.startswith(stem + "_")


def rule_implied_total(ctx: Context) -> list[Finding]:
    """The total implied by a part and its share, against the stated total (or another
    implied total of the same whole)."""
    out = []
    implied: dict[tuple[str, str, str, str], list[tuple[float, Item, Item]]] = {}
    for share in ctx.items:
        m = _SHARE_OF_RE.match(share.metric)
        if not m or share.unit != "percent" or share.span.lo != share.span.hi or share.value <= 0:
            continue
        period = ctx.period(share)
        parts = [
            i
            for i in ctx.items
            if i.section == share.section
            and i.entity == share.entity
            and ctx.period(i) == period
            and _starts(i.metric, m["part"])
            and i.unit not in _RATE_UNITS
            and not _CHANGE_RE.match(i.metric)
            and i.dim not in ("multiple", "ratio", "index")
        ]
        key = _entity_key(share.entity)
        for part in parts:
            totals = [
                i
                for i in ctx.items
                if _starts(i.metric, m["total"])
                and i.dim == part.dim
                and i.kind == part.kind
                and ctx.period(i) == period
                and key is not None
                and _entity_key(i.entity) == key
                and not _SHARE_OF_RE.match(i.metric)
            ]
            total = _nearest(totals, share)
            value = A.implied_total(part.value, share.value)
            if total is None:
                implied.setdefault((m["total"], part.dim, str(key), period), []).append(
                    (value, part, share)
                )
                continue
            value = convert(value, part.unit, total.unit)
            span = _rounded(
                lambda p, q: A.implied_total(p, q),
                [
                    (part.value_in(total.unit), _half(part, total.unit)),
                    (share.value, _half(share, "percent")),
                ],
            )
            verdict = _compare(
                total.span, span, total.value, ctx.tol.for_unit(total.unit, total.value)
            )
            detail = (
                f"{_label(part.metric)} of {part.text(total.unit)} ({part.section}) at "
                f"{share.text()} of {_label(m['total'])} ({share.section}) implies "
                f"{_num(part.value_in(total.unit))} / {_num(share.value)}% = "
                f"{_with_unit(value, total.unit)}, against the {total.text()} stated in "
                f"{total.section}{_rounding_note(total, value, span, verdict, total.unit)}."
            )
            out.append(
                Finding(
                    "implied_total",
                    [total, part, share],
                    total.value,
                    value,
                    total.unit,
                    verdict,
                    detail,
                )
            )
            break
    for (total_name, _dim, key, period), found in implied.items():
        if key == "None" or len(found) < 2:
            continue
        v0, p0, s0 = found[0]
        for v1, p1, s1 in found[1:]:
            v1 = convert(v1, p1.unit, p0.unit)
            verdict = _compare(Span(v0, v0), Span(v1, v1), v0, ctx.tol.for_unit(p0.unit, v0))
            detail = (
                f"Two figures imply {_label(total_name)} ({period}): {_num(p0.value)} / "
                f"{_num(s0.value)}% = {_with_unit(v0, p0.unit)} ({s0.section}) and "
                f"{_num(p1.value)} / {_num(s1.value)}% = {_with_unit(v1, p0.unit)} "
                f"({s1.section})."
            )
            out.append(Finding("implied_total", [p0, s0, p1, s1], v0, v1, p0.unit, verdict, detail))
    return out


# --------------------------------------------------------------------------- rule 5


@dataclass(frozen=True)
class PartsOfTotal:
    """Parts (metrics matching ``parts``) that must add up to a stated total."""

    total: str
    parts: str
    label: str


@dataclass(frozen=True)
class SharesOfWhole:
    """Shares of one whole (the listed metrics) that together cannot exceed 100%."""

    metrics: tuple[str, ...]
    label: str


def _category_metrics() -> tuple[str, ...]:
    from planbook.chapters.market import CATEGORIES

    return tuple(metric for _, metric in CATEGORIES)


SUMS: tuple[PartsOfTotal | SharesOfWhole, ...] = (
    PartsOfTotal("budget_total", r".+_budget", "budget items"),
    SharesOfWhole(_category_metrics(), "product categories' shares of GMV"),
)
"""The sums the plan's figures must respect."""


def rule_parts_sum(ctx: Context) -> list[Finding]:
    """Parts against their stated total; shares of one whole that must sum to <= 100%."""
    out = []
    for spec in SUMS:
        if isinstance(spec, PartsOfTotal):
            for total in (i for i in ctx.items if i.metric == spec.total):
                parts = [
                    i
                    for i in ctx.items
                    if re.fullmatch(spec.parts, i.metric)
                    and i.section == total.section
                    and i.period == total.period
                    and i.entity == total.entity
                    and i.dim == total.dim
                ]
                if len(parts) < 2:
                    continue
                values = [p.value_in(total.unit) for p in parts]
                recomputed = sum(values)
                verdict = _compare(
                    total.span,
                    Span(recomputed, recomputed),
                    total.value,
                    ctx.tol.for_unit(total.unit, total.value),
                )
                named = ", ".join(
                    f"{_label(p.metric)} {_num(v)}" for p, v in zip(parts, values, strict=True)
                )
                detail = (
                    f"The {spec.label} of {total.section} ({total.period}: {named}) add up to "
                    f"{' + '.join(_num(v) for v in values)} = {_with_unit(recomputed, total.unit)}"
                    f", against the stated {_label(total.metric)} of {total.text()}."
                )
                out.append(
                    Finding(
                        "parts_sum",
                        [total, *parts],
                        total.value,
                        recomputed,
                        total.unit,
                        verdict,
                        detail,
                    )
                )
        else:
            groups: dict[tuple, list[Item]] = {}
            for i in ctx.items:
                if i.metric in spec.metrics and i.unit == "percent":
                    key = (i.section, ctx.period(i), i.entity, i.kind)
                    groups.setdefault(key, []).append(i)
            for (section, period, _e, _k), parts in groups.items():
                if len(parts) < 2:
                    continue
                total = sum(p.span.lo for p in parts)
                if total <= 100 + 1e-9:
                    verdict = "consistent"
                elif total <= 100 + ctx.tol.sum_pp + 1e-9:
                    verdict = "within rounding"
                else:
                    verdict = "inconsistent"
                detail = (
                    f"The {spec.label} in {section} ({period}) add up to "
                    f"{' + '.join(_num(p.value) for p in parts)} = {_num(total)}%, "
                    f"{'within' if total <= 100 else 'beyond'} the 100% they can share."
                )
                out.append(Finding("parts_sum", parts, 100.0, total, "percent", verdict, detail))
    return out


# --------------------------------------------------------------------------- rules 6-7


def _spread(group: Sequence[Item], tol: Tolerances) -> tuple[Item, Item, float, float, str]:
    """The figure farthest from the first of a group: ``(first, farthest, gap, sign, verdict)``."""
    ref = group[0]
    worst, worst_gap, worst_key, sign, worst_verdict = ref, 0.0, (-1, -1.0), 0.0, "consistent"
    rank = {v: k for k, v in enumerate(A.VERDICTS)}
    for other in group[1:]:
        span = other.span_in(ref.unit)
        gap, touching = ref.span.gap(span)
        verdict = _verdict(ref.value, gap, touching, tol.for_unit(ref.unit, ref.value))
        key = (rank[verdict], gap)
        if key > worst_key:
            worst, worst_gap, worst_key, worst_verdict = other, gap, key, verdict
            sign = 1.0 if other.value_in(ref.unit) >= ref.value else -1.0
    return ref, worst, worst_gap, sign, worst_verdict


def _disagreement(group: Sequence[Item], gap: float) -> str:
    """How far a group's figures disagree: their span, or (with bounds) the gap to the first."""
    ref = group[0]
    if any(i.bound for i in group) or any(i.span.lo != i.span.hi for i in group):
        return _apart(gap, ref.unit)
    values = [i.value_in(ref.unit) for i in group]
    return f"from {_num(min(values))} to {_with_unit(max(values), ref.unit)}"


def _listing(group: Sequence[Item], with_period: bool = False) -> str:
    """ "120 days (2.2; 3.2); 90 days (7.3)": each figure with the sections stating it."""
    by_text: dict[str, list[str]] = {}
    for i in group:
        where = f"{i.section}, {i.period}" if with_period else i.section
        by_text.setdefault(i.text(), []).append(where)
    return "; ".join(f"{t} ({'; '.join(w)})" for t, w in by_text.items())


def rule_same_figure(ctx: Context) -> list[Finding]:
    """One reported figure (same metric, subject, period and kind) stated in several
    sections: do the sections agree?

    ``stated`` is the figure of the first section, ``recomputed`` the figure farthest
    from it (in the first one's unit).
    """
    groups: dict[tuple, list[Item]] = {}
    for i in ctx.items:
        if i.kind not in ("actual", "benchmark", "case_study"):
            continue
        key = _entity_key(i.entity)
        if key is None or _PHASE_RE.match(i.period) or i.period == "unspecified":
            continue
        groups.setdefault((i.metric, key, ctx.period(i), i.kind, i.dim), []).append(i)
    out = []
    for (metric, _key, period, kind, _dim), group in groups.items():
        if len({i.section for i in group}) < 2:
            continue
        ref, worst, gap, sign, verdict = _spread(group, ctx.tol)
        listing = _listing(group)
        recomputed = ref.value + sign * gap if gap else worst.value_in(ref.unit)
        if verdict == "inconsistent":
            tail = f": {_disagreement(group, gap)}."
        else:
            tail = ": the sections agree."
        detail = f"{_label(metric)} ({ref.entity}, {kind}, {period}) is stated as {listing}{tail}"
        out.append(Finding("same_figure", group, ref.value, recomputed, ref.unit, verdict, detail))
    return out


def _staged(group: Sequence[Item], sign: int, tol: Tolerances) -> bool:
    """Do dated targets form a path (each later deadline at least as far along)?"""
    wins = [window(i.period) for i in group]
    if any(w is None for w in wins):
        return False
    ref = group[0].unit
    pts = sorted(
        ((_due(w), i.value_in(ref), i) for w, i in zip(wins, group, strict=True)),
        key=lambda x: x[:2],
    )
    for (d0, v0, i0), (d1, v1, i1) in zip(pts[:-1], pts[1:], strict=True):
        if d0 == d1:
            gap, touching = i0.span_in(ref).gap(i1.span_in(ref))
            if _verdict(v0, gap, touching, tol.for_unit(ref, v0)) == "inconsistent":
                return False
        elif sign * (v1 - v0) < 0:
            return False
    return True


def rule_competing_targets(ctx: Context) -> list[Finding]:
    """Several targets for one metric: do they agree, or form a dated path?

    ``stated`` is the target of the first section, ``recomputed`` the target farthest
    from it (in the first one's unit).
    """
    groups: dict[tuple, list[Item]] = {}
    for i in ctx.items:
        if i.kind != "target":
            continue
        key = _entity_key(i.entity)
        if key is None:
            continue
        groups.setdefault((i.metric, key, i.dim), []).append(i)
    out = []
    for (metric, _key, _dim), group in groups.items():
        if len(group) < 2:
            continue
        ref, worst, gap, sign, verdict = _spread(group, ctx.tol)
        listing = _listing(group, with_period=True)
        staged = False
        if verdict == "inconsistent" and _staged(group, direction(metric, ctx.items), ctx.tol):
            verdict, staged = "consistent", True
        recomputed = ref.value + sign * gap if gap else worst.value_in(ref.unit)
        if staged:
            tail = ": a dated path, each later target further along."
        elif verdict == "inconsistent":
            tail = f": {_disagreement(group, gap)}."
        else:
            tail = ": the targets agree."
        detail = f"The plan sets {_label(metric)} at {listing}{tail}"
        out.append(
            Finding("competing_targets", group, ref.value, recomputed, ref.unit, verdict, detail)
        )
    return out


# --------------------------------------------------------------------------- rule 8


def rule_target_already_met(ctx: Context) -> list[Finding]:
    """A target against the latest reported figure: is it already met?"""
    out = []
    for target in ctx.items:
        if target.kind != "target" or _entity_key(target.entity) != "market":
            continue
        actuals = [
            i
            for i in ctx.items
            if i.kind == "actual"
            and i.metric == target.metric
            and _entity_key(i.entity) == "market"
            and i.dim == target.dim
            and ctx.is_latest(i)
        ]
        actual = _nearest(actuals, target)
        if actual is None:
            continue
        sign = direction(target.metric, ctx.items)
        span = actual.span_in(target.unit)
        value = actual.value_in(target.unit)
        goal = target.value
        if (sign > 0 and span.lo >= goal) or (sign < 0 and span.hi <= goal):
            verdict = "inconsistent"
        elif (sign > 0 and span.hi < goal) or (sign < 0 and span.lo > goal):
            verdict = "consistent"
        else:
            verdict = "unverifiable"
        better = "higher" if sign > 0 else "lower"
        if verdict == "inconsistent":
            tail = "already meets it"
        elif verdict == "consistent":
            tail = "has yet to reach it"
        else:
            tail = "may or may not meet it"
        detail = (
            f"The target for {_label(target.metric)} of {target.text()} ({target.section}, "
            f"{target.period}; {better} is better) against the reported {actual.text()}"
            f" ({actual.section}, {actual.period}): the reported figure {tail}."
        )
        relative = abs(value - goal) / abs(goal) * 100.0 if goal else math.nan
        out.append(
            Finding(
                "target_already_met",
                [target, actual],
                goal,
                value,
                target.unit,
                verdict,
                detail,
                relative=relative,
            )
        )
    return out


# --------------------------------------------------------------------------- rule 9


def _history(ctx: Context, metric: str, points: bool) -> tuple[float, list[Item], str] | None:
    """The historical annual rate of a metric: ``(rate, claims, arithmetic)``.

    ``points``: percentage points a year (for shares) rather than percent a year.
    """
    items = [i for i in ctx.items if i.kind == "actual" and _entity_key(i.entity) == "market"]
    if points:
        for i in items:
            r = _RANGE_RE.match(i.period)
            if i.metric == f"{metric}_change" and i.unit == "percentage_points" and r:
                years = int(r[2]) - int(r[1])
                return i.value / years, [i], f"{_num(i.value)} points / {years} years"
    else:
        for i in items:
            r = _RANGE_RE.match(i.period)
            if i.metric == f"{metric}_cagr" and i.unit == "percent" and r:
                return i.value, [i], f"{_num(i.value)}% CAGR {i.period}"
        for i in items:
            r = _RANGE_RE.match(i.period)
            if i.metric == f"{metric}_growth" and i.unit == "percent":
                if r:
                    years = int(r[2]) - int(r[1])
                    rate = A.cagr_from_cumulative(i.value, years)
                    return rate, [i], f"(1 + {_num(i.value)}%)^(1/{years}) - 1"
                if _YEAR_RE.match(i.period):
                    return i.value, [i], f"{_num(i.value)}% growth in {i.period}"
    levels = sorted(
        (i for i in items if i.metric == metric and _YEAR_RE.match(i.period)),
        key=lambda i: int(i.period),
    )
    if len(levels) >= 2 and levels[0].period != levels[-1].period:
        a, b = levels[0], levels[-1]
        years = int(b.period) - int(a.period)
        if points:
            return (
                (b.value - a.value) / years,
                [a, b],
                f"({_num(b.value)} - {_num(a.value)}) / {years}",
            )
        if a.value > 0 and b.value > 0 and a.unit == b.unit:
            rate = A.cagr(a.value, b.value, years)
            return rate, [a, b], f"({_num(b.value)} / {_num(a.value)})^(1/{years}) - 1"
    return None


def rule_target_vs_history(ctx: Context) -> list[Finding]:
    """The annual rate a target implies against the rate the plan reports for the past."""
    out = []
    latest = int(ctx.latest) if ctx.latest else None
    for target in ctx.items:
        if target.kind not in ("target", "forecast") or _entity_key(target.entity) != "market":
            continue
        win = window(target.period)
        if win is not None:
            years = _due(win) / 12.0
        elif _YEAR_RE.match(target.period) and latest and int(target.period) > latest:
            years = float(int(target.period) - latest)
        else:
            continue
        m = _CHANGE_RE.match(target.metric)
        if m and m["kind"] == "cagr" and target.unit == "percent":
            metric, points = m["base"], False
            implied, how, used = target.value, "", []
        elif not m and target.unit not in ("percentage_points",):
            metric, points = target.metric, target.unit == "percent"
            base = _nearest(
                [
                    i
                    for i in ctx.items
                    if i.metric == metric
                    and i.kind == "actual"
                    and _entity_key(i.entity) == "market"
                    and ctx.is_latest(i)
                    and i.dim == target.dim
                ],
                target,
            )
            if base is None or years <= 0:
                continue
            start = base.value_in(target.unit)
            if points:
                implied = (target.value - start) / years
                how = f"({_num(target.value)} - {_num(start)}) / {_num(years)}"
            else:
                if start <= 0 or target.value <= 0:
                    continue
                implied = A.cagr(start, target.value, years)
                how = f"({_num(target.value)} / {_num(start)})^(1/{_num(years)}) - 1"
            used = [base]
        else:
            continue
        hist = _history(ctx, metric, points)
        if hist is None:
            continue
        rate, hist_items, hist_how = hist
        if rate <= 0 or implied <= 0:
            continue
        ratio = implied / rate
        floor = target.bound in ("gt", "ge") and not m
        verdict = "inconsistent" if ratio > ctx.tol.max_rate_ratio + 1e-12 else "consistent"
        unit = "percentage_points" if points else "percent"
        per = " points a year" if points else "% a year"
        what = "forecast" if target.kind == "forecast" else "target"
        implies = (
            f"implies {how} = {'at least ' if floor else ''}{_num(implied)}{per}"
            if how
            else "is a rate itself"
        )
        detail = (
            f"The {what} {_label(target.metric)} of {target.text()} ({target.section}, "
            f"{target.period}) {implies}, {_num(ratio)} times the {_num(rate)}{per} of the past "
            f"({hist_how}); the audit calls more than {_num(ctx.tol.max_rate_ratio)} times "
            f"far above history."
        )
        relative = (ratio / ctx.tol.max_rate_ratio - 1.0) * 100.0
        out.append(
            Finding(
                "target_vs_history",
                [target, *used, *hist_items],
                implied,
                rate,
                unit,
                verdict,
                detail,
                relative=relative,
            )
        )
    return out


# --------------------------------------------------------------------------- rule 10


def rule_time_frames(ctx: Context) -> list[Finding]:
    """Time frames that contradict: one target dated to different phases in different
    sections, and phases that run beyond the plan's stated horizon."""
    out = []
    groups: dict[tuple, list[Item]] = {}
    for i in ctx.items:
        if i.kind != "target" or _entity_key(i.entity) != "market" or window(i.period) is None:
            continue
        groups.setdefault((i.metric, i.dim), []).append(i)
    for (metric, _dim), group in groups.items():
        # clusters of the same figure (spans that meet)
        clusters: list[list[Item]] = []
        for i in group:
            for c in clusters:
                gap = abs(i.value_in(c[0].unit) - c[0].value)
                same = i.bound == c[0].bound and (i.span.lo == i.span.hi) == (
                    c[0].span.lo == c[0].span.hi
                )
                if same and gap <= 1e-9 * max(1.0, abs(c[0].value)):
                    c.append(i)
                    break
            else:
                clusters.append([i])
        for c in clusters:
            if len({i.period for i in c}) < 2:
                continue
            ref = c[0]
            w0 = window(ref.period)
            worst, worst_gap = ref, 0.0
            for other in c[1:]:
                w1 = window(other.period)
                gap = abs(_due(w1) - _due(w0))
                if gap > worst_gap:
                    worst, worst_gap = other, gap
            w1 = window(worst.period)
            disjoint = w1[1] <= w0[0] or w0[1] <= w1[0]
            verdict = (
                "consistent" if worst_gap <= ctx.tol.deadline_months + 1e-9 else "inconsistent"
            )
            dated = "; ".join(
                f"{i.section} {i.period} ({_window_text(window(i.period))})" for i in c
            )
            if verdict == "consistent":
                tail = "the deadlines agree"
            elif disjoint:
                tail = f"the phases do not even overlap, due {_num(worst_gap)} months apart"
            else:
                tail = f"due {_num(worst_gap)} months apart"
            detail = f"The target {_label(metric)} of {ref.text()} is dated {dated}: {tail}."
            relative = worst_gap / max(min(_due(w0), _due(w1)), 1.0) * 100.0
            out.append(
                Finding(
                    "time_frames",
                    c,
                    _due(w0),
                    _due(w1),
                    "months",
                    verdict,
                    detail,
                    relative=relative,
                )
            )
    # phases against the plan's stated horizon
    horizons = [i for i in ctx.items if i.metric == "plan_horizon" and i.dim == "time"]
    phased: dict[str, list[Item]] = {}
    for i in ctx.items:
        if _PHASE_RE.match(i.period) and i.kind == "target":
            phased.setdefault(i.section, []).append(i)
    for horizon in horizons:
        months = horizon.value_in("months")
        for section, group in sorted(phased.items(), key=lambda kv: _section_key(kv[0])):
            periods = sorted({i.period for i in group}, key=lambda p: window(p))
            if len(periods) < 2:
                continue
            last = max(periods, key=lambda p: (_due(window(p)), window(p)[0]))
            w = window(last)
            due = _due(w)
            beyond = w[0] >= months or due > months + ctx.tol.deadline_months
            verdict = "inconsistent" if beyond else "consistent"
            last_items = [i for i in group if i.period == last]
            detail = (
                f"Section {section} sets its targets in phases ({', '.join(periods)}); the last,"
                f" {last} ({_window_text(w)}), "
                + (
                    f"lies beyond the plan's horizon of {horizon.text()} ({horizon.section})."
                    if beyond
                    else f"ends within the plan's horizon of {horizon.text()} ({horizon.section})."
                )
            )
            out.append(
                Finding(
                    "time_frames",
                    [horizon, *last_items],
                    months,
                    due,
                    "months",
                    verdict,
                    detail,
                )
            )
    return out


# --------------------------------------------------------------------------- rule 11


def rule_structural_gaps(ctx: Context) -> list[Finding]:
    """Sections that are empty, cut off or missing: what they would say cannot be checked."""
    out = []
    states = {
        "empty": "is a heading with no text",
        "cut": "stops mid-sentence",
        "missing": "is listed in the table of contents but absent from the body",
    }
    for row in ctx.sections.itertuples(index=False):
        if row.state == "full":
            continue
        inside = [i for i in ctx.items if i.section == row.section]
        figures = f"; it holds {len(inside)} figure(s)" if inside else "; it holds no figures"
        detail = (
            f"Section {row.section} ({row.title_en}) {states.get(row.state, row.state)}"
            f"{figures}, so what it would add cannot be checked."
        )
        out.append(
            Finding(
                "structural_gaps",
                inside,
                math.nan,
                math.nan,
                "",
                "unverifiable",
                detail,
                severity=GAP_SEVERITY.get(row.state, "medium"),
                sections=(row.section,),
                ids=tuple(x for i in inside for x in i.ids),
            )
        )
    return out


# --------------------------------------------------------------------------- rule 12


@dataclass(frozen=True)
class Reciprocal:
    """Two metrics that measure one thing inversely: ``a x b = per`` (e.g. turnover days
    x turns a year = days a year)."""

    a: str
    a_unit: str
    b: str
    b_unit: str
    per: tuple[str, str]
    label: str


RECIPROCALS: tuple[Reciprocal, ...] = (
    Reciprocal(
        "inventory_turnover_days",
        "days",
        "inventory_turnover_rate",
        "times_per_year",
        ("years", "days"),
        "inventory turnover",
    ),
)
"""Metric pairs that are each other's reciprocal."""


def rule_reciprocal(ctx: Context) -> list[Finding]:
    """Inverse measures of one thing (turnover days and turns a year) against each other."""
    out = []
    for spec in RECIPROCALS:
        per = convert(1.0, *spec.per)
        for b in ctx.items:
            if b.metric != spec.b or b.unit != spec.b_unit or _entity_key(b.entity) != "market":
                continue
            if b.value <= 0:
                continue
            if b.kind == "actual":
                same = [
                    i
                    for i in ctx.items
                    if i.metric == spec.a
                    and i.kind == "actual"
                    and _entity_key(i.entity) == "market"
                    and ctx.period(i) == ctx.period(b)
                ]
            else:
                same = [
                    i
                    for i in ctx.items
                    if i.metric == spec.a
                    and i.kind == b.kind
                    and _entity_key(i.entity) == "market"
                    and (i.period == b.period)
                ]
            implied = per / b.value
            span = _rounded(lambda x, per=per: per / x, [(b.value, _half(b, b.unit))])
            seen: dict[float, list[Item]] = {}
            for a in same:
                seen.setdefault(a.value_in(spec.a_unit), []).append(a)
            for value, group in sorted(seen.items()):
                verdict = _compare(
                    Span(value, value), span, value, ctx.tol.for_unit(spec.a_unit, value)
                )
                where = ", ".join(i.section for i in group)
                note = _rounding_note(value, implied, span, verdict, spec.a_unit)
                detail = (
                    f"{spec.label}: {b.text()} ({b.section}, {b.kind}, {b.period}) means "
                    f"{_num(per)} / {_num(b.value)} = {_with_unit(implied, spec.a_unit)}, "
                    f"against the {_with_unit(value, spec.a_unit)} stated in {where}{note}."
                )
                out.append(
                    Finding("reciprocal", [*group, b], value, implied, spec.a_unit, verdict, detail)
                )
    return out


# --------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class Rule:
    """A rule of the audit: a name, an English description and the check itself."""

    name: str
    description: str
    check: Callable[[Context], list[Finding]]


RULES: tuple[Rule, ...] = (
    Rule(
        "growth_rate",
        "A stated growth rate, CAGR or relative change, recomputed from the start and end "
        "figures it links.",
        rule_growth_rate,
    ),
    Rule(
        "end_value",
        "A stated end figure, recomputed from its start figure and the stated rate or change.",
        rule_end_value,
    ),
    Rule(
        "cumulative_vs_cagr",
        "Cumulative growth over a year range, turned into an annual rate and compared with "
        "the CAGR stated for the same years.",
        rule_cumulative_vs_cagr,
    ),
    Rule(
        "implied_total",
        "The total implied by a part and its share, against the stated total or another "
        "implied total of the same whole.",
        rule_implied_total,
    ),
    Rule(
        "parts_sum",
        "Parts against their stated total (budget items), and shares of one whole that "
        "cannot exceed 100%.",
        rule_parts_sum,
    ),
    Rule(
        "same_figure",
        "One reported figure (same metric, subject, period and kind) stated in several "
        "sections: do the sections agree?",
        rule_same_figure,
    ),
    Rule(
        "competing_targets",
        "Several targets for the same metric: do they agree, or at least form a dated path "
        "with each later target further along?",
        rule_competing_targets,
    ),
    Rule(
        "target_already_met",
        "A target against the latest reported figure for the same metric: a target the "
        "market already meets sets no goal.",
        rule_target_already_met,
    ),
    Rule(
        "target_vs_history",
        "The annual rate a dated target implies, against the historical rate the plan "
        "reports: more than max_rate_ratio times it is far above history.",
        rule_target_vs_history,
    ),
    Rule(
        "time_frames",
        "One target dated to different phases in different sections, and phases that run "
        "beyond the plan's stated horizon.",
        rule_time_frames,
    ),
    Rule(
        "structural_gaps",
        "Sections that are empty, cut off or missing: what they would say cannot be checked.",
        rule_structural_gaps,
    ),
    Rule(
        "reciprocal",
        "Inverse measures of one thing (inventory turnover days and turns a year) against "
        "each other.",
        rule_reciprocal,
    ),
)
"""Every rule of the audit, in the order findings are listed."""


def rules_table() -> pd.DataFrame:
    """The rules as a table: name and description."""
    return pd.DataFrame(
        {"rule": [r.name for r in RULES], "description": [r.description for r in RULES]}
    )


def _rule_names(rules: str | Sequence[str] | None) -> list[str]:
    names = [r.name for r in RULES]
    if rules is None:
        return names
    wanted = [rules] if isinstance(rules, str) else list(rules)
    for name in wanted:
        if name not in names:
            close = difflib.get_close_matches(name, names, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise InputError(f"unknown rule {name!r}; {hint}valid rules: {', '.join(names)}")
    return wanted


# --------------------------------------------------------------------------- running


def run_audit(
    claims: pd.DataFrame,
    sections: pd.DataFrame,
    tolerances: Tolerances | None = None,
    *,
    rules: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Run the audit's rules over the claims table.

    Parameters
    ----------
    claims, sections
        The tables of :func:`planbook.data.plan.load_claims` and
        :func:`~planbook.data.plan.load_sections`.
    tolerances
        How far apart figures may be (default :class:`Tolerances`).
    rules
        Only these rules (names of :data:`RULES`); default all.

    Returns
    -------
    pandas.DataFrame
        One row per finding (holds included) with the columns of :data:`COLUMNS`, in rule
        order, then by section and claim ids.
    """
    tol = tolerances or Tolerances()
    ctx = Context(_items(claims), claims, sections, tol, latest_year(claims))
    chosen = set(_rule_names(rules))
    rows = []
    for rank, rule in enumerate(RULES):
        if rule.name not in chosen:
            continue
        for finding in rule.check(ctx):
            row = finding.row(tol)
            row["_rank"] = rank
            rows.append(row)
    frame = pd.DataFrame(rows, columns=[*COLUMNS, "_rank"])
    if frame.empty:
        return frame.drop(columns="_rank")
    frame["_sec"] = frame["sections"].map(lambda s: tuple(_section_key(x) for x in s.split("; ")))
    frame = frame.sort_values(["_rank", "_sec", "claim_ids"], kind="stable", ignore_index=True)
    frame = frame.drop(columns=["_rank", "_sec"])
    frame["chapter"] = frame["chapter"].astype(int)
    return frame


def _chapters(sections: pd.DataFrame) -> list[int]:
    return sorted(int(c) for c in sections["chapter"].unique())


def check_severity(min_severity: str) -> str:
    """Validate a minimum severity name (raises :class:`InputError`)."""
    if min_severity not in SEVERITIES:
        raise InputError(f"unknown severity {min_severity!r}; use one of: {', '.join(SEVERITIES)}")
    return min_severity


def at_least(findings: pd.DataFrame, min_severity: str = "low") -> pd.DataFrame:
    """The findings at or above a severity (``"none"`` keeps every finding)."""
    rank = {s: k for k, s in enumerate(SEVERITIES)}
    floor = rank[check_severity(min_severity)]
    return findings[findings["severity"].map(rank) >= floor].reset_index(drop=True)


def touches(findings: pd.DataFrame, chapter: int) -> pd.Series:
    """Which findings involve a section of ``chapter``."""
    return findings["sections"].map(
        lambda s: any(_section_key(x)[0] == chapter for x in str(s).split("; ") if x)
    )


def chapter_findings(
    claims: pd.DataFrame,
    sections: pd.DataFrame,
    chapter: int,
    *,
    tolerances: Tolerances | None = None,
    min_severity: str = "low",
) -> pd.DataFrame:
    """The findings that touch one chapter, at or above a severity.

    A finding that compares sections of chapters 3 and 8 shows in both. ``min_severity``
    ``"none"`` includes the findings that hold.

    Raises
    ------
    InputError
        For a chapter the plan does not have, or an unknown severity.
    """
    check_severity(min_severity)
    valid = _chapters(sections)
    if not isinstance(chapter, numbers.Real) or int(chapter) != chapter or chapter not in valid:
        raise InputError(
            f"unknown chapter {chapter!r}; use a chapter number of the plan "
            f"({valid[0]}-{valid[-1]})"
        )
    findings = run_audit(claims, sections, tolerances)
    return at_least(findings[touches(findings, int(chapter))], min_severity)


def counts(findings: pd.DataFrame) -> dict[str, int]:
    """How many findings by verdict and by severity (keys ``verdict_*``, ``severity_*``)."""
    out = {"findings": len(findings)}
    for v in A.VERDICTS:
        out[f"verdict_{v.replace(' ', '_')}"] = int((findings["verdict"] == v).sum())
    for s in SEVERITIES:
        out[f"severity_{s}"] = int((findings["severity"] == s).sum())
    return out


def by_chapter(findings: pd.DataFrame, chapters: Sequence[int]) -> pd.DataFrame:
    """Findings per chapter (rows) and severity (columns); a finding counts in every
    chapter it touches."""
    table = pd.DataFrame(0, index=pd.Index(list(chapters), name="chapter"), columns=SEVERITIES)
    for ch in chapters:
        mine = findings[touches(findings, ch)]
        for sev in SEVERITIES:
            table.loc[ch, sev] = int((mine["severity"] == sev).sum())
    return table


def most_severe(findings: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The ``n`` most severe inconsistencies: highest severity first, then the largest
    discrepancy relative to the stated figure."""
    rank = {s: k for k, s in enumerate(SEVERITIES)}
    bad = findings[findings["verdict"] == "inconsistent"].copy()
    stated = bad["stated"].abs().where(bad["stated"].abs() > 0)
    bad["_rel"] = (bad["difference"].abs() / stated).fillna(0.0)
    bad["_sev"] = bad["severity"].map(rank)
    bad = bad.sort_values(["_sev", "_rel"], ascending=False, kind="stable")
    return bad.drop(columns=["_rel", "_sev"]).head(n).reset_index(drop=True)


VIEW_COLUMNS: tuple[str, ...] = ("sections", "rule", "verdict", "severity", "detail")
"""The columns :func:`findings_view` shows by default: the detail holds the arithmetic, so
the stated and recomputed figures need no columns of their own on a narrow page."""


def findings_view(df: pd.DataFrame, columns: Sequence[str] | None = None) -> Any:
    """A styled table of findings for a notebook page.

    Parameters
    ----------
    df
        Findings (rows of :func:`run_audit` or :func:`chapter_findings`).
    columns
        Columns to show, in order; default :data:`VIEW_COLUMNS`. Numbers (``stated``,
        ``recomputed``, ``difference``) are shown rounded, without trailing zeros.

    Returns
    -------
    pandas.io.formats.style.Styler
        No index, verdicts coloured, the detail column given most of the width.
    """

    def fmt(x: float) -> str:
        return "" if x is None or (isinstance(x, float) and math.isnan(x)) else _num(x)

    colours = {
        "inconsistent": "color: #c0392b; font-weight: bold",
        "unverifiable": "color: #7f8c8d",
        "within rounding": "color: #1e8449",
        "consistent": "color: #1e8449",
    }
    wanted = list(columns) if columns is not None else list(VIEW_COLUMNS)
    missing = [c for c in wanted if c not in df.columns]
    if missing:
        raise KeyError(
            f"findings have no column(s) {', '.join(missing)}; known: {', '.join(COLUMNS)}"
        )
    view = df.loc[:, wanted].reset_index(drop=True)
    if "rule" in wanted:  # "competing targets" wraps between words on a narrow page
        view["rule"] = view["rule"].str.replace("_", " ")
    styler = view.style.hide(axis="index").format(
        {c: fmt for c in ("stated", "recomputed", "difference") if c in wanted}
    )
    if "verdict" in wanted:
        styler = styler.map(lambda v: colours.get(v, ""), subset=["verdict"])
    styles = [
        {"selector": "", "props": [("font-size", "0.85em"), ("width", "100%")]},
        {"selector": "th", "props": [("text-align", "left")]},
        {"selector": "td", "props": [("vertical-align", "top"), ("padding", "0.2em 0.5em")]},
    ]
    if "detail" in wanted:
        k = wanted.index("detail")
        styles.append(
            {"selector": f"td.col{k}", "props": [("min-width", "18em"), ("white-space", "normal")]}
        )
    if "rule" in wanted:
        k = wanted.index("rule")
        styles.append({"selector": f"td.col{k}", "props": [("min-width", "7em")]})
    return styler.set_properties(**{"text-align": "left"}).set_table_styles(styles)
