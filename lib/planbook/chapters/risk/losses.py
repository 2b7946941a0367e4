"""Chapter 5's loss model: a year's losses from the incidents the plan reports, simulated
with and without the responses it proposes (:mod:`planbook.methods.models.risk_mc`).

Money in this module is in million yuan.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from planbook.chapters.risk.outages import outage_figures
from planbook.data.plan import convert, pick
from planbook.methods.models import risk_mc as MC

MONEY = "million yuan"
"""The money unit of this chapter's models."""


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

    stock = pick(claims, "5.1", "inventory_backlog", "current")
    acc0 = pick(claims, "5.1", "demand_forecast_accuracy", "current")
    acc1 = pick(claims, "5.1", "demand_forecast_accuracy", "unspecified")
    breach = pick(claims, "5.3", "data_breach_average_loss", "current")
    breach_cut = pick(claims, "4.4", "data_breach_risk_reduction", "current")
    out = outage_figures(claims)
    privacy = pick(claims, "5.4", "platform_fine", "current")
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
    out["analytic_avoided"] = loss_avoided(events, params.mitigation_realisation)
    out["analytic_avoided_share_pct"] = 100 * out["analytic_avoided"] / out["analytic_before"]
    out["tail_ratio_before"] = out["quantile_before"] / out["expected_before"]
    return out


def loss_avoided(events: list[MC.RiskEvent], realisation: float) -> float:
    """The expected annual loss the responses avoid at ``realisation`` of their effect, by
    formula: expected loss without them less expected loss with them. The page's one
    figure for the loss avoided (the simulation's estimate differs by its sampling error)."""
    return MC.expected_loss(events) - MC.expected_loss(events, realisation)


def realisation_sweep(claims: pd.DataFrame, params, values: Iterable[float]) -> pd.DataFrame:
    """Analytic expected annual loss after mitigation, and the loss avoided, by realisation."""
    events = to_events(loss_events(claims, params))
    rows = [
        {
            "realisation": r,
            "expected_after": MC.expected_loss(events, r),
            "avoided": loss_avoided(events, r),
        }
        for r in values
    ]
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


__all__ = [
    "MONEY",
    "loss_avoided",
    "loss_events",
    "loss_summary",
    "realisation_sweep",
    "simulate",
    "tail_by_sigma",
    "to_events",
]
