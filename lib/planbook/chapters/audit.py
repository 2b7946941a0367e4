"""The audit appendix: the key numbers of the audit of the plan under given parameters."""

from __future__ import annotations

from typing import Any

import pandas as pd

from planbook.data.plan import load_sections
from planbook.methods.audit import counts, run_audit, tolerances_from


def headline(params: Any, claims: pd.DataFrame, sections: pd.DataFrame | None = None) -> dict:
    """Key numbers of the audit under given parameters: counts by verdict and severity."""
    if sections is None:
        sections = load_sections()
    findings = run_audit(claims, sections, tolerances_from(params))
    c = counts(findings)
    return {
        "findings": c["findings"],
        "consistent": c["verdict_consistent"],
        "within_rounding": c["verdict_within_rounding"],
        "inconsistent": c["verdict_inconsistent"],
        "unverifiable": c["verdict_unverifiable"],
        "high_severity": c["severity_high"],
        "medium_severity": c["severity_medium"],
        "low_severity": c["severity_low"],
    }
