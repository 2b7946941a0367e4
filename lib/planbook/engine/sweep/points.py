"""The points of a sweep: ``--grid`` levels (full factorial) or a Latin hypercube sample.

Everything the user typed is checked here against the chapter's schema, before any
kernel starts; a bad flag raises :class:`~planbook.errors.InputError` with one line
naming the flag and the fix. The points come back as a table: a ``point`` column
(1, 2, ...) and one column per swept parameter, holding the values as the schema
parses them (a float, an int, a choice).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from planbook.engine.params import describe, unknown_name_message, validate_params
from planbook.engine.registry import Chapter
from planbook.errors import InputError, clipped, quoted

MAX_POINTS = 10_000
"""Most points one sweep may have (a grid multiplies quickly)."""

SIGNIFICANT = 6
"""Significant digits a sampled float keeps, so a point can be rerun with ``--set``."""


@dataclass(frozen=True)
class Range:
    """A numeric parameter's sampled interval, both ends included."""

    name: str
    low: float
    high: float
    integer: bool


@dataclass(frozen=True)
class Design:
    """What the flags asked for: ``kind`` is ``"grid"`` or ``"sample"``, ``points`` the
    table of points (``point`` and one column per swept parameter)."""

    kind: str
    points: pd.DataFrame
    description: str

    @property
    def swept(self) -> list[str]:
        """The swept parameters, in the order given."""
        return [c for c in self.points.columns if c != "point"]


def _split(item: str, flag: str, example: str) -> tuple[str, str]:
    if "=" not in item:
        raise InputError(f"{flag} {quoted(item)}: expected {example}")
    name, raw = (part.strip() for part in item.split("=", 1))
    if not name:
        raise InputError(f"{flag} {quoted(item)}: the parameter name is empty; use {example}")
    return name, raw


def _kind(chapter: Chapter, name: str, flag: str, item: str) -> str:
    """The parameter's type as ``planbook params`` shows it; an unknown name is refused."""
    infos = {i.name: i for i in describe(chapter)}
    if name not in infos:
        where = f"{flag} {clipped(item, 60)}"
        raise InputError(unknown_name_message(name, list(infos), where))
    return infos[name].type


def _parsed(chapter: Chapter, name: str, raw: str, where: str) -> Any:
    """``raw`` as the schema parses it (one line naming ``where`` and the fix if not)."""
    values = validate_params(chapter, {name: raw}, {name: where})
    return values.model_dump(mode="json")[name]


def parse_grid(chapter: Chapter, items: Sequence[str]) -> dict[str, list[Any]]:
    """``--grid name=v1,v2,...`` items as ``{name: [levels]}``, each level checked.

    A parameter given twice, an empty level, a level given twice (after parsing:
    ``0.8`` and ``0.80`` are one level) and a multi-choice parameter (its values hold
    commas) are refused.
    """
    example = "name=v1,v2,... (e.g. --grid confidence=0.8,0.9)"
    levels: dict[str, list[Any]] = {}
    for item in items:
        name, raw = _split(item, "--grid", example)
        kind = _kind(chapter, name, "--grid", item)
        shown = f"--grid {clipped(name, 40)}={clipped(raw, 40)}"
        if name in levels:
            raise InputError(f"{shown}: {name} is given twice; give all its levels in one --grid")
        if kind == "choices":
            raise InputError(
                f"{shown}: {name} takes several choices at once, which a grid cannot split "
                f"by commas; fix it with --set {name}=... and sweep other parameters"
            )
        parts = [p.strip() for p in raw.split(",")]
        if not raw or any(not p for p in parts):
            raise InputError(f"{shown}: a level is empty; list the values, e.g. {example}")
        parsed = [_parsed(chapter, name, p, f"{shown} (level {p!r})") for p in parts]
        for i, value in enumerate(parsed):
            if value in parsed[:i]:
                raise InputError(f"{shown}: the level {value!r} is given twice; give each once")
        levels[name] = parsed
    return levels


def parse_ranges(chapter: Chapter, items: Sequence[str]) -> list[Range]:
    """``--range name=low:high`` items as :class:`Range`, both ends checked.

    Only numbers can be sampled (a choice is swept with ``--grid``); each end must be a
    value the schema accepts (a whole number for a whole-number parameter) and the low
    end must lie below the high one.
    """
    example = "name=low:high (e.g. --range confidence=0.8:0.95)"
    ranges: dict[str, Range] = {}
    for item in items:
        name, raw = _split(item, "--range", example)
        kind = _kind(chapter, name, "--range", item).split(" | ")[0]
        shown = f"--range {clipped(name, 40)}={clipped(raw, 40)}"
        if name in ranges:
            raise InputError(f"{shown}: {name} is given twice; give one range per parameter")
        if kind not in {"int", "float"}:
            raise InputError(
                f"{shown}: {name} is a {kind}, not a number; sweep its values with "
                f"--grid {name}=v1,v2 instead"
            )
        if raw.count(":") != 1:
            raise InputError(f"{shown}: expected {example}")
        low_raw, high_raw = (p.strip() for p in raw.split(":"))
        if not low_raw or not high_raw:
            raise InputError(f"{shown}: an end of the range is empty; use {example}")
        if low_raw.lower() in {"null", "none", "~"} or high_raw.lower() in {"null", "none", "~"}:
            raise InputError(f"{shown}: a range needs two numbers; use {example}")
        low = _parsed(chapter, name, low_raw, f"{shown} (low end)")
        high = _parsed(chapter, name, high_raw, f"{shown} (high end)")
        if not low < high:
            raise InputError(
                f"{shown}: the low end must be below the high end; use {name}=low:high"
            )
        ranges[name] = Range(name, float(low), float(high), kind == "int")
    return list(ranges.values())


def grid_points(levels: Mapping[str, Sequence[Any]]) -> pd.DataFrame:
    """Every combination of the levels (full factorial), the first parameter slowest.

    Returns a table with ``point`` (1, 2, ...) and one column per parameter.
    """
    names = list(levels)
    rows = list(itertools.product(*(levels[n] for n in names))) if names else []
    columns = {  # a column with a null level keeps None (not NaN)
        n: pd.Series([r[i] for r in rows], dtype=object if None in levels[n] else None)
        for i, n in enumerate(names)
    }
    frame = pd.DataFrame(columns, columns=names)
    frame.insert(0, "point", np.arange(1, len(frame) + 1))
    return frame


def _to_range(unit: np.ndarray, r: Range) -> np.ndarray:
    """Unit-interval draws as values of ``r``: whole numbers cut ``[0, 1)`` into equal
    cells, one per whole number (each equally likely); floats are kept to
    :data:`SIGNIFICANT` digits and inside the range."""
    if r.integer:
        cells = int(r.high - r.low) + 1
        return np.minimum(r.low + np.floor(unit * cells), r.high).astype(int)
    values = r.low + unit * (r.high - r.low)
    rounded = np.array([float(f"{v:.{SIGNIFICANT}g}") for v in values])
    return np.clip(rounded, r.low, r.high)


def lhs_points(ranges: Sequence[Range], n: int, seed: int) -> pd.DataFrame:
    """A Latin hypercube of ``n`` points over ``ranges`` (scipy.stats.qmc, seeded).

    Each range is cut into ``n`` strata and every stratum holds one point; whole-number
    parameters take the whole number of the cell a draw falls in.
    """
    from scipy.stats import qmc

    unit = qmc.LatinHypercube(d=len(ranges), rng=np.random.default_rng(seed)).random(n)
    frame = pd.DataFrame({r.name: _to_range(unit[:, i], r) for i, r in enumerate(ranges)})
    frame.insert(0, "point", np.arange(1, n + 1))
    return frame


def design(
    chapter: Chapter,
    grid: Sequence[str],
    sample: int | None,
    ranges: Sequence[str],
    seed: int | None,
) -> Design:
    """The points the flags ask for: ``--grid`` items, or ``--sample N`` with ``--range``
    items (and ``--seed``). Exactly one of the two designs; anything else is refused."""
    if grid and (sample is not None or ranges):
        raise InputError(
            "--grid and --sample/--range both given; sweep with a grid (--grid name=v1,v2) "
            "or a sample (--sample N --range name=low:high), not both"
        )
    if grid:
        if seed is not None:
            raise InputError("--seed applies to --sample only; remove it (a grid is not random)")
        levels = parse_grid(chapter, grid)
        count = math.prod(len(v) for v in levels.values())
        if count > MAX_POINTS:
            raise InputError(
                f"--grid: {count:,} points is more than {MAX_POINTS:,}; give fewer levels"
            )
        shape = " x ".join(f"{len(v)} {n}" for n, v in levels.items())
        return Design("grid", grid_points(levels), f"grid of {shape}")
    if sample is None and not ranges:
        raise InputError(
            "nothing to sweep; give --grid name=v1,v2 (a grid) or --sample N with "
            "--range name=low:high (a Latin hypercube sample)"
        )
    if sample is None:
        raise InputError("--range needs --sample N (how many points to draw); add e.g. --sample 20")
    if not ranges:
        raise InputError(
            "--sample needs at least one --range name=low:high; add e.g. "
            "--range confidence=0.8:0.95"
        )
    if not 2 <= sample <= MAX_POINTS:
        raise InputError(f"--sample {sample}: use a number of points from 2 to {MAX_POINTS:,}")
    if seed is not None and not 0 <= seed <= 2**32 - 1:
        raise InputError(f"--seed {seed}: use a whole number from 0 to {2**32 - 1}")
    parsed = parse_ranges(chapter, ranges)
    seed = 0 if seed is None else seed
    names = ", ".join(r.name for r in parsed)
    return Design(
        "sample",
        lhs_points(parsed, sample, seed),
        f"Latin hypercube of {sample} over {names} (seed {seed})",
    )


def sweep_digest(chapter: Chapter, points: pd.DataFrame, fixed: Mapping[str, Any]) -> str:
    """A short hash of a sweep: the chapter, its fixed values and every point (the
    default file name of its table, so the same sweep writes the same file)."""
    records = json.loads(points.to_json(orient="records"))
    payload = {"chapter": chapter.slug, "fixed": dict(sorted(fixed.items())), "points": records}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:12]


__all__ = [
    "MAX_POINTS",
    "SIGNIFICANT",
    "Design",
    "Range",
    "design",
    "grid_points",
    "lhs_points",
    "parse_grid",
    "parse_ranges",
    "sweep_digest",
]
