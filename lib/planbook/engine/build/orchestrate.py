"""Bring a whole book up to date: plan, run what the cache lacks, fill the book, build the site.

The order is always: validate everything, execute what is missing from the cache, fill
the book from the cache, build the site. A failure at any step leaves the last good
executed pages and the last good site in place.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from planbook.engine.build.books import check_books, materialize, prune_cache
from planbook.engine.build.execute import DEFAULT_TIMEOUT
from planbook.engine.build.executors import ExecutorSpec
from planbook.engine.build.files import check_writable
from planbook.engine.build.lastrun import describe_kept, kept_parameters
from planbook.engine.build.plan import STALE, UP_TO_DATE, plan_jobs
from planbook.engine.build.progress import Progress, Report, quiet
from planbook.engine.build.run import run_jobs
from planbook.engine.build.site import Extras, SiteBuilder, build_site
from planbook.engine.params import Scenario
from planbook.engine.registry import CHAPTERS
from planbook.paths import BookPaths


def build_book(
    paths: BookPaths,
    scenario: Scenario | None,
    overrides: dict[str, dict[str, str]] | None = None,
    *,
    force: bool = False,
    workers: int | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    progress: Progress | None = None,
    report: Report = quiet,
    site: bool = True,
    executor: ExecutorSpec | None = None,
    extras: Extras | None = None,
) -> Path | None:
    """Bring a whole book up to date: run what the cache lacks, fill the book, build the
    site. The main book (``scenario`` None) keeps each chapter's last parameters, and
    says in one line which chapters keep values that are not the defaults. ``executor``
    says where chapters execute (default: local worker processes); ``extras`` are pages
    and files the site publishes beside the book (the scenario books, see
    :mod:`.scenario_books`).

    Raises :class:`ExecutionError` naming every failed chapter (after the others have
    finished and been cached); the book's pages and site are then left as they were.
    """
    name = scenario.name if scenario else None
    jobs = plan_jobs(CHAPTERS, paths, scenario, overrides, keep_last=name is None, book=name)
    # The pages the site is built from must be the executions the cache vouches for.
    if not force:
        jobs = check_books(jobs, paths, report)
    if force or any(j.state != UP_TO_DATE for j in jobs):  # refuse before any kernel
        folders = [paths.build / "cache", paths.executed(name), paths.site(name), paths.work(name)]
        check_writable(folders if site else folders[:2], paths.root)
    if name is None:
        kept = kept_parameters(CHAPTERS, paths, overrides)
        if kept:
            report(describe_kept(kept))
    # When chapters must run, start Sphinx's imports alongside them.
    stale = force or any(j.state == STALE for j in jobs)
    builder = None
    try:
        builder = SiteBuilder() if site and stale else None
        result = run_jobs(jobs, paths, timeout, force, workers, progress, executor=executor)
        if not result.ok:
            raise result.error()
        materialize(jobs, paths, force=force)
        out = (
            build_site(paths, name, force=force, report=report, builder=builder, extras=extras)
            if site
            else None
        )
    finally:
        if builder is not None:
            builder.close()
    if result.ran:
        with contextlib.suppress(OSError):
            prune_cache(paths)
    return out


__all__ = ["build_book"]
