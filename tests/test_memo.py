"""The memo of slow computations (planbook.memo): exact keys, safe reads and writes."""

from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from planbook import memo as M
from planbook.engine.build.execute import kernel_variables
from planbook.paths import BookPaths


def series(values: list[float], start: int = 2014) -> dict[str, pd.Series]:
    return {"x": pd.Series(values, index=range(start, start + len(values)), name="x")}


def counted(value: object) -> tuple[list[int], object]:
    calls: list[int] = []

    def compute() -> object:
        calls.append(1)
        return value

    return calls, compute


def test_no_directory_computes_every_time() -> None:
    calls, compute = counted({"a": 1})
    assert M.memoized("f", b"in", compute, None) == {"a": 1}
    assert M.memoized("f", b"in", compute, None) == {"a": 1}
    assert len(calls) == 2


def test_same_inputs_are_computed_once(tmp_path: Path) -> None:
    calls, compute = counted(pd.Series([1.5, 2.5]))
    first = M.memoized("f", b"in", compute, tmp_path)
    second = M.memoized("f", b"in", compute, tmp_path)
    assert len(calls) == 1
    pd.testing.assert_series_equal(first, second)
    assert [p.name.startswith("f-") for p in tmp_path.glob("*.pickle")] == [True]


def test_other_inputs_or_names_are_computed_again(tmp_path: Path) -> None:
    calls, compute = counted(1)
    M.memoized("f", b"in", compute, tmp_path)
    M.memoized("f", b"other", compute, tmp_path)
    M.memoized("g", b"in", compute, tmp_path)
    assert len(calls) == 3


def test_fingerprint_is_exact() -> None:
    base = M.fingerprint(series([1.0, 2.0, 3.0]), 7, 3)
    assert base == M.fingerprint(series([1.0, 2.0, 3.0]), 7, 3)
    assert base != M.fingerprint(series([1.0, 2.0, 3.0 + 1e-12]), 7, 3)  # one bit of a value
    assert base != M.fingerprint(series([1.0, 2.0, 3.0], start=2015), 7, 3)  # the years
    assert base != M.fingerprint(series([1.0, 2.0]), 7, 3)
    assert base != M.fingerprint(series([1.0, 2.0, 3.0]), 8, 3)  # a setting
    renamed = {"y": series([1.0, 2.0, 3.0])["x"]}
    assert base != M.fingerprint(renamed, 7, 3)


def test_a_change_in_the_package_source_changes_the_key(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text("X = 1\n", encoding="utf-8")
    before = M.memo_key("f", b"in", package)
    (package / "a.py").write_text("X = 2\n", encoding="utf-8")
    assert M.memo_key("f", b"in", package) != before
    (package / "a.py").write_text("X = 1\n", encoding="utf-8")
    assert M.memo_key("f", b"in", package) == before
    (package / "sub").mkdir()
    (package / "sub" / "b.py").write_text("", encoding="utf-8")
    assert M.memo_key("f", b"in", package) != before


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05garbage"])
def test_a_damaged_entry_is_computed_again(tmp_path: Path, damage: bytes) -> None:
    calls, compute = counted([1, 2])
    M.memoized("f", b"in", compute, tmp_path)
    [entry] = tmp_path.glob("*.pickle")
    entry.write_bytes(damage)
    assert M.memoized("f", b"in", compute, tmp_path) == [1, 2]
    assert len(calls) == 2
    assert M.memoized("f", b"in", compute, tmp_path) == [1, 2]
    assert len(calls) == 2  # replaced by a good entry


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores permissions")
def test_a_read_only_folder_only_costs_the_time(tmp_path: Path) -> None:
    tmp_path.chmod(0o500)
    try:
        calls, compute = counted(3)
        assert M.memoized("f", b"in", compute, tmp_path / "memo") == 3
        assert M.memoized("f", b"in", compute, tmp_path / "memo") == 3
        assert len(calls) == 2
    finally:
        tmp_path.chmod(0o700)


def test_a_file_in_place_of_the_folder_only_costs_the_time(tmp_path: Path) -> None:
    blocker = tmp_path / "memo"
    blocker.write_text("not a folder", encoding="utf-8")
    calls, compute = counted(3)
    assert M.memoized("f", b"in", compute, blocker) == 3
    assert M.memoized("f", b"in", compute, blocker) == 3
    assert len(calls) == 2


def test_only_the_newest_entries_are_kept(tmp_path: Path) -> None:
    for i in range(M.MAX_ENTRIES + 5):
        M.memoized("f", str(i).encode(), lambda i=i: i, tmp_path)
        os.utime(next(tmp_path.glob(f"{M.memo_key('f', str(i).encode())}.pickle")), (i, i))
    assert len(list(tmp_path.glob("*.pickle"))) == M.MAX_ENTRIES
    calls, compute = counted(-1)
    assert M.memoized("f", str(M.MAX_ENTRIES + 4).encode(), compute, tmp_path) == M.MAX_ENTRIES + 4
    assert not calls


def test_memo_dir_reads_the_environment() -> None:
    assert M.memo_dir({}) is None
    assert M.memo_dir({M.MEMO_ENV: ""}) is None
    assert M.memo_dir({M.MEMO_ENV: "/x/memo"}) == Path("/x/memo")


def test_the_build_gives_its_kernels_the_book_s_memo(tmp_path: Path) -> None:
    assert kernel_variables(tmp_path)[M.MEMO_ENV] == str(BookPaths(tmp_path).memo)


def test_the_official_evaluation_is_the_same_from_the_memo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planbook.methods.forecast.official_forecasts import evaluate_official

    fresh = evaluate_official(2016, horizon=2)
    monkeypatch.setenv(M.MEMO_ENV, str(tmp_path))
    stored = evaluate_official(2016, horizon=2)
    again = evaluate_official(2016, horizon=2)
    assert len(list(tmp_path.glob("evaluate_official-*.pickle"))) == 1
    for ev in (stored, again):
        for name in ("summary", "scores", "rows", "choices", "factors", "coverage"):
            assert_same(getattr(ev, name), getattr(fresh, name))


def assert_same(a: object, b: object) -> None:
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b)
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b)
    elif isinstance(a, dict):
        assert a.keys() == b.keys()
        for key in a:
            assert_same(a[key], b[key])
    else:
        assert a == b


def _ask(directory: Path, start: Any, out: Any) -> None:
    """In a child process: wait for the other, then ask for one entry (slow to compute)."""
    computed = []

    def compute() -> int:
        computed.append(1)
        time.sleep(0.5)  # long enough for the other process to ask meanwhile
        return 42

    start.wait()
    value = M.memoized("slow", b"in", compute, directory)
    out.put((bool(computed), value))


def test_processes_that_ask_at_once_compute_once(tmp_path: Path) -> None:
    """Two processes ask for one entry at the same moment: one computes, one reads."""
    ctx = multiprocessing.get_context("fork")
    start, out = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_ask, args=(tmp_path, start, out)) for _ in range(2)]
    for proc in procs:
        proc.start()
    results = [out.get(timeout=60) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
    assert sorted(computed for computed, _ in results) == [False, True]
    assert [value for _, value in results] == [42, 42]
