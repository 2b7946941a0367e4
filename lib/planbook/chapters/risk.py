"""Chapter 5 (risk assessment and responses): a risk register, availability, and a loss model.

Plan 5.1-5.4 names twelve risks in four groups (operational, market, technology, policy),
each with a figure as evidence, a response and a target. This module holds the register
(:data:`RISKS`), scores it with the chapter's likelihood and impact parameters, turns
the availability and recovery targets into hours and money
(:mod:`planbook.methods.models.availability`), and builds the Monte Carlo model of annual loss
(:mod:`planbook.methods.models.risk_mc`) from the incident figures the plan reports.

Money in this module is in million yuan.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from planbook.data.plan import convert, pick
from planbook.methods import arithmetic as A
from planbook.methods.models import availability as AV
from planbook.methods.models import risk_mc as MC

MONEY = "million yuan"
"""The money unit of this chapter's models."""

Spec = tuple[str, str, str]
"""A claim by (section, metric, period)."""

CATEGORIES = ("operational", "market", "technology", "policy")


@dataclass(frozen=True)
class Risk:
    """One risk the plan names: its evidence, the response and the targets it sets."""

    key: str
    category: str
    section: str
    name: str
    evidence: tuple[Spec, ...]
    mitigation: str
    targets: tuple[Spec, ...]


RISKS: tuple[Risk, ...] = (
    Risk(
        "inventory",
        "operational",
        "5.1",
        "Overstock and unsold goods",
        (
            ("5.1", "unsold_rate", "current"),
            ("5.1", "inventory_loss", "current"),
            ("5.1", "inventory_loss_share_of_net_profit", "current"),
        ),
        "AI demand forecasting from sales history, seasons and social-media trends; small "
        "first batches with quick reorders",
        (
            ("5.1", "demand_forecast_accuracy", "unspecified"),
            ("5.1", "first_batch_order_size", "unspecified"),
            ("5.1", "inventory_turnover_days", "unspecified"),
        ),
    ),
    Risk(
        "logistics",
        "operational",
        "5.1",
        "Late delivery and weather disruption",
        (
            ("5.1", "delivery_on_time_rate", "2023"),
            ("5.1", "weather_delay_rate_increase", "2023"),
        ),
        "Backup warehouses in disaster-prone regions; service-level agreements with "
        "carriers that pay for delays",
        (
            ("5.1", "delivery_on_time_rate", "unspecified"),
            ("5.1", "fresh_produce_spoilage_rate", "unspecified"),
        ),
    ),
    Risk(
        "cost",
        "operational",
        "5.1",
        "Rising commissions and thin margins",
        (
            ("5.1", "platform_commission_rate", "2020"),
            ("5.1", "platform_commission_rate", "2023"),
            ("5.1", "sme_profit_margin", "current"),
        ),
        "Lower commission for large merchants; joint purchasing of packaging and logistics",
        (
            ("5.1", "commission_cut_for_large_merchants", "unspecified"),
            ("5.1", "operating_cost_share", "unspecified"),
        ),
    ),
    Risk(
        "traffic",
        "market",
        "5.2",
        "Dearer customer acquisition",
        (
            ("5.2", "customer_acquisition_cost_growth", "3 years"),
            ("5.2", "roas", "before"),
            ("5.2", "roas", "current"),
        ),
        "Content seeded by small creators on public platforms; a private customer pool "
        "with member benefits",
        (
            ("5.2", "natural_traffic_share", "unspecified"),
            ("5.2", "private_domain_purchase_frequency", "unspecified"),
        ),
    ),
    Risk(
        "competition",
        "market",
        "5.2",
        "Concentration at the top",
        (("5.2", "hhi", "current"),),
        "Vertical channels (older shoppers, families); an incubator for white-label brands",
        (
            ("5.2", "white_label_brands_incubated", "unspecified"),
            ("5.2", "white_label_brand_annual_sales", "unspecified"),
        ),
    ),
    Risk(
        "demand",
        "market",
        "5.2",
        "Price-sensitive shoppers",
        (("5.2", "price_comparison_frequency_growth", "current"),),
        "Service packages and membership (free returns, dedicated service) to compete on "
        "more than price",
        (
            ("5.2", "service_premium_share", "unspecified"),
            ("5.2", "user_satisfaction_score", "unspecified"),
        ),
    ),
    Risk(
        "tech_obsolescence",
        "technology",
        "5.3",
        "Outdated algorithms",
        (("5.3", "conversion_rate_decline", "current"),),
        "A share of the R&D budget for research and an AI lab; microservices for faster releases",
        (
            ("5.3", "research_share_of_rnd_budget", "unspecified"),
            ("5.3", "system_iteration_cycle", "unspecified"),
        ),
    ),
    Risk(
        "data_breach",
        "technology",
        "5.3",
        "Data breaches",
        (
            ("5.3", "data_breach_incidents_growth", "2023"),
            ("5.3", "data_breach_average_loss", "current"),
        ),
        "Zero-trust architecture with least privilege; full data masking; blockchain traceability",
        (
            ("5.3", "data_masking_rate", "unspecified"),
            ("5.3", "consumer_trust_uplift", "unspecified"),
        ),
    ),
    Risk(
        "system_outage",
        "technology",
        "5.3",
        "Outages at peak load",
        (
            ("5.3", "outage_duration", "current"),
            ("5.3", "outage_loss", "current"),
        ),
        "Active-active operation across sites; automatic scaling at traffic peaks",
        (
            ("5.3", "service_availability", "unspecified"),
            ("5.3", "peak_capacity_multiple", "unspecified"),
            ("5.3", "failure_recovery_time", "unspecified"),
        ),
    ),
    Risk(
        "privacy_regulation",
        "policy",
        "5.4",
        "Personal-data enforcement",
        (
            ("5.4", "illegal_data_collection_cases_growth", "current"),
            ("5.4", "facial_recognition_fine", "current"),
        ),
        "A compliance committee that audits consent and data use; privacy-preserving computation",
        (("5.4", "user_consent_rate", "unspecified"),),
    ),
    Risk(
        "cross_border",
        "policy",
        "5.4",
        "Cross-border tax compliance",
        (
            ("5.4", "cross_border_tax_cost_increase", "current"),
            ("5.4", "tax_filing_fine", "current"),
        ),
        "Local compliance teams in target markets; tariff planning under trade agreements "
        "such as RCEP",
        (
            ("5.4", "overseas_compliance_rate", "unspecified"),
            ("5.4", "overall_tax_rate_reduction", "unspecified"),
        ),
    ),
    Risk(
        "false_advertising",
        "policy",
        "5.4",
        "False advertising in live commerce",
        (
            ("5.4", "live_commerce_false_advertising_complaints_growth", "current"),
            ("5.4", "false_advertising_fine", "current"),
        ),
        "AI review of content for exaggerated claims; graded certification of streamers",
        (
            ("5.4", "violating_content_interception_rate", "unspecified"),
            ("5.4", "industry_trust_index", "unspecified"),
        ),
    ),
)
"""Every risk of plan 5.1-5.4, in the plan's order (the parameters score each)."""

_BOUND = {"gt": "over ", "ge": "at least ", "lt": "under ", "le": "at most ", "approx": "about "}
_MONEY_CNY = {"trillion_yuan", "100m_yuan", "10k_yuan", "yuan"}


def describe_value(row: pd.Series) -> str:
    """A claim's value in words, money in million yuan or euros (``"over 200 million yuan"``)."""
    unit, value = row["unit"], float(row["value"])
    if unit in _MONEY_CNY:
        text = f"{convert(value, unit, 'yuan') / 1e6:,.0f} million yuan"
    elif unit == "10k_eur":
        text = f"{value / 100:,.0f} million euros"
    elif unit == "percent":
        text = f"{value:g}%"
    elif unit == "percentage_points":
        text = f"{value:g} points"
    elif unit == "times":
        text = f"{value:g} times"
    elif unit == "times_per_year":
        text = f"{value:g} a year"
    elif unit == "count":
        text = f"{value:,.0f}"
    elif unit in {"index", "ratio"}:
        text = f"{value:g}"
    elif unit == "score":
        text = f"{value:g} out of 100"
    else:
        text = f"{value:g} {unit.replace('_', ' ')}"
    return _BOUND.get(row["bound"], "") + text if isinstance(row["bound"], str) else text


def _describe(claims: pd.DataFrame, specs: tuple[Spec, ...]) -> tuple[str, str]:
    rows = [pick(claims, *spec) for spec in specs]
    text = "; ".join(f"{r['note']}: {describe_value(r)}" for r in rows)
    return text, ", ".join(r["id"] for r in rows)


def rating(score: int) -> str:
    """The band of a likelihood x impact score (1-25): low, medium, high or critical."""
    if not 1 <= score <= 25:
        raise ValueError(f"a risk score is between 1 and 25, got {score}")
    if score >= 20:
        return "critical"
    if score >= 10:
        return "high"
    if score >= 5:
        return "medium"
    return "low"


def register(claims: pd.DataFrame, params) -> pd.DataFrame:
    """The risk register: every risk with evidence, response, targets and scores.

    Parameters
    ----------
    claims
        The claims table.
    params
        A ``RiskParams``: ``likelihood_<risk>`` and ``impact_<risk>`` for each risk.
    """
    records = []
    for risk in RISKS:
        evidence, evidence_ids = _describe(claims, risk.evidence)
        targets, target_ids = _describe(claims, risk.targets)
        likelihood = int(getattr(params, f"likelihood_{risk.key}"))
        impact = int(getattr(params, f"impact_{risk.key}"))
        records.append(
            {
                "key": risk.key,
                "risk": risk.name,
                "category": risk.category,
                "section": risk.section,
                "evidence": evidence,
                "mitigation": risk.mitigation,
                "targets": targets,
                "claim_ids": f"{evidence_ids}; {target_ids}",
                "likelihood": likelihood,
                "impact": impact,
                "score": likelihood * impact,
                "rating": rating(likelihood * impact),
            }
        )
    return pd.DataFrame(records)


def heat_grid(reg: pd.DataFrame) -> pd.DataFrame:
    """How many risks sit in each cell of the 5 x 5 grid (impact rows 5..1, likelihood 1..5)."""
    grid = pd.crosstab(reg["impact"], reg["likelihood"])
    return grid.reindex(index=range(5, 0, -1), columns=range(1, 6), fill_value=0)


# --------------------------------------------------------------------------- availability


def outage_figures(claims: pd.DataFrame) -> dict[str, float | str]:
    """The plan's outage example and its availability and recovery targets (plan 5.3).

    Returns
    -------
    dict
        ``outage_hours``, ``outage_loss`` (million yuan), ``loss_rate`` (million yuan per
        hour), ``recovery_before_h``, ``recovery_after_h``, ``availability_target_pct``,
        and the claim ids used (``claim_ids``, ``loss_ids``, ``recovery_ids``).
    """
    hours = pick(claims, "5.3", "outage_duration", "current")
    loss = pick(claims, "5.3", "outage_loss", "current")
    r0 = pick(claims, "5.3", "failure_recovery_time", "current")
    r1 = pick(claims, "5.3", "failure_recovery_time", "unspecified")
    avail = pick(claims, "5.3", "service_availability", "unspecified")
    outage_h = convert(hours["value"], hours["unit"], "hours")
    loss_m = convert(loss["value"], loss["unit"], "yuan") / 1e6
    return {
        "outage_hours": outage_h,
        "outage_loss": loss_m,
        "loss_rate": AV.loss_rate(loss_m, outage_h),
        "recovery_before_h": convert(r0["value"], r0["unit"], "hours"),
        "recovery_after_h": convert(r1["value"], r1["unit"], "hours"),
        "availability_target_pct": float(avail["value"]),
        "claim_ids": ", ".join(r["id"] for r in (hours, loss, r0, r1, avail)),
        "loss_ids": f"{loss['id']}, {hours['id']}",
        "recovery_ids": f"{r0['id']}, {r1['id']}",
    }


def availability_view(claims: pd.DataFrame, outages_per_year: float) -> dict[str, float]:
    """What the availability and recovery targets mean at ``outages_per_year``.

    Downtime the target allows, outages that fit in it at each recovery time, the
    availability the outages give, and the expected annual outage loss at the plan's
    loss rate, before and after the recovery target.
    """
    f = outage_figures(claims)
    target = f["availability_target_pct"]
    r0, r1 = f["recovery_before_h"], f["recovery_after_h"]
    return {
        **{k: v for k, v in f.items() if not k.endswith("_ids")},
        "outages_per_year": outages_per_year,
        "target_downtime_min": AV.downtime_hours(target) * 60.0,
        "max_outages_before": AV.max_outages(target, r0),
        "max_outages_after": AV.max_outages(target, r1),
        "availability_before_pct": AV.availability_pct(outages_per_year, r0),
        "availability_after_pct": AV.availability_pct(outages_per_year, r1),
        "expected_loss_before": AV.expected_loss(outages_per_year, r0, f["loss_rate"]),
        "expected_loss_after": AV.expected_loss(outages_per_year, r1, f["loss_rate"]),
        "target_loss_at_rate": AV.downtime_hours(target) * f["loss_rate"],
    }


# --------------------------------------------------------------------------- Monte Carlo


def loss_events(claims: pd.DataFrame, params) -> pd.DataFrame:
    """The Monte Carlo's risk events, each anchored on the plan's figures.

    Severity is the plan's incident figure (million yuan); the mitigation effect comes
    from the plan's target or the result it cites for its own response:

    - overstock: the 5.1 write-down; loss shrinks with the forecast error, 25% -> 10%;
    - data breach: the 5.3 average loss; 4.4's 80% lower breach risk prevents events;
    - outage: the 5.3 outage loss for its four hours; recovery 4 h -> 30 min shrinks it;
    - privacy fine: the 5.4 fine; 4.4's 60% fewer violations prevents events;
    - tax fine: the 5.4 fine in euros at ``eur_cny``; 100% overseas compliance;
    - advertising fine: the 5.4 fine; 95% of violating content intercepted.

    Returns
    -------
    pandas.DataFrame
        ``event``, ``risk`` (register key), ``frequency`` (a year), ``severity``
        (million yuan), ``frequency_cut``, ``severity_cut`` (fractions), ``severity_ids``,
        ``mitigation_ids``, ``mitigation`` (in words).
    """

    def money(row: pd.Series) -> float:
        if row["unit"] == "10k_eur":
            return float(row["value"]) * 1e4 * params.eur_cny / 1e6
        return convert(float(row["value"]), row["unit"], "yuan") / 1e6

    stock = pick(claims, "5.1", "inventory_loss", "current")
    acc0 = pick(claims, "5.1", "demand_forecast_accuracy", "current")
    acc1 = pick(claims, "5.1", "demand_forecast_accuracy", "unspecified")
    breach = pick(claims, "5.3", "data_breach_average_loss", "current")
    breach_cut = pick(claims, "4.4", "data_breach_risk_reduction", "current")
    out = outage_figures(claims)
    privacy = pick(claims, "5.4", "facial_recognition_fine", "current")
    violations = pick(claims, "4.4", "violation_rate_reduction", "current")
    tax = pick(claims, "5.4", "tax_filing_fine", "current")
    compliance = pick(claims, "5.4", "overseas_compliance_rate", "unspecified")
    advert = pick(claims, "5.4", "false_advertising_fine", "current")
    intercept = pick(claims, "5.4", "violating_content_interception_rate", "unspecified")
    err0, err1 = 100.0 - acc0["value"], 100.0 - acc1["value"]
    rows = [
        (
            "overstock",
            "inventory",
            params.freq_overstock,
            money(stock),
            0.0,
            1.0 - err1 / err0,
            stock["id"],
            f"{acc0['id']}, {acc1['id']}",
            f"forecast error {err0:g}% -> {err1:g}% shrinks each write-down",
        ),
        (
            "data_breach",
            "data_breach",
            params.freq_data_breach,
            money(breach),
            breach_cut["value"] / 100.0,
            0.0,
            breach["id"],
            breach_cut["id"],
            f"breach risk -{breach_cut['value']:g}% (a platform's result, 4.4)",
        ),
        (
            "outage",
            "system_outage",
            params.freq_outage,
            out["outage_loss"],
            0.0,
            1.0 - out["recovery_after_h"] / out["recovery_before_h"],
            out["loss_ids"],
            out["recovery_ids"],
            f"recovery {out['recovery_before_h']:g} h -> {out['recovery_after_h'] * 60:g} min",
        ),
        (
            "privacy_fine",
            "privacy_regulation",
            params.freq_privacy_fine,
            money(privacy),
            violations["value"] / 100.0,
            0.0,
            privacy["id"],
            violations["id"],
            f"violations -{violations['value']:g}% (a platform's result, 4.4)",
        ),
        (
            "tax_fine",
            "cross_border",
            params.freq_tax_fine,
            money(tax),
            compliance["value"] / 100.0,
            0.0,
            tax["id"],
            compliance["id"],
            f"overseas compliance rate {compliance['value']:g}%",
        ),
        (
            "advertising_fine",
            "false_advertising",
            params.freq_advertising_fine,
            money(advert),
            intercept["value"] / 100.0,
            0.0,
            advert["id"],
            intercept["id"],
            f"{intercept['value']:g}% of violating content intercepted",
        ),
    ]
    columns = [
        "event",
        "risk",
        "frequency",
        "severity",
        "frequency_cut",
        "severity_cut",
        "severity_ids",
        "mitigation_ids",
        "mitigation",
    ]
    return pd.DataFrame(rows, columns=columns)


def to_events(table: pd.DataFrame) -> list[MC.RiskEvent]:
    """The rows of :func:`loss_events` as model inputs."""
    return [
        MC.RiskEvent(r.event, r.frequency, r.severity, r.frequency_cut, r.severity_cut)
        for r in table.itertuples(index=False)
    ]


def simulate(claims: pd.DataFrame, params) -> MC.Simulation:
    """Run the Monte Carlo under ``params`` (draws, seed, sigma, realisation)."""
    return MC.simulate(
        to_events(loss_events(claims, params)),
        draws=params.draws,
        seed=params.seed,
        sigma=params.severity_sigma,
        realisation=params.mitigation_realisation,
    )


def loss_summary(claims: pd.DataFrame, params, sim: MC.Simulation | None = None) -> dict:
    """Simulated and analytic expected loss, the tail quantile and the loss avoided."""
    sim = sim if sim is not None else simulate(claims, params)
    events = to_events(loss_events(claims, params))
    out = sim.summary(params.tail_quantile)
    out["analytic_before"] = MC.expected_loss(events)
    out["analytic_after"] = MC.expected_loss(events, params.mitigation_realisation)
    out["tail_ratio_before"] = out["quantile_before"] / out["expected_before"]
    return out


def realisation_sweep(claims: pd.DataFrame, params, values: Iterable[float]) -> pd.DataFrame:
    """Analytic expected annual loss after mitigation, and the loss avoided, by realisation."""
    events = to_events(loss_events(claims, params))
    before = MC.expected_loss(events)
    rows = []
    for r in values:
        after = MC.expected_loss(events, r)
        rows.append({"realisation": r, "expected_after": after, "avoided": before - after})
    return pd.DataFrame(rows)


def tail_by_sigma(
    claims: pd.DataFrame, params, sigmas: Iterable[float], draws: int
) -> pd.DataFrame:
    """The tail quantile of annual loss (before and after) for several severity shapes.

    The mean does not depend on ``sigma`` (every event's mean loss is its anchor); the
    tail does. Uses ``draws`` simulated years and the chapter's seed for each ``sigma``.
    """
    events = to_events(loss_events(claims, params))
    rows = []
    for sigma in sigmas:
        sim = MC.simulate(
            events,
            draws=draws,
            seed=params.seed,
            sigma=sigma,
            realisation=params.mitigation_realisation,
        )
        s = sim.summary(params.tail_quantile)
        rows.append(
            {
                "severity_sigma": sigma,
                "expected_before": s["expected_before"],
                "quantile_before": s["quantile_before"],
                "quantile_after": s["quantile_after"],
            }
        )
    return pd.DataFrame(rows)


def internal_checks(claims: pd.DataFrame, tolerance_pct: float) -> pd.DataFrame:
    """Recompute what chapter 5's figures imply, against each other and chapter 4.

    - the availability target against one outage at the old and at the new recovery
      time (the downtime of a year must fit in what the target allows);
    - the recovery times of 4.4 (a platform's result) against 5.3 (the plan's target);
    - the fall in return on ad spend against the rise in acquisition cost (5.2);
    - the fresh-produce spoilage target of 4.2 against 5.1.
    """
    f = outage_figures(claims)
    allowed = AV.downtime_hours(f["availability_target_pct"]) * 60.0
    r0 = pick(claims, "5.3", "failure_recovery_time", "current")
    r1 = pick(claims, "5.3", "failure_recovery_time", "unspecified")
    avail = pick(claims, "5.3", "service_availability", "unspecified")
    d0 = pick(claims, "4.4", "failure_recovery_time", "before")
    d1 = pick(claims, "4.4", "failure_recovery_time", "after")
    roas0 = pick(claims, "5.2", "roas", "before")
    roas1 = pick(claims, "5.2", "roas", "current")
    cac = pick(claims, "5.2", "customer_acquisition_cost_growth", "3 years")
    sp42 = pick(claims, "4.2", "fresh_produce_spoilage_rate", "unspecified")
    sp51 = pick(claims, "5.1", "fresh_produce_spoilage_rate", "unspecified")
    spend_rise = (roas0["value"] / roas1["value"] - 1.0) * 100.0
    before_min = f["recovery_before_h"] * 60.0
    after_min = f["recovery_after_h"] * 60.0
    checks = [
        A.compare_at_most(
            f"One outage at the old recovery time fits in {avail['value']:g}% availability",
            [avail["id"], r0["id"]],
            allowed,
            before_min,
            f"(1 - {avail['value']:g}%) x {AV.HOURS_PER_YEAR:,} h = {allowed:.1f} min a year; "
            f"one outage = {before_min:g} min",
            unit="minutes",
        ),
        A.compare_at_most(
            f"One outage at the target recovery time fits in {avail['value']:g}% availability",
            [avail["id"], r1["id"]],
            allowed,
            after_min,
            f"{allowed:.1f} min allowed; one outage = {after_min:g} min",
            unit="minutes",
        ),
        A.compare_level(
            "Recovery time: a platform's result (4.4) against the plan's target (5.3)",
            [r1["id"], d1["id"]],
            convert(r1["value"], r1["unit"], "minutes"),
            convert(d1["value"], d1["unit"], "minutes"),
            "minutes",
            tolerance_pct,
            f"4.4: {d0['value']:g} h -> {d1['value']:g} min achieved; "
            f"5.3: {r0['value']:g} h -> {r1['value']:g} min targeted",
        ),
        A.compare_level(
            "Ad spend per yuan of sales implied by ROAS against acquisition cost growth",
            [cac["id"], roas0["id"], roas1["id"]],
            cac["value"],
            spend_rise,
            "percent",
            tolerance_pct,
            f"{roas0['value']:g} / {roas1['value']:g} - 1 = {spend_rise:.1f}%",
        ),
        A.compare_level(
            "Fresh-produce spoilage target: 4.2 against 5.1",
            [sp51["id"], sp42["id"]],
            sp51["value"],
            sp42["value"],
            "percent",
            tolerance_pct,
            f"4.2 targets {sp42['value']:g}%, 5.1 targets {sp51['value']:g}%",
        ),
    ]
    return A.checks_frame(checks)


def headline(params, claims: pd.DataFrame) -> dict[str, float]:
    """Chapter 5's key numbers under ``params`` (a ``RiskParams``).

    Risks rated high or critical, the downtime the availability target allows, the
    expected annual outage loss before and after the recovery target, and the Monte
    Carlo's expected loss, tail quantile and expected loss avoided (million yuan).
    """
    reg = register(claims, params)
    av = availability_view(claims, params.freq_outage)
    summary = loss_summary(claims, params)
    return {
        "risks_high_or_critical": int(reg["rating"].isin(["high", "critical"]).sum()),
        "target_downtime_min": av["target_downtime_min"],
        "outage_loss_before": av["expected_loss_before"],
        "outage_loss_after": av["expected_loss_after"],
        "mc_expected_before": summary["expected_before"],
        "mc_quantile_before": summary["quantile_before"],
        "mc_avoided": summary["avoided_expected"],
    }


__all__ = [
    "CATEGORIES",
    "MONEY",
    "RISKS",
    "Risk",
    "availability_view",
    "describe_value",
    "heat_grid",
    "headline",
    "internal_checks",
    "loss_events",
    "loss_summary",
    "outage_figures",
    "rating",
    "realisation_sweep",
    "register",
    "simulate",
    "tail_by_sigma",
    "to_events",
]
