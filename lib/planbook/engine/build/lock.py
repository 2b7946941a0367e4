"""One build at a time per checkout: an exclusive ``flock`` on ``_build/planbook.lock``.

The kernel releases a ``flock`` when its holder dies, however it dies (even SIGKILL), so
a crashed build never blocks the next one. The lock file also records who holds it
(pid, host, start time, command) for the message a second build prints while it
waits, and so that a record left by a process that died is reported and cleared.
A lock still held although the recorded process is gone (a stray child that inherited
the descriptor) is broken by replacing the file.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from planbook.engine.build.cache import pid_alive
from planbook.errors import FileSystemError, PlanbookError


class LockBusyError(PlanbookError):
    """Another build holds the lock (exit code 3: try again later)."""

    exit_code = 3


def _proc_start(pid: int) -> str | None:
    """The start time of a process in clock ticks since boot (Linux), to detect pid reuse."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[-1].split()[19]


@dataclass(frozen=True)
class Holder:
    """Who holds (or last held) the lock."""

    pid: int
    host: str
    started: str
    command: str
    proc_start: str | None = None

    @classmethod
    def me(cls, command: str) -> Holder:
        pid = os.getpid()
        return cls(
            pid=pid,
            host=socket.gethostname(),
            started=datetime.now().astimezone().isoformat(timespec="seconds"),
            command=command,
            proc_start=_proc_start(pid),
        )

    @classmethod
    def parse(cls, text: str) -> Holder | None:
        try:
            doc: Any = json.loads(text)
            return cls(
                pid=int(doc["pid"]),
                host=str(doc["host"]),
                started=str(doc["started"]),
                command=str(doc.get("command", "")),
                proc_start=doc.get("proc_start"),
            )
        except (ValueError, KeyError, TypeError):
            return None

    def dumps(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True)

    def alive(self) -> bool | None:
        """True/False on this host; None when the holder runs on another machine."""
        if self.host != socket.gethostname():
            return None
        if not pid_alive(self.pid):
            return False
        if self.proc_start is not None:
            now = _proc_start(self.pid)
            return now is None or now == self.proc_start
        return True

    def describe(self) -> str:
        what = f" ({self.command})" if self.command else ""
        return f"pid {self.pid} on {self.host}, started {self.started}{what}"


def _read(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks).decode("utf-8", "replace")


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.fstat(fd).st_ino == os.stat(path).st_ino
    except FileNotFoundError:
        return False


class BuildLock:
    """Context manager holding the checkout's build lock.

    Parameters
    ----------
    path
        The lock file.
    wait
        Wait for another build to finish (True) or raise :class:`LockBusyError` at once.
    timeout
        Give up waiting after this many seconds (None: wait as long as it takes).
    report
        Called with one-line messages (waiting, stale lock cleared).
    command
        What this process is doing, recorded for the other builds' messages.
    """

    def __init__(
        self,
        path: Path,
        *,
        wait: bool = True,
        timeout: float | None = None,
        report: Callable[[str], None] | None = None,
        command: str = "",
        poll: float = 0.2,
    ) -> None:
        self.path = path
        self.wait = wait
        self.timeout = timeout
        self.report = report or (lambda message: None)
        self.command = command or " ".join(["planbook", *sys.argv[1:]])
        self.poll = poll
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def holder(self) -> Holder | None:
        """The process recorded in the lock file, if any."""
        try:
            return Holder.parse(self.path.read_text(encoding="utf-8"))
        except OSError:
            return None

    def acquire(self) -> None:
        """Take the lock, waiting or failing as configured; see the class docstring.

        Raises :class:`~planbook.errors.FileSystemError` (exit code 4) naming the folder
        when the lock file cannot be created or written (read-only, disk full).
        """
        try:
            self._acquire()
        except OSError as exc:
            folder = self.path.parent
            doing = "cannot write the build lock"
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS) and not self.path.exists():
                exc.filename = str(folder if folder.exists() else folder.parent)
                doing = f"cannot create the build lock ({self.path.name}) in"
            raise FileSystemError.from_os_error(
                exc, doing, root=folder.parent, after="nothing was changed"
            ) from None

    def _acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        start = time.monotonic()
        announced = False
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = Holder.parse(_read(fd))
                if holder is not None and holder.alive() is False and _same_file(fd, self.path):
                    # Held, but by no live build: a stray child kept the descriptor.
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(self.path)
                    os.close(fd)
                    self.report(f"cleared a stale build lock ({holder.describe()} is gone)")
                    continue
                os.close(fd)
                who = holder.describe() if holder else "another process"
                waited = time.monotonic() - start
                if not self.wait:
                    raise LockBusyError(
                        f"another build is running ({who}); wait for it to finish, "
                        f"or rerun with --wait"
                    ) from None
                if self.timeout is not None and waited >= self.timeout:
                    raise LockBusyError(
                        f"gave up after waiting {waited:.0f} s for another build ({who}); "
                        f"rerun later or with a longer --lock-timeout"
                    ) from None
                if not announced:
                    self.report(f"waiting for another build to finish ({who}) ...")
                    announced = True
                time.sleep(self.poll)
                continue
            if not _same_file(fd, self.path):
                # The file was replaced (stale lock broken) between open and flock.
                os.close(fd)
                continue
            try:
                previous = Holder.parse(_read(fd))
                os.ftruncate(fd, 0)
                os.lseek(fd, 0, os.SEEK_SET)
                os.write(fd, Holder.me(self.command).dumps().encode())
                os.fsync(fd)
            except BaseException:
                os.close(fd)  # releases the flock
                raise
            if previous is not None and previous.pid != os.getpid():
                self.report(f"cleared a stale build lock ({previous.describe()} did not finish)")
            self._fd = fd
            return

    def release(self) -> None:
        """Clear the record and release the lock."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            os.ftruncate(fd, 0)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def __enter__(self) -> BuildLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


__all__ = ["BuildLock", "Holder", "LockBusyError"]
