"""The ``planbook`` command: list chapters, show parameters, run chapters, build the site.

Every error the user can fix is printed as one line starting with ``error:`` with exit
code 2 (bad input) or 1 (a chapter or the site build failed); nothing is changed then.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from planbook import params as P
from planbook.chapters import CHAPTERS, get_chapter
from planbook.errors import PlanbookError
from planbook.paths import BookPaths, find_root

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Run and publish the analysis book of the e-commerce implementation plan.",
)
_WIDTH = None if sys.stdout.isatty() else 160
out = Console(highlight=False, width=_WIDTH)
err = Console(stderr=True, highlight=False, soft_wrap=True)

SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        "-s",
        help="Override a parameter: name=value (run) or chapter.name=value (build). Repeatable.",
    ),
]
ScenarioOption = Annotated[
    str | None,
    typer.Option(
        "--scenario", help="A scenario name from scenarios/ or the path to a scenario .yml file."
    ),
]
TimeoutOption = Annotated[
    int, typer.Option("--timeout", min=1, help="Seconds a single cell may run.")
]


def _paths() -> BookPaths:
    return BookPaths(find_root())


def _report(message: str) -> None:
    out.print(message)


@app.command("list")
def list_chapters() -> None:
    """Show the chapters: number, name, notebook and a one-line summary."""
    table = Table(show_lines=False, box=None, pad_edge=False)
    for col in ("no.", "name", "notebook", "summary"):
        table.add_column(col, overflow="fold")
    for ch in CHAPTERS:
        table.add_row(str(ch.number), ch.slug, f"notebooks/{ch.notebook}", ch.summary)
    out.print(table)


@app.command("params")
def show_params(chapter: Annotated[str, typer.Argument(help="Chapter name or number.")]) -> None:
    """Show a chapter's parameters: type, default, allowed values, unit, description."""
    ch = get_chapter(chapter)
    table = Table(title=f"Parameters of chapter {ch.number} ({ch.slug})", box=None)
    for col in ("name", "type", "default", "allowed", "unit", "description"):
        table.add_column(col, overflow="fold")
    for info in P.describe(ch):
        table.add_row(
            info.name, info.type, str(info.default), info.allowed, info.unit, info.description
        )
    out.print(table)


def _validate_data(paths: BookPaths) -> None:
    from planbook.data import validate_all

    validate_all(paths.data)


@app.command("run")
def run(
    chapters: Annotated[list[str], typer.Argument(help="Chapter names or numbers.")],
    set_: SetOption = None,
    scenario: ScenarioOption = None,
    timeout: TimeoutOption = 600,
    force: Annotated[bool, typer.Option(help="Run even if nothing changed.")] = False,
) -> None:
    """Execute chapters into the book's executed-notebooks folder (book/chapters/).

    Parameters not set here take their defaults (or the scenario's values).
    """
    from planbook import runner

    paths = _paths()
    chosen = [get_chapter(c) for c in chapters]
    scen = P.load_scenario(scenario, paths.scenarios) if scenario else None
    only = chosen[0] if len(chosen) == 1 else None
    overrides = P.parse_set(set_ or [], only)
    for slug in overrides:
        if slug not in {c.slug for c in chosen}:
            raise PlanbookError(f"--set names chapter {slug!r}, which is not being run")
    _validate_data(paths)
    jobs = runner.plan_jobs(chosen, paths, scen, overrides, keep_last=False)
    # `run` writes into the main book even under a scenario: the scenario only sets values.
    runner.run_jobs(jobs, paths, None, timeout=timeout, force=force, report=_report)
    for job in jobs:
        out.print(f"chapter {job.chapter.slug}: {job.output.relative_to(paths.root)}")
    out.print("run 'planbook build' to rebuild the site")


@app.command("build")
def build(
    scenario: ScenarioOption = None,
    set_: SetOption = None,
    timeout: TimeoutOption = 600,
    force: Annotated[bool, typer.Option(help="Re-run every chapter and rebuild.")] = False,
) -> None:
    """Run every stale chapter and build the static site.

    Without --scenario: the main book in _build/html (each chapter keeps the parameters it
    was last run with). With --scenario NAME: every chapter under that scenario, site in
    _build/scenarios/NAME/html.
    """
    from planbook import runner

    start = time.perf_counter()
    paths = _paths()
    scen = P.load_scenario(scenario, paths.scenarios) if scenario else None
    overrides = P.parse_set(set_ or [], None)
    P.check_overrides(overrides)
    _validate_data(paths)
    name = scen.name if scen else None
    jobs = runner.plan_jobs(CHAPTERS, paths, scen, overrides, keep_last=scen is None)
    out.print(f"book: {'scenario ' + name if name else 'main'} ({len(jobs)} chapters)")
    runner.run_jobs(jobs, paths, name, timeout=timeout, force=force, report=_report)
    site = runner.build_site(paths, name, force=force, report=_report)
    out.print(
        f"site: {site.relative_to(paths.root)}/index.html ({time.perf_counter() - start:.1f} s)"
    )


def main() -> None:
    """Entry point: run the app, turning user-facing errors into one line and an exit code."""
    # One BLAS thread per process: statsmodels fits on short series are 10-100x slower
    # with OpenBLAS threads competing for two cores (kernels inherit this environment).
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    try:
        app()
    except PlanbookError as exc:
        err.print(f"error: {exc}", markup=False)
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
