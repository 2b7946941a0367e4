"""A memo on disk for the book's slow pure computations, shared by a build's kernels.

Several chapters run the same few-second computation (the nested evaluation of the
official series) on the same inputs, and a parameter sweep runs it at every point. The
build sets :data:`MEMO_ENV` in its kernels' environment to a folder under its cache
(``_build/memo``); :func:`memoized` then keeps each result there under a key that
covers everything the result depends on: the caller's inputs (the data, not the file
names), the source of every module of the package, the versions of the numerical
packages and Python's. A result read back is the pickled result of the same
computation, so a chapter shows the same numbers whether it hit the memo or not.

Kernels that ask for the same result at once compute it once: the first holds a lock
on the entry while the others wait for it. Without the variable (a notebook opened in
JupyterLab, a test) nothing is read or written. A memo entry that cannot be read is
computed again and replaced; a folder that cannot be written only costs the time.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:  # pandas is imported where it is used: the build's CLI imports this module
    import pandas as pd

T = TypeVar("T")

MEMO_ENV = "PLANBOOK_MEMO"
"""Environment variable: the folder of the memo (unset: no memo)."""

PACKAGES = ("numpy", "pandas", "scipy", "statsmodels")
"""The packages whose versions are part of every key."""

MAX_ENTRIES = 64
"""Entries kept; the oldest go first (one evaluation is about 160 kB)."""

PACKAGE_DIR = Path(__file__).resolve().parent


def memo_dir(environ: dict[str, str] | None = None) -> Path | None:
    """The memo folder that :data:`MEMO_ENV` names, or None when it is unset or empty."""
    value = (os.environ if environ is None else environ).get(MEMO_ENV, "")
    return Path(value) if value else None


def source_digest(package_dir: Path = PACKAGE_DIR) -> str:
    """sha256 of every ``.py`` file of the package (relative path and content)."""
    digest = hashlib.sha256()
    for path in sorted(package_dir.rglob("*.py")):
        digest.update(path.relative_to(package_dir).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def environment_digest() -> str:
    """sha256 of Python's version and those of :data:`PACKAGES`."""
    parts = [sys.version]
    for name in PACKAGES:
        try:
            parts.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name} absent")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def memo_key(name: str, inputs: bytes, package_dir: Path = PACKAGE_DIR) -> str:
    """The key of ``name`` computed on ``inputs`` (bytes that fix every input)."""
    digest = hashlib.sha256()
    for part in (name.encode(), inputs, source_digest(package_dir).encode()):
        digest.update(hashlib.sha256(part).digest())
    digest.update(environment_digest().encode())
    return f"{name}-{digest.hexdigest()[:40]}"


def fingerprint(series: Mapping[str, pd.Series], *settings: object) -> bytes:
    """Bytes that fix a mapping of series (keys, names, attrs, index and values, exactly)
    and some settings: the ``inputs`` of :func:`memoized`."""
    import pandas as pd

    digest = hashlib.sha256(repr(settings).encode())
    for key in sorted(series):
        s = series[key]
        digest.update(f"{key}\0{s.name}\0{s.dtype}\0{s.index.dtype}\0{len(s)}".encode())
        digest.update(repr(sorted(s.attrs.items())).encode())  # a memo returns them too
        digest.update(pd.util.hash_pandas_object(s, index=True).to_numpy().tobytes())
    return digest.digest()


def _read(path: Path) -> tuple[bool, object]:
    try:
        with path.open("rb") as handle:
            return True, pickle.load(handle)
    except Exception:  # absent, truncated or from an incompatible pickle: compute again
        return False, None


def _write(path: Path, value: object) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)  # whole or absent, for a reader in another kernel
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        _prune(path.parent)
    except OSError:  # read-only or full: the memo is only a saving
        return


def _prune(directory: Path, keep: int = MAX_ENTRIES) -> None:
    """Remove all but the ``keep`` newest entries."""
    entries = sorted(directory.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[keep:]:
        old.unlink(missing_ok=True)
        old.with_suffix(".lock").unlink(missing_ok=True)


def memoized(
    name: str,
    inputs: bytes,
    compute: Callable[[], T],
    directory: Path | None,
    package_dir: Path = PACKAGE_DIR,
) -> T:
    """``compute()``, or its result kept in ``directory`` under ``name`` and ``inputs``.

    Parameters
    ----------
    name
        What is computed (a readable prefix of the file name).
    inputs
        Bytes that fix every input of ``compute`` besides the package's code, for example
        from :func:`fingerprint`.
    compute
        The computation; its result must pickle.
    directory
        The memo folder (:func:`memo_dir`); None computes without a memo.
    package_dir
        The package whose source is part of the key (this one).
    """
    if directory is None:
        return compute()
    path = directory / f"{memo_key(name, inputs, package_dir)}.pickle"
    with _locked(path.with_suffix(".lock")):  # kernels that ask at once compute it once
        found, value = _read(path)
        if found:
            return value  # type: ignore[return-value]
        value = compute()
        _write(path, value)
    return value


@contextlib.contextmanager
def _locked(lock: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock`` (released if this process dies); without one
    (the folder cannot be written) go on unlocked."""
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        handle = lock.open("a")
    except OSError:
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
