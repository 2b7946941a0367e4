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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from planbook.engine.build.children import stop, tied_to_me
from planbook.engine.build.figures import finish_figures
from planbook.engine.build.files import atomic_write_text, file_errors, tree_files, unwritable
from planbook.engine.build.manifest import check_manifest, write_manifest
from planbook.engine.build.progress import Report, quiet
from planbook.engine.registry import CHAPTERS
from planbook.engine.search import site_inputs
from planbook.errors import ExecutionError, FileSystemError, InputError
from planbook.paths import BookPaths, display_path


def _sync_file(src: Path, dst: Path) -> bool:
    """Copy ``src`` to ``dst`` when their contents differ; return whether it wrote.

    An equal copy is left untouched (Sphinx then skips the page); a changed one is written
    with the time of now, never the source's: Sphinx re-reads a page only when its file
    is newer than its last reading, and an executed notebook from the cache may be older.
    """
    same_size = dst.is_file() and dst.stat().st_size == src.stat().st_size
    if same_size and dst.read_bytes() == src.read_bytes():
        return False
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    os.utime(dst)
    return True


def _sync_tree(files: dict[str, Path], dest: Path) -> None:
    """Make ``dest`` hold exactly ``files`` (relative name to source path)."""
    for rel, src in files.items():
        _sync_file(src, dest / rel)
    for existing in [p for p in dest.rglob("*") if p.is_file()]:
        rel = existing.relative_to(dest).as_posix()
        if rel not in files and not rel.startswith(("_build/", ".")):
            existing.unlink()


DOWNLOADS = ("data/plan/*.csv", "data/official/*.csv")
"""The data tables staged with the sources, at their repository paths, so a page's
``{download}`` role (``../data/plan/claims.csv`` from ``notebooks/``) finds them: Sphinx
copies each linked one into the site and fails the build (``-W``) on a missing one."""

EXTRA = "_extra"
"""The staged folder whose files Sphinx copies to the site's root (``html_extra_path``)."""


@dataclass(frozen=True)
class Extras:
    """What a site publishes beyond the book: generated pages added to the table of
    contents (``pages``: staged name to source file, ``.md``) and files copied to the
    site as they are (``files``: path in the site to source file)."""

    pages: Mapping[str, Path] = field(default_factory=dict)
    files: Mapping[str, Path] = field(default_factory=dict)


def _staged_toc(toc: str, pages: Iterable[str]) -> str:
    """The table of contents with ``pages`` (staged names) appended to its last part."""
    entries = [{"file": Path(rel).with_suffix("").as_posix()} for rel in pages]
    if not entries:
        return toc
    doc = yaml.safe_load(toc)
    parts = doc.get("parts") if isinstance(doc, dict) else None
    if not parts:
        raise InputError("_toc.yml has no parts; a page cannot be added to it")
    parts[-1].setdefault("chapters", []).extend(entries)
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


def _staged_config(config: str, extra: bool) -> str:
    """The configuration, with :data:`EXTRA` as Sphinx's ``html_extra_path`` when used."""
    if not extra:
        return config
    doc = yaml.safe_load(config)
    sphinx = doc.setdefault("sphinx", {}).setdefault("config", {})
    sphinx["html_extra_path"] = [*sphinx.get("html_extra_path", []), EXTRA]
    doc["exclude_patterns"] = [*doc.get("exclude_patterns", []), f"{EXTRA}/**"]
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


def _write_if_changed(path: Path, text: str) -> Path:
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        atomic_write_text(path, text)
    return path


def stage_sources(
    paths: BookPaths, executed_dir: Path, stage: Path, extras: Extras | None = None
) -> dict[str, Path]:
    """The files the site is built from: config, TOC, hand-written pages, executed
    chapters, the data tables pages link for download, and ``extras``."""
    extras = extras or Extras()
    stage.mkdir(parents=True, exist_ok=True)
    # Chapters are staged under notebooks/, so that a page's launch (Binder) and source
    # links point at the parameterized notebook of the same path in the repository.
    toc = (paths.root / "_toc.yml").read_text(encoding="utf-8")
    toc = _staged_toc(toc.replace("book/chapters/", "notebooks/"), extras.pages)
    config = (paths.root / "_config.yml").read_text(encoding="utf-8")
    config = _staged_config(config, bool(extras.files))
    files: dict[str, Path] = {
        "_config.yml": _write_if_changed(stage / "_config.yml", config),
        "_toc.yml": _write_if_changed(stage / "_toc.yml", toc),
    }
    for pattern in DOWNLOADS:
        for p in sorted(paths.root.glob(pattern)):
            files[p.relative_to(paths.root).as_posix()] = p
    files.update(extras.pages)
    files.update({f"{EXTRA}/{rel}": src for rel, src in extras.files.items()})
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
# Sphinx and its extensions first (and loads the search's dictionaries: about 0.8 s of
# pandas and jieba), then reads its arguments (a JSON list) from stdin, so
# it can be started while the chapters run and be ready the moment they are done. It
# exits as soon as the build that started it is gone (argv[1] is that build's pid): on
# Linux the kernel kills it (see children.py), elsewhere a thread notices within 0.5 s.
_JUPYTER_BOOK = """
import json, os, sys, threading, time
def _watch(parent):
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)
threading.Thread(target=_watch, args=(int(sys.argv[1]),), daemon=True).start()
sys.modules.setdefault("rfc3987_syntax", None)
from jupyter_book.cli.main import main
import myst_nb, sphinx.application, sphinx_book_theme, sphinx_external_toc
import planbook.engine.search.extension as search
search.warm_up()
line = sys.stdin.readline()
if not line.strip():
    sys.exit(0)
sys.argv = ["jupyter-book", *json.loads(line)]
sys.exit(main())
"""


class SiteBuilder:
    """A ``jupyter-book`` process started ahead of time (imports done, waiting for its
    arguments). :meth:`run` hands them over; :meth:`close` stops an unused one.

    Start it only while the build lock is held and close it before releasing the lock
    (``build_book`` does both): it dies with the build (SIGKILL included), runs in a
    process group of its own (a terminal's Ctrl-C reaches the build, which decides) and
    is killed with its group when :meth:`run` is interrupted or raises.
    """

    def __init__(self) -> None:
        self.proc: subprocess.Popen[str] | None = self._start()

    @staticmethod
    def _start() -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-c", _JUPYTER_BOOK, str(os.getpid())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
            **tied_to_me(),
        )

    def run(self, args: list[str]) -> subprocess.CompletedProcess[str]:
        proc = self.proc = self.proc or self._start()
        try:
            stdout, stderr = proc.communicate(json.dumps(args) + "\n")
        finally:
            self.close()  # on Ctrl-C or an error, the build must not run on
        return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)

    def close(self) -> None:
        """Kill the process and its group, if still running, and reap it."""
        proc, self.proc = self.proc, None
        stop(proc, group=True)


def _recover_swap(target: Path) -> None:
    """Undo a swap interrupted between its two renames (a build killed right then)."""
    outgoing = target.with_name(f".{target.name}.outgoing")
    if not target.exists() and outgoing.is_dir():
        os.replace(outgoing, target)


class _CopyFailed(Exception):
    """Stops ``copytree`` at the first file it cannot copy (it would collect them all)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error)
        self.error = error


def _copy_or_stop(src: str, dst: str) -> object:
    try:
        return shutil.copy2(src, dst)
    except OSError as exc:
        raise _CopyFailed(exc) from None


def _check_removable(folder: Path) -> None:
    """Raise ``OSError`` naming the first folder under ``folder`` (itself included)
    whose entries this user may not remove: the swap would leave it behind."""
    if not folder.is_dir():
        return
    for current, _, _ in os.walk(folder):
        code = unwritable(current)
        if code:
            raise OSError(code, os.strerror(code), current)


def _remove_tree(folder: Path) -> None:
    """Remove ``folder``; raise the ``OSError`` of what could not be removed."""
    if folder.is_symlink() or folder.is_file():
        folder.unlink()
    elif folder.exists():
        shutil.rmtree(folder)


def _swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` by a copy of ``new`` with two renames (never half-written).

    Raises ``OSError`` (disk full, read-only, no permission) with ``target`` as it was:
    the copy is made and checked before the first rename, and a failed second rename
    puts the old folder back.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    _recover_swap(target)
    incoming = target.with_name(f".{target.name}.incoming")
    outgoing = target.with_name(f".{target.name}.outgoing")
    _remove_tree(incoming)
    _remove_tree(outgoing)
    _check_removable(target)
    try:
        shutil.copytree(new, incoming, copy_function=_copy_or_stop)
    except _CopyFailed as exc:
        shutil.rmtree(incoming, ignore_errors=True)
        raise exc.error from None
    except OSError:
        shutil.rmtree(incoming, ignore_errors=True)
        raise
    moved = False
    try:
        if target.exists():
            os.replace(target, outgoing)
            moved = True
        os.replace(incoming, target)
    except OSError:
        if moved and not target.exists():
            os.replace(outgoing, target)
        shutil.rmtree(incoming, ignore_errors=True)
        raise
    shutil.rmtree(outgoing, ignore_errors=True)


def build_site(
    paths: BookPaths,
    scenario: str | None,
    force: bool = False,
    report: Report = quiet,
    builder: SiteBuilder | None = None,
    extras: Extras | None = None,
) -> Path:
    """Build the HTML site from the executed notebooks with ``-W -n --keep-going``.

    ``extras`` are generated pages and files the site publishes beside the book (see
    :class:`Extras`). Returns the site folder. Raises :class:`ExecutionError` (exit 1)
    when Sphinx fails or warns, and :class:`~planbook.errors.FileSystemError` (exit 4)
    when a file cannot be written (disk full, read-only, no permission), leaving the
    previous site untouched.
    Sphinx builds incrementally in a work folder; after an interrupted or failed build
    that folder is rebuilt from scratch.
    """
    with file_errors("cannot build the site", paths.root, "the last good site is unchanged"):
        return _build_site(paths, scenario, force, report, builder, extras)


def forget_site(paths: BookPaths, scenario: str | None) -> None:
    """Make the next :func:`build_site` of this book rebuild from scratch (as ``force``
    does) while the published site stays until the new one replaces it."""
    work = paths.work(scenario)
    for name in ("site.key", "structure.key"):
        (work / name).unlink(missing_ok=True)


_FILE_TROUBLE = re.compile(
    r"\[Errno (?:13|28|30|122)\]|No space left on device|Read-only file system"
)
"""What Sphinx prints when the disk is full or a folder read-only."""


def _check_published(
    site: Path, out: Path, dirty: Path, manifest: Path, root: Path, report: Report
) -> str:
    """Check the published ``site`` against its manifest: "up to date" when it matches,
    "restored" when a damaged site was put back from the last build's output (which
    still matches), else "damaged" (the site must be built again, from scratch)."""
    damage = check_manifest(site, manifest)
    shown = display_path(site, root)
    if damage is None:
        report(f"site up to date: {shown}")
        return "up to date"
    html = out / "_build" / "html"
    if not dirty.exists() and damage.file and check_manifest(html, manifest) is None:
        report(f"{damage.describe(shown)}; restoring the site from its last build")
        _swap_in(html, site)
        with contextlib.suppress(OSError):  # the files are the manifest's already
            write_manifest(site, manifest)
        return "restored"
    report(f"{damage.describe(shown)}; rebuilding the site")
    return "damaged"


def _build_site(
    paths: BookPaths,
    scenario: str | None,
    force: bool,
    report: Report,
    builder: SiteBuilder | None,
    extras: Extras | None = None,
) -> Path:
    site = paths.site(scenario)
    _recover_swap(site)
    executed_dir = paths.executed(scenario)
    missing = [c for c in CHAPTERS if not (executed_dir / c.notebook).is_file()]
    if missing:
        names = ", ".join(c.slug for c in missing)
        raise InputError(f"chapters not executed yet: {names}; run 'planbook build' to run them")
    work = paths.work(scenario)
    stage = work / "src"
    files = stage_sources(paths, executed_dir, stage, extras)
    # The search index also depends on the search extension and its keyword files: a
    # change to them rebuilds every page's entry (part of the structure, hence from scratch).
    search = site_digest(site_inputs(paths.root))
    key = site_digest(files) + search
    key_file = work / "site.key"
    manifest = work / "site.manifest.json"
    out = work / "out"
    dirty = work / "out.dirty"
    damaged = False
    if not force and site.is_dir() and key_file.is_file() and key_file.read_text() == key:
        # Same sources: the published files must still be the ones the build wrote.
        state = _check_published(site, out, dirty, manifest, paths.root, report)
        if state != "damaged":
            return site
        damaged = True
    structure = structure_digest(files) + search
    structure_file = work / "structure.key"
    same_structure = structure_file.is_file() and structure_file.read_text() == structure
    # Sphinx rewrites only what changed: what it left from the last build must be intact.
    intact = out.is_dir() and check_manifest(out / "_build" / "html", manifest) is None
    if dirty.exists() or force or not same_structure or damaged or not intact:
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
        trouble = next((line for line in text.splitlines() if _FILE_TROUBLE.search(line)), None)
        if trouble is not None:
            raise FileSystemError(
                f"cannot build the site in {display_path(work, paths.root)}: "
                f"{trouble.strip()[:300]}; free disk space or make the folder writable and "
                f"rerun; full log at {display_path(log, paths.root)}; the last good site is "
                f"unchanged"
            )
        raise ExecutionError(
            f"site build failed ({len(problems)} warnings or errors), first: {first[:300]}; "
            f"full log at {display_path(log, paths.root)}; the last good site is unchanged"
        )
    finish_figures(
        html,
        [(executed_dir / c.notebook, None if c.is_appendix else c.number) for c in CHAPTERS],
    )
    _swap_in(html, site)
    with contextlib.suppress(OSError):  # the new site is in place; a stale key only rebuilds
        write_manifest(site, manifest)
        atomic_write_text(key_file, key)
        atomic_write_text(structure_file, structure)
        dirty.unlink(missing_ok=True)
    report(f"site built in {time.perf_counter() - start:.1f} s")
    return site


__all__ = [
    "DOWNLOADS",
    "EXTRA",
    "Extras",
    "SiteBuilder",
    "build_site",
    "forget_site",
    "site_digest",
    "stage_sources",
    "structure_digest",
]
