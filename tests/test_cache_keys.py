"""Exact execution keys: a chapter's key covers the modules it imports and the files it reads.

The import graph is read statically (``engine/build/imports.py``); the data files are
declared in the registry and checked at run time (``planbook/reads.py``,
``engine/build/reads_check.py``). The tests below show which chapters an edit re-runs,
that the static module set covers what a chapter really imports, and that a chapter
reading an undeclared file fails with one line.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import planbook
from nbformat.v4 import new_code_cell, new_notebook

from planbook.engine.build.imports import (
    closure,
    code_cells,
    import_graph,
    module_files,
    notebook_imports,
    parse_cell,
)
from planbook.engine.build.keys import chapter_digests, dependencies, validation_digest
from planbook.engine.build.plan import plan_jobs
from planbook.engine.build.reads_check import (
    declared,
    declared_files,
    pattern_problem,
    reads_problem,
    recorded_reads,
)
from planbook.engine.build.run import run_jobs
from planbook.engine.registry import CHAPTERS, Chapter
from planbook.paths import BookPaths

REPO = Path(__file__).resolve().parents[1]
SLUGS = [c.slug for c in CHAPTERS]

# --------------------------------------------------------------------------- import graph


def write_package(root: Path, files: dict[str, str]) -> Path:
    """Files of a fake package ``fake`` under ``root``; returns the package's folder."""
    for rel, text in files.items():
        path = root / "fake" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root / "fake"


FAKE = {
    "__init__.py": "",
    "a.py": "from fake import b\n",  # b is a submodule, not a name in fake/__init__
    "b.py": "from . import c\n",  # relative
    "c.py": "def later():\n    import fake.sub.d\n    return fake.sub.d\n",  # in a function
    "sub/__init__.py": "from .e import E\n",  # a parent package runs its imports
    "sub/d.py": "from ..a import b\n",  # back to a: a cycle a -> b -> c -> d -> a
    "sub/e.py": "from typing import TYPE_CHECKING\nE = 1\nif TYPE_CHECKING:\n"
    "    from fake import typed\n",
    "typed.py": "",
    "unused.py": "import fake.a\n",  # imports into the graph, nothing imports it
}


def fake_closure(tmp_path: Path, roots: list[str], files: dict[str, str] = FAKE) -> frozenset[str]:
    modules = module_files(write_package(tmp_path, files), package="fake")
    return closure(roots, import_graph(modules, roots))


def test_submodules_relative_and_function_imports_cycles_and_parents(tmp_path: Path) -> None:
    found = fake_closure(tmp_path, ["fake.a"])
    assert found == {
        "fake",
        "fake.a",
        "fake.b",  # from fake import b
        "fake.c",  # from . import c
        "fake.sub",  # parent package of fake.sub.d ...
        "fake.sub.d",  # import inside a function
        "fake.sub.e",  # ... whose __init__ imports .e
        "fake.typed",  # under TYPE_CHECKING: included (over-approximation is safe)
    }
    assert "fake.unused" not in found


def test_a_cycle_is_followed_from_any_module(tmp_path: Path) -> None:
    cycle = {"__init__.py": "", "x.py": "import fake.y\n", "y.py": "from fake import x\n"}
    assert fake_closure(tmp_path, ["fake.y"], cycle) == {"fake", "fake.x", "fake.y"}


def test_names_that_are_not_modules_and_star_imports(tmp_path: Path) -> None:
    files = {
        "__init__.py": "",
        "p/__init__.py": "VALUE = 1\n",
        "p/q.py": "",
        "r.py": "from fake.p import VALUE\nfrom fake.p.q import *\n",
    }
    assert fake_closure(tmp_path, ["fake.r"], files) == {"fake", "fake.r", "fake.p", "fake.p.q"}


def test_unparseable_code_counts_as_importing_everything(tmp_path: Path) -> None:
    files = {"__init__.py": "", "broken.py": "def (:\n", "other.py": ""}
    assert "fake.other" in fake_closure(tmp_path, ["fake.broken"], files)


def test_notebook_cells_with_magics_still_parse(tmp_path: Path) -> None:
    modules = module_files(write_package(tmp_path, FAKE), package="fake")
    nb = {
        "cells": [
            {"cell_type": "markdown", "source": "import fake.unused"},  # not code
            {"cell_type": "code", "source": ["%matplotlib inline\n", "from fake import a\n"]},
            {"cell_type": "code", "source": "!ls\nimport fake.sub.e as e\n"},
        ]
    }
    assert notebook_imports(nb, modules) == {"fake", "fake.a", "fake.sub", "fake.sub.e"}
    assert parse_cell("x = (") is None
    assert notebook_imports({"cells": [{"cell_type": "code", "source": "x = ("}]}, modules) == set(
        modules
    )


# --------------------------------------------------------------------------- the book's chapters

DEPENDENCIES = dependencies(CHAPTERS, BookPaths(REPO))
MODULES = {c.slug: DEPENDENCIES[c].modules for c in CHAPTERS}

OTHER_CHAPTERS = {
    "innovation": {"timeline"},  # its green targets are drawn as the timeline's glide paths
    # it restates every chapter's key numbers, and computes the landing page's findings
    "conclusions": (set(SLUGS) - {"conclusions"}) | {"findings"},
}
"""The chapter modules a chapter imports besides its own (every other chapter: none)."""


@pytest.mark.parametrize("slug", SLUGS)
def test_a_chapter_depends_on_its_module_and_not_on_other_chapters(slug: str) -> None:
    modules = MODULES[slug]
    assert f"planbook.chapters.{slug}" in modules and "planbook.page.setup" in modules
    assert "planbook" in modules and "planbook.chapters" in modules  # parent packages
    others = {m.split(".")[2] for m in modules if m.startswith("planbook.chapters.")} - {slug}
    assert others - {"briefs"} == OTHER_CHAPTERS.get(slug, set())
    briefs = {m for m in modules if m.startswith("planbook.chapters.briefs.")}
    assert briefs <= {f"planbook.chapters.briefs.{slug}", "planbook.chapters.briefs.words"}
    assert not {m for m in modules if m.startswith(("planbook.engine.build", "planbook.cli"))}


def test_market_does_not_depend_on_risk() -> None:
    assert not {m for m in MODULES["market"] if m.startswith("planbook.chapters.risk")}


def test_no_module_imports_by_name_at_run_time() -> None:
    """The graph is read statically: a module a chapter imports must not import others by
    a computed name (they would escape it). The build engine's own modules may."""
    reachable = set().union(*MODULES.values())
    dynamic = []
    for name, path in module_files(REPO / "lib" / "planbook").items():
        if name not in reachable:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Name | ast.Attribute):
                called = node.id if isinstance(node, ast.Name) else node.attr
                if called in {
                    "import_module",
                    "__import__",
                    "find_spec",
                    "spec_from_file_location",
                }:
                    dynamic.append(name)
    assert not dynamic, f"dynamic imports in {sorted(set(dynamic))}"


def statement_imports(notebook: Path) -> str:
    """The import statements of a notebook's code cells, as one script."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    lines = []
    for source in code_cells(nb):
        tree = parse_cell(source)
        assert tree is not None, source
        lines += [ast.unparse(n) for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    return "\n".join(lines)


FORK_EACH = """
import importlib, json, os, sys
for name in ("numpy", "pandas", "scipy.stats", "statsmodels.api", "statsmodels.tsa.api",
             "matplotlib.pyplot", "pydantic", "yaml", "IPython.display", "myst_nb"):
    try:
        importlib.import_module(name)  # third-party only: shared by the forks below
    except ImportError:
        pass
assert not [m for m in sys.modules if m.split(".")[0] == "planbook"]
out = {}
for slug, code in json.loads(sys.stdin.read()).items():
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # a fresh interpreter as far as planbook goes
        os.close(r)
        exec(compile(code, slug, "exec"), {"__name__": "__main__"})
        loaded = sorted(m for m in sys.modules if m.split(".")[0] == "planbook")
        os.write(w, json.dumps(loaded).encode())
        os._exit(0)
    os.close(w)
    with os.fdopen(r) as handle:
        out[slug] = json.loads(handle.read() or "null")
    assert os.waitpid(pid, 0)[1] == 0, slug
print(json.dumps(out))
"""


def test_static_modules_cover_what_the_import_cells_import() -> None:
    """Run each notebook's import statements in a fresh process (forked, one per chapter,
    from an interpreter that holds third-party packages only; no kernel, so nothing of
    the kernel machinery to exclude): every ``planbook`` module then loaded is in the
    chapter's static set."""
    env = {k: v for k, v in os.environ.items() if k != "PLANBOOK_READS_LOG"}
    env.update(PYTHONPATH=str(REPO / "lib"), PLANBOOK_ROOT=str(REPO), MPLBACKEND="Agg")
    cases = {c.slug: statement_imports(REPO / "notebooks" / c.notebook) for c in CHAPTERS}
    done = subprocess.run(
        [sys.executable, "-c", FORK_EACH],
        input=json.dumps(cases),
        cwd=REPO / "notebooks",
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    for slug, loaded in json.loads(done.stdout.splitlines()[-1]).items():
        assert f"planbook.chapters.{slug}" in loaded
        assert set(loaded) <= MODULES[slug], f"{slug}: {sorted(set(loaded) - MODULES[slug])}"


# --------------------------------------------------------------------------- which keys change


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of what keys read: lib, notebooks, data, scenarios and the lock file."""
    root = tmp_path_factory.mktemp("keys") / "book"
    skip = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints")
    for folder in ("lib", "notebooks", "data", "scenarios"):
        shutil.copytree(REPO / folder, root / folder, ignore=skip)
    shutil.copy2(REPO / "requirements.lock", root / "requirements.lock")
    return root


def rerun_after(root: Path, rel: str, text: str = "\n# an edit\n") -> set[str]:
    """The chapters whose key changes when ``text`` is appended to ``rel`` (then undone)."""
    paths = BookPaths(root)
    before = chapter_digests(CHAPTERS, paths)
    target = root / rel
    original = target.read_bytes()
    try:
        target.write_bytes(original + text.encode())
        after = chapter_digests(CHAPTERS, paths)
    finally:
        target.write_bytes(original)
    return {c.slug for c in CHAPTERS if before[c] != after[c]}


RERUNS = {
    # chapters/risk: the risk notebook, and chapters/conclusions, which imports every chapter
    "lib/planbook/chapters/risk/losses.py": {"risk", "conclusions"},
    # chapters/market: the market notebook and conclusions
    "lib/planbook/chapters/market/outlook.py": {"market", "conclusions"},
    # page/grouped_bars: the notebooks of implementation, risk, resources and glossary
    "lib/planbook/page/grouped_bars.py": {"implementation", "risk", "resources", "glossary"},
    # methods/arithmetic: every chapter with an audit or a chapter module using it; not the
    # data-sources and glossary appendices
    "lib/planbook/methods/arithmetic.py": set(SLUGS) - {"data_sources", "glossary"},
    # the package's __init__ runs in every kernel
    "lib/planbook/__init__.py": set(SLUGS),
    # what no kernel imports: the build engine and the command line
    "lib/planbook/engine/build/keys.py": set(),
    "lib/planbook/cli.py": set(),
    # data: the chapters that declare the file
    "data/plan/glossary.csv": {"glossary", "data_sources"},
    # every official forecast pools the backtests of the six annual series
    "data/official/express_parcels.csv": {
        "market",
        "goals",
        "benefits",
        "conclusions",
        "methods",
        "data_sources",
    },
    "data/official/total_retail_sales_monthly.csv": {"methods", "data_sources"},
    "data/plan/risks.csv": {"risk", "benefits", "conclusions", "data_sources"},
    "data/official/README.md": set(),
    "scenarios/conservative.yml": {"benefits", "conclusions"},
    "requirements.lock": set(SLUGS),
}


@pytest.mark.parametrize("rel", sorted(RERUNS))
def test_an_edit_changes_exactly_the_keys_of_the_chapters_that_use_it(
    sources: Path, rel: str
) -> None:
    assert rerun_after(sources, rel) == RERUNS[rel]


def test_a_new_module_changes_no_key_until_imported(sources: Path) -> None:
    paths = BookPaths(sources)
    before = chapter_digests(CHAPTERS, paths)
    new = sources / "lib/planbook/page/new_kind.py"
    new.write_text("X = 1\n")
    try:
        assert chapter_digests(CHAPTERS, paths) == before
    finally:
        new.unlink()


def test_a_new_file_matching_a_declared_pattern_changes_the_key(sources: Path) -> None:
    paths = BookPaths(sources)
    before = chapter_digests(CHAPTERS, paths)
    new = sources / "scenarios/extra.yml"
    new.write_text("description: x\nmarket:\n  confidence: 0.8\n")
    try:
        after = chapter_digests(CHAPTERS, paths)
    finally:
        new.unlink()
    assert {c.slug for c in CHAPTERS if before[c] != after[c]} == {"benefits", "conclusions"}


def test_the_data_check_reruns_only_when_data_or_its_validators_change(sources: Path) -> None:
    paths = BookPaths(sources)
    before = validation_digest(paths)

    def after(rel: str) -> str:
        target = sources / rel
        original = target.read_bytes()
        try:
            target.write_bytes(original + b"\n# an edit\n")
            return validation_digest(paths)
        finally:
            target.write_bytes(original)

    assert after("lib/planbook/chapters/risk/losses.py") == before
    assert after("lib/planbook/page/charts.py") == before
    assert after("lib/planbook/data/schema.py") != before
    assert after("data/plan/claims.csv") != before
    assert after("data/official/README.md") != before  # every file under data/


def test_a_build_of_several_books_parses_the_import_graph_once(
    sources: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planbook.engine.build import keys
    from planbook.engine.build.plan import scenario_jobs
    from planbook.engine.params import load_scenario

    calls = []
    real = keys.import_graph
    monkeypatch.setattr(keys, "import_graph", lambda *a, **k: calls.append(a) or real(*a, **k))
    paths = BookPaths(sources)
    names = ("conservative", "aggressive")
    books = scenario_jobs(paths, [load_scenario(n, paths.scenarios) for n in names])
    assert len(calls) == 1 and sorted(books) == sorted(names)
    shutil.rmtree(sources / "_build", ignore_errors=True)


# --------------------------------------------------------------------------- declared data


def test_every_declaration_is_a_pattern_under_data_or_scenarios_that_matches_a_file() -> None:
    for chapter in CHAPTERS:
        assert chapter.data, f"chapter {chapter.slug} declares no data"
        for pattern in chapter.data:
            assert pattern_problem(pattern) is None, (chapter.slug, pattern)
            assert declared_files([pattern], REPO), f"{chapter.slug}: {pattern} matches nothing"


def test_glob_patterns_stay_within_a_folder_unless_double_star() -> None:
    assert declared("data/plan/claims.csv", ["data/plan/*.csv"])
    assert not declared("data/official/raw/official_stats.csv", ["data/official/*.csv"])
    assert declared("data/official/raw/official_stats.csv", ["data/**/*.csv"])
    assert declared("data/x.csv", ["data/**/*.csv"])
    assert not declared("data/plan/claims.csv", ["data/plan/claims.cs?x"])
    assert pattern_problem("../data/x.csv") and pattern_problem("lib/planbook/x.py")
    assert pattern_problem("/data/x.csv") and pattern_problem("data")


def test_an_undeclared_read_is_one_line_naming_the_file_and_the_fix() -> None:
    message = reads_problem(1, "market", ["data/plan/claims.csv", "data/x.csv"], ["data/plan/*"])
    assert message == (
        "chapter 1 market read data/x.csv, which the chapter registry does not declare; "
        "add it to its `data` in lib/planbook/engine/registry.py"
    )
    assert reads_problem(1, "market", ["data/plan/claims.csv"], ["data/plan/*", "data/y.csv"]) == ""
    assert reads_problem(1, "market", [], ["data/plan/*"]) == ""  # declared, unread: fine


HOOK_SCRIPT = """
import os, pathlib, sys
from planbook import reads
root, log, log2 = sys.argv[1:4]
reads.install(log, root)
open(os.path.join(root, "data", "a.csv")).read()
open(os.path.join(root, "data", "a.csv"), "rb").read()          # seen: logged once
pathlib.Path(root, "scenarios", "s.yml").read_text()
open(os.path.join(root, "notebooks", "..", "data", "b.csv")).read()  # normalized
os.chdir(os.path.join(root, "data"))
open("sub/c.csv").read()                                          # relative to the cwd
open(os.path.join(root, "other.txt")).read()                      # not watched
fd = os.open(os.path.join(root, "data", "d.csv"), os.O_RDONLY); os.close(fd)
reads.install(log2, root)                                          # re-pointed (as after fork)
open(os.path.join(root, "data", "a.csv")).read()
"""


def make_root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    for rel in ("data/a.csv", "data/b.csv", "data/sub/c.csv", "data/d.csv", "scenarios/s.yml"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x\n")
    (root / "notebooks").mkdir()
    (root / "other.txt").write_text("x\n")
    return root


def test_the_hook_records_each_real_open_once(tmp_path: Path) -> None:
    root, log, log2 = make_root(tmp_path), tmp_path / "reads.log", tmp_path / "again.log"
    env = {**os.environ, "PYTHONPATH": str(REPO / "lib")}
    env.pop("PLANBOOK_READS_LOG", None)
    done = subprocess.run(
        [sys.executable, "-c", HOOK_SCRIPT, str(root), str(log), str(log2)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert log.read_text().splitlines() == [
        "data/a.csv",
        "scenarios/s.yml",
        "data/b.csv",
        "data/sub/c.csv",
        "data/d.csv",
    ]
    assert recorded_reads(log2) == ["data/a.csv"]


def test_importing_planbook_installs_the_hook_from_the_environment(tmp_path: Path) -> None:
    root, log = make_root(tmp_path), tmp_path / "reads.log"
    env = {**os.environ, "PYTHONPATH": str(REPO / "lib"), "PLANBOOK_ROOT": str(root)}
    env["PLANBOOK_READS_LOG"] = str(log)
    script = "import planbook, pandas\npandas.read_csv('data/a.csv')\n"
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert recorded_reads(log) == ["data/a.csv"]
    del env["PLANBOOK_READS_LOG"]  # unset: nothing is installed
    script = "import sys\nimport planbook.reads as r\nsys.exit(r._HOOK is not None)"
    assert subprocess.run([sys.executable, "-c", script], cwd=root, env=env).returncode == 0


def reading_chapter(root: Path, data: tuple[str, ...]) -> Chapter:
    """A tiny notebook that imports planbook and reads ``data/plan/claims.csv``."""
    nb = new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    params = new_code_cell("confidence = 0.9\nforecast_horizon = 3\n")
    params.metadata["tags"] = ["parameters"]
    body = "import planbook\nfrom planbook.paths import find_root\n" + (
        "text = (find_root() / 'data' / 'plan' / 'claims.csv').read_text()\n"
    )
    nb.cells = [params, new_code_cell(body)]
    (root / "notebooks").mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, root / "notebooks" / "reader.ipynb")
    return Chapter(1, "market", "reader", "reader.ipynb", "reader", ("1.1",), data=data)


@pytest.mark.slow  # runs a (tiny) notebook in a kernel
def test_a_chapter_that_reads_an_undeclared_file_fails_with_one_line(tmp_path: Path) -> None:
    root = tmp_path / "book"
    (root / "data/plan").mkdir(parents=True)
    (root / "data/plan/claims.csv").write_text("id,value\nC1,1\n")
    (root / "scenarios").mkdir()
    shutil.copytree(REPO / "lib", root / "lib", ignore=shutil.ignore_patterns("__pycache__"))
    paths = BookPaths(root)
    undeclared = reading_chapter(root, data=("data/plan/sections.csv",))
    jobs = plan_jobs([undeclared], paths, None, None, keep_last=False)
    result = run_jobs(jobs, paths, workers=1)
    [(_, message)] = result.failed
    assert message == (
        "chapter 1 market read data/plan/claims.csv, which the chapter registry does not "
        "declare; add it to its `data` in lib/planbook/engine/registry.py"
    )
    assert "\n" not in str(result.error()) and jobs[0].key not in _stored(paths)
    declared_ok = reading_chapter(root, data=("data/plan/*.csv",))
    jobs = plan_jobs([declared_ok], paths, None, None, keep_last=False)
    assert run_jobs(jobs, paths, workers=1).ok and jobs[0].key in _stored(paths)


def _stored(paths: BookPaths) -> set[str]:
    from planbook.engine.build.cache import cache_for

    return set(cache_for(paths).stored_keys())


# --------------------------------------------------------------------------- a real build

RUNNING = re.compile(r"^\[\s*[\d.]+s\]\s+\d+ (\w+)\s+(?:\[\w+\] )?running")


def ran(stdout: str) -> set[str]:
    """The chapters a ``planbook build`` ran (its ``running ...`` lines)."""
    return {m.group(1) for line in stdout.splitlines() if (m := RUNNING.match(line.strip()))}


@pytest.mark.slow
def test_editing_a_chapter_module_reruns_only_the_chapters_that_import_it(
    book_copy: Path,
) -> None:
    risk = book_copy / "lib/planbook/chapters/risk/losses.py"
    risk.write_text(risk.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    result = planbook("build", root=book_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    # chapters/risk is imported by the risk notebook and by chapters/conclusions
    assert ran(result.stdout) == {"risk", "conclusions"}, result.stdout
    assert result.stdout.count("up to date") >= len(CHAPTERS) - 2
    again = planbook("build", root=book_copy)
    assert again.returncode == 0 and ran(again.stdout) == set(), again.stdout


# --------------------------------------------------------------------------- parse cache


def test_the_parse_cache_gives_the_graph_a_fresh_parse_gives(tmp_path: Path) -> None:
    from planbook.engine.build.imports import import_graph, module_files

    modules = module_files(REPO / "lib" / "planbook")
    roots = ["planbook.chapters.market", "planbook.cli"]
    parsed: dict[str, list[str]] = {}
    fresh = import_graph(modules, roots)
    assert import_graph(modules, roots, parsed=parsed) == fresh
    assert parsed  # one entry per module parsed
    again = import_graph(modules, roots, parsed={k: list(v) for k, v in parsed.items()})
    assert again == fresh


def test_a_changed_module_is_parsed_again(tmp_path: Path) -> None:
    from planbook.engine.build.imports import import_graph

    package = {"planbook.a": tmp_path / "a.py", "planbook.b": tmp_path / "b.py"}
    package["planbook.a"].write_text("import planbook.b\n", encoding="utf-8")
    package["planbook.b"].write_text("", encoding="utf-8")
    parsed: dict[str, list[str]] = {}
    assert import_graph(package, ["planbook.a"], parsed=parsed)["planbook.a"] == {"planbook.b"}
    package["planbook.a"].write_text("x = 1\n", encoding="utf-8")
    assert import_graph(package, ["planbook.a"], parsed=parsed)["planbook.a"] == frozenset()


def test_the_build_keeps_parse_results_and_survives_a_broken_file(sources: Path) -> None:
    from planbook.engine.build import keys

    paths = BookPaths(sources)
    first = keys.chapter_digests(CHAPTERS, paths)
    stored = sources / "_build" / keys.PARSE_CACHE
    assert json.loads(stored.read_text(encoding="utf-8"))
    stored.write_text("{not json", encoding="utf-8")
    assert keys.chapter_digests(CHAPTERS, paths) == first
    assert json.loads(stored.read_text(encoding="utf-8"))
    shutil.rmtree(sources / "_build", ignore_errors=True)
