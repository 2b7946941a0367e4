"""Amounts in English scales: the plan's 亿 and 万 as million, billion and trillion.

The plan counts money and people in 亿 (hundred million, ``100m_``) and 万 (ten thousand,
``10k_``); an English reader thinks in millions, billions and trillions. Every sentence of
the book that states such an amount says it through :func:`amount` (or :func:`yuan`,
:func:`people`), so chapters, briefs and pages share one rule. It sits in the data layer
so that chapter modules and the page layer both may use it.

The rule: the largest scale (trillion, billion, million) the amount reaches, three
significant digits and at least one decimal, trailing zeros dropped (``523.4 billion``,
``1.21 billion``, ``620 million``, ``3.35 trillion``); below a million the amount is
written out (``500,000 yuan``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

PREFIXES: dict[str, float] = {"trillion": 1e12, "100m": 1e8, "million": 1e6, "10k": 1e4}
"""The scale a unit's prefix stands for (``100m_yuan``: 1e8 yuan)."""

SCALES: tuple[tuple[str, float], ...] = (
    ("trillion", 1e12),
    ("billion", 1e9),
    ("million", 1e6),
)
"""The English scales, largest first."""

CURRENCIES: dict[str, str] = {"yuan": "yuan", "usd": "US dollars", "eur": "euros"}
"""The words of the currencies the plan uses (a unit's part after its prefix)."""


def factor(unit: str) -> float:
    """How many single things (yuan, people) one of ``unit`` is.

    >>> factor("100m_yuan"), factor("10k_count"), factor("trillion_yuan"), factor("yuan")
    (100000000.0, 10000.0, 1000000000000.0, 1.0)
    >>> factor("100m_yuan_per_year")
    100000000.0
    """
    head = str(unit).split("_", 1)[0]
    return PREFIXES.get(head, 1.0)


def scale_of(units: float) -> tuple[str, float]:
    """The English scale of an amount of single things: its word and size (``""`` and 1
    below a million).

    >>> scale_of(5.234e11), scale_of(6.2e8), scale_of(5e5)
    (('billion', 1000000000.0), ('million', 1000000.0), ('', 1.0))
    """
    for word, size in SCALES:
        if abs(units) >= size:
            return word, size
    return "", 1.0


def _digits(x: float) -> int:
    """Decimals that keep three significant digits and at least one (``1.21``, ``52.3``)."""
    return 2 if abs(x) < 10 else 1


def _trim(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def in_scale(value: float, unit: str, scale: str | None = None) -> tuple[float, str]:
    """``value`` (in ``unit``) as a number in an English scale and the scale's word.

    Parameters
    ----------
    value
        The amount in the plan's unit (``5234`` for 5234 亿元).
    unit
        Its unit: ``trillion_``, ``100m_``, ``million_`` and ``10k_`` prefixes are scales,
        anything else counts single things.
    scale
        ``"trillion"``, ``"billion"``, ``"million"`` or ``""`` (single things) to fix the
        scale (for sums stated term by term); ``None`` picks the largest the amount reaches.

    >>> in_scale(5234, "100m_yuan")
    (523.4, 'billion')
    >>> in_scale(45, "100m_yuan", "billion")
    (4.5, 'billion')
    """
    units = float(value) * factor(unit)
    if scale is None:
        word, size = scale_of(units)
    else:
        sizes = dict(SCALES) | {"": 1.0}
        if scale not in sizes:
            raise ValueError(f"unknown scale {scale!r}; use one of {', '.join(map(repr, sizes))}")
        word, size = scale, sizes[scale]
    return units / size, word


def figure(x: float, digits: int | None = None) -> str:
    """A number in its scale as text: thousands separators, trailing zeros dropped.

    >>> figure(523.4), figure(12.0), figure(1.2109), figure(620.0), figure(4.5, 0)
    ('523.4', '12', '1.21', '620', '4')
    """
    if not math.isfinite(x):
        return "n/a"
    d = _digits(x) if digits is None else digits
    return _trim(f"{x:,.{d}f}")


def amount(
    value: float,
    unit: str,
    noun: str = "",
    *,
    scale: str | None = None,
    digits: int | None = None,
) -> str:
    """An amount the plan gives in ``unit`` in English scales, followed by ``noun``.

    Parameters
    ----------
    value, unit
        The amount in the plan's unit (``6.2`` and ``100m_count`` for 6.2 亿).
    noun
        What is counted (``"yuan"``, ``"users"``); empty for a bare count.
    scale
        Fix the scale (see :func:`in_scale`); ``None`` chooses it.
    digits
        Decimals in the scale; ``None``: three significant digits, at least one decimal.

    >>> amount(6.2, "100m_count", "users"), amount(12.109, "100m_count")
    ('620 million users', '1.21 billion')
    >>> amount(50, "10k_yuan", "yuan"), amount(1200, "count", "people")
    ('500,000 yuan', '1,200 people')
    >>> amount(float("nan"), "100m_yuan", "yuan")
    'n/a'
    """
    if not math.isfinite(float(value)):
        return "n/a"
    x, word = in_scale(value, unit, scale)
    if not word and digits is None:
        digits = 0 if float(x).is_integer() or abs(x) >= 1000 else 2
    return " ".join(w for w in (figure(x, digits), word, noun) if w)


def currency(unit: str) -> str:
    """The word of a money unit's currency: ``100m_usd`` -> ``US dollars``.

    >>> currency("100m_yuan"), currency("100m_usd"), currency("trillion_yuan_per_year")
    ('yuan', 'US dollars', 'yuan')
    """
    parts = str(unit).split("_")
    for p in parts:
        if p in CURRENCIES:
            return CURRENCIES[p]
    raise ValueError(f"unit {unit!r} names no currency; known: {', '.join(CURRENCIES)}")


NOUNS: dict[str, str] = {"count": "", "persons": "people", "per": "a"}
"""Words of a unit's parts after its scale that differ from the part itself."""


def noun(unit: str) -> str:
    """What a unit counts, in words, without its scale: ``100m_yuan`` -> ``yuan``.

    >>> noun("100m_yuan"), noun("100m_count"), noun("100m_usd"), noun("100m_yuan_per_year")
    ('yuan', '', 'US dollars', 'yuan a year')
    >>> noun("10k_persons"), noun("100m_parcels")
    ('people', 'parcels')
    """
    parts = str(unit).split("_")
    if parts and parts[0] in PREFIXES:
        parts = parts[1:]
    said = [CURRENCIES.get(p, NOUNS.get(p, p)) for p in parts]
    return " ".join(w for w in said if w)


def said(value: float, unit: str, *, scale: str | None = None, digits: int | None = None) -> str:
    """An amount in any of the plan's units in English scales, with what it counts.

    >>> said(5234, "100m_yuan"), said(6.2, "100m_count"), said(702, "100m_yuan_per_year")
    ('523.4 billion yuan', '620 million', '70.2 billion yuan a year')
    >>> said(1.5, "trillion_yuan"), said(200, "10k_count")
    ('1.5 trillion yuan', '2 million')
    """
    return amount(value, unit, noun(unit), scale=scale, digits=digits)


def scaled(unit: str) -> bool:
    """Whether ``unit`` counts in a scale (亿, 万, trillions) that English says otherwise.

    >>> scaled("100m_yuan"), scaled("10k_count"), scaled("trillion_yuan"), scaled("yuan")
    (True, True, False, False)
    """
    head = str(unit).split("_", 1)[0]
    return head in PREFIXES and head not in ("trillion", "million")


def rescaled(values: Any, unit: str, scale: str, columns: Sequence[str] | None = None) -> Any:
    """Numbers in ``unit`` (a value, a series or a frame) in an English ``scale``, for a
    chart whose axis names that scale; ``columns`` limits a frame to those columns.

    >>> rescaled(45, "100m_yuan", "billion"), rescaled(6.2, "100m_persons", "million")
    (4.5, 620.0)
    """
    sizes = dict(SCALES) | {"": 1.0}
    if scale not in sizes:
        raise ValueError(f"unknown scale {scale!r}; use one of {', '.join(map(repr, sizes))}")
    k = factor(unit) / sizes[scale]
    if columns is None:
        return values * k
    out = values.copy()
    for c in columns:
        out[c] = out[c] * k
    return out


def words_of(units: Mapping[str, str], *results: object) -> dict[str, str]:
    """The amounts a page states in prose, as text: ``<name>_words`` for every ``name`` of
    ``units`` (its plan unit) found on one of ``results`` (objects or mappings).

    A chapter declares the units of its amounts once and glues these beside its numbers,
    so a sentence reads ``523.4 billion yuan`` where the plan says 5234 亿元.

    >>> words_of({"fresh_gmv": "100m_yuan", "gone": "100m_yuan"}, {"fresh_gmv": 5234.0})
    {'fresh_gmv_words': '523.4 billion yuan'}
    """
    out: dict[str, str] = {}
    for name, unit in units.items():
        for r in results:
            value = r.get(name) if isinstance(r, Mapping) else getattr(r, name, None)
            if value is not None:
                out[f"{name}_words"] = said(float(value), unit)
                break
    return out


def yuan(
    value: float, unit: str = "100m_yuan", *, scale: str | None = None, digits: int | None = None
) -> str:
    """Money the plan gives in ``unit`` (``100m_yuan`` by default) in English scales.

    >>> yuan(5234), yuan(120), yuan(33534.3), yuan(5)
    ('523.4 billion yuan', '12 billion yuan', '3.35 trillion yuan', '500 million yuan')
    >>> yuan(47.8, "trillion_yuan")
    '47.8 trillion yuan'
    >>> yuan(20, "100m_usd"), yuan(45, scale="billion"), yuan(8.5, "10k_yuan")
    ('2 billion US dollars', '4.5 billion yuan', '85,000 yuan')
    """
    return amount(value, unit, currency(unit), scale=scale, digits=digits)


def people(
    value: float,
    unit: str = "100m_count",
    noun: str = "",
    *,
    scale: str | None = None,
    digits: int | None = None,
) -> str:
    """A count of people (or things) the plan gives in ``unit`` (``100m_count`` by default,
    亿) in English scales, with an optional ``noun``.

    >>> people(12.109), people(6.2), people(10.56, noun="users"), people(0.5)
    ('1.21 billion', '620 million', '1.06 billion users', '50 million')
    >>> people(200, "10k_count", "people")
    '2 million people'
    """
    return amount(value, unit, noun, scale=scale, digits=digits)


__all__ = [
    "CURRENCIES",
    "NOUNS",
    "PREFIXES",
    "SCALES",
    "amount",
    "currency",
    "factor",
    "figure",
    "in_scale",
    "noun",
    "people",
    "rescaled",
    "said",
    "scale_of",
    "scaled",
    "words_of",
    "yuan",
]
