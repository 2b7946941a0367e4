"""Execute chapter notebooks with papermill and build the site with Jupyter Book.

The order is always: validate everything, execute what is stale, build the site; a
failure at any step leaves the last good executed page and the last good site in place.

- Validation (chapters, parameters, scenario files, data files) happens before any
  kernel starts; bad input raises :class:`~planbook.errors.InputError`.
- A chapter is executed into a temporary file and moved into the book only on success;
  a notebook that raises is kept under ``_build/failed/`` for inspection.
- Every executed notebook records a fingerprint of what it was computed from (notebook
  source, parameters, ``lib/planbook``, ``data/``, the lock file); a chapter whose
  fingerprint is unchanged is not executed again.
- The site is built in a staging folder and swapped into place only when Sphinx
  succeeds with warnings treated as errors.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from planbook.chapters import CHAPTERS, Chapter
from planbook.errors import ExecutionError, InputError, PlanbookError
from planbook.params import ChapterParams, Scenario, resolve, validate_params
from planbook.paths import BookPaths, display_path

DEFAULT_TIMEOUT = 600
"""Seconds a single cell may run before the chapter is stopped."""

Report = Callable[[str], None]


def _quiet(message: str) -> None:
    """A report function that says nothing."""


# --------------------------------------------------------------------------- fingerprints


def _hash_files(files: Iterable[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _tree_files(folder: Path, patterns: tuple[str, ...] = ("*",)) -> list[Path]:
    files: set[Path] = set()
    for pattern in patterns:
        files.update(
            p
            for p in folder.rglob(pattern)
            if p.is_file() and "__pycache__" not in p.parts and ".ipynb_checkpoints" not in p.parts
        )
    return sorted(files)


def environment_digest(paths: BookPaths) -> str:
    """Hash of everything a chapter depends on besides its own notebook and parameters."""
    files = _tree_files(paths.lib, ("*.py",)) + _tree_files(paths.data)
    lock = paths.root / "requirements.lock"
    if lock.is_file():
        files.append(lock)
    return _hash_files(files, paths.root)


def notebook_digest(path: Path) -> str:
    """Hash of a notebook's cell types, sources and tags (outputs ignored)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [
        (c.get("cell_type"), "".join(c.get("source", "")), c.get("metadata", {}).get("tags", []))
        for c in nb.get("cells", [])
    ]
    return hashlib.sha256(json.dumps(cells, sort_keys=True).encode()).hexdigest()


def fingerprint(chapter: Chapter, params: ChapterParams, paths: BookPaths, env: str) -> str:
    """The key of one chapter execution: notebook, parameters and environment."""
    payload = {
        "notebook": notebook_digest(paths.notebooks / chapter.notebook),
        "params": params.model_dump(mode="json"),
        "environment": env,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def recorded(executed: Path) -> dict[str, Any]:
    """The ``planbook`` metadata of an executed notebook, or ``{}`` if absent or unreadable."""
    if not executed.is_file():
        return {}
    try:
        nb = json.loads(executed.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    meta = nb.get("metadata", {}).get("planbook", {})
    return meta if isinstance(meta, dict) else {}


# --------------------------------------------------------------------------- planning


@dataclass(frozen=True)
class Job:
    """One chapter to bring up to date: its parameters, fingerprint and output path."""

    chapter: Chapter
    params: ChapterParams
    key: str
    output: Path
    up_to_date: bool


def plan_jobs(
    chapters: Iterable[Chapter],
    paths: BookPaths,
    scenario: Scenario | None,
    overrides: dict[str, dict[str, str]] | None,
    keep_last: bool,
) -> list[Job]:
    """Resolve every chapter's parameters and decide which chapters must run.

    ``keep_last`` makes a chapter start from the parameters it was last run with (the
    main book keeps what ``planbook run`` set); otherwise it starts from its defaults.
    All validation happens here, before any kernel starts.
    """
    env = environment_digest(paths)
    jobs = []
    for chapter in chapters:
        source = paths.notebooks / chapter.notebook
        if not source.is_file():
            raise InputError(
                f"notebook {source.relative_to(paths.root)} for chapter {chapter.slug} is missing; "
                f"restore it (git checkout -- notebooks/{chapter.notebook})"
            )
        output = paths.executed(scenario.name if scenario else None) / chapter.notebook
        base = {}
        if keep_last:
            last = recorded(output).get("params", {})
            try:
                base = validate_params(chapter, last).model_dump(mode="json") if last else {}
            except InputError:
                base = {}
        params = resolve(chapter, scenario, overrides, base=base)
        key = fingerprint(chapter, params, paths, env)
        jobs.append(
            Job(chapter, params, key, output, up_to_date=recorded(output).get("key") == key)
        )
    return jobs


# --------------------------------------------------------------------------- execution


def _hide_parameter_cells(nb: nbformat.NotebookNode) -> None:
    """Tag the parameters and injected-parameters cells ``remove-cell`` (TOOLCHAIN 6)."""
    for cell in nb.cells:
        tags = cell.setdefault("metadata", {}).setdefault("tags", [])
        if ("parameters" in tags or "injected-parameters" in tags) and "remove-cell" not in tags:
            tags.append("remove-cell")


def _atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def _stderr_to(log: Path) -> Iterator[None]:
    """Send this process's stderr (and so the kernel's, which inherits it) to ``log``.

    The kernel writes start-up noise to stderr; the user sees one line per chapter and
    the log keeps the rest.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    sys.stderr.flush()
    saved = os.dup(2)
    with open(log, "ab") as handle:
        os.dup2(handle.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def execute(job: Job, paths: BookPaths, scenario: str | None, timeout: int) -> Path:
    """Run one chapter with papermill; move its output into place only on success.

    Raises
    ------
    ExecutionError
        When a cell raises; the failed notebook is kept under ``_build/failed/``.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    source = paths.notebooks / job.chapter.notebook
    paths.build.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="run-", dir=paths.build))
    tmp = scratch / job.chapter.notebook
    log = paths.build / "logs" / (scenario or "main") / f"{job.chapter.stem}.log"
    log.unlink(missing_ok=True)
    try:
        try:
            with _stderr_to(log):
                papermill.execute_notebook(
                    str(source),
                    str(tmp),
                    parameters=job.params.model_dump(mode="json"),
                    kernel_name="python3",
                    execution_timeout=timeout,
                    progress_bar=False,
                    request_save_on_cell_execute=False,
                    cwd=str(paths.notebooks),
                )
        except PapermillExecutionError as exc:
            failed = paths.failed(scenario) / job.chapter.notebook
            failed.parent.mkdir(parents=True, exist_ok=True)
            if tmp.is_file():
                os.replace(tmp, failed)
            evalue = " ".join(str(exc.evalue).split())[:200]
            raise ExecutionError(
                f"chapter {job.chapter.number} {job.chapter.slug} failed in cell "
                f"{exc.cell_index} (In [{exc.exec_count}]): {exc.ename}: {evalue}; "
                f"the failed notebook is kept at {display_path(failed, paths.root)}; "
                f"the last good page and site are unchanged"
            ) from None
        except Exception as exc:  # kernel died, timeout, ...
            raise ExecutionError(
                f"chapter {job.chapter.number} {job.chapter.slug} could not run: "
                f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}; "
                f"the last good page and site are unchanged"
            ) from None
        nb = nbformat.read(tmp, as_version=4)
        _hide_parameter_cells(nb)
        nb.metadata["planbook"] = {
            "chapter": job.chapter.slug,
            "params": job.params.model_dump(mode="json"),
            "key": job.key,
            "scenario": scenario or "main",
        }
        _atomic_write_text(job.output, nbformat.writes(nb))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    failed = paths.failed(scenario) / job.chapter.notebook
    failed.unlink(missing_ok=True)
    return job.output


def run_jobs(
    jobs: list[Job],
    paths: BookPaths,
    scenario: str | None,
    timeout: int = DEFAULT_TIMEOUT,
    force: bool = False,
    report: Report = _quiet,
) -> list[Job]:
    """Execute the jobs that are not up to date, one after another; return those run."""
    todo = [j for j in jobs if force or not j.up_to_date]
    for job in jobs:
        if job not in todo:
            report(f"  {job.chapter.number:>2} {job.chapter.slug:<12} up to date")
    for i, job in enumerate(todo, 1):
        start = time.perf_counter()
        report(f"  {job.chapter.number:>2} {job.chapter.slug:<12} running ({i}/{len(todo)}) ...")
        execute(job, paths, scenario, timeout)
        report(
            f"  {job.chapter.number:>2} {job.chapter.slug:<12} done in "
            f"{time.perf_counter() - start:.1f} s"
        )
    return todo


# --------------------------------------------------------------------------- the site


def _sync_file(src: Path, dst: Path) -> None:
    same_size = dst.is_file() and dst.stat().st_size == src.stat().st_size
    if same_size and dst.read_bytes() == src.read_bytes():
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dst)


def _sync_tree(files: dict[str, Path], dest: Path) -> None:
    """Make ``dest`` hold exactly ``files`` (relative name to source path)."""
    for rel, src in files.items():
        _sync_file(src, dest / rel)
    for existing in [p for p in dest.rglob("*") if p.is_file()]:
        rel = existing.relative_to(dest).as_posix()
        if rel not in files and not rel.startswith(("_build/", ".")):
            existing.unlink()


def stage_sources(paths: BookPaths, executed_dir: Path, stage: Path) -> dict[str, Path]:
    """The files the site is built from: config, TOC, hand-written pages, executed chapters."""
    stage.mkdir(parents=True, exist_ok=True)
    # Chapters are staged under notebooks/, so that a page's launch (Binder) and source
    # links point at the parameterized notebook of the same path in the repository.
    toc = (paths.root / "_toc.yml").read_text(encoding="utf-8")
    toc = toc.replace("book/chapters/", "notebooks/")
    staged_toc = stage / "_toc.yml"
    if not staged_toc.is_file() or staged_toc.read_text(encoding="utf-8") != toc:
        _atomic_write_text(staged_toc, toc)
    files: dict[str, Path] = {"_config.yml": paths.root / "_config.yml", "_toc.yml": staged_toc}
    book = paths.root / "book"
    for p in _tree_files(book):
        rel = p.relative_to(paths.root).as_posix()
        if not rel.startswith("book/chapters/"):
            files[rel] = p
    for chapter in CHAPTERS:
        executed = executed_dir / chapter.notebook
        if executed.is_file():
            files[f"notebooks/{chapter.notebook}"] = executed
    _sync_tree(files, stage)
    return files


def site_digest(files: dict[str, Path]) -> str:
    """Hash of the staged sources: the site is rebuilt only when it changes."""
    digest = hashlib.sha256()
    for rel in sorted(files):
        digest.update(rel.encode() + b"\0" + hashlib.sha256(files[rel].read_bytes()).digest())
    return digest.hexdigest()


def _jupyter_book() -> list[str]:
    exe = Path(sys.executable).with_name("jupyter-book")
    return [str(exe)] if exe.is_file() else ["jupyter-book"]


def _swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` by a copy of ``new`` with two renames (never half-written)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    incoming = target.with_name(f".{target.name}.incoming")
    outgoing = target.with_name(f".{target.name}.outgoing")
    shutil.rmtree(incoming, ignore_errors=True)
    shutil.rmtree(outgoing, ignore_errors=True)
    shutil.copytree(new, incoming)
    if target.exists():
        os.replace(target, outgoing)
    os.replace(incoming, target)
    shutil.rmtree(outgoing, ignore_errors=True)


def build_site(
    paths: BookPaths, scenario: str | None, force: bool = False, report: Report = _quiet
) -> Path:
    """Build the HTML site from the executed notebooks with ``-W -n --keep-going``.

    Returns the site folder. Raises :class:`ExecutionError` (exit 1) when Sphinx fails or
    warns, leaving the previous site untouched.
    """
    executed_dir = paths.executed(scenario)
    missing = [c for c in CHAPTERS if not (executed_dir / c.notebook).is_file()]
    if missing:
        names = ", ".join(c.slug for c in missing)
        raise InputError(f"chapters not executed yet: {names}; run 'planbook build' to run them")
    work = paths.work(scenario)
    stage = work / "src"
    files = stage_sources(paths, executed_dir, stage)
    site = paths.site(scenario)
    key = site_digest(files)
    key_file = work / "site.key"
    if not force and site.is_dir() and key_file.is_file() and key_file.read_text() == key:
        report(f"  site up to date: {display_path(site, paths.root)}")
        return site
    out = work / "out"
    cmd = [*_jupyter_book(), "build", str(stage), "--path-output", str(out)]
    cmd += ["-W", "-n", "--keep-going"]
    start = time.perf_counter()
    report("  building the site (jupyter-book, warnings are errors) ...")
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    html = out / "_build" / "html"
    if proc.returncode != 0 or not (html / "index.html").is_file():
        text = re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout + "\n" + proc.stderr)
        problems = [
            line.strip()
            for line in text.splitlines()
            if "WARNING" in line or "ERROR" in line or "Error" in line
        ]
        first = problems[0] if problems else f"jupyter-book exited with {proc.returncode}"
        log = work / "build.log"
        log.write_text(text, encoding="utf-8")
        raise ExecutionError(
            f"site build failed ({len(problems)} warnings or errors), first: {first[:300]}; "
            f"full log at {display_path(log, paths.root)}; the last good site is unchanged"
        )
    _swap_in(html, site)
    key_file.write_text(key)
    report(f"  site built in {time.perf_counter() - start:.1f} s")
    return site


__all__ = [
    "DEFAULT_TIMEOUT",
    "Job",
    "PlanbookError",
    "build_site",
    "environment_digest",
    "execute",
    "fingerprint",
    "plan_jobs",
    "recorded",
    "run_jobs",
]
