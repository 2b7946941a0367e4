"""The built book never disagrees with itself (slow: uses the built book).

Its key numbers (every numeric glued value of every chapter, see
:mod:`planbook.engine.key_numbers`) obey two rules: a name means one number wherever it is
glued, and every pair of ``data/book/same_facts.csv`` (one fact stated under two names)
is equal.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planbook.engine import key_numbers as K
from planbook.engine.registry import CHAPTERS


@pytest.fixture(scope="module")
def key_table(built_book: Path):
    units = K.load_units(built_book / "data")
    return K.book_key_numbers(built_book / "book" / "chapters", units)


@pytest.mark.slow
def test_every_chapter_has_key_numbers(key_table) -> None:
    assert set(key_table["chapter"]) == {c.slug for c in CHAPTERS}
    assert (key_table["unit"] != "").mean() > 0.5  # most numbers have a declared unit


@pytest.mark.slow
def test_one_name_means_one_number(key_table) -> None:
    conflicts = K.name_conflicts(key_table)
    assert conflicts.empty, "names glued with different numbers:\n" + conflicts.to_string()


@pytest.mark.slow
def test_every_same_fact_pair_is_equal(key_table, built_book: Path) -> None:
    pairs = K.load_same_facts(built_book / "data")
    assert len(pairs) >= 30
    checked = K.check_pairs(key_table, pairs)
    bad = checked[checked["status"] != "equal"]
    shown = ["fact", "chapter_a", "name_a", "value_a", "chapter_b", "name_b", "value_b", "status"]
    assert bad.empty, "same facts stated differently:\n" + bad[shown].to_string()
