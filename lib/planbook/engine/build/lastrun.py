"""The parameters each chapter of the main book was last run with, under ``_build/``.

``planbook run market --set confidence=0.8`` puts that run in the main book, and a later
``planbook build`` keeps it (and says so) instead of going back to the defaults. The
record lives in ``_build/last_run/<slug>.json``, next to the cache, so removing
``_build/`` (``make clean``) returns every chapter to its defaults. Scenario books keep
nothing: they always take their scenario's values.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from planbook.engine.build.files import atomic_write_text
from planbook.engine.params import ChapterParams, resolve, validate_params
from planbook.engine.registry import Chapter
from planbook.errors import InputError
from planbook.paths import BookPaths


def last_run_file(paths: BookPaths, chapter: Chapter) -> Path:
    """Where the main book records the parameters ``chapter`` was last run with."""
    return paths.build / "last_run" / f"{chapter.slug}.json"


def last_params(paths: BookPaths, chapter: Chapter) -> dict[str, Any]:
    """The parameters ``chapter`` was last run with in the main book, validated.

    ``{}`` when there is no record, or when it no longer fits the chapter's schema (a
    parameter renamed or its range narrowed since): the chapter then starts from its
    defaults.
    """
    try:
        doc = json.loads(last_run_file(paths, chapter).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    params = doc.get("params") if isinstance(doc, dict) else None
    if not isinstance(params, dict):
        return {}
    try:
        return validate_params(chapter, params).model_dump(mode="json")
    except InputError:
        return {}


def record_last_run(paths: BookPaths, chapter: Chapter, params: ChapterParams, key: str) -> None:
    """Record that the main book now holds ``chapter`` run with ``params`` (under ``key``)."""
    path = last_run_file(paths, chapter)
    doc = {"chapter": chapter.slug, "params": params.model_dump(mode="json"), "key": key}
    text = json.dumps(doc, indent=1, sort_keys=True) + "\n"
    with contextlib.suppress(OSError):
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            return
    atomic_write_text(path, text)


def kept_parameters(
    chapters: Iterable[Chapter],
    paths: BookPaths,
    overrides: dict[str, dict[str, str]] | None = None,
) -> dict[str, dict[str, Any]]:
    """The last-run values that differ from the defaults, by chapter slug.

    Values that ``overrides`` (``--set``) replaces are left out: only what a build reuses
    without being told counts.
    """
    kept: dict[str, dict[str, Any]] = {}
    for chapter in chapters:
        last = last_params(paths, chapter)
        if not last:
            continue
        defaults = resolve(chapter).model_dump(mode="json")
        told = (overrides or {}).get(chapter.slug, {})
        changed = {k: v for k, v in last.items() if k not in told and defaults.get(k) != v}
        if changed:
            kept[chapter.slug] = changed
    return kept


def _shown(value: Any) -> str:
    return "null" if value is None else str(value)


def describe_kept(kept: dict[str, dict[str, Any]]) -> str:
    """One line naming the chapters that keep last-run parameters, and the values."""
    chapters = "; ".join(
        f"{slug} " + ", ".join(f"{k}={_shown(v)}" for k, v in values.items())
        for slug, values in kept.items()
    )
    return (
        f"keeping last-run parameters that are not the defaults: {chapters} "
        f"(from _build/last_run; 'planbook run CHAPTER' restores a chapter's defaults)"
    )


__all__ = [
    "describe_kept",
    "kept_parameters",
    "last_params",
    "last_run_file",
    "record_last_run",
]
