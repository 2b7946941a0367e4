"""Run the jobs of a plan: what the cache lacks executes, in parallel, longest first.

Jobs with the same key (the same chapter and parameters in two books) run once. A chapter
that fails does not stop the others: they finish and are cached, and the result names
every failure.
"""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from planbook.engine.build.cache import cache_for
from planbook.engine.build.execute import DEFAULT_TIMEOUT, Outcome, Task, execute_task
from planbook.engine.build.files import atomic_write_text
from planbook.engine.build.plan import CACHED, UP_TO_DATE, Job
from planbook.engine.build.pool import default_workers, run_in_pool
from planbook.engine.build.progress import Progress
from planbook.engine.build.sources import validate_notebooks
from planbook.errors import ExecutionError, FileSystemError
from planbook.paths import BookPaths


@dataclass
class RunResult:
    """What :func:`run_jobs` did: the jobs executed and the failures (job, message)."""

    ran: list[Job] = field(default_factory=list)
    failed: list[tuple[Job, str]] = field(default_factory=list)
    codes: set[int] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.failed

    def error(self) -> ExecutionError | FileSystemError:
        """One line naming every failed chapter (exit code 4 when only files failed)."""
        messages = [message for _, message in self.failed]
        if len(messages) == 1:
            text = messages[0]
        else:
            names = ", ".join(f"{j.chapter.number} {j.chapter.slug}" for j, _ in self.failed)
            tails = {message.split(": ", 1)[-1] for message in messages}
            said = tails.pop() if len(tails) == 1 else "; ".join(messages)  # said once
            text = f"{len(messages)} chapters failed ({names}): {said}"
        kind = FileSystemError if self.codes == {FileSystemError.exit_code} else ExecutionError
        return kind(
            f"{text}; the other chapters finished and are cached; "
            f"the last good pages and site are unchanged"
        )


def _timings_file(paths: BookPaths) -> Path:
    return paths.build / "cache" / "timings.json"


def _load_timings(paths: BookPaths) -> dict[str, float]:
    try:
        data = json.loads(_timings_file(paths).read_text(encoding="utf-8"))
        return {str(k): float(v) for k, v in data.items()}
    except (OSError, ValueError, AttributeError, TypeError):
        return {}


def _save_timings(paths: BookPaths, timings: dict[str, float]) -> None:
    with contextlib.suppress(OSError):
        atomic_write_text(_timings_file(paths), json.dumps(timings, indent=1, sort_keys=True))


def _task_for(job: Job, paths: BookPaths, timeout: int) -> Task:
    return Task(
        key=job.key,
        slug=job.chapter.slug,
        number=job.chapter.number,
        notebook=job.chapter.notebook,
        params=job.params.model_dump(mode="json"),
        root=str(paths.root),
        log=str(paths.logs(job.book) / f"{job.chapter.stem}.log"),
        failed=str(paths.failed(job.book) / job.chapter.notebook),
        timeout=timeout,
    )


def run_jobs(
    jobs: list[Job],
    paths: BookPaths,
    timeout: int = DEFAULT_TIMEOUT,
    force: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Execute the jobs whose result is not cached (all of them with ``force``).

    Jobs with the same key (the same chapter and parameters in two books) run once.
    The longest chapters (by their last run time) start first. Returns the jobs run
    and the failures; every successful execution is in the cache when this returns.
    """
    progress = progress or Progress()
    cache = cache_for(paths)
    cache.clean_scratch()
    books = len({j.book for j in jobs}) > 1
    todo: list[Job] = []
    for job in jobs:
        if not force and job.state == UP_TO_DATE:
            progress.line(job, UP_TO_DATE, books)
        elif not force and job.state == CACHED and cache.get(job.key) is not None:
            progress.line(job, CACHED, books)
        else:
            todo.append(job)
    by_key: dict[str, list[Job]] = {}
    for job in todo:
        by_key.setdefault(job.key, []).append(job)
    result = RunResult()
    if not by_key:
        return result
    # What is about to run is checked against the notebook format before any kernel.
    validate_notebooks({paths.notebooks / j.chapter.notebook for j in todo}, paths.root)
    timings = _load_timings(paths)
    tasks = [_task_for(group[0], paths, timeout) for group in by_key.values()]
    tasks.sort(key=lambda t: -timings.get(t.slug, 0.0))
    names = {
        t.key: f"{t.slug}" + (f" [{by_key[t.key][0].book or 'main'}]" if books else "")
        for t in tasks
    }

    started: set[str] = set()

    def on_start(key: str) -> None:
        if key in started:
            return
        started.add(key)
        progress.running[key] = time.perf_counter()
        for job in by_key[key]:
            progress.line(job, "running ...", books)
        progress.update(names)

    def on_done(outcome: Outcome) -> None:
        on_start(outcome.key)
        progress.running.pop(outcome.key, None)
        group = by_key[outcome.key]
        if outcome.ok:
            timings[group[0].chapter.slug] = round(outcome.elapsed, 2)
            for job in group:
                progress.line(job, f"done in {outcome.elapsed:.1f} s", books)
                result.ran.append(job)
        else:
            for job in group:
                progress.line(job, f"FAILED after {outcome.elapsed:.1f} s", books)
                result.failed.append((job, outcome.message))
                result.codes.add(outcome.exit_code)
        progress.update(names)

    workers = min(workers or default_workers(), len(tasks))
    if workers <= 1:
        for task in tasks:
            on_start(task.key)
            on_done(execute_task(task))
    else:
        run_in_pool(tasks, workers, on_start, on_done, paths)
    _save_timings(paths, timings)
    return result


__all__ = ["RunResult", "run_jobs"]
