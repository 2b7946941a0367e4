"""Every chapter's schema by slug; describing and validating a chapter's parameters.

:func:`describe` lists what ``planbook params`` prints, :func:`defaults` the default
values, and :func:`validate_params` checks values before any kernel starts, with one
line naming the input and the fix when a value is wrong.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import annotated_types
from pydantic import ValidationError

from planbook.engine.params.appendices import (
    AuditParams,
    DataSourcesParams,
    GlossaryParams,
    MethodsParams,
)
from planbook.engine.params.base import ChapterParams
from planbook.engine.params.risk import risk_params
from planbook.engine.params.schemas import (
    BenefitsParams,
    ChallengesParams,
    ConclusionsParams,
    GoalsParams,
    ImplementationParams,
    InnovationParams,
    MarketParams,
    ResourcesParams,
    TimelineParams,
)
from planbook.engine.registry import Chapter, get_chapter
from planbook.errors import InputError, quoted


class SchemaTable(Mapping[str, type[ChapterParams]]):
    """The schema of each chapter by slug; a schema built from data is built when asked for."""

    def __init__(self, entries: dict[str, type[ChapterParams] | Callable[[], type[ChapterParams]]]):
        self._entries = entries

    def __getitem__(self, slug: str) -> type[ChapterParams]:
        entry = self._entries[slug]
        return entry if isinstance(entry, type) else entry()

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


SCHEMAS: Mapping[str, type[ChapterParams]] = SchemaTable(
    {
        "market": MarketParams,
        "challenges": ChallengesParams,
        "goals": GoalsParams,
        "implementation": ImplementationParams,
        "risk": risk_params,
        "resources": ResourcesParams,
        "benefits": BenefitsParams,
        "timeline": TimelineParams,
        "innovation": InnovationParams,
        "conclusions": ConclusionsParams,
        "audit": AuditParams,
        "data_sources": DataSourcesParams,
        "glossary": GlossaryParams,
        "methods": MethodsParams,
    }
)
"""Each chapter's schema by slug (chapter 5's is built from the risk register)."""


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


def _choice_items(annotation: Any) -> tuple[Any, ...] | None:
    """The choices of a tuple or list of Literal values (a multi-choice parameter), else None."""
    if typing.get_origin(annotation) in (tuple, list):
        args = [a for a in typing.get_args(annotation) if a is not Ellipsis]
        if len(args) == 1 and typing.get_origin(args[0]) is Literal:
            return typing.get_args(args[0])
    return None


def _type_name(annotation: Any) -> str:
    if typing.get_origin(annotation) is Literal:
        return "choice"
    if _choice_items(annotation) is not None:
        return "choices"
    if isinstance(annotation, types.GenericAlias | types.UnionType):
        return str(annotation)
    return getattr(annotation, "__name__", str(annotation))


def _allowed(annotation: Any, metadata: list[Any]) -> str:
    if typing.get_origin(annotation) is Literal:
        return ", ".join(str(a) for a in typing.get_args(annotation))
    if (items := _choice_items(annotation)) is not None:
        return "any of " + ", ".join(str(a) for a in items)
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
    if info.type == "choices":
        return f"use a comma-separated list of {info.allowed.removeprefix('any of ')} (or 'all')"
    base, _, rest = info.type.partition(" | ")
    if base == "bool":
        return "use true or false"
    word = _TYPE_WORDS.get(base, base) + (" (or null for the plan's own value)" if rest else "")
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
    if kind == "finite_number":
        return "must be a finite number"
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
    return f"{where}: unknown parameter {quoted(name, 40)}; {hint}valid names: {', '.join(valid)}"


_NULL_WORDS = {"null", "none", "~"}


def _null(value: Any, annotation: Any) -> Any:
    """``--set name=null`` gives None for a parameter that accepts None."""
    optional = type(None) in typing.get_args(annotation)
    if optional and isinstance(value, str) and value.strip().lower() in _NULL_WORDS:
        return None
    return value


def _plain_types(annotation: Any) -> set[Any]:
    """The types a parameter takes, less None: ``{float}`` for ``float | None``."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return {a for a in typing.get_args(annotation) if a is not type(None)}
    return {annotation}


def _strict_scalar(value: Any, annotation: Any) -> tuple[Any, str | None]:
    """A value as the schema should see it, or the reason it is refused.

    A true-or-false parameter takes only true or false (a boolean, or that word in any
    case), never ``yes``, ``on`` or ``1``; a number never takes true or false.
    """
    kinds = _plain_types(annotation)
    if value is None:  # the schema says whether None is allowed
        return value, None
    if bool in kinds:
        if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
            return value.strip().lower() == "true", None
        if not isinstance(value, bool):
            return value, "must be true or false"
    elif kinds and kinds <= {int, float} and isinstance(value, bool):
        return value, "must be a whole number" if kinds == {int} else "must be a number"
    return value, None


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
    values = {k: _null(v, schema.model_fields[k].annotation) for k, v in values.items()}
    for name, value in values.items():
        values[name], problem = _strict_scalar(value, schema.model_fields[name].annotation)
        if problem:
            info = next(i for i in describe(ch) if i.name == name)
            where = source.get(name, f"chapter {ch.slug} parameter {name}")
            raise InputError(f"{where}: {name} {problem} (got {quoted(value)}); {_fix_hint(info)}")
    try:
        return schema(**values)
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]) if err["loc"] else "?"
        info = next(i for i in describe(ch) if i.name == name)
        where = source.get(name, f"chapter {ch.slug} parameter {name}")
        raise InputError(
            f"{where}: {name} {_explain(err, info)} (got {quoted(values.get(name))}); "
            f"{_fix_hint(info)}"
        ) from None


__all__ = [
    "SCHEMAS",
    "ParamInfo",
    "SchemaTable",
    "defaults",
    "describe",
    "schema_for",
    "unknown_name_message",
    "validate_params",
]
