"""Exceptions that the command line turns into one clear line and an exit code."""

from __future__ import annotations

import os


class PlanbookError(Exception):
    """Base class: an error whose message is meant for the user, on one line."""

    exit_code = 2


class InputError(PlanbookError):
    """Bad input from the user (chapter, parameter, scenario): exit code 2."""

    exit_code = 2


class DataFileError(PlanbookError):
    """A data file under ``data/`` is missing, unreadable or breaks its schema."""

    exit_code = 2


class ExecutionError(PlanbookError):
    """A chapter notebook raised while it ran: exit code 1."""

    exit_code = 1


class FileSystemError(PlanbookError):
    """A file or folder could not be read or written (read-only, no permission, disk
    full): exit code 4. Build it with :meth:`from_os_error` to name the path and the fix."""

    exit_code = 4

    @classmethod
    def from_os_error(
        cls,
        exc: OSError,
        doing: str,
        *,
        root: str | os.PathLike[str] | None = None,
        after: str = "",
    ) -> FileSystemError:
        """One line: ``doing`` and the path of ``exc``, what went wrong, the fix, ``after``.

        ``doing`` says what the book was doing ("cannot write the site"); the path is
        shown relative to ``root`` when inside it; ``after`` says what was left as it
        was ("the last good site is unchanged").
        """
        import errno

        code = exc.errno
        # a copy that ran out of space names its source first and its target second
        full = code in (errno.ENOSPC, errno.EDQUOT) and exc.filename2 is not None
        path = exc.filename2 if full or exc.filename is None else exc.filename
        shown = str(path) if path is not None else ""
        if path is not None and root is not None:
            rel = os.path.relpath(os.path.abspath(os.fsdecode(path)), os.fspath(root))
            shown = rel if not rel.startswith("..") else os.fsdecode(path)
        where = f" {quoted(shown, 120)}" if shown else ""
        if code in (errno.ENOSPC, errno.EDQUOT):
            why, fix = "no space left on the device", "free disk space and rerun"
        elif code == errno.EROFS:
            why, fix = "the file system is read-only", "work in a writable copy of the book"
        elif code in (errno.EACCES, errno.EPERM):
            target = shown or "the folder"
            why = "permission denied"
            fix = f"give yourself access (for example chmod -R u+rwX {target}) and rerun"
        elif code == errno.ENOENT:
            why, fix = "it does not exist", "restore it (or remove what refers to it) and rerun"
        elif code in (errno.EISDIR, errno.ENOTDIR, errno.EEXIST, errno.ENOTEMPTY):
            why, fix = "something else is in the way", "move the file or folder aside and rerun"
        else:
            why = exc.strerror or type(exc).__name__
            fix = "check the file system and rerun"
        tail = f"; {after}" if after else ""
        return cls(f"{doing}{where}: {why}; {fix}{tail}")


def clipped(text: str, limit: int = 60) -> str:
    """User text shown unquoted in a one-line message: control characters escaped, and a
    longer text cut to ``limit`` characters, then '…' and its full length."""
    cut = text[:limit]
    if not cut.isprintable():
        cut = "".join(c if c.isprintable() else repr(c)[1:-1] for c in cut)
    return cut if len(text) <= limit else f"{cut}… ({len(text):,} characters)"


def quoted(value: object, limit: int = 60) -> str:
    """A user-supplied value or name, quoted for a one-line message.

    Control characters are escaped and a longer value is cut to ``limit`` characters,
    ending in '…' and followed by its full length, so that no message grows with its input.
    """
    if not isinstance(value, str):
        import reprlib

        short = reprlib.Repr()
        short.maxstring = short.maxother = limit
        short.maxlist = short.maxdict = short.maxtuple = short.maxset = 6
        text = short.repr(value)
        return text if len(text) <= limit + 10 else text[:limit] + "…"
    if len(value) <= limit:
        return repr(value)
    return f"{value[:limit] + '…'!r} ({len(value):,} characters)"
