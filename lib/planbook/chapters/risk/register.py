"""Chapter 5's risk register: every risk the plan names, with its evidence and targets,
read from ``data/plan/risks.csv`` and scored with the chapter's likelihood and impact
parameters (generated from the same register)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from planbook.data.plan import convert, pick
from planbook.data.risks import CATEGORIES, Spec, load_risks, specs_of


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


def risks(data_dir: Path | None = None) -> tuple[Risk, ...]:
    """Every risk of plan 5.1-5.4 in the plan's order, from the register
    (:func:`planbook.data.risks.load_risks`); the parameters score each."""
    table = load_risks(data_dir)
    return tuple(
        Risk(
            r.key,
            r.category,
            r.section,
            r.name,
            specs_of(r.evidence),
            r.mitigation,
            specs_of(r.targets),
        )
        for r in table.itertuples(index=False)
    )


def __getattr__(name: str) -> object:
    """``RISKS``: :func:`risks` of the book's register, read when first used."""
    if name == "RISKS":
        return risks()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    for risk in risks():
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


__all__ = [
    "CATEGORIES",
    "Risk",
    "Spec",
    "describe_value",
    "heat_grid",
    "rating",
    "register",
    "risks",
]
