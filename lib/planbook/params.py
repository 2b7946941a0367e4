"""Typed parameters of every chapter, scenario files and ``--set`` overrides.

This module is the single place that declares each chapter's parameters: name, type,
default, allowed range or choices, unit and a one-line description. The notebooks'
``parameters`` cells hold the same names and defaults (a test keeps them equal), the
CLI lists them, and every value is validated here before any kernel starts.
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import annotated_types
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from planbook.chapters import CHAPTERS, Chapter, get_chapter
from planbook.errors import InputError
from planbook.paths import display_path


def Param(default: Any, *, unit: str, description: str, **constraints: Any) -> Any:  # noqa: N802
    """Declare a chapter parameter: a pydantic field that also carries its unit."""
    return Field(default, description=description, json_schema_extra={"unit": unit}, **constraints)


class ChapterParams(BaseModel):
    """Base class of the parameter schemas: unknown names are refused."""

    model_config = ConfigDict(extra="forbid", validate_default=True, frozen=True)


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
"""'auto' or a method of :data:`planbook.forecast.METHODS` (a test keeps them equal)."""


class MarketParams(ChapterParams):
    """Chapter 1, market background (plan 1.1-1.5)."""

    forecast_horizon: int = Param(
        3,
        ge=1,
        le=10,
        unit="years",
        description="Years forecast beyond the last official year; 3 matches the plan's horizon.",
    )
    confidence: float = Param(
        0.9,
        ge=0.5,
        le=0.99,
        unit="fraction",
        description="Coverage of the prediction intervals (0.9 = 90% interval).",
    )
    forecast_method: ForecastMethod = Param(
        "auto",
        unit="choice",
        description="Forecast method; 'auto' picks the one with the lowest backtest MASE.",
    )
    history_start: int = Param(
        2014,
        ge=2014,
        le=2019,
        unit="year",
        description="First year of official history the forecast sees (2014: first NBS year).",
    )
    rate_tolerance_pp: float = Param(
        0.5,
        ge=0.0,
        le=5.0,
        unit="percentage points",
        description="A recomputed rate this close to the stated one is 'within rounding'.",
    )
    level_tolerance_pct: float = Param(
        2.0,
        ge=0.0,
        le=20.0,
        unit="percent",
        description="A recomputed level this close (relative) is 'within rounding'.",
    )


SCHEMAS: dict[str, type[ChapterParams]] = {
    "market": MarketParams,
}


# --------------------------------------------------------------------------- describing


@dataclass(frozen=True)
class ParamInfo:
    """What ``planbook params`` prints for one parameter."""

    name: str
    type: str
    default: Any
    allowed: str
    unit: str
    description: str


def _type_name(annotation: Any) -> str:
    if typing.get_origin(annotation) is Literal:
        return "choice"
    if isinstance(annotation, types.GenericAlias | types.UnionType):
        return str(annotation)
    return getattr(annotation, "__name__", str(annotation))


def _allowed(annotation: Any, metadata: list[Any]) -> str:
    if typing.get_origin(annotation) is Literal:
        return ", ".join(str(a) for a in typing.get_args(annotation))
    low = high = None
    for m in metadata:
        if isinstance(m, annotated_types.Ge | annotated_types.Gt):
            low = (
                m.ge if isinstance(m, annotated_types.Ge) else m.gt,
                isinstance(m, annotated_types.Gt),
            )
        if isinstance(m, annotated_types.Le | annotated_types.Lt):
            high = (
                m.le if isinstance(m, annotated_types.Le) else m.lt,
                isinstance(m, annotated_types.Lt),
            )
    if low and high:
        lo = f"> {low[0]}" if low[1] else f"{low[0]}"
        hi = f"< {high[0]}" if high[1] else f"{high[0]}"
        return f"{lo} to {hi}"
    if low:
        return f"{'>' if low[1] else '>='} {low[0]}"
    if high:
        return f"{'<' if high[1] else '<='} {high[0]}"
    return "any"


def schema_for(chapter: Chapter | str) -> type[ChapterParams]:
    """Return the parameter schema of a chapter (by object, slug or number)."""
    ch = chapter if isinstance(chapter, Chapter) else get_chapter(chapter)
    return SCHEMAS[ch.slug]


def describe(chapter: Chapter | str) -> list[ParamInfo]:
    """List a chapter's parameters with type, default, allowed values, unit, description."""
    schema = schema_for(chapter)
    out = []
    for name, info in schema.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        out.append(
            ParamInfo(
                name=name,
                type=_type_name(info.annotation),
                default=info.default,
                allowed=_allowed(info.annotation, list(info.metadata)),
                unit=str(extra.get("unit", "")),
                description=info.description or "",
            )
        )
    return out


def defaults(chapter: Chapter | str) -> dict[str, Any]:
    """The default parameter values of a chapter, as plain Python values."""
    return schema_for(chapter)().model_dump(mode="json")


# --------------------------------------------------------------------------- validating


_TYPE_WORDS = {"int": "whole number", "float": "number", "bool": "true or false", "str": "text"}


def _fix_hint(info: ParamInfo) -> str:
    if info.type == "choice":
        return f"use one of: {info.allowed}"
    word = _TYPE_WORDS.get(info.type, info.type)
    if info.allowed != "any":
        return f"use a {word} from {info.allowed} ({info.unit})"
    return f"use a {word} ({info.unit})"


def _explain(err: dict[str, Any], info: ParamInfo) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return "must be a whole number"
    if kind in {"float_parsing", "float_type"}:
        return "must be a number"
    if kind in {"bool_parsing", "bool_type"}:
        return "must be true or false"
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')}"
    if kind == "greater_than":
        return f"must be more than {ctx.get('gt')}"
    if kind == "less_than_equal":
        return f"must be at most {ctx.get('le')}"
    if kind == "less_than":
        return f"must be less than {ctx.get('lt')}"
    if kind == "literal_error":
        return "is not one of the allowed choices"
    return str(err.get("msg", "is not valid")).lower()


def unknown_name_message(name: str, valid: list[str], where: str) -> str:
    """One line for an unknown parameter: the valid names and the closest one."""
    close = difflib.get_close_matches(name, valid, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"{where}: unknown parameter {name!r}; {hint}valid names: {', '.join(valid)}"


def validate_params(
    chapter: Chapter | str, values: dict[str, Any], source: dict[str, str] | None = None
) -> ChapterParams:
    """Validate a chapter's parameter values (missing ones take their defaults).

    Parameters
    ----------
    chapter
        The chapter (object, slug or number).
    values
        Parameter values; strings from the command line are parsed by the schema's types.
    source
        For each name, where its value came from (``--set confidence=high``,
        ``scenarios/x.yml: market.confidence``), used in error messages.

    Raises
    ------
    InputError
        On an unknown name, a wrong type or a value out of range; one line naming the
        input and the fix.
    """
    ch = chapter if isinstance(chapter, Chapter) else get_chapter(chapter)
    schema = SCHEMAS[ch.slug]
    source = source or {}
    valid = list(schema.model_fields)
    for name in values:
        if name not in schema.model_fields:
            where = source.get(name, f"chapter {ch.slug}")
            raise InputError(unknown_name_message(name, valid, where))
    try:
        return schema(**values)
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]) if err["loc"] else "?"
        info = next(i for i in describe(ch) if i.name == name)
        where = source.get(name, f"chapter {ch.slug} parameter {name}")
        raise InputError(
            f"{where}: {name} {_explain(err, info)} (got {values.get(name)!r}); {_fix_hint(info)}"
        ) from None


# --------------------------------------------------------------------------- --set parsing


def parse_set(items: list[str], chapter: Chapter | None = None) -> dict[str, dict[str, str]]:
    """Parse ``--set`` items into ``{chapter_slug: {name: raw_value}}``.

    ``name=value`` applies to ``chapter`` (when running one chapter); ``chapter.name=value``
    names the chapter explicitly (slug or number). Values stay strings here: the schema
    parses them, so ``007`` stays ``"007"`` for a text parameter.
    """
    out: dict[str, dict[str, str]] = {}
    for item in items:
        if "=" not in item:
            raise InputError(f"--set {item!r}: expected name=value (e.g. --set confidence=0.9)")
        key, raw = item.split("=", 1)
        key = key.strip()
        if not key:
            raise InputError(f"--set {item!r}: the parameter name is empty; use name=value")
        if "." in key:
            ch_name, name = key.split(".", 1)
            ch = get_chapter(ch_name)
        elif chapter is not None:
            ch, name = chapter, key
        else:
            raise InputError(
                f"--set {item!r}: name the chapter when building the whole book, "
                f"e.g. --set market.{key}={raw}"
            )
        out.setdefault(ch.slug, {})[name] = raw.strip()
    return out


# --------------------------------------------------------------------------- scenarios


@dataclass(frozen=True)
class Scenario:
    """A named set of parameter values for any subset of chapters."""

    name: str
    path: Path | None
    description: str = ""
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)


def scenario_names(scenarios_dir: Path) -> list[str]:
    """The scenario files shipped in ``scenarios/``, by name."""
    return sorted(p.stem for p in scenarios_dir.glob("*.yml"))


def load_scenario(name_or_path: str, scenarios_dir: Path) -> Scenario:
    """Load and check a scenario file, given by name (from ``scenarios/``) or path.

    Every chapter and parameter it sets is checked against the schemas here, so a bad
    file is refused before any kernel starts.
    """
    candidate = Path(name_or_path)
    looks_like_path = candidate.suffix in {".yml", ".yaml"} or len(candidate.parts) > 1
    path = candidate if looks_like_path else scenarios_dir / f"{name_or_path}.yml"
    shown = display_path(path)
    if not path.is_file():
        names = ", ".join(scenario_names(scenarios_dir)) or "none"
        raise InputError(
            f"scenario {name_or_path!r}: file {shown} not found; use a name from scenarios/ "
            f"({names}) or the path to a .yml file"
        )
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise InputError(f"{shown}: not valid YAML{where} ({problem}); fix the file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{shown}: cannot be read ({exc}); fix the file") from None
    if doc is None:
        doc = {}
    if not isinstance(doc, dict):
        raise InputError(
            f"{shown}: expected a mapping of chapter names to parameters "
            f"(e.g. 'market:' then '  confidence: 0.9'), got {type(doc).__name__}"
        )
    description = doc.pop("description", "") or ""
    if not isinstance(description, str):
        raise InputError(f"{shown}: 'description' must be text")
    settings: dict[str, dict[str, Any]] = {}
    for ch_name, values in doc.items():
        try:
            ch = get_chapter(str(ch_name))
        except InputError as exc:
            raise InputError(f"{shown}: {exc}") from None
        if values is None:
            values = {}
        if not isinstance(values, dict):
            raise InputError(
                f"{shown}: chapter {ch_name!r} must map parameter names to values, "
                f"got {type(values).__name__}"
            )
        source = {str(k): f"{shown}: {ch.slug}.{k}" for k in values}
        clean = {str(k): v for k, v in values.items()}
        validate_params(ch, clean, source)
        settings[ch.slug] = clean
    return Scenario(name=path.stem, path=path, description=description, settings=settings)


def resolve(
    chapter: Chapter,
    scenario: Scenario | None = None,
    overrides: dict[str, dict[str, str]] | None = None,
    base: dict[str, Any] | None = None,
) -> ChapterParams:
    """Resolve a chapter's parameters: defaults, then ``base``, then scenario, then ``--set``.

    ``base`` carries values the chapter was last run with (the main book keeps them).
    """
    values: dict[str, Any] = {}
    source: dict[str, str] = {}
    if base:
        values.update(base)
    if scenario is not None:
        values.update(scenario.settings.get(chapter.slug, {}))
        where = display_path(scenario.path) if scenario.path else scenario.name
        source.update({k: f"{where}: {chapter.slug}.{k}" for k in values})
    for name, raw in (overrides or {}).get(chapter.slug, {}).items():
        values[name] = raw
        source[name] = f"--set {name}={raw}"
    return validate_params(chapter, values, source)


def check_overrides(overrides: dict[str, dict[str, str]]) -> None:
    """Validate ``--set`` values against their chapters' schemas on their own."""
    for slug, values in overrides.items():
        ch = get_chapter(slug)
        validate_params(ch, values, {k: f"--set {k}={v}" for k, v in values.items()})


__all__ = [
    "CHAPTERS",
    "ChapterParams",
    "MarketParams",
    "ParamInfo",
    "Scenario",
    "SCHEMAS",
    "check_overrides",
    "defaults",
    "describe",
    "load_scenario",
    "parse_set",
    "resolve",
    "schema_for",
    "validate_params",
]
