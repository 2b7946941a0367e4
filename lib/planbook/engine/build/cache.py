"""A content-addressed cache of executed notebooks.

One entry per execution key (see :func:`planbook.engine.build.keys.fingerprint`): the key
is a sha256 of everything the execution depended on, so an entry never goes stale; a
change to any input gives a new key. Layout::

    _build/cache/<key[:2]>/<key>/notebook.ipynb
    _build/cache/<key[:2]>/<key>/manifest.json   key, sha256 and size of the notebook, ...

An entry is written into a temporary folder and renamed into place, so it is either
complete or absent; :meth:`Cache.get` checks the manifest and the notebook's checksum
before handing it out and discards an entry that fails the check (a truncated file, a
hand edit, a disk error), so the chapter is simply executed again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import socket
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from planbook.paths import BookPaths

FORMAT = 1
"""Version of the entry layout; an entry of another version is treated as absent."""

NOTEBOOK = "notebook.ipynb"
MANIFEST = "manifest.json"

DEFAULT_MAX_BYTES = 2 * 1024**3
"""Size above which :meth:`Cache.prune` evicts the least recently used entries."""


def sha256_bytes(data: bytes) -> str:
    """The hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists on this machine."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (exited, not yet reaped by its parent) is not alive
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


@dataclass(frozen=True)
class Entry:
    """A verified cache entry."""

    key: str
    folder: Path
    manifest: dict[str, Any]

    @property
    def notebook(self) -> Path:
        """The executed notebook of this entry."""
        return self.folder / NOTEBOOK


class Cache:
    """The executed-notebook cache under ``root`` (normally ``_build/cache``)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    # ------------------------------------------------------------------ layout

    def folder(self, key: str) -> Path:
        """Where the entry of ``key`` lives (whether or not it exists)."""
        if len(key) < 8 or not all(c in "0123456789abcdef" for c in key):
            raise ValueError(f"not a cache key: {key!r}")
        return self.root / key[:2] / key

    @property
    def scratch(self) -> Path:
        """Where entries (and executions) are prepared before being renamed into place."""
        return self.root / "tmp"

    def new_scratch(self, prefix: str = "run") -> Path:
        """A fresh private folder under :attr:`scratch`, named after this process."""
        self.scratch.mkdir(parents=True, exist_ok=True)
        path = self.scratch / f"{prefix}-{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex}"
        path.mkdir()
        return path

    # ------------------------------------------------------------------ reading

    def verify(self, key: str) -> Entry | None:
        """Return the entry of ``key`` if it is complete and its checksum matches, else None.

        Does not remove anything (see :meth:`get`).
        """
        folder = self.folder(key)
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            data = (folder / NOTEBOOK).read_bytes()
        except (OSError, ValueError):
            return None
        if not isinstance(manifest, dict):
            return None
        ok = (
            manifest.get("format") == FORMAT
            and manifest.get("key") == key
            and manifest.get("size") == len(data)
            and manifest.get("sha256") == sha256_bytes(data)
        )
        return Entry(key, folder, manifest) if ok else None

    def get(self, key: str) -> Entry | None:
        """The verified entry of ``key``; a corrupt or partial entry is discarded (None)."""
        entry = self.verify(key)
        if entry is None:
            if self.folder(key).exists():
                self.discard(key)
            return None
        with contextlib.suppress(OSError):
            os.utime(entry.folder / MANIFEST)  # last use, for pruning
        return entry

    def __contains__(self, key: str) -> bool:
        return self.verify(key) is not None

    # ------------------------------------------------------------------ writing

    def put(self, key: str, notebook: bytes, meta: dict[str, Any] | None = None) -> Entry:
        """Store an executed notebook under ``key`` atomically and return the entry.

        The files are written and synced in a scratch folder, which is then renamed to
        the entry's folder. If a valid entry appeared meanwhile (another process stored
        the same execution), it is kept and the new files dropped.
        """
        manifest = {
            **(meta or {}),
            "format": FORMAT,
            "key": key,
            "file": NOTEBOOK,
            "size": len(notebook),
            "sha256": sha256_bytes(notebook),
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "host": socket.gethostname(),
        }
        target = self.folder(key)
        tmp = self.new_scratch("entry")
        try:
            _write_synced(tmp / NOTEBOOK, notebook)
            _write_synced(tmp / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
            _fsync_dir(tmp)
            target.parent.mkdir(parents=True, exist_ok=True)
            for _ in range(2):
                try:
                    os.rename(tmp, target)
                    break
                except OSError:
                    existing = self.verify(key)
                    if existing is not None:
                        return existing
                    shutil.rmtree(target, ignore_errors=True)
            else:
                raise OSError(f"could not store cache entry {key[:12]}")
            _fsync_dir(target.parent)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return Entry(key, target, manifest)

    def discard(self, key: str) -> None:
        """Remove an entry (first renamed away, so it is never seen half-deleted)."""
        folder = self.folder(key)
        if not folder.exists():
            return
        self.scratch.mkdir(parents=True, exist_ok=True)
        trash = self.scratch / f"trash-{os.getpid()}-{uuid.uuid4().hex}"
        try:
            os.rename(folder, trash)
        except OSError:
            trash = folder
        shutil.rmtree(trash, ignore_errors=True)

    # ------------------------------------------------------------------ housekeeping

    def stored_keys(self) -> Iterator[str]:
        """Keys of the entries present (not verified)."""
        if not self.root.is_dir():
            return
        for shard in sorted(self.root.iterdir()):
            if len(shard.name) != 2 or not shard.is_dir():
                continue
            for folder in sorted(shard.iterdir()):
                if folder.is_dir() and folder.name.startswith(shard.name):
                    yield folder.name

    def size(self, key: str) -> int:
        """Bytes used by an entry."""
        return sum(p.stat().st_size for p in self.folder(key).glob("*") if p.is_file())

    def last_used(self, key: str) -> float:
        """When an entry was last stored or handed out (seconds since the epoch)."""
        try:
            return (self.folder(key) / MANIFEST).stat().st_mtime
        except OSError:
            return 0.0

    def clean_scratch(self, max_age: float = 3600.0) -> int:
        """Remove scratch folders left by processes that died (killed builds).

        A folder is removed when the process named in it is gone (same host) or when it
        is older than ``max_age`` seconds. Returns the number removed.
        """
        if not self.scratch.is_dir():
            return 0
        host = socket.gethostname()
        removed = 0
        for path in self.scratch.iterdir():
            parts = path.name.split("-")
            dead = False
            if len(parts) >= 4 and parts[-2].isdigit():
                owner_host = "-".join(parts[1:-2])
                dead = owner_host == host and not pid_alive(int(parts[-2]))
            elif parts[0] == "trash":
                dead = len(parts) == 3 and parts[1].isdigit() and not pid_alive(int(parts[1]))
            try:
                old = time.time() - path.stat().st_mtime > max_age
            except OSError:
                continue
            if dead or old:
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
                removed += 1
        return removed

    def prune(
        self, keep: Iterable[str] = (), max_bytes: int | None = None, everything: bool = False
    ) -> tuple[int, int]:
        """Evict entries: all but ``keep`` when ``max_bytes`` is None, else the least
        recently used ones not in ``keep`` until the cache fits in ``max_bytes``.

        ``everything`` removes the kept entries too. Returns (entries removed, bytes freed).
        """
        keep = set() if everything else set(keep)
        entries = [(self.last_used(k), k, self.size(k)) for k in self.stored_keys()]
        total = sum(size for _, _, size in entries)
        removed = freed = 0
        for _, key, size in sorted(entries):
            if key in keep:
                continue
            if max_bytes is not None and total - freed <= max_bytes:
                break
            self.discard(key)
            removed += 1
            freed += size
        return removed, freed


def cache_for(paths: BookPaths) -> Cache:
    """The execution cache of a checkout (``_build/cache``)."""
    return Cache(paths.build / "cache")


__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMAT",
    "Cache",
    "Entry",
    "cache_for",
    "pid_alive",
    "sha256_bytes",
]
