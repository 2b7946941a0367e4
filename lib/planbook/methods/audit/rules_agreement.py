"""Rules 6-7: one figure stated in several sections, and several targets for one metric."""

from __future__ import annotations

from collections.abc import Sequence

from planbook.methods import arithmetic as A
from planbook.methods.audit.figures import Context, Item, direction, entity_key
from planbook.methods.audit.findings import Finding, Tolerances, verdict_of
from planbook.methods.audit.wording import fmt_apart, fmt_num, fmt_value, metric_label

# --------------------------------------------------------------------------- rules 6-7


def _spread(group: Sequence[Item], tol: Tolerances) -> tuple[Item, Item, float, float, str]:
    """The figure farthest from the first of a group: ``(first, farthest, gap, sign, verdict)``."""
    ref = group[0]
    worst, worst_gap, worst_key, sign, worst_verdict = ref, 0.0, (-1, -1.0), 0.0, "consistent"
    rank = {v: k for k, v in enumerate(A.VERDICTS)}
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
        key = entity_key(i.entity)
        if key is None or i.when.is_phase or i.period == "unspecified":
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
        detail = (
            f"{metric_label(metric)} ({ref.entity}, {kind}, {period}) is stated as {listing}{tail}"
        )
        out.append(Finding("same_figure", group, ref.value, recomputed, ref.unit, verdict, detail))
    return out


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
    """Several targets for one metric: do they agree, or form a dated path?

    ``stated`` is the target of the first section, ``recomputed`` the target farthest
    from it (in the first one's unit).
    """
    groups: dict[tuple, list[Item]] = {}
    for i in ctx.items:
        if i.kind != "target":
            continue
        key = entity_key(i.entity)
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
        detail = f"The plan sets {metric_label(metric)} at {listing}{tail}"
        out.append(
            Finding("competing_targets", group, ref.value, recomputed, ref.unit, verdict, detail)
        )
    return out
