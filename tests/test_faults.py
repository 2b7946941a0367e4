"""Faults: a build killed with SIGKILL, a damaged cache, two builds at once, stale locks.

Each test works on a copy of the built book, whose cache is warm, so only the chapters
a test changes are executed again.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import planbook, snapshot

from planbook.engine.build.cache import Cache
from planbook.engine.build.keys import recorded
from planbook.engine.build.lock import BuildLock, Holder, LockBusyError
from planbook.engine.glued import glued_values
from planbook.engine.registry import CHAPTERS


def insert_cell(root: Path, notebook: str, source: str, cell_id: str = "inserted") -> None:
    """Insert a code cell after the setup cells of a chapter notebook of the copy."""
    path = root / "notebooks" / notebook
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"] = [c for c in nb["cells"] if c.get("id") != cell_id]
    cell = {
        "cell_type": "code",
        "execution_count": None,
        "id": cell_id,
        "metadata": {},
        "outputs": [],
        "source": [source],
    }
    nb["cells"].insert(4, cell)
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")


def outputs(root: Path) -> dict[str, str]:
    """Hashes of the executed book and the published site."""
    return {k: v for k, v in snapshot(root).items() if k.startswith(("book/", "_build/html/"))}


def processes_of(root: Path) -> list[int]:
    """Processes (workers, kernels) started for the book at ``root``."""
    wanted = f"PLANBOOK_ROOT={root}".encode()
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            if wanted in (proc / "environ").read_bytes().split(b"\0"):
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def start_build(root: Path, log: Path, *args: str) -> subprocess.Popen[bytes]:
    exe = Path(sys.executable).with_name("planbook")
    env = {**os.environ, "PLANBOOK_ROOT": str(root), "PYTHONUNBUFFERED": "1"}
    with open(log, "wb") as handle:
        return subprocess.Popen(
            [str(exe), "build", *args], cwd=root, env=env, stdout=handle, stderr=subprocess.STDOUT
        )


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


@pytest.mark.slow
def test_sigkill_mid_build_leaves_site_and_cache_usable(
    book_copy: Path, built_book: Path, tmp_path: Path
) -> None:
    slow = CHAPTERS[: min(2, len(CHAPTERS))]
    for chapter in slow:
        insert_cell(book_copy, chapter.notebook, "import time\ntime.sleep(120)")
    before = outputs(book_copy)
    log = tmp_path / "build.log"
    proc = start_build(book_copy, log, "--jobs", "2")
    try:
        wait_for(lambda: log.read_text().count("running") >= len(slow), 300, "the slow chapters")
        time.sleep(3)  # well inside the slow cell
        assert proc.poll() is None, log.read_text()
        assert BuildLock(book_copy / "_build/planbook.lock").holder().pid == proc.pid
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    # workers and kernels die with the build instead of running on
    wait_for(lambda: not processes_of(book_copy), 30, "orphaned workers and kernels to exit")
    # the last good pages and site are intact, and every cache entry is whole
    assert outputs(book_copy) == before
    cache = Cache(book_copy / "_build/cache")
    keys = list(cache.stored_keys())
    assert keys and all(cache.verify(k) is not None for k in keys)
    # the next build clears the stale lock, runs the changed chapters and is correct
    for chapter in slow:
        insert_cell(book_copy, chapter.notebook, "import time\ntime.sleep(0.01)")
    result = planbook("build", root=book_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "cleared a stale build lock" in result.stdout
    assert result.stdout.count("running") == len(slow)
    for chapter in CHAPTERS:
        new = glued_values(book_copy / "book/chapters" / chapter.notebook)
        assert new == glued_values(built_book / "book/chapters" / chapter.notebook), chapter.slug
    assert not any((book_copy / "_build/cache/tmp").iterdir())
    assert (book_copy / f"_build/html/notebooks/{slow[0].stem}.html").is_file()


@pytest.mark.slow
def test_a_corrupted_cache_entry_is_discarded_and_the_chapter_rerun(
    book_copy: Path, built_book: Path
) -> None:
    chapter = CHAPTERS[0]
    executed = book_copy / "book/chapters" / chapter.notebook
    key = recorded(executed)["key"]
    cache = Cache(book_copy / "_build/cache")
    entry = cache.verify(key)
    assert entry is not None
    with open(entry.notebook, "ab") as handle:
        handle.write(b"\n garbage")  # a disk error or a hand edit
    executed.unlink()
    result = planbook("run", chapter.slug, root=book_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "running" in result.stdout and "from cache" not in result.stdout
    assert cache.verify(key) is not None  # stored afresh
    assert glued_values(executed) == glued_values(built_book / "book/chapters" / chapter.notebook)


# --------------------------------------------------------------------------- the lock

HOLD = """
import sys, time
from pathlib import Path
from planbook.engine.build.lock import BuildLock
with BuildLock(Path(sys.argv[1]), command="planbook build (test holder)"):
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def hold_lock(path: Path, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "locked"
    return proc


@pytest.mark.slow
def test_second_build_waits_times_out_or_refuses(book_copy: Path) -> None:
    lock = book_copy / "_build/planbook.lock"
    holder = hold_lock(lock, 60)
    try:
        before = snapshot(book_copy)
        refused = planbook("build", "--no-wait", root=book_copy)
        assert refused.returncode == 3, refused.stdout + refused.stderr
        [line] = refused.stderr.strip().splitlines()
        assert line.startswith("error: another build is running")
        assert f"pid {holder.pid}" in line and "test holder" in line
        timed_out = planbook("build", "--lock-timeout", "1", root=book_copy)
        assert timed_out.returncode == 3
        assert "waiting for another build to finish" in timed_out.stdout
        assert timed_out.stderr.strip().startswith("error: gave up after waiting")
        assert "running" not in refused.stdout + timed_out.stdout
        assert {k: v for k, v in snapshot(book_copy).items() if "planbook.lock" not in k} == {
            k: v for k, v in before.items() if "planbook.lock" not in k
        }
    finally:
        holder.kill()
        holder.wait()
    # the holder died without releasing: the flock went with it
    result = planbook("build", "--no-wait", root=book_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "cleared a stale build lock" in result.stdout


@pytest.mark.slow
def test_two_builds_at_once_never_interleave(book_copy: Path, tmp_path: Path) -> None:
    insert_cell(book_copy, CHAPTERS[0].notebook, "y_unused = 1")
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    procs = [start_build(book_copy, log) for log in logs]
    for proc in procs:
        proc.wait(600)
    texts = [log.read_text() for log in logs]
    assert [p.returncode for p in procs] == [0, 0], texts
    # exactly one build ran the chapter; the other waited, then found it up to date
    assert sorted(t.count("running") for t in texts) == [0, 1], texts
    waited = next(t for t in texts if "running" not in t)
    assert "waiting for another build to finish" in waited
    assert "site up to date" in waited


def test_stale_record_and_orphaned_lock_are_cleared(tmp_path: Path) -> None:
    path = tmp_path / "planbook.lock"
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = int(child.stdout)
    record = Holder(dead, Holder.me("").host, "2026-01-01T00:00:00", "planbook build")
    # 1. a record left behind, no flock held (the usual crash): cleared with a message
    path.write_text(record.dumps())
    messages: list[str] = []
    with BuildLock(path, wait=False, report=messages.append):
        assert Holder.parse(path.read_text()).pid == os.getpid()
    assert path.read_text() == "" and "did not finish" in messages[0]
    # 2. the flock still held by a stray process while the recorded build is gone
    code = (
        "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); "
        "fcntl.flock(fd, fcntl.LOCK_EX); os.write(fd, sys.argv[2].encode()); "
        "print('held', flush=True); time.sleep(60)"
    )
    stray = subprocess.Popen(
        [sys.executable, "-c", code, str(path), record.dumps()], stdout=subprocess.PIPE, text=True
    )
    try:
        assert stray.stdout.readline().strip() == "held"
        messages.clear()
        with BuildLock(path, wait=False, report=messages.append) as lock:
            assert lock.held
        assert "is gone" in messages[0]
    finally:
        stray.kill()
        stray.wait()


def test_a_live_holder_is_respected(tmp_path: Path) -> None:
    path = tmp_path / "planbook.lock"
    holder = hold_lock(path, 30)
    try:
        with pytest.raises(LockBusyError) as info:
            BuildLock(path, wait=False).acquire()
        assert info.value.exit_code == 3 and f"pid {holder.pid}" in str(info.value)
        messages: list[str] = []
        start = time.monotonic()
        with pytest.raises(LockBusyError, match="gave up"):
            BuildLock(path, timeout=0.5, report=messages.append).acquire()
        assert time.monotonic() - start >= 0.5 and messages[0].startswith("waiting")
    finally:
        holder.kill()
        holder.wait()
    with BuildLock(path, wait=False):
        pass


def test_lock_waits_until_the_holder_finishes(tmp_path: Path) -> None:
    path = tmp_path / "planbook.lock"
    holder = hold_lock(path, 1.5)
    start = time.monotonic()
    with BuildLock(path, timeout=30):
        assert time.monotonic() - start > 0.5
    holder.wait()
