"""The build: execution keys, cache states, the parallel pool, progress lines, last-run values.

The pool is exercised on tiny notebooks in a scratch checkout (a second or two each),
so these tests stay fast; the real chapters are covered by test_book and test_faults.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from planbook.engine.build import orchestrate
from planbook.engine.build import site as site_build
from planbook.engine.build.books import materialize
from planbook.engine.build.cache import cache_for
from planbook.engine.build.keys import (
    chapter_digests,
    dependencies,
    fingerprint,
    notebook_digest,
)
from planbook.engine.build.lastrun import kept_parameters, last_params, last_run_file
from planbook.engine.build.plan import CACHED, STALE, UP_TO_DATE, Job, plan_jobs
from planbook.engine.build.pool import default_workers
from planbook.engine.build.progress import Progress
from planbook.engine.build.run import run_jobs
from planbook.engine.glued import glued_values
from planbook.engine.params import MarketParams, load_scenario
from planbook.engine.registry import CHAPTERS, Chapter
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
    before = notebook_digest(path)
    nb = json.loads(path.read_text())
    nb["cells"][2]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "hi"}]
    nb["cells"][2]["execution_count"] = 7
    nb["cells"][2]["metadata"]["execution"] = {"iopub.status.busy": "2026-01-01"}
    nb["cells"][2]["id"] = "renamed"
    nb["metadata"]["language_info"] = {"name": "python", "version": "3.11.9"}
    path.write_text(json.dumps(nb))
    assert notebook_digest(path) == before
    nb["cells"][2]["metadata"]["tags"] = ["hide-input"]
    path.write_text(json.dumps(nb))
    tagged = notebook_digest(path)
    assert tagged != before
    nb["cells"][2]["source"] = GLUE + "x = 1\n"
    path.write_text(json.dumps(nb))
    assert notebook_digest(path) not in {before, tagged}


IMPORTS_X = GLUE + "import planbook.x\n"
DECLARED = ("data/**/*.csv", "scenarios/*.yml")


def keyed(root: Path) -> Chapter:
    """A tiny chapter that imports ``planbook.x`` and declares every CSV and scenario."""
    return dataclasses.replace(tiny(root, "nb", IMPORTS_X), data=DECLARED)


def key_of(chapter: Chapter, checkout: BookPaths) -> str:
    env = chapter_digests([chapter], checkout)[chapter]
    return fingerprint(chapter, MarketParams(), checkout, env)


@pytest.mark.parametrize(
    "change",
    [
        lambda r: (r / "lib/planbook/x.py").write_text("X = 2\n"),
        lambda r: (r / "lib/planbook/__init__.py").write_text(""),  # its parent package
        lambda r: (r / "data/plan/claims.csv").write_text("id,value\nC1,2\n"),
        lambda r: (r / "data/official.csv").write_text("a\n1\n"),
        lambda r: (r / "scenarios/a.yml").write_text("market:\n  confidence: 0.7\n"),
        lambda r: (r / "scenarios/b.yml").write_text("{}\n"),
        lambda r: (r / "requirements.lock").write_text("pandas==3.1.1\n"),
    ],
    ids=["lib", "lib package", "data", "new data file", "scenario", "new scenario", "lock"],
)
def test_every_dependency_changes_the_key(checkout: BookPaths, change) -> None:
    chapter = keyed(checkout.root)
    before = key_of(chapter, checkout)
    change(checkout.root)
    assert key_of(chapter, checkout) != before


@pytest.mark.parametrize(
    "change",
    [
        lambda r: (r / "lib/planbook/models/new.py").write_text("Y = 1\n"),
        lambda r: (r / "data/notes.txt").write_text("not declared\n"),
    ],
    ids=["module not imported", "file not declared"],
)
def test_what_a_chapter_neither_imports_nor_reads_leaves_its_key(
    checkout: BookPaths, change
) -> None:
    chapter = keyed(checkout.root)
    before = key_of(chapter, checkout)
    change(checkout.root)
    assert key_of(chapter, checkout) == before


def test_caches_and_editor_files_do_not_change_the_key(checkout: BookPaths) -> None:
    chapter = keyed(checkout.root)
    before = key_of(chapter, checkout)
    (checkout.lib / "__pycache__").mkdir()
    (checkout.lib / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    (checkout.data / ".ipynb_checkpoints").mkdir()
    (checkout.data / ".ipynb_checkpoints" / "c.csv").write_text("x")
    (checkout.scenarios / "notes.txt").write_text("not a scenario")
    assert key_of(chapter, checkout) == before


def test_parameters_are_part_of_the_key(checkout: BookPaths) -> None:
    chapter = keyed(checkout.root)
    env = chapter_digests([chapter], checkout)[chapter]
    a = fingerprint(chapter, MarketParams(), checkout, env)
    b = fingerprint(chapter, MarketParams(confidence=0.8), checkout, env)
    assert a != b
    assert a == fingerprint(chapter, MarketParams(confidence=0.9), checkout, env)


def test_the_repository_key_covers_lib_data_scenarios_and_lock() -> None:
    deps = dependencies(CHAPTERS, BookPaths(REPO))
    files = {c.slug: {p.relative_to(REPO).as_posix() for p in d.files} for c, d in deps.items()}
    market = files["market"]
    assert "lib/planbook/chapters/market/__init__.py" in market and "requirements.lock" in market
    assert "lib/planbook/__init__.py" in market and "data/plan/claims.csv" in market
    assert "lib/planbook/engine/build/keys.py" not in market  # no kernel imports the engine
    assert "scenarios/baseline.yml" in files["benefits"]
    assert not any(f.startswith("scenarios/") for f in market)
    assert not any("__pycache__" in f for chapter in files.values() for f in chapter)


# --------------------------------------------------------------------------- states


def test_states_go_stale_cached_up_to_date_without_running(checkout: BookPaths) -> None:
    chapter = tiny(checkout.root, "nb", GLUE)
    [job] = plan_jobs([chapter], checkout, None, None, keep_last=False)
    assert job.state == STALE
    fake = {"cells": [], "metadata": {"planbook": {"key": job.key, "params": {}}}}
    cache_for(checkout).put(job.key, json.dumps(fake).encode())
    [job] = plan_jobs([chapter], checkout, None, None, keep_last=False)
    assert job.state == CACHED
    assert materialize([job], checkout) == [job]
    assert json.loads(job.output.read_text()) == fake
    [job] = plan_jobs([chapter], checkout, None, None, keep_last=False)
    assert job.state == UP_TO_DATE
    assert materialize([job], checkout) == []


# --------------------------------------------------------------------------- running

EVENTS = r"(up to date|from cache|running \.\.\.|done in \d+\.\d s|FAILED after \d+\.\d s)"
LINE = re.compile(r"^\[ *\d+\.\ds\]  1 \S+ +(\[\w+\] )?" + EVENTS + "$")


def run(checkout: BookPaths, chapters: list[Chapter], workers: int, **kw):
    lines: list[str] = []
    jobs = plan_jobs(chapters, checkout, kw.pop("scenario", None), None, keep_last=False)
    result = run_jobs(jobs, checkout, workers=workers, progress=Progress(lines.append))
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
    cache = cache_for(checkout)
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
    materialize(jobs, checkout)
    assert glued_values(jobs[0].output) == {"double": 1.8}
    meta = json.loads(jobs[0].output.read_text())["metadata"]
    assert meta["planbook"]["key"] == jobs[0].key
    assert meta["papermill"]["input_path"] == "notebooks/one.ipynb"  # no scratch paths


def test_the_same_execution_in_two_books_runs_once(checkout: BookPaths, tmp_path: Path) -> None:
    chapter = tiny(checkout.root, "shared", GLUE)
    plain = tmp_path / "plain.yml"
    plain.write_text("market:\n  confidence: 0.9\n")
    jobs = plan_jobs([chapter], checkout, None, None, keep_last=False)
    scen = load_scenario(str(plain), checkout.scenarios)
    jobs += plan_jobs([chapter], checkout, scen, None, keep_last=False, book="plain")
    assert jobs[0].key == jobs[1].key
    lines: list[str] = []
    result = run_jobs(jobs, checkout, workers=2, progress=Progress(lines.append))
    assert len(result.ran) == 2 and sum("running" in line for line in lines) == 2
    assert {"[main]", "[plain]"} <= {w for line in lines for w in line.split()}
    assert len(list(cache_for(checkout).stored_keys())) == 1


def test_a_worker_that_dies_is_replaced_and_the_others_finish(checkout: BookPaths) -> None:
    killer = (  # kills its worker (a forked kernel's parent is the warm server)
        "import os, signal\n"
        "os.kill(int(os.environ.get('JPY_PARENT_PID') or os.getppid()), signal.SIGKILL)\n"
    )
    chapters = [tiny(checkout.root, "killer", killer), tiny(checkout.root, "fine", GLUE)]
    jobs, result, lines = run(checkout, chapters, workers=2)
    assert [j.chapter.title for j in result.ran] == ["fine"], (lines, result.failed)
    [(job, message)] = result.failed
    assert job.chapter.title == "killer" and "worker process died" in message
    assert jobs[1].key in cache_for(checkout)


def test_force_runs_even_when_cached(checkout: BookPaths) -> None:
    chapter = tiny(checkout.root, "forced", GLUE)
    run(checkout, [chapter], workers=1)
    jobs = plan_jobs([chapter], checkout, None, None, keep_last=False)
    assert jobs[0].state == CACHED
    result = run_jobs(jobs, checkout, workers=1, force=True)
    assert result.ran == jobs


def test_an_interrupted_site_swap_is_undone(tmp_path: Path) -> None:
    site = tmp_path / "html"
    outgoing = tmp_path / ".html.outgoing"
    outgoing.mkdir()
    (outgoing / "index.html").write_text("last good site")
    site_build._recover_swap(site)
    assert (site / "index.html").read_text() == "last good site"
    new = tmp_path / "new"
    new.mkdir()
    (new / "index.html").write_text("new site")
    site_build._swap_in(new, site)
    assert (site / "index.html").read_text() == "new site"
    assert not outgoing.exists() and not (tmp_path / ".html.incoming").exists()


def test_default_workers_is_one_per_core() -> None:
    assert default_workers() >= 1


def test_progress_width_fits_every_chapter() -> None:
    lines: list[str] = []
    progress = Progress(lines.append)
    for chapter in CHAPTERS:
        job = Job(chapter, MarketParams(), "0" * 64, Path("x"), None, UP_TO_DATE)
        progress.line(job, "up to date")
    assert len({line.index("up to date") for line in lines}) == 1


# --------------------------------------------------------------------------- last run


def run_with(checkout: BookPaths, chapter: Chapter, **values: str) -> None:
    """What ``planbook run CHAPTER --set name=value`` does: defaults plus ``values``."""
    overrides = {chapter.slug: dict(values)} if values else None
    jobs = plan_jobs([chapter], checkout, None, overrides, keep_last=False)
    assert run_jobs(jobs, checkout, workers=1).ok
    materialize(jobs, checkout)


def build_main(
    checkout: BookPaths, chapter: Chapter, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[Job], list[str]]:
    """What ``planbook build`` does to the main book (its chapters: ``chapter``; no site)."""
    monkeypatch.setattr(orchestrate, "CHAPTERS", [chapter])
    lines: list[str] = []
    orchestrate.build_book(checkout, None, workers=1, report=lines.append, site=False)
    return plan_jobs([chapter], checkout, None, None, keep_last=True), lines


def test_a_build_keeps_the_parameters_of_the_last_run_and_says_so(
    checkout: BookPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    chapter = tiny(checkout.root, "kept", GLUE)
    run_with(checkout, chapter, confidence="0.8")
    assert last_params(checkout, chapter)["confidence"] == 0.8
    assert last_run_file(checkout, chapter).parent == checkout.build / "last_run"
    [job], lines = build_main(checkout, chapter, monkeypatch)
    assert job.params.confidence == 0.8 and job.state == UP_TO_DATE
    assert glued_values(job.output) == {"double": 1.6}
    [said] = [line for line in lines if "last-run" in line]
    assert "not the defaults" in said
    assert "market confidence=0.8" in said and "\n" not in said
    # a value set for this build is not reused, so not reported as kept
    assert kept_parameters([chapter], checkout, {"market": {"confidence": "0.7"}}) == {}
    # back to the defaults with a plain run: nothing kept, nothing said
    run_with(checkout, chapter)
    assert kept_parameters([chapter], checkout) == {}
    _, lines = build_main(checkout, chapter, monkeypatch)
    assert not any("last-run" in line for line in lines)


def test_without_build_folder_a_build_uses_the_defaults(
    checkout: BookPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    chapter = tiny(checkout.root, "cleaned", GLUE)
    run_with(checkout, chapter, confidence="0.8")
    executed = checkout.executed(None) / chapter.notebook
    assert glued_values(executed) == {"double": 1.6}
    shutil.rmtree(checkout.build)  # make clean: book/chapters stays
    assert executed.is_file() and last_params(checkout, chapter) == {}
    [job], lines = build_main(checkout, chapter, monkeypatch)
    assert job.params == MarketParams() and job.state == UP_TO_DATE
    assert glued_values(executed) == {"double": 1.8}
    assert not any("last-run" in line for line in lines)


def test_a_last_run_record_that_no_longer_fits_is_ignored(checkout: BookPaths) -> None:
    chapter = tiny(checkout.root, "stale", GLUE)
    path = last_run_file(checkout, chapter)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"params": {"confidence": 5}}))
    assert last_params(checkout, chapter) == {}
    path.write_text("not json")
    [job] = plan_jobs([chapter], checkout, None, None, keep_last=True)
    assert job.params == MarketParams()


def test_a_kernel_that_dies_before_its_first_reply_is_started_again(
    checkout: BookPaths, monkeypatch
) -> None:
    """Two kernels can pick the same free port at once; the one that loses dies before
    it answers. No cell has run, so the chapter starts a new kernel, once."""
    import papermill

    from planbook.engine.build.execute import kernel_did_not_start

    real = papermill.execute_notebook
    calls: list[int] = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return real(*args, **kwargs)

    monkeypatch.setattr(papermill, "execute_notebook", flaky)
    _, result, lines = run(checkout, [tiny(checkout.root, "flaky", GLUE)], workers=1)
    assert result.ok and len(calls) == 2, lines
    assert kernel_did_not_start(RuntimeError("Kernel didn't respond in 60 seconds"))
    assert not kernel_did_not_start(RuntimeError("Kernel died"))  # after cells ran: no retry


def test_a_kernel_that_never_starts_fails_after_two_tries(checkout: BookPaths, monkeypatch):
    import papermill

    calls: list[int] = []

    def dead(*args, **kwargs):
        calls.append(1)
        raise RuntimeError("Kernel died before replying to kernel_info")

    monkeypatch.setattr(papermill, "execute_notebook", dead)
    _, result, _ = run(checkout, [tiny(checkout.root, "dead", GLUE)], workers=1)
    [(_, message)] = result.failed
    assert len(calls) == 2 and "could not run" in message and "kernel_info" in message
