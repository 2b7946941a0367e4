"""``planbook compare``: every glued number under several scenarios, side by side."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest
from conftest import planbook

from planbook.engine.compare import compare_table, same, shown, write_csv
from planbook.engine.registry import CHAPTERS

A, B = CHAPTERS[0], CHAPTERS[-1]


def test_same_compares_numbers_with_tolerance_and_text_exactly() -> None:
    assert same(1.0, 1.0 + 1e-13) and not same(1.0, 1.001)
    assert same(2, 2.0) and same(math.nan, math.nan) and not same(math.nan, 1.0)
    assert same("within rounding", "within rounding") and not same("a", "b")
    assert not same(1.0, "1.0") and not same(None, 0) and same(None, None)
    assert not same(True, False)


def test_table_lines_up_keys_and_flags_differences(tmp_path: Path) -> None:
    values = {
        "low": {A: {"x": 1.0, "label": "low"}, B: {"n": 3}},
        "high": {A: {"x": 2.0, "label": "low", "extra": 5.0}, B: {"n": 3}},
    }
    table = compare_table(values)
    assert list(table.columns) == ["chapter", "name", "key", "low", "high", "differs"]
    assert table[["name", "key"]].values.tolist() == [
        [A.slug, "x"],
        [A.slug, "label"],
        [A.slug, "extra"],
        [B.slug, "n"],
    ]
    assert table["differs"].tolist() == [True, False, True, False]
    assert table.loc[2, "low"] is None  # a key one scenario did not glue
    path = write_csv(table, tmp_path / "out" / "cmp.csv")
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert rows[0] == {
        "chapter": str(A.number),
        "name": A.slug,
        "key": "x",
        "low": "1.0",
        "high": "2.0",
        "differs": "true",
    }


@pytest.mark.parametrize(
    ("value", "text"),
    [(1.23456789, "1.23457"), (12, "12"), (None, "-"), (True, "True"), ("a\nb", "a b")],
)
def test_shown(value: object, text: str) -> None:
    assert shown(value) == text
    assert len(shown("x" * 100, width=10)) == 10


def test_bad_scenario_names_are_one_line(repo: Path) -> None:
    for args in (["nope"], ["baseline", "baseline"], []):
        result = planbook("compare", *args, root=repo)
        assert result.returncode == 2, result.stdout + result.stderr
        [line] = result.stderr.strip().splitlines()
        assert line.startswith("error: ") and "Traceback" not in result.stderr
        assert "running" not in result.stdout


@pytest.mark.slow
def test_compare_scenarios_through_the_cache(book_copy: Path, tmp_path: Path) -> None:
    low, high = tmp_path / "low.yml", tmp_path / "high.yml"
    low.write_text("market:\n  confidence: 0.8\n", encoding="utf-8")
    high.write_text("market:\n  confidence: 0.95\n", encoding="utf-8")
    out = tmp_path / "cmp.csv"
    result = planbook("compare", "baseline", str(low), str(high), "--csv", str(out), root=book_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    # baseline is the defaults: every chapter comes from the cache; low and high differ
    # from it in chapter 1 only, which runs once each
    assert result.stdout.count("running") == 2, result.stdout
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert set(rows[0]) == {"chapter", "name", "key", "baseline", "low", "high", "differs"}
    level = next(r for r in rows if r["name"] == "market" and r["key"] == "level_pct")
    assert (level["baseline"], level["low"], level["high"], level["differs"]) == (
        "90.0",
        "80.0",
        "95.0",
        "true",
    )
    assert all(r["differs"] == "false" for r in rows if r["name"] != "market")
    glued = {r["name"] for r in rows}
    assert glued <= {c.slug for c in CHAPTERS} and "market" in glued
    shown_row = next(line for line in result.stdout.splitlines() if " level_pct " in line)
    assert shown_row.lstrip().startswith("*")
    assert (book_copy / "_build/scenarios/low/chapters/01_market_background.ipynb").is_file()
    again = planbook("compare", str(low), str(high), root=book_copy)
    assert again.returncode == 0 and "running" not in again.stdout
