"""Shared fixtures: the repository, the built book, private copies of it, and the CLI.

The book is built cold once per test run, however many xdist workers there are: the
first worker that collects a test needing it starts ``planbook build`` in the background
(in the folder the workers share), and every test that needs it waits for that build
and reads it (``built_book``, never changed). A test that changes a book works on a copy
(``book_copy``: sources, executed notebooks and the ``_build`` cache, so its rebuild is
incremental). ``edited_book`` is a second shared build: a changed library function and
markup in the data, built once for the tests of both.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
_IGNORE_NAMES = shutil.ignore_patterns(
    ".git",
    ".venv",
    "_build",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    ".ipynb_checkpoints",
    "*.egg-info",
)


def COPY_IGNORE(folder: str, names: list[str]) -> set[str]:  # noqa: N802
    """What a copy of the book leaves out: builds, caches and the executed ``book/chapters``."""
    ignored = set(_IGNORE_NAMES(folder, names))
    if Path(folder).name == "book" and "chapters" in names:
        ignored.add("chapters")
    return ignored


def copy_book(dest: Path) -> Path:
    """Copy the book's sources (not its builds) to ``dest`` and return it."""
    shutil.copytree(REPO, dest, ignore=COPY_IGNORE)
    return dest


def _command(*args: str, root: Path) -> tuple[list[str], dict[str, str]]:
    """The ``planbook`` command line and environment for the book at ``root``."""
    exe = Path(sys.executable).with_name("planbook")
    cmd = [str(exe)] if exe.is_file() else [sys.executable, "-m", "planbook.cli"]
    return [*cmd, *args], {**os.environ, "PLANBOOK_ROOT": str(root), "COLUMNS": "200"}


def planbook(*args: str, root: Path, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    """Run the ``planbook`` command on the book at ``root``."""
    cmd, env = _command(*args, root=root)
    return subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=timeout)


def snapshot(root: Path) -> dict[str, str]:
    """Hashes of every file of the outputs (executed notebooks and builds)."""
    out = {}
    for folder in (root / "book" / "chapters", root / "_build"):
        if folder.exists():
            for p in sorted(folder.rglob("*")):
                if p.is_file():
                    out[str(p.relative_to(root))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


class WarmKernels:
    """This worker's warm kernel servers (:mod:`planbook.engine.build.warm`), one per
    book, started when first asked for: kernels forked from a server that has done the
    imports cost about a second instead of five, as in the build. ``PLANBOOK_WARM=0``
    gives ordinary kernels."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.servers: dict[Path, Any] = {}

    def variables(self, root: Path) -> dict[str, str]:
        """The environment variables of a kernel for the book at ``root`` (its lib and
        data, as the build's kernels) and of the warm server that forks it."""
        from planbook.engine.build import warm
        from planbook.engine.build.execute import kernel_variables

        wanted = kernel_variables(root)
        if not warm.enabled():
            return wanted
        if root not in self.servers:
            env = {**os.environ, **wanted}
            for name in (warm.SOCKET_ENV, "PLANBOOK_READS_LOG"):
                env.pop(name, None)
            log = self.folder / f"warm-server-{len(self.servers)}.log"
            self.servers[root] = warm.start_server(env, log)
        return {**wanted, warm.SOCKET_ENV: str(self.servers[root].socket)}

    def kernelspec(self) -> Path:
        """A folder for ``JUPYTER_PATH`` that holds the ``planbook-warm`` kernel spec."""
        from planbook.engine.build import warm

        folder = self.folder / "jupyter"
        if not folder.is_dir():
            warm.write_kernelspec(folder)
        return folder

    def stop(self) -> None:
        for server in self.servers.values():
            server.stop()


def _execute_chapter(
    slug: str, dest: Path, root: Path, kernels: WarmKernels, **params: object
) -> dict[str, object]:
    """Execute one chapter's notebook of the book at ``root`` with ``params`` (validated
    first) into ``dest``; return its glue.

    For the tests that check a glued number moves with its parameter: the default run
    comes from ``built_book``, the changed one from here, from the same sources and in a
    kernel with the build's environment (forked from a warm server as the build's are,
    unless PLANBOOK_WARM=0).
    """
    import papermill

    from planbook.engine.build.execute import environment
    from planbook.engine.build.warm import kernel_manager_class
    from planbook.engine.glued import glued_values
    from planbook.engine.params import validate_params
    from planbook.engine.registry import get_chapter

    chapter = get_chapter(slug)
    values = validate_params(chapter, dict(params)).model_dump(mode="json")
    out = dest / chapter.notebook
    with environment(kernels.variables(root)):
        papermill.execute_notebook(
            str(root / "notebooks" / chapter.notebook),
            str(out),
            parameters=values,
            kernel_name="python3",
            progress_bar=False,
            cwd=str(root / "notebooks"),
            kernel_manager_class=kernel_manager_class(),
        )
    return glued_values(out)


def _built_values(root: Path, slug: str) -> dict[str, object]:
    """The glued values of a chapter in a built book (default parameters)."""
    from planbook.engine.glued import glued_values
    from planbook.engine.registry import get_chapter

    return glued_values(root / "book" / "chapters" / get_chapter(slug).notebook)


SLOW_FIXTURES = frozenset(
    {"built_book", "book_copy", "edited_book", "run_chapter", "default_values"}
)
"""Fixtures that build the book or execute its chapters: a test using one (even through
another fixture) must be marked ``slow``, and so must a test that builds a copy itself.
Each needs the built book: a test run that holds one starts the build early."""


def _run_order(item: pytest.Item) -> int:
    """Where a test goes in the run: what needs no built book first (the slow ones, then
    the fast ones), while the book builds in the background; then the tests that read or
    copy the built book or run its chapters, and last those of the second shared build
    (``edited_book``), started when the first is done."""
    names = set(getattr(item, "fixturenames", ()))
    if "edited_book" in names:
        return 3
    if names & SLOW_FIXTURES:
        return 2
    return 0 if item.get_closest_marker("slow") is not None else 1


@pytest.hookimpl(tryfirst=True)  # before ``-m "not slow"`` deselects anything
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Refuse to run when a test that builds the book is not marked ``slow``; then put the
    tests in :func:`_run_order` (stable: a file's tests stay together)."""
    unmarked = sorted(
        {
            item.nodeid.split("[")[0]
            for item in items
            if SLOW_FIXTURES & set(getattr(item, "fixturenames", ()))
            and item.get_closest_marker("slow") is None
        }
    )
    if unmarked:
        raise pytest.UsageError(
            "these tests build the book or run its chapters but are not marked "
            f"@pytest.mark.slow: {', '.join(unmarked)}"
        )
    items.sort(key=_run_order)


# --------------------------------------------------------------------------- shared builds

BACKGROUND = """
import json, os, subprocess, sys, threading, time
watched, status, cwd, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

def watch():  # the test run ended (or was killed): the build goes with it
    while True:
        time.sleep(0.5)
        try:
            os.kill(watched, 0)
        except ProcessLookupError:
            proc.kill()
            os._exit(1)

threading.Thread(target=watch, daemon=True).start()
out, err = proc.communicate()
with open(status + ".tmp", "w", encoding="utf-8") as handle:
    json.dump({"returncode": proc.returncode, "stdout": out, "stderr": err}, handle)
os.replace(status + ".tmp", status)
"""
"""Runs a shared build in the background: holds the build's lock (an inherited file
descriptor) until it ends, then writes its exit code and output to the status file."""


def shared_tmp(factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of this test run that every xdist worker sees."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _run_pid() -> int:
    """The process of the whole test run: the xdist controller, or this process."""
    return os.getppid() if os.environ.get("PYTEST_XDIST_WORKER") else os.getpid()


@dataclass(frozen=True)
class SharedBuild:
    """A book built once per test run under ``folder/name``, whichever worker asks first.

    ``prepare(root)`` makes the sources at ``root`` (a copy), then ``planbook build`` runs.
    A lock file (``fcntl.flock``) makes every other worker wait for that one build; its
    exit code and output go to a status file that all of them read.
    """

    folder: Path
    name: str
    prepare: Callable[[Path], None]

    @property
    def root(self) -> Path:
        return self.folder / self.name

    def _file(self, suffix: str) -> Path:
        return self.folder / f"{self.name}.{suffix}"

    def start(self) -> None:
        """Start the build in the background unless it has started already; do not wait."""
        fd = os.open(self._file("lock"), os.O_RDWR | os.O_CREAT)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # another worker is starting or running it
            os.close(fd)
            return
        try:
            if self._file("started").exists():
                return
            try:
                self._prepare()
            except Exception:  # wait() does it again and reports it in a test
                return
            cmd, env = _command("build", root=self.root)
            status = str(self._file("json"))
            subprocess.Popen(  # it outlives this call on purpose
                [sys.executable, "-c", BACKGROUND, str(_run_pid()), status, str(self.root), *cmd],
                env=env,
                pass_fds=(fd,),  # the lock stays held until the build has ended
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            self._file("started").write_text("background\n", encoding="utf-8")
        finally:
            os.close(fd)

    def _prepare(self) -> None:
        if self.root.exists():
            shutil.rmtree(self.root)
        self.prepare(self.root)

    def wait(self, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
        """The build's result: wait for a started build, or run it here if none started."""
        deadline = time.monotonic() + timeout
        with open(self._file("lock"), "a+", encoding="utf-8") as handle:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        pytest.fail(f"{self.name}: no result after {timeout:.0f} s")
                    time.sleep(0.2)
            status = self._file("json")
            if not status.exists():
                if self._file("started").exists():
                    pytest.fail(f"{self.name}: the background build ended without a result")
                self._file("started").write_text("here\n", encoding="utf-8")
                self._prepare()
                result = planbook("build", root=self.root)
                saved = {k: getattr(result, k) for k in ("returncode", "stdout", "stderr")}
                status.write_text(json.dumps(saved), encoding="utf-8")
            saved = json.loads(status.read_text(encoding="utf-8"))
        return subprocess.CompletedProcess(
            ["planbook", "build"], saved["returncode"], saved["stdout"], saved["stderr"]
        )


def _needed(session: pytest.Session, fixture: str) -> bool:
    """Whether a test of this run uses ``fixture`` (directly or through another fixture)."""
    return any(fixture in getattr(item, "fixturenames", ()) for item in session.items)


def _cold_build(factory: pytest.TempPathFactory) -> SharedBuild:
    return SharedBuild(shared_tmp(factory), "built_book", copy_book)


# Appended to lib/planbook/methods/arithmetic.py of ``edited_book``: the plan's growth
# path doubles.
DOUBLE_GROW = """

_grow_before_test = grow


def grow(start: float, rate_pct: float, years: float) -> float:
    return 2 * _grow_before_test(start, rate_pct, years)
"""
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def set_field(path: Path, key: str, key_value: str, field: str, text: str) -> None:
    """Set ``field`` of the row whose ``key`` is ``key_value`` in a CSV (quoting kept valid)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    [row] = [r for r in rows if r[key] == key_value]
    row[field] = text
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def stale_chapters(root: Path) -> list[str]:
    """The chapters a build of ``root`` would run now (read from the plan, nothing runs)."""
    from planbook.engine.build.plan import STALE, plan_jobs
    from planbook.engine.registry import CHAPTERS
    from planbook.paths import BookPaths

    jobs = plan_jobs(CHAPTERS, BookPaths(root), None, None, keep_last=True)
    return [job.chapter.slug for job in jobs if job.state == STALE]


def _edit(built: Path) -> Callable[[Path], None]:
    """Make ``edited_book``'s sources: a copy of the built book, then two edits."""

    def prepare(root: Path) -> None:
        shutil.copytree(built, root, symlinks=True)
        arithmetic = root / "lib" / "planbook" / "methods" / "arithmetic.py"
        arithmetic.write_text(arithmetic.read_text(encoding="utf-8") + DOUBLE_GROW, "utf-8")
        stale = stale_chapters(root)  # what the library change alone makes run
        (root.parent / "edited_book.stale.json").write_text(json.dumps(stale), "utf-8")
        # a claim of chapter 1 (its note is in the market page's table) and a glossary entry
        claims, glossary = root / "data/plan/claims.csv", root / "data/plan/glossary.csv"
        set_field(claims, "id", "C1.1-01", "note", f"growth {SCRIPT} {IMG}")
        set_field(glossary, "term_zh", "GMV", "english", f"GMV {SCRIPT} {IMG}")

    return prepare


@dataclass(frozen=True)
class EditedBook:
    """The built book after two edits, built again once (see :func:`edited_book`)."""

    root: Path
    before: Path
    stale_after_lib_change: list[str]
    result: subprocess.CompletedProcess[str]


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session", autouse=True)
def _start_the_build_early(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Start the cold build in the background if a test of this run needs the built book,
    so it runs alongside the tests that do not."""
    if any(_needed(request.session, name) for name in SLOW_FIXTURES):
        _cold_build(tmp_path_factory).start()


@pytest.fixture(scope="session")
def built_book(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The book built cold once with the defaults (slow: runs every chapter), shared by
    every test and worker of the run: read it, never change it (copy it: ``book_copy``)."""
    build = _cold_build(tmp_path_factory)
    result = build.wait()
    assert result.returncode == 0, result.stdout + result.stderr
    if _needed(request.session, "edited_book"):
        _edited_build(tmp_path_factory, build.root).start()
    return build.root


def _edited_build(factory: pytest.TempPathFactory, built: Path) -> SharedBuild:
    return SharedBuild(shared_tmp(factory), "edited_book", _edit(built))


@pytest.fixture(scope="session")
def edited_book(tmp_path_factory: pytest.TempPathFactory, built_book: Path) -> EditedBook:
    """The built book with two edits, built again once for the tests of both: a changed
    library function (``DOUBLE_GROW`` in ``methods/arithmetic.py``; the chapters that
    change alone were read from the plan first) and script and image markup in the data
    (a claim's note and a glossary entry). Read it, never change it."""
    build = _edited_build(tmp_path_factory, built_book)
    result = build.wait()
    stale = json.loads((build.folder / "edited_book.stale.json").read_text(encoding="utf-8"))
    return EditedBook(build.root, built_book, stale, result)


@pytest.fixture()
def book_copy(tmp_path: Path, built_book: Path) -> Path:
    """A throwaway copy of the built book (its cache too), for tests that change or break it."""
    dest = tmp_path / "book"
    shutil.copytree(built_book, dest, symlinks=True)
    return dest


@pytest.fixture(scope="session")
def warm_kernels(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WarmKernels]:
    """This worker's warm kernel servers (see :class:`WarmKernels`), stopped at the end."""
    kernels = WarmKernels(tmp_path_factory.mktemp("warm"))
    yield kernels
    kernels.stop()


@pytest.fixture()
def run_chapter(
    tmp_path: Path, built_book: Path, warm_kernels: WarmKernels
) -> Callable[..., dict[str, object]]:
    """``run_chapter(slug, **params)``: execute a chapter of the built book's sources with
    changed parameters, get its glue (the book itself is left as built)."""
    return lambda slug, **params: _execute_chapter(
        slug, tmp_path, built_book, warm_kernels, **params
    )


@pytest.fixture(scope="session")
def default_values(built_book: Path) -> Callable[[str], dict[str, object]]:
    """``default_values(slug)``: the glue of a chapter in the book built with the defaults."""
    return lambda slug: _built_values(built_book, slug)
