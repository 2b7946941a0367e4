"""Run a sweep: every point's parameters and execution key, what the cache lacks
executed (locally or on Dask), every point's glued values read back.

A point is a chapter run like ``planbook run CHAPTER --set ...``: the same validation,
the same execution key, the same cache. A point whose key is cached costs nothing (a
rerun resumes where the last one stopped); points with the same key run once. A point
that fails is recorded with its one-line error; the others go on.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from planbook.engine.build.cache import cache_for
from planbook.engine.build.execute import DEFAULT_TIMEOUT, Outcome, Task
from planbook.engine.build.executors import ExecutorSpec
from planbook.engine.build.keys import chapter_digests, fingerprint
from planbook.engine.build.run import execute_tasks
from planbook.engine.build.sources import read_notebook, validate_notebooks
from planbook.engine.glued import glued_from_bytes
from planbook.engine.params import ChapterParams, validate_params
from planbook.engine.registry import Chapter
from planbook.engine.sweep.table import FAILED, OK, PointResult
from planbook.errors import clipped
from planbook.paths import BookPaths


@dataclass(frozen=True)
class SweepPoint:
    """One point of a sweep: its id, its validated parameters and its execution key."""

    point: int
    params: ChapterParams
    key: str


def _plain(value: Any) -> Any:
    """A table cell as the schema should see it: numpy scalars as Python ones, NaN as
    None (a grid level ``null``)."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def plan_points(
    chapter: Chapter,
    points: pd.DataFrame,
    fixed: Mapping[str, str],
    paths: BookPaths,
) -> list[SweepPoint]:
    """Validate every point (``fixed`` values from ``--set``, then the point's own) and
    compute its execution key; raises :class:`~planbook.errors.InputError` before any
    kernel starts."""
    notebook = read_notebook(paths.notebooks / chapter.notebook, paths.root)
    env = chapter_digests([chapter], paths, {chapter: notebook})[chapter]
    swept = [c for c in points.columns if c != "point"]
    planned = []
    for record in points.to_dict(orient="records"):
        point = int(record["point"])
        values: dict[str, Any] = dict(fixed)
        source = {k: f"--set {clipped(k, 40)}={clipped(str(v), 24)}" for k, v in fixed.items()}
        for name in swept:
            values[name] = _plain(record[name])
            source[name] = f"point {point}: {name}={clipped(str(values[name]), 24)}"
        params = validate_params(chapter, values, source)
        planned.append(SweepPoint(point, params, fingerprint(chapter, params, paths, env)))
    return planned


def point_task(chapter: Chapter, point: SweepPoint, paths: BookPaths, timeout: int) -> Task:
    """The execution of one point: its log and failed notebook under ``_build/sweeps``,
    named by chapter and key."""
    name = f"{chapter.slug}-{point.key[:12]}"
    return Task(
        key=point.key,
        slug=chapter.slug,
        number=chapter.number,
        notebook=chapter.notebook,
        params=point.params.model_dump(mode="json"),
        root=str(paths.root),
        log=str(paths.build / "sweeps" / "logs" / f"{name}.log"),
        failed=str(paths.build / "sweeps" / "failed" / f"{name}.ipynb"),
        timeout=timeout,
        data=chapter.data,
    )


def run_sweep(
    chapter: Chapter,
    points: list[SweepPoint],
    paths: BookPaths,
    *,
    timeout: int = DEFAULT_TIMEOUT,
    workers: int | None = None,
    executor: ExecutorSpec | None = None,
    on_cached: Callable[[int], None] | None = None,
    on_finished: Callable[[bool, int], None] | None = None,
) -> dict[int, PointResult]:
    """Execute the points the cache lacks and read every point's glued values.

    ``on_cached`` gets the number of points found in the cache, ``on_finished`` (ok,
    points) each execution's end: for the progress line. Returns each point's result
    by point id.
    """
    cache = cache_for(paths)
    cache.clean_scratch()
    by_key: dict[str, list[SweepPoint]] = {}
    for point in points:
        by_key.setdefault(point.key, []).append(point)
    cached = {key for key in by_key if cache.get(key) is not None}
    if on_cached is not None:
        on_cached(sum(len(by_key[k]) for k in cached))
    tasks = [
        point_task(chapter, group[0], paths, timeout)
        for k, group in by_key.items()
        if k not in cached
    ]
    failures: dict[str, str] = {}
    if tasks:
        validate_notebooks([paths.notebooks / chapter.notebook], paths.root)

    def on_done(outcome: Outcome) -> None:
        if not outcome.ok:
            failures[outcome.key] = outcome.message
        if on_finished is not None:
            on_finished(outcome.ok, len(by_key[outcome.key]))

    execute_tasks(tasks, paths, workers, lambda key: None, on_done, executor)
    results: dict[int, PointResult] = {}
    for key, group in by_key.items():
        entry = None if key in failures else cache.get(key)
        if key in failures:
            result = PointResult(FAILED, error=failures[key])
        elif entry is None:
            result = PointResult(
                FAILED,
                error=f"chapter {chapter.number} {chapter.slug}: its execution left "
                "the cache before it was read; run the sweep again",
            )
        else:
            result = PointResult(OK, glued_from_bytes(Path(entry.notebook).read_bytes()))
        for point in group:
            results[point.point] = result
    return results


__all__ = ["SweepPoint", "plan_points", "point_task", "run_sweep"]
