"""Small file helpers of the build: atomic writes, the files of a folder, and the
boundary that turns a file system error into one line naming the path and the fix."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from planbook.errors import FileSystemError

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


def atomic_write_all(items: Iterable[tuple[Path, bytes]]) -> None:
    """Write several files, all or none: every file is written and synced to a temporary
    file first, then each is renamed into place.

    A failure while writing (disk full, read-only folder) leaves every target as it was;
    only the renames, which need no space, come after the first target changes.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in items:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        while staged:
            tmp, path = staged[0]
            os.replace(tmp, path)
            staged.pop(0)
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)


def check_writable(folders: Iterable[Path], root: Path, after: str = "nothing was changed") -> None:
    """Refuse early, before any kernel: raise :class:`~planbook.errors.FileSystemError`
    naming the first of ``folders`` (or, for one not created yet, the nearest folder
    above it) that this user may not write, or that is on a read-only file system."""
    for folder in folders:
        probe = folder
        while not probe.exists() and probe != probe.parent:
            probe = probe.parent
        code = unwritable(probe) if probe.is_dir() else 0
        if code:
            exc = OSError(code, os.strerror(code), str(probe))
            raise FileSystemError.from_os_error(exc, "cannot write to", root=root, after=after)


def unwritable(folder: Path | str) -> int:
    """Why this user may not create or remove entries in ``folder``: ``errno.EROFS``,
    ``errno.EACCES``, or 0 when it may."""
    with contextlib.suppress(OSError, AttributeError):
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return errno.EROFS
    return 0 if os.access(folder, os.W_OK | os.X_OK) else errno.EACCES


@contextlib.contextmanager
def file_errors(doing: str, root: Path | None = None, after: str = "") -> Iterator[None]:
    """Turn an ``OSError`` raised inside into a :class:`~planbook.errors.FileSystemError`
    (exit code 4): ``doing``, the path, what went wrong, the fix, then ``after``."""
    try:
        yield
    except OSError as exc:
        raise FileSystemError.from_os_error(exc, doing, root=root, after=after) from None


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


__all__ = [
    "SKIP_PARTS",
    "atomic_write_all",
    "atomic_write_bytes",
    "atomic_write_text",
    "check_writable",
    "file_errors",
    "tree_files",
    "unwritable",
]
