"""Small views of the methods appendix: the series inventory, growth, gaps, schema, rules."""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from planbook.data import official
from planbook.data.plan import ClaimRow
from planbook.methods import audit
from planbook.methods.forecast import basis_words

EXAMPLE_SERIES = "online_retail_sales"
"""The series the page works through (the longest, and the one the plan leans on most)."""

GAP_YEAR = 2024
"""The year whose gap between published levels and the official rate the page quotes."""


def series_inventory(series: Mapping[str, pd.Series]) -> pd.DataFrame:
    """One row per official series: label, basis, years, size, unit, why and detail."""
    return pd.DataFrame(
        [
            {
                "series": s.attrs["label"],
                "basis": s.attrs["basis"].replace("_", " "),
                "years": f"{s.index.min()}-{s.index.max()}",
                "n_obs": len(s),
                "unit": s.attrs["unit"],
                "why": s.attrs["why"],
                "detail": s.attrs["detail"],
            }
            for s in series.values()
        ]
    )


def slowed(series: pd.Series) -> bool:
    """Whether a series grew more slowly (mean log growth) in its second half than its first."""
    growth = np.diff(np.log(series.to_numpy()))
    return bool(growth[len(series) // 2 :].mean() < growth[: (len(series) - 1) // 2].mean())


def growth_words(series: pd.Series) -> str:
    """What the annual growth of an official series is, by its basis: the official growth
    rates themselves for a chain-linked index, else the growth of the published figures."""
    if series.attrs.get("basis") == "chain_linked":
        return "official growth rates"
    return f"growth of {basis_words(series)}"


def growth_by_series(series: Mapping[str, pd.Series]) -> dict[str, pd.Series]:
    """Annual growth in percent of each series, by its label with its basis and size."""
    return {
        f"{s.attrs['label']}: {growth_words(s)} (n = {len(s)})": s.pct_change().dropna() * 100
        for s in series.values()
    }


def final_gaps(name: str = EXAMPLE_SERIES) -> pd.DataFrame:
    """Levels against official growth (:func:`planbook.data.official.level_vs_growth_gaps`),
    only the years whose two levels are both final statistics (no estimate or bound)."""
    gaps = official.level_vs_growth_gaps(name)
    final = gaps["level_flags"].str.startswith("final")
    return gaps[final & gaps["previous_flags"].str.startswith("final")]


def _type_name(annotation: Any) -> str:
    """``str`` for a plain type, ``float | None`` or ``Literal[...]`` for the others; the
    validators of an ``Annotated`` type are left out (they are not types)."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin in (typing.Union, types.UnionType):
        return " | ".join(_type_name(a) for a in args)
    if origin is typing.Literal:
        return f"Literal[{', '.join(repr(a) for a in args)}]"
    if annotation is type(None):
        return "None"
    if isinstance(annotation, type):
        return annotation.__name__
    return str(annotation).replace("typing.", "")


def claims_schema() -> pd.DataFrame:
    """The claims table's columns: name, type and whether it is required."""
    fields = ClaimRow.model_fields
    return pd.DataFrame(
        {
            "column": list(fields),
            "type": [_type_name(f.annotation) for f in fields.values()],
            "required": [f.is_required() for f in fields.values()],
        }
    )


def rules_listing() -> pd.DataFrame:
    """Every rule of the one findings table (the audit's, then the chapters' own checks):
    name and what each checks."""
    specs = (*audit.RULES, *audit.CHECK_SPECS)
    return pd.DataFrame([{"rule": r.name, "what it checks": r.description} for r in specs])


__all__ = [
    "EXAMPLE_SERIES",
    "GAP_YEAR",
    "claims_schema",
    "final_gaps",
    "growth_by_series",
    "growth_words",
    "rules_listing",
    "series_inventory",
    "slowed",
]
