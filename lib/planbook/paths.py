"""Where the book's files are: one object, resolved once per command and passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[2]


def display_path(path: Path, base: Path | None = None) -> str:
    """A path as the user should see it: relative to ``base`` (default: the current
    directory) when it lies below it, else absolute."""
    try:
        return str(path.resolve().relative_to((base or Path.cwd()).resolve()))
    except ValueError:
        return str(path)


def find_root(start: Path | None = None) -> Path:
    """Return the repository root.

    ``PLANBOOK_ROOT`` wins when set; otherwise the first parent of ``start`` (default: the
    current directory) holding ``_toc.yml`` and ``notebooks/``; otherwise the checkout the
    package was installed from.
    """
    env = os.environ.get("PLANBOOK_ROOT")
    if env:
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "_toc.yml").is_file() and (candidate / "notebooks").is_dir():
            return candidate
    return PACKAGE_ROOT


@dataclass(frozen=True)
class BookPaths:
    """The folders of one checkout of the book."""

    root: Path

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def scenarios(self) -> Path:
        return self.root / "scenarios"

    @property
    def lib(self) -> Path:
        return self.root / "lib" / "planbook"

    @property
    def build(self) -> Path:
        return self.root / "_build"

    def executed(self, scenario: str | None) -> Path:
        """Executed notebooks: ``book/chapters`` for the main book, else per scenario."""
        if scenario is None:
            return self.root / "book" / "chapters"
        return self.build / "scenarios" / scenario / "chapters"

    def site(self, scenario: str | None) -> Path:
        """The published HTML: ``_build/html`` for the main book, else per scenario."""
        if scenario is None:
            return self.build / "html"
        return self.build / "scenarios" / scenario / "html"

    def failed(self, scenario: str | None) -> Path:
        """Where a notebook that raised is kept for inspection."""
        return self.build / "failed" / (scenario or "main")

    def work(self, scenario: str | None) -> Path:
        """Scratch space of the site build (staged sources, Sphinx doctrees)."""
        return self.build / ".work" / (scenario or "main")


def default_data_dir() -> Path:
    """The ``data/`` folder of the checkout in use (see :func:`find_root`)."""
    root = find_root()
    return root / "data" if (root / "data").is_dir() else PACKAGE_ROOT / "data"
