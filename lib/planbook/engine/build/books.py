"""The executed books: filled from the cache, and the cache pruned around them.

The main book is ``book/chapters/``; a scenario's book is ``_build/scenarios/NAME/chapters``.
A book's notebook is copied from the cache atomically, and only once every chapter of the
run succeeded, so a failure leaves the last good pages in place. Filling the main book
also records each chapter's parameters under ``_build/last_run``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from planbook.engine.build.cache import DEFAULT_MAX_BYTES, cache_for
from planbook.engine.build.files import atomic_write_bytes
from planbook.engine.build.keys import recorded
from planbook.engine.build.lastrun import record_last_run
from planbook.engine.build.plan import Job
from planbook.errors import ExecutionError
from planbook.paths import BookPaths


def materialize(jobs: Iterable[Job], paths: BookPaths, force: bool = False) -> list[Job]:
    """Copy each job's executed notebook from the cache into its book (atomically).

    A book file that already holds the job's execution is left alone (unless
    ``force``). For the main book, the parameters each chapter now holds are recorded
    (see :mod:`~planbook.engine.build.lastrun`). Returns the jobs whose file was written.
    """
    cache = cache_for(paths)
    jobs = list(jobs)
    written = []
    for job in jobs:
        if not force and recorded(job.output).get("key") == job.key:
            continue
        entry = cache.get(job.key)
        if entry is None:
            raise ExecutionError(
                f"chapter {job.chapter.number} {job.chapter.slug}: its executed notebook is "
                f"missing from the cache; run the command again"
            )
        atomic_write_bytes(job.output, entry.notebook.read_bytes())
        written.append(job)
    for job in jobs:
        (paths.failed(job.book) / job.chapter.notebook).unlink(missing_ok=True)
        if job.book is None:
            record_last_run(paths, job.chapter, job.params, job.key)
    return written


def referenced_keys(paths: BookPaths) -> set[str]:
    """Keys of the executions the main book and the scenario books hold now."""
    keys = set()
    folders = [paths.executed(None)]
    scenarios = paths.build / "scenarios"
    if scenarios.is_dir():
        folders += [p / "chapters" for p in scenarios.iterdir() if p.is_dir()]
    for folder in folders:
        for nb in folder.glob("*.ipynb") if folder.is_dir() else []:
            key = recorded(nb).get("key")
            if isinstance(key, str):
                keys.add(key)
    return keys


def prune_cache(paths: BookPaths, max_bytes: int | None = None) -> tuple[int, int]:
    """Keep the cache under ``max_bytes`` (default ``PLANBOOK_CACHE_MAX_MB`` or 2 GiB),
    evicting the least recently used entries no book holds now."""
    if max_bytes is None:
        env = os.environ.get("PLANBOOK_CACHE_MAX_MB", "")
        max_bytes = int(float(env) * 1024**2) if env.strip() else DEFAULT_MAX_BYTES
    return cache_for(paths).prune(keep=referenced_keys(paths), max_bytes=max_bytes)


__all__ = ["materialize", "prune_cache", "referenced_keys"]
