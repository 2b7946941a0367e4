"""Benchmark of the build: the naive way against ``planbook build``, on this machine.

Measured in one run, on temporary copies of the book (never on the checkout itself),
each case repeated (default 3 times, in interleaved order so that a busy moment of
the machine does not land on one case only), reporting medians:

(a) naive: every chapter notebook through papermill one after another, then a full
    ``jupyter-book build`` of the same sources (warnings allowed: the files and pages
    ``planbook build`` stages for the site are missing there);
(b) ``planbook build`` cold: empty cache, nothing executed;
(c) ``planbook build`` again with nothing changed;
(d) ``planbook build`` after one chapter's parameter changed (a new value each time);
(e) ``planbook build`` after an edit to one chapter's module in ``lib/`` (only the chapters
    that import it re-run);
(f) ``planbook build`` cold with ordinary kernels (``PLANBOOK_WARM=0``), to show what the
    warm kernels buy;

plus peak memory (largest process, from ``getrusage(RUSAGE_CHILDREN)``, and the sum
over the process tree, sampled), and where the time goes. Writes its section of
``bench/results.md`` (the other sections stay).

Run: ``make bench`` or ``.venv/bin/python bench/build.py [--reps 3]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from common import machine, write_section

REPO = Path(__file__).resolve().parents[1]
EDITED = "lib/planbook/chapters/market/result.py"
"""The module (e) edits: the market chapter's, imported by no other chapter's notebook."""
BIN = Path(sys.executable).parent
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
    "_work",
)


def IGNORE(folder: str, names: list[str]) -> set[str]:  # noqa: N802
    """What a copy of the book leaves out: builds, caches and the executed ``book/chapters``."""
    ignored = set(_IGNORE_NAMES(folder, names))
    if Path(folder).name == "book" and "chapters" in names:
        ignored.add("chapters")
    return ignored


ENV = {
    **os.environ,
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYTHONHASHSEED": "0",
}


def copy_book(dest: Path) -> Path:
    shutil.copytree(REPO, dest, ignore=IGNORE)
    return dest


# --------------------------------------------------------------------------- measuring


def _tree_rss(root_pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            fields = stat.rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(proc.name))
            rss[int(proc.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


@dataclass
class Run:
    seconds: float
    output: str
    peak_tree: int = 0
    peak_process: int = 0


def measure(cmd: list[str], cwd: Path, env: dict[str, str]) -> Run:
    """Run a command; wall time, output, peak memory of its tree and of its largest process.

    A small Python wrapper runs the command so that ``RUSAGE_CHILDREN`` covers this
    command only (it is a maximum over every child ever waited for).
    """
    wrapper = textwrap.dedent(
        """
        import json, resource, subprocess, sys
        proc = subprocess.run(sys.argv[1:])
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        print("\\n@@bench " + json.dumps({"rc": proc.returncode, "maxrss": peak}))
        """
    )
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", wrapper, *cmd],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            done.wait(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    match = re.search(r"@@bench (\{.*\})", output)
    info = json.loads(match.group(1)) if match else {"rc": proc.returncode, "maxrss": 0}
    if info["rc"] != 0:
        raise SystemExit(f"benchmark step failed: {' '.join(cmd)}\n{output[-3000:]}")
    return Run(seconds, output[: match.start()] if match else output, peak[0], info["maxrss"])


# --------------------------------------------------------------------------- the cases

NAIVE = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    import papermill
    from planbook.engine.registry import CHAPTERS
    root = Path(sys.argv[1])
    times = {}
    cells = {}
    for chapter in CHAPTERS:
        start = time.perf_counter()
        nb = papermill.execute_notebook(
            str(root / "notebooks" / chapter.notebook),
            str(root / "book" / "chapters" / chapter.notebook),
            kernel_name="python3",
            progress_bar=False,
            cwd=str(root / "notebooks"),
        )
        times[chapter.slug] = time.perf_counter() - start
        cells[chapter.slug] = sum(
            c.metadata.get("papermill", {}).get("duration") or 0.0 for c in nb.cells
        )
    print("@@times " + json.dumps(times))
    print("@@cells " + json.dumps(cells))
    """
)


@dataclass
class Case:
    name: str
    label: str
    runs: list[Run] = field(default_factory=list)
    extra: list[dict[str, float]] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)


def naive(root: Path) -> tuple[Run, dict[str, float]]:
    """(a): papermill over every chapter in turn, then a full jupyter-book build."""
    env = {**ENV, "PLANBOOK_ROOT": str(root), "PYTHONPATH": str(root / "lib")}
    (root / "book" / "chapters").mkdir(parents=True, exist_ok=True)
    execute = measure([sys.executable, "-c", NAIVE, str(root)], root, env)
    times = json.loads(re.search(r"@@times (\{.*\})", execute.output).group(1))
    cells = json.loads(re.search(r"@@cells (\{.*\})", execute.output).group(1))
    # Without -W: the files and pages `planbook build` stages for the site (the data
    # tables for download, the scenarios page) are missing here and only warn.
    cmd = [str(BIN / "jupyter-book"), "build", str(root), "--keep-going"]
    site = measure(cmd, root, env)
    run = Run(
        execute.seconds + site.seconds,
        execute.output + site.output,
        max(execute.peak_tree, site.peak_tree),
        max(execute.peak_process, site.peak_process),
    )
    extra = {"execute": execute.seconds, "site": site.seconds, **times}
    extra.update({f"cells:{k}": v for k, v in cells.items()})
    return run, extra


def planbook(root: Path, *args: str, **variables: str) -> Run:
    env = {**ENV, "PLANBOOK_ROOT": str(root), **variables}
    return measure([str(BIN / "planbook"), "build", *args], root, env)


def phases(run: Run) -> dict[str, float]:
    """Where a ``planbook build`` spent its time, from its progress lines."""
    stamps = [float(m) for m in re.findall(r"^\[\s*([\d.]+)s\]", run.output, re.M)]
    site = re.search(r"site built in ([\d.]+) s", run.output)
    execution = max(stamps, default=0.0)
    site_seconds = float(site.group(1)) if site else 0.0
    return {
        "chapters run": float(run.output.count("running")),
        "execution": execution,
        "site": site_seconds,
        "other": max(0.0, run.seconds - execution - site_seconds),
        "total": run.seconds,
    }


# --------------------------------------------------------------------------- report


def mb(n: int) -> str:
    return f"{n / 1024**2:,.0f} MB"


def report(cases: dict[str, Case], reps: int, chapters: int, load: tuple[float, float]) -> str:
    a, d = cases["a"], cases["d"]
    own = statistics.median(x[f"cells:{d.label}"] for x in a.extra)
    limits = {
        "b": (0.3 * a.median, "≤ 0.3 × (a)"),
        "c": (1.0, "< 1 s"),
        "d": (own + 2.0, f"≤ its own cell time ({own:.1f} s) + 2 s"),
    }
    info = machine()
    lines = [
        "# Build benchmark",
        "",
        f"Measured by `bench/build.py` on {dt.date.today().isoformat()}: {info['cores']} cores "
        f"({info['cpu']}), {info['memory']} RAM, Python {info['python']}, {info['os']}. "
        f"The book has {chapters} chapters. Median of {reps} repetitions of each case, run "
        f"interleaved; every case works on its own temporary copy of the book. Load average "
        f"before / after the run: {load[0]:.1f} / {load[1]:.1f} (other work on the machine "
        f"slows every case alike).",
        "",
        "| case | median | min – max | ratio to (a) | target | met |",
        "|---|---:|---:|---:|---|---|",
    ]
    for key, case in cases.items():
        seconds = [r.seconds for r in case.runs]
        limit = limits.get(key)
        met = "" if limit is None else ("yes" if case.median <= limit[0] else "**no**")
        lines.append(
            f"| ({key}) {case.name} | {case.median:.1f} s | {min(seconds):.1f} – "
            f"{max(seconds):.1f} s | {case.median / a.median:.2f} | "
            f"{limit[1] if limit else ''} | {met} |"
        )
    lines += [
        "",
        "## Peak memory",
        "",
        "| case | largest process (getrusage) | whole process tree (sampled) |",
        "|---|---:|---:|",
    ]
    for key, case in cases.items():
        lines.append(
            f"| ({key}) {case.name} | {mb(max(r.peak_process for r in case.runs))} | "
            f"{mb(max(r.peak_tree for r in case.runs))} |"
        )
    naive_exec = statistics.median(x["execute"] for x in a.extra)
    naive_site = statistics.median(x["site"] for x in a.extra)
    per_chapter = {
        k: statistics.median(x[k] for x in a.extra)
        for k in a.extra[0]
        if k not in {"execute", "site"} and not k.startswith("cells:")
    }
    cell_time = {k: statistics.median(x[f"cells:{k}"] for x in a.extra) for k in per_chapter}
    lines += [
        "",
        "## Where the time goes",
        "",
        f"- (a) naive: {naive_exec:.1f} s executing {chapters} notebooks one after another "
        f"(each pays its own kernel start and imports), then {naive_site:.1f} s of "
        f"`jupyter-book build` (about 1.5 s of it importing `rfc3987_syntax` grammars that "
        f"nothing uses, which `planbook` skips).",
    ]
    for key in "bcdef":
        ph = [phases(r) for r in cases[key].runs]
        med = {k: statistics.median(p[k] for p in ph) for k in ph[0]}
        ran = round(med["chapters run"])
        if ran == 0:
            what = "no kernel and no Sphinx started"
        else:
            what = (
                f"{ran} chapter{'s' if ran > 1 else ''} executed, the last one done "
                f"{med['execution']:.1f} s after the start of the run; site build "
                f"{med['site']:.1f} s"
            )
        lines.append(
            f"- ({key}) {cases[key].name}: {what}; the rest ({med['other']:.1f} s) is Python "
            f"start-up, checks of the input, hashing, copying from the cache and, when "
            f"the site changed, swapping it in."
        )
    lines += [
        "",
        "Per-chapter execution time in (a): papermill with the kernel start, and the sum of "
        "the chapter's own cell times (its imports and first chart included, as a cold "
        "kernel pays them):",
        "",
        "| chapter | papermill | own cells |",
        "|---|---:|---:|",
        *(
            f"| {k} | {v:.1f} s | {cell_time[k]:.1f} s |"
            for k, v in sorted(per_chapter.items(), key=lambda kv: -kv[1])
        ),
        "",
        "Notes:",
        "",
        "- (b) runs the chapters in parallel, one worker per core, longest first (by the "
        "last run's times, none on the very first build), each in a kernel forked from a "
        "warm server that imported pandas, statsmodels, seaborn and the book's package and "
        "drew one chart while the workers started; then it builds the site once.",
        "- (c) starts no kernel and no Sphinx: the execution keys of every chapter and the "
        "hash of the staged site sources are unchanged.",
        f"- (d) changes `{d.label}` (a new parameter value each time, so it is never a cache "
        "hit): one chapter runs while a `jupyter-book` process does its imports, then "
        "Sphinx re-reads that one page.",
        f"- (e) appends a comment to `{EDITED}`: a chapter's key covers the modules it "
        "imports, so the chapters that import it run again (never stale) and no other.",
        "- (f) is (b) with `PLANBOOK_WARM=0`: every chapter starts an ordinary kernel.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results.md")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "lib"))
    from planbook.engine.registry import CHAPTERS

    param_chapter = CHAPTERS[0]
    work = Path(tempfile.mkdtemp(prefix="planbook-bench-", dir=args.workdir))
    cases = {
        "a": Case("naive: papermill one by one, then jupyter-book", param_chapter.slug),
        "b": Case("`planbook build`, cold", param_chapter.slug),
        "c": Case("`planbook build`, nothing changed", param_chapter.slug),
        "d": Case(f"`planbook build --set {param_chapter.slug}.confidence=…`", param_chapter.slug),
        "e": Case("`planbook build` after a change in one chapter's module", param_chapter.slug),
        "f": Case("`planbook build`, cold, ordinary kernels", param_chapter.slug),
    }
    load_before = os.getloadavg()[0]
    try:
        for rep in range(args.reps):
            print(f"repetition {rep + 1} of {args.reps}", flush=True)
            run, extra = naive(copy_book(work / f"naive-{rep}"))
            cases["a"].runs.append(run)
            cases["a"].extra.append(extra)
            print(f"  (a) {run.seconds:.1f} s", flush=True)
            shutil.rmtree(work / f"naive-{rep}")
            root = copy_book(work / f"planbook-{rep}")
            cases["b"].runs.append(planbook(root))
            cases["c"].runs.append(planbook(root))
            value = f"0.{81 + rep}"
            cases["d"].runs.append(
                planbook(root, "--set", f"{param_chapter.slug}.confidence={value}")
            )
            lib = root / EDITED
            lib.write_text(lib.read_text(encoding="utf-8") + f"\n# benchmark edit {rep}\n")
            cases["e"].runs.append(planbook(root))
            shutil.rmtree(root)
            root = copy_book(work / f"ordinary-{rep}")
            cases["f"].runs.append(planbook(root, PLANBOOK_WARM="0"))
            for key in "bcdef":
                print(f"  ({key}) {cases[key].runs[-1].seconds:.1f} s", flush=True)
            shutil.rmtree(root)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = report(cases, args.reps, len(CHAPTERS), (load_before, os.getloadavg()[0]))
    write_section(args.out, text)
    print(text)


if __name__ == "__main__":
    main()
