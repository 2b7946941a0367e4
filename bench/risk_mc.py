"""Benchmark chapter 5's Monte Carlo loss model: time and peak memory by number of draws.

Builds the chapter's six risk events from the claims once (default parameters), then
runs the model, :func:`planbook.methods.models.risk_mc.simulate` and its summary, at several
draw counts; for each, the median wall time of five runs (after one warm-up run), and
the peak memory the model allocates, measured with :mod:`tracemalloc` in a separate run
(numpy reports its buffers to it). Also times ``risk.headline``, the chapter's key
numbers end to end (claims look-ups, register, availability and the simulation).
Writes the figures to ``bench/risk_mc.md``.

Usage::

    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/risk_mc.py [--out bench/risk_mc.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from planbook.chapters import risk
from planbook.data import plan as data
from planbook.engine.params import validate_params
from planbook.methods.models import risk_mc

DRAWS = (100_000, 200_000, 1_000_000)
RUNS = 5


def measure(claims, draws: int, runs: int = RUNS) -> dict[str, float]:
    """Median, min and max wall time (seconds) and peak traced memory (MiB) of one simulation."""
    params = validate_params("risk", {"draws": draws})
    events = risk.to_events(risk.loss_events(claims, params))

    def run() -> None:
        sim = risk_mc.simulate(
            events,
            draws=params.draws,
            seed=params.seed,
            sigma=params.severity_sigma,
            realisation=params.mitigation_realisation,
        )
        sim.summary(params.tail_quantile)

    run()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "draws": draws,
        "median_s": statistics.median(times),
        "min_s": min(times),
        "max_s": max(times),
        "per_million_draws_s": statistics.median(times) / draws * 1e6,
        "peak_mib": peak / 2**20,
    }


def headline_time(claims, runs: int = RUNS) -> float:
    """Median time of ``risk.headline`` at the defaults (what chapter 10 calls per scenario)."""
    params = validate_params("risk", {})
    risk.headline(params, claims)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        risk.headline(params, claims)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report(rows: list[dict[str, float]], headline_s: float) -> str:
    """The benchmark as Markdown."""
    default = validate_params("risk", {}).draws
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        "# Benchmark: chapter 5's Monte Carlo loss model",
        "",
        "Written by `bench/risk_mc.py`; rerun it to refresh these figures. Each row is the",
        f"median of {RUNS} runs of the model, `planbook.methods.models.risk_mc.simulate`",
        "on the six risk events of chapter 5 (default parameters but the number of draws)",
        "followed by its summary, after one warm-up run; peak memory is what `tracemalloc`",
        "saw during one more run.",
        "",
        "| draws | median (s) | min (s) | max (s) | s per million draws | peak memory (MiB) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        mark = " (default)" if r["draws"] == default else ""
        lines.append(
            f"| {r['draws']:,}{mark} | {r['median_s']:.3f} | {r['min_s']:.3f} | "
            f"{r['max_s']:.3f} | {r['per_million_draws_s']:.2f} | {r['peak_mib']:.1f} |"
        )
    lines += [
        "",
        "`risk.headline` at the defaults, end to end (claims look-ups, register, availability",
        f"and the simulation): median {headline_s:.3f} s.",
        "",
        "Measured on "
        f"{datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}, Python "
        f"{platform.python_version()}, numpy {np.__version__}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs, one BLAS thread, load average {load:.1f} at the end (other "
        "jobs were running on the machine, so these times are upper bounds).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("risk_mc.md"))
    args = parser.parse_args()
    claims = data.load_claims()
    rows = [measure(claims, n) for n in DRAWS]
    text = report(rows, headline_time(claims))
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
