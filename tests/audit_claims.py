"""Hand-made claims tables with scope, path and passage, for the audit's rule tests."""

from __future__ import annotations

import pandas as pd

from planbook.data.plan import ClaimRow
from planbook.methods import audit as AU

COLUMNS = list(ClaimRow.model_fields)
"""The claims table's columns, in order (its row schema)."""


def claims(*rows: dict) -> pd.DataFrame:
    """A claims table from dicts with at least section, metric, period, kind, value, unit.

    Defaults: entity ``plan`` with scope ``firm``; no bound, path or passage.
    """
    records, counters = [], {}
    for row in rows:
        section = row["section"]
        counters[section] = counters.get(section, 0) + 1
        entity = row.get("entity", "plan")
        default_scope = {"plan": "firm", "industry": "industry"}.get(entity, "company")
        records.append(
            {
                "id": f"C{section}-{counters[section]:02d}",
                "chapter": int(section.split(".")[0]),
                "section": section,
                "metric": row["metric"],
                "entity": entity,
                "period": row["period"],
                "kind": row["kind"],
                "value": float(row["value"]),
                "unit": row["unit"],
                "bound": row.get("bound"),
                "scope": row.get("scope", default_scope),
                "scope_of": row.get("scope_of"),
                "path": row.get("path"),
                "stage": row.get("stage"),
                "passage": row.get("passage"),
                "locator": "xx",
                "note": "test",
            }
        )
    return pd.DataFrame(records, columns=COLUMNS)


def sections_for(table: pd.DataFrame) -> pd.DataFrame:
    """A sections table covering the claims' sections, all full."""
    names = sorted(set(table["section"]), key=lambda s: tuple(int(x) for x in s.split(".")))
    return pd.DataFrame(
        {
            "chapter": [int(s.split(".")[0]) for s in names],
            "section": names,
            "title_en": [f"Section {s}" for s in names],
            "title_zh": "x",
            "state": "full",
            "note": None,
        }
    )


def audit(table: pd.DataFrame, rule: str | None = None, **tol: float) -> pd.DataFrame:
    """The findings of one rule (or all) on a hand-made table."""
    return AU.run_audit(table, sections_for(table), AU.Tolerances(**tol), rules=rule)


def only(frame: pd.DataFrame) -> pd.Series:
    assert len(frame) == 1, frame[["rule", "sections", "verdict", "detail"]].to_string()
    return frame.iloc[0]
