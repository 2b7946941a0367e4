"""Chapter 2's checks: what its figures imply, against what the plan says elsewhere.

The check of the ``challenges_checks`` spec (:data:`planbook.methods.audit.specs.CHECK_SPECS`);
chapter 2's page shows the same table (:mod:`planbook.chapters.challenges`).
"""

from __future__ import annotations

import pandas as pd

from planbook.data.plan import pick
from planbook.methods import arithmetic as A


def _bound_check(
    check: str, ids: list[str], stated: float, bound: str, value: float, arithmetic: str
) -> A.Check:
    """A value checked against a stated bound ('lt': under, 'gt': over the stated figure)."""
    ok = value < stated if bound == "lt" else value > stated
    return A.Check(
        check=check,
        claim_ids=", ".join(ids),
        stated=stated,
        recomputed=value,
        unit="percent",
        difference=value - stated,
        tolerance=0.0,
        verdict="consistent" if ok else "inconsistent",
        arithmetic=arithmetic,
    )


def challenges_checks(
    claims: pd.DataFrame, rate_tolerance_pp: float, level_tolerance_pct: float
) -> pd.DataFrame:
    """Recompute what chapter 2's figures imply and compare it with what the plan says.

    - the return on ad spend (plan 5.2) puts acquisition spending at ``1 / ROAS`` of the
      revenue it brings, which should be over the 40% of revenue of plan 2.1;
    - the share of users giving consent: under 50% in plan 2.3, 58% for 2023 in plan 1.4;
    - the repurchase rate: under 30% in plan 2.1, exactly 30% as the baseline of plan 3.1;
    - the international leaders' response cycle implied by plan 2.2 against the five-year
      target of plan 3.1, which calls that target the international leading level.
    """
    roas = pick(claims, "5.2", "roas", "current")
    sme = pick(claims, "2.1", "sme_acquisition_cost_share_of_revenue", "current")
    implied = 100.0 / float(roas["value"])
    checks = [
        _bound_check(
            "Acquisition spending share of revenue implied by ROAS (over the 2.1 figure?)",
            [sme["id"], roas["id"]],
            float(sme["value"]),
            "gt",
            implied,
            f"1 / {roas['value']:g} = {implied:.1f}% of revenue",
        )
    ]
    consent = pick(claims, "2.3", "user_consent_rate", "current")
    consent14 = pick(claims, "1.4", "user_consent_rate", "2023")
    checks.append(
        _bound_check(
            "User consent rate: 2.3 'under' figure against 1.4 (2023)",
            [consent["id"], consent14["id"]],
            float(consent["value"]),
            "lt",
            float(consent14["value"]),
            f"1.4 states {consent14['value']:g}% for 2023; 2.3 says under {consent['value']:g}%",
        )
    )
    rep21 = pick(claims, "2.1", "repurchase_rate", "current")
    rep31 = pick(claims, "3.1", "repurchase_rate", "current")
    checks.append(
        A.compare_rate(
            "Repurchase rate: 2.1 'under' figure against the 3.1 baseline",
            [rep21["id"], rep31["id"]],
            float(rep21["value"]),
            float(rep31["value"]),
            rate_tolerance_pp,
            f"2.1 says under {rep21['value']:g}%; 3.1 starts from {rep31['value']:g}%",
        )
    )
    cycle = pick(claims, "2.2", "supply_chain_response_cycle", "current")
    lag = pick(claims, "2.2", "supply_chain_response_cycle_gap_to_leaders", "current")
    target = pick(claims, "3.1", "supply_chain_response_cycle", "5 years")
    leaders = float(cycle["value"]) - float(lag["value"])
    checks.append(
        A.compare_level(
            "International leaders' response cycle (2.2) against the 3.1 target",
            [target["id"], cycle["id"], lag["id"]],
            float(target["value"]),
            leaders,
            "days",
            level_tolerance_pct,
            f"{cycle['value']:g} - {lag['value']:g} = {leaders:g} days",
        )
    )
    return A.checks_frame(checks)


__all__ = ["challenges_checks"]
