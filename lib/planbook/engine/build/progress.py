"""Progress of a build: one line per chapter event, with the time since the start."""

from __future__ import annotations

import time
from collections.abc import Callable

from planbook.engine.build.plan import Job
from planbook.engine.registry import CHAPTERS

Report = Callable[[str], None]
"""Where one-line messages go (the terminal, a list in the tests, nowhere)."""


def quiet(message: str) -> None:
    """A report function that says nothing."""


class Progress:
    """One line per event (up to date, running, done, failed), with the time since the
    start; an optional ``status`` callback shows which chapters are running now."""

    def __init__(self, report: Report = quiet, status: Callable[[str], None] | None = None):
        self.report = report
        self.status = status
        self.start = time.perf_counter()
        self.width = max((len(c.slug) for c in CHAPTERS), default=8) + 1
        self.running: dict[str, float] = {}

    def line(self, job: Job, text: str, books: bool = False) -> None:
        ch = job.chapter
        book = f"[{job.book or 'main'}] " if books else ""
        t = time.perf_counter() - self.start
        self.report(f"[{t:6.1f}s] {ch.number:>2} {ch.slug:<{self.width}}{book}{text}")

    def update(self, names: dict[str, str]) -> None:
        if self.status is not None:
            shown = ", ".join(names[k] for k in self.running if k in names)
            self.status(f"running: {shown}" if shown else "")


__all__ = ["Progress", "Report", "quiet"]
