"""What the benchmark scripts share: the machine's description and their sections of
``bench/results.md`` (each script owns the section under its ``# `` heading)."""

from __future__ import annotations

import os
import platform
import re
from pathlib import Path


def machine() -> dict[str, str]:
    """Cores, CPU model, memory, Python and OS of this machine."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {
        "cores": str(len(os.sched_getaffinity(0))),
        "cpu": model,
        "memory": f"{mem / 1024**3:.0f} GB",
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
    }


def write_section(path: Path, text: str) -> None:
    """Put a benchmark's section (its ``# `` heading to the next one) into ``path``: in
    place of the old one, else at the end; the other sections stay as they are."""
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    heading = text.splitlines()[0]
    parts = re.split(r"(?m)^(?=# )", old)
    if any(p.startswith(heading) for p in parts):
        parts = [text if p.startswith(heading) else p for p in parts]
    else:
        parts.append(("\n" if old and not old.endswith("\n\n") else "") + text)
    path.write_text("".join(parts), encoding="utf-8")
