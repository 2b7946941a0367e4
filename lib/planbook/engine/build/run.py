"""Run the jobs of a plan: what the cache lacks executes, in parallel, longest first.

Jobs with the same key (the same chapter and parameters in two books) run once. A chapter
that fails does not stop the others: they finish and are cached, and the result names
every failure.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from planbook.engine.build import warm
from planbook.engine.build.cache import cache_for
from planbook.engine.build.execute import (
    DEFAULT_TIMEOUT,
    Outcome,
    Task,
    execute_task,
    kernel_variables,
)
from planbook.engine.build.executors import ExecutorSpec
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


@contextlib.contextmanager
def warm_kernels(paths: BookPaths) -> Iterator[None]:
    """Run the enclosed chapters with kernels forked from a warm server (if enabled).

    The server starts with the kernels' environment and imports while the workers start;
    the kernel managers find it through ``PLANBOOK_WARM_SOCKET``. It is stopped, and its
    kernels with it, when the block ends.
    """
    if not warm.enabled():
        yield
        return
    env = {**os.environ, **kernel_variables(paths.root)}
    for name in (warm.SOCKET_ENV, "PLANBOOK_READS_LOG"):  # per kernel, never the server's
        env.pop(name, None)
    server = warm.start_server(env, paths.build / "logs" / "warm-server.log")
    saved = os.environ.get(warm.SOCKET_ENV)
    os.environ[warm.SOCKET_ENV] = str(server.socket)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(warm.SOCKET_ENV, None)
        else:
            os.environ[warm.SOCKET_ENV] = saved
        server.stop()


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
        data=job.chapter.data,
    )


def run_jobs(
    jobs: list[Job],
    paths: BookPaths,
    timeout: int = DEFAULT_TIMEOUT,
    force: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
    executor: ExecutorSpec | None = None,
) -> RunResult:
    """Execute the jobs whose result is not cached (all of them with ``force``).

    Jobs with the same key (the same chapter and parameters in two books) run once.
    The longest chapters (by their last run time) start first. Returns the jobs run
    and the failures; every successful execution is in the cache when this returns.
    ``executor`` says where they execute (default: local worker processes).
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

    execute_tasks(tasks, paths, workers, on_start, on_done, executor)
    _save_timings(paths, timings)
    return result


def execute_tasks(
    tasks: list[Task],
    paths: BookPaths,
    workers: int | None,
    on_start: Callable[[str], None],
    on_done: Callable[[Outcome], None],
    executor: ExecutorSpec | None = None,
) -> None:
    """Execute ``tasks``: the one place every execution goes through (build, run, sweep).

    On this machine (the default): in this process with one worker, else in a pool of
    ``workers`` processes (default: one per core). With a Dask ``executor``: on its
    cluster (:mod:`.dask_executor`, imported only then). ``on_start`` gets a task's key
    when it starts, ``on_done`` its outcome once the result is stored.
    """
    workers = min(workers or default_workers(), len(tasks))
    if not tasks:
        return
    if executor is not None and executor.dask:
        from planbook.engine.build.dask_executor import run_on_dask

        run_on_dask(tasks, executor, workers, paths.root, on_start, on_done)
        return
    with warm_kernels(paths):
        if workers <= 1:
            for task in tasks:
                on_start(task.key)
                on_done(execute_task(task))
        else:
            run_in_pool(tasks, workers, on_start, on_done, paths)


__all__ = ["RunResult", "execute_tasks", "run_jobs"]
