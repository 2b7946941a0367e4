"""What a published site holds, file by file, and whether it still holds it.

After every site build the size and sha256 of each file jupyter-book wrote are recorded
in a manifest beside the site (``_build/.work/book/site.manifest.json`` for the main
book). A build with nothing to do checks the site against it: a missing, added, truncated
or edited file (the same length and a restored modification time included: every file's
checksum is compared, not its time) makes the site be rebuilt. Checking the whole main
site (about 240 files, 19 MB) takes about 0.05 s with a warm disk cache.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from planbook.engine.build.files import atomic_write_text

FORMAT = 1
"""Version of the manifest's layout; a manifest of another version is treated as absent."""


def file_sha256(path: Path) -> str:
    """The hex sha256 of a file's bytes (read in blocks)."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _files(folder: Path) -> list[str]:
    """Every file under ``folder``, as sorted POSIX paths relative to it."""
    found = []
    for current, dirs, names in os.walk(folder):
        dirs.sort()
        base = Path(current).relative_to(folder)
        found += [(base / name).as_posix() for name in names]
    return sorted(found)


def folder_manifest(folder: Path) -> dict[str, dict[str, int | str]]:
    """Size and sha256 of every file under ``folder``, by relative path."""
    return {
        rel: {"size": (folder / rel).stat().st_size, "sha256": file_sha256(folder / rel)}
        for rel in _files(folder)
    }


def write_manifest(folder: Path, manifest: Path) -> None:
    """Record what ``folder`` holds now in ``manifest`` (written atomically)."""
    doc = {"format": FORMAT, "files": folder_manifest(folder)}
    atomic_write_text(manifest, json.dumps(doc, indent=0, sort_keys=True) + "\n")


@dataclass(frozen=True)
class Damage:
    """The first difference found between a folder and its manifest."""

    file: str
    """The file's path relative to the folder ('' when the manifest itself is at fault)."""
    problem: str

    def describe(self, folder: str) -> str:
        """One phrase naming the file (under ``folder``, as shown) and what happened."""
        return f"{folder}/{self.file} {self.problem}" if self.file else f"{folder} {self.problem}"


def _load(manifest: Path) -> dict[str, dict[str, int | str]] | None:
    try:
        doc = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        return None
    files = doc.get("files")
    ok = isinstance(files, dict) and all(
        isinstance(v, dict) and isinstance(v.get("size"), int) and isinstance(v.get("sha256"), str)
        for v in files.values()
    )
    return files if ok else None


def check_manifest(folder: Path, manifest: Path) -> Damage | None:
    """None when ``folder`` holds exactly the files ``manifest`` records, else the first
    difference: no (readable) manifest, a missing, added or resized file (cheap: one
    ``stat`` each, done first), or a file whose bytes changed (every file is hashed)."""
    expected = _load(manifest)
    if expected is None:
        return Damage("", "has no readable manifest of its files")
    try:
        present = _files(folder)
    except OSError:
        present = []
    extra = sorted(set(present) - set(expected))
    if extra:
        return Damage(extra[0], "was not written by the site build")
    for rel, want in expected.items():
        try:
            size = (folder / rel).stat().st_size
        except OSError:
            return Damage(rel, "is missing")
        if size != want["size"]:
            return Damage(rel, f"has {size:,} bytes instead of {want['size']:,}")
    for rel, want in expected.items():
        try:
            digest = file_sha256(folder / rel)
        except OSError:
            return Damage(rel, "cannot be read")
        if digest != want["sha256"]:
            return Damage(rel, "was changed (its checksum differs)")
    return None


__all__ = ["FORMAT", "Damage", "check_manifest", "file_sha256", "folder_manifest", "write_manifest"]
