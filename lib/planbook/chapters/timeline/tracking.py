"""Tracking the plan month by month: KPI glide paths and the false alarms of its alert rule.

A KPI that plan 7.3 checks monthly or weekly is set against the path from its baseline to
the dated target the plan gives it elsewhere; the alert rule of 7.3 is run on noise alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from planbook.chapters.timeline.plans import period_window
from planbook.data.plan import convert, pick, select
from planbook.methods.models import alert_sim, glide_path


def _one(claims: pd.DataFrame, section: str, metric: str, period: str, kind: str) -> pd.Series:
    """The single claim of a section with this metric, period and kind (baselines: actual)."""
    found = select(claims, section=section, metric=metric, period=period, kind=kind)
    if kind == "target":
        found = found[found["entity"] == "plan"]
    if len(found) != 1:
        raise KeyError(
            f"expected one {kind} claim {metric!r} for {period} in section {section}, "
            f"found {len(found)}"
        )
    return found.iloc[0]


@dataclass(frozen=True)
class KpiSpec:
    """A KPI the plan tracks (monthly or weekly) with a baseline and dated targets elsewhere.

    Each pair is ``(section, period)`` of a claim with the KPI's metric.
    """

    label: str
    metric: str
    baseline: tuple[str, str]
    targets: tuple[tuple[str, str], ...]
    kpi: tuple[str, str]


KPI_SPECS: tuple[KpiSpec, ...] = (
    KpiSpec(
        "Repurchase rate",
        "repurchase_rate",
        baseline=("3.1", "current"),
        targets=(("3.1", "12 months"),),
        kpi=("7.3", "monthly"),
    ),
    KpiSpec(
        "Customer acquisition cost",
        "customer_acquisition_cost",
        baseline=("8.1", "current"),
        targets=(("3.1", "12 months"),),
        kpi=("7.3", "monthly"),
    ),
    KpiSpec(
        "Inventory turnover days",
        "inventory_turnover_days",
        baseline=("7.1", "current"),
        targets=(("7.1", "year 1"), ("3.2", "years 1-2")),
        kpi=("7.3", "weekly"),
    ),
    KpiSpec(
        "Fresh produce spoilage rate",
        "fresh_produce_spoilage_rate",
        baseline=("7.2", "current"),
        targets=(("7.2", "months 1-6"),),
        kpi=("7.3", "weekly"),
    ),
)
"""The KPIs of plan 7.3 that have a baseline, a target and a deadline somewhere in the plan."""


def glide_table(claims: pd.DataFrame, shape: str, tolerance_pct: float) -> pd.DataFrame:
    """One row per KPI and dated target: the path's step and how the plan's KPI sits on it.

    Returns
    -------
    pandas.DataFrame
        ``kpi``, ``unit``, ``baseline``, ``target``, ``target_section``, ``deadline_month``,
        ``step`` (per month: in the unit when linear, percent when geometric), ``kpi_value``,
        ``kpi_period``, ``months`` (months to the deadline), ``months_disagree``,
        ``months_stricter``, ``months_looser``, ``claim_ids``.
    """
    rows = []
    for spec in KPI_SPECS:
        base = _one(claims, spec.baseline[0], spec.metric, spec.baseline[1], "actual")
        kpi = _one(claims, spec.kpi[0], spec.metric, spec.kpi[1], "target")
        for section, period in spec.targets:
            tgt = _one(claims, section, spec.metric, period, "target")
            window = period_window(period)
            if window is None or window[1] is None:
                raise ValueError(f"target {tgt['id']} has no deadline (period {period!r})")
            deadline = int(window[1])
            path = glide_path.path(float(base["value"]), float(tgt["value"]), deadline, shape)
            lower = float(tgt["value"]) < float(base["value"])
            cmp = glide_path.compare_kpi(path, float(kpi["value"]), lower, tolerance_pct)
            rows.append(
                {
                    "kpi": spec.label,
                    "unit": base["unit"],
                    "baseline": float(base["value"]),
                    "target": float(tgt["value"]),
                    "target_section": section,
                    "target_period": period,
                    "deadline_month": deadline,
                    "step": glide_path.step(
                        float(base["value"]), float(tgt["value"]), deadline, shape
                    ),
                    "kpi_value": float(kpi["value"]),
                    "kpi_period": kpi["period"],
                    "months": deadline,
                    "months_disagree": int((~cmp["agrees"]).sum()),
                    "months_stricter": int((cmp["stance"] == "stricter").sum()),
                    "months_looser": int((cmp["stance"] == "looser").sum()),
                    "claim_ids": f"{base['id']}, {tgt['id']}, {kpi['id']}",
                }
            )
    return pd.DataFrame(rows)


def glide_frame(
    claims: pd.DataFrame, shape: str, tolerance_pct: float, horizon: int | None = None
) -> pd.DataFrame:
    """Every KPI's monthly path(s) and the KPI level, long format, for charts.

    Returns
    -------
    pandas.DataFrame
        ``kpi``, ``target_section``, ``month``, ``path``, ``kpi_value``, ``stance``
        (``"baseline"`` at month 0, ``"after deadline"`` past it).
    """
    frames = []
    for spec in KPI_SPECS:
        base = _one(claims, spec.baseline[0], spec.metric, spec.baseline[1], "actual")
        kpi = float(_one(claims, spec.kpi[0], spec.metric, spec.kpi[1], "target")["value"])
        deadlines = {s: int(period_window(p)[1]) for s, p in spec.targets}  # type: ignore[index]
        last = horizon if horizon is not None else max(deadlines.values())
        for section, period in spec.targets:
            tgt = float(_one(claims, section, spec.metric, period, "target")["value"])
            deadline = deadlines[section]
            path = glide_path.path(float(base["value"]), tgt, deadline, shape, last)
            lower = tgt < float(base["value"])
            cmp = glide_path.compare_kpi(path, kpi, lower, tolerance_pct)
            stance = pd.Series("after deadline", index=path.index)
            stance.loc[0] = "baseline"
            inside = cmp.index[cmp.index <= deadline]
            stance.loc[inside] = cmp.loc[inside, "stance"]
            frames.append(
                pd.DataFrame(
                    {
                        "kpi": spec.label,
                        "target_section": section,
                        "month": path.index,
                        "path": path.to_numpy(),
                        "kpi_value": kpi,
                        "stance": stance.to_numpy(),
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


# --------------------------------------------------------------------------- alert rule


def alert_threshold(claims: pd.DataFrame, override_pct: float | None = None) -> float:
    """The alert threshold as a fraction: the plan's (7.3) unless ``override_pct`` is given."""
    if override_pct is not None:
        return override_pct / 100.0
    row = pick(claims, "7.3", "conversion_rate_alert_threshold", "monthly")
    return convert(float(row["value"]), row["unit"], "percent") / 100.0


def alert_summary(params, claims: pd.DataFrame) -> dict[str, float]:  # noqa: ANN001
    """The alert rule's false alarms under the chapter's parameters (simulated and exact)."""
    threshold = alert_threshold(claims, params.alert_threshold_pct)
    sim = alert_sim.simulate(
        params.noise_pct / 100.0,
        threshold,
        params.sim_months,
        params.sim_draws,
        params.seed,
        params.noise_model,
    )
    return {"threshold_pct": threshold * 100.0, **sim}


__all__ = [
    "KPI_SPECS",
    "KpiSpec",
    "alert_summary",
    "alert_threshold",
    "glide_frame",
    "glide_table",
]
