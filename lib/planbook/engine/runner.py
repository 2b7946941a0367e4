"""Execute chapter notebooks with papermill and build the site with Jupyter Book.

The order is always: validate everything, execute what is missing from the cache, fill
the book from the cache, build the site. A failure at any step leaves the last good
executed pages and the last good site in place.

- Validation (chapters, parameters, scenario files, data files) happens before any
  kernel starts; bad input raises :class:`~planbook.errors.InputError`.
- Every execution has a key (:func:`fingerprint`): a sha256 of the notebook's source,
  the chapter's resolved parameters and everything under ``lib/planbook``, ``data/``,
  ``scenarios/*.yml`` and ``requirements.lock``. Executed notebooks are stored in a
  content-addressed cache (:mod:`planbook.engine.cache`) under that key; a chapter runs only
  when its key is not in the cache, so switching parameters back and forth costs
  nothing and a changed function in ``lib/`` re-executes every chapter (never stale).
- Stale chapters run in parallel, one worker process per core (``--jobs``). Each
  worker uses one BLAS thread and sends its kernels' stderr to the chapter's log under
  ``_build/logs/``. A chapter that fails does not stop the others: they finish and are
  cached; the failed notebook is kept under ``_build/failed/``.
- The main book (``book/chapters/``) and the scenario books are copied from the cache
  only when every chapter succeeded, then the site is built in a staging folder and
  swapped into place only when Sphinx succeeds with warnings treated as errors.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planbook.engine.cache import DEFAULT_MAX_BYTES, Cache
from planbook.engine.params import ChapterParams, Scenario, resolve, validate_params
from planbook.engine.registry import CHAPTERS, Chapter
from planbook.errors import ExecutionError, InputError, PlanbookError
from planbook.paths import BookPaths, display_path

DEFAULT_TIMEOUT = 600
"""Seconds a single cell may run before the chapter is stopped."""

KEY_VERSION = 2
"""Bump when the recipe of :func:`fingerprint` changes: every key changes with it."""

UP_TO_DATE = "up to date"
CACHED = "from cache"
STALE = "stale"

Report = Callable[[str], None]


def _quiet(message: str) -> None:
    """A report function that says nothing."""


def default_workers() -> int:
    """One worker per core available to this process."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def cache_for(paths: BookPaths) -> Cache:
    """The execution cache of a checkout."""
    return Cache(paths.build / "cache")


# --------------------------------------------------------------------------- fingerprints

_SKIP_PARTS = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".mypy_cache"}


def _hash_files(files: Iterable[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(set(files)):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _tree_files(folder: Path, patterns: tuple[str, ...] = ("*",)) -> list[Path]:
    files: set[Path] = set()
    if not folder.is_dir():
        return []
    for pattern in patterns:
        files.update(
            p
            for p in folder.rglob(pattern)
            if p.is_file() and not _SKIP_PARTS.intersection(p.parts) and p.suffix != ".pyc"
        )
    return sorted(files)


def dependency_files(paths: BookPaths) -> list[Path]:
    """Every file besides its own notebook that a chapter's execution may depend on.

    All of ``lib/planbook`` (every module and subpackage; a chapter imports the library,
    which may import any of it), all of ``data/``, the scenario files (a chapter may
    read all of them, e.g. to tabulate the scenarios) and the lock file of the
    dependencies.
    """
    files = _tree_files(paths.lib) + _tree_files(paths.data)
    files += sorted(paths.scenarios.glob("*.yml")) if paths.scenarios.is_dir() else []
    lock = paths.root / "requirements.lock"
    if lock.is_file():
        files.append(lock)
    return files


def environment_digest(paths: BookPaths) -> str:
    """Hash of everything a chapter depends on besides its own notebook and parameters."""
    digest = hashlib.sha256(_hash_files(dependency_files(paths), paths.root).encode())
    digest.update(f"python {sys.version_info[0]}.{sys.version_info[1]}".encode())
    return digest.hexdigest()


_VOLATILE_CELL_META = {"execution", "collapsed", "scrolled", "ExecuteTime", "papermill"}
_VOLATILE_NB_META = {"language_info", "papermill", "widgets", "planbook"}


def notebook_digest(path: Path) -> str:
    """Hash of a notebook's cells (type, source, metadata) and kernel (outputs ignored).

    Saving the notebook in JupyterLab with outputs, execution counts or timings does
    not change it; editing a cell or a tag does.
    """
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [
        (
            c.get("cell_type"),
            "".join(c.get("source", "")),
            {k: v for k, v in c.get("metadata", {}).items() if k not in _VOLATILE_CELL_META},
        )
        for c in nb.get("cells", [])
    ]
    meta = {k: v for k, v in nb.get("metadata", {}).items() if k not in _VOLATILE_NB_META}
    payload = {"cells": cells, "metadata": meta}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def fingerprint(chapter: Chapter, params: ChapterParams, paths: BookPaths, env: str) -> str:
    """The key of one chapter execution: notebook, parameters and environment."""
    payload = {
        "version": KEY_VERSION,
        "chapter": chapter.slug,
        "notebook": notebook_digest(paths.notebooks / chapter.notebook),
        "params": params.model_dump(mode="json"),
        "environment": env,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def recorded(executed: Path) -> dict[str, Any]:
    """The ``planbook`` metadata of an executed notebook, or ``{}`` if absent or unreadable."""
    if not executed.is_file():
        return {}
    try:
        nb = json.loads(executed.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    meta = nb.get("metadata", {}).get("planbook", {}) if isinstance(nb, dict) else {}
    return meta if isinstance(meta, dict) else {}


def validate_data(paths: BookPaths) -> None:
    """Check every table under ``data/`` (raises :class:`~planbook.errors.DataFileError`).

    The check is a pure function of the files the environment digest covers (the data
    and the library that validates them), so a successful check is remembered under
    that digest and skipped while nothing changed: a build with nothing to do does not
    even import pandas.
    """
    env = environment_digest(paths)
    stamps = paths.build / "cache" / "validated"
    if (stamps / env).is_file():
        return
    from planbook.data.plan import validate_all

    validate_all(paths.data)
    with contextlib.suppress(OSError):
        if stamps.is_dir():
            for old in stamps.iterdir():
                old.unlink(missing_ok=True)
        _atomic_write_text(stamps / env, "data/ validated\n")


# --------------------------------------------------------------------------- planning


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
) -> list[Job]:
    """Resolve every chapter's parameters and decide which chapters must run.

    ``keep_last`` makes a chapter start from the parameters it was last run with (the
    main book keeps what ``planbook run`` set); otherwise it starts from its defaults.
    ``book`` is the book the results go to: None for the main book (``book/chapters``),
    else a scenario name. All validation happens here, before any kernel starts.
    """
    env = environment_digest(paths)
    cache = cache_for(paths)
    jobs = []
    for chapter in chapters:
        source = paths.notebooks / chapter.notebook
        if not source.is_file():
            raise InputError(
                f"notebook {source.relative_to(paths.root)} for chapter {chapter.slug} is missing; "
                f"restore it (git checkout -- notebooks/{chapter.notebook})"
            )
        output = paths.executed(book) / chapter.notebook
        last = recorded(output)
        base = {}
        if keep_last and isinstance(last.get("params"), dict):
            try:
                base = validate_params(chapter, last["params"]).model_dump(mode="json")
            except InputError:
                base = {}
        params = resolve(chapter, scenario, overrides, base=base)
        key = fingerprint(chapter, params, paths, env)
        if last.get("key") == key:
            state = UP_TO_DATE
        elif cache.verify(key) is not None:
            state = CACHED
        else:
            state = STALE
        jobs.append(Job(chapter, params, key, output, book, state))
    return jobs


# --------------------------------------------------------------------------- execution


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
    """The result of one execution: stored in the cache (ok) or failed (message)."""

    key: str
    ok: bool
    elapsed: float
    message: str = ""


def _hide_parameter_cells(nb: Any) -> None:
    """Tag the parameters and injected-parameters cells ``remove-cell`` (TOOLCHAIN 6)."""
    for cell in nb.cells:
        tags = cell.setdefault("metadata", {}).setdefault("tags", [])
        if ("parameters" in tags or "injected-parameters" in tags) and "remove-cell" not in tags:
            tags.append("remove-cell")


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _atomic_write_text(path: Path, text: str) -> None:
    _atomic_write_bytes(path, text.encode("utf-8"))


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


def _skip_slow_imports() -> None:
    """Make importing nbformat/papermill 1.5 s faster.

    ``jsonschema`` imports the optional ``rfc3987_syntax`` at import time, which compiles
    some 40 lark grammars (about 1.5 s) only to check the "iri" string format, which
    no notebook schema uses. Marking it absent skips that.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def _one_line(text: object, limit: int = 200) -> str:
    return " ".join(str(text).split())[:limit]


def _execute_task(task: Task) -> Outcome:
    """Execute one chapter with papermill and store the result in the cache.

    Runs in a worker process (or in-process with one job). Never raises for a chapter
    that fails: the outcome carries the one-line message.
    """
    _skip_slow_imports()
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    root = Path(task.root)
    paths = BookPaths(root)
    cache = cache_for(paths)
    label = f"chapter {task.number} {task.slug}"
    failed = Path(task.failed)
    log = Path(task.log)
    start = time.perf_counter()
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
                f"{exc.ename}: {_one_line(exc.evalue)}; the failed notebook is kept at "
                f"{display_path(failed, root)}",
            )
        except Exception as exc:  # kernel died, timeout, ...
            return Outcome(
                task.key,
                False,
                time.perf_counter() - start,
                f"{label} could not run: {type(exc).__name__}: {_one_line(exc)}; "
                f"see {display_path(log, root)}",
            )
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


# ----------------------------------------------------------------- worker processes

_EVENTS: Any = None


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this worker when the build that started it dies (even by SIGKILL).

    Its kernel notices the missing parent and stops too (ipykernel polls its parent).
    """
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(1)


def _init_worker(events: Any, parent: int, log: str) -> None:
    """Initializer of a worker process: quiet, single-threaded, tied to its parent."""
    global _EVENTS
    _EVENTS = events
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides on Ctrl-C
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    # Anything a worker prints goes to a log, never between the progress lines.
    Path(log).parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    _skip_slow_imports()
    import papermill  # noqa: F401  (import once, before the first task)


def _worker_task(task: Task) -> Outcome:
    if _EVENTS is not None:
        with contextlib.suppress(Exception):
            _EVENTS.put(("start", task.key, time.time()))
    return _execute_task(task)


# --------------------------------------------------------------------------- progress


class Progress:
    """One line per event (up to date, running, done, failed), with the time since the
    start; an optional ``status`` callback shows which chapters are running now."""

    def __init__(self, report: Report = _quiet, status: Callable[[str], None] | None = None):
        self.report = report
        self.status = status
        self.start = time.perf_counter()
        self.width = max((len(c.slug) for c in CHAPTERS), default=8) + 1
        self.running: dict[str, float] = {}

    def line(self, job: Job, text: str, books: bool = False) -> None:
        ch = job.chapter
        book = f"[{job.book or 'main'}] " if books else ""
        t = time.perf_counter() - self.start
        self.report(f"[{t:6.1f}s] {ch.number:>2} {ch.slug:<{self.width}}{book}{text}")

    def update(self, names: dict[str, str]) -> None:
        if self.status is not None:
            shown = ", ".join(names[k] for k in self.running if k in names)
            self.status(f"running: {shown}" if shown else "")


# --------------------------------------------------------------------------- running


@dataclass
class RunResult:
    """What :func:`run_jobs` did: the jobs executed and the failures (job, message)."""

    ran: list[Job] = field(default_factory=list)
    failed: list[tuple[Job, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def error(self) -> ExecutionError:
        """One line naming every failed chapter."""
        messages = [message for _, message in self.failed]
        if len(messages) == 1:
            text = messages[0]
        else:
            names = ", ".join(f"{j.chapter.number} {j.chapter.slug}" for j, _ in self.failed)
            text = f"{len(messages)} chapters failed ({names}): " + "; ".join(messages)
        return ExecutionError(
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
        _atomic_write_text(_timings_file(paths), json.dumps(timings, indent=1, sort_keys=True))


def _task_for(job: Job, paths: BookPaths, timeout: int) -> Task:
    book = job.book or "main"
    return Task(
        key=job.key,
        slug=job.chapter.slug,
        number=job.chapter.number,
        notebook=job.chapter.notebook,
        params=job.params.model_dump(mode="json"),
        root=str(paths.root),
        log=str(paths.build / "logs" / book / f"{job.chapter.stem}.log"),
        failed=str(paths.failed(job.book) / job.chapter.notebook),
        timeout=timeout,
    )


def _kill_pool(pool: Any) -> None:
    for process in list(getattr(pool, "_processes", {}).values()):
        with contextlib.suppress(Exception):
            process.kill()


def _run_in_pool(
    tasks: list[Task],
    workers: int,
    on_start: Callable[[str], None],
    on_done: Callable[[Outcome], None],
    paths: BookPaths,
) -> None:
    """Execute ``tasks`` in ``workers`` processes.

    If a worker process dies (killed, out of memory), the pool breaks: the tasks that
    had not started go back in the queue, and each task that was running is retried
    alone in a one-worker pool, so a chapter that kills its worker fails on its own
    without taking the others down.
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
                        on_done(Outcome(task.key, False, 0.0, message + _one_line(exc)))
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
        progress.update(names)

    workers = min(workers or default_workers(), len(tasks))
    if workers <= 1:
        for task in tasks:
            on_start(task.key)
            on_done(_execute_task(task))
    else:
        _run_in_pool(tasks, workers, on_start, on_done, paths)
    _save_timings(paths, timings)
    return result


def materialize(jobs: Iterable[Job], paths: BookPaths, force: bool = False) -> list[Job]:
    """Copy each job's executed notebook from the cache into its book (atomically).

    A book file that already holds the job's execution is left alone (unless
    ``force``). Returns the jobs whose file was written.
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
        _atomic_write_bytes(job.output, entry.notebook.read_bytes())
        written.append(job)
    for job in jobs:
        (paths.failed(job.book) / job.chapter.notebook).unlink(missing_ok=True)
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


# --------------------------------------------------------------------------- the site


def _sync_file(src: Path, dst: Path) -> None:
    same_size = dst.is_file() and dst.stat().st_size == src.stat().st_size
    if same_size and dst.read_bytes() == src.read_bytes():
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dst)


def _sync_tree(files: dict[str, Path], dest: Path) -> None:
    """Make ``dest`` hold exactly ``files`` (relative name to source path)."""
    for rel, src in files.items():
        _sync_file(src, dest / rel)
    for existing in [p for p in dest.rglob("*") if p.is_file()]:
        rel = existing.relative_to(dest).as_posix()
        if rel not in files and not rel.startswith(("_build/", ".")):
            existing.unlink()


def stage_sources(paths: BookPaths, executed_dir: Path, stage: Path) -> dict[str, Path]:
    """The files the site is built from: config, TOC, hand-written pages, executed chapters."""
    stage.mkdir(parents=True, exist_ok=True)
    # Chapters are staged under notebooks/, so that a page's launch (Binder) and source
    # links point at the parameterized notebook of the same path in the repository.
    toc = (paths.root / "_toc.yml").read_text(encoding="utf-8")
    toc = toc.replace("book/chapters/", "notebooks/")
    staged_toc = stage / "_toc.yml"
    if not staged_toc.is_file() or staged_toc.read_text(encoding="utf-8") != toc:
        _atomic_write_text(staged_toc, toc)
    files: dict[str, Path] = {"_config.yml": paths.root / "_config.yml", "_toc.yml": staged_toc}
    book = paths.root / "book"
    for p in _tree_files(book):
        rel = p.relative_to(paths.root).as_posix()
        if not rel.startswith("book/chapters/"):
            files[rel] = p
    for chapter in CHAPTERS:
        executed = executed_dir / chapter.notebook
        if executed.is_file():
            files[f"notebooks/{chapter.notebook}"] = executed
    _sync_tree(files, stage)
    return files


def _first_heading(path: Path) -> str:
    """The title a page shows in the navigation of every other page."""
    try:
        if path.suffix == ".ipynb":
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
            text = next(("".join(c["source"]) for c in cells if c["cell_type"] == "markdown"), "")
        else:
            text = path.read_text(encoding="utf-8")
    except (OSError, ValueError, KeyError, TypeError):
        return ""
    return next((line for line in text.splitlines() if line.startswith("#")), "")


def structure_digest(files: dict[str, Path]) -> str:
    """Hash of what every page's navigation shows: config, TOC, the pages and their titles.

    Sphinx rebuilds only the pages whose source changed; when the structure changes
    (a page added, a title edited, the config) the other pages' sidebars would be stale,
    so the site is then built from scratch.
    """
    digest = hashlib.sha256()
    for rel in sorted(files):
        digest.update(rel.encode() + b"\0")
        if rel in {"_config.yml", "_toc.yml"}:
            digest.update(files[rel].read_bytes())
        else:
            digest.update(_first_heading(files[rel]).encode())
    return digest.hexdigest()


def site_digest(files: dict[str, Path]) -> str:
    """Hash of the staged sources: the site is rebuilt only when it changes."""
    digest = hashlib.sha256()
    for rel in sorted(files):
        digest.update(rel.encode() + b"\0" + hashlib.sha256(files[rel].read_bytes()).digest())
    return digest.hexdigest()


# jupyter-book's own entry point, minus 1.5 s of grammar compilation at import (see
# _skip_slow_imports); same command line, same behaviour. The process imports Sphinx
# and its extensions first, then reads its arguments (a JSON list) from stdin, so it
# can be started while the chapters run and be ready the moment they are done.
_JUPYTER_BOOK = """
import json, sys
sys.modules.setdefault("rfc3987_syntax", None)
from jupyter_book.cli.main import main
import myst_nb, sphinx.application, sphinx_book_theme, sphinx_external_toc
line = sys.stdin.readline()
if not line.strip():
    sys.exit(0)
sys.argv = ["jupyter-book", *json.loads(line)]
sys.exit(main())
"""


class SiteBuilder:
    """A ``jupyter-book`` process started ahead of time (imports done, waiting for its
    arguments). :meth:`run` hands them over; :meth:`close` lets an unused one exit."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[str] | None = subprocess.Popen(
            [sys.executable, "-c", _JUPYTER_BOOK],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def run(self, args: list[str]) -> subprocess.CompletedProcess[str]:
        proc, self.proc = self.proc, None
        if proc is None:
            proc = SiteBuilder().proc
            assert proc is not None
        stdout, stderr = proc.communicate(json.dumps(args) + "\n")
        return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)

    def close(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None:
            with contextlib.suppress(OSError, ValueError, subprocess.TimeoutExpired):
                proc.communicate("", timeout=30)
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def _recover_swap(target: Path) -> None:
    """Undo a swap interrupted between its two renames (a build killed right then)."""
    outgoing = target.with_name(f".{target.name}.outgoing")
    if not target.exists() and outgoing.is_dir():
        os.replace(outgoing, target)


def _swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` by a copy of ``new`` with two renames (never half-written)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _recover_swap(target)
    incoming = target.with_name(f".{target.name}.incoming")
    outgoing = target.with_name(f".{target.name}.outgoing")
    shutil.rmtree(incoming, ignore_errors=True)
    shutil.rmtree(outgoing, ignore_errors=True)
    shutil.copytree(new, incoming)
    if target.exists():
        os.replace(target, outgoing)
    os.replace(incoming, target)
    shutil.rmtree(outgoing, ignore_errors=True)


def build_site(
    paths: BookPaths,
    scenario: str | None,
    force: bool = False,
    report: Report = _quiet,
    builder: SiteBuilder | None = None,
) -> Path:
    """Build the HTML site from the executed notebooks with ``-W -n --keep-going``.

    Returns the site folder. Raises :class:`ExecutionError` (exit 1) when Sphinx fails or
    warns, leaving the previous site untouched. Sphinx builds incrementally in a work
    folder; after an interrupted or failed build that folder is rebuilt from scratch.
    """
    site = paths.site(scenario)
    _recover_swap(site)
    executed_dir = paths.executed(scenario)
    missing = [c for c in CHAPTERS if not (executed_dir / c.notebook).is_file()]
    if missing:
        names = ", ".join(c.slug for c in missing)
        raise InputError(f"chapters not executed yet: {names}; run 'planbook build' to run them")
    work = paths.work(scenario)
    stage = work / "src"
    files = stage_sources(paths, executed_dir, stage)
    key = site_digest(files)
    key_file = work / "site.key"
    if not force and site.is_dir() and key_file.is_file() and key_file.read_text() == key:
        report(f"site up to date: {display_path(site, paths.root)}")
        return site
    out = work / "out"
    dirty = work / "out.dirty"
    structure = structure_digest(files)
    structure_file = work / "structure.key"
    same_structure = structure_file.is_file() and structure_file.read_text() == structure
    if dirty.exists() or force or not same_structure:
        shutil.rmtree(out, ignore_errors=True)
    dirty.parent.mkdir(parents=True, exist_ok=True)
    dirty.touch()
    args = ["build", str(stage), "--path-output", str(out), "-W", "-n", "--keep-going"]
    start = time.perf_counter()
    report("building the site (jupyter-book, warnings are errors) ...")
    proc = (builder or SiteBuilder()).run(args)
    html = out / "_build" / "html"
    if proc.returncode != 0 or not (html / "index.html").is_file():
        text = re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout + "\n" + proc.stderr)
        problems = [
            line.strip()
            for line in text.splitlines()
            if "WARNING" in line or "ERROR" in line or "Error" in line
        ]
        first = problems[0] if problems else f"jupyter-book exited with {proc.returncode}"
        log = work / "build.log"
        log.write_text(text, encoding="utf-8")
        raise ExecutionError(
            f"site build failed ({len(problems)} warnings or errors), first: {first[:300]}; "
            f"full log at {display_path(log, paths.root)}; the last good site is unchanged"
        )
    _swap_in(html, site)
    _atomic_write_text(key_file, key)
    _atomic_write_text(structure_file, structure)
    dirty.unlink(missing_ok=True)
    report(f"site built in {time.perf_counter() - start:.1f} s")
    return site


# --------------------------------------------------------------------------- whole books


def build_book(
    paths: BookPaths,
    scenario: Scenario | None,
    overrides: dict[str, dict[str, str]] | None = None,
    *,
    force: bool = False,
    workers: int | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    progress: Progress | None = None,
    report: Report = _quiet,
    site: bool = True,
) -> Path | None:
    """Bring a whole book up to date: run what the cache lacks, fill the book, build the
    site. The main book (``scenario`` None) keeps each chapter's last parameters.

    Raises :class:`ExecutionError` naming every failed chapter (after the others have
    finished and been cached); the book's pages and site are then left as they were.
    """
    name = scenario.name if scenario else None
    jobs = plan_jobs(CHAPTERS, paths, scenario, overrides, keep_last=name is None, book=name)
    # When chapters must run, start Sphinx's imports alongside them.
    stale = force or any(j.state == STALE for j in jobs)
    builder = SiteBuilder() if site and stale else None
    try:
        result = run_jobs(
            jobs, paths, timeout=timeout, force=force, workers=workers, progress=progress
        )
        if not result.ok:
            raise result.error()
        materialize(jobs, paths, force=force)
        out = build_site(paths, name, force=force, report=report, builder=builder) if site else None
    finally:
        if builder is not None:
            builder.close()
    if result.ran:
        with contextlib.suppress(OSError):
            prune_cache(paths)
    return out


def scenario_jobs(paths: BookPaths, scenarios: list[Scenario]) -> dict[str, list[Job]]:
    """Every chapter under each scenario (its own book), planned."""
    return {
        s.name: plan_jobs(CHAPTERS, paths, s, None, keep_last=False, book=s.name) for s in scenarios
    }


__all__ = [
    "CACHED",
    "DEFAULT_TIMEOUT",
    "STALE",
    "UP_TO_DATE",
    "Job",
    "Outcome",
    "PlanbookError",
    "Progress",
    "RunResult",
    "Task",
    "build_book",
    "build_site",
    "cache_for",
    "validate_data",
    "default_workers",
    "dependency_files",
    "environment_digest",
    "fingerprint",
    "materialize",
    "notebook_digest",
    "plan_jobs",
    "prune_cache",
    "recorded",
    "referenced_keys",
    "run_jobs",
    "scenario_jobs",
]
