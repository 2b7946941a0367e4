"""Benchmark of parameter sweeps: ``planbook sweep`` against ``planbook run`` in a loop.

Measured in one run, each case on its own temporary copy of the book with an empty
cache (no point is a cache hit), on this machine:

(a) ``planbook run market --set ...`` called in a shell loop for the first ``--loop``
    points of the sweep (default 5), one after another: what a user would do by hand;
(b) ``planbook sweep market --sample N --range ...`` (default 100 points, a Latin
    hypercube over the market chapter's numeric parameters) on the local worker pool,
    one worker per core;
(c) the same sweep on a Dask ``LocalCluster`` of one single-threaded worker per core
    (``--executor dask``), cluster start-up included.

Each reports points per second; (b) is compared with (a) (target: at least 4 times) and
(c) with (b) (target: within 10%). When the build has warm kernels
(``lib/planbook/engine/build/warm.py``), every case also runs with ordinary kernels
(``PLANBOOK_WARM=0``) to show what they buy. Writes its section of ``bench/results.md``
(the other sections stay).

Run: ``.venv/bin/python bench/sweep.py [--points 100] [--loop 5] [--kernels both]``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from common import write_section

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RANGES = {
    "confidence": "0.5:0.99",
    "history_start": "2014:2018",
    "forecast_horizon": "1:10",
    "rate_tolerance_pp": "0:5",
    "level_tolerance_pct": "0:20",
}
"""The market chapter's numeric parameters and the ranges sampled (its schema's bounds;
``history_start`` stops at 2018: from 2019 the chapter has too few years to backtest)."""
SEED = 0
_SKIP = shutil.ignore_patterns(
    ".git", ".venv", "_build", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis",
    ".ipynb_checkpoints", "*.egg-info",
)  # fmt: skip


def copy_book(dest: Path) -> Path:
    """The book's sources (no builds, no executed chapters) copied to ``dest``."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        ignored = set(_SKIP(folder, names))
        if Path(folder).name == "book" and "chapters" in names:
            ignored.add("chapters")
        return ignored

    shutil.copytree(REPO, dest, ignore=ignore)
    return dest


def environment(root: Path, warm: bool) -> dict[str, str]:
    env = {
        **os.environ,
        "PLANBOOK_ROOT": str(root),
        "PYTHONPATH": str(root / "lib"),
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    if not warm:
        env["PLANBOOK_WARM"] = "0"
    return env


@dataclass
class Case:
    label: str
    kernels: str
    points: int
    seconds: float
    load: float
    failed: int = 0
    execution: float = 0.0

    @property
    def rate(self) -> float:
        return self.points / self.seconds


def timed(cmd: str | list[str], root: Path, warm: bool) -> tuple[float, str, float]:
    """Wall time, output and mean load average (1 minute, sampled every 5 s) of ``cmd``
    (a shell line or an argument list) run in ``root``."""
    samples: list[float] = []
    done = threading.Event()

    def sample() -> None:
        while not done.wait(5.0):
            samples.append(os.getloadavg()[0])

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.perf_counter()
    result = subprocess.run(
        cmd,
        cwd=root,
        env=environment(root, warm),
        shell=isinstance(cmd, str),
        executable="/bin/bash" if isinstance(cmd, str) else None,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    load = sum(samples) / len(samples) if samples else os.getloadavg()[0]
    if result.returncode not in (0, 1):
        raise SystemExit(f"failed ({result.returncode}): {cmd}\n{result.stderr[-2000:]}")
    return seconds, result.stdout + result.stderr, load


def median_execution(root: Path) -> float:
    """The median seconds one point's execution took (kernel and cells), from the cache's
    records of the book at ``root``."""
    seconds = []
    for manifest in (root / "_build" / "cache").glob("??/*/manifest.json"):
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            seconds.append(float(json.loads(manifest.read_text(encoding="utf-8"))["seconds"]))
    return statistics.median(seconds) if seconds else math.nan


def loop_points(n: int) -> list[dict[str, object]]:
    """The sweep's first ``n`` points (the same Latin hypercube, the same seed)."""
    sys.path.insert(0, str(REPO / "lib"))
    from planbook.engine.registry import get_chapter
    from planbook.engine.sweep.points import design

    chosen = design(get_chapter("market"), [], 100, [f"{k}={v}" for k, v in RANGES.items()], SEED)
    return chosen.points.drop(columns="point").head(n).to_dict(orient="records")


def run_loop(work: Path, n: int, warm: bool) -> Case:
    root = copy_book(work / f"loop-{'warm' if warm else 'ordinary'}")
    sets = [" ".join(f"--set {k}={v}" for k, v in p.items()) for p in loop_points(n)]
    script = (
        "set -e\nwhile read -r sets; do\n"
        f"  {shlex.quote(str(BIN / 'planbook'))} run market $sets > /dev/null\n"
        "done <<'POINTS'\n" + "\n".join(sets) + "\nPOINTS\n"
    )
    seconds, _, load = timed(script, root, warm)
    execution = median_execution(root)
    shutil.rmtree(root, ignore_errors=True)
    label = "`planbook run market --set …` in a shell loop"
    return Case(label, kernels(warm), n, seconds, load, execution=execution)


def run_sweep(work: Path, points: int, warm: bool, dask: bool) -> Case:
    name = f"sweep-{'dask' if dask else 'local'}-{'warm' if warm else 'ordinary'}"
    root = copy_book(work / name)
    cmd = [str(BIN / "planbook"), "sweep", "market", "--sample", str(points), "--seed", str(SEED)]
    for key, value in RANGES.items():
        cmd += ["--range", f"{key}={value}"]
    cmd += ["--jobs", str(cores()), "--out", str(work / f"{name}.csv")]
    cmd += ["--executor", "dask"] if dask else []
    seconds, output, load = timed(cmd, root, warm)
    found = re.search(r"(\d+) ok, (\d+) failed", output)
    if found is None:
        raise SystemExit(f"no summary line from the sweep:\n{output[-2000:]}")
    execution = median_execution(root)
    shutil.rmtree(root, ignore_errors=True)
    where = f"a {cores()}-worker Dask LocalCluster" if dask else "the local worker pool"
    label = f"`planbook sweep market --sample {points} …` on {where}"
    failed = int(found.group(2))
    return Case(label, kernels(warm), points, seconds, load, failed, execution)


def kernels(warm: bool) -> str:
    return "warm" if warm else "ordinary"


def cores() -> int:
    return len(os.sched_getaffinity(0))


def warm_available() -> bool:
    """Whether the build forks kernels from a warm server (the module exists and is used)."""
    module = REPO / "lib/planbook/engine/build/warm.py"
    run = REPO / "lib/planbook/engine/build/run.py"
    return module.is_file() and "warm" in run.read_text(encoding="utf-8")


def median_case(runs: list[Case]) -> Case:
    """One case from its runs: the median time (and the median load and point time)."""
    first = runs[0]
    return Case(
        first.label,
        first.kernels,
        first.points,
        statistics.median(r.seconds for r in runs),
        statistics.median(r.load for r in runs),
        max(r.failed for r in runs),
        statistics.median(r.execution for r in runs),
    )


def report(cases: list[Case], load: tuple[float, float], points: int, reps: int) -> str:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    ranges = ", ".join(f"{k} {v.replace(':', '–')}" for k, v in RANGES.items())
    lines = [
        "# Sweep benchmark",
        "",
        f"Measured by `bench/sweep.py` on {dt.date.today().isoformat()}: {cores()} cores "
        f"({cpu}), Python {platform.python_version()}. A {points}-point Latin hypercube "
        f"(seed {SEED}) over the market chapter's numeric parameters ({ranges}); the loop "
        f"runs the sweep's first points. Every case runs {reps} times (medians shown), in "
        "interleaved order, each time on its own copy of the book with an empty cache, so no "
        "point is a cache hit. Load average before / after: "
        f"{load[0]:.1f} / {load[1]:.1f}; the last column is the mean load average while "
        "the case ran (other work on the machine slows a case; 2 is two busy cores), and "
        "'one point' the median time one point's execution took (kernel and cells, from "
        "the cache's records).",
        "",
        "| case | kernels | points | seconds | points/s | ratio | target | met | load "
        "| one point |",
        "|---|---|---:|---:|---:|---:|---|---|---:|---:|",
    ]
    for kind in ("warm", "ordinary"):
        group = [c for c in cases if c.kernels == kind]
        if len(group) < 3:
            continue
        loop, local, dask = group
        rows = [
            (loop, "1.00 × (a)", "", ""),
            (
                local,
                f"{local.rate / loop.rate:.2f} × (a)",
                "≥ 4 × (a)",
                local.rate >= 4 * loop.rate,
            ),
            (
                dask,
                f"{dask.rate / local.rate:.2f} × (b)",
                "≥ 0.9 × (b)",
                dask.rate >= 0.9 * local.rate,
            ),
        ]
        for (case, ratio, target, met), key in zip(rows, "abc", strict=True):
            mark = "'" if kind == "ordinary" else ""
            failed = f" ({case.failed} failed)" if case.failed else ""
            shown = "" if met == "" else ("yes" if met else "no")
            lines.append(
                f"| ({key}{mark}) {case.label}{failed} | {case.kernels} | {case.points} | "
                f"{case.seconds:.1f} | {case.rate:.3f} | {ratio} | {target} | {shown} | "
                f"{case.load:.1f} | {case.execution:.1f} s |"
            )
    lines += [
        "",
        "Notes:",
        "",
        "- (a) pays, for every point, the command's start-up, the checks of the input, the "
        "build lock, a kernel and the chapter's imports, and copies the result into the book: "
        "its seconds per point less 'one point'. A sweep saves that and runs a point per "
        "core, so on two cores it is at most about 2 × (a's seconds per point) / (one point) "
        "times faster than the loop; the rest must come from a cheaper point.",
        "- (b) and (c) check every point before any kernel starts, then run the points in "
        "parallel; the time includes writing the table and the sensitivity page.",
        "- (c) includes starting the cluster and shipping the book's inputs to each worker; "
        "each worker runs its own warm kernel server when kernels are warm.",
        "- Every case shares the nested evaluation of the official series through the "
        "book's memo (`_build/memo`), one evaluation per start year of the history: the "
        "sweep's 100 points need 5 (history_start takes 5 values), the loop's first points "
        "one each, so the loop's 'one point' includes an evaluation a longer loop would "
        "mostly reuse. A loop whose points all reuse one (every point with one start year) "
        "costs about the command's start-up and a kernel more than the sweep's 'one point'.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=100)
    parser.add_argument("--loop", type=int, default=5)
    parser.add_argument("--kernels", choices=("both", "warm", "ordinary"), default="both")
    parser.add_argument("--reps", type=int, default=2, help="Runs of each case (medians).")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results.md")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    kinds = {"both": [True, False], "warm": [True], "ordinary": [False]}[args.kernels]
    if not warm_available():
        kinds = [False]
    work = Path(tempfile.mkdtemp(prefix="planbook-bench-sweep-", dir=args.workdir))
    load_before = os.getloadavg()[0]
    runs: dict[tuple[str, str], list[Case]] = {}
    try:
        for rep in range(args.reps):
            for warm in kinds:
                steps = ("loop", "local", "dask") if rep % 2 == 0 else ("dask", "local", "loop")
                for step in steps:  # interleaved: a busy spell does not hit one case only
                    if step == "loop":
                        c = run_loop(work, args.loop, warm)
                    else:
                        c = run_sweep(work, args.points, warm, dask=step == "dask")
                    runs.setdefault((kernels(warm), step), []).append(c)
                    print(f"{c.kernels}: {c.label}: {c.seconds:.1f} s, {c.rate:.3f} points/s",
                          flush=True)  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)
    cases = [
        median_case(runs[(kernels(w), step)]) for w in kinds for step in ("loop", "local", "dask")
    ]
    text = report(cases, (load_before, os.getloadavg()[0]), args.points, args.reps)
    write_section(args.out, text)
    print(text)


if __name__ == "__main__":
    main()
