"""Which files under ``data/`` and ``scenarios/`` this process opens, logged for the build.

The build gives each chapter's kernel a log file (the environment variable
``PLANBOOK_READS_LOG``, with the checkout in ``PLANBOOK_ROOT``). Importing ``planbook``
calls :func:`install_from_environment`, which then installs an audit hook
(:func:`sys.addaudithook`) that appends the repo-relative path of every file opened under
``<root>/data`` or ``<root>/scenarios`` to that log, one line the first time each is
seen. The build compares the log with what the chapter registry declares
(:mod:`planbook.engine.build.reads_check`). Without the variables nothing is installed.

Audit hooks cannot be removed, so a process holds at most one of ours (the only state of
this module): installing again, as a kernel forked from a warm one does, points it at the
new log and forgets what it saw. This module imports only the standard library.
"""

from __future__ import annotations

import os
import sys
from typing import Any

READS_LOG = "PLANBOOK_READS_LOG"
"""Environment variable: the file the reads are appended to."""

ROOT = "PLANBOOK_ROOT"
"""Environment variable: the checkout whose ``data/`` and ``scenarios/`` are watched."""

WATCHED = ("data", "scenarios")
"""The folders under the root whose reads are recorded."""


class _Recorder:
    """The audit hook: cheap for every event that is not an ``open`` under a watched folder."""

    __slots__ = ("busy", "log", "prefixes", "seen")

    def __init__(self) -> None:
        self.log = ""
        self.prefixes: tuple[str, ...] = ()
        self.seen: set[str] = set()
        self.busy = False

    def point(self, log: str, root: str) -> None:
        roots = {os.path.abspath(root), os.path.realpath(root)}
        self.prefixes = tuple(os.path.join(r, w) + os.sep for r in sorted(roots) for w in WATCHED)
        self.log = log
        self.seen = set()

    def __call__(self, event: str, args: tuple[Any, ...]) -> None:
        if event != "open" or self.busy or not args:
            return
        path = args[0]
        if not isinstance(path, str):
            if isinstance(path, int) or path is None:
                return  # a file descriptor: opened (and recorded) before
            try:
                path = os.fsdecode(os.fspath(path))
            except TypeError:
                return
        if not path.startswith(self.prefixes) or "/." in path or "//" in path:
            if not os.path.isabs(path):
                path = os.path.join(os.getcwd(), path)
            elif not ("/." in path or "//" in path):
                return  # the common case: an absolute path elsewhere
            path = os.path.normpath(path)
            if not path.startswith(self.prefixes):
                return
        self._record(path)

    def _record(self, path: str) -> None:
        for prefix in self.prefixes:
            if path.startswith(prefix):
                base = prefix[: prefix.rstrip(os.sep).rfind(os.sep) + 1]
                rel = path[len(base) :].replace(os.sep, "/")
                break
        else:
            return
        if rel in self.seen:
            return
        self.seen.add(rel)
        self.busy = True  # opening the log is an ``open`` event too
        try:
            fd = os.open(self.log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, (rel + "\n").encode("utf-8", "surrogateescape"))
            finally:
                os.close(fd)
        except OSError:
            pass  # a log that cannot be written must not break the chapter
        finally:
            self.busy = False


_HOOK: _Recorder | None = None


def install(log_path: str, root: str) -> None:
    """Record every file opened under ``<root>/data`` and ``<root>/scenarios``.

    Parameters
    ----------
    log_path
        The file each path (relative to ``root``, with ``/``) is appended to, one line
        the first time it is opened.
    root
        The checkout whose ``data/`` and ``scenarios/`` are watched.
    """
    global _HOOK
    if _HOOK is None:
        _HOOK = _Recorder()
        _HOOK.point(log_path, root)
        sys.addaudithook(_HOOK)
    else:
        _HOOK.point(log_path, root)


def install_from_environment() -> None:
    """:func:`install` with ``PLANBOOK_READS_LOG`` and ``PLANBOOK_ROOT`` when both are set."""
    log = os.environ.get(READS_LOG)
    root = os.environ.get(ROOT)
    if log and root:
        install(log, root)


__all__ = ["READS_LOG", "ROOT", "WATCHED", "install", "install_from_environment"]
