"""Chapters on Dask: a real scheduler and two workers that share no folder with the book.

The workers start from their own folders (never the repository) without ``PLANBOOK_ROOT``
or ``PYTHONPATH``: everything a chapter needs reaches them from the client, and only the
client writes the cache.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from conftest import copy_book, planbook
from nbformat.v4 import new_code_cell, new_notebook

from planbook.engine.build.cache import cache_for
from planbook.engine.build.executors import ExecutorSpec
from planbook.engine.build.plan import plan_jobs
from planbook.engine.build.run import run_jobs
from planbook.engine.registry import Chapter
from planbook.engine.sweep import table as ST
from planbook.paths import BookPaths

pytestmark = pytest.mark.slow

DASK = Path(sys.executable).with_name("dask")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(args: list[str], cwd: Path) -> subprocess.Popen[bytes]:
    """A ``dask`` process in a session of its own (killed with its group), started in
    ``cwd`` with an environment that names no book."""
    env = {k: v for k, v in os.environ.items() if k not in {"PLANBOOK_ROOT", "PYTHONPATH"}}
    env.update({"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"})
    cwd.mkdir(parents=True, exist_ok=True)
    with open(cwd / "dask.log", "ab") as log:
        return subprocess.Popen(
            [str(DASK), *args], cwd=cwd, env=env, stdout=log, stderr=log, start_new_session=True
        )


@pytest.fixture()
def cluster(tmp_path: Path) -> Iterator[str]:
    """``dask scheduler`` on a free port of 127.0.0.1 and two single-threaded workers."""
    from distributed import Client

    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = []
    try:
        scheduler = ["scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"]
        procs.append(_start(scheduler, tmp_path / "scheduler"))
        for name in ("w1", "w2"):
            folder = tmp_path / name
            worker = ["worker", address, "--nthreads", "1", "--nworkers", "1", "--no-dashboard"]
            procs.append(_start([*worker, "--local-directory", str(folder)], folder))
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=90)
        yield address
    finally:
        for proc in procs:
            with contextlib.suppress(OSError):
                os.killpg(proc.pid, signal.SIGKILL)
        for proc in procs:
            with contextlib.suppress(Exception):
                proc.wait(timeout=10)


COLUMNS = ["point", "confidence", "forecast_horizon", "number", "text", "status"]


def test_a_sweep_on_a_dask_cluster_gives_the_local_numbers(cluster: str, tmp_path: Path) -> None:
    args = ["sweep", "market", "--sample", "2", "--seed", "5"]
    args += ["--range", "confidence=0.6:0.95", "--range", "forecast_horizon=2:6"]
    local_root, dask_root = copy_book(tmp_path / "local"), copy_book(tmp_path / "remote")
    local = planbook(*args, "--out", str(tmp_path / "local.csv"), root=local_root)
    assert local.returncode == 0, local.stdout + local.stderr
    start = time.monotonic()
    remote = planbook(*args, "--out", str(tmp_path / "dask.csv"), "--scheduler", cluster,
                      root=dask_root)  # fmt: skip
    assert remote.returncode == 0, remote.stdout + remote.stderr
    assert "2 points (0 from cache), 2 ok, 0 failed" in remote.stdout
    assert "Traceback" not in remote.stderr and time.monotonic() - start < 600

    mine, theirs = ST.read_table(tmp_path / "local.csv"), ST.read_table(tmp_path / "dask.csv")
    assert len(mine) > 100 and mine[COLUMNS].equals(theirs[COLUMNS])
    assert mine["value"].equals(theirs["value"])
    # the same executions, stored by the client in its own cache
    keys = {p.name for p in (local_root / "_build/cache").glob("??/*") if p.is_dir()}
    assert keys and keys == {p.name for p in (dask_root / "_build/cache").glob("??/*")}
    assert len(list((dask_root / "_build/sweeps/logs").glob("market-*.log"))) == 2
    # each worker ran the copy of the book it was sent, in its own folder
    unpacked = [
        path
        for worker in ("w1", "w2")
        for path in (tmp_path / worker).rglob("planbook-*/notebooks/01_market_background.ipynb")
    ]
    assert unpacked and all(str(dask_root) not in str(p) for p in unpacked)


KILLER = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n"  # kills its worker
GLUE = "from myst_nb import glue\nglue('double', confidence * 2, display=False)\n"


def tiny(root: Path, name: str, body: str) -> Chapter:
    """A two-cell notebook (parameters, ``body``) registered as a 'market' chapter."""
    nb = new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    params = new_code_cell("confidence = 0.9\n")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, new_code_cell(body)]
    (root / "notebooks").mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, root / "notebooks" / f"{name}.ipynb")
    return Chapter(1, "market", name, f"{name}.ipynb", name, ("1.1",))


def test_a_dask_worker_that_dies_fails_its_chapter_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANBOOK_WARM", "0")  # the kernel's parent is then the worker itself
    checkout = BookPaths(tmp_path / "book")
    chapters = [tiny(checkout.root, "killer", KILLER), tiny(checkout.root, "fine", GLUE)]
    jobs = plan_jobs(chapters, checkout, None, None, keep_last=False)
    result = run_jobs(jobs, checkout, workers=2, executor=ExecutorSpec("dask"))
    assert [j.chapter.title for j in result.ran] == ["fine"], result.failed
    [(job, message)] = result.failed
    assert job.chapter.title == "killer" and "Dask worker died" in message
    assert "\n" not in message and "Traceback" not in message
    assert jobs[1].key in cache_for(checkout) and jobs[0].key not in cache_for(checkout)
