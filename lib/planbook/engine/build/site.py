"""Build the HTML site from an executed book with Jupyter Book, and swap it into place.

The sources are staged in a work folder, Sphinx builds there with warnings treated as
errors, and the result replaces the published site with two renames, only when the build
succeeded: a failure leaves the last good site in place.
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
import time
from pathlib import Path

from planbook.engine.build.files import atomic_write_text, tree_files
from planbook.engine.build.progress import Report, quiet
from planbook.engine.registry import CHAPTERS
from planbook.errors import ExecutionError, InputError
from planbook.paths import BookPaths, display_path


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
        atomic_write_text(staged_toc, toc)
    files: dict[str, Path] = {"_config.yml": paths.root / "_config.yml", "_toc.yml": staged_toc}
    book = paths.root / "book"
    for p in tree_files(book):
        rel = p.relative_to(paths.root).as_posix()
        if not rel.startswith("book/chapters/"):
            files[rel] = p
    for chapter in CHAPTERS:
        executed = executed_dir / chapter.notebook
        if executed.is_file():
            files[f"notebooks/{chapter.notebook}"] = executed
    _sync_tree(files, stage)
    return files


def _first_heading(path: Path) -> str:
    """The title a page shows in the navigation of every other page."""
    try:
        if path.suffix == ".ipynb":
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
            text = next(("".join(c["source"]) for c in cells if c["cell_type"] == "markdown"), "")
        else:
            text = path.read_text(encoding="utf-8")
    except (OSError, ValueError, KeyError, TypeError):
        return ""
    return next((line for line in text.splitlines() if line.startswith("#")), "")


def structure_digest(files: dict[str, Path]) -> str:
    """Hash of what every page's navigation shows: config, TOC, the pages and their titles.

    Sphinx rebuilds only the pages whose source changed; when the structure changes
    (a page added, a title edited, the config) the other pages' sidebars would be stale,
    so the site is then built from scratch.
    """
    digest = hashlib.sha256()
    for rel in sorted(files):
        digest.update(rel.encode() + b"\0")
        if rel in {"_config.yml", "_toc.yml"}:
            digest.update(files[rel].read_bytes())
        else:
            digest.update(_first_heading(files[rel]).encode())
    return digest.hexdigest()


def site_digest(files: dict[str, Path]) -> str:
    """Hash of the staged sources: the site is rebuilt only when it changes."""
    digest = hashlib.sha256()
    for rel in sorted(files):
        digest.update(rel.encode() + b"\0" + hashlib.sha256(files[rel].read_bytes()).digest())
    return digest.hexdigest()


# jupyter-book's own entry point, minus 1.5 s of grammar compilation at import (see
# execute.skip_slow_imports); same command line, same behaviour. The process imports
# Sphinx and its extensions first, then reads its arguments (a JSON list) from stdin, so
# it can be started while the chapters run and be ready the moment they are done.
_JUPYTER_BOOK = """
import json, sys
sys.modules.setdefault("rfc3987_syntax", None)
from jupyter_book.cli.main import main
import myst_nb, sphinx.application, sphinx_book_theme, sphinx_external_toc
line = sys.stdin.readline()
if not line.strip():
    sys.exit(0)
sys.argv = ["jupyter-book", *json.loads(line)]
sys.exit(main())
"""


class SiteBuilder:
    """A ``jupyter-book`` process started ahead of time (imports done, waiting for its
    arguments). :meth:`run` hands them over; :meth:`close` lets an unused one exit."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[str] | None = subprocess.Popen(
            [sys.executable, "-c", _JUPYTER_BOOK],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def run(self, args: list[str]) -> subprocess.CompletedProcess[str]:
        proc, self.proc = self.proc, None
        if proc is None:
            proc = SiteBuilder().proc
            assert proc is not None
        stdout, stderr = proc.communicate(json.dumps(args) + "\n")
        return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)

    def close(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None:
            with contextlib.suppress(OSError, ValueError, subprocess.TimeoutExpired):
                proc.communicate("", timeout=30)
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def _recover_swap(target: Path) -> None:
    """Undo a swap interrupted between its two renames (a build killed right then)."""
    outgoing = target.with_name(f".{target.name}.outgoing")
    if not target.exists() and outgoing.is_dir():
        os.replace(outgoing, target)


def _swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` by a copy of ``new`` with two renames (never half-written)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _recover_swap(target)
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
    paths: BookPaths,
    scenario: str | None,
    force: bool = False,
    report: Report = quiet,
    builder: SiteBuilder | None = None,
) -> Path:
    """Build the HTML site from the executed notebooks with ``-W -n --keep-going``.

    Returns the site folder. Raises :class:`ExecutionError` (exit 1) when Sphinx fails or
    warns, leaving the previous site untouched. Sphinx builds incrementally in a work
    folder; after an interrupted or failed build that folder is rebuilt from scratch.
    """
    site = paths.site(scenario)
    _recover_swap(site)
    executed_dir = paths.executed(scenario)
    missing = [c for c in CHAPTERS if not (executed_dir / c.notebook).is_file()]
    if missing:
        names = ", ".join(c.slug for c in missing)
        raise InputError(f"chapters not executed yet: {names}; run 'planbook build' to run them")
    work = paths.work(scenario)
    stage = work / "src"
    files = stage_sources(paths, executed_dir, stage)
    key = site_digest(files)
    key_file = work / "site.key"
    if not force and site.is_dir() and key_file.is_file() and key_file.read_text() == key:
        report(f"site up to date: {display_path(site, paths.root)}")
        return site
    out = work / "out"
    dirty = work / "out.dirty"
    structure = structure_digest(files)
    structure_file = work / "structure.key"
    same_structure = structure_file.is_file() and structure_file.read_text() == structure
    if dirty.exists() or force or not same_structure:
        shutil.rmtree(out, ignore_errors=True)
    dirty.parent.mkdir(parents=True, exist_ok=True)
    dirty.touch()
    args = ["build", str(stage), "--path-output", str(out), "-W", "-n", "--keep-going"]
    start = time.perf_counter()
    report("building the site (jupyter-book, warnings are errors) ...")
    proc = (builder or SiteBuilder()).run(args)
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
    atomic_write_text(key_file, key)
    atomic_write_text(structure_file, structure)
    dirty.unlink(missing_ok=True)
    report(f"site built in {time.perf_counter() - start:.1f} s")
    return site


__all__ = ["SiteBuilder", "build_site", "site_digest", "stage_sources", "structure_digest"]
