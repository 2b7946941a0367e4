"""Where the book's files are: one object, resolved once per command and passed down."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from planbook.errors import InputError, quoted

PACKAGE_ROOT = Path(__file__).resolve().parents[2]

SCENARIO_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}", re.ASCII)
"""A scenario's name: letters, digits, ``_`` and ``-``, starting with a letter or digit,
at most 64 characters (it names folders under ``_build/``)."""

RESERVED_NAMES = frozenset(
    {
        *("main", "book", "books", "html", "chapters", "notebooks", "scenarios", "scenario"),
        *("cache", "failed", "logs", "last_run", "work", "src", "out", "site", "build"),
        *("default", "defaults", "all", "none", "null", "true", "false"),
        # names Windows keeps for devices, whatever the case or extension
        *("con", "prn", "aux", "nul"),
        *(f"{dev}{n}" for dev in ("com", "lpt") for n in range(10)),
    }
)
"""Names no scenario may take, compared without regard to case: the main book's and the
build folders' own names, and device names (a case-insensitive file system would
otherwise make ``Main`` the main book)."""


def check_scenario_name(name: str) -> str:
    """Return ``name`` when it may name a scenario, else raise :class:`InputError`."""
    if not SCENARIO_NAME.fullmatch(name):
        if not name:
            problem = "is empty"
        elif len(name) > 64:
            problem = "is longer than 64 characters"
        elif name[0] in "-_":
            problem = "starts with '-' or '_'"
        else:
            problem = "holds characters other than letters, digits, '_' and '-'"
        raise InputError(
            f"scenario name {quoted(name, 30)} {problem}; use letters, digits, '_' and '-' "
            "only, starting with a letter or digit"
        )
    if name.lower() in RESERVED_NAMES:
        raise InputError(
            f"scenario name {quoted(name, 30)} is reserved (the book or the build uses it); "
            "choose another name, e.g. my_view"
        )
    return name


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

    @property
    def memo(self) -> Path:
        """The memo of slow computations the kernels share (:mod:`planbook.memo`)."""
        return self.build / "memo"

    def executed(self, scenario: str | None) -> Path:
        """Executed notebooks: ``book/chapters`` for the main book, else per scenario."""
        if scenario is None:
            return self.root / "book" / "chapters"
        return self.build / "scenarios" / check_scenario_name(scenario) / "chapters"

    def site(self, scenario: str | None) -> Path:
        """The published HTML: ``_build/html`` for the main book, else per scenario."""
        if scenario is None:
            return self.build / "html"
        return self.build / "scenarios" / check_scenario_name(scenario) / "html"

    def _own(self, folder: str, scenario: str | None, main: str = "main") -> Path:
        """``_build/FOLDER/main`` for the main book, ``_build/FOLDER/scenarios/NAME`` for a
        scenario: the two never share a folder, whatever the scenario is called."""
        if scenario is None:
            return self.build / folder / main
        return self.build / folder / "scenarios" / check_scenario_name(scenario)

    def failed(self, scenario: str | None) -> Path:
        """Where a notebook that raised is kept for inspection."""
        return self._own("failed", scenario)

    def logs(self, scenario: str | None) -> Path:
        """The chapters' execution logs."""
        return self._own("logs", scenario)

    def work(self, scenario: str | None) -> Path:
        """Scratch space of the site build (staged sources, Sphinx doctrees)."""
        return self._own(".work", scenario, main="book")


def default_data_dir() -> Path:
    """The ``data/`` folder of the checkout in use (see :func:`find_root`)."""
    root = find_root()
    return root / "data" if (root / "data").is_dir() else PACKAGE_ROOT / "data"
