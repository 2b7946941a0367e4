"""Execution keys: exactly what a chapter's execution depends on, hashed.

Every execution has a key (:func:`fingerprint`): a sha256 of

- the notebook's cells and kernel (:func:`notebook_digest`; outputs ignored);
- the chapter's resolved parameters;
- the source of every module of ``lib/planbook`` the notebook imports, directly or
  through other modules, parent packages' ``__init__.py`` included (read statically
  from the import graph, see :mod:`.imports`);
- the files under ``data/`` and ``scenarios/`` the chapter registry declares it reads
  (``Chapter.data``; a run that reads an undeclared file fails, see :mod:`.reads_check`);
- ``requirements.lock`` and the Python version (major.minor).

The cache stores executed notebooks under that key, so a chapter runs only when its key
is new: switching parameters back and forth costs nothing, and a changed module or data
file re-executes exactly the chapters that import or read it (never stale). A module no
chapter imports (the CLI, the build engine) re-executes nothing.

A build computes every chapter's dependencies once (:func:`chapter_digests`: one parse
of the import graph, one hash per file) and passes the digests on.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planbook.engine.build.files import atomic_write_text, tree_files
from planbook.engine.build.imports import (
    closure,
    import_graph,
    module_files,
    notebook_imports,
)
from planbook.engine.build.reads_check import declared_files
from planbook.engine.build.sources import read_notebook
from planbook.engine.params import ChapterParams
from planbook.engine.registry import Chapter
from planbook.paths import BookPaths

KEY_VERSION = 3
"""Bump when the recipe of :func:`fingerprint` changes: every key changes with it."""

VALIDATOR = "planbook.data.validate"
"""The module that checks every data table before a build (see :func:`validation_digest`)."""


@dataclass(frozen=True)
class Dependencies:
    """What one chapter's execution depends on besides its notebook and parameters.

    ``modules`` are the dotted names of the package modules it imports (transitively);
    ``files`` their files, the declared data and scenario files and the lock file.
    """

    modules: frozenset[str]
    files: tuple[Path, ...]


def python_version() -> str:
    """The interpreter's version as keys record it (``"python 3.11"``)."""
    return f"python {sys.version_info[0]}.{sys.version_info[1]}"


def _lock_files(paths: BookPaths) -> list[Path]:
    lock = paths.root / "requirements.lock"
    return [lock] if lock.is_file() else []


def hash_files(files: Iterable[Path], root: Path, hashes: dict[Path, bytes] | None = None) -> str:
    """One sha256 over the files' repo-relative names and contents.

    ``hashes`` (path -> sha256 of its bytes) lets one build hash each file once.
    """
    hashes = {} if hashes is None else hashes
    digest = hashlib.sha256()
    for path in sorted(set(files)):
        if path not in hashes:
            hashes[path] = hashlib.sha256(path.read_bytes()).digest()
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(hashes[path])
    digest.update(python_version().encode())
    return digest.hexdigest()


PARSE_CACHE = "imports.json"
"""The direct imports of every module parsed so far (under ``_build``), by
:func:`~planbook.engine.build.imports.parse_key`."""

PARSE_CACHE_MAX = 5000
"""Entries kept; beyond, only those this run added stay."""


@contextlib.contextmanager
def parse_cache(paths: BookPaths, save: bool = True) -> Iterator[dict[str, list[str]]]:
    """The parse results kept under ``_build``, saved again when they grew (and ``save``).

    An unreadable file counts as empty; one that cannot be written is left as it is (a
    read-only book still builds: its next build parses again).
    """
    path = paths.build / PARSE_CACHE
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
        parsed = {k: v for k, v in loaded.items() if isinstance(v, list)}
    except (OSError, ValueError, AttributeError):
        parsed = {}
    before = set(parsed)
    yield parsed
    added = set(parsed) - before
    if added and save:
        keep = parsed if len(parsed) <= PARSE_CACHE_MAX else {k: parsed[k] for k in added}
        with contextlib.suppress(OSError):
            atomic_write_text(path, json.dumps(keep, sort_keys=True))


def dependencies(
    chapters: Iterable[Chapter],
    paths: BookPaths,
    notebooks: Mapping[Chapter, Mapping[str, Any]] | None = None,
) -> dict[Chapter, Dependencies]:
    """Every chapter's dependencies, from one parse of the import graph.

    ``notebooks`` holds notebook JSON already read (by chapter); the others are read
    from ``notebooks/`` (a broken one raises, see
    :func:`~planbook.engine.build.sources.read_notebook`).
    """
    notebooks = notebooks or {}
    chapters = list(dict.fromkeys(chapters))
    modules = module_files(paths.lib)
    roots = {}
    with parse_cache(paths) as parsed:
        for c in chapters:
            notebook = notebooks.get(c) or read_notebook(paths.notebooks / c.notebook, paths.root)
            roots[c] = notebook_imports(notebook, modules, parsed)
        graph = import_graph(modules, set().union(*roots.values()), parsed=parsed)
    lock = _lock_files(paths)
    out = {}
    for chapter in chapters:
        used = closure(roots[chapter], graph)
        files = [modules[m] for m in used] + declared_files(chapter.data, paths.root) + lock
        out[chapter] = Dependencies(used, tuple(sorted(set(files))))
    return out


def chapter_digests(
    chapters: Iterable[Chapter],
    paths: BookPaths,
    notebooks: Mapping[Chapter, Mapping[str, Any]] | None = None,
) -> dict[Chapter, str]:
    """The digest of each chapter's dependencies (the ``env`` of :func:`fingerprint`)."""
    hashes: dict[Path, bytes] = {}
    return {
        chapter: hash_files(deps.files, paths.root, hashes)
        for chapter, deps in dependencies(chapters, paths, notebooks).items()
    }


def validation_digest(paths: BookPaths) -> str:
    """Hash of what the check of the data tables depends on: every file under ``data/``,
    the modules :data:`VALIDATOR` imports (transitively), the lock file, the Python version.
    """
    modules = module_files(paths.lib)
    # read, never written: the data are checked before a build writes anything
    with parse_cache(paths, save=False) as parsed:
        used = closure([VALIDATOR], import_graph(modules, [VALIDATOR], parsed=parsed))
    files = tree_files(paths.data) + [modules[m] for m in used if m in modules]
    return hash_files(files + _lock_files(paths), paths.root)


_VOLATILE_CELL_META = {"execution", "collapsed", "scrolled", "ExecuteTime", "papermill"}
_VOLATILE_NB_META = {"language_info", "papermill", "widgets", "planbook"}


def notebook_digest(path: Path) -> str:
    """Hash of a notebook's cells (type, source, metadata) and kernel (outputs ignored).

    Saving the notebook in JupyterLab with outputs, execution counts or timings does
    not change it; editing a cell or a tag does.
    """
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [
        (
            c.get("cell_type"),
            "".join(c.get("source", "")),
            {k: v for k, v in c.get("metadata", {}).items() if k not in _VOLATILE_CELL_META},
        )
        for c in nb.get("cells", [])
    ]
    meta = {k: v for k, v in nb.get("metadata", {}).items() if k not in _VOLATILE_NB_META}
    payload = {"cells": cells, "metadata": meta}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def fingerprint(chapter: Chapter, params: ChapterParams, paths: BookPaths, env: str) -> str:
    """The key of one chapter execution: notebook, parameters and ``env``, the digest of
    the chapter's dependencies (from :func:`chapter_digests`)."""
    payload = {
        "version": KEY_VERSION,
        "chapter": chapter.slug,
        "notebook": notebook_digest(paths.notebooks / chapter.notebook),
        "params": params.model_dump(mode="json"),
        "environment": env,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def recorded(executed: Path) -> dict[str, Any]:
    """The ``planbook`` metadata of an executed notebook, or ``{}`` if absent or unreadable.

    It holds the chapter, the parameters and the key of the execution.
    """
    if not executed.is_file():
        return {}
    try:
        nb = json.loads(executed.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    meta = nb.get("metadata", {}).get("planbook", {}) if isinstance(nb, dict) else {}
    return meta if isinstance(meta, dict) else {}


__all__ = [
    "KEY_VERSION",
    "VALIDATOR",
    "Dependencies",
    "chapter_digests",
    "dependencies",
    "fingerprint",
    "hash_files",
    "notebook_digest",
    "python_version",
    "recorded",
    "validation_digest",
]
