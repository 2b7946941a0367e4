"""Execution keys: what a chapter's execution depends on, hashed.

Every execution has a key (:func:`fingerprint`): a sha256 of the notebook's source, the
chapter's resolved parameters and everything under ``lib/planbook``, ``data/``,
``scenarios/*.yml`` and ``requirements.lock``. The cache stores executed notebooks under
that key, so a chapter runs only when its key is new: switching parameters back and forth
costs nothing, and a changed function in ``lib/`` re-executes every chapter (never stale).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from planbook.engine.build.files import tree_files
from planbook.engine.params import ChapterParams
from planbook.engine.registry import Chapter
from planbook.paths import BookPaths

KEY_VERSION = 2
"""Bump when the recipe of :func:`fingerprint` changes: every key changes with it."""


def _hash_files(files: Iterable[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(set(files)):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def dependency_files(paths: BookPaths) -> list[Path]:
    """Every file besides its own notebook that a chapter's execution may depend on.

    All of ``lib/planbook`` (every module and subpackage; a chapter imports the library,
    which may import any of it), all of ``data/``, the scenario files (a chapter may
    read all of them, e.g. to tabulate the scenarios) and the lock file of the
    dependencies.
    """
    files = tree_files(paths.lib) + tree_files(paths.data)
    files += sorted(paths.scenarios.glob("*.yml")) if paths.scenarios.is_dir() else []
    lock = paths.root / "requirements.lock"
    if lock.is_file():
        files.append(lock)
    return files


def environment_digest(paths: BookPaths) -> str:
    """Hash of everything a chapter depends on besides its own notebook and parameters."""
    digest = hashlib.sha256(_hash_files(dependency_files(paths), paths.root).encode())
    digest.update(f"python {sys.version_info[0]}.{sys.version_info[1]}".encode())
    return digest.hexdigest()


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
    """The key of one chapter execution: notebook, parameters and environment."""
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
    "dependency_files",
    "environment_digest",
    "fingerprint",
    "notebook_digest",
    "recorded",
]
