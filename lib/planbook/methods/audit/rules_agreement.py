"""Rules 6-7: one figure stated in several sections, and several targets for one metric."""

from __future__ import annotations

from collections.abc import Sequence

from planbook.methods.audit.figures import (
    Context,
    Item,
    direction,
    entity_key,
    one_passage,
    split_by_scope,
)
from planbook.methods.audit.findings import VERDICTS, Finding, Tolerances, verdict_of
from planbook.methods.audit.rules_pledges import net_zero_pledges
from planbook.methods.audit.wording import fmt_apart, fmt_num, fmt_value, metric_label

# --------------------------------------------------------------------------- rules 6-7


def _spread(group: Sequence[Item], tol: Tolerances) -> tuple[Item, Item, float, float, str]:
    """The figure farthest from the first of a group: ``(first, farthest, gap, sign, verdict)``."""
    ref = group[0]
    worst, worst_gap, worst_key, sign, worst_verdict = ref, 0.0, (-1, -1.0), 0.0, "consistent"
    rank = {v: k for k, v in enumerate(VERDICTS)}
    for other in group[1:]:
        span = other.span_in(ref.unit)
        gap, touching = ref.span.gap(span)
        verdict = verdict_of(ref.value, gap, touching, tol.for_unit(ref.unit, ref.value))
        key = (rank[verdict], gap)
        if key > worst_key:
            worst, worst_gap, worst_key, worst_verdict = other, gap, key, verdict
            sign = 1.0 if other.value_in(ref.unit) >= ref.value else -1.0
    return ref, worst, worst_gap, sign, worst_verdict


def _disagreement(group: Sequence[Item], gap: float) -> str:
    """How far a group's figures disagree: their span, or (with bounds) the gap to the first."""
    ref = group[0]
    if any(i.bound for i in group) or any(i.span.lo != i.span.hi for i in group):
        return fmt_apart(gap, ref.unit)
    values = [i.value_in(ref.unit) for i in group]
    return f"from {fmt_num(min(values))} to {fmt_value(max(values), ref.unit)}"


def _listing(group: Sequence[Item], with_period: bool = False) -> str:
    """ "120 days (2.2; 3.2); 90 days (7.3)": each figure with the sections stating it."""
    by_text: dict[str, list[str]] = {}
    for i in group:
        where = f"{i.section}, {i.period}" if with_period else i.section
        by_text.setdefault(i.text(), []).append(where)
    return "; ".join(f"{t} ({'; '.join(w)})" for t, w in by_text.items())


def different_scope(rule: str, group: Sequence[Item], what: str, tol: Tolerances) -> Finding | None:
    """One finding of verdict *different scope* for figures of one metric that measure
    different things, when compared they would seem to disagree; else None."""
    parts = split_by_scope(group)
    if len(parts) < 2:
        return None
    _ref, worst, gap, sign, verdict = _spread(group, tol)
    if verdict != "inconsistent":
        return None
    ref = group[0]
    listing = "; ".join(f"{_listing(items)} [{items[0].scope_label}]" for items in parts.values())
    detail = (
        f"{what} is stated as {listing}: these measure different things (scope in brackets), "
        "so the audit does not set them against each other."
    )
    recomputed = ref.value + sign * gap if gap else worst.value_in(ref.unit)
    return Finding(rule, group, ref.value, recomputed, ref.unit, "different scope", detail)


def rule_same_figure(ctx: Context) -> list[Finding]:
    """One reported figure (same metric, subject, scope, period and kind) stated in
    several sections: do the sections agree?

    ``stated`` is the figure of the first section, ``recomputed`` the figure farthest
    from it (in the first one's unit). Figures of one metric but different scope get one
    finding *different scope*; a figure that starts a stage of a path (``stage`` on an
    actual) is that stage's baseline, not a report; figures all from one repeated passage
    are left to the passage rule.
    """
    wide: dict[tuple, list[Item]] = {}
    for i in ctx.items:
        if i.kind not in ("actual", "benchmark", "case_study") or i.stage:
            continue
        key = entity_key(i.entity)
        if key is None or i.when.is_phase or i.period == "unspecified":
            continue
        wide.setdefault((i.metric, key, ctx.period(i), i.kind, i.dim), []).append(i)
    out = []
    groups: dict[tuple, list[Item]] = {}
    for (metric, key, period, kind, dim), group in wide.items():
        if len({i.section for i in group}) < 2:
            continue
        what = f"{metric_label(metric)} ({kind}, {period})"
        found = different_scope("same_figure", group, what, ctx.tol)
        if found is not None:
            out.append(found)
        for scope, items in split_by_scope(group).items():
            groups[(metric, key, period, kind, dim, scope)] = items
    for (metric, _key, period, kind, _dim, _scope), group in groups.items():
        if len({i.section for i in group}) < 2 or one_passage(group):
            continue
        ref, worst, gap, sign, verdict = _spread(group, ctx.tol)
        listing = _listing(group)
        recomputed = ref.value + sign * gap if gap else worst.value_in(ref.unit)
        if verdict == "inconsistent":
            tail = f": {_disagreement(group, gap)}."
        else:
            tail = ": the sections agree."
        detail = (
            f"{metric_label(metric)} ({ref.entity}, {kind}, {period}) is stated as {listing}{tail}"
        )
        out.append(Finding("same_figure", group, ref.value, recomputed, ref.unit, verdict, detail))
    return out


def _path_steps(group: Sequence[Item], sign: int, tol: Tolerances) -> tuple[bool, str, str]:
    """Judge targets declared steps of one path (``path``, ``stage``): each later stage
    at least as far along in the better direction, the targets of one stage agreeing.
    Returns ``(holds, "35% (7.3) -> 40% (3.1) -> 45% (8.1)", word)``: a stage whose
    targets disagree is written "157 (3.1) or at most 150 (7.3)"; ``word`` says how the
    path fails ("a path that goes back", "a path whose steps disagree within a stage")."""
    ref = group[0].unit
    stages: dict[int, list[Item]] = {}
    for i in group:
        stages.setdefault(i.stage, []).append(i)
    order = sorted(stages)
    split: set[int] = set()
    for s0 in order:
        first = stages[s0][0]
        for other in stages[s0][1:]:
            gap, touching = first.span_in(ref).gap(other.span_in(ref))
            v0 = first.value_in(ref)
            if verdict_of(v0, gap, touching, tol.for_unit(ref, v0)) == "inconsistent":
                split.add(s0)
    back = any(
        sign * (stages[b][0].value_in(ref) - stages[a][0].value_in(ref)) < 0
        for a, b in zip(order[:-1], order[1:], strict=False)
    )

    def step(k: int) -> str:
        if k in split:
            return " or ".join(f"{i.text(ref)} ({i.section}, {i.period})" for i in stages[k])
        where = "; ".join(f"{i.section}, {i.period}" for i in stages[k])
        return f"{stages[k][0].text(ref)} ({where})"

    steps = " -> ".join(step(k) for k in order)
    if split:
        word = "a path whose targets for one step disagree"
    elif back:
        word = "a path that goes back"
    else:
        word = "a path, each later step further along"
    return not (split or back), steps, word


def _staged(group: Sequence[Item], sign: int, tol: Tolerances) -> bool:
    """Do dated targets form a path (each later deadline at least as far along)?"""
    if any(i.when.window is None for i in group):
        return False
    ref = group[0].unit
    pts = sorted(
        ((i.when.due_month, i.value_in(ref), i) for i in group),
        key=lambda x: x[:2],
    )
    for (d0, v0, i0), (d1, v1, i1) in zip(pts[:-1], pts[1:], strict=True):
        if d0 == d1:
            gap, touching = i0.span_in(ref).gap(i1.span_in(ref))
            if verdict_of(v0, gap, touching, tol.for_unit(ref, v0)) == "inconsistent":
                return False
        elif sign * (v1 - v0) < 0:
            return False
    return True


def rule_competing_targets(ctx: Context) -> list[Finding]:
    """Several targets for one metric: do they agree, or form a dated path? And a net-zero
    pledge against the carbon cuts the plan expects (:func:`~planbook.methods.audit.
    rules_pledges.net_zero_pledges`).

    ``stated`` is the target of the first section, ``recomputed`` the target farthest
    from it (in the first one's unit).
    """
    wide: dict[tuple, list[Item]] = {}
    for i in ctx.items:
        if i.kind != "target":
            continue
        key = entity_key(i.entity)
        if key is None:
            continue
        wide.setdefault((i.metric, key, i.dim), []).append(i)
    out = []
    groups: dict[tuple, list[Item]] = {}
    for (metric, key, dim), group in wide.items():
        if len(group) < 2:
            continue
        found = different_scope("competing_targets", group, metric_label(metric), ctx.tol)
        if found is not None:
            out.append(found)
        for scope, items in split_by_scope(group).items():
            groups[(metric, key, dim, scope)] = items
    for (metric, _key, _dim, _scope), group in groups.items():
        if len(group) < 2 or one_passage(group):
            continue
        if all(i.dim == "money_cny" and "." in i.scope_of for i in group):
            continue  # spending on a named item: rule budget_reconciliation
        ref, worst, gap, sign, verdict = _spread(group, ctx.tol)
        listing = _listing(group, with_period=True)
        staged = False
        paths = {i.path for i in group}
        if len(paths) == 1 and "" not in paths:
            holds, steps, word = _path_steps(group, direction(metric, ctx.items), ctx.tol)
            verdict = "consistent" if holds else "inconsistent"
            detail = f"The plan sets {metric_label(metric)} in steps of one path: {steps}: {word}."
            recomputed = ref.value + sign * gap if gap else worst.value_in(ref.unit)
            out.append(
                Finding(
                    "competing_targets", group, ref.value, recomputed, ref.unit, verdict, detail
                )
            )
            continue
        if verdict == "inconsistent" and _staged(group, direction(metric, ctx.items), ctx.tol):
            verdict, staged = "consistent", True
        recomputed = ref.value + sign * gap if gap else worst.value_in(ref.unit)
        if staged:
            tail = ": a dated path, each later target further along."
        elif verdict == "inconsistent":
            tail = f": {_disagreement(group, gap)}."
        else:
            tail = ": the targets agree."
        detail = f"The plan sets {metric_label(metric)} at {listing}{tail}"
        out.append(
            Finding("competing_targets", group, ref.value, recomputed, ref.unit, verdict, detail)
        )
    return [*out, *net_zero_pledges(ctx)]
