"""The ``planbook sweep`` command, and the ``--executor`` / ``--scheduler`` options that
``build``, ``run`` and ``sweep`` share (registered on the app by :mod:`planbook.cli`).

A sweep runs one chapter at many parameter points (a full factorial ``--grid`` or a Latin
hypercube ``--sample``), writes one tidy table of its key numbers (a row per point and
glued number) and the sensitivity of each number to each swept parameter (CSV and an
HTML page). Bad input is refused before any kernel starts (exit code 2); a point that
fails is recorded and the others go on (exit code 1 once the table is written).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from planbook.engine.build.executors import ExecutorSpec, executor_spec
from planbook.engine.registry import get_chapter
from planbook.errors import ExecutionError, InputError
from planbook.paths import BookPaths, display_path, find_root

ExecutorOption = Annotated[
    str | None,
    typer.Option(
        "--executor",
        metavar="local|dask",
        help="Where chapters run: local worker processes (default) or a local Dask cluster.",
    ),
]
SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="Run chapters on the Dask cluster of this scheduler (implies --executor dask).",
    ),
]


def executor_choice(executor: str | None, scheduler: str | None) -> ExecutorSpec:
    """``--executor`` and ``--scheduler`` checked (one line and exit code 2 if wrong)."""
    return executor_spec(executor, scheduler)


def _param_labels(chapter_slug: str, names: list[str]) -> dict[str, str]:
    """``name (unit)`` for each swept parameter, for the sensitivity page."""
    from planbook.engine.params import describe

    units = {i.name: i.unit for i in describe(chapter_slug)}
    return {n: f"{n} ({units[n]})" if units.get(n) else n for n in names}


def sweep_command(
    chapter: Annotated[str, typer.Argument(help="Chapter name or number.")],
    grid: Annotated[
        list[str] | None,
        typer.Option(
            "--grid",
            metavar="NAME=V1,V2,...",
            help="Levels of a parameter (repeatable); every combination runs.",
        ),
    ] = None,
    sample: Annotated[
        int | None,
        typer.Option("--sample", metavar="N", help="Points of a Latin hypercube over --range."),
    ] = None,
    range_: Annotated[
        list[str] | None,
        typer.Option(
            "--range", metavar="NAME=LOW:HIGH", help="A numeric parameter's range (repeatable)."
        ),
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Seed of the --sample draws (default 0).")
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", "-s", help="Fix a parameter not swept: name=value. Repeatable."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="The table: .csv or .parquet (default _build/sweeps/CHAPTER-HASH.csv).",
        ),
    ] = None,
    timeout: Annotated[
        int, typer.Option("--timeout", min=1, help="Seconds a single cell may run.")
    ] = 600,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Points run in parallel (default: one per core)."),
    ] = None,
    executor: ExecutorOption = None,
    scheduler: SchedulerOption = None,
    wait: Annotated[
        bool, typer.Option("--wait/--no-wait", help="If a build is running: wait, or exit 3.")
    ] = True,
    lock_timeout: Annotated[
        float, typer.Option("--lock-timeout", min=0, help="Seconds to wait for a build at most.")
    ] = 1800,
) -> None:
    """Run a chapter at many parameter points: one table of its key numbers, and how much
    each number moves with each parameter.

    --grid name=v1,v2 (repeatable) runs every combination; --sample N with --range
    name=low:high (repeatable) a Latin hypercube. --set fixes other parameters. Every
    point goes through the cache, so a rerun resumes. Writes the table (--out), and
    beside it <stem>.sensitivity.csv and <stem>.sensitivity.html. Exit code 1 if a point
    failed (the table has its error).
    """
    from planbook.engine import params as P
    from planbook.engine.build.files import check_writable, file_errors
    from planbook.engine.build.lock import BuildLock
    from planbook.engine.build.plan import validate_data
    from planbook.engine.sweep import points as SP
    from planbook.engine.sweep import report as SR
    from planbook.engine.sweep import run as RUN
    from planbook.engine.sweep import sensitivity as SE
    from planbook.engine.sweep import table as ST
    from planbook.engine.sweep.progress import SweepProgress

    start = time.perf_counter()
    console = Console(highlight=False, soft_wrap=True)

    def report(message: str) -> None:
        console.print(message, markup=False, highlight=False)

    paths = BookPaths(find_root())
    ch = get_chapter(chapter)
    spec = executor_choice(executor, scheduler)
    fixed = P.parse_set(set_ or [], ch).get(ch.slug, {})
    design = SP.design(ch, grid or [], sample, range_ or [], seed)
    both = sorted(set(fixed) & set(design.swept))
    if both:
        raise InputError(
            f"--set {both[0]}=... fixes a parameter the sweep varies; drop the --set or "
            "stop sweeping it"
        )
    target = out
    if target is None:
        name = f"{ch.slug}-{SP.sweep_digest(ch, design.points, fixed)}.csv"
        target = paths.build / "sweeps" / name
    ST.check_out_path(target)
    P.check_scenarios(paths.scenarios)
    validate_data(paths)
    planned = RUN.plan_points(ch, design.points, fixed, paths)  # every point, before kernels
    lock = BuildLock(paths.build / "planbook.lock", wait=wait, timeout=lock_timeout, report=report)
    with lock:
        check_writable([paths.build / "cache", paths.build / "sweeps"], paths.root)
        tty = sys.stderr.isatty()
        progress = SweepProgress(f"sweep {ch.slug}", len(planned), sys.stderr, tty)
        try:
            results = RUN.run_sweep(
                ch,
                planned,
                paths,
                timeout=timeout,
                workers=jobs,
                executor=spec,
                on_cached=progress.from_cache,
                on_finished=progress.finished,
            )
        finally:
            progress.close()
    table = ST.tidy_table(design.points, results)
    effects = SE.sensitivity(table, design.swept, design.kind)
    counts = ST.summary_counts(table)
    shown = display_path(target)
    summary = [
        f"Chapter {ch.number} ({ch.slug}), {design.description}: {counts['points']} points, "
        f"{counts['ok']} ok, {counts['failed']} failed, {counts['numbers']} key numbers each.",
        f"Fixed: {', '.join(f'{k}={v}' for k, v in fixed.items()) or 'nothing (defaults)'}. "
        f"Table: {shown}.",
    ]
    with file_errors("cannot write the sweep's results", paths.root):
        ST.write_table(table, target)
        csv_path, html_path = SR.write_sensitivity(
            effects,
            target,
            title=f"Sensitivity of chapter {ch.number} ({ch.slug}) to its parameters",
            summary=summary,
            param_labels=_param_labels(ch.slug, design.swept),
        )
    report(
        f"sweep {ch.slug}: {design.description}: {counts['points']} points "
        f"({progress.cached} from cache), {counts['ok']} ok, {counts['failed']} failed "
        f"in {time.perf_counter() - start:.1f} s"
    )
    report(f"table: {shown} ({len(table)} rows)")
    report(f"sensitivity: {display_path(csv_path)}, {display_path(html_path)}")
    top = effects[effects["standardized"].abs() > 0].head(3)
    if len(top):
        largest = "; ".join(
            f"{r.parameter} -> {r.number} ({r.standardized:+.2f})" for r in top.itertuples()
        )
        report(f"largest effects (standardized): {largest}")
    failed = ST.failed_points(table)
    if len(failed):
        first = failed.iloc[0]
        raise ExecutionError(
            f"{len(failed)} of {counts['points']} points failed (point {first['point']}: "
            f"{first['error']}); the table {shown} has every error"
        )


__all__ = ["ExecutorOption", "SchedulerOption", "executor_choice", "sweep_command"]
