"""Execute one chapter notebook with papermill and store the result in the cache.

The kernel gets this checkout's ``lib`` and ``data``, one BLAS thread and a fixed hash
seed; its stderr goes to the chapter's log under ``_build/logs/``. A chapter that fails
keeps its notebook under ``_build/failed/`` and reports one line; it never raises.
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
from planbook.engine.build.children import kernel_manager_class
from planbook.errors import FileSystemError
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
def _stderr_to(log: Path) -> Iterator[None]:
    """Send this process's stderr (and so the kernel's, which inherits it) to ``log``.

    The kernel writes start-up noise to stderr; the user sees one line per chapter and
    the log keeps the rest.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    sys.stderr.flush()
    saved = os.dup(2)
    with open(log, "ab") as handle:
        os.dup2(handle.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


@contextlib.contextmanager
def _kernel_environment(root: Path) -> Iterator[None]:
    """Environment the kernels inherit: this checkout's ``lib`` and ``data``, one BLAS
    thread, a fixed hash seed (reproducible set order)."""
    lib = str(root / "lib")
    pythonpath = os.environ.get("PYTHONPATH", "")
    wanted = {
        "PLANBOOK_ROOT": str(root),
        "PYTHONPATH": lib + (os.pathsep + pythonpath if pythonpath else ""),
        "PYTHONHASHSEED": "0",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }
    saved = {k: os.environ.get(k) for k in wanted}
    os.environ.update(wanted)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def skip_slow_imports() -> None:
    """Make importing nbformat/papermill 1.5 s faster.

    ``jsonschema`` imports the optional ``rfc3987_syntax`` at import time, which compiles
    some 40 lark grammars (about 1.5 s) only to check the "iri" string format, which
    no notebook schema uses. Marking it absent skips that.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def one_line(text: object, limit: int = 200) -> str:
    """``text`` on one line (whitespace collapsed), at most ``limit`` characters."""
    return " ".join(str(text).split())[:limit]


_FILESYSTEM_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM})
"""Errors of the file system, not of the chapter: disk full, read-only, no permission."""


def execute_task(task: Task) -> Outcome:
    """Execute one chapter with papermill and store the result in the cache.

    Runs in a worker process (or in-process with one job). Never raises for a chapter
    that fails: the outcome carries the one-line message. A file that cannot be written
    (the cache, the log, the scratch copy: disk full, read-only) gives an outcome with
    exit code 4 naming the path; the cache keeps only whole entries.
    """
    start = time.perf_counter()
    try:
        return _execute(task, start)
    except OSError as exc:
        if exc.filename is None:  # a write that names no file: it went to the cache
            exc.filename = str(cache_for(BookPaths(Path(task.root))).root)
        full = exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS)
        doing = f"chapter {task.number} {task.slug}: cannot {'write' if full else 'use'}"
        error = FileSystemError.from_os_error(
            exc, doing, root=task.root, after="the cache is unchanged"
        )
        return Outcome(task.key, False, time.perf_counter() - start, str(error), 4)


def _execute(task: Task, start: float) -> Outcome:
    skip_slow_imports()
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    root = Path(task.root)
    paths = BookPaths(root)
    cache = cache_for(paths)
    label = f"chapter {task.number} {task.slug}"
    failed = Path(task.failed)
    log = Path(task.log)
    scratch = cache.new_scratch("run")
    tmp = scratch / task.notebook
    log.unlink(missing_ok=True)
    try:
        try:
            with _kernel_environment(root), _stderr_to(log):
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
        except PapermillExecutionError as exc:
            failed.parent.mkdir(parents=True, exist_ok=True)
            if tmp.is_file():
                os.replace(tmp, failed)
            return Outcome(
                task.key,
                False,
                time.perf_counter() - start,
                f"{label} failed in cell {exc.cell_index} (In [{exc.exec_count}]): "
                f"{exc.ename}: {one_line(exc.evalue)}; the failed notebook is kept at "
                f"{display_path(failed, root)}",
            )
        except OSError as exc:
            if exc.errno not in _FILESYSTEM_ERRNOS:
                return _could_not_run(task, label, exc, log, start)
            raise  # disk full or read-only while papermill wrote the notebook
        except Exception as exc:  # kernel died, timeout, ...
            return _could_not_run(task, label, exc, log, start)
        _hide_parameter_cells(nb)
        meta = nb.metadata.get("papermill", {})
        meta["input_path"] = f"notebooks/{task.notebook}"
        meta["output_path"] = f"book/chapters/{task.notebook}"
        nb.metadata["planbook"] = {"chapter": task.slug, "params": task.params, "key": task.key}
        elapsed = time.perf_counter() - start
        data = nbformat.writes(nb).encode("utf-8")
        cache.put(task.key, data, {"chapter": task.slug, "params": task.params, "seconds": elapsed})
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    failed.unlink(missing_ok=True)
    return Outcome(task.key, True, elapsed)


def _could_not_run(task: Task, label: str, exc: Exception, log: Path, start: float) -> Outcome:
    return Outcome(
        task.key,
        False,
        time.perf_counter() - start,
        f"{label} could not run: {type(exc).__name__}: {one_line(exc)}; "
        f"see {display_path(log, Path(task.root))}",
    )


__all__ = [
    "DEFAULT_TIMEOUT",
    "Outcome",
    "Task",
    "execute_task",
    "one_line",
    "skip_slow_imports",
]
