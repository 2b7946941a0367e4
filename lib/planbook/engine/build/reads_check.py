"""What a chapter reads from ``data/`` and ``scenarios/``: declared, matched, checked.

Each chapter declares the files it reads in the registry (``Chapter.data``: repo-relative
paths or glob patterns; ``*`` and ``?`` stay within a folder, ``**`` spans folders). Its
execution key covers the files the declaration matches (:func:`declared_files`), so a
chapter that does not read a file is not re-run when the file changes.

A declaration that misses a file would make a stale page, so every execution checks it:
the kernel logs each file it opens under ``data/`` and ``scenarios/`` (see
:mod:`planbook.reads`, switched on by :func:`reads_logged`), and :func:`reads_problem`
turns a read the declaration does not match into the chapter's one-line failure.
Declared files a chapter does not read are harmless (they only widen its key).
"""

from __future__ import annotations

import contextlib
import fnmatch
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from planbook.engine.build.files import tree_files
from planbook.reads import READS_LOG, WATCHED

REGISTRY = "lib/planbook/engine/registry.py"
"""Where the declarations live (named in the failure message)."""


def _match_parts(parts: Sequence[str], pattern: Sequence[str]) -> bool:
    if not pattern:
        return not parts
    head, rest = pattern[0], pattern[1:]
    if head == "**":
        return any(_match_parts(parts[i:], rest) for i in range(len(parts) + 1))
    return bool(parts) and fnmatch.fnmatchcase(parts[0], head) and _match_parts(parts[1:], rest)


def matches(path: str, pattern: str) -> bool:
    """Whether the repo-relative ``path`` (with ``/``) is matched by the glob ``pattern``."""
    return _match_parts(path.split("/"), pattern.split("/"))


def declared(path: str, patterns: Iterable[str]) -> bool:
    """Whether any of ``patterns`` matches the repo-relative ``path``."""
    return any(matches(path, pattern) for pattern in patterns)


def declared_files(patterns: Iterable[str], root: Path) -> list[Path]:
    """The files under ``root`` that the patterns match, sorted (caches skipped).

    Only the folders the patterns start with are listed (``data/``, ``scenarios/``).
    """
    patterns = tuple(patterns)
    tops = sorted({p.split("/", 1)[0] for p in patterns})
    files = []
    for top in tops:
        for path in tree_files(root / top):
            if declared(path.relative_to(root).as_posix(), patterns):
                files.append(path)
    return sorted(files)


def pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` cannot be a chapter's data declaration, or None when it can.

    It must be repo-relative, with ``/``, under ``data/`` or ``scenarios/`` (the folders
    whose reads are checked), without ``.`` or ``..`` parts.
    """
    parts = pattern.split("/")
    if pattern.startswith("/") or "\\" in pattern:
        return "is not a repo-relative path with '/'"
    if parts[0] not in WATCHED or len(parts) < 2:
        return f"is not under {' or '.join(f'{w}/' for w in WATCHED)}"
    if any(p in {"", ".", ".."} for p in parts):
        return "has an empty, '.' or '..' part"
    return None


@contextlib.contextmanager
def reads_logged(log: Path) -> Iterator[Path]:
    """Kernels started inside log their reads to ``log`` (``PLANBOOK_READS_LOG``).

    The kernel also needs ``PLANBOOK_ROOT`` (the execution sets it). The log starts empty.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_bytes(b"")
    saved = os.environ.get(READS_LOG)
    os.environ[READS_LOG] = str(log)
    try:
        yield log
    finally:
        if saved is None:
            os.environ.pop(READS_LOG, None)
        else:
            os.environ[READS_LOG] = saved


def recorded_reads(log: Path) -> list[str]:
    """The repo-relative paths a kernel logged, each once, in the order first read."""
    try:
        text = log.read_text(encoding="utf-8", errors="surrogateescape")
    except OSError:
        return []
    return list(dict.fromkeys(line for line in text.splitlines() if line))


def undeclared_reads(reads: Iterable[str], patterns: Iterable[str]) -> list[str]:
    """The reads that no pattern declares, in order."""
    patterns = tuple(patterns)
    return [path for path in reads if not declared(path, patterns)]


def reads_problem(number: int, slug: str, reads: Iterable[str], patterns: Iterable[str]) -> str:
    """One line naming the reads the chapter's declaration misses, or ``""`` if none."""
    missing = undeclared_reads(reads, patterns)
    if not missing:
        return ""
    what = ", ".join(missing)
    them = "it" if len(missing) == 1 else "them"
    return (
        f"chapter {number} {slug} read {what}, which the chapter registry does not declare; "
        f"add {them} to its `data` in {REGISTRY}"
    )


def check_reads(log: Path, number: int, slug: str, patterns: Iterable[str]) -> str:
    """:func:`reads_problem` for the reads a kernel logged to ``log``: ``""`` when all
    were declared, else the chapter's one-line failure."""
    return reads_problem(number, slug, recorded_reads(log), patterns)


__all__ = [
    "check_reads",
    "REGISTRY",
    "declared",
    "declared_files",
    "matches",
    "pattern_problem",
    "reads_logged",
    "reads_problem",
    "recorded_reads",
    "undeclared_reads",
]
