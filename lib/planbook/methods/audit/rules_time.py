"""Rule 10: targets dated to different phases, and phases beyond the plan's horizon."""

from __future__ import annotations

import math

from planbook.data.periods import Period, parse_period
from planbook.methods.audit.figures import Context, Item, entity_key, one_passage
from planbook.methods.audit.findings import Finding
from planbook.methods.audit.wording import fmt_num, metric_label, section_key


def _window_text(period: Period) -> str:
    """A period's window in words: "months 6-18", "from month 48"."""
    start, end = period.window  # type: ignore[misc]
    if not math.isfinite(end):
        return f"from month {fmt_num(start)}"
    return f"months {fmt_num(start)}-{fmt_num(end)}"


# --------------------------------------------------------------------------- launches


LAUNCH_METRIC = "channel_launch"
"""The metric of a channel's launch (``claims.csv``): its period is the phase in which
the plan launches the channel."""


def before_launch(ctx: Context) -> list[Finding]:
    """Targets for a channel due before the phase in which the plan launches it.

    A target whose window ends by the first month of the launch phase (10 metaverse
    flagship stores in year 1, months 0-12, against a launch in months 19-36, from month
    18) is *inconsistent*. A quarterly milestone of an unstated year (``Q4``) is listed
    as well, but it cannot be dated: alone it makes the finding *unverifiable*.
    ``stated`` is the month the launch phase starts; ``recomputed`` the earliest due month
    of a target before it.
    """
    out = []
    for launch in (i for i in ctx.items if i.metric == LAUNCH_METRIC and i.kind == "target"):
        if launch.when.window is None:
            continue
        start = launch.when.window[0]
        mine = [
            i
            for i in ctx.items
            if i is not launch
            and i.kind == "target"
            and i.scope_key == launch.scope_key
            and i.metric != LAUNCH_METRIC
        ]
        early = [i for i in mine if i.when.window is not None and i.when.due_month <= start]
        undated = [i for i in mine if i.when.window is None and i.when.kind == "quarter"]
        if not early and not undated:
            continue
        early = sorted(early, key=lambda i: (i.when.due_month, section_key(i.section)))
        parts = [
            f"{metric_label(i.metric)} {i.text()} ({i.section}, {i.period}, due by month "
            f"{fmt_num(i.when.due_month)})"
            for i in early
        ]
        if undated:
            parts.append(
                "; ".join(
                    f"{metric_label(i.metric)} in {i.period} ({i.section}), a quarter of a "
                    "year the plan does not state (before the launch if it is the first year)"
                    for i in undated
                )
            )
        name = metric_label(launch.scope_of)
        verdict = "inconsistent" if early else "unverifiable"
        tail = (
            "targets for a channel cannot fall due before the channel exists."
            if early
            else "the plan does not say which year, so the order cannot be checked."
        )
        detail = (
            f"The plan launches the {name} channel in {launch.period} ({launch.section}, "
            f"{_window_text(launch.when)}), yet sets {'; '.join(parts)}: {tail}"
        )
        due = early[0].when.due_month if early else math.nan
        out.append(
            Finding(
                "time_frames",
                [launch, *early, *undated],
                start,
                due,
                "months",
                verdict,
                detail,
            )
        )
    return out


# --------------------------------------------------------------------------- rule 10


def rule_time_frames(ctx: Context) -> list[Finding]:
    """Time frames that contradict: one target dated to different phases in different
    sections, targets for a channel due before its launch (:func:`before_launch`), and
    phases that run beyond the plan's stated horizon."""
    out = before_launch(ctx)
    groups: dict[tuple, list[Item]] = {}
    for i in ctx.items:
        if i.kind != "target" or entity_key(i.entity) != "market" or i.when.window is None:
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
            if len({i.period for i in c}) < 2 or one_passage(c):
                continue
            ref = c[0]
            due0 = ref.when.due_month
            worst, worst_gap = ref, 0.0
            for other in c[1:]:
                gap = abs(other.when.due_month - due0)
                if gap > worst_gap:
                    worst, worst_gap = other, gap
            w0, w1 = ref.when.window, worst.when.window
            due1 = worst.when.due_month
            disjoint = w1[1] <= w0[0] or w0[1] <= w1[0]
            verdict = (
                "consistent" if worst_gap <= ctx.tol.deadline_months + 1e-9 else "inconsistent"
            )
            dated = "; ".join(f"{i.section} {i.period} ({_window_text(i.when)})" for i in c)
            if verdict == "consistent":
                tail = "the deadlines agree"
            elif disjoint:
                tail = f"the phases do not even overlap, due {fmt_num(worst_gap)} months apart"
            else:
                tail = f"due {fmt_num(worst_gap)} months apart"
            detail = f"The target {metric_label(metric)} of {ref.text()} is dated {dated}: {tail}."
            relative = worst_gap / max(min(due0, due1), 1.0) * 100.0
            out.append(
                Finding(
                    "time_frames",
                    c,
                    due0,
                    due1,
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
        if i.when.is_phase and i.kind == "target":
            phased.setdefault(i.section, []).append(i)
    for horizon in horizons:
        months = horizon.value_in("months")
        told_there = {i.passage for i in ctx.items if i.section == horizon.section and i.passage}
        for section, group in sorted(phased.items(), key=lambda kv: section_key(kv[0])):
            if {i.passage for i in group} & told_there:
                continue  # the passage rule reports the repeated passage, horizon included
            periods = sorted({i.period for i in group}, key=lambda p: parse_period(p).window)
            if len(periods) < 2:
                continue
            last = max(
                periods, key=lambda p: (parse_period(p).due_month, parse_period(p).window[0])
            )
            w, due = parse_period(last).window, parse_period(last).due_month
            beyond = w[0] >= months or due > months + ctx.tol.deadline_months
            verdict = "inconsistent" if beyond else "consistent"
            last_items = [i for i in group if i.period == last]
            detail = (
                f"Section {section} sets its targets in phases ({', '.join(periods)}); the last,"
                f" {last} ({_window_text(parse_period(last))}), "
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
