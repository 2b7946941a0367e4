"""Planning a build: check the inputs, resolve each chapter's parameters, decide what runs.

Everything is validated here (chapters, parameters, scenario files, data files), before
any kernel starts; bad input raises :class:`~planbook.errors.InputError`. Each chapter of
a book becomes a :class:`Job` whose state says whether the book already holds its
execution, the cache does, or it must run.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from planbook.engine.build.cache import cache_for
from planbook.engine.build.files import atomic_write_text
from planbook.engine.build.keys import chapter_digests, fingerprint, recorded, validation_digest
from planbook.engine.build.lastrun import last_params
from planbook.engine.build.sources import read_notebook, validate_notebooks
from planbook.engine.params import ChapterParams, Scenario, resolve
from planbook.engine.registry import CHAPTERS, Chapter
from planbook.paths import BookPaths

UP_TO_DATE = "up to date"
CACHED = "from cache"
STALE = "stale"


def validate_data(paths: BookPaths) -> None:
    """Check every table under ``data/`` (raises :class:`~planbook.errors.DataFileError`).

    The check is a pure function of the files under ``data/`` and the modules that
    validate them (:func:`~planbook.engine.build.keys.validation_digest`), so a
    successful check is remembered under that digest and skipped while nothing changed:
    a build with nothing to do does not even import pandas.
    """
    env = validation_digest(paths)
    stamps = paths.build / "cache" / "validated"
    if (stamps / env).is_file():
        return
    from planbook.data.validate import validate_all

    validate_all(paths.data)
    with contextlib.suppress(OSError):
        if stamps.is_dir():
            for old in stamps.iterdir():
                old.unlink(missing_ok=True)
        atomic_write_text(stamps / env, "data/ validated\n")


@dataclass(frozen=True)
class Job:
    """One chapter of one book to bring up to date.

    ``state`` is :data:`UP_TO_DATE` (the book already holds this execution),
    :data:`CACHED` (the cache holds it) or :data:`STALE` (it must run).
    """

    chapter: Chapter
    params: ChapterParams
    key: str
    output: Path
    book: str | None = None
    state: str = STALE

    @property
    def up_to_date(self) -> bool:
        return self.state == UP_TO_DATE


def plan_jobs(
    chapters: Iterable[Chapter],
    paths: BookPaths,
    scenario: Scenario | None,
    overrides: dict[str, dict[str, str]] | None,
    keep_last: bool,
    book: str | None = None,
    digests: Mapping[Chapter, str] | None = None,
) -> list[Job]:
    """Resolve every chapter's parameters and decide which chapters must run.

    ``keep_last`` makes a chapter of the main book start from the parameters it was last
    run with (recorded under ``_build/last_run``, see :mod:`~planbook.engine.build.lastrun`);
    otherwise, and always for a scenario book, it starts from its defaults. ``book`` is
    the book the results go to: None for the main book (``book/chapters``), else a
    scenario name. ``digests`` are the chapters' dependency digests when the caller has
    them (:func:`~planbook.engine.build.keys.chapter_digests`, once per build). All
    validation happens here, before any kernel starts.
    """
    chapters = list(chapters)
    notebooks = {  # a notebook at all?
        c: read_notebook(paths.notebooks / c.notebook, paths.root) for c in chapters
    }
    if digests is None or any(c not in digests for c in chapters):
        digests = chapter_digests(chapters, paths, notebooks)
    cache = cache_for(paths)
    jobs = []
    for chapter in chapters:
        output = paths.executed(book) / chapter.notebook
        base = last_params(paths, chapter) if keep_last and book is None else {}
        params = resolve(chapter, scenario, overrides, base=base)
        key = fingerprint(chapter, params, paths, digests[chapter])
        if recorded(output).get("key") == key:
            state = UP_TO_DATE
        elif cache.verify(key) is not None:
            state = CACHED
        else:
            state = STALE
        jobs.append(Job(chapter, params, key, output, book, state))
    # What is about to run is checked against the notebook format before any kernel.
    validate_notebooks(
        [paths.notebooks / j.chapter.notebook for j in jobs if j.state == STALE], paths.root
    )
    return jobs


def scenario_jobs(paths: BookPaths, scenarios: list[Scenario]) -> dict[str, list[Job]]:
    """Every chapter under each scenario (its own book), planned."""
    digests = chapter_digests(CHAPTERS, paths) if scenarios else {}
    return {
        s.name: plan_jobs(CHAPTERS, paths, s, None, keep_last=False, book=s.name, digests=digests)
        for s in scenarios
    }


__all__ = [
    "CACHED",
    "STALE",
    "UP_TO_DATE",
    "Job",
    "plan_jobs",
    "scenario_jobs",
    "validate_data",
]
