"""The book's inputs on a Dask worker: packed once by the client, unpacked once per worker.

A Dask worker may run on another machine: it shares no disk with the client. The client
packs ``lib/``, ``data/``, ``notebooks/`` and ``scenarios/`` into one in-memory tar
(:func:`pack_inputs`); a worker plugin (:class:`BookInputs`) carries it to every worker
once, and the worker unpacks it into its own local directory, in a folder named after
the tar's sha256, where later tasks (and later sweeps of the same inputs) find it. The
folder's ``lib`` goes first on the worker's ``sys.path``, so the worker runs the client's
``planbook``, whatever the worker has installed.

This module is sent to the workers by value (``cloudpickle.register_pickle_by_value``):
it uses only the standard library and ``distributed``, so a worker needs no ``planbook``
to receive it.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import os
import shutil
import sys
import tarfile
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

FOLDERS = ("lib", "data", "notebooks", "scenarios")
"""What a worker needs of the book to execute a chapter."""

_SKIP = frozenset({"__pycache__", ".ipynb_checkpoints", ".pytest_cache", ".mypy_cache"})


def _files(root: Path, folders: Iterable[str]) -> list[Path]:
    """The files under ``folders`` of ``root``, sorted; caches and build leftovers skipped."""
    found = []
    for folder in folders:
        base = root / folder
        if not base.is_dir():
            continue
        for path in base.rglob("*"):
            rel = path.relative_to(root).parts
            if (
                path.is_file()
                and not _SKIP.intersection(rel)
                and path.suffix != ".pyc"
                and not any(p.endswith(".egg-info") for p in rel)
            ):
                found.append(path)
    return sorted(found)


def pack_inputs(root: Path, folders: Iterable[str] = FOLDERS) -> tuple[bytes, str]:
    """The book's inputs as one gzipped tar in memory, and its sha256.

    The tar is reproducible (sorted names, no times or owners), so the same inputs give
    the same digest and a worker that unpacked them once reuses them.
    """
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in _files(root, folders):
            data = path.read_bytes()
            info = tarfile.TarInfo(path.relative_to(root).as_posix())
            info.size = len(data)
            info.mode = 0o755 if os.access(path, os.X_OK) else 0o644
            info.mtime = 0
            tar.addfile(info, io.BytesIO(data))
    packed = io.BytesIO()
    with gzip.GzipFile(fileobj=packed, mode="wb", compresslevel=1, mtime=0) as zipped:
        zipped.write(raw.getvalue())
    payload = packed.getvalue()
    return payload, hashlib.sha256(payload).hexdigest()


def plugin_name(digest: str) -> str:
    """The worker plugin's name for the inputs of ``digest``."""
    return f"planbook-inputs-{digest[:16]}"


def unpack_inputs(payload: bytes, digest: str, parent: Path) -> Path:
    """Unpack ``payload`` under ``parent`` (once: a complete folder is reused); its path.

    The folder is filled under a temporary name and renamed into place, so another
    process unpacking the same inputs never sees half of it.
    """
    target = parent / f"planbook-{digest[:16]}"
    if (target / ".complete").is_file():
        return target
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".unpacking-", dir=parent))
    try:
        with tarfile.open(fileobj=io.BytesIO(payload), mode="r:gz") as tar:
            tar.extractall(tmp, filter="data")
        (tmp / ".complete").write_text(digest, encoding="utf-8")
        try:
            os.rename(tmp, target)
        except OSError:
            if not (target / ".complete").is_file():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


class BookInputs(WorkerPlugin):
    """Worker plugin: unpack the book's inputs on each worker when it is registered.

    On the worker it holds ``root`` (the unpacked book), ``scratch`` (a folder for the
    tasks' temporary files), a lock (tasks on one worker run one at a time: they set the
    process's environment and stderr for their kernel) and ``closers``, called when the
    plugin is removed (the tasks put the warm kernel server there).
    """

    def __init__(self, payload: bytes, digest: str) -> None:
        self.payload = payload
        self.digest = digest
        self.name = plugin_name(digest)
        self.root = ""
        self.scratch = ""
        self.lock: Any = None
        self.closers: list[Callable[[], None]] = []

    def setup(self, worker: Any) -> None:
        base = Path(getattr(worker, "local_directory", None) or tempfile.gettempdir())
        root = unpack_inputs(self.payload, self.digest, base)
        self.payload = b""  # unpacked: the worker need not keep it in memory
        self.root = str(root)
        self.scratch = tempfile.mkdtemp(prefix="planbook-scratch-", dir=base)
        self.lock = threading.Lock()
        self.closers = []
        lib = str(root / "lib")
        if lib not in sys.path:
            sys.path.insert(0, lib)

    def teardown(self, worker: Any) -> None:
        while self.closers:
            with contextlib.suppress(Exception):
                self.closers.pop()()
        shutil.rmtree(self.scratch, ignore_errors=True)


__all__ = ["FOLDERS", "BookInputs", "pack_inputs", "plugin_name", "unpack_inputs"]
