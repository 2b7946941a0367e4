"""The command line: listing, parameters, and every bad input refused before any kernel starts.

Each bad input must give exit code 2, exactly one line on stderr that names the input and
the fix, and leave the executed notebooks and the site exactly as they were.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import planbook, snapshot


def test_list_shows_every_chapter(repo: Path) -> None:
    result = planbook("list", root=repo)
    assert result.returncode == 0
    assert "market" in result.stdout and "01_market_background.ipynb" in result.stdout


@pytest.mark.parametrize("name", ["market", "1", "01"])
def test_params_by_name_or_number(repo: Path, name: str) -> None:
    result = planbook("params", name, root=repo)
    assert result.returncode == 0, result.stderr
    for text in ("forecast_horizon", "confidence", "1 to 10", "0.5 to 0.99", "years", "fraction"):
        assert text in result.stdout


BAD_INPUTS = [
    (["run", "markte"], ["unknown chapter 'markte'", "did you mean 'market'"]),
    (["params", "99"], ["unknown chapter '99'", "planbook list"]),
    (
        ["run", "market", "--set", "confidense=0.9"],
        ["unknown parameter 'confidense'", "did you mean 'confidence'", "forecast_horizon"],
    ),
    (["run", "market", "--set", "confidence=high"], ["confidence=high", "must be a number"]),
    (["run", "market", "--set", "confidence=1.5"], ["confidence=1.5", "at most 0.99"]),
    (["run", "market", "--set", "forecast_horizon=-1"], ["forecast_horizon", "at least 1"]),
    (["run", "market", "--set", "forecast_horizon=2.5"], ["whole number"]),
    (["run", "market", "--set", "forecast_method=magic"], ["forecast_method", "auto, naive"]),
    (["run", "market", "--set", "confidence"], ["expected name=value"]),
    (["build", "--set", "confidence=0.8"], ["name the chapter", "market.confidence=0.8"]),
    (["build", "--set", "market.confidence=2"], ["at most 0.99"]),
    (["build", "--scenario", "nope"], ["scenario 'nope'", "not found", "baseline"]),
    (
        ["build", "--with-scenarios", "--scenario", "baseline"],
        ["--with-scenarios", "drop --scenario"],
    ),
    # usage errors: one line too, not click's boxed message
    (["build", "--bogus"], ["No such option: --bogus", "planbook build --help"]),
    (["run"], ["Missing argument 'chapters'"]),
    (["params"], ["Missing argument 'chapter'"]),
    (["build", "--jobs", "0"], ["'--jobs'", "greater than or equal to 1"]),
    (["build", "--timeout", "soon"], ["'--timeout'"]),
    (["frobnicate"], ["No such command 'frobnicate'"]),
    (["compare", "baseline", "nope"], ["scenario 'nope'", "not found"]),
]


@pytest.mark.slow
@pytest.mark.parametrize(("args", "expected"), BAD_INPUTS, ids=lambda a: " ".join(a))
def test_bad_input_is_refused_with_one_line(
    built_book: Path, args: list[str], expected: list[str]
) -> None:
    before = snapshot(built_book)
    result = planbook(*args, root=built_book)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    for text in expected:
        assert text in lines[0]
    assert "Traceback" not in result.stdout + result.stderr
    assert "running" not in result.stdout  # no kernel was started
    assert snapshot(built_book) == before


SCENARIOS = {
    "not_yaml.yml": ("market: [unclosed\n", ["not valid YAML", "line"]),
    "list.yml": ("- a\n- b\n", ["expected a mapping"]),
    "unknown_chapter.yml": ("marketing:\n  confidence: 0.9\n", ["unknown chapter 'marketing'"]),
    "unknown_param.yml": ("market:\n  confidense: 0.9\n", ["market.confidense", "did you mean"]),
    "wrong_type.yml": ("market:\n  confidence: high\n", ["market.confidence", "must be a number"]),
    "out_of_range.yml": ("market:\n  forecast_horizon: -3\n", ["at least 1"]),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_bad_scenario_file_is_refused(built_book: Path, tmp_path: Path, name: str) -> None:
    text, expected = SCENARIOS[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    before = snapshot(built_book)
    result = planbook("build", "--scenario", str(path), root=built_book)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    for text in expected:
        assert text in lines[0], lines[0]
    assert snapshot(built_book) == before


C1_2_01 = "C1.2-01,1,1.2,ecommerce_transaction_volume,industry,2023,actual,"
"""The start of claim C1.2-01 (row 7 of claims.csv), up to its value."""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("relpath", "edit", "expected"),
    [
        (
            "data/plan/claims.csv",
            lambda t: t.replace(
                "C1.2-01,1,1.2,ecommerce_transaction_volume,industry,2023,actual,47.8",
                "C1.2-01,1,1.2,ecommerce_transaction_volume,industry,2023,actual,lots",
            ),
            ["data/plan/claims.csv", "row 7", "'value'"],
        ),
        (
            "data/plan/claims.csv",
            lambda t: t.replace(",percent,", ",parsecs,", 1),
            ["data/plan/claims.csv", "row ", "column 'unit'", "parsecs"],
        ),
        (
            "data/official/online_retail_sales.csv",
            lambda t: t.replace(",2.7898,", ",lots,", 1),
            ["data/official/online_retail_sales.csv", "row 3", "column 'value'"],
        ),
        (
            "data/official/online_retail_sales.csv",
            lambda t: t.replace(",trillion_yuan,", ",parsecs,", 1),
            ["data/official/online_retail_sales.csv", "row 2", "column 'unit'"],
        ),
        (
            "data/official/online_retail_sales.csv",
            lambda t: t.replace("status,", "", 1),
            ["data/official/online_retail_sales.csv", "row 1", "column 'status'", "missing"],
        ),
        (
            "data/plan/sections.csv",
            lambda t: t.replace("title_zh,", "", 1),
            ["data/plan/sections.csv", "missing column 'title_zh'"],
        ),
        (
            "data/plan/claims.csv",
            lambda t: t.replace(C1_2_01 + "47.8,", C1_2_01 + "nan,", 1),
            ["data/plan/claims.csv", "row 7,", "column 'value'", "nan"],
        ),
        (
            "data/plan/claims.csv",
            lambda t: t.replace(C1_2_01 + "47.8,", C1_2_01 + "-inf,", 1),
            ["data/plan/claims.csv", "row 7,", "column 'value'", "finite"],
        ),
        (
            "data/plan/claims.csv",
            lambda t: t.replace(C1_2_01 + "47.8,", C1_2_01 + "-47.8,", 1),
            ["data/plan/claims.csv", "row 7,", "column 'value'", "below 0", "trillion_yuan"],
        ),
        (
            "data/plan/claims.csv",
            lambda t: t.replace(C1_2_01 + "47.8,", C1_2_01 + ",", 1),
            ["data/plan/claims.csv", "row 7,", "column 'value'", "empty"],
        ),
        (
            "data/plan/claims.csv",
            lambda t: t.split("\n", 1)[0] + "\n",
            ["data/plan/claims.csv", "row 2", "no rows below the header"],
        ),
        (
            "data/official/online_retail_sales.csv",
            lambda t: t.replace(",2.7898,", ",NaN,", 1),
            ["data/official/online_retail_sales.csv", "row 3,", "column 'value'"],
        ),
        (
            "data/plan/risks.csv",
            lambda t: t.replace(',4,"Overstock: likely', ',1e309,"Overstock: likely', 1),
            ["data/plan/risks.csv", "row 2,", "column 'likelihood'", "whole number"],
        ),
        (
            "data/plan/glossary.csv",
            lambda t: t.split("\n", 1)[0] + "\n",
            ["data/plan/glossary.csv", "row 2", "no rows below the header"],
        ),
    ],
    ids=[
        "bad value",
        "wrong unit",
        "official bad value",
        "official wrong unit",
        "official missing column",
        "missing column",
        "nan value",
        "infinite value",
        "negative level",
        "empty value",
        "header only",
        "official nan",
        "huge score",
        "glossary header only",
    ],
)
def test_broken_data_file_is_refused_before_running(
    book_copy: Path, relpath: str, edit, expected: list[str]
) -> None:
    path = book_copy / relpath
    original = path.read_text(encoding="utf-8")
    path.write_text(edit(original), encoding="utf-8")
    assert path.read_text(encoding="utf-8") != original  # the edit applied
    before = snapshot(book_copy)
    result = planbook("build", root=book_copy)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "running" not in result.stdout  # refused before any chapter runs
    line = result.stderr.strip()
    assert "\n" not in line and line.startswith("error: ")
    for text in expected:
        assert text in line, line
    assert snapshot(book_copy) == before
