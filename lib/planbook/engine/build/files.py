"""Small file helpers of the build: atomic writes and the files of a folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

SKIP_PARTS = frozenset({"__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".mypy_cache"})
"""Folders whose files never count as sources (caches, editor checkpoints)."""


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a synced temporary file and a rename.

    A reader sees the old file or the new one, never half of it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """:func:`atomic_write_bytes` for UTF-8 text."""
    atomic_write_bytes(path, text.encode("utf-8"))


def tree_files(folder: Path, patterns: tuple[str, ...] = ("*",)) -> list[Path]:
    """Every file under ``folder`` matching ``patterns``, sorted; caches and ``.pyc`` skipped."""
    files: set[Path] = set()
    if not folder.is_dir():
        return []
    for pattern in patterns:
        files.update(
            p
            for p in folder.rglob(pattern)
            if p.is_file() and not SKIP_PARTS.intersection(p.parts) and p.suffix != ".pyc"
        )
    return sorted(files)


__all__ = ["SKIP_PARTS", "atomic_write_bytes", "atomic_write_text", "tree_files"]
