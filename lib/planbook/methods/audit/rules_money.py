"""Budget reconciliation across sections: spending on one item, budget lines against the
items filed under them, shares of the budget, and totals over horizons.

Money figures name what they pay for in ``scope_of`` (``claims.csv``): ``<line>.<item>``
(``technology.ai_platform``), a line alone (``technology``), or ``total``. The parts of
one line adding up to its total (45 + 35 + 40 = 120) is rule ``parts_sum``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from planbook.methods.audit.figures import Context, Item
from planbook.methods.audit.findings import Finding, verdict_of
from planbook.methods.audit.wording import fmt_num, fmt_value, metric_label, section_key

MONEY_UNIT = "100m_yuan"
"""The unit the budget rules write money in (hundred million yuan, 億元)."""


def _money(ctx: Context) -> list[Item]:
    """The plan's own spending: money targets of the firm with a named item or line."""
    return [
        i
        for i in ctx.items
        if i.dim == "money_cny" and i.kind == "target" and i.scope == "firm" and i.scope_of
    ]


def _where(items: Sequence[Item]) -> str:
    return "; ".join(f"{i.text(MONEY_UNIT)} ({i.section}, {i.period})" for i in items)


def _same_period(a: Item, b: Item) -> bool:
    """Do two figures cover the same year (``annual`` matches ``year 1``)?"""
    ya = "year 1" if a.period == "annual" else a.period
    yb = "year 1" if b.period == "annual" else b.period
    return ya == yb


def _what_for(ctx: Context, group: list[Item]) -> str:
    """What each sum of one item pays for, in the claims' notes, and why they still
    cannot both be right: a sceptic's question answered in the finding."""
    notes = ctx.claims.set_index("id")["note"]
    said = [f"{notes.get(i.ids[0], '')} ({i.section})" for i in group if notes.get(i.ids[0])]
    if len(said) < 2:
        return ""
    return (
        f" What each sum is for, in the plan's words: {'; '.join(said)}. The bundles may "
        "differ in part, but each pays for this one item, so they cannot both be its cost."
    )


def same_item(ctx: Context) -> list[Finding]:
    """Spending on one item given in several sections, side by side."""
    groups: dict[str, list[Item]] = {}
    for i in _money(ctx):
        if "." in i.scope_of:
            groups.setdefault(i.scope_of.split(".")[-1], []).append(i)
    out = []
    for item, group in groups.items():
        if len({i.section for i in group}) < 2:
            continue
        ref = group[0]
        v0 = ref.value_in(MONEY_UNIT)
        worst, worst_gap, worst_verdict = ref, 0.0, "consistent"
        rank = {"consistent": 0, "within rounding": 1, "within tolerance": 2, "inconsistent": 3}
        for other in group[1:]:
            gap, touching = ref.span_in(MONEY_UNIT).gap(other.span_in(MONEY_UNIT))
            verdict = verdict_of(v0, gap, touching, ctx.tol.for_unit(MONEY_UNIT, v0))
            if (rank[verdict], gap) > (rank[worst_verdict], worst_gap):
                worst, worst_gap, worst_verdict = other, gap, verdict
        name = metric_label(item)
        lines = sorted({i.scope_of.split(".")[0] for i in group})
        filed = f" (filed under {' and '.join(lines)})" if len(lines) > 1 else ""
        if worst_verdict == "inconsistent":
            tail = f": {fmt_num(worst_gap)} hundred million yuan apart." + _what_for(ctx, group)
        elif worst_verdict == "consistent":
            tail = ": the sections agree."
        else:
            tail = f": they agree {worst_verdict} (a bound only touching a figure, or slack)."
        detail = f"Spending on {name}{filed} is given as {_where(group)}{tail}"
        out.append(
            Finding(
                "budget_reconciliation",
                group,
                v0,
                worst.value_in(MONEY_UNIT),
                MONEY_UNIT,
                worst_verdict,
                detail,
            )
        )
    return out


def one_sum_other_items(ctx: Context) -> list[Finding]:
    """One sum of one spending metric given in several sections for different items of a
    budget line (30 for the AI platform in 3.2 and 6.1, for the AI platform and blockchain
    traceability in 7.1): one description of what the sum buys is wrong, or an item is
    left out of the others.

    ``stated`` and ``recomputed`` are the sum as written twice (the check is on what it
    pays for, not its size).
    """
    groups: dict[tuple[str, str, float], list[Item]] = {}
    for i in _money(ctx):
        if "." in i.scope_of:
            line = i.scope_of.split(".")[0]
            groups.setdefault((i.metric, line, round(i.value_in(MONEY_UNIT), 9)), []).append(i)
    out = []
    for (_metric, line, value), group in groups.items():
        items = sorted({i.scope_of.split(".")[-1] for i in group})
        if len(items) < 2 or len({i.section for i in group}) < 2:
            continue
        group = sorted(group, key=lambda i: section_key(i.section))
        told = "; ".join(
            f"{metric_label(i.scope_of.split('.')[-1])} ({i.section}, {i.period})" for i in group
        )
        detail = (
            f"The same {fmt_value(value, MONEY_UNIT)} of the {line} line is said to pay for "
            f"{told}: {len(items)} different descriptions of one sum. Either the sum buys "
            "less than one section says, or the other sections leave an item out."
        )
        out.append(
            Finding(
                "budget_reconciliation",
                group,
                value,
                value,
                MONEY_UNIT,
                "inconsistent",
                detail,
                severity="medium",
            )
        )
    return out


def line_items(ctx: Context) -> list[Finding]:
    """A budget line (``technology``) against the distinct items filed under it.

    Items dated in the line's own period must fit in it (else *inconsistent*); when only
    undated items overflow it, the finding is *unverifiable* (the plan gives no year).
    """
    money = _money(ctx)
    out = []
    for line in (i for i in money if "." not in i.scope_of and i.scope_of != "total"):
        items: dict[str, list[Item]] = {}
        for i in money:
            if i.scope_of.startswith(line.scope_of + "."):
                items.setdefault(i.scope_of.split(".")[-1], []).append(i)
        if not items:
            continue
        dated, undated = [], []
        for group in items.values():
            same = [i for i in group if _same_period(i, line)]
            if same:
                dated.append(same[0])
            elif all(i.period == "unspecified" for i in group):
                undated.append(group[0])
        total_dated = sum(i.value_in(MONEY_UNIT) for i in dated)
        total_all = total_dated + sum(i.value_in(MONEY_UNIT) for i in undated)
        limit = line.value_in(MONEY_UNIT)
        slack = ctx.tol.for_unit(MONEY_UNIT, limit)
        if total_dated > limit + slack:
            verdict, shown = "inconsistent", total_dated
        elif total_all > limit + slack:
            verdict, shown = "unverifiable", total_all
        else:
            verdict, shown = "consistent", total_all
        parts = " + ".join(fmt_num(i.value_in(MONEY_UNIT)) for i in [*dated, *undated])
        listing = _where([*dated, *undated])
        if verdict == "unverifiable":
            tail = (
                f"more than the line, but the plan gives no year for {_where(undated)}, so "
                "they may fall in later years"
            )
        elif verdict == "inconsistent":
            tail = "more than the line holds in the same year"
        else:
            tail = "within the line"
        detail = (
            f"The {line.scope_of} line of {line.text(MONEY_UNIT)} ({line.section}, "
            f"{line.period}) against the items the plan files under it, {listing}: {parts} = "
            f"{fmt_value(shown, MONEY_UNIT)}, {tail}."
        )
        out.append(
            Finding(
                "budget_reconciliation",
                [line, *dated, *undated],
                limit,
                shown,
                MONEY_UNIT,
                verdict,
                detail,
            )
        )
    return out


def budget_shares(ctx: Context) -> list[Finding]:
    """A stated share of the budget for a line against the line over the total of the
    same year (35% of the annual budget against 45 / 120)."""
    money = _money(ctx)
    out = []
    for share in ctx.items:
        if not (
            share.unit == "percent"
            and share.scope == "firm"
            and share.scope_of
            and share.metric.endswith("share_of_budget")
        ):
            continue
        line = next(
            (i for i in money if i.scope_of == share.scope_of and _same_period(i, share)), None
        )
        if line is None:
            continue
        total = next((i for i in money if i.scope_of == "total" and _same_period(i, line)), None)
        if total is None or total.value <= 0:
            continue
        implied = line.value_in(MONEY_UNIT) / total.value_in(MONEY_UNIT) * 100.0
        verdict = verdict_of(
            share.value, abs(implied - share.value), True, ctx.tol.for_unit("percent", 0)
        )
        detail = (
            f"{share.section} puts {share.text()} of the {share.period} budget into "
            f"{share.scope_of}; {line.section}'s {line.period} budget gives it "
            f"{fmt_num(line.value_in(MONEY_UNIT))} / {fmt_num(total.value_in(MONEY_UNIT))} = "
            f"{fmt_num(implied)}%."
        )
        out.append(
            Finding(
                "budget_reconciliation",
                [share, line, total],
                share.value,
                implied,
                "percent",
                verdict,
                detail,
            )
        )
    return out


def horizons(ctx: Context) -> list[Finding]:
    """The budget over horizons: the first year plus the additional funding of the next
    horizon can be no more than the cumulative total of a later one."""
    money = _money(ctx)
    totals = [i for i in money if i.scope_of == "total" and i.when.window is not None]
    out = []
    first = [i for i in totals if i.metric == "budget_total" and i.when.due_month <= 12]
    extra = [i for i in totals if i.metric == "additional_funding"]
    later = [i for i in totals if i.metric == "budget_total" and i.when.due_month > 12]
    for f in first:
        for e in extra:
            for c in later:
                if c.when.due_month < e.when.due_month:
                    continue
                spent = f.value_in(MONEY_UNIT) + e.value_in(MONEY_UNIT)
                limit = c.value_in(MONEY_UNIT)
                verdict = "consistent" if spent <= limit + 1e-9 else "inconsistent"
                detail = (
                    f"The first year's {f.text(MONEY_UNIT)} ({f.section}) and the "
                    f"{e.text(MONEY_UNIT)} added within {e.period} ({e.section}) make "
                    f"{fmt_num(f.value_in(MONEY_UNIT))} + {fmt_num(e.value_in(MONEY_UNIT))} "
                    f"= {fmt_value(spent, MONEY_UNIT)}, "
                    f"{'within' if verdict == 'consistent' else 'beyond'} the "
                    f"{c.text(MONEY_UNIT)} the plan gives for {c.period} ({c.section})."
                )
                out.append(
                    Finding(
                        "budget_reconciliation",
                        [f, e, c],
                        limit,
                        spent,
                        MONEY_UNIT,
                        verdict,
                        detail,
                        relative=max(spent / limit - 1, 0) * 100 if limit else math.nan,
                    )
                )
    return out


def rule_budget_reconciliation(ctx: Context) -> list[Finding]:
    """Spending on one item across sections, one sum for different items, budget lines
    against their items, budget shares against the lines, and totals over horizons."""
    found = [
        *same_item(ctx),
        *one_sum_other_items(ctx),
        *line_items(ctx),
        *budget_shares(ctx),
        *horizons(ctx),
    ]
    return sorted(found, key=lambda f: min(section_key(i.section) for i in f.items))
