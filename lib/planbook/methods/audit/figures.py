"""The plan's figures as the audit reads them: spans, items, subjects, directions, rounding."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from planbook.data.periods import Period, parse_period
from planbook.data.plan import UNITS, convert
from planbook.methods import arithmetic as A
from planbook.methods.audit.findings import Tolerances
from planbook.methods.audit.wording import fmt_num, fmt_value, section_key

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
CHANGE_RE = re.compile(rf"^(?P<base>.+)_(?P<kind>{'|'.join(CHANGE_SUFFIXES)})$")


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
    scope: str = ""
    scope_of: str = ""
    path: str = ""
    stage: int = 0
    passage: str = ""

    @property
    def when(self) -> Period:
        """The parsed period (as stated: ``current`` stays ``current``)."""
        return parse_period(self.period)

    @property
    def scope_key(self) -> tuple[str, str]:
        """What the figure measures beyond metric and entity: ``(scope, scope_of)``; for
        money, ``scope_of``'s item (``technology.ai_platform`` -> ``ai_platform``)."""
        return (self.scope, self.scope_of.split(".")[-1])

    @property
    def scope_label(self) -> str:
        return f"{self.scope}: {self.scope_of}" if self.scope_of else self.scope

    @property
    def skey(self) -> tuple[int, int]:
        return section_key(self.section)

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
            return f"{fmt_num(lo)}-{fmt_value(hi, unit)}"
        words = {"gt": "more than ", "ge": "at least ", "lt": "less than ", "le": "at most "}
        return words.get(self.bound, "") + fmt_value(self.value_in(unit), unit)


def _is_generic(entity: str) -> bool:
    return str(entity).startswith("a ")


def entity_key(entity: str) -> str | None:
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
    periods = claims.loc[claims["kind"] == "actual", "period"].astype(str).map(parse_period)
    years = [p.year for p in periods if p.year is not None]
    return str(max(years)) if years else None


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


def items_of(claims: pd.DataFrame) -> list[Item]:
    """The claims as figures: names normalised, the two ends of a stated range merged."""
    frame = claims.reset_index(drop=True).copy()
    frame["metric"] = frame["metric"].map(_normal_metric)
    frame["bound"] = frame["bound"].where(frame["bound"].notna(), "")
    for column in ("scope", "scope_of", "path", "passage"):
        if column not in frame:
            frame[column] = ""
        frame[column] = frame[column].where(frame[column].notna(), "").astype(str)
    if "stage" not in frame:
        frame["stage"] = 0
    frame["stage"] = frame["stage"].fillna(0).astype(int)
    frame["_order"] = range(len(frame))
    keys = ["section", "metric", "entity", "period", "kind", "unit", "scope", "scope_of"]
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
                scope=str(first["scope"]),
                scope_of=str(first["scope_of"]),
                path=str(first["path"]),
                stage=int(first["stage"]),
                passage=str(first["passage"]),
            )
        )
    return sorted(out, key=lambda i: (i.skey, i.order))


def one_passage(items: Sequence[Item]) -> bool:
    """Do all the items come from one passage the plan repeats (the passage rule reports
    them as one finding)?"""
    keys = {i.passage for i in items}
    return len(keys) == 1 and "" not in keys


def split_by_scope(group: Sequence[Item]) -> dict[tuple[str, str], list[Item]]:
    """A group's items by what they measure (:attr:`Item.scope_key`), in order."""
    out: dict[tuple[str, str], list[Item]] = {}
    for i in group:
        out.setdefault(i.scope_key, []).append(i)
    return out


def nearest(candidates: Iterable[Item], to: Item) -> Item | None:
    """The candidate closest to ``to``: same section, then same chapter, then plan order."""
    ranked = sorted(
        candidates,
        key=lambda c: (c.section != to.section, c.chapter != to.chapter, c.skey, c.order),
    )
    return ranked[0] if ranked else None


# --------------------------------------------------------------------------- directions


def direction(metric: str, items: Sequence[Item]) -> int:
    """+1 if a higher figure is better for ``metric``, -1 if lower (see module notes)."""
    signs = set()
    by_section: dict[str, list[Item]] = {}
    for it in items:
        if it.metric == metric and entity_key(it.entity) == "market":
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
    if CHANGE_RE.match(metric) or metric.endswith("_multiple"):
        return 1
    return -1 if any(p in metric for p in LOWER_IS_BETTER) else 1


# --------------------------------------------------------------------------- rounding


def bound_sign(item: Item) -> int:
    """+1 for a floor (more than, at least), -1 for a ceiling, 0 for a plain figure."""
    return 1 if item.bound in ("gt", "ge") else -1 if item.bound in ("lt", "le") else 0


def half_unit_in(item: Item, unit: str) -> float:
    """Half a unit of the last digit an item is stated to, in ``unit``."""
    if item.span.lo != item.span.hi and math.isfinite(item.span.lo + item.span.hi):
        return 0.0
    return A.half_unit(item.value) * convert(1.0, item.unit, unit)


def rounded_span(
    fn: Callable[..., float], args: Sequence[tuple[float, float]], bound: int = 0
) -> Span:
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


def rounding_note(stated: Item | float, point: float, span: Span, verdict: str, unit: str) -> str:
    """Say so when only the inputs' rounding reconciles a figure with its recomputation."""
    value = stated.value if isinstance(stated, Item) else stated
    if isinstance(stated, Item) and (stated.bound or stated.span.lo != stated.span.hi):
        return ""
    if verdict != "consistent" or abs(point - value) <= A.half_unit(value) + 1e-9:
        return ""
    if not (math.isfinite(span.lo) and math.isfinite(span.hi)):
        return ""
    return (
        f" (with the inputs rounded as stated, anything from {fmt_num(span.lo)} to "
        f"{fmt_value(span.hi, unit)} is possible)"
    )


def lead_words(span: Span) -> str:
    """ "at least " or "at most " before a recomputed span open on one side; else ""."""
    if span.hi == math.inf and span.lo != span.hi:
        return "at least "
    if span.lo == -math.inf and span.lo != span.hi:
        return "at most "
    return ""
