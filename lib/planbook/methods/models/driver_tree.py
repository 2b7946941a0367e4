"""A driver tree: how claimed uplifts on single drivers stack into a combined effect.

A multiplicative tree writes an outcome as the product of its drivers, e.g.
``GMV = users x conversion x order value x purchase frequency``; a relative change of
each driver multiplies through. Initiatives claim relative changes of single drivers
(``+22 %`` conversion, ``-60 %`` labour cost). Stacking them *naively* multiplies every
claimed factor as if the initiatives were independent. Stacking with an *overlap
haircut* ``h`` counts, on each driver, the largest change in full and every further
change at ``(1 - h)`` of its size: ``h = 0`` is the naive product, ``h = 1`` keeps only
the best initiative on each driver (the others add nothing). An *evidence weight*
scales changes that rest on a single other firm's case study before stacking.

Changes are in percent of the driver (``22.0`` = +22 %, ``-60.0`` = -60 %).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import pandas as pd

UPLIFT_COLUMNS = ("initiative", "driver", "change_pct", "evidence")
"""Columns of an uplifts table: one row per claimed change of one driver."""


def _check_haircut(haircut: float) -> None:
    if not 0.0 <= haircut <= 1.0:
        raise ValueError(f"overlap haircut must be between 0 and 1, got {haircut}")


def factor(change_pct: float) -> float:
    """The multiplier of a relative change: ``+22`` -> 1.22, ``-60`` -> 0.4."""
    if change_pct < -100.0:
        raise ValueError(f"a driver cannot fall by more than 100%, got {change_pct}%")
    return 1.0 + change_pct / 100.0


def _size(change_pct: float) -> float:
    """How large a change is on the multiplicative scale: ``|log(1 + c)|``."""
    f = factor(change_pct)
    return math.inf if f == 0.0 else abs(math.log(f))


def naive_stack(changes_pct: Iterable[float]) -> float:
    """Combined change (percent) of independent changes: ``prod(1 + c) - 1``.

    >>> round(naive_stack([22.0, 32.0]), 2)
    61.04
    """
    return (math.prod(factor(c) for c in changes_pct) - 1.0) * 100.0


def haircut_stack(changes_pct: Sequence[float], haircut: float) -> float:
    """Combined change (percent) of changes on one driver, with an overlap haircut.

    The change with the largest effect (largest ``|log(1 + c)|``) counts in full; every
    other one is scaled by ``1 - haircut`` before multiplying.

    >>> round(haircut_stack([22.0, 32.0], 0.5), 2)
    46.52
    """
    _check_haircut(haircut)
    ordered = sorted(changes_pct, key=_size, reverse=True)
    scaled = [c if i == 0 else c * (1.0 - haircut) for i, c in enumerate(ordered)]
    return naive_stack(scaled)


def weigh_evidence(uplifts: pd.DataFrame, case_study_weight: float) -> pd.DataFrame:
    """Scale the changes that rest on another firm's case study by ``case_study_weight``.

    Rows whose ``evidence`` is ``"target"`` (the plan's own goal) are left as they are.
    """
    if not 0.0 <= case_study_weight <= 1.0:
        raise ValueError(f"case-study weight must be between 0 and 1, got {case_study_weight}")
    out = uplifts.copy()
    is_case = out["evidence"] == "case_study"
    out.loc[is_case, "change_pct"] = out.loc[is_case, "change_pct"] * case_study_weight
    return out


def driver_changes(
    uplifts: pd.DataFrame,
    drivers: Sequence[str],
    haircut: float,
    case_study_weight: float = 1.0,
) -> pd.DataFrame:
    """Each driver's combined change: naive, with the haircut, and with both adjustments.

    Parameters
    ----------
    uplifts
        One row per claimed change (columns :data:`UPLIFT_COLUMNS`).
    drivers
        Every driver of the tree, in order; drivers without an uplift change by 0 %.
    haircut
        Overlap haircut in [0, 1].
    case_study_weight
        Share of a case-study change that is counted, in [0, 1].

    Returns
    -------
    pandas.DataFrame
        Columns ``driver``, ``n_initiatives``, ``naive_pct``, ``haircut_pct``,
        ``adjusted_pct`` (haircut and evidence weight), indexed 0..n-1 in ``drivers`` order.
    """
    unknown = sorted(set(uplifts["driver"]) - set(drivers))
    if unknown:
        raise ValueError(f"uplifts name drivers not in the tree: {', '.join(unknown)}")
    weighted = weigh_evidence(uplifts, case_study_weight)
    rows = []
    for driver in drivers:
        raw = list(uplifts.loc[uplifts["driver"] == driver, "change_pct"])
        adj = list(weighted.loc[weighted["driver"] == driver, "change_pct"])
        rows.append(
            {
                "driver": driver,
                "n_initiatives": len(raw),
                "naive_pct": naive_stack(raw),
                "haircut_pct": haircut_stack(raw, haircut),
                "adjusted_pct": haircut_stack(adj, haircut),
            }
        )
    return pd.DataFrame(rows)


def tree_change(driver_pct: Iterable[float]) -> float:
    """The outcome's change (percent) when every driver of a product tree changes."""
    return naive_stack(driver_pct)


def waterfall(
    uplifts: pd.DataFrame,
    drivers: Sequence[str],
    haircut: float,
    case_study_weight: float,
    base: float = 100.0,
) -> pd.DataFrame:
    """The steps from the baseline to the naive total and on to the adjusted total.

    Each included initiative adds its naive step in turn (the level so far times its
    change: the steps of a product, so they sum to the naive total); then the overlap
    haircut and the evidence weight each take their step.

    Returns
    -------
    pandas.DataFrame
        Columns ``label``, ``kind`` (``"total"`` or ``"step"``), ``start``, ``end``,
        ``delta``; the first row is the baseline, the last the adjusted total.
    """
    rows = [{"label": "Baseline", "kind": "total", "start": 0.0, "end": base}]
    level = base
    order = uplifts.assign(_d=uplifts["driver"].map({d: i for i, d in enumerate(drivers)}))
    order = order.sort_values(["_d", "change_pct"], ascending=[True, False], kind="stable")
    for row in order.itertuples(index=False):
        new = level * factor(row.change_pct)
        rows.append({"label": row.initiative, "kind": "step", "start": level, "end": new})
        level = new
    table = driver_changes(uplifts, drivers, haircut, case_study_weight)
    naive = base * (1 + tree_change(table["naive_pct"]) / 100)
    cut = base * (1 + tree_change(table["haircut_pct"]) / 100)
    adjusted = base * (1 + tree_change(table["adjusted_pct"]) / 100)
    rows += [
        {"label": "Naive total", "kind": "total", "start": 0.0, "end": naive},
        {"label": "Overlap haircut", "kind": "step", "start": naive, "end": cut},
        {"label": "Evidence weight", "kind": "step", "start": cut, "end": adjusted},
        {"label": "Adjusted total", "kind": "total", "start": 0.0, "end": adjusted},
    ]
    out = pd.DataFrame(rows)
    out["delta"] = out["end"] - out["start"]
    return out


__all__ = [
    "UPLIFT_COLUMNS",
    "driver_changes",
    "factor",
    "haircut_stack",
    "naive_stack",
    "tree_change",
    "waterfall",
    "weigh_evidence",
]
