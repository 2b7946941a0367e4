"""Chapter 5's page: every number and table it shows, by name, and its key numbers."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from planbook.chapters.risk.losses import (
    loss_events,
    loss_summary,
    realisation_sweep,
    simulate,
    tail_by_sigma,
)
from planbook.chapters.risk.outages import CHECKS, availability_view, internal_checks
from planbook.chapters.risk.register import register, risks
from planbook.data.periods import DAYS_PER_YEAR
from planbook.data.plan import pick, select
from planbook.engine.params import RiskParams, check_settings
from planbook.methods import audit
from planbook.methods.models import availability as AV
from planbook.methods.models import risk_mc as MC

REGISTER_COLUMNS = [
    *("risk", "category", "section", "evidence", "mitigation", "targets"),
    *("likelihood", "impact", "score", "rating", "claim_ids"),
]
"""The columns of the register on the page, in order."""

REALISATIONS = (0.0, 0.25, 0.5, 0.75, 1.0)
"""Shares of the responses' claimed effect in the first what-if."""

SIGMAS = (0.5, 1.0, 1.5, 2.0)
"""Lognormal shapes of each event's loss in the second what-if."""

FREQUENCIES = (
    *("freq_overstock", "freq_data_breach", "freq_outage"),
    *("freq_privacy_fine", "freq_tax_fine", "freq_advertising_fine"),
)
"""The event frequencies (parameters) the assumptions quote."""


@dataclass(frozen=True)
class RiskResult:
    """What chapter 5's page shows, named as its text names it (money in million yuan).

    The register (``n_risks``, ``n_risks_high``, ``top_*``) and its evidence (``n_evidence``,
    ``n_growth``, ``n_evidence_single``, ``n_level``); availability and recovery (``avail``,
    ``r0_h``, ``r1_min``, ``downtime_min``, ``outage_*``, ``max_*``, ``el_*``, ``av_*``);
    the checks (``*_verdict``, ``roas*``, ``spoil_*``); the simulation (``eb``/``ea``
    expected, ``ab``/``aa`` by formula, ``qb``/``qa`` the bad year, ``avoided*``, the
    events that matter) and its what-ifs (``avoided_half``, ``avoided_full``); the
    assumptions (``p_*`` parameters, ``acc0``/``acc1``). Tables: ``register``,
    ``downtime`` (by availability level), ``checks``, ``events``, ``exceedance_before``
    and ``exceedance_after`` (loss, probability of exceeding it), ``by_event``,
    ``sweep`` (by share realised), ``by_sigma``.
    """

    register: pd.DataFrame
    downtime: pd.DataFrame
    checks: pd.DataFrame
    events: pd.DataFrame
    exceedance_before: pd.DataFrame
    exceedance_after: pd.DataFrame
    by_event: pd.DataFrame
    sweep: pd.DataFrame
    by_sigma: pd.DataFrame
    n_risks: int
    ch5_claims: int
    n_risks_high: int
    top_score: int
    top_risk: str
    n_evidence: int
    breach_growth: float
    n_growth: int
    n_evidence_single: int
    n_level: int
    avail: float
    r0_h: float
    r1_min: float
    downtime_min: float
    outage_h: float
    outage_loss: float
    loss_rate: float
    old_vs_budget: float
    max_before: float
    years_per_outage_before: float
    max_after: float
    target_loss: float
    freq_outage: float
    el_before: float
    el_after: float
    av_before: float
    av_after: float
    tol: float
    ch5_checks: int
    ch5_checks_hold: int
    rec_verdict: str
    roas0: float
    roas1: float
    spend_rise: float
    cac_rise: float
    roas_verdict: str
    spoil_42: float
    spoil_51: float
    spoil_verdict: str
    loss_draws: int
    sigma_draws: int
    loss_seed: int
    sigma: float
    realisation: float
    q_pct: float
    q_frac: float
    eb: float
    ea: float
    ab: float
    aa: float
    se: float
    qb: float
    qa: float
    avoided: float
    avoided_share: float
    p_no_loss: float
    tail_ratio: float
    top_event: str
    second_event: str
    top_two_share: float
    tail_event: str
    tail_event_share: float
    top_avoided: str
    compliance_target: float
    avoided_half: float
    avoided_full: float
    p_freq_overstock: float
    p_freq_data_breach: float
    p_freq_outage: float
    p_freq_privacy_fine: float
    p_freq_tax_fine: float
    p_freq_advertising_fine: float
    p_eur_cny: float
    acc0: float
    acc1: float
    hours_per_year: int
    year_days: int


def _value(claims: pd.DataFrame, section: str, metric: str, period: str) -> float:
    return pick(claims, section, metric, period)["value"]


def _register_fields(params: RiskParams, claims: pd.DataFrame) -> dict:
    """The scored register and the kinds of evidence the plan gives for it."""
    reg = register(claims, params)
    top = reg.loc[reg["score"].idxmax()]
    evidence = pd.DataFrame([pick(claims, *spec) for r in risks() for spec in r.evidence])
    growth = evidence["metric"].str.contains("growth|increase|decline")
    single = evidence["kind"] == "case_study"
    return {
        "register": reg,
        "n_risks": len(reg),
        "ch5_claims": len(select(claims, chapter=5)),
        "n_risks_high": int(reg["rating"].isin(["high", "critical"]).sum()),
        "top_score": int(top["score"]),
        "top_risk": top["risk"].lower(),
        "n_evidence": len(evidence),
        "breach_growth": _value(claims, "5.3", "data_breach_incidents_growth", "2023"),
        "n_growth": int(growth.sum()),
        "n_evidence_single": int((single & ~growth).sum()),
        "n_level": int((~single & ~growth).sum()),
    }


def _outage_fields(params: RiskParams, claims: pd.DataFrame) -> dict:
    """Availability, recovery and the outage loss; the checks of chapter 5's figures."""
    av = availability_view(claims, params.freq_outage)
    downtime = AV.downtime_table(AV.NINES, av["loss_rate"])
    checks = audit.checks_as_read(
        "risk_checks", internal_checks(claims, params.level_tolerance_pct)
    )
    settings = check_settings(params)  # of the chapters' checks, at this page's params
    one = audit.page_counts(claims, params, "risk_checks", settings=settings)  # one table's slice
    c = checks.set_index("check")
    rec, roas, spoil = (c.loc[CHECKS[k]] for k in ("recovery", "roas", "spoilage"))
    return {
        "downtime": downtime.rename(columns={"loss_at_rate": "loss_at_plan_rate_million_yuan"}),
        "checks": checks,
        "avail": av["availability_target_pct"],
        "r0_h": av["recovery_before_h"],
        "r1_min": av["recovery_after_h"] * 60,
        "downtime_min": av["target_downtime_min"],
        "outage_h": av["outage_hours"],
        "outage_loss": av["outage_loss"],
        "loss_rate": av["loss_rate"],
        "old_vs_budget": av["recovery_before_h"] * 60 / av["target_downtime_min"],
        "max_before": av["max_outages_before"],
        "years_per_outage_before": 1 / av["max_outages_before"],
        "max_after": av["max_outages_after"],
        "target_loss": av["target_loss_at_rate"],
        "freq_outage": params.freq_outage,
        "el_before": av["expected_loss_before"],
        "el_after": av["expected_loss_after"],
        "av_before": av["availability_before_pct"],
        "av_after": av["availability_after_pct"],
        "tol": params.level_tolerance_pct,
        "ch5_checks": int(one["findings"]),
        "ch5_checks_hold": int(one["holds"]),
        "rec_verdict": rec["verdict"],
        "roas0": _value(claims, "5.2", "roas", "before"),
        "roas1": _value(claims, "5.2", "roas", "current"),
        "spend_rise": roas["recomputed"],
        "cac_rise": roas["stated"],
        "roas_verdict": roas["verdict"],
        "spoil_42": spoil["recomputed"],
        "spoil_51": spoil["stated"],
        "spoil_verdict": spoil["verdict"],
    }


def _loss_fields(params: RiskParams, claims: pd.DataFrame) -> dict:
    """The simulated year's losses, the events that drive them, and the what-ifs."""
    sim = simulate(claims, params)
    s = loss_summary(claims, params, sim)
    by_event = sim.by_risk()
    expected = by_event.set_index("risk")["expected_before"]
    top_two = expected.nlargest(2)
    tail = sim.tail_drivers(params.tail_quantile).set_index("risk")["share_of_tail_years"]
    sweep = realisation_sweep(claims, params, REALISATIONS).set_index("realisation")
    sigma_draws = max(params.draws // 4, 10_000)
    return {
        "events": loss_events(claims, params),
        "exceedance_before": MC.exceedance(sim.total_before),
        "exceedance_after": MC.exceedance(sim.total_after),
        "by_event": by_event,
        "sweep": sweep.reset_index(),
        "by_sigma": tail_by_sigma(claims, params, SIGMAS, sigma_draws),
        "loss_draws": params.draws,
        "sigma_draws": sigma_draws,
        "loss_seed": params.seed,
        "sigma": params.severity_sigma,
        "realisation": params.mitigation_realisation,
        "q_pct": params.tail_quantile * 100,
        "q_frac": params.tail_quantile,
        "eb": s["expected_before"],
        "ea": s["expected_after"],
        "ab": s["analytic_before"],
        "aa": s["analytic_after"],
        "se": s["standard_error_before"],
        "qb": s["quantile_before"],
        "qa": s["quantile_after"],
        "avoided": s["analytic_avoided"],
        "avoided_share": s["analytic_avoided_share_pct"],
        "p_no_loss": s["p_no_loss_before"] * 100,
        "tail_ratio": s["tail_ratio_before"],
        "top_event": top_two.index[0].replace("_", " "),
        "second_event": top_two.index[1].replace("_", " "),
        "top_two_share": top_two.sum() / expected.sum() * 100,
        "tail_event": tail.idxmax().replace("_", " "),
        "tail_event_share": tail.max() * 100,
        "top_avoided": by_event.set_index("risk")["avoided"].idxmax().replace("_", " "),
        "compliance_target": _value(claims, "5.4", "overseas_compliance_rate", "unspecified"),
        "avoided_half": float(sweep.loc[0.5, "avoided"]),
        "avoided_full": float(sweep.loc[1.0, "avoided"]),
    }


def compute(params: RiskParams, claims: pd.DataFrame) -> RiskResult:
    """Chapter 5's page under ``params``: every number and table it shows.

    Parameters
    ----------
    params
        The chapter's parameters.
    claims
        The claims table (:func:`planbook.data.plan.load_claims`).
    """
    return RiskResult(
        **_register_fields(params, claims),
        **_outage_fields(params, claims),
        **_loss_fields(params, claims),
        **{f"p_{name}": getattr(params, name) for name in (*FREQUENCIES, "eur_cny")},
        acc0=_value(claims, "5.1", "demand_forecast_accuracy", "current"),
        acc1=_value(claims, "5.1", "demand_forecast_accuracy", "unspecified"),
        hours_per_year=AV.HOURS_PER_YEAR,
        year_days=DAYS_PER_YEAR,
    )


def headline(params: RiskParams, claims: pd.DataFrame) -> dict[str, float]:
    """Chapter 5's key numbers under ``params``.

    Risks rated high or critical, the downtime the availability target allows, the
    expected annual outage loss before and after the recovery target, and the Monte
    Carlo's expected loss and tail quantile, and the expected loss avoided (by formula, as
    the page gives it; million yuan).
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
        "loss_avoided": summary["analytic_avoided"],
    }


__all__ = [
    "FREQUENCIES",
    "REALISATIONS",
    "REGISTER_COLUMNS",
    "SIGMAS",
    "RiskResult",
    "compute",
    "headline",
]
