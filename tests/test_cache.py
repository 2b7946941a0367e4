"""The execution cache: atomic entries, checksums verified before use, pruning."""

from __future__ import annotations

import json
import multiprocessing
import os
import socket
from pathlib import Path

import pytest
from test_runner import GLUE, tiny

from planbook.engine.build.books import materialize
from planbook.engine.build.cache import (
    MANIFEST,
    NOTEBOOK,
    Cache,
    cache_for,
    pid_alive,
    sha256_bytes,
)
from planbook.engine.build.plan import STALE, plan_jobs
from planbook.engine.build.run import run_jobs
from planbook.engine.glued import glued_values
from planbook.paths import BookPaths

KEY = "ab" + "0" * 62
OTHER = "cd" + "1" * 62


def notebook(text: str = "x") -> bytes:
    return json.dumps({"cells": [], "metadata": {"planbook": {"text": text}}}).encode()


def test_put_then_get_returns_the_same_bytes(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    assert cache.get(KEY) is None
    entry = cache.put(KEY, notebook(), {"chapter": "market"})
    assert entry.folder == tmp_path / "cache" / "ab" / KEY
    got = cache.get(KEY)
    assert got is not None and got.notebook.read_bytes() == notebook()
    manifest = json.loads((got.folder / MANIFEST).read_text())
    assert manifest["sha256"] == sha256_bytes(notebook())
    assert manifest["size"] == len(notebook()) and manifest["chapter"] == "market"
    assert KEY in cache and OTHER not in cache
    assert list(cache.stored_keys()) == [KEY]
    assert not any(cache.scratch.iterdir())  # nothing left behind


@pytest.mark.parametrize(
    "damage",
    [
        lambda folder: (folder / NOTEBOOK).write_bytes(notebook("tampered")),
        lambda folder: (folder / NOTEBOOK).write_bytes(notebook()[:10]),  # truncated
        lambda folder: (folder / NOTEBOOK).unlink(),
        lambda folder: (folder / MANIFEST).unlink(),  # partial entry
        lambda folder: (folder / MANIFEST).write_text("{not json"),
        lambda folder: (folder / MANIFEST).write_text(json.dumps({"key": KEY})),
    ],
    ids=["edited", "truncated", "no notebook", "no manifest", "bad manifest", "old manifest"],
)
def test_a_damaged_entry_is_discarded(tmp_path: Path, damage) -> None:
    cache = Cache(tmp_path)
    entry = cache.put(KEY, notebook())
    damage(entry.folder)
    assert cache.verify(KEY) is None
    assert cache.get(KEY) is None
    assert not entry.folder.exists()  # discarded, so the chapter runs again
    cache.put(KEY, notebook())  # and can be stored afresh
    assert cache.get(KEY) is not None


def _flip_one_byte(path: Path) -> None:
    """Change one byte in the middle of ``path``, keeping its length."""
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def _same_length_edit(path: Path) -> None:
    """Edit the notebook's text keeping its length and keeping it valid JSON."""
    data = path.read_bytes()
    assert data.count(b'"x"') == 1
    path.write_bytes(data.replace(b'"x"', b'"y"'))


@pytest.mark.parametrize("damage", [_flip_one_byte, _same_length_edit], ids=["bit flip", "edit"])
def test_a_same_length_corruption_is_caught_by_the_checksum(tmp_path: Path, damage) -> None:
    # the size in the manifest still matches: only the checksum can tell
    cache = Cache(tmp_path)
    entry = cache.put(KEY, notebook())
    before = entry.notebook.stat().st_size
    damage(entry.notebook)
    assert entry.notebook.stat().st_size == before
    assert entry.notebook.read_bytes() != notebook()
    assert cache.verify(KEY) is None and KEY not in cache
    assert cache.get(KEY) is None
    assert not entry.folder.exists()


@pytest.fixture()
def checkout(tmp_path: Path) -> BookPaths:
    """A scratch checkout with what an execution key reads (as in test_runner)."""
    root = tmp_path / "book"
    for sub in ("data/plan", "scenarios", "lib/planbook"):
        (root / sub).mkdir(parents=True)
    (root / "data/plan/claims.csv").write_text("id,value\nC1,1\n")
    (root / "lib/planbook/x.py").write_text("X = 1\n")
    (root / "requirements.lock").write_text("pandas==3.1.0\n")
    return BookPaths(root)


def test_a_same_length_corruption_makes_the_chapter_run_again(checkout: BookPaths) -> None:
    # end to end on a tiny chapter: a cached notebook whose glued 1.8 became 9.8 (same
    # length) is not handed out; the chapter runs again and glues 1.8
    chapter = tiny(checkout.root, "flip", GLUE)
    [job] = plan_jobs([chapter], checkout, None, None, keep_last=False)
    assert run_jobs([job], checkout, workers=1).ran == [job]
    cached = cache_for(checkout).folder(job.key) / NOTEBOOK
    data = cached.read_bytes()
    glued = b'record/text/plain": "1.8"'
    assert data.count(glued) == 1
    cached.write_bytes(data.replace(glued, glued.replace(b"1.8", b"9.8")))
    [job] = plan_jobs([chapter], checkout, None, None, keep_last=False)
    assert job.state == STALE  # not "from cache"
    assert run_jobs([job], checkout, workers=1).ran == [job]
    materialize([job], checkout)
    assert glued_values(job.output) == {"double": 1.8}


def test_put_over_an_existing_entry_keeps_a_valid_one(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.put(KEY, notebook("first"))
    again = cache.put(KEY, notebook("second"))  # same key: same execution, first one wins
    assert again.notebook.read_bytes() == notebook("first")
    # a broken entry in the way is replaced
    (cache.folder(KEY) / MANIFEST).unlink()
    cache.put(KEY, notebook("third"))
    assert cache.get(KEY).notebook.read_bytes() == notebook("third")


def _put_many(root: str, tag: str) -> None:
    cache = Cache(Path(root))
    for _ in range(20):
        cache.put(KEY, notebook(tag))


def test_concurrent_writers_never_leave_a_broken_entry(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_put_many, args=(str(tmp_path), t)) for t in "ab"]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    entry = Cache(tmp_path).get(KEY)
    assert entry is not None
    assert entry.notebook.read_bytes() in {notebook("a"), notebook("b")}


def test_keys_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        Cache(tmp_path).folder("../../etc")


def test_prune_evicts_least_recently_used_but_keeps_what_books_hold(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    keys = [f"{i:02x}" + "e" * 62 for i in range(4)]
    for i, key in enumerate(keys):
        cache.put(key, notebook(str(i)) * 100)
        os.utime(cache.folder(key) / MANIFEST, (1000 + i, 1000 + i))
    size = cache.size(keys[0])
    cache.get(keys[0])  # used just now: most recent
    removed, freed = cache.prune(keep={keys[1]}, max_bytes=2 * size)
    assert removed == 2 and freed == 2 * size
    assert set(cache.stored_keys()) == {keys[0], keys[1]}
    removed, _ = cache.prune(keep={keys[1]})  # no cap: everything not kept
    assert removed == 1 and set(cache.stored_keys()) == {keys[1]}
    cache.prune(everything=True)
    assert list(cache.stored_keys()) == []


def test_scratch_left_by_a_dead_process_is_removed(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    mine = cache.new_scratch("run")
    ctx = multiprocessing.get_context("spawn")
    child = ctx.Process(target=os.getpid)
    child.start()
    child.join()
    assert not pid_alive(child.pid)
    dead = cache.scratch / f"run-{socket.gethostname()}-{child.pid}-deadbeef"
    dead.mkdir()
    (dead / "half.ipynb").write_text("{")
    assert cache.clean_scratch() == 1
    assert mine.exists() and not dead.exists()


def test_pid_alive() -> None:
    assert pid_alive(os.getpid())
    assert not pid_alive(0) and not pid_alive(-5)


@pytest.mark.slow
def test_planbook_clean_prunes_what_no_book_holds(book_copy: Path) -> None:
    from conftest import planbook

    from planbook.engine.registry import CHAPTERS

    cache = Cache(book_copy / "_build" / "cache")
    held = set(cache.stored_keys())
    assert len(held) >= len(CHAPTERS)
    cache.put(KEY, notebook("left over from an old parameter value"))
    result = planbook("clean", "--cache", root=book_copy)
    assert result.returncode == 0, result.stderr
    assert "removed 1 cached executions" in result.stdout
    assert set(cache.stored_keys()) == held
    result = planbook("clean", "--all", root=book_copy)
    assert result.returncode == 0 and list(cache.stored_keys()) == []
    # the book itself still holds every execution: nothing needs to run
    result = planbook("build", root=book_copy)
    assert result.returncode == 0 and "running" not in result.stdout
