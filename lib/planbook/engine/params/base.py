"""The building blocks of the parameter schemas: a parameter, a schema, shared groups.

A parameter is a pydantic field with a unit (:func:`Param`); a chapter's schema is a
:class:`ChapterParams`. A parameter several chapters take is declared once here, in a
one-field mixin, and the chapters take it by inheriting the mixin or a group of them
(:class:`Tolerances`, :class:`ForecastSettings`, :class:`SimulationSettings`). Where a
chapter's copy differs (a description that says what the value means there, a range),
the chapter restates only the difference with :func:`like`, so it is visible.

Field order: pydantic puts inherited fields first, from the last base to the first, then
the class's own fields.
"""

from __future__ import annotations

from typing import Any, Literal

import annotated_types
from pydantic import BaseModel, ConfigDict, Field


def Param(default: Any, *, unit: str, description: str, **constraints: Any) -> Any:  # noqa: N802
    """Declare a chapter parameter: a pydantic field that also carries its unit."""
    return Field(default, description=description, json_schema_extra={"unit": unit}, **constraints)


class ChapterParams(BaseModel):
    """Base class of the parameter schemas: unknown names, infinities and NaN are refused."""

    model_config = ConfigDict(
        extra="forbid", validate_default=True, frozen=True, allow_inf_nan=False
    )


_BOUNDS = {
    annotated_types.Ge: "ge",
    annotated_types.Gt: "gt",
    annotated_types.Le: "le",
    annotated_types.Lt: "lt",
}


def like(group: type[ChapterParams], name: str, **changes: Any) -> Any:
    """A shared parameter as one chapter declares it: the group's field with ``changes``.

    Parameters
    ----------
    group
        The mixin or group that declares the parameter.
    name
        The parameter.
    changes
        ``default``, ``unit``, ``description`` or a bound (``ge``, ``gt``, ``le``, ``lt``)
        that differs in this chapter; a bound given as None is removed.
    """
    info = group.model_fields[name]
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    spec: dict[str, Any] = {
        "default": info.default,
        "unit": extra.get("unit", ""),
        "description": info.description or "",
    }
    for m in info.metadata:
        key = _BOUNDS.get(type(m))
        if key is None:
            raise TypeError(f"{group.__name__}.{name}: cannot restate the constraint {m!r}")
        spec[key] = getattr(m, key)
    unknown = set(changes) - {"default", "unit", "description", *_BOUNDS.values()}
    if unknown:
        raise TypeError(f"like(): cannot change {sorted(unknown)}")
    spec.update(changes)
    spec = {k: v for k, v in spec.items() if v is not None or k == "default"}
    return Param(
        spec.pop("default"), unit=spec.pop("unit"), description=spec.pop("description"), **spec
    )


ForecastMethod = Literal[
    "auto",
    "naive",
    "drift",
    "mean_log_growth",
    "ets",
    "ets_damped",
    "arima",
    "trend",
    "trend_break",
    "ensemble",
]
"""'auto' or a method of :data:`planbook.methods.forecast.METHODS` (a test keeps them equal)."""


# --------------------------------------------------------------------------- shared: one field


class RateTolerance(ChapterParams):
    """How close a recomputed rate must be to the stated one."""

    rate_tolerance_pp: float = Param(
        0.5,
        ge=0.0,
        le=5.0,
        unit="percentage points",
        description="A recomputed rate this close to the stated one is 'within rounding'.",
    )


class LevelTolerance(ChapterParams):
    """How close a recomputed level must be to the stated one."""

    level_tolerance_pct: float = Param(
        2.0,
        ge=0.0,
        le=20.0,
        unit="percent",
        description="A recomputed level this close (relative) is 'within rounding'.",
    )


class ForecastMethodSetting(ChapterParams):
    """The forecast method, or 'auto' for the one with the best backtest."""

    forecast_method: ForecastMethod = Param(
        "auto",
        unit="choice",
        description="Forecast method; 'auto' uses a model only where it beat the simple "
        "benchmarks out of sample (nested backtest), else the best benchmark.",
    )


class ConfidenceSetting(ChapterParams):
    """Coverage of the prediction intervals."""

    confidence: float = Param(
        0.9,
        ge=0.5,
        le=0.99,
        unit="fraction",
        description="Coverage of the prediction intervals (0.9 = 90% interval).",
    )


class HistoryStartSetting(ChapterParams):
    """First year of official history a forecast sees."""

    history_start: int = Param(
        2014,
        ge=2014,
        le=2019,
        unit="year",
        description="First year of official history the forecast sees (2014: first NBS year).",
    )


class DrawsSetting(ChapterParams):
    """Simulated values behind a probability."""

    draws: int = Param(
        10_000,
        ge=1_000,
        le=200_000,
        unit="draws",
        description="Simulated values behind each target probability; 10,000 keeps the "
        "Monte Carlo error under half a point.",
    )


class SeedSetting(ChapterParams):
    """Seed of the random draws."""

    seed: int = Param(
        0,
        ge=0,
        le=2**31 - 1,
        unit="integer",
        description="Seed of the random draws (any value; fixed so pages reproduce).",
    )


# --------------------------------------------------------------------------- shared: groups


class Tolerances(LevelTolerance, RateTolerance):
    """The audit tolerances: ``rate_tolerance_pp``, then ``level_tolerance_pct``."""


class ForecastSettings(HistoryStartSetting, ForecastMethodSetting, ConfidenceSetting):
    """A forecast of the official series: ``confidence``, ``forecast_method``,
    ``history_start``."""


class SimulationSettings(SeedSetting, DrawsSetting):
    """A Monte Carlo: ``draws``, then ``seed``."""


__all__ = [
    "ChapterParams",
    "ConfidenceSetting",
    "DrawsSetting",
    "ForecastMethod",
    "ForecastMethodSetting",
    "ForecastSettings",
    "HistoryStartSetting",
    "LevelTolerance",
    "Param",
    "RateTolerance",
    "SeedSetting",
    "SimulationSettings",
    "Tolerances",
    "like",
]
