"""Rules 1-3: growth rates, end values and cumulative growth against the CAGR."""

from __future__ import annotations

from planbook.methods import arithmetic as A
from planbook.methods.audit.figures import (
    CHANGE_RE,
    Context,
    Item,
    Span,
    bound_sign,
    entity_key,
    half_unit_in,
    lead_words,
    nearest,
    rounded_span,
    rounding_note,
)
from planbook.methods.audit.findings import HOLDS, RATE_UNITS, Finding, compare
from planbook.methods.audit.wording import fmt_num, fmt_value, metric_label

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
        m = CHANGE_RE.match(rate.metric)
        if not m or rate.unit not in RATE_UNITS:
            continue
        base, how = m["base"], m["kind"]
        levels = [i for i in items if i.metric == base and i.unit not in ("percentage_points",)]
        if how in ("cagr",) and rate.unit != "percent":
            continue
        # before / after of the same subject
        before = [i for i in levels if i.period == "before" and i.entity == rate.entity]
        after = [i for i in levels if i.period == "after" and i.entity == rate.entity]
        if before and after and how != "cagr":
            b = nearest(before, rate)
            a = nearest([i for i in after if i.section == b.section and i.dim == b.dim], rate)
            if a is not None:
                out.append((rate, b, a, 1.0, how))
                continue
        key = entity_key(rate.entity)
        if key is None:
            continue
        same = [i for i in levels if entity_key(i.entity) == key]
        # a year range with figures at both ends
        when = rate.when
        if when.kind == "year_range":
            start = [i for i in same if ctx.period(i) == str(when.first)]
            end = [i for i in same if ctx.period(i) == str(when.last)]
            if start and end:
                s, e = nearest(start, rate), nearest(end, rate)
                if s.dim == e.dim:
                    out.append((rate, s, e, float(when.span_years), how))
            continue
        # a target horizon: the target figure for that horizon and the latest actual
        if rate.kind != "target" or when.window is None:
            continue
        ends = [
            i
            for i in same
            if i.kind == "target"
            and i.period == rate.period
            and (i.section == rate.section or i.when.window is not None)
        ]
        starts = [i for i in same if i.kind == "actual" and ctx.is_latest(i)]
        e = nearest(ends, rate)
        if e is None:
            continue
        s = nearest([i for i in starts if i.dim == e.dim], e)
        if s is None:
            continue
        years = when.due_month / 12.0 if how == "cagr" else 1.0
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
        return f"({e} / {s})^(1/{fmt_num(years)}) - 1"
    if unit == "percentage_points":
        return f"{e} - {s}"
    if how == "reduction":
        return f"1 - {e} / {s}"
    return f"{e} / {s} - 1"


def last_digit_unit(value: float) -> float:
    """One unit of the last significant digit a figure is stated to.

    >>> last_digit_unit(8), last_digit_unit(80), last_digit_unit(0.5), last_digit_unit(5000)
    (1.0, 10.0, 0.1, 1000.0)
    """
    unit = 2.0 * A.half_unit(value)
    if unit >= 1:
        whole = round(abs(value))
        while whole and whole % 10 == 0:
            whole //= 10
            unit *= 10.0
    return float(unit)


def milestone(end: Item, rate: Item) -> Span | None:
    """The span a "more than X" target names when another target sets the same figure
    for the same horizon through a rate: the milestone X up to the next unit of its last
    stated digit ("more than 8 hundred million": 8 to 9). None otherwise.

    A floor alone agrees with anything above it; but a plan that sets one figure twice
    for one horizon, once as "past 8" and once as a rate that reaches 12.11, sets two
    different targets: a writer expecting 12.11 would have named the milestone 12.
    """
    if not (
        end.kind == "target"
        and rate.kind == "target"
        and end.bound == "gt"
        and end.period == rate.period
        and end.span.hi == float("inf")
    ):
        return None
    return Span(end.value, end.value + last_digit_unit(end.value), lo_open=True, hi_open=True)


def _milestone_note(end: Item, near: Span, consequence: str) -> str:
    """The sentence a milestone reading adds to a finding."""
    return (
        f' Taken as a floor, {end.section}\'s "{end.text()}" holds; but it names the '
        f"milestone the plan expects to pass, stated to its last digit ("
        f"{fmt_num(near.lo)} to {fmt_value(near.hi, end.unit)}), which {consequence}: two "
        f"different targets for one horizon ({end.period})."
    )


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
        signs = {up * bound_sign(e), -up * bound_sign(s)} - {0}
        if len(signs) > 1:
            continue
        span = rounded_span(
            lambda a, b, how=how, unit=rate.unit, n=years: _change(how, unit, a, b, n),
            [(start, half_unit_in(s, e.unit)), (end, half_unit_in(e, e.unit))],
            signs.pop() if signs else 0,
        )
        tol = ctx.tol.for_unit(rate.unit, rate.value)
        verdict = compare(rate.span, span, rate.value, tol)
        formula = _formula(how, rate.unit, fmt_num(start), fmt_num(rate.value), fmt_num(end), years)
        detail = (
            f"{metric_label(s.metric)} from {s.text(e.unit)} ({s.section}, {s.period}) to "
            f"{e.text()} ({e.section}, {e.period}) implies {formula} = "
            f"{lead_words(span)}{fmt_value(recomputed, rate.unit)}, against the {rate.text()} "
            f"stated in {rate.section}"
            f"{rounding_note(rate, recomputed, span, verdict, rate.unit)}."
        )
        near = milestone(e, rate)
        if near is not None and verdict in HOLDS:
            mid, half = (near.lo + near.hi) / 2, (near.hi - near.lo) / 2
            needs = rounded_span(
                lambda a, b, how=how, unit=rate.unit, n=years: _change(how, unit, a, b, n),
                [(start, half_unit_in(s, e.unit)), (mid, half)],
            )
            if compare(rate.span, needs, rate.value, tol) == "inconsistent":
                verdict = "inconsistent"
                detail += _milestone_note(
                    e,
                    near,
                    f"needs {fmt_num(needs.lo)} to {fmt_value(needs.hi, rate.unit)} a year, "
                    f"not the {rate.text()} of {rate.section}",
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
        signs = {up * bound_sign(rate), bound_sign(s)} - {0}
        if len(signs) > 1:
            continue
        span = rounded_span(
            lambda a, r, how=how, unit=rate.unit, n=years: _apply(how, unit, a, r, n),
            [(start, half_unit_in(s, e.unit)), (rate.value, half_unit_in(rate, rate.unit))],
            signs.pop() if signs else 0,
        )
        tol = ctx.tol.for_unit(e.unit, e.value)
        verdict = compare(e.span, span, e.value, tol)
        near = milestone(e, rate)
        note = ""
        if (
            near is not None
            and verdict in HOLDS
            and compare(near, span, e.value, tol) == ("inconsistent")
        ):
            verdict = "inconsistent"
            note = _milestone_note(
                e,
                near,
                f"the {rate.text()} of {rate.section} overshoots at "
                f"{fmt_value(recomputed, e.unit)}",
            )
        if how == "cagr":
            step = f"{fmt_num(start)} x (1 + {fmt_num(rate.value)}%)^{fmt_num(years)}"
        elif rate.unit == "percentage_points":
            step = f"{fmt_num(start)} + {fmt_num(rate.value)} points"
        elif how == "reduction":
            step = f"{fmt_num(start)} x (1 - {fmt_num(rate.value)}%)"
        else:
            step = f"{fmt_num(start)} x (1 + {fmt_num(rate.value)}%)"
        detail = (
            f"{metric_label(e.metric)}: {s.text(e.unit)} ({s.section}, {s.period}) changed by "
            f"{rate.text()} ({rate.section}) gives {step} = "
            f"{lead_words(span)}{fmt_value(recomputed, e.unit)}, against the {e.text()} stated in "
            f"{e.section} ({e.period}){rounding_note(e, recomputed, span, verdict, e.unit)}"
        )
        if how == "cagr" and verdict == "inconsistent" and start > 0 and e.value > 0:
            implied = A.cagr(start, e.value, years)
            detail += f"; the stated end implies {fmt_num(implied)}% a year"
        out.append(
            Finding(
                "end_value", [e, s, rate], e.value, recomputed, e.unit, verdict, detail + "." + note
            )
        )
    return out


# --------------------------------------------------------------------------- rule 3


def rule_cumulative_vs_cagr(ctx: Context) -> list[Finding]:
    """Cumulative growth over a year range against the CAGR stated for the same range."""
    out = []
    for growth in ctx.items:
        m = CHANGE_RE.match(growth.metric)
        if not m or m["kind"] != "growth" or growth.unit != "percent":
            continue
        years = growth.when.span_years
        if years is None:
            continue
        key = entity_key(growth.entity)
        rates = [
            i
            for i in ctx.items
            if i.metric == f"{m['base']}_cagr"
            and i.period == growth.period
            and i.unit == "percent"
            and (i.entity == growth.entity or (key and entity_key(i.entity) == key))
        ]
        rate = nearest(rates, growth)
        if rate is None:
            continue
        recomputed = A.cagr_from_cumulative(growth.value, years)
        span = rounded_span(
            lambda g, n=years: A.cagr_from_cumulative(g, n),
            [(growth.value, half_unit_in(growth, "percent"))],
        )
        verdict = compare(rate.span, span, rate.value, ctx.tol.rate_pp)
        detail = (
            f"Cumulative growth of {metric_label(m['base'])} of {growth.text()} "
            f"over {growth.period} "
            f"({growth.section}) is (1 + {fmt_num(growth.value)}%)^(1/{years}) - 1 = "
            f"{fmt_num(recomputed)}% a year, against the {rate.text()} CAGR stated in "
            f"{rate.section}{rounding_note(rate, recomputed, span, verdict, 'percent')}."
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
