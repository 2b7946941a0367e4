"""The key-number table and the book's coherence rules, on small synthetic notebooks."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from planbook.data.periods import DAYS_PER_MONTH, DAYS_PER_YEAR, HOURS_PER_YEAR
from planbook.data.plan import UNITS
from planbook.engine import key_numbers as K
from planbook.engine.glued import RECORD
from planbook.errors import DataFileError

UNITS_TABLE = pd.DataFrame(
    {
        "pattern": ["tv_2023", "ch[0-9]_audit_*", "n_*", "*_pct"],
        "unit": ["trillion_yuan", "count", "count", "percent"],
        "description": ["exact", "audit", "counts", "percent"],
    }
)


def glue_output(name: str, value: object) -> dict:
    """One output as myst-nb's ``glue`` writes it (a number as its repr)."""
    return {
        "output_type": "display_data",
        "metadata": {"scrapbook": {"name": name, "mime_prefix": RECORD}},
        "data": {f"{RECORD}text/plain": repr(value)},
    }


def notebook(values: dict[str, object]) -> dict:
    outputs = [glue_output(k, v) for k, v in values.items()]
    return {"cells": [{"cell_type": "code", "source": "", "outputs": outputs}], "metadata": {}}


def write_notebook(path: Path, values: dict[str, object]) -> Path:
    path.write_text(json.dumps(notebook(values)), encoding="utf-8")
    return path


def test_unit_of_takes_the_first_matching_pattern() -> None:
    assert K.unit_of("tv_2023", UNITS_TABLE) == "trillion_yuan"
    assert K.unit_of("ch4_audit_n", UNITS_TABLE) == "count"
    assert K.unit_of("n_claims", UNITS_TABLE) == "count"
    assert K.unit_of("holds_pct", UNITS_TABLE) == "percent"
    assert K.unit_of("tv_2024", UNITS_TABLE) == ""  # no pattern: no declared unit
    assert K.unit_of("N_CLAIMS", UNITS_TABLE) == ""  # case-sensitive


def test_key_numbers_keeps_numbers_only_with_unit_and_chapter() -> None:
    values = {
        "market": {"tv_2023": 47.8, "n_claims": 60, "flag": True, "method": "naive"},
        "goals": {"n_claims": 71, "ratio_pct": 12.5},
    }
    table = K.key_numbers(values, UNITS_TABLE)
    assert list(table.columns) == ["name", "value", "unit", "chapter"]
    assert table.to_dict("records") == [
        {"name": "tv_2023", "value": 47.8, "unit": "trillion_yuan", "chapter": "market"},
        {"name": "n_claims", "value": 60.0, "unit": "count", "chapter": "market"},
        {"name": "n_claims", "value": 71.0, "unit": "count", "chapter": "goals"},
        {"name": "ratio_pct", "value": 12.5, "unit": "percent", "chapter": "goals"},
    ]


def test_key_numbers_of_nothing_is_an_empty_table() -> None:
    table = K.key_numbers({"market": {"text": "only words"}})
    assert table.empty and list(table.columns) == K.COLUMNS


def test_name_conflicts_lists_a_name_with_two_numbers() -> None:
    values = {
        "market": {"n_claims": 60, "level_tol": 2.0, "gap": math.nan},
        "goals": {"n_claims": 71, "level_tol": 2.0, "gap": math.nan},
        "audit": {"n_claims": 60, "level_tol": 2.0 + 1e-13},
    }
    conflicts = K.name_conflicts(K.key_numbers(values))
    assert conflicts["name"].tolist() == ["n_claims"]
    assert conflicts.loc[0, "n_values"] == 2
    assert conflicts.loc[0, "chapters"] == "market=60; goals=71; audit=60"


def test_same_value_treats_nan_as_one_value_and_numbers_by_relative_tolerance() -> None:
    assert K.same_value(math.nan, math.nan)
    assert not K.same_value(math.nan, 1.0)
    assert K.same_value(287.292, 287.292 * (1 + 1e-12))
    assert not K.same_value(287.6, 287.3)
    assert not K.same_value(365.0, 365.25)


def test_check_pairs_marks_equal_differ_and_missing() -> None:
    table = K.key_numbers(
        {
            "market": {"online_fc_median": 15.9722, "days": 365},
            "methods": {"ex_median": 15.9722, "years_days": 365.25},
            "risk": {"avoided": 287.6, "avoided_full": 287.3},
        }
    )
    pairs = pd.DataFrame(
        [
            ("median", "market", "online_fc_median", "methods", "ex_median", "n"),
            ("days", "market", "days", "methods", "years_days", "n"),
            ("loss", "risk", "avoided", "risk", "avoided_full", "n"),
            ("gone", "market", "online_fc_median", "methods", "no_such_name", "n"),
        ],
        columns=["fact", "chapter_a", "name_a", "chapter_b", "name_b", "note"],
    )
    checked = K.check_pairs(table, pairs)
    assert checked["status"].tolist() == ["equal", "differ", "differ", "missing"]
    assert checked.loc[1, "value_a"] == 365.0 and checked.loc[1, "value_b"] == 365.25
    assert math.isnan(checked.loc[3, "value_b"])


def test_chapter_values_reads_notebooks_by_chapter_slug(tmp_path: Path) -> None:
    write_notebook(tmp_path / "01_market_background.ipynb", {"tv_2023": 47.8, "n": 3})
    write_notebook(tmp_path / "99_extra.ipynb", {"x_pct": 1.5})
    values = K.chapter_values(tmp_path)
    assert values == {"market": {"tv_2023": 47.8, "n": 3}, "99_extra": {"x_pct": 1.5}}
    table = K.book_key_numbers(tmp_path, UNITS_TABLE)
    assert table.set_index("name").loc["x_pct", "unit"] == "percent"


def test_the_book_tables_load_and_every_pair_names_two_units_alike() -> None:
    units, pairs = K.load_units(), K.load_same_facts()
    assert len(pairs) >= 30
    assert not pairs.duplicated(["chapter_a", "name_a", "chapter_b", "name_b"]).any()
    for row in pairs.itertuples():
        unit_a, unit_b = K.unit_of(row.name_a, units), K.unit_of(row.name_b, units)
        assert unit_a and unit_a == unit_b, (row.fact, unit_a, unit_b)


def test_a_broken_units_table_is_one_line_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "book").mkdir()
    path = tmp_path / "book" / "units.csv"
    path.write_text("pattern,unit\nn_*,count\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="units.csv"):
        K.load_units(tmp_path)
    path.write_text("pattern,unit,description\nn_*,count,counts\nn_*,days,twice\n")
    with pytest.raises(DataFileError, match="row 3.*duplicate"):
        K.load_units(tmp_path)


def test_one_day_count_convention() -> None:
    from planbook.engine.params import ImplementationParams
    from planbook.methods.models import availability, inventory

    assert DAYS_PER_YEAR == 365 and HOURS_PER_YEAR == 8760
    assert UNITS["years"][1] == DAYS_PER_YEAR * 86400.0
    assert UNITS["months"][1] == DAYS_PER_MONTH * 86400.0 == UNITS["years"][1] / 12
    assert inventory.DAYS_PER_YEAR == DAYS_PER_YEAR
    assert availability.HOURS_PER_YEAR == HOURS_PER_YEAR
    assert ImplementationParams.model_fields["days_per_year"].default == DAYS_PER_YEAR


def test_numbers_command_without_a_built_book_is_one_line(tmp_path: Path) -> None:
    from conftest import planbook

    result = planbook("numbers", root=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "run 'planbook build' first" in result.stderr
