"""Notebook checks: committed without outputs, in the table of contents, and nbval.

The parameters cells are checked against the schemas in tests/test_params_declared_once.py.

nbval re-executes every chapter of the built book (``built_book``) in a kernel of its
own, one pytest process per chapter (xdist spreads them over its workers), and compares
what the re-execution shows with what the build stored: the cell marked
``# NBVAL_CHECK_OUTPUT`` (the chapter's key numbers) and, in a private copy of the
notebook tagged ``nbval-check-output``, every cell that glues values for the page. Two
independent executions must agree on every key number and glued value (reproducible),
so this is also the book's second cold run. The kernels are forked from a warm server
as the build's are (``NBVAL_KERNEL``), except for the first and the last chapter, which
run in ordinary kernels (``ORDINARY``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import WarmKernels

from planbook.engine.build import warm
from planbook.engine.build.execute import kernel_variables
from planbook.engine.registry import CHAPTERS

REPO = Path(__file__).resolve().parents[1]

NBVAL_KERNEL: str | None = "planbook-warm"
"""The kernel spec nbval starts (``--nbval-kernel-name``): ``planbook-warm`` forks each
kernel from a warm server that has done the imports (planbook.engine.build.warm, as the
build's kernels; about 1 s instead of 5 s a chapter); None: the notebook's own
(``python3``), an ordinary kernel. ``PLANBOOK_WARM=0`` also gives ordinary kernels."""

ORDINARY = frozenset({CHAPTERS[0].slug, CHAPTERS[-1].slug})
"""Chapters nbval always re-executes in an ordinary kernel: the build forks its kernels,
so these check that a forked kernel shows what an ordinary one does."""

GLUE = "application/papermill.record/"
"""The start of the MIME type of a glued value's output."""

CHECK = "nbval-check-output"
"""The cell tag that makes nbval --nbval-lax compare a cell's outputs."""

SANITIZE = """\
[styler ids]
regex: T_[0-9a-f]{5}
replace: T_ID

[object addresses]
regex: at 0x[0-9a-f]+
replace: at 0xADDRESS
"""
"""What differs between two executions of the same cell and is not a result: the random
id pandas gives a styled table, the address of the object that ``repr`` shows."""


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


def checked(cell: dict) -> bool:
    """Whether nbval --nbval-lax compares this cell's outputs (marker comment or tag)."""
    source = "".join(cell["source"])
    marked = any(line.strip() == "# NBVAL_CHECK_OUTPUT" for line in source.splitlines())
    return marked or CHECK in cell.get("metadata", {}).get("tags", [])


def glued(cell: dict) -> int:
    """How many values the cell glues (outputs of a papermill record type)."""
    return sum(
        any(key.startswith(GLUE) for key in output.get("data", {}))
        for output in cell.get("outputs", [])
    )


def tag_glue_cells(nb: dict) -> int:
    """Tag every code cell that glues values so nbval compares it; return the values."""
    values = 0
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and glued(cell):
            tags = cell.setdefault("metadata", {}).setdefault("tags", [])
            if CHECK not in tags:
                tags.append(CHECK)
            values += glued(cell)
    return values


PYTEST = (
    "import sys; sys.modules.setdefault('rfc3987_syntax', None); import pytest; "
    "sys.exit(pytest.main(sys.argv[1:]))"
)
"""pytest, started without the 1.5 s import nbformat's jsonschema spends on an optional
module (as planbook.engine.build.execute.skip_slow_imports does for the build)."""


def nbval_command(notebook: Path, sanitize: Path, kernel: str | None) -> list[str]:
    """pytest with nbval (lax) on one notebook, without this run's plugins and options
    (hypothesis alone takes a second to import)."""
    kernel_name = ["--nbval-kernel-name", kernel] if kernel else []
    return [
        *(sys.executable, "-c", PYTEST, "--nbval-lax", "-q", "--color=no"),
        *("-p", "no:cacheprovider", "-p", "no:xdist", "-p", "no:hypothesispytest"),
        *("--rootdir", str(notebook.parent), "--nbval-sanitize-with", str(sanitize)),
        *kernel_name,
        str(notebook),
    ]


@pytest.mark.slow
@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.slug)
def test_nbval_reproduces_key_numbers_and_glued_values(
    chapter, built_book: Path, warm_kernels: WarmKernels, tmp_path: Path
) -> None:
    """nbval (lax) re-executes the built chapter with the build's kernel environment
    (that book's lib and data, one BLAS thread, a fixed hash seed); the key numbers and
    every glued value must come out exactly as the build stored them."""
    nb = load(built_book / "book" / "chapters" / chapter.notebook)
    code = [cell for cell in nb["cells"] if cell["cell_type"] == "code"]
    key_cells = [cell for cell in code if checked(cell)]
    assert key_cells, f"{chapter.notebook} has no cell marked # NBVAL_CHECK_OUTPUT"
    assert all(cell["outputs"] for cell in key_cells), "a key-number cell printed nothing"
    assert tag_glue_cells(nb) > 0, f"{chapter.notebook} glues no value"
    assert sum(checked(cell) for cell in code) >= 2  # key numbers and glued values
    notebook = tmp_path / chapter.notebook  # a private copy: the built book stays as built
    notebook.write_text(json.dumps(nb), encoding="utf-8")
    sanitize = tmp_path / "sanitize.cfg"
    sanitize.write_text(SANITIZE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    kernel = NBVAL_KERNEL if warm.enabled() and chapter.slug not in ORDINARY else None
    if kernel:
        env.update(warm_kernels.variables(built_book))
        env["JUPYTER_PATH"] = os.pathsep.join(
            filter(None, [str(warm_kernels.kernelspec()), env.get("JUPYTER_PATH")])
        )
    else:
        env.update(kernel_variables(built_book))
    result = subprocess.run(
        nbval_command(notebook, sanitize, kernel),
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    assert f"{len(code)} passed" in result.stdout, result.stdout[-2000:]  # every cell ran
