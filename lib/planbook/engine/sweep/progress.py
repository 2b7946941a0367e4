"""The sweep's progress: points done, failed and the time left, on one line of stderr.

On a terminal the line is rewritten in place; otherwise (a pipe, a log, CI) a plain line
is written every :data:`EVERY` seconds and once at the end, so a log shows the pace
without a line per point.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TextIO

EVERY = 10.0
"""Seconds between plain progress lines when stderr is not a terminal."""


def duration(seconds: float) -> str:
    """``seconds`` for people: ``45 s``, ``3 min 10 s``, ``1 h 05 min``."""
    if not math.isfinite(seconds):
        return "unknown"
    s = max(0, round(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {(s % 3600) // 60:02d} min"


def time_left(ran: int, running_for: float, remaining: int) -> float:
    """Seconds left at the pace so far: ``remaining`` points at ``ran`` points per
    ``running_for`` seconds (NaN before the first point that ran is done)."""
    if remaining <= 0:
        return 0.0
    if ran <= 0 or running_for <= 0:
        return math.nan
    return remaining * running_for / ran


def progress_text(label: str, done: int, total: int, failed: int, cached: int, left: float) -> str:
    """One progress line: ``sweep market: 37/100 points done (12 from cache), 2 failed,
    about 3 min 10 s left``."""
    parts = [f"{label}: {done}/{total} points done"]
    if cached:
        parts[0] += f" ({cached} from cache)"
    parts.append(f"{failed} failed")
    if done < total:
        parts.append("time left unknown" if math.isnan(left) else f"about {duration(left)} left")
    return ", ".join(parts)


class SweepProgress:
    """Counts the points as they finish and shows :func:`progress_text` on ``stream``."""

    def __init__(
        self,
        label: str,
        total: int,
        stream: TextIO,
        tty: bool,
        clock: Callable[[], float] = time.monotonic,
        every: float = EVERY,
    ) -> None:
        self.label = label
        self.total = total
        self.stream = stream
        self.tty = tty
        self.clock = clock
        self.every = every
        self.done = self.failed = self.cached = self.ran = 0
        self.start = clock()
        self.last_line = -math.inf
        self.width = 0
        self.last_text = ""

    def text(self) -> str:
        left = time_left(self.ran, self.clock() - self.start, self.total - self.done)
        return progress_text(self.label, self.done, self.total, self.failed, self.cached, left)

    def from_cache(self, count: int) -> None:
        """``count`` points were in the cache already (they cost nothing)."""
        self.cached += count
        self.done += count
        self.show()

    def finished(self, ok: bool, points: int = 1) -> None:
        """A run ended for ``points`` points (several points may share one execution)."""
        self.done += points
        self.ran += points
        self.failed += 0 if ok else points
        self.show()

    def show(self, force: bool = False) -> None:
        now = self.clock()
        text = self.text()
        if self.tty:
            pad = " " * max(0, self.width - len(text))
            self.stream.write(f"\r{text}{pad}")
            self.width = len(text)
        elif (force and text != self.last_text) or now - self.last_line >= self.every:
            self.stream.write(text + "\n")
            self.last_line, self.last_text = now, text
        self.stream.flush()

    def close(self) -> None:
        """The last line: rewritten and ended on a terminal, else written unless it was."""
        if self.tty:
            self.show()
            self.stream.write("\n")
            self.stream.flush()
        else:
            self.show(force=True)


__all__ = ["EVERY", "SweepProgress", "duration", "progress_text", "time_left"]
