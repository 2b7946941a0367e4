"""The executed books: filled from the cache, and the cache pruned around them.

The main book is ``book/chapters/``; a scenario's book is ``_build/scenarios/NAME/chapters``.
A book's notebook is copied from the cache atomically, and only once every chapter of the
run succeeded, so a failure leaves the last good pages in place. Filling the main book
also records each chapter's parameters under ``_build/last_run``.

A book's notebooks are checked before they are used: each must have the checksum of its
execution in the cache (or, when the cache no longer holds it, the checksum recorded in
the book's ``.checksums.json`` when it was filled). A notebook edited by hand, truncated
or deleted is put back from the cache, or run again when the cache lacks it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from planbook.engine.build.cache import (
    DEFAULT_MAX_BYTES,
    FORMAT,
    MANIFEST,
    Cache,
    cache_for,
    sha256_bytes,
)
from planbook.engine.build.files import atomic_write_all, atomic_write_text, file_errors
from planbook.engine.build.keys import recorded
from planbook.engine.build.lastrun import record_last_run
from planbook.engine.build.manifest import file_sha256
from planbook.engine.build.plan import CACHED, STALE, UP_TO_DATE, Job
from planbook.engine.build.progress import Report, quiet
from planbook.errors import ExecutionError
from planbook.paths import BookPaths, display_path

CHECKSUMS = ".checksums.json"
"""The record, in each book's folder, of the key, size and sha256 of every notebook
written into it: what a notebook is checked against when the cache lacks its execution."""


def _checksums_file(job: Job) -> Path:
    return job.output.parent / CHECKSUMS


def _read_checksums(path: Path) -> dict[str, dict[str, Any]]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(doc, dict):
        return {}
    return {k: v for k, v in doc.items() if isinstance(v, dict)}


def _expected_sha(job: Job, cache: Cache, records: dict[str, dict[str, Any]]) -> str | None:
    """The sha256 ``job.output`` must have: its cache entry's, else the book's record of
    the same key; None when neither knows it."""
    with contextlib.suppress(OSError, ValueError):  # the manifest is enough: get() checks
        manifest = json.loads((cache.folder(job.key) / MANIFEST).read_text(encoding="utf-8"))
        if not isinstance(manifest, dict):
            manifest = {}
        sha = manifest.get("sha256")
        if manifest.get("format") == FORMAT and manifest.get("key") == job.key and sha:
            return str(sha)
    record = records.get(job.output.name, {})
    sha = record.get("sha256") if record.get("key") == job.key else None
    return sha if isinstance(sha, str) else None


def _sha_or_none(path: Path) -> str | None:
    try:
        return file_sha256(path)
    except OSError:
        return None


def check_books(jobs: Iterable[Job], paths: BookPaths, report: Report = quiet) -> list[Job]:
    """Check every executed notebook a book holds against the checksum of its execution.

    A job the book holds (:data:`UP_TO_DATE`) whose notebook differs (a hand edit, a
    truncation, a disk error) becomes :data:`CACHED`, so :func:`materialize` puts the
    cached execution back, or :data:`STALE` (it runs again) when the cache lacks it or
    no checksum is known. A notebook that is gone or unreadable is named too (the plan
    already restores or runs it). Says so in one line per chapter; returns the jobs.
    """
    cache = cache_for(paths)
    records: dict[Path, dict[str, dict[str, Any]]] = {}
    checked = []
    for job in jobs:
        file = _checksums_file(job)
        if file not in records:
            records[file] = _read_checksums(file)
        book = records[file]
        name = f"chapter {job.chapter.number} {job.chapter.slug}"
        shown = display_path(job.output, paths.root)
        if job.state == UP_TO_DATE:
            expected = _expected_sha(job, cache, book)
            if expected is not None and _sha_or_none(job.output) == expected:
                checked.append(job)
                continue
            job = dataclasses.replace(
                job, state=CACHED if cache.verify(job.key) is not None else STALE
            )
            if expected is None:
                why = "cannot be checked (no checksum of its execution is left)"
            else:
                why = "differs from its execution (edited or damaged)"
        elif not job.output.exists() and job.output.name in book:
            why = "is missing"
        elif job.output.exists() and not recorded(job.output):
            why = "is not a readable executed notebook"
        else:
            why = ""
        if why:
            action = (
                "putting its cached execution back"
                if job.state == CACHED
                else "running it again (the cache does not hold its execution)"
            )
            report(f"{name}: {shown} {why}; {action}")
        checked.append(job)
    return checked


def _record_checksums(held: list[tuple[Job, str, int]]) -> None:
    """Add (or update) each job's notebook in its book's record; write only what changed."""
    by_file: dict[Path, list[tuple[Job, str, int]]] = {}
    for item in held:
        by_file.setdefault(_checksums_file(item[0]), []).append(item)
    for file, items in by_file.items():
        doc = _read_checksums(file)
        new = dict(doc)
        for job, sha, size in items:
            new[job.output.name] = {"key": job.key, "sha256": sha, "size": size}
        if new != doc:
            atomic_write_text(file, json.dumps(new, indent=1, sort_keys=True) + "\n")


def materialize(jobs: Iterable[Job], paths: BookPaths, force: bool = False) -> list[Job]:
    """Copy each job's executed notebook from the cache into its book (atomically).

    A book file that already holds the job's execution, byte for byte (its checksum is
    the cache's, or the book's record of it), is left alone (unless ``force``); one that
    differs is written again. A file that cannot be checked (neither the cache nor the
    record knows its execution) is left alone: :func:`check_books` decides about those
    before anything runs. For the main book, the parameters each chapter now holds are
    recorded (see :mod:`~planbook.engine.build.lastrun`). Returns the jobs whose file
    was written.
    """
    cache = cache_for(paths)
    jobs = list(jobs)
    records = {f: _read_checksums(f) for f in {_checksums_file(job) for job in jobs}}
    written: list[tuple[Job, bytes]] = []
    held: list[tuple[Job, str, int]] = []
    for job in jobs:
        if not force and recorded(job.output).get("key") == job.key:
            expected = _expected_sha(job, cache, records[_checksums_file(job)])
            if expected is None:
                continue
            if _sha_or_none(job.output) == expected:
                held.append((job, expected, job.output.stat().st_size))
                continue
        entry = cache.get(job.key)
        if entry is None:
            raise ExecutionError(
                f"chapter {job.chapter.number} {job.chapter.slug}: its executed notebook is "
                f"missing from the cache; run the command again"
            )
        data = entry.notebook.read_bytes()
        written.append((job, data))
        held.append((job, sha256_bytes(data), len(data)))
    # All or none: a full disk or a read-only folder leaves every page as it was.
    with file_errors("cannot write the executed chapters", paths.root, "the book is unchanged"):
        atomic_write_all((job.output, data) for job, data in written)
    with contextlib.suppress(OSError):  # without it, only the cache can vouch for a page
        _record_checksums(held)
    for job in jobs:
        with contextlib.suppress(OSError):
            (paths.failed(job.book) / job.chapter.notebook).unlink(missing_ok=True)
        if job.book is None:
            done = "the executed chapters are in place; rerun to record their parameters"
            with file_errors("cannot record the parameters run", paths.root, done):
                record_last_run(paths, job.chapter, job.params, job.key)
    return [job for job, _ in written]


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


__all__ = ["CHECKSUMS", "check_books", "materialize", "prune_cache", "referenced_keys"]
