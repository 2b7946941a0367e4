"""The runner: execution keys, cache states, the parallel pool and its progress lines.

The pool is exercised on tiny notebooks in a scratch checkout (a second or two each),
so these tests stay fast; the real chapters are covered by test_book and test_faults.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from planbook.engine import runner
from planbook.engine.params import MarketParams, load_scenario
from planbook.engine.registry import CHAPTERS, Chapter
from planbook.page.glue import glued_values
from planbook.paths import BookPaths

REPO = Path(__file__).resolve().parents[1]

PARAMS_CELL = "forecast_horizon = 3\nconfidence = 0.9\n"


def tiny(root: Path, name: str, body: str) -> Chapter:
    """A notebook with a parameters cell and ``body``, registered as a 'market' chapter."""
    nb = new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    params = new_code_cell(PARAMS_CELL)
    params.metadata["tags"] = ["parameters", "remove-cell"]
    nb.cells = [new_markdown_cell(f"# {name}"), params, new_code_cell(body)]
    (root / "notebooks").mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, root / "notebooks" / f"{name}.ipynb")
    return Chapter(1, "market", name, f"{name}.ipynb", name, ("1.1",))


GLUE = "from myst_nb import glue\nglue('double', confidence * 2, display=False)\n"


@pytest.fixture()
def checkout(tmp_path: Path) -> BookPaths:
    root = tmp_path / "book"
    for sub in ("data/plan", "scenarios", "lib/planbook/models"):
        (root / sub).mkdir(parents=True)
    (root / "data/plan/claims.csv").write_text("id,value\nC1,1\n")
    (root / "scenarios/a.yml").write_text("market:\n  confidence: 0.8\n")
    (root / "lib/planbook/x.py").write_text("X = 1\n")
    (root / "requirements.lock").write_text("pandas==3.1.0\n")
    return BookPaths(root)


# --------------------------------------------------------------------------- keys


def test_notebook_digest_ignores_outputs_but_not_sources_or_tags(tmp_path: Path) -> None:
    chapter = tiny(tmp_path, "nb", GLUE)
    path = tmp_path / "notebooks" / chapter.notebook
    before = runner.notebook_digest(path)
    nb = json.loads(path.read_text())
    nb["cells"][2]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "hi"}]
    nb["cells"][2]["execution_count"] = 7
    nb["cells"][2]["metadata"]["execution"] = {"iopub.status.busy": "2026-01-01"}
    nb["cells"][2]["id"] = "renamed"
    nb["metadata"]["language_info"] = {"name": "python", "version": "3.11.9"}
    path.write_text(json.dumps(nb))
    assert runner.notebook_digest(path) == before
    nb["cells"][2]["metadata"]["tags"] = ["hide-input"]
    path.write_text(json.dumps(nb))
    tagged = runner.notebook_digest(path)
    assert tagged != before
    nb["cells"][2]["source"] = GLUE + "x = 1\n"
    path.write_text(json.dumps(nb))
    assert runner.notebook_digest(path) not in {before, tagged}


@pytest.mark.parametrize(
    "change",
    [
        lambda r: (r / "lib/planbook/x.py").write_text("X = 2\n"),
        lambda r: (r / "lib/planbook/models/new.py").write_text("Y = 1\n"),  # subpackage
        lambda r: (r / "data/plan/claims.csv").write_text("id,value\nC1,2\n"),
        lambda r: (r / "data/official.csv").write_text("a\n1\n"),
        lambda r: (r / "scenarios/a.yml").write_text("market:\n  confidence: 0.7\n"),
        lambda r: (r / "scenarios/b.yml").write_text("{}\n"),
        lambda r: (r / "requirements.lock").write_text("pandas==3.1.1\n"),
    ],
    ids=["lib", "lib subpackage", "data", "new data file", "scenario", "new scenario", "lock"],
)
def test_every_dependency_changes_the_key(checkout: BookPaths, change) -> None:
    chapter = tiny(checkout.root, "nb", GLUE)
    params = MarketParams()
    before = runner.fingerprint(chapter, params, checkout, runner.environment_digest(checkout))
    change(checkout.root)
    after = runner.fingerprint(chapter, params, checkout, runner.environment_digest(checkout))
    assert after != before


def test_caches_and_editor_files_do_not_change_the_key(checkout: BookPaths) -> None:
    before = runner.environment_digest(checkout)
    (checkout.lib / "__pycache__").mkdir()
    (checkout.lib / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    (checkout.data / ".ipynb_checkpoints").mkdir()
    (checkout.data / ".ipynb_checkpoints" / "c.csv").write_text("x")
    (checkout.scenarios / "notes.txt").write_text("not a scenario")
    assert runner.environment_digest(checkout) == before


def test_parameters_are_part_of_the_key(checkout: BookPaths) -> None:
    chapter = tiny(checkout.root, "nb", GLUE)
    env = runner.environment_digest(checkout)
    a = runner.fingerprint(chapter, MarketParams(), checkout, env)
    b = runner.fingerprint(chapter, MarketParams(confidence=0.8), checkout, env)
    assert a != b
    assert a == runner.fingerprint(chapter, MarketParams(confidence=0.9), checkout, env)


def test_the_repository_key_covers_lib_data_scenarios_and_lock() -> None:
    paths = BookPaths(REPO)
    files = {p.relative_to(REPO).as_posix() for p in runner.dependency_files(paths)}
    assert "lib/planbook/engine/runner.py" in files and "requirements.lock" in files
    assert "data/plan/claims.csv" in files and "scenarios/baseline.yml" in files
    assert not any("__pycache__" in f for f in files)


# --------------------------------------------------------------------------- states


def test_states_go_stale_cached_up_to_date_without_running(checkout: BookPaths) -> None:
    chapter = tiny(checkout.root, "nb", GLUE)
    [job] = runner.plan_jobs([chapter], checkout, None, None, keep_last=False)
    assert job.state == runner.STALE
    fake = {"cells": [], "metadata": {"planbook": {"key": job.key, "params": {}}}}
    runner.cache_for(checkout).put(job.key, json.dumps(fake).encode())
    [job] = runner.plan_jobs([chapter], checkout, None, None, keep_last=False)
    assert job.state == runner.CACHED
    assert runner.materialize([job], checkout) == [job]
    assert json.loads(job.output.read_text()) == fake
    [job] = runner.plan_jobs([chapter], checkout, None, None, keep_last=False)
    assert job.state == runner.UP_TO_DATE
    assert runner.materialize([job], checkout) == []


# --------------------------------------------------------------------------- running

EVENTS = r"(up to date|from cache|running \.\.\.|done in \d+\.\d s|FAILED after \d+\.\d s)"
LINE = re.compile(r"^\[ *\d+\.\ds\]  1 \S+ +(\[\w+\] )?" + EVENTS + "$")


def run(checkout: BookPaths, chapters: list[Chapter], workers: int, **kw):
    lines: list[str] = []
    jobs = runner.plan_jobs(chapters, checkout, kw.pop("scenario", None), None, keep_last=False)
    result = runner.run_jobs(
        jobs, checkout, workers=workers, progress=runner.Progress(lines.append)
    )
    return jobs, result, lines


def test_parallel_run_caches_successes_and_names_the_failure(
    checkout: BookPaths, capfd: pytest.CaptureFixture[str]
) -> None:
    noisy = GLUE + "import os\nos.write(2, b'kernel noise on fd 2\\n')\n"
    chapters = [
        tiny(checkout.root, "good", GLUE),
        tiny(checkout.root, "noisy", noisy),
        tiny(checkout.root, "bad", "raise ValueError('deliberate')\n"),
    ]
    jobs, result, lines = run(checkout, chapters, workers=2)
    assert [j.chapter.title for j, _ in result.failed] == ["bad"]
    message = result.failed[0][1]
    assert "failed in cell" in message and "ValueError: deliberate" in message
    assert (checkout.build / "failed/main/bad.ipynb").is_file()
    assert sorted(j.chapter.title for j in result.ran) == ["good", "noisy"]
    cache = runner.cache_for(checkout)
    assert jobs[0].key in cache and jobs[1].key in cache and jobs[2].key not in cache
    # one whole line per event, whatever order the chapters finish in
    assert len(lines) == 6 and all(LINE.match(line) for line in lines), lines
    assert sum("running" in line for line in lines) == 3
    # kernel stderr went to the chapter's log, not to the terminal
    assert "kernel noise" in (checkout.build / "logs/main/noisy.log").read_text()
    assert "kernel noise" not in capfd.readouterr().err
    error = result.error()
    assert error.exit_code == 1 and "\n" not in str(error) and "bad" in str(error)
    # the second time, only the failure runs again
    _, again, lines = run(checkout, chapters, workers=2)
    assert [j.chapter.title for j in again.ran] == [] and len(again.failed) == 1
    assert sum("from cache" in line for line in lines) == 2


def test_one_job_runs_in_process_and_glues(checkout: BookPaths) -> None:
    chapter = tiny(checkout.root, "one", GLUE)
    jobs, result, lines = run(checkout, [chapter], workers=1)
    assert result.ok and result.ran == jobs
    runner.materialize(jobs, checkout)
    assert glued_values(jobs[0].output) == {"double": 1.8}
    meta = json.loads(jobs[0].output.read_text())["metadata"]
    assert meta["planbook"]["key"] == jobs[0].key
    assert meta["papermill"]["input_path"] == "notebooks/one.ipynb"  # no scratch paths


def test_the_same_execution_in_two_books_runs_once(checkout: BookPaths, tmp_path: Path) -> None:
    chapter = tiny(checkout.root, "shared", GLUE)
    plain = tmp_path / "plain.yml"
    plain.write_text("market:\n  confidence: 0.9\n")
    jobs = runner.plan_jobs([chapter], checkout, None, None, keep_last=False)
    scen = load_scenario(str(plain), checkout.scenarios)
    jobs += runner.plan_jobs([chapter], checkout, scen, None, keep_last=False, book="plain")
    assert jobs[0].key == jobs[1].key
    lines: list[str] = []
    result = runner.run_jobs(jobs, checkout, workers=2, progress=runner.Progress(lines.append))
    assert len(result.ran) == 2 and sum("running" in line for line in lines) == 2
    assert {"[main]", "[plain]"} <= {w for line in lines for w in line.split()}
    assert len(list(runner.cache_for(checkout).stored_keys())) == 1


def test_a_worker_that_dies_is_replaced_and_the_others_finish(checkout: BookPaths) -> None:
    killer = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n"  # kills its worker
    chapters = [tiny(checkout.root, "killer", killer), tiny(checkout.root, "fine", GLUE)]
    jobs, result, lines = run(checkout, chapters, workers=2)
    assert [j.chapter.title for j in result.ran] == ["fine"], (lines, result.failed)
    [(job, message)] = result.failed
    assert job.chapter.title == "killer" and "worker process died" in message
    assert jobs[1].key in runner.cache_for(checkout)


def test_force_runs_even_when_cached(checkout: BookPaths) -> None:
    chapter = tiny(checkout.root, "forced", GLUE)
    run(checkout, [chapter], workers=1)
    jobs = runner.plan_jobs([chapter], checkout, None, None, keep_last=False)
    assert jobs[0].state == runner.CACHED
    result = runner.run_jobs(jobs, checkout, workers=1, force=True)
    assert result.ran == jobs


def test_an_interrupted_site_swap_is_undone(tmp_path: Path) -> None:
    site = tmp_path / "html"
    outgoing = tmp_path / ".html.outgoing"
    outgoing.mkdir()
    (outgoing / "index.html").write_text("last good site")
    runner._recover_swap(site)
    assert (site / "index.html").read_text() == "last good site"
    new = tmp_path / "new"
    new.mkdir()
    (new / "index.html").write_text("new site")
    runner._swap_in(new, site)
    assert (site / "index.html").read_text() == "new site"
    assert not outgoing.exists() and not (tmp_path / ".html.incoming").exists()


def test_default_workers_is_one_per_core() -> None:
    assert runner.default_workers() >= 1


def test_progress_width_fits_every_chapter() -> None:
    lines: list[str] = []
    progress = runner.Progress(lines.append)
    for chapter in CHAPTERS:
        job = runner.Job(chapter, MarketParams(), "0" * 64, Path("x"), None, runner.UP_TO_DATE)
        progress.line(job, "up to date")
    assert len({line.index("up to date") for line in lines}) == 1
