"""Rules 4, 5 and 12: figures an identity binds (part / share = total, parts that sum to a
total, two inverse measures of one thing)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from planbook.data.plan import CATEGORIES, convert
from planbook.methods import arithmetic as A
from planbook.methods.audit.figures import (
    CHANGE_RE,
    Context,
    Item,
    Span,
    entity_key,
    half_unit_in,
    nearest,
    rounded_span,
    rounding_note,
)
from planbook.methods.audit.findings import RATE_UNITS, Finding, compare
from planbook.methods.audit.wording import fmt_num, fmt_value, metric_label

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
            and i.unit not in RATE_UNITS
            and not CHANGE_RE.match(i.metric)
            and i.dim not in ("multiple", "ratio", "index")
        ]
        key = entity_key(share.entity)
        for part in parts:
            totals = [
                i
                for i in ctx.items
                if _starts(i.metric, m["total"])
                and i.dim == part.dim
                and i.kind == part.kind
                and ctx.period(i) == period
                and key is not None
                and entity_key(i.entity) == key
                and not _SHARE_OF_RE.match(i.metric)
            ]
            total = nearest(totals, share)
            value = A.implied_total(part.value, share.value)
            if total is None:
                implied.setdefault((m["total"], part.dim, str(key), period), []).append(
                    (value, part, share)
                )
                continue
            value = convert(value, part.unit, total.unit)
            span = rounded_span(
                lambda p, q: A.implied_total(p, q),
                [
                    (part.value_in(total.unit), half_unit_in(part, total.unit)),
                    (share.value, half_unit_in(share, "percent")),
                ],
            )
            verdict = compare(
                total.span, span, total.value, ctx.tol.for_unit(total.unit, total.value)
            )
            detail = (
                f"{metric_label(part.metric)} of {part.text(total.unit)} ({part.section}) at "
                f"{share.text()} of {metric_label(m['total'])} ({share.section}) implies "
                f"{fmt_num(part.value_in(total.unit))} / {fmt_num(share.value)}% = "
                f"{fmt_value(value, total.unit)}, against the {total.text()} stated in "
                f"{total.section}{rounding_note(total, value, span, verdict, total.unit)}."
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
            verdict = compare(Span(v0, v0), Span(v1, v1), v0, ctx.tol.for_unit(p0.unit, v0))
            detail = (
                f"Two figures imply {metric_label(total_name)} ({period}): {fmt_num(p0.value)} / "
                f"{fmt_num(s0.value)}% = {fmt_value(v0, p0.unit)} ({s0.section}) and "
                f"{fmt_num(p1.value)} / {fmt_num(s1.value)}% = {fmt_value(v1, p0.unit)} "
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


SUMS: tuple[PartsOfTotal | SharesOfWhole, ...] = (
    PartsOfTotal("budget_total", r".+_budget", "budget items"),
    SharesOfWhole(tuple(metric for _, metric in CATEGORIES), "product categories' shares of GMV"),
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
                verdict = compare(
                    total.span,
                    Span(recomputed, recomputed),
                    total.value,
                    ctx.tol.for_unit(total.unit, total.value),
                )
                named = ", ".join(
                    f"{metric_label(p.metric)} {fmt_num(v)}"
                    for p, v in zip(parts, values, strict=True)
                )
                detail = (
                    f"The {spec.label} of {total.section} ({total.period}: {named}) add up to "
                    f"{' + '.join(fmt_num(v) for v in values)} = "
                    f"{fmt_value(recomputed, total.unit)}"
                    f", against the stated {metric_label(total.metric)} of {total.text()}."
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
                    f"{' + '.join(fmt_num(p.value) for p in parts)} = {fmt_num(total)}%, "
                    f"{'within' if total <= 100 else 'beyond'} the 100% they can share."
                )
                out.append(Finding("parts_sum", parts, 100.0, total, "percent", verdict, detail))
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
            if b.metric != spec.b or b.unit != spec.b_unit or entity_key(b.entity) != "market":
                continue
            if b.value <= 0:
                continue
            if b.kind == "actual":
                same = [
                    i
                    for i in ctx.items
                    if i.metric == spec.a
                    and i.kind == "actual"
                    and entity_key(i.entity) == "market"
                    and ctx.period(i) == ctx.period(b)
                ]
            else:
                same = [
                    i
                    for i in ctx.items
                    if i.metric == spec.a
                    and i.kind == b.kind
                    and entity_key(i.entity) == "market"
                    and (i.period == b.period)
                ]
            # like with like: the same scope, and the same step of a path
            same = [
                i
                for i in same
                if i.scope_key == b.scope_key
                and (not (i.path and b.path) or (i.path, i.stage) == (b.path, b.stage))
            ]
            implied = per / b.value
            span = rounded_span(lambda x, per=per: per / x, [(b.value, half_unit_in(b, b.unit))])
            seen: dict[float, list[Item]] = {}
            for a in same:
                seen.setdefault(a.value_in(spec.a_unit), []).append(a)
            for value, group in sorted(seen.items()):
                verdict = compare(
                    Span(value, value), span, value, ctx.tol.for_unit(spec.a_unit, value)
                )
                where = ", ".join(i.section for i in group)
                note = rounding_note(value, implied, span, verdict, spec.a_unit)
                detail = (
                    f"{spec.label}: {b.text()} ({b.section}, {b.kind}, {b.period}) means "
                    f"{fmt_num(per)} / {fmt_num(b.value)} = {fmt_value(implied, spec.a_unit)}, "
                    f"against the {fmt_value(value, spec.a_unit)} stated in {where}{note}."
                )
                out.append(
                    Finding("reciprocal", [*group, b], value, implied, spec.a_unit, verdict, detail)
                )
    return out
