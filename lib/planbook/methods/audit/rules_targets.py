"""Rules 8-9: targets against the latest reported figure and against the historical rate."""

from __future__ import annotations

import math

from planbook.methods import arithmetic as A
from planbook.methods.audit.figures import CHANGE_RE, Context, Item, direction, entity_key, nearest
from planbook.methods.audit.findings import Finding
from planbook.methods.audit.wording import fmt_num, metric_label

FORECAST_IN_BOOK: dict[str, str] = {
    "ecommerce_transaction_volume": "chapters 3, 8 and 10",
}
"""Series the book forecasts from official statistics, and where it gives a target's
odds on that forecast (:func:`planbook.methods.forecast.target_odds`). A target for one
of them is judged by those odds, not by the plan's own history: rule target_vs_history
calls it *unverifiable* unless it is far above history."""

# --------------------------------------------------------------------------- rule 8


def rule_target_already_met(ctx: Context) -> list[Finding]:
    """A target against the latest reported figure: is it already met?"""
    out = []
    for target in ctx.items:
        if target.kind != "target" or entity_key(target.entity) != "market":
            continue
        actuals = [
            i
            for i in ctx.items
            if i.kind == "actual"
            and i.metric == target.metric
            and entity_key(i.entity) == "market"
            and i.dim == target.dim
            and ctx.is_latest(i)
            and not i.stage
        ]
        alike = [i for i in actuals if i.scope_key == target.scope_key]
        actual = nearest(alike or actuals, target)
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
        if not alike and verdict == "inconsistent":
            verdict = "different scope"
            tail = (
                f"would meet it, but it measures {actual.scope_label} and the target "
                f"{target.scope_label}: a change on another base, not the same figure"
            )
        detail = (
            f"The target for {metric_label(target.metric)} of {target.text()} ({target.section}, "
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
    items = [i for i in ctx.items if i.kind == "actual" and entity_key(i.entity) == "market"]
    if points:
        for i in items:
            years = i.when.span_years
            if (
                i.metric == f"{metric}_change"
                and i.unit == "percentage_points"
                and years is not None
            ):
                return i.value / years, [i], f"{fmt_num(i.value)} points / {years} years"
    else:
        for i in items:
            if (
                i.metric == f"{metric}_cagr"
                and i.unit == "percent"
                and i.when.span_years is not None
            ):
                return i.value, [i], f"{fmt_num(i.value)}% CAGR {i.period}"
        for i in items:
            years = i.when.span_years
            if i.metric == f"{metric}_growth" and i.unit == "percent":
                if years is not None:
                    rate = A.cagr_from_cumulative(i.value, years)
                    return rate, [i], f"(1 + {fmt_num(i.value)}%)^(1/{years}) - 1"
                if i.when.year is not None:
                    return i.value, [i], f"{fmt_num(i.value)}% growth in {i.period}"
    levels = sorted(
        (i for i in items if i.metric == metric and i.when.year is not None),
        key=lambda i: i.when.year,
    )
    if len(levels) >= 2 and levels[0].period != levels[-1].period:
        a, b = levels[0], levels[-1]
        years = b.when.year - a.when.year
        if points:
            return (
                (b.value - a.value) / years,
                [a, b],
                f"({fmt_num(b.value)} - {fmt_num(a.value)}) / {years}",
            )
        if a.value > 0 and b.value > 0 and a.unit == b.unit:
            rate = A.cagr(a.value, b.value, years)
            return rate, [a, b], f"({fmt_num(b.value)} / {fmt_num(a.value)})^(1/{years}) - 1"
    return None


def rule_target_vs_history(ctx: Context) -> list[Finding]:
    """The annual rate a target implies against the rate the plan reports for the past."""
    out = []
    latest = int(ctx.latest) if ctx.latest else None
    for target in ctx.items:
        if target.kind not in ("target", "forecast") or entity_key(target.entity) != "market":
            continue
        when = target.when
        if when.window is not None:
            years = when.due_month / 12.0
        elif when.year is not None and latest and when.year > latest:
            years = float(when.year - latest)
        else:
            continue
        m = CHANGE_RE.match(target.metric)
        if m and m["kind"] == "cagr" and target.unit == "percent":
            metric, points = m["base"], False
            implied, how, used = target.value, "", []
        elif not m and target.unit not in ("percentage_points",):
            metric, points = target.metric, target.unit == "percent"
            base = nearest(
                [
                    i
                    for i in ctx.items
                    if i.metric == metric
                    and i.kind == "actual"
                    and entity_key(i.entity) == "market"
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
                how = f"({fmt_num(target.value)} - {fmt_num(start)}) / {fmt_num(years)}"
            else:
                if start <= 0 or target.value <= 0:
                    continue
                implied = A.cagr(start, target.value, years)
                how = f"({fmt_num(target.value)} / {fmt_num(start)})^(1/{fmt_num(years)}) - 1"
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
        far = ratio > ctx.tol.max_rate_ratio + 1e-12
        forecast_where = FORECAST_IN_BOOK.get(metric)
        if far:
            verdict = "inconsistent"
        elif forecast_where:
            verdict = "unverifiable"
        elif ratio > 1.0 + 1e-12:
            verdict = "within tolerance"
        else:
            verdict = "consistent"
        unit = "percentage_points" if points else "percent"
        per = " points a year" if points else "% a year"
        what = "forecast" if target.kind == "forecast" else "target"
        implies = (
            f"implies {how} = {'at least ' if floor else ''}{fmt_num(implied)}{per}"
            if how
            else "is a rate itself"
        )
        detail = (
            f"The {what} {metric_label(target.metric)} of {target.text()} ({target.section}, "
            f"{target.period}) {implies}, {fmt_num(ratio)} times the {fmt_num(rate)}{per} "
            f"of the past "
            f"({hist_how}); the audit calls more than {fmt_num(ctx.tol.max_rate_ratio)} times "
            f"far above history."
        )
        if verdict == "unverifiable":
            detail += (
                " Not far above the plan's own history, but that history is no test of the"
                " target: the book forecasts this series from official statistics and gives"
                f" the target's odds on that forecast ({forecast_where})."
            )
        elif verdict == "within tolerance":
            detail += " Faster than history, within that tolerance: history does not rule it out."
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
