"""File system faults and child processes.

A read-only folder, a full disk, an unreadable or broken notebook: each ends in one
``error:`` line naming the path and the fix (exit code 4 for the file system, 2 for a
bad notebook), and leaves the last good site, cache and pages as they were. The
processes a build starts (kernels, the early ``jupyter-book``) die with it.

Running as root ignores permission bits, so read-only cases raise the error the system
would give (monkeypatched); a chmod variant runs only for a normal user.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import nbformat
import pytest
from conftest import planbook
from nbformat.v4 import new_code_cell, new_notebook

from planbook.engine.build import execute as execute_mod
from planbook.engine.build import files as files_mod
from planbook.engine.build import site as site_build
from planbook.engine.build.cache import Cache, pid_alive
from planbook.engine.build.children import kernel_manager_class, parent_death_signal
from planbook.engine.build.execute import Task, execute_task
from planbook.engine.build.files import atomic_write_all, check_writable, file_errors
from planbook.engine.build.lock import BuildLock
from planbook.engine.build.run import RunResult
from planbook.engine.build.sources import read_notebook, validate_notebooks
from planbook.errors import ExecutionError, FileSystemError, InputError
from planbook.paths import BookPaths

LINUX = sys.platform.startswith("linux")
ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0


def one_line(error: Exception) -> str:
    text = str(error)
    assert "\n" not in text and "Traceback" not in text
    return text


# --------------------------------------------------------------------------- the message


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.ENOSPC, "no space left on the device; free disk space"),
        (errno.EACCES, "permission denied; give yourself access (for example chmod -R u+rwX"),
        (errno.EROFS, "the file system is read-only; work in a writable copy"),
        (errno.ENOENT, "it does not exist; restore it"),
    ],
)
def test_a_file_system_error_names_the_path_the_cause_and_the_fix(
    tmp_path: Path, code: int, words: str
) -> None:
    exc = OSError(code, os.strerror(code), str(tmp_path / "_build" / "html"))
    error = FileSystemError.from_os_error(exc, "cannot build the site", root=tmp_path, after="x")
    assert error.exit_code == 4
    text = one_line(error)
    assert text.startswith("cannot build the site '_build/html': ") and words in text
    assert text.endswith("; x")


def test_a_full_disk_while_copying_names_the_target(tmp_path: Path) -> None:
    exc = OSError(errno.ENOSPC, "No space left on device", "/src/a.html", None, "/dst/a.html")
    assert "'/dst/a.html'" in str(FileSystemError.from_os_error(exc, "cannot copy"))


# --------------------------------------------------------------------------- the lock


def test_a_read_only_build_folder_refuses_the_lock_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build = tmp_path / "_build"
    build.mkdir()
    real_open = os.open

    def refuse(path: object, *args: object, **kwargs: object) -> int:
        if str(path).endswith("planbook.lock"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(FileSystemError) as info:
        BuildLock(build / "planbook.lock", wait=False).acquire()
    text = one_line(info.value)
    assert info.value.exit_code == 4
    assert "cannot create the build lock (planbook.lock) in '_build'" in text
    assert "chmod -R u+rwX _build" in text and "nothing was changed" in text
    assert not (build / "planbook.lock").exists()


def test_a_full_disk_while_recording_the_holder_releases_the_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "planbook.lock"

    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(FileSystemError, match="no space left"):
        BuildLock(path, wait=False).acquire()
    monkeypatch.undo()
    with BuildLock(path, wait=False) as lock:  # not left held
        assert lock.held


@pytest.mark.skipif(ROOT_USER or not hasattr(os, "geteuid"), reason="root ignores permissions")
def test_a_chmod_read_only_build_folder_refuses_the_lock(tmp_path: Path) -> None:
    build = tmp_path / "_build"
    build.mkdir()
    build.chmod(0o500)
    try:
        with pytest.raises(FileSystemError, match="permission denied"):
            BuildLock(build / "planbook.lock", wait=False).acquire()
    finally:
        build.chmod(0o700)


# --------------------------------------------------------------------------- writing


def test_check_writable_names_the_first_folder_it_may_not_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chapters = tmp_path / "book" / "chapters"
    chapters.mkdir(parents=True)
    check_writable([chapters, tmp_path / "_build" / "cache"], tmp_path)  # fine
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != chapters)
    with pytest.raises(FileSystemError) as info:
        check_writable([tmp_path / "_build" / "cache", chapters], tmp_path)
    assert "cannot write to 'book/chapters': permission denied" in one_line(info.value)
    # a folder not created yet is judged by the nearest one above it
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != tmp_path)
    with pytest.raises(FileSystemError, match="cannot write to '.'"):
        check_writable([tmp_path / "_build" / "cache"], tmp_path)


def test_atomic_write_all_writes_all_files_or_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = tmp_path / "a.ipynb", tmp_path / "b.ipynb"
    a.write_text("old a")
    b.write_text("old b")
    calls = {"n": 0}
    real_fsync = os.fsync

    def full_on_second(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(files_mod.os, "fsync", full_on_second)
    with pytest.raises(OSError):
        atomic_write_all([(a, b"new a"), (b, b"new b")])
    assert (a.read_text(), b.read_text()) == ("old a", "old b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.ipynb", "b.ipynb"]  # no temps
    monkeypatch.undo()
    atomic_write_all([(a, b"new a"), (b, b"new b")])
    assert (a.read_text(), b.read_text()) == ("new a", "new b")


def test_file_errors_turns_an_os_error_into_one_line_with_exit_code_4(tmp_path: Path) -> None:
    with (
        pytest.raises(FileSystemError) as info,
        file_errors("cannot write the executed chapters", tmp_path, "the book is unchanged"),
    ):
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "book"))
    assert one_line(info.value).startswith("cannot write the executed chapters 'book': ")
    assert info.value.exit_code == 4


# --------------------------------------------------------------------------- the site swap


def _site(folder: Path, text: str) -> Path:
    (folder / "_static").mkdir(parents=True)
    (folder / "index.html").write_text(text)
    (folder / "_static" / "a.css").write_text(text)
    return folder


def _tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text() for p in folder.rglob("*") if p.is_file()
    }


def test_a_full_disk_during_the_site_swap_leaves_the_last_good_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = _site(tmp_path / "out", "new")
    target = _site(tmp_path / "_build" / "html", "old")
    before = _tree(target)
    real_copy2 = shutil.copy2

    def full(src: str, dst: str, **kwargs: object) -> object:
        if src.endswith("a.css"):
            raise OSError(errno.ENOSPC, "No space left on device", src, dst)
        return real_copy2(src, dst, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(site_build.shutil, "copy2", full)
    with pytest.raises(OSError) as info:
        site_build._swap_in(new, target)
    assert info.value.errno == errno.ENOSPC
    assert _tree(target) == before
    assert sorted(p.name for p in target.parent.iterdir()) == ["html"]  # nothing left over


def test_a_failed_second_rename_puts_the_old_site_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = _site(tmp_path / "out", "new")
    target = _site(tmp_path / "_build" / "html", "old")
    real_replace = os.replace

    def refuse_incoming(src: object, dst: object) -> None:
        if str(src).endswith(".html.incoming"):
            raise OSError(errno.EIO, "Input/output error", str(src), str(dst))
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(site_build.os, "replace", refuse_incoming)
    with pytest.raises(OSError):
        site_build._swap_in(new, target)
    assert _tree(target)["index.html"] == "old"
    assert sorted(p.name for p in target.parent.iterdir()) == ["html"]


def test_a_site_folder_that_cannot_be_emptied_is_refused_before_the_swap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = _site(tmp_path / "out", "new")
    target = _site(tmp_path / "_build" / "html", "old")
    static = str(target / "_static")
    monkeypatch.setattr(files_mod.os, "access", lambda path, mode: str(path) != static)
    with pytest.raises(OSError) as info:
        site_build._swap_in(new, target)
    assert info.value.filename == static and info.value.errno == errno.EACCES
    assert _tree(target)["index.html"] == "old"


def test_build_site_reports_a_file_error_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object) -> Path:
        raise OSError(errno.ENOSPC, "No space left", str(tmp_path / "_build/.html.incoming/x"))

    monkeypatch.setattr(site_build, "_build_site", full)
    with pytest.raises(FileSystemError) as info:
        site_build.build_site(BookPaths(tmp_path), None)
    text = one_line(info.value)
    assert "'_build/.html.incoming/x': no space left on the device" in text
    assert text.endswith("the last good site is unchanged")


# --------------------------------------------------------------------------- execution


def _task(root: Path) -> Task:
    (root / "notebooks").mkdir(parents=True, exist_ok=True)
    return Task(
        key="ab" * 32,
        slug="market",
        number=1,
        notebook="nb.ipynb",
        params={},
        root=str(root),
        log=str(root / "_build/logs/main/nb.log"),
        failed=str(root / "_build/failed/main/nb.ipynb"),
        timeout=60,
    )


def test_a_full_disk_while_caching_a_chapter_is_a_file_error_not_a_failed_chapter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import papermill

    monkeypatch.setattr(papermill, "execute_notebook", lambda *a, **k: new_notebook())

    def full(self: Cache, *args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")  # a write names no file

    monkeypatch.setattr(Cache, "put", full)
    outcome = execute_task(_task(tmp_path))
    assert not outcome.ok and outcome.exit_code == 4
    assert "chapter 1 market: cannot write '_build/cache': no space left" in outcome.message
    assert not any((tmp_path / "_build/cache/tmp").iterdir())  # scratch removed
    # the run's error has exit code 4 when only files failed, 1 otherwise
    result = RunResult(failed=[(object(), outcome.message)], codes={4})  # type: ignore[list-item]
    assert isinstance(result.error(), FileSystemError)
    result.codes.add(1)
    assert isinstance(result.error(), ExecutionError)


def test_a_read_only_notebook_output_is_a_file_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import papermill

    def read_only(input_path: str, output_path: str, **kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system", output_path)

    monkeypatch.setattr(papermill, "execute_notebook", read_only)
    outcome = execute_task(_task(tmp_path))
    assert outcome.exit_code == 4 and "the file system is read-only" in outcome.message
    # any other error from the run is the chapter's (exit code 1)
    monkeypatch.setattr(execute_mod, "_FILESYSTEM_ERRNOS", frozenset())
    assert execute_task(_task(tmp_path)).exit_code == 1


# --------------------------------------------------------------------------- notebooks


def _write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data)
    return path


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ('{"cells": [', "is not valid JSON (Expecting value: line 1"),
        ("[1, 2]", "is not a Jupyter notebook (its JSON is list, not an object)"),
        ('{"nbformat": 4, "cells": 5}', "is not a Jupyter notebook (it has no list of cells)"),
        ('{"nbformat": 3, "cells": []}', "(nbformat is 3, expected 4)"),
        ('{"nbformat": 4, "cells": [{"cell_type": "x"}]}', "cell 1 is not a code, markdown"),
        (b"\xff\xfe junk", "is not UTF-8 text (byte 0)"),
    ],
)
def test_a_broken_notebook_is_refused_naming_the_file_and_the_fix(
    tmp_path: Path, content: str | bytes, words: str
) -> None:
    path = _write(tmp_path / "notebooks" / "03_goals.ipynb", content)
    with pytest.raises(InputError) as info:
        read_notebook(path, tmp_path)
    text = one_line(info.value)
    assert text.startswith("notebook notebooks/03_goals.ipynb ") and words in text
    assert text.endswith("(git checkout -- notebooks/03_goals.ipynb)")
    assert info.value.exit_code == 2


def test_a_missing_or_unreadable_notebook_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "notebooks" / "03_goals.ipynb"
    with pytest.raises(InputError, match="03_goals.ipynb is missing; "):
        read_notebook(path, tmp_path)
    nb = new_notebook(cells=[new_code_cell("x = 1")])
    _write(path, nbformat.writes(nb))
    assert read_notebook(path, tmp_path)["nbformat"] == 4

    def refuse(self: Path) -> bytes:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(FileSystemError) as info:
        read_notebook(path, tmp_path)
    text = one_line(info.value)
    assert "cannot read the notebook 'notebooks/03_goals.ipynb': permission denied" in text
    assert info.value.exit_code == 4


def test_a_notebook_against_the_schema_is_checked_before_it_runs(tmp_path: Path) -> None:
    cells = [new_code_cell("x = 1"), new_code_cell("y = 2")]
    nb = json.loads(nbformat.writes(new_notebook(cells=cells)))
    del nb["cells"][1]["outputs"]
    path = _write(tmp_path / "notebooks" / "a.ipynb", json.dumps(nb))
    read_notebook(path, tmp_path)  # the cheap check lets it through
    with pytest.raises(InputError) as info:
        validate_notebooks([path], tmp_path)
    assert "is not a valid Jupyter notebook (at cell 2: 'outputs' is a required" in str(info.value)


def test_plan_jobs_refuses_a_broken_notebook_before_any_kernel(tmp_path: Path) -> None:
    from test_runner import tiny

    from planbook.engine.build.plan import plan_jobs

    root = tmp_path / "book"
    for sub in ("data", "scenarios", "lib/planbook"):
        (root / sub).mkdir(parents=True)
    chapter = tiny(root, "nb", "x = 1")
    _write(root / "notebooks" / chapter.notebook, "[]")
    with pytest.raises(InputError, match="is not a Jupyter notebook"):
        plan_jobs([chapter], BookPaths(root), None, None, keep_last=False)
    assert not (root / "_build" / "cache").exists()


# --------------------------------------------------------------------------- the command


def test_the_command_turns_any_os_error_into_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from planbook import cli

    def broken(**kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "data/x.csv"))

    monkeypatch.setenv("PLANBOOK_ROOT", str(tmp_path))
    monkeypatch.setattr(cli, "app", broken)
    with pytest.raises(SystemExit) as info:
        cli.main()
    assert info.value.code == 4
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("error: cannot read or write 'data/x.csv': permission denied")


# --------------------------------------------------------------------------- processes

SLEEPER = """
import sys, time
sys.stdin.readline()
time.sleep(120)
"""


def test_an_interrupted_site_build_kills_jupyter_book(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(site_build, "_JUPYTER_BOOK", SLEEPER)
    builder = site_build.SiteBuilder()
    proc = builder.proc
    assert proc is not None
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))  # Ctrl-C
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        builder.run(["build"])
    timer.cancel()
    assert proc.poll() is not None and builder.proc is None
    unused = site_build.SiteBuilder()
    started = unused.proc
    unused.close()
    assert started is not None and started.poll() is not None


PARENT = """
import sys
from planbook.engine.build import site
site._JUPYTER_BOOK = sys.argv[1]
builder = site.SiteBuilder()
print(builder.proc.pid, flush=True)
builder.run(["build"])
"""


@pytest.mark.skipif(not LINUX, reason="the parent-death signal is Linux's")
def test_jupyter_book_dies_with_a_killed_build() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, SLEEPER], stdout=subprocess.PIPE, text=True
    )
    child = int(parent.stdout.readline())  # type: ignore[union-attr]
    time.sleep(0.3)
    assert pid_alive(child)
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 1.0
    while pid_alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not pid_alive(child)


@pytest.mark.skipif(not LINUX, reason="the parent-death signal is Linux's")
def test_kernels_die_with_the_process_that_started_them(tmp_path: Path) -> None:
    import papermill

    code = textwrap.dedent(
        """
        import ctypes
        value = ctypes.c_int(0)
        ctypes.CDLL(None).prctl(2, ctypes.byref(value), 0, 0, 0)
        print(value.value)
        """
    )
    nb = new_notebook(cells=[new_code_cell(code)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "py"}
    nbformat.write(nb, tmp_path / "in.ipynb")
    out = papermill.execute_notebook(
        str(tmp_path / "in.ipynb"),
        str(tmp_path / "out.ipynb"),
        kernel_name="python3",
        progress_bar=False,
        kernel_manager_class=kernel_manager_class(),
    )
    assert out.cells[0].outputs[0]["text"].strip() == str(int(signal.SIGKILL))
    assert parent_death_signal() == 0  # this process itself is not tied to pytest


def _processes_of(root: Path) -> list[str]:
    """Processes started for the book at ``root`` (found by their environment)."""
    wanted = f"PLANBOOK_ROOT={root}".encode()
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            if wanted in (proc / "environ").read_bytes().split(b"\0"):
                found.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()[:120])
        except OSError:
            continue
    return found


@pytest.mark.slow
@pytest.mark.skipif(not LINUX, reason="the parent-death signal is Linux's")
def test_sigkill_during_the_site_step_leaves_no_jupyter_book(
    book_copy: Path, tmp_path: Path
) -> None:
    intro = book_copy / "book" / "intro.md"
    intro.write_text(intro.read_text() + "\nAn added sentence.\n")  # the site must rebuild
    log = tmp_path / "build.log"
    exe = Path(sys.executable).with_name("planbook")
    env = {**os.environ, "PLANBOOK_ROOT": str(book_copy), "PYTHONUNBUFFERED": "1"}
    with open(log, "wb") as handle:
        proc = subprocess.Popen(
            [str(exe), "build"], cwd=book_copy, env=env, stdout=handle, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 300
        while "building the site" not in log.read_text():
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        time.sleep(1.5)  # Sphinx is at work
        assert len(_processes_of(book_copy)) >= 2, log.read_text()  # the build and Sphinx
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
    time.sleep(1.0)
    assert _processes_of(book_copy) == []
    result = planbook("build", root=book_copy)  # the next build runs alone and succeeds
    assert result.returncode == 0, result.stdout + result.stderr
    assert "site built" in result.stdout
