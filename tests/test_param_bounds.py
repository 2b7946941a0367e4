"""Every parameter of every chapter refuses a value just outside its bounds or choices.

The cases are read from the schemas themselves (each numeric bound, each set of choices,
a wrong type), so a new parameter is covered the day it is declared; the last tests hold
the schemas to having bounds at all, so a bound deleted from a schema is noticed too.
"""

from __future__ import annotations

import math
import typing
from typing import Any, Literal

import annotated_types
import pytest

from planbook.engine.params import schema_for, validate_params
from planbook.engine.registry import CHAPTERS
from planbook.errors import InputError

OPEN_ABOVE = {("conclusions", "seed")}
"""Numeric parameters allowed without an upper bound (any non-negative seed works)."""


def _kinds(annotation: Any) -> set[Any]:
    """The types a parameter takes, less None."""
    if typing.get_origin(annotation) in (typing.Union, type(int | None)):
        return {a for a in typing.get_args(annotation) if a is not type(None)}
    return {annotation}


def _numeric(annotation: Any) -> type | None:
    kinds = _kinds(annotation)
    if kinds == {int}:
        return int
    if kinds == {float}:
        return float
    return None


def _choices(annotation: Any) -> tuple[Any, ...] | None:
    if typing.get_origin(annotation) is Literal:
        return typing.get_args(annotation)
    if typing.get_origin(annotation) in (tuple, list):
        args = [a for a in typing.get_args(annotation) if a is not Ellipsis]
        if len(args) == 1 and typing.get_origin(args[0]) is Literal:
            return typing.get_args(args[0])
    return None


def _bounds(metadata: list[Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    for m in metadata:
        for kind in ("ge", "gt", "le", "lt"):
            if isinstance(m, getattr(annotated_types, kind.capitalize())):
                out[kind] = getattr(m, kind)
    return out


def _outside(kind: str, bound: float, number: type) -> Any:
    """The value just outside a bound: one step for whole numbers, one ulp for floats."""
    if number is int:
        return {"ge": bound - 1, "gt": bound, "le": bound + 1, "lt": bound}[kind]
    below, above = math.nextafter(bound, -math.inf), math.nextafter(bound, math.inf)
    return {"ge": below, "gt": bound, "le": above, "lt": bound}[kind]


def fields() -> list[tuple[str, str, Any]]:
    """(chapter, parameter, field info) for every parameter of every chapter."""
    return [
        (ch.slug, name, info)
        for ch in CHAPTERS
        for name, info in schema_for(ch).model_fields.items()
    ]


def refused_cases() -> list[Any]:
    cases = []
    for slug, name, info in fields():
        number = _numeric(info.annotation)
        choices = _choices(info.annotation)
        values: list[tuple[str, Any]] = []
        if number is not None:
            for kind, bound in _bounds(list(info.metadata)).items():
                value = _outside(kind, bound, number)
                values += [(f"{kind} {bound}", value), (f"{kind} {bound} as text", str(value))]
            values += [("text", "abc"), ("true", True)]
            values += [("fraction", 2.5)] if number is int else [("nan", math.nan)]
            values += [] if number is int else [("inf", math.inf), ("-inf", -math.inf)]
        elif choices is not None:
            values += [("not a choice", "not-a-choice"), ("a number", 3)]
            if typing.get_origin(info.annotation) in (tuple, list):
                values += [("list with a stranger", [choices[0], "not-a-choice"])]
        elif _kinds(info.annotation) == {bool}:
            values += [("yes", "yes"), ("on", "on"), ("one", 1), ("text", "maybe")]
        for label, value in values:
            cases.append(pytest.param(slug, name, value, id=f"{slug}.{name}: {label}"))
    return cases


CASES = refused_cases()


@pytest.mark.parametrize(("slug", "name", "value"), CASES)
def test_a_value_outside_the_bounds_is_refused_naming_the_parameter(
    slug: str, name: str, value: Any
) -> None:
    with pytest.raises(InputError) as caught:
        validate_params(slug, {name: value})
    message = str(caught.value)
    assert name in message and "\n" not in message, message


def test_the_cases_cover_every_parameter_of_every_chapter() -> None:
    covered = {(slug, name) for slug, name, _ in (c.values for c in CASES)}
    assert covered == {(slug, name) for slug, name, _ in fields()}
    assert len(CASES) > 500


@pytest.mark.parametrize(
    ("slug", "value"),
    [("resources", 1.01), ("benefits", 1.01), ("resources", -0.01), ("benefits", "1.5")],
)
def test_benefit_realisation_is_a_fraction(slug: str, value: Any) -> None:
    with pytest.raises(InputError, match="benefit_realisation"):
        validate_params(slug, {"benefit_realisation": value})
    assert validate_params(slug, {"benefit_realisation": 1}).benefit_realisation == 1.0


@pytest.mark.parametrize(("slug", "name", "info"), fields(), ids=lambda x: str(x)[:40])
def test_every_numeric_parameter_has_bounds(slug: str, name: str, info: Any) -> None:
    # a bound deleted from a schema would otherwise just drop out of the cases above
    number = _numeric(info.annotation)
    if number is None:
        assert _choices(info.annotation) is not None or _kinds(info.annotation) == {bool}, name
        return
    bounds = _bounds(list(info.metadata))
    assert {"ge", "gt"} & set(bounds), f"{slug}.{name} has no lower bound"
    if (slug, name) not in OPEN_ABOVE:
        assert {"le", "lt"} & set(bounds), f"{slug}.{name} has no upper bound"
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    unit = str(extra.get("unit", ""))
    low = bounds.get("ge", bounds.get("gt"))
    high = bounds.get("le", bounds.get("lt"))
    if unit == "fraction":
        assert low >= 0 and high is not None and high <= 1, f"{slug}.{name}: {bounds}"
    if unit.startswith("percent") or unit.startswith("score") or unit in {"draws", "years"}:
        assert low >= 0, f"{slug}.{name}: {bounds}"
