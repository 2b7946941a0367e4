"""A net-zero pledge against the plan's own carbon cuts (part of rule competing_targets).

A pledge of carbon neutrality by a calendar year (``*_carbon_neutrality_year`` in
``claims.csv``, the value the year itself) is a 100% cut of the pledged activity's net
emissions by then. The plan's other carbon targets of its firm (a cut of its carbon
footprint or emissions, in percent) are the cuts it expects; when one of them falls due
no earlier than the pledge and is far short of 100%, the figures cannot all hold as cuts.
"""

from __future__ import annotations

from planbook.methods.audit.figures import Context, Item
from planbook.methods.audit.findings import Finding
from planbook.methods.audit.wording import fmt_num, metric_label, section_key

PLEDGE_SUFFIX = "_carbon_neutrality_year"
"""Metrics of a net-zero pledge end so (``logistics_carbon_neutrality_year``)."""

CARBON_CUTS: tuple[str, ...] = ("carbon_footprint_reduction", "carbon_emission_reduction")
"""Metrics of a cut of the firm's carbon, in percent."""


def pledge_month(pledge: Item, latest: str | None) -> float | None:
    """Months from the plan's start to the end of the pledge's year: the plan starts the
    year after its latest reported year (2023 -> 2025 is month 24); None without one."""
    if not latest:
        return None
    return (float(pledge.value) - float(latest)) * 12.0


def _cut_text(i: Item) -> str:
    return f"{metric_label(i.metric)} {i.text()} ({i.section}, {i.period})"


def net_zero_pledges(ctx: Context) -> list[Finding]:
    """A net-zero pledge against the firm's carbon cut targets.

    *Inconsistent* when a cut due no earlier than the pledge (``3 years`` against the end
    of 2025, month 24) is short of 100% by more than the rate tolerance; *unverifiable*
    when no cut can be dated. ``stated`` is 100 (net zero), ``recomputed`` the largest cut
    the plan expects. Severity medium at most: a pledge may count offsets.
    """
    out = []
    for pledge in ctx.items:
        if not (pledge.metric.endswith(PLEDGE_SUFFIX) and pledge.kind == "target"):
            continue
        month = pledge_month(pledge, ctx.latest)
        cuts = sorted(
            (
                i
                for i in ctx.items
                if i.metric in CARBON_CUTS
                and i.kind == "target"
                and i.scope == "firm"
                and i.unit == "percent"
            ),
            key=lambda i: section_key(i.section),
        )
        if not cuts or month is None:
            continue
        dated = [i for i in cuts if i.when.window is not None and i.when.due_month >= month]
        best = max(i.value for i in cuts)
        short = [i for i in dated if 100.0 - i.value > ctx.tol.rate_pp]
        verdict = "inconsistent" if short else "unverifiable"
        activity = metric_label(pledge.metric[: -len(PLEDGE_SUFFIX)])
        values = sorted({i.value for i in cuts})
        apart = (
            f" The cuts differ from each other too: {fmt_num(values[0])}% against "
            f"{fmt_num(values[-1])}%."
            if len(values) > 1
            else ""
        )
        tail = (
            f"The {_cut_text(short[0])} falls due no earlier than the pledge and leaves "
            f"{fmt_num(100 - short[0].value)}% of the emissions. A pledge may count offsets, "
            "which the plan neither sizes nor budgets; taken as cuts, the figures cannot all "
            "hold."
            if short
            else "no cut can be dated against the pledge."
        )
        detail = (
            f"{pledge.section} pledges net-zero {activity} by {int(pledge.value)} (month "
            f"{fmt_num(month)} of a plan whose latest reported year is {ctx.latest}): a 100% "
            f"cut of its net emissions. The plan's carbon cuts are "
            f"{'; '.join(_cut_text(i) for i in cuts)}.{apart} {tail}"
        )
        out.append(
            Finding(
                "competing_targets",
                [pledge, *cuts],
                100.0,
                best,
                "percent",
                verdict,
                detail,
                severity="medium" if short else None,
            )
        )
    return out


__all__ = ["CARBON_CUTS", "PLEDGE_SUFFIX", "net_zero_pledges", "pledge_month"]
