"""Benchmark of the test suite: ``make test`` on a clean clone, as CI runs it.

Clones the repository's committed state (``git clone``, so nothing uncommitted and no
``_build`` or ``.venv`` comes along), then times, in that clone:

(a) the set-up: ``make .venv/.installed`` (the virtual environment from
    ``requirements.lock``; pip's download cache, if any, is used as on a CI runner
    with a warm cache);
(b) ``make test``: lint, then pytest with one worker per core, nbval on every chapter,
    the book built with warnings as errors, the browser test.

The target of the reruns issue is (b) under 6 minutes on 2 cores. The slowest tests
come from pytest's ``--durations`` (passed through ``PYTEST_ADDOPTS``). Writes its
section of ``bench/results.md``.

    python bench/suite.py [--out bench/results.md] [--workdir DIR] [--keep]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from common import machine, write_section

REPO = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 360.0
"""The reruns issue's target for ``make test`` on a clean clone of 2 cores."""

DURATIONS = 12
"""How many of the slowest tests the report lists."""


@dataclass(frozen=True)
class Step:
    name: str
    seconds: float
    returncode: int
    output: str


def run(name: str, cmd: list[str], cwd: Path, env: dict[str, str]) -> Step:
    """Run ``cmd`` in ``cwd``; its time, exit code and output."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    return Step(name, time.perf_counter() - start, proc.returncode, proc.stdout + proc.stderr)


def summary(output: str) -> str:
    """pytest's last line (``N passed, M skipped in S s``), or an empty string."""
    lines = [line.strip("= ") for line in output.splitlines() if re.search(r" in [\d.]+s", line)]
    return lines[-1] if lines else ""


def slowest(output: str, n: int = DURATIONS) -> list[tuple[float, str, str]]:
    """The ``n`` slowest test phases pytest reported: (seconds, phase, test)."""
    found = []
    for line in output.splitlines():
        match = re.match(r"^\s*([\d.]+)s (call|setup|teardown)\s+(\S+)", line)
        if match:
            found.append((float(match[1]), match[2], match[3]))
    return sorted(found, reverse=True)[:n]


def load() -> float:
    return os.getloadavg()[0]


def report(setup: Step, test: Step, before: float, after: float, commit: str) -> str:
    info = machine()
    met = "yes" if test.returncode == 0 and test.seconds <= TARGET_SECONDS else "**no**"
    lines = [
        "# Test suite benchmark",
        "",
        f"Measured by `bench/suite.py` on {dt.date.today().isoformat()}: {info['cores']} cores "
        f"({info['cpu']}), {info['memory']} RAM, Python {info['python']}; a clean clone of "
        f"commit {commit}. Load average before / after: {before:.1f} / {after:.1f} (other "
        "work on the machine slows the suite).",
        "",
        "| step | seconds | exit code | target | met |",
        "|---|---:|---:|---|---|",
        f"| (a) set-up: `make .venv/.installed` | {setup.seconds:.0f} | {setup.returncode} |  |  |",
        f"| (b) `make test` | {test.seconds:.0f} | {test.returncode} | "
        f"≤ {TARGET_SECONDS:.0f} s | {met} |",
        "",
        f"pytest: {summary(test.output) or 'no summary line (see the exit code)'}.",
        "",
        "Slowest test phases (pytest `--durations`; they run on "
        f"{info['cores']} workers at once, so they overlap):",
        "",
        "| seconds | phase | test |",
        "|---:|---|---|",
    ]
    lines += [f"| {s:.1f} | {phase} | `{name}` |" for s, phase, name in slowest(test.output)]
    lines += [
        "",
        "Notes:",
        "",
        "- The book is built once for the whole run, in the background while the tests that "
        "do not need it run; nbval re-executes every chapter of it in kernels forked from a "
        "warm server (the first and the last chapter in ordinary kernels).",
        "- (a) depends on the network and pip's cache; CI's time for it differs.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results.md")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the clone")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="suite-bench-", dir=args.workdir))
    clone = work / "clone"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLANBOOK_", "PYTEST"))}
    env.pop("PYTHONPATH", None)
    env.pop("VIRTUAL_ENV", None)
    env["PYTEST_ADDOPTS"] = f"--durations={DURATIONS}"
    try:
        subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=clone,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        before = load()
        print(f"set-up in {clone} ...", flush=True)
        setup = run("setup", ["make", ".venv/.installed"], clone, env)
        if setup.returncode != 0:
            sys.exit(f"error: the set-up failed:\n{setup.output[-3000:]}")
        print("make test ...", flush=True)
        test = run("test", ["make", "test"], clone, env)
        after = load()
        text = report(setup, test, before, after, commit)
        write_section(args.out, text)
        print(text)
        if test.returncode != 0:
            print(test.output[-5000:], file=sys.stderr)
            sys.exit(1)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
