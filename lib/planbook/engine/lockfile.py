"""Keep ``environment.yml`` (conda, Binder) equal to ``requirements.lock`` (pip).

``python -m planbook.engine.lockfile`` rewrites ``environment.yml`` from the lock; a test checks
that the two agree, since conda itself cannot be reached from CI.
"""

from __future__ import annotations

import sys
from pathlib import Path

HEADER = """\
# Generated from requirements.lock by `python -m planbook.engine.lockfile` (run by `make lock`).
# conda-forge Python 3.11 plus exactly the pip pins of the lock, so that conda and Binder
# users get the environment `make` builds.
name: planbook
channels:
  - conda-forge
dependencies:
  - python=3.11
  - pip
  - pip:
"""


def read_pins(text: str) -> dict[str, str]:
    """Parse ``name==version`` lines into a mapping (names lower-cased, ``_`` as ``-``)."""
    pins = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip().lstrip("- ").strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[name.strip().lower().replace("_", "-")] = version.strip()
    return pins


def render_environment(lock_text: str) -> str:
    """The ``environment.yml`` text for a lock file's pins (plus the project, editable)."""
    pins = read_pins(lock_text)
    lines = [f"      - {name}=={version}" for name, version in sorted(pins.items())]
    return HEADER + "\n".join(lines) + "\n      - -e .\n"


def main(root: Path | None = None) -> int:
    """Rewrite ``environment.yml`` from ``requirements.lock``."""
    root = root or Path.cwd()
    text = (root / "requirements.lock").read_text(encoding="utf-8")
    (root / "environment.yml").write_text(render_environment(text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
