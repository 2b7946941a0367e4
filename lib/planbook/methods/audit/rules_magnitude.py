"""Magnitude plausibility: a share times its base against the market the plan states, the
plan's firm against the whole industry, a subgroup against its population, and physical
bounds on a delivery promise."""

from __future__ import annotations

import math
from collections.abc import Sequence

from planbook.data.plan import convert
from planbook.methods import arithmetic as A
from planbook.methods.audit.figures import Context, Item
from planbook.methods.audit.findings import Finding
from planbook.methods.audit.wording import fmt_num, fmt_value, metric_label

GMV = "ecommerce_transaction_volume"
"""The metric of GMV (plan 8.1's "GMV" is normalised to it, :data:`SAME_QUANTITY`)."""

MAX_SPEED_KMH: dict[str, float] = {"drone": 100.0, "": 40.0}
"""Fastest average door-to-door speed the audit accepts for a delivery, in km/h, by the
word in the service's name: commercial delivery drones cruise at about 60-100 km/h
(Zipline's fixed-wing craft about 100 km/h, multicopters less), before loading, take-off
and landing; a ground courier in a city averages well under 40 km/h."""


def _years_to(item: Item) -> float | None:
    """Years from the plan's start to a target's due date."""
    when = item.when
    if when.window is None or when.due_month is None or not math.isfinite(when.due_month):
        return None
    return when.due_month / 12.0


def _firm_gmv(ctx: Context, years: float) -> Item | None:
    """The firm's GMV at a horizon (a target due then), else its latest actual."""
    firm = [i for i in ctx.items if i.metric == GMV and i.scope == "firm" and i.dim == "money_cny"]
    dated = [i for i in firm if i.kind == "target" and _years_to(i) == years]
    if dated:
        return dated[0]
    now = [i for i in firm if i.kind == "actual"]
    return now[0] if now else None


def share_of_market(ctx: Context) -> list[Finding]:
    """A firm's share target for a channel, times the firm's GMV, against the whole
    channel's market as the plan states it (grown at its stated rate to the horizon)."""
    out = []
    groups: dict[tuple, list[Item]] = {}
    for t in ctx.items:
        if (
            t.kind == "target"
            and t.unit == "percent"
            and t.metric.endswith("gmv_share")
            and t.scope in ("channel", "segment")
            and t.entity == "plan"
        ):
            groups.setdefault((t.metric, t.scope_key, t.value), []).append(t)
    for (_metric, scope, share), targets in groups.items():
        t = targets[0]
        years = _years_to(t)
        if years is None:
            continue
        market = [
            i
            for i in ctx.items
            if i.scope_key == scope
            and i.entity == "industry"
            and i.dim == "money_cny"
            and i.kind == "actual"
            and i.when.year is not None
        ]
        growth = [
            i
            for i in ctx.items
            if i.scope_key == scope and i.entity == "industry" and i.metric.endswith("_growth")
        ]
        base = _firm_gmv(ctx, years)
        if not market or base is None or not ctx.latest:
            continue
        m0 = max(market, key=lambda i: i.when.year)
        rate = growth[0].value if growth else 0.0
        span = int(ctx.latest) - m0.when.year + years
        projected = m0.value_in("100m_yuan") * (1 + rate / 100.0) ** span
        implied = share / 100.0 * base.value_in("100m_yuan")
        ratio = implied / projected
        verdict = "inconsistent" if ratio > 1.0 else "consistent"
        forecasts = [
            i
            for i in ctx.items
            if i.scope_key == scope and i.kind == "forecast" and i.dim == m0.dim
        ]
        also = (
            f"; the plan's own forecast is {forecasts[0].text('100m_yuan')} for "
            f"{forecasts[0].period} ({forecasts[0].section})"
            if forecasts
            else ""
        )
        where = "; ".join(f"{i.section}, {i.period}" for i in targets)
        big = "trillion_yuan"
        detail = (
            f"A {fmt_num(share)}% share of GMV for {scope[1]} ({where}) of the firm's "
            f"{base.text(big)} ({base.section}, {base.period}) is "
            f"{fmt_num(share)}% x {fmt_num(base.value_in(big))} = "
            f"{fmt_value(implied / 1e4, big)}; the whole {scope[1]} market was "
            f"{m0.text('100m_yuan')} in {m0.period} ({m0.section}), and even growing "
            f"{fmt_num(rate)}% a year for {fmt_num(span)} years it reaches "
            f"{fmt_num(m0.value_in('100m_yuan'))} x (1 + {fmt_num(rate)}%)^{fmt_num(span)} = "
            f"{fmt_value(projected, '100m_yuan')}{also}: the firm's part is "
            f"{fmt_num(ratio)} times the whole."
        )
        out.append(
            Finding(
                "magnitude",
                [*targets, base, m0, *growth[:1]],
                implied,
                projected,
                "100m_yuan",
                verdict,
                detail,
                relative=(ratio - 1) * 100,
            )
        )
    return out


def firm_vs_industry(ctx: Context) -> list[Finding]:
    """The firm's reported money figure against the whole industry's for the same year:
    a firm as large as its industry is not plausible."""
    out = []
    for f in ctx.items:
        if not (f.scope == "firm" and f.kind == "actual" and f.dim == "money_cny"):
            continue
        whole = [
            i
            for i in ctx.items
            if i.metric == f.metric
            and i.scope == "industry"
            and i.kind == "actual"
            and ctx.period(i) == ctx.period(f)
            and i.dim == f.dim
        ]
        if not whole:
            continue
        w = whole[0]
        ratio = f.value_in(w.unit) / w.value * 100.0 if w.value else math.nan
        verdict = "inconsistent" if ratio >= 100.0 - A.half_unit(w.value) else "consistent"
        detail = (
            f"The firm's {metric_label(f.metric)} of {f.text()} ({f.section}, {f.period}) is "
            f"{fmt_num(f.value_in(w.unit))} / {fmt_num(w.value)} = {fmt_num(ratio)}% of the "
            f"industry's {w.text()} ({w.section}, {w.period}): "
            + (
                "the plan gives its own firm the whole industry's size."
                if verdict == "inconsistent"
                else "a part of the whole."
            )
        )
        out.append(
            Finding(
                "magnitude",
                [f, w],
                f.value_in(w.unit),
                w.value,
                w.unit,
                verdict,
                detail,
                relative=ratio if verdict == "inconsistent" else 0.0,
            )
        )
    return out


def _population(ctx: Context) -> tuple[float, list[Item], str] | None:
    """All e-commerce users, from a segment's users and its share of all users."""
    for share in ctx.items:
        if not (share.metric.endswith("_share_of_users") and share.kind == "actual"):
            continue
        base = share.metric[: -len("_share_of_users")] + "_users"
        users = [
            i
            for i in ctx.items
            if i.metric == base and i.kind == "actual" and i.period == share.period
        ]
        if users and share.value > 0:
            u = users[0]
            total = u.value_in("100m_count") / (share.value / 100.0)
            how = f"{fmt_num(u.value_in('100m_count'))} / {fmt_num(share.value)}%"
            return total, [u, share], how
    return None


def subgroup_vs_population(ctx: Context) -> list[Finding]:
    """Users of a subgroup (stated, or grown at a stated rate to a horizon) against all
    the e-commerce users the plan reports."""
    pop = _population(ctx)
    if pop is None:
        return []
    total, used, how = pop
    out = []
    candidates: list[tuple[Item, float, str, list[Item]]] = []
    for i in ctx.items:
        if i.dim == "count" and i.metric.endswith("users") and i not in used:
            candidates.append((i, i.value_in("100m_count"), i.text("100m_count"), [i]))
        if i.metric.endswith("users_cagr") and i.unit == "percent" and i.kind == "target":
            base_metric = i.metric[: -len("_cagr")]
            years = _years_to(i)
            bases = [b for b in ctx.items if b.metric == base_metric and b.kind == "actual"]
            if years and bases:
                b = bases[0]
                grown = b.value_in("100m_count") * (1 + i.value / 100.0) ** years
                text = (
                    f"{fmt_num(b.value_in('100m_count'))} hundred million ({b.section}) grown "
                    f"{fmt_num(i.value)}% a year: {fmt_num(b.value_in('100m_count'))} x "
                    f"(1 + {fmt_num(i.value)}%)^{fmt_num(years)} = "
                    f"{fmt_value(grown, '100m_count')} ({i.section}, {i.period})"
                )
                candidates.append((i, grown, text, [i, b]))
    for item, value, text, items in candidates:
        verdict = "inconsistent" if value > total else "consistent"
        label = metric_label(item.metric.removesuffix("_cagr")).capitalize()
        detail = (
            f"{label}, {text}, against all e-commerce users "
            f"the plan reports, {how} = {fmt_value(total, '100m_count')}: "
            + (
                "the subgroup is larger than the population it belongs to."
                if verdict == "inconsistent"
                else "a part of the whole."
            )
        )
        out.append(
            Finding(
                "magnitude",
                [*items, *used],
                value,
                total,
                "100m_count",
                verdict,
                detail,
                relative=max(value / total - 1, 0) * 100,
            )
        )
    return out


def _max_speed(scope_of: str) -> float:
    for word, speed in MAX_SPEED_KMH.items():
        if word and word in scope_of:
            return speed
    return MAX_SPEED_KMH[""]


def physical_bounds(ctx: Context) -> list[Finding]:
    """A delivery promise (radius and time of one service) against the speed a vehicle
    can keep: radius / time against :data:`MAX_SPEED_KMH`."""
    out = []
    services: dict[tuple, list[Item]] = {}
    for i in ctx.items:
        if i.scope == "service":
            services.setdefault(i.scope_key, []).append(i)
    for (_s, name), items in services.items():
        radius = [i for i in items if i.metric.endswith("radius") and i.dim == "distance"]
        time = [i for i in items if i.metric == "delivery_time" and i.dim == "time"]
        if not radius or not time:
            continue
        r, t = radius[0], time[0]
        km, hours = r.value_in("km"), convert(t.value, t.unit, "hours")
        if hours <= 0:
            continue
        speed = km / hours
        limit = _max_speed(name)
        verdict = "inconsistent" if speed > limit else "consistent"
        detail = (
            f"Delivery within {r.text()} in {t.text()} ({name.replace('_', ' ')}; "
            f"{_sections([r, t])}) needs {fmt_num(km)} km / {fmt_num(hours)} h = "
            f"{fmt_num(speed)} km/h door to door, against at most {fmt_num(limit)} km/h for "
            f"{'a delivery drone' if 'drone' in name else 'a courier'}: "
            + ("not physically plausible." if verdict == "inconsistent" else "plausible.")
        )
        out.append(
            Finding(
                "magnitude",
                [r, t],
                speed,
                limit,
                "km_per_hour",
                verdict,
                detail,
                relative=max(speed / limit - 1, 0) * 100,
            )
        )
    return out


def _sections(items: Sequence[Item]) -> str:
    return "; ".join(sorted({i.section for i in items}))


def rule_magnitude(ctx: Context) -> list[Finding]:
    """Share times base against the market, firm against industry, subgroup against
    population, physical bounds."""
    return [
        *share_of_market(ctx),
        *firm_vs_industry(ctx),
        *subgroup_vs_population(ctx),
        *physical_bounds(ctx),
    ]
