"""Execute one chapter notebook with papermill, then keep the result.

Executing (:func:`run_notebook`) keeps nothing: it returns the executed notebook's bytes
or the failure, so it can run on another machine (a Dask worker, see
:mod:`.dask_executor`). Keeping (:func:`store`) happens on this machine: the executed
notebook goes into the cache, a failed one under ``_build/failed/``. :func:`execute_task`
does both, in a local worker process.

The kernel gets the book's ``lib`` and ``data``, one BLAS thread and a fixed hash seed;
its stderr goes to the chapter's log under ``_build/logs/``. A chapter that fails reports
one line; it never raises.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planbook.engine.build.cache import cache_for
from planbook.engine.build.files import atomic_write_bytes, atomic_write_text
from planbook.engine.build.reads_check import check_reads, reads_logged
from planbook.engine.build.startup import skip_slow_imports
from planbook.engine.build.warm import kernel_manager_class
from planbook.errors import FileSystemError
from planbook.memo import MEMO_ENV
from planbook.paths import BookPaths, display_path

DEFAULT_TIMEOUT = 600
"""Seconds a single cell may run before the chapter is stopped."""


@dataclass(frozen=True)
class Task:
    """What a worker process needs to execute one chapter (plain, picklable values)."""

    key: str
    slug: str
    number: int
    notebook: str
    params: dict[str, Any]
    root: str
    log: str
    failed: str
    timeout: int
    data: tuple[str, ...] = ()  # what the chapter declares it reads (checked after the run)


@dataclass(frozen=True)
class Outcome:
    """The result of one execution: stored in the cache (ok) or failed (message).

    ``exit_code`` is that of the failure: 1 for a chapter that raised or could not run,
    4 (:class:`~planbook.errors.FileSystemError`) when a file could not be written.
    """

    key: str
    ok: bool
    elapsed: float
    message: str = ""
    exit_code: int = 1


def _hide_parameter_cells(nb: Any) -> None:
    """Tag the parameters and injected-parameters cells ``remove-cell`` (TOOLCHAIN 6)."""
    for cell in nb.cells:
        tags = cell.setdefault("metadata", {}).setdefault("tags", [])
        if ("parameters" in tags or "injected-parameters" in tags) and "remove-cell" not in tags:
            tags.append("remove-cell")


@contextlib.contextmanager
def stream_to(fd: int, log: Path) -> Iterator[None]:
    """Send this process's file descriptor ``fd`` (1 or 2; and so a kernel's, which
    inherits it) to the end of ``log`` for the block, then restore it.

    The kernel writes start-up noise to stderr; the user sees one line per chapter and
    the log keeps the rest. A Dask worker's stdout may be the user's terminal.
    """
    stream = sys.stdout if fd == 1 else sys.stderr
    log.parent.mkdir(parents=True, exist_ok=True)
    stream.flush()
    saved = os.dup(fd)
    with open(log, "ab") as handle:
        os.dup2(handle.fileno(), fd)
        try:
            yield
        finally:
            stream.flush()
            os.dup2(saved, fd)
            os.close(saved)


def kernel_variables(root: Path) -> dict[str, str]:
    """What the kernels' environment sets: this checkout's ``lib`` and ``data``, the memo
    of slow computations in its cache (:mod:`planbook.memo`), one BLAS thread, a fixed
    hash seed (reproducible set order). The warm server starts with them."""
    lib = str(root / "lib")
    pythonpath = os.environ.get("PYTHONPATH", "")
    if pythonpath.split(os.pathsep)[0] == lib:  # already set for this book
        pythonpath = os.pathsep.join(pythonpath.split(os.pathsep)[1:])
    return {
        "PLANBOOK_ROOT": str(root),
        MEMO_ENV: str(BookPaths(root).memo),
        "PYTHONPATH": lib + (os.pathsep + pythonpath if pythonpath else ""),
        "PYTHONHASHSEED": "0",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }


@contextlib.contextmanager
def environment(variables: dict[str, str]) -> Iterator[None]:
    """Set ``variables`` in this process's environment for the block, then restore them."""
    saved = {k: os.environ.get(k) for k in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _kernel_environment(root: Path) -> contextlib.AbstractContextManager[None]:
    """Set :func:`kernel_variables` for the kernels this process starts, then restore."""
    return environment(kernel_variables(root))


def one_line(text: object, limit: int = 200) -> str:
    """``text`` on one line (whitespace collapsed), at most ``limit`` characters."""
    return " ".join(str(text).split())[:limit]


_FILESYSTEM_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM})
"""Errors of the file system, not of the chapter: disk full, read-only, no permission."""


@dataclass(frozen=True)
class Executed:
    """What one execution produced, before anything is kept (it may have run on another
    machine, see :mod:`.dask_executor`).

    ``notebook`` is the executed notebook (ok) or, when a cell raised, the notebook as far
    as it ran. ``kept`` says what a failure's message will point to once :func:`store`
    has kept it: ``"notebook"`` (the failed notebook), ``"log"`` (the kernel's log) or
    ``""``. ``log`` is the kernel's stderr when it was written away from the task's log
    (a Dask worker); None when it went to the task's log directly.
    """

    key: str
    ok: bool
    elapsed: float
    notebook: bytes = b""
    message: str = ""
    kept: str = ""
    log: str | None = None


KERNEL_STARTS = 2
"""Tries to start a chapter's kernel: a kernel that dies before its first reply (two
kernels that picked the same free TCP port at once) is started again; no cell has run."""


def kernel_did_not_start(exc: BaseException) -> bool:
    """Whether ``exc`` is nbclient's report of a kernel that died or never answered
    before the first cell ran."""
    text = str(exc)
    return "before replying to kernel_info" in text or "Kernel didn't respond" in text


def run_notebook(task: Task, root: Path, scratch: Path, log: Path) -> Executed:
    """Execute ``task``'s notebook in the book at ``root`` with papermill; keep nothing.

    The one papermill call of the build: on this machine (:func:`execute_task`) and on a
    Dask worker's copy of the book alike. ``scratch`` is a private folder (papermill's
    output, the reads log), ``log`` gets the kernel's stderr. Never raises for a chapter
    that fails (the result carries the one-line message); raises ``OSError`` when the
    file system fails (disk full, read-only).
    """
    skip_slow_imports()
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    start = time.perf_counter()
    paths = BookPaths(root)
    label = f"chapter {task.number} {task.slug}"
    tmp = scratch / task.notebook
    log.unlink(missing_ok=True)

    def failure(message: str, kept: str = "") -> Executed:
        data = tmp.read_bytes() if kept == "notebook" and tmp.is_file() else b""
        return Executed(task.key, False, time.perf_counter() - start, data, message, kept)

    try:
        reads = reads_logged(scratch / "reads.log")
        with _kernel_environment(root), reads as reads_log, stream_to(2, log):
            for attempt in range(1, KERNEL_STARTS + 1):
                try:
                    nb = papermill.execute_notebook(
                        str(paths.notebooks / task.notebook),
                        str(tmp),
                        parameters=task.params,
                        kernel_name="python3",
                        execution_timeout=task.timeout,
                        progress_bar=False,
                        request_save_on_cell_execute=False,
                        cwd=str(paths.notebooks),
                        kernel_manager_class=kernel_manager_class(),
                    )
                    break
                except RuntimeError as exc:
                    if attempt == KERNEL_STARTS or not kernel_did_not_start(exc):
                        raise
    except PapermillExecutionError as exc:
        return failure(
            f"{label} failed in cell {exc.cell_index} (In [{exc.exec_count}]): "
            f"{exc.ename}: {one_line(exc.evalue)}",
            "notebook",
        )
    except OSError as exc:
        if exc.errno not in _FILESYSTEM_ERRNOS:
            return failure(_could_not_run(label, exc), "log")
        raise  # disk full or read-only while papermill wrote the notebook
    except Exception as exc:  # kernel died, timeout, ...
        return failure(_could_not_run(label, exc), "log")
    problem = check_reads(reads_log, task.number, task.slug, task.data)
    if problem:
        return failure(problem)
    _hide_parameter_cells(nb)
    meta = nb.metadata.get("papermill", {})
    meta["input_path"] = f"notebooks/{task.notebook}"
    meta["output_path"] = f"book/chapters/{task.notebook}"
    nb.metadata["planbook"] = {"chapter": task.slug, "params": task.params, "key": task.key}
    elapsed = time.perf_counter() - start
    return Executed(task.key, True, elapsed, nbformat.writes(nb).encode("utf-8"))


def store(task: Task, executed: Executed) -> Outcome:
    """Keep what an execution produced, on this machine: the executed notebook in the
    cache, or the failed notebook under ``_build/failed`` (the message then points to
    it); the kernel's log when it was written elsewhere. Raises ``OSError`` when a file
    cannot be written (see :func:`store_outcome`)."""
    root = Path(task.root)
    failed, log = Path(task.failed), Path(task.log)
    if executed.log is not None:
        atomic_write_text(log, executed.log)
    if executed.ok:
        meta = {"chapter": task.slug, "params": task.params, "seconds": executed.elapsed}
        cache_for(BookPaths(root)).put(task.key, executed.notebook, meta)
        failed.unlink(missing_ok=True)
        return Outcome(task.key, True, executed.elapsed)
    message = executed.message
    if executed.kept == "notebook" and executed.notebook:
        atomic_write_bytes(failed, executed.notebook)
        message += f"; the failed notebook is kept at {display_path(failed, root)}"
    elif executed.kept == "log":
        message += f"; see {display_path(log, root)}"
    return Outcome(task.key, False, executed.elapsed, message)


def _file_failure(task: Task, exc: OSError, elapsed: float) -> Outcome:
    """A file that could not be written, as an outcome of exit code 4 naming the path."""
    if exc.filename is None:  # a write that names no file: it went to the cache
        exc.filename = str(cache_for(BookPaths(Path(task.root))).root)
    full = exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS)
    doing = f"chapter {task.number} {task.slug}: cannot {'write' if full else 'use'}"
    error = FileSystemError.from_os_error(
        exc, doing, root=task.root, after="the cache is unchanged"
    )
    return Outcome(task.key, False, elapsed, str(error), 4)


def store_outcome(task: Task, executed: Executed) -> Outcome:
    """:func:`store`, a file that cannot be written becoming an outcome of exit code 4."""
    try:
        return store(task, executed)
    except OSError as exc:
        return _file_failure(task, exc, executed.elapsed)


def execute_task(task: Task) -> Outcome:
    """Execute one chapter with papermill and store the result in the cache.

    Runs in a worker process (or in-process with one job). Never raises for a chapter
    that fails: the outcome carries the one-line message. A file that cannot be written
    (the cache, the log, the scratch copy: disk full, read-only) gives an outcome with
    exit code 4 naming the path; the cache keeps only whole entries.
    """
    start = time.perf_counter()
    try:
        root = Path(task.root)
        scratch = cache_for(BookPaths(root)).new_scratch("run")
        try:
            executed = run_notebook(task, root, scratch, Path(task.log))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return store(task, executed)
    except OSError as exc:
        return _file_failure(task, exc, time.perf_counter() - start)


def _could_not_run(label: str, exc: Exception) -> str:
    return f"{label} could not run: {type(exc).__name__}: {one_line(exc)}"


__all__ = [
    "DEFAULT_TIMEOUT",
    "environment",
    "Executed",
    "Outcome",
    "Task",
    "execute_task",
    "kernel_did_not_start",
    "kernel_variables",
    "stream_to",
    "one_line",
    "run_notebook",
    "skip_slow_imports",
    "store",
    "store_outcome",
]
