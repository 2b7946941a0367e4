"""Shared fixtures: the repository, a private copy of the book, and the CLI."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
COPY_IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "_build",
    "chapters",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    ".ipynb_checkpoints",
    "*.egg-info",
)


def copy_book(dest: Path) -> Path:
    """Copy the book's sources (not its builds) to ``dest`` and return it."""
    shutil.copytree(REPO, dest, ignore=COPY_IGNORE)
    return dest


def planbook(*args: str, root: Path, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    """Run the ``planbook`` command on the book at ``root``."""
    exe = Path(sys.executable).with_name("planbook")
    cmd = [str(exe)] if exe.is_file() else [sys.executable, "-m", "planbook.cli"]
    env = {**os.environ, "PLANBOOK_ROOT": str(root), "COLUMNS": "200"}
    return subprocess.run(
        [*cmd, *args], cwd=root, env=env, capture_output=True, text=True, timeout=timeout
    )


def snapshot(root: Path) -> dict[str, str]:
    """Hashes of every file of the outputs (executed notebooks and builds)."""
    out = {}
    for folder in (root / "book" / "chapters", root / "_build"):
        if folder.exists():
            for p in sorted(folder.rglob("*")):
                if p.is_file():
                    out[str(p.relative_to(root))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def built_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the book, built once with the defaults (slow: runs every chapter)."""
    root = copy_book(tmp_path_factory.mktemp("book") / "book")
    result = planbook("build", root=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.fixture()
def book_copy(tmp_path: Path, built_book: Path) -> Path:
    """A throwaway copy of the built book, for tests that change or break it."""
    dest = tmp_path / "book"
    shutil.copytree(built_book, dest, symlinks=True)
    return dest
