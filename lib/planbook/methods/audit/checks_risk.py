"""Chapter 5's checks: its figures against each other and chapter 4.

The check of the ``risk_checks`` spec (:data:`planbook.methods.audit.specs.CHECK_SPECS`)
and the plan's outage example it reads (:func:`outage_figures`, which chapter 5 turns into
hours and money with :mod:`planbook.methods.models.availability`); chapter 5's page shows
the same table (:mod:`planbook.chapters.risk`).
"""

from __future__ import annotations

import pandas as pd

from planbook.data.plan import convert, pick
from planbook.methods import arithmetic as A
from planbook.methods.models import availability as AV

CHECKS = {
    "recovery": "Recovery time: a platform's result (4.4) against the plan's target (5.3)",
    "roas": "Ad spend per yuan of sales implied by ROAS against acquisition cost growth",
    "spoilage": "Fresh-produce spoilage target: 4.2 against 5.1",
}
"""Checks of :func:`risk_checks` the page quotes, by key."""


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


def risk_checks(claims: pd.DataFrame, tolerance_pct: float) -> pd.DataFrame:
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
            CHECKS["recovery"],
            [r1["id"], d1["id"]],
            convert(r1["value"], r1["unit"], "minutes"),
            convert(d1["value"], d1["unit"], "minutes"),
            "minutes",
            tolerance_pct,
            f"4.4: {d0['value']:g} h -> {d1['value']:g} min achieved; "
            f"5.3: {r0['value']:g} h -> {r1['value']:g} min targeted",
        ),
        A.compare_level(
            CHECKS["roas"],
            [cac["id"], roas0["id"], roas1["id"]],
            cac["value"],
            spend_rise,
            "percent",
            tolerance_pct,
            f"{roas0['value']:g} / {roas1['value']:g} - 1 = {spend_rise:.1f}%",
        ),
        A.compare_level(
            CHECKS["spoilage"],
            [sp51["id"], sp42["id"]],
            sp51["value"],
            sp42["value"],
            "percent",
            tolerance_pct,
            f"4.2 targets {sp42['value']:g}%, 5.1 targets {sp51['value']:g}%",
        ),
    ]
    return A.checks_frame(checks)


__all__ = ["CHECKS", "outage_figures", "risk_checks"]
