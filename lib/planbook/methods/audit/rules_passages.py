"""Rules on passages the plan tells more than once: one finding a passage, and numbers
the retelling gives another meaning.

A passage is declared in ``claims.csv`` (column ``passage``): the figures of one piece of
text the plan repeats in several sections. Agreement between the copies is no evidence
(a copy agrees with its original), so the other rules leave figures of one passage to
these two.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from planbook.data.text import counted
from planbook.methods.audit.figures import Context, Item
from planbook.methods.audit.findings import Finding, verdict_of
from planbook.methods.audit.wording import metric_label, section_key

# --------------------------------------------------------------------------- helpers


def passages(ctx: Context) -> dict[str, list[Item]]:
    """The declared passages told in at least two sections: key -> figures, in order."""
    out: dict[str, list[Item]] = {}
    for i in ctx.items:
        if i.passage:
            out.setdefault(i.passage, []).append(i)
    return {k: v for k, v in out.items() if len({i.section for i in v}) >= 2}


def _generic(item: Item) -> bool:
    """An unnamed subject ("a platform"): each section may mean another firm."""
    return item.entity.startswith("a ")


def _sections(items: Sequence[Item]) -> list[str]:
    return sorted({i.section for i in items}, key=section_key)


def _date(i: Item) -> str:
    return f"{i.period} ({i.section})"


def _horizon_note(ctx: Context, items: Sequence[Item]) -> str:
    """Say so when one telling's phases run beyond a horizon another section states."""
    secs = set(_sections(items))
    horizons = [
        h for h in ctx.items if h.metric == "plan_horizon" and h.dim == "time" and h.section in secs
    ]
    notes = []
    for h in horizons:
        months = h.value_in("months")
        late = [
            i
            for i in items
            if i.kind == "target"
            and i.section != h.section
            and i.when.window is not None
            and i.when.window[0] >= months
        ]
        if late:
            notes.append(
                f" {late[0].section} runs its phases to {late[0].period}, beyond the "
                f"{h.text()} that {h.section} gives as the plan's horizon."
            )
    return "".join(notes)


# --------------------------------------------------------------------------- rules


def rule_repeated_passage(ctx: Context) -> list[Finding]:
    """A passage told in several sections: one finding listing every place, inconsistent
    when the retelling changes a figure or a target's date.

    ``stated`` and ``recomputed`` are the two values (or due months) of the largest
    change; the finding counts once however many figures the passage repeats.
    """
    out = []
    tol = ctx.tol
    for key, items in passages(ctx).items():
        by_metric: dict[tuple, list[Item]] = {}
        for i in items:
            by_metric.setdefault((i.metric, i.entity, i.kind, i.scope_key, i.dim), []).append(i)
        changed_values: list[str] = []
        changed_dates: list[str] = []
        worst = (0.0, math.nan, math.nan, "")
        repeated = 0
        for (metric, _e, kind, _s, _d), group in by_metric.items():
            if len({i.section for i in group}) < 2:
                continue
            repeated += 1
            ref = group[0]
            for other in group[1:]:
                if other.section == ref.section:
                    continue
                gap, touching = ref.span.gap(other.span_in(ref.unit))
                verdict = verdict_of(ref.value, gap, touching, tol.for_unit(ref.unit, ref.value))
                if verdict == "inconsistent":
                    changed_values.append(
                        f"{metric_label(metric)} {ref.text()} ({ref.section}) but "
                        f"{other.text(ref.unit)} ({other.section})"
                    )
                    rel = gap / abs(ref.value) * 100 if ref.value else math.inf
                    if rel > worst[0]:
                        worst = (rel, ref.value, other.value_in(ref.unit), ref.unit)
                elif kind == "target" and ref.when.window and other.when.window:
                    d0, d1 = ref.when.due_month, other.when.due_month
                    if abs(d0 - d1) > tol.deadline_months + 1e-9:
                        changed_dates.append(
                            f"{metric_label(metric)} {ref.text()} due {_date(ref)} or "
                            f"{_date(other)}"
                        )
                        rel = abs(d0 - d1) / max(min(d0, d1), 1.0) * 100
                        if rel > worst[0]:
                            worst = (rel, d0, d1, "months")
        if not repeated:
            continue
        where = "; ".join(_sections(items))
        told = f"One passage (declared '{key}') is told in {where}"
        head = f"{told}, repeating {counted(repeated, 'figure')}."
        if changed_values or changed_dates:
            parts = []
            if changed_values:
                parts.append(
                    f"The retelling changes {counted(len(changed_values), 'figure')}: "
                    + "; ".join(changed_values)
                    + "."
                )
            if changed_dates:
                parts.append(
                    f"It dates {counted(len(changed_dates), 'target')} differently: "
                    + "; ".join(changed_dates)
                    + "."
                )
            detail = f"{head} {' '.join(parts)}{_horizon_note(ctx, items)}"
            rel, stated, recomputed, unit = worst
            out.append(
                Finding(
                    "repeated_passage",
                    items,
                    stated,
                    recomputed,
                    unit,
                    "inconsistent",
                    detail,
                    relative=rel,
                )
            )
        else:
            detail = (
                f"{head} The copies agree; a copy is no independent evidence, so the "
                "audit counts the passage once."
            )
            v = items[0].value
            out.append(
                Finding("repeated_passage", items, v, v, items[0].unit, "consistent", detail)
            )
    return out


def rule_reused_number(ctx: Context) -> list[Finding]:
    """The same number in two tellings of one passage with another meaning or unit (a
    count of cases in one, a growth rate in the other; people in one, yuan in the other),
    or told of another subject (one result credited to a brand and to a streamer).

    One finding a passage, listing every such pair; ``stated`` and ``recomputed`` are the
    number as written twice (the arithmetic is the identity: the same digits).
    """
    out = []
    for key, items in passages(ctx).items():
        pairs = []
        for a in items:
            for b in items:
                if section_key(b.section) <= section_key(a.section) or a.value != b.value:
                    continue
                if a.metric == b.metric and a.dim == b.dim and a.entity == b.entity:
                    continue  # one figure told twice (or credited to two causes: below)
                # the other telling states the same figure with a's meaning too: no reuse
                if any(
                    i.section == b.section and (i.metric, i.entity) == (a.metric, a.entity)
                    for i in items
                    if i.value == a.value
                ) or any(
                    i.section == a.section and (i.metric, i.entity) == (b.metric, b.entity)
                    for i in items
                    if i.value == b.value
                ):
                    continue
                pairs.append((a, b))
        if not pairs:
            continue
        texts = [
            f"{a.text()} is {metric_label(a.metric)} of {a.entity} ({a.section}, {a.kind}) "
            f"but {b.text()} is {metric_label(b.metric)} of {b.entity} ({b.section}, {b.kind})"
            for a, b in pairs
        ]
        used = [x for p in pairs for x in p]
        # one shared number between two unnamed subjects ("a platform" twice) may be a
        # coincidence of two cases; two shared numbers, a change of unit or a named
        # subject make it one text told twice
        sure = len(pairs) >= 2 or any(
            a.dim != b.dim or not (_generic(a) or _generic(b)) for a, b in pairs
        )
        verdict = "inconsistent" if sure else "unverifiable"
        tail = (
            "At most one reading can be right."
            if sure
            else "Two unnamed cases may share one number by chance; the plan does not say."
        )
        detail = (
            f"One passage (declared '{key}') told in {'; '.join(_sections(used))} reuses a "
            f"number with another meaning: {'; '.join(texts)}. {tail}"
        )
        a, b = pairs[0]
        out.append(
            Finding(
                "reused_number",
                used,
                a.value,
                b.value,
                a.unit,
                verdict,
                detail,
                severity="medium" if sure else "low",
            )
        )
    return out


def two_causes(ctx: Context) -> list[Finding]:
    """One case's result credited to two causes: in a declared passage, the same figure
    of the same metric and unnamed subject (a brand, a platform) in two sections, whose
    ``scope_of`` names a different intervention (``sell_to_order`` against
    ``sentiment_analysis``).

    The passage is the book's reading that both tellings are one case (same kind of firm,
    same metric, same number); the plan then offers one result as evidence for two
    different measures, and at most one attribution can be right. One finding a passage;
    ``stated`` and ``recomputed`` are the number as written twice.
    """
    out = []
    for key, items in passages(ctx).items():
        pairs = [
            (a, b)
            for a in items
            for b in items
            if section_key(a.section) < section_key(b.section)
            and (a.metric, a.entity, a.unit, a.value) == (b.metric, b.entity, b.unit, b.value)
            and a.kind == b.kind == "case_study"
            and _generic(a)
            and a.scope_of
            and b.scope_of
            and a.scope_of != b.scope_of
        ]
        if not pairs:
            continue
        texts = [
            f"{metric_label(a.metric)} of {a.text()} for {a.entity} credited to "
            f"{a.scope_of} ({a.section}) and to {b.scope_of} ({b.section})"
            for a, b in pairs
        ]
        used = list(dict.fromkeys(x for p in pairs for x in p))
        detail = (
            f"One case (declared '{key}') told in {'; '.join(_sections(used))} credits one "
            f"result to two causes: {'; '.join(texts)}. The book reads the two tellings as "
            "one case (the same kind of firm, metric and number); at most one attribution "
            "can be right, and if they are two firms the plan does not say so."
        )
        a, b = pairs[0]
        out.append(
            Finding(
                "reused_number",
                used,
                a.value,
                b.value,
                a.unit,
                "inconsistent",
                detail,
                severity="low",
            )
        )
    return out


def rule_reused_number_all(ctx: Context) -> list[Finding]:
    """Numbers reused with another meaning or unit, and one case's result credited to two
    causes (:func:`rule_reused_number`, :func:`two_causes`)."""
    found = [*rule_reused_number(ctx), *two_causes(ctx)]
    return sorted(found, key=lambda f: min(section_key(i.section) for i in f.items))


__all__ = [
    "passages",
    "rule_repeated_passage",
    "rule_reused_number",
    "rule_reused_number_all",
    "two_causes",
]
