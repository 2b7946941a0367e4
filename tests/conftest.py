"""Shared fixtures: the repository, a private copy of the book, and the CLI."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
_IGNORE_NAMES = shutil.ignore_patterns(
    ".git",
    ".venv",
    "_build",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    ".ipynb_checkpoints",
    "*.egg-info",
)


def COPY_IGNORE(folder: str, names: list[str]) -> set[str]:  # noqa: N802
    """What a copy of the book leaves out: builds, caches and the executed ``book/chapters``."""
    ignored = set(_IGNORE_NAMES(folder, names))
    if Path(folder).name == "book" and "chapters" in names:
        ignored.add("chapters")
    return ignored


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


def _execute_chapter(slug: str, dest: Path, **params: object) -> dict[str, object]:
    """Execute one chapter's notebook with ``params`` (validated first); return its glue.

    For the tests that check a glued number moves with its parameter: the default run
    comes from ``built_book``, the changed one from here.
    """
    import papermill

    from planbook.engine.glued import glued_values
    from planbook.engine.params import validate_params
    from planbook.engine.registry import get_chapter

    chapter = get_chapter(slug)
    values = validate_params(chapter, dict(params)).model_dump(mode="json")
    out = dest / chapter.notebook
    papermill.execute_notebook(
        str(REPO / "notebooks" / chapter.notebook),
        str(out),
        parameters=values,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(REPO / "notebooks"),
    )
    return glued_values(out)


def _built_values(root: Path, slug: str) -> dict[str, object]:
    """The glued values of a chapter in a built book (default parameters)."""
    from planbook.engine.glued import glued_values
    from planbook.engine.registry import get_chapter

    return glued_values(root / "book" / "chapters" / get_chapter(slug).notebook)


SLOW_FIXTURES = frozenset({"built_book", "book_copy", "run_chapter", "default_values"})
"""Fixtures that build the book or execute its chapters: a test using one (even through
another fixture) must be marked ``slow``, and so must a test that builds a copy itself."""


@pytest.hookimpl(tryfirst=True)  # before ``-m "not slow"`` deselects anything
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Refuse to run when a test that builds the book is not marked ``slow``."""
    unmarked = sorted(
        {
            item.nodeid.split("[")[0]
            for item in items
            if SLOW_FIXTURES & set(getattr(item, "fixturenames", ()))
            and item.get_closest_marker("slow") is None
        }
    )
    if unmarked:
        raise pytest.UsageError(
            "these tests build the book or run its chapters but are not marked "
            f"@pytest.mark.slow: {', '.join(unmarked)}"
        )


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


@pytest.fixture()
def run_chapter(tmp_path: Path) -> Callable[..., dict[str, object]]:
    """``run_chapter(slug, **params)``: execute a chapter with changed parameters, get its glue."""
    return lambda slug, **params: _execute_chapter(slug, tmp_path, **params)


@pytest.fixture(scope="session")
def default_values(built_book: Path) -> Callable[[str], dict[str, object]]:
    """``default_values(slug)``: the glue of a chapter in the book built with the defaults."""
    return lambda slug: _built_values(built_book, slug)
