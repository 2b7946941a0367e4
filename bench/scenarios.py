"""What publishing the scenarios adds to ``make book`` (``planbook build --with-scenarios``).

On temporary copies of the book (never the checkout), once each (a cold build takes a
minute; the figures are for the order of magnitude, not for small differences):

(a) ``planbook build`` cold: the main book only, as the test suite builds it;
(b) ``planbook build --with-scenarios`` right after (a): what ``make book`` adds once the
    main book is built (the scenario books' chapters that differ run, the rest come from
    the cache, four sites are built);
(c) ``planbook build --with-scenarios`` cold, in a fresh copy: ``make book`` from scratch;
(d) ``planbook build --with-scenarios`` again with nothing changed;
(e) ``planbook build --with-scenarios`` after one chapter's parameter changed in one
    scenario file (that chapter re-runs in that scenario only; chapters 8 and 10, which
    read every scenario file, re-run in every book).

Writes its section of ``bench/results.md``. Run: ``.venv/bin/python bench/scenarios.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from build import ENV, copy_book
from common import machine, write_section

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def planbook(root: Path, *args: str) -> tuple[float, str]:
    """Run ``planbook build ARGS`` in ``root``; return seconds and its output."""
    env = {**ENV, "PLANBOOK_ROOT": str(root), "PYTHONPATH": str(root / "lib")}
    start = time.perf_counter()
    proc = subprocess.run(
        [str(BIN / "planbook"), "build", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"planbook build {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return elapsed, proc.stdout


def counts(output: str) -> str:
    """Chapters run, taken from the cache and held, from the progress lines."""
    ran = len(re.findall(r"done in", output))
    cached = len(re.findall(r"from cache", output))
    held = len(re.findall(r"up to date$", output, re.M))
    return f"{ran} run, {cached} from cache, {held} held"


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1024**2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results.md")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="planbook-scen-") as tmp:
        one = copy_book(Path(tmp) / "one")
        t, out = planbook(one)
        rows.append(("(a) `planbook build` cold (main book only)", t, counts(out)))
        main_mb = size_mb(one / "_build" / "html")
        t, out = planbook(one, "--with-scenarios")
        rows.append(("(b) `--with-scenarios` after (a)", t, counts(out)))
        two = copy_book(Path(tmp) / "two")
        t, out = planbook(two, "--with-scenarios")
        rows.append(("(c) `--with-scenarios` cold (`make book` from scratch)", t, counts(out)))
        t, out = planbook(two, "--with-scenarios")
        rows.append(("(d) `--with-scenarios`, nothing changed", t, counts(out)))
        scen = two / "scenarios" / "aggressive.yml"
        text = scen.read_text(encoding="utf-8")
        scen.write_text(text.replace("ramp_years: 2", "ramp_years: 3"), encoding="utf-8")
        t, out = planbook(two, "--with-scenarios")
        rows.append(("(e) `--with-scenarios`, one parameter of one scenario", t, counts(out)))
        full_mb = size_mb(two / "_build" / "html")
    info = machine()
    lines = [
        "# Scenario publishing benchmark",
        "",
        f"{dt.date.today().isoformat()}, {info['cores']} cores ({info['cpu']}), "
        f"Python {info['python']}; one run per case (`bench/scenarios.py`).",
        "",
        "| case | seconds | chapters (all books) |",
        "|---|---:|---|",
        *(f"| {name} | {t:.1f} | {what} |" for name, t, what in rows),
        "",
        f"Site size: {main_mb:.0f} MB for the main book alone, {full_mb:.0f} MB with the "
        "three scenario books under `scenarios/`.",
        "",
        f"So `make book` from scratch costs {rows[2][1] - rows[0][1]:+.0f} s over the main "
        f"book alone ({rows[2][1]:.0f} s against {rows[0][1]:.0f} s), and a no-op "
        f"`make book` {rows[3][1]:.1f} s. The test suite builds the main book only "
        "(`planbook build`), so its budget does not pay for the scenarios. One run per "
        "case: on a shared machine (c) can exceed (a) + (b); read orders of magnitude.",
        "",
    ]
    text = "\n".join(lines)
    write_section(args.out, text)
    print(text)


if __name__ == "__main__":
    main()
