"""Worker processes: run chapters in parallel, one process per core.

Each worker uses one BLAS thread, ignores Ctrl-C (the build decides), writes anything it
prints to ``_build/logs/workers.log`` and dies with the build that started it, even when
that build is killed. A worker that dies while running a chapter takes only that chapter
down: the others are retried.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from planbook.engine.build.children import die_with_parent
from planbook.engine.build.execute import (
    Outcome,
    Task,
    execute_task,
    one_line,
    skip_slow_imports,
)
from planbook.paths import BookPaths, display_path

_EVENTS: Any = None


def default_workers() -> int:
    """One worker per core available to this process."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this worker when the build that started it dies (even by SIGKILL).

    Its kernels are tied to it the same way (see :mod:`~planbook.engine.build.children`).
    """
    die_with_parent(parent)


def _init_worker(events: Any, parent: int, log: str) -> None:
    """Initializer of a worker process: quiet, single-threaded, tied to its parent."""
    global _EVENTS
    _EVENTS = events
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides on Ctrl-C
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    # Anything a worker prints goes to a log, never between the progress lines (a log
    # that cannot be written is no reason to fail: the chapter reports its own errors).
    with contextlib.suppress(OSError):
        Path(log).parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.close(fd)
    skip_slow_imports()
    import papermill  # noqa: F401  (import once, before the first task)


def _worker_task(task: Task) -> Outcome:
    if _EVENTS is not None:
        with contextlib.suppress(Exception):
            _EVENTS.put(("start", task.key, time.time()))
    return execute_task(task)


def _kill_pool(pool: Any) -> None:
    for process in list(getattr(pool, "_processes", {}).values()):
        with contextlib.suppress(Exception):
            process.kill()


def run_in_pool(
    tasks: list[Task],
    workers: int,
    on_start: Callable[[str], None],
    on_done: Callable[[Outcome], None],
    paths: BookPaths,
) -> None:
    """Execute ``tasks`` in ``workers`` processes.

    ``on_start`` gets a task's key when a worker starts it, ``on_done`` its outcome. If a
    worker process dies (killed, out of memory), the pool breaks: the tasks that had not
    started go back in the queue, and each task that was running is retried alone in a
    one-worker pool, so a chapter that kills its worker fails on its own without taking
    the others down.
    """
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    ctx = multiprocessing.get_context("spawn")
    events = ctx.Queue()
    log = str(paths.build / "logs" / "workers.log")
    started: set[str] = set()

    def drain() -> None:
        while True:
            try:
                _, key, _ = events.get_nowait()
            except Exception:
                return
            started.add(key)
            on_start(key)

    def run_batch(batch: list[Task], size: int) -> list[Task]:
        """Run ``batch`` in a pool of ``size``; return the tasks its breaking interrupted."""
        pool = ProcessPoolExecutor(
            max_workers=size,
            mp_context=ctx,
            initializer=_init_worker,
            initargs=(events, os.getpid(), log),
        )
        broken: list[Task] = []
        try:
            futures = {pool.submit(_worker_task, t): t for t in batch}
            pending = set(futures)
            while pending:
                done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                drain()
                for future in done:
                    task = futures[future]
                    try:
                        on_done(future.result())
                    except BrokenProcessPool:
                        broken.append(task)
                    except Exception as exc:
                        message = f"chapter {task.number} {task.slug} could not run: "
                        on_done(Outcome(task.key, False, 0.0, message + one_line(exc)))
        except BaseException:
            _kill_pool(pool)
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
        drain()
        return broken

    try:
        remaining, suspects = list(tasks), []
        while remaining:
            broken = run_batch(remaining, min(workers, len(remaining)))
            running = [t for t in broken if t.key in started] or broken
            suspects += running
            remaining = [t for t in broken if t not in running]
        for task in suspects:
            if run_batch([task], 1):
                on_done(
                    Outcome(
                        task.key,
                        False,
                        0.0,
                        f"chapter {task.number} {task.slug} could not run: its worker process "
                        f"died while running it, twice; see "
                        f"{display_path(Path(task.log), paths.root)}",
                    )
                )
    finally:
        events.close()
        events.join_thread()


__all__ = ["default_workers", "run_in_pool"]
