"""Notebook checks: committed without outputs, in the table of contents, and nbval.

The parameters cells are checked against the schemas in tests/test_params_declared_once.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from planbook.engine.registry import CHAPTERS

REPO = Path(__file__).resolve().parents[1]


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.slug)
def test_committed_without_outputs(chapter) -> None:
    nb = load(REPO / "notebooks" / chapter.notebook)
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


def test_toc_lists_every_chapter_in_order() -> None:
    toc = (REPO / "_toc.yml").read_text(encoding="utf-8")
    positions = [toc.index(f"book/chapters/{c.stem}") for c in CHAPTERS]
    assert positions == sorted(positions)


@pytest.mark.slow
def test_nbval_reexecution_reproduces_key_numbers(built_book: Path) -> None:
    """nbval (lax) re-executes executed chapters; cells marked NBVAL_CHECK_OUTPUT
    (the key numbers) must print exactly what the build printed.

    Re-executing every chapter once more would cost a full build; the key numbers of
    every chapter are compared between two independent executions by
    test_book.py::test_two_cold_runs_glue_identical_values. Here nbval itself runs on
    the first and the last chapter, one pytest process each (in parallel, as the build
    does), with the build's kernel environment (this copy's lib and data, a fixed hash
    seed), so the nbval set-up stays usable for `pytest --nbval-lax book/chapters`.
    """
    executed = sorted((built_book / "book" / "chapters").glob("*.ipynb"))
    assert len(executed) == len(CHAPTERS)
    groups = [[executed[0]], [executed[-1]]] if len(executed) > 1 else [executed]
    env = {
        **os.environ,
        "PLANBOOK_ROOT": str(built_book),
        "PYTHONPATH": str(built_book / "lib"),
        "PYTHONHASHSEED": "0",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
    }
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pytest",
                "--nbval-lax",
                "-q",
                "-p",
                "no:cacheprovider",
                "--rootdir",
                str(built_book),
                *map(str, group),
            ],
            cwd=built_book,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for group in groups
        if group
    ]
    outputs = [proc.communicate(timeout=900)[0] for proc in procs]
    for proc, output in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, output[-3000:]
