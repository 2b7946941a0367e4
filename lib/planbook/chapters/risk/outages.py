"""Chapter 5's availability and recovery targets in hours and money
(:mod:`planbook.methods.models.availability`); the checks of chapter 5's figures against
each other and chapter 4 are the audit's spec :mod:`planbook.methods.audit.checks_risk`
(re-exported here)."""

from __future__ import annotations

import pandas as pd

from planbook.methods.audit.checks_risk import CHECKS, outage_figures
from planbook.methods.audit.checks_risk import risk_checks as internal_checks
from planbook.methods.models import availability as AV


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


__all__ = ["CHECKS", "availability_view", "internal_checks", "outage_figures"]
