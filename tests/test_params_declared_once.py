"""Every parameter is declared once, in its schema: the notebooks' parameters cells, the
baseline scenario and the risk register's scores all agree with it."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import planbook

from planbook.data.risks import read_register
from planbook.engine import params as P
from planbook.engine.params.cells import literal
from planbook.engine.registry import CHAPTERS, get_chapter
from planbook.errors import InputError

REPO = Path(__file__).resolve().parents[1]
RUFF = Path(sys.executable).with_name("ruff")


def parameters_cell(notebook: Path) -> dict:
    """The one code cell tagged ``parameters`` of a notebook file."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
    assert len(cells) == 1, "exactly one cell tagged 'parameters'"
    return cells[0]


def assigned(source: str) -> dict[str, object]:
    """The names a cell assigns and their literal values (comments ignored)."""
    values = {}
    for node in ast.parse(source).body:
        assert isinstance(node, ast.Assign), "the parameters cell holds assignments only"
        assert len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
        name = node.targets[0].id
        assert name not in values, f"{name} is assigned twice"
        values[name] = ast.literal_eval(node.value)
    return values


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.slug)
def test_notebook_parameters_cell_assigns_the_schema_defaults(chapter) -> None:
    cell = parameters_cell(REPO / "notebooks" / chapter.notebook)
    assert cell["cell_type"] == "code"
    assert "remove-cell" in cell["metadata"]["tags"]
    assert assigned("".join(cell["source"])) == P.defaults(chapter), (
        f"run 'planbook params {chapter.slug} --write' to write the cell from the schema"
    )


def test_baseline_scenario_restates_every_default() -> None:
    doc = yaml.safe_load((REPO / "scenarios" / "baseline.yml").read_text(encoding="utf-8"))
    doc.pop("description")
    assert set(doc) == {c.slug for c in CHAPTERS}, "one section per chapter"
    for chapter in CHAPTERS:
        assert doc[chapter.slug] == P.defaults(chapter), chapter.slug
    assert P.load_scenario("baseline", REPO / "scenarios").settings == doc


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.slug)
def test_generated_cell_assigns_the_defaults_in_schema_order(chapter) -> None:
    source = P.parameters_cell(chapter)
    assert source.startswith("# ") and f"planbook run {chapter.slug}" in source
    values = assigned(source)
    assert values == P.defaults(chapter)
    assert list(values) == list(P.schema_for(chapter).model_fields)


@pytest.mark.skipif(not RUFF.is_file(), reason="ruff is not installed next to python")
@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.slug)
def test_generated_cell_is_formatted_and_lint_free(chapter) -> None:
    source = P.parameters_cell(chapter) + "\n"
    args = ["--stdin-filename", "cell.py", "-"]
    fmt = subprocess.run(
        [RUFF, "format", *args], input=source, capture_output=True, text=True, cwd=REPO
    )
    assert fmt.returncode == 0 and fmt.stdout == source, fmt.stdout + fmt.stderr
    lint = subprocess.run(
        [RUFF, "check", "--quiet", *args], input=source, capture_output=True, text=True, cwd=REPO
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr


def test_literals_keep_text_lists_and_none() -> None:
    assert literal("auto") == '"auto"'
    assert literal(None) == "None"
    assert literal(["a", "b"]) == '["a", "b"]'
    assert literal(False) == "False" and literal(2.0) == "2.0"


def test_write_rewrites_only_the_parameters_cell(tmp_path: Path) -> None:
    chapter = get_chapter("market")
    notebook = tmp_path / chapter.notebook
    shutil.copy(REPO / "notebooks" / chapter.notebook, notebook)
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
    cell["source"] = ["confidence = 0.8\n", "extra = 1"]
    notebook.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert P.write_parameters_cell(notebook, chapter) is True
    after = json.loads(notebook.read_text(encoding="utf-8"))
    cell = next(c for c in after["cells"] if "parameters" in c["metadata"].get("tags", []))
    assert "".join(cell["source"]) == P.parameters_cell(chapter)
    others = [c for c in after["cells"] if c is not cell]
    assert others == [c for c in nb["cells"] if "parameters" not in c["metadata"].get("tags", [])]
    text = notebook.read_text(encoding="utf-8")
    assert P.write_parameters_cell(notebook, chapter) is False
    assert notebook.read_text(encoding="utf-8") == text


def test_write_refuses_a_notebook_without_one_parameters_cell(tmp_path: Path) -> None:
    notebook = tmp_path / "x.ipynb"
    notebook.write_text(json.dumps({"cells": [], "metadata": {}}), encoding="utf-8")
    with pytest.raises(InputError, match="0 cells tagged 'parameters'"):
        P.write_parameters_cell(notebook, "market")


def test_cli_prints_and_writes_the_cells(tmp_path: Path) -> None:
    printed = planbook("params", "implementation", "--cell", root=REPO)
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.rstrip("\n") == P.parameters_cell("implementation")
    root = tmp_path / "book"
    shutil.copytree(REPO / "notebooks", root / "notebooks")
    shutil.copytree(REPO / "data", root / "data")
    target = root / "notebooks" / CHAPTERS[0].notebook
    nb = json.loads(target.read_text(encoding="utf-8"))
    parameters_cell(target)  # exactly one
    for c in nb["cells"]:
        if "parameters" in c["metadata"].get("tags", []):
            c["source"] = ["forecast_horizon = 9"]
    target.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    wrote = planbook("params", "all", "--write", root=root)
    assert wrote.returncode == 0, wrote.stderr
    assert f"{CHAPTERS[0].notebook}: parameters cell rewritten" in wrote.stdout
    assert wrote.stdout.count("\n") == len(CHAPTERS)
    for chapter in CHAPTERS:
        cell = parameters_cell(root / "notebooks" / chapter.notebook)
        assert "".join(cell["source"]) == P.parameters_cell(chapter)
    again = planbook("params", "all", "--write", root=root)
    assert again.stdout.count("already equal to the schema") == len(CHAPTERS)


# --------------------------------------------------------------------------- shared groups

SHARED = {
    "rate_tolerance_pp": P.RateTolerance,
    "level_tolerance_pct": P.LevelTolerance,
    "forecast_method": P.ForecastMethodSetting,
    "confidence": P.ConfidenceSetting,
    "history_start": P.HistoryStartSetting,
    "draws": P.DrawsSetting,
    "seed": P.SeedSetting,
}


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda c: c.slug)
def test_shared_parameters_come_from_their_group(chapter) -> None:
    """A schema that takes a shared parameter inherits it (restating only differences)."""
    schema = P.schema_for(chapter)
    for name, group in SHARED.items():
        if name in schema.model_fields:
            assert issubclass(schema, group), f"{schema.__name__}.{name}: inherit {group.__name__}"


def test_like_changes_only_what_it_names() -> None:
    base = P.SeedSetting.model_fields["seed"]
    field = P.like(P.SeedSetting, "seed", le=None, unit="seed")
    assert field.default == base.default and field.description == base.description
    assert [type(m).__name__ for m in field.metadata] == ["Ge"]
    assert field.json_schema_extra == {"unit": "seed"}
    with pytest.raises(TypeError, match="cannot change"):
        P.like(P.SeedSetting, "seed", colour="red")


# --------------------------------------------------------------------------- risk register


def test_risk_scores_are_generated_from_the_register() -> None:
    rows = read_register(REPO / "data")
    fields = P.schema_for("risk").model_fields
    scores = [n for n in fields if n.startswith(("likelihood_", "impact_"))]
    assert scores == [f"{k}_{r.key}" for r in rows for k in ("likelihood", "impact")]
    for row in rows:
        for kind, default, reason in (
            ("likelihood", row.likelihood, row.likelihood_reason),
            ("impact", row.impact, row.impact_reason),
        ):
            info = fields[f"{kind}_{row.key}"]
            assert (info.default, info.description) == (default, reason)
            assert info.json_schema_extra == {"unit": "score 1-5"}
    assert P.schema_for("risk") is P.RiskParams  # one class for one register
