"""The ``planbook`` command: list chapters, show parameters, run chapters, build the site,
print it to PDF.

Every error the user can fix is printed as one line starting with ``error:`` with exit
code 2 (bad input or usage), 1 (a chapter or the site build failed), 3 (another build
holds the lock and --no-wait was given) or 4 (a file or folder cannot be read or written:
read-only, no permission, disk full); nothing is changed then.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from planbook.cli_audit import audit_command
from planbook.cli_pdf import pdf_command
from planbook.cli_sweep import ExecutorOption, SchedulerOption, executor_choice, sweep_command
from planbook.engine import params as P
from planbook.engine.registry import CHAPTERS, Chapter, get_chapter
from planbook.errors import FileSystemError, InputError, PlanbookError
from planbook.paths import BookPaths, display_path, find_root

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
JobsOption = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=1, help="Chapters run in parallel (default: one per core)."),
]
WaitOption = Annotated[
    bool,
    typer.Option(
        "--wait/--no-wait",
        help="If another build is running: wait for it (default) or stop at once (exit 3).",
    ),
]
LockTimeoutOption = Annotated[
    float,
    typer.Option("--lock-timeout", min=0, help="Seconds to wait for another build at most."),
]


def _paths() -> BookPaths:
    return BookPaths(find_root())


def _report(message: str) -> None:
    """One message, on one line however long (a pipe or a log gets it whole)."""
    out.print(message, markup=False, highlight=False, soft_wrap=True)


@contextlib.contextmanager
def _progress() -> Iterator[Any]:
    """Progress of the chapter runs: one plain line per event; on a terminal, also a
    live line at the bottom naming the chapters running now."""
    from planbook.engine.build.progress import Progress

    if not out.is_terminal:
        yield Progress(_report)
        return
    with out.status("", spinner="dots") as status:

        def show(text: str) -> None:
            status.update(text or "working ...")  # rich ignores an empty status

        yield Progress(_report, show)


@contextlib.contextmanager
def _locked(paths: BookPaths, wait: bool, timeout: float) -> Iterator[None]:
    """Hold the checkout's build lock: two builds never interleave."""
    from planbook.engine.build.lock import BuildLock

    with BuildLock(paths.build / "planbook.lock", wait=wait, timeout=timeout, report=_report):
        yield


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
def show_params(
    chapter: Annotated[str, typer.Argument(help="Chapter name or number, or 'all'.")],
    cell: Annotated[
        bool,
        typer.Option("--cell", help="Print the notebook's parameters cell, from the schema."),
    ] = False,
    write: Annotated[
        bool,
        typer.Option("--write", help="Rewrite the notebook's parameters cell from the schema."),
    ] = False,
) -> None:
    """Show a chapter's parameters: type, default, allowed values, unit, description.

    With --cell, print the source of the notebook's cell tagged 'parameters' as the schema
    gives it; with --write, put that cell into the notebook (never write one by hand).
    """
    every = chapter.strip().lower() == "all"
    chosen = list(CHAPTERS) if every else [get_chapter(chapter)]
    for ch in chosen:
        if write:
            notebook = _paths().notebooks / ch.notebook
            changed = P.write_parameters_cell(notebook, ch)
            state = "rewritten from the schema" if changed else "already equal to the schema"
            _report(f"{display_path(notebook)}: parameters cell {state}")
        elif cell:
            if every:
                _report(f"# --- notebooks/{ch.notebook}")
            _report(P.parameters_cell(ch))
        else:
            _params_table(ch)


def _params_table(ch: Chapter) -> None:
    table = Table(title=f"Parameters of chapter {ch.number} ({ch.slug})", box=None)
    for col in ("name", "type", "default", "allowed", "unit", "description"):
        table.add_column(col, overflow="fold")
    for info in P.describe(ch):
        table.add_row(
            info.name, info.type, str(info.default), info.allowed, info.unit, info.description
        )
    out.print(table)


def _validate_data(paths: BookPaths) -> None:
    from planbook.engine.build.plan import validate_data

    P.check_scenarios(paths.scenarios)  # chapters 8 and 10 read every one
    validate_data(paths)


@app.command("run")
def run(
    chapters: Annotated[list[str], typer.Argument(help="Chapter names or numbers.")],
    set_: SetOption = None,
    scenario: ScenarioOption = None,
    timeout: TimeoutOption = 600,
    force: Annotated[bool, typer.Option(help="Run even if nothing changed.")] = False,
    jobs: JobsOption = None,
    executor: ExecutorOption = None,
    scheduler: SchedulerOption = None,
    wait: WaitOption = True,
    lock_timeout: LockTimeoutOption = 1800,
) -> None:
    """Execute chapters into the book's executed-notebooks folder (book/chapters/).

    Parameters not set here take their defaults (or the scenario's values); a later
    'planbook build' keeps the values of this run.
    """
    from planbook.engine.build.books import check_books, materialize
    from planbook.engine.build.files import check_writable
    from planbook.engine.build.plan import plan_jobs
    from planbook.engine.build.run import run_jobs

    paths = _paths()
    chosen = [get_chapter(c) for c in chapters]
    where = executor_choice(executor, scheduler)
    scen = P.load_scenario(scenario, paths.scenarios) if scenario is not None else None
    only = chosen[0] if len(chosen) == 1 else None
    overrides = P.parse_set(set_ or [], only)
    for slug in overrides:
        if slug not in {c.slug for c in chosen}:
            raise PlanbookError(f"--set names chapter {slug!r}, which is not being run")
    _validate_data(paths)
    with _locked(paths, wait, lock_timeout):
        # `run` writes into the main book even under a scenario: the scenario only sets values.
        planned = plan_jobs(chosen, paths, scen, overrides, keep_last=False)
        planned = planned if force else check_books(planned, paths, _report)
        if force or any(not j.up_to_date for j in planned):  # refuse before any kernel
            check_writable([paths.build / "cache", paths.executed(None)], paths.root)
        with _progress() as progress:
            result = run_jobs(
                planned, paths, timeout, force, jobs, progress=progress, executor=where
            )
        failed = {j.key for j, _ in result.failed}
        materialize([j for j in planned if j.key not in failed], paths, force=force)
    if not result.ok:
        raise result.error()
    for job in planned:
        out.print(f"chapter {job.chapter.slug}: {job.output.relative_to(paths.root)}")
    out.print("run 'planbook build' to rebuild the site")


@app.command("build")
def build(
    scenario: ScenarioOption = None,
    set_: SetOption = None,
    timeout: TimeoutOption = 600,
    force: Annotated[bool, typer.Option(help="Re-run every chapter and rebuild.")] = False,
    jobs: JobsOption = None,
    executor: ExecutorOption = None,
    scheduler: SchedulerOption = None,
    wait: WaitOption = True,
    lock_timeout: LockTimeoutOption = 1800,
    with_scenarios: Annotated[
        bool, typer.Option("--with-scenarios", help="Also publish every scenario of scenarios/.")
    ] = False,
) -> None:
    """Run every chapter whose inputs changed (the rest come from the cache), build the site.

    Without --scenario: the main book in _build/html (each chapter keeps the parameters it
    was last run with, recorded in _build/last_run; without _build, the defaults). With
    --scenario NAME: every chapter under that scenario, site in _build/scenarios/NAME/html.
    --with-scenarios: also each scenario's book, published under the site's scenarios/.
    """
    start = time.perf_counter()
    paths = _paths()
    scen = P.load_scenario(scenario, paths.scenarios) if scenario is not None else None
    overrides = P.parse_set(set_ or [], None)
    P.check_overrides(overrides)
    where = executor_choice(executor, scheduler)
    if with_scenarios:  # imported only then: it needs pandas, a no-op build does not
        from planbook.engine.build.scenario_books import builder_for

        build_site = builder_for(scen, with_scenarios)
    else:
        from planbook.engine.build.orchestrate import build_book as build_site
    _validate_data(paths)
    name = scen.name if scen else None
    with _locked(paths, wait, lock_timeout):
        out.print(f"book: {'scenario ' + name if name else 'main'} ({len(CHAPTERS)} chapters)")
        with _progress() as progress:
            site = build_site(
                paths,
                scen,
                overrides,
                force=force,
                workers=jobs,
                timeout=timeout,
                progress=progress,
                report=_report,
                executor=where,
            )
    assert site is not None
    out.print(
        f"site: {site.relative_to(paths.root)}/index.html ({time.perf_counter() - start:.1f} s)"
    )


app.command("sweep")(sweep_command)

app.command("pdf")(pdf_command)


@app.command("compare")
def compare(
    scenarios: Annotated[
        list[str], typer.Argument(help="Scenario names from scenarios/ or paths to .yml files.")
    ],
    csv: Annotated[
        Path | None, typer.Option("--csv", help="Also write the table to this CSV file.")
    ] = None,
    only_differences: Annotated[
        bool, typer.Option("--differences", help="Show only the rows that differ.")
    ] = False,
    timeout: TimeoutOption = 600,
    jobs: JobsOption = None,
    wait: WaitOption = True,
    lock_timeout: LockTimeoutOption = 1800,
) -> None:
    """Every glued number of every chapter under each scenario, side by side.

    Runs what the cache lacks (each scenario's executed chapters land in
    _build/scenarios/NAME/chapters); rows whose values differ are highlighted and marked
    with '*'.
    """
    from planbook.engine import compare as C
    from planbook.engine.build.books import check_books, materialize
    from planbook.engine.build.plan import scenario_jobs
    from planbook.engine.build.run import run_jobs
    from planbook.engine.glued import glued_values

    paths = _paths()
    loaded = [P.load_scenario(name, paths.scenarios) for name in scenarios]
    seen: set[str] = set()
    for scen in loaded:
        if scen.name.lower() in seen:  # one folder on a case-insensitive file system
            raise InputError(f"scenario {scen.name!r} is named twice; name each scenario once")
        seen.add(scen.name.lower())
    _validate_data(paths)
    with _locked(paths, wait, lock_timeout):
        planned = scenario_jobs(paths, loaded)
        everything = [job for book in planned.values() for job in book]
        everything = check_books(everything, paths, _report)
        with _progress() as progress:
            result = run_jobs(everything, paths, timeout=timeout, workers=jobs, progress=progress)
        if not result.ok:
            raise result.error()
        materialize(everything, paths)
    values = {
        name: {job.chapter: glued_values(job.output) for job in book}
        for name, book in planned.items()
    }
    table = C.compare_table(values)
    differing = int(table["differs"].sum())
    grid = Table(box=None, pad_edge=False, title="Glued numbers by scenario")
    for col in ("", "chapter", "key", *values):
        grid.add_column(col, overflow="fold")
    for number, name, key, *cells, differs in table.itertuples(index=False, name=None):
        if only_differences and not differs:
            continue
        grid.add_row(
            "*" if differs else "",
            f"{number} {name}",
            key,
            *(C.shown(v) for v in cells),
            style="bold yellow" if differs else None,
        )
    out.print(grid)
    out.print(
        f"{len(table)} glued values in {table['name'].nunique()} chapters; "
        f"{differing} differ between {', '.join(values)} (marked *)"
    )
    if csv is not None:
        C.write_csv(table, csv)
        out.print(f"table written to {display_path(csv)}")


@app.command("numbers")
def numbers(
    csv: Annotated[
        Path | None, typer.Option("--csv", help="Write the key-number table to this CSV file.")
    ] = None,
) -> None:
    """The built book's key numbers (name, value, unit, chapter) and whether it agrees with
    itself: one number per name, and every pair of data/book/same_facts.csv equal."""
    from planbook.engine import key_numbers as K

    chapters = _paths().executed(None)
    if not any(chapters.glob("*.ipynb")):
        raise InputError(
            f"no executed chapters in {display_path(chapters)}; run 'planbook build' first"
        )
    table = K.book_key_numbers(chapters)
    conflicts = K.name_conflicts(table)
    pairs = K.check_pairs(table, K.load_same_facts())
    for row in conflicts.itertuples():
        _report(f"one name, several numbers: {row.name} ({row.chapters})")
    for row in pairs[pairs["status"] != "equal"].itertuples():
        _report(
            f"{row.status}: {row.fact}: {row.chapter_a}.{row.name_a} = {row.value_a:g}, "
            f"{row.chapter_b}.{row.name_b} = {row.value_b:g}"
        )
    equal = int((pairs["status"] == "equal").sum())
    out.print(
        f"{len(table)} key numbers in {table['chapter'].nunique()} chapters; "
        f"{len(conflicts)} names with several numbers; "
        f"{equal} of {len(pairs)} same-fact pairs equal"
    )
    if csv is not None:
        csv.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(csv, index=False, encoding="utf-8")
        out.print(f"table written to {display_path(csv)}")


app.command("audit")(audit_command)


@app.command("clean")
def clean(
    cache: Annotated[
        bool,
        typer.Option(
            "--cache/--no-cache", help="Remove cached executions no book holds now (default)."
        ),
    ] = True,
    everything: Annotated[
        bool, typer.Option("--all", help="Empty the cache, including what the books hold.")
    ] = False,
    wait: WaitOption = True,
    lock_timeout: LockTimeoutOption = 1800,
) -> None:
    """Free disk space: prune the execution cache under _build/cache.

    Executed books and sites are kept; a chapter whose execution was removed runs
    again when it is next needed.
    """
    from planbook.engine.build.books import referenced_keys
    from planbook.engine.build.cache import cache_for

    paths = _paths()
    if not cache:
        out.print("nothing to clean (--no-cache)")
        return
    with _locked(paths, wait, lock_timeout):
        store = cache_for(paths)
        store.clean_scratch(max_age=0)
        keep = set() if everything else referenced_keys(paths)
        removed, freed = store.prune(keep=keep, everything=everything)
        left = sum(1 for _ in store.stored_keys())
    out.print(
        f"removed {removed} cached executions ({freed / 1024**2:.1f} MB); {left} kept "
        f"in {display_path(store.root, paths.root)}"
    )


def _fail(message: str, code: int) -> None:
    """Print one ``error:`` line (whatever the message holds) and exit with ``code``."""
    line = " ".join(str(message).split())
    sys.stdout.flush()
    sys.stderr.write(f"error: {line}\n")
    sys.stderr.flush()
    sys.exit(code)


def main() -> None:
    """Entry point: run the app, turning user-facing errors into one line and an exit code.

    Usage errors (unknown option, missing argument, bad option value) are one
    ``error:`` line with exit code 2 as well, not click's boxed message.
    """
    from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError

    # One BLAS thread per process: statsmodels fits on short series are 10-100x slower
    # with OpenBLAS threads competing for two cores (kernels inherit this environment).
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    try:
        code = app(standalone_mode=False)
    except PlanbookError as exc:
        _fail(str(exc), exc.exit_code)
    except NoArgsIsHelpError as exc:
        exc.show()
        sys.exit(2)
    except UsageError as exc:
        command = exc.ctx.command_path if exc.ctx is not None else "planbook"
        _fail(f"{exc.format_message()} (see '{command} --help')", 2)
    except ClickException as exc:
        _fail(exc.format_message(), exc.exit_code)
    except typer.Abort:
        _fail("aborted", 1)
    except OSError as exc:  # the last net: a file the boundaries did not expect
        where = os.environ.get("PLANBOOK_ROOT") or os.getcwd()
        _fail(str(FileSystemError.from_os_error(exc, "cannot read or write", root=where)), 4)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
