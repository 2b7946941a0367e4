"""The data-sources page's result: its numbers by name, on the real tables."""

from __future__ import annotations

import pandas as pd
import pytest

from planbook.chapters import data_sources as S
from planbook.data import plan as D
from planbook.engine.params import DataSourcesParams


@pytest.fixture(scope="module")
def page() -> S.DataSources:
    return S.compute(DataSourcesParams(), D.load_claims(), D.load_sections())


def test_official_numbers_are_the_page_numbers(page) -> None:
    # the values the page glued before the chapter computed them (default parameters)
    # issue 14 (additions merged, source quality): 642 -> 673 rows, 113 -> 122 sources,
    # 551 -> 557 keys, 37 -> 36 flagged, 91 -> 116 alternatives
    assert (page.n_official_tables, page.n_official_rows, page.n_source_names) == (10, 673, 122)
    assert (page.top_source, page.top_source_rows) == ("github.com/liunian/liunian.github.io", 140)
    assert page.top_source_share == pytest.approx(20.802377414561665)
    assert (page.n_preferred, page.n_flagged, page.n_alternatives) == (557, 36, 116)
    assert (page.n_same, page.n_rounded, page.n_differing) == (63, 40, 13)
    assert (page.n_explicit, page.n_unstated, page.n_keys_checked) == (4, 0, 557)
    assert (page.check_preferred, page.check_linked, page.check_reasons) == ("holds",) * 3


def test_quality_vintage_and_breaks_are_the_page_numbers(page) -> None:
    assert page.vintage == "2026-03-01"
    counts = (page.n_primary, page.n_official_media, page.n_secondary_copy, page.n_weak)
    assert counts == (5, 49, 122, 381) and sum(counts) == page.n_preferred
    assert (page.n_single, page.n_weak_single, page.n_replaced) == (471, 342, 38)
    assert (page.n_breaks, page.break_kinds) == (
        8,
        "1 level shift, 4 definition changes, 3 unverified figures",
    )
    assert len(page.breaks) == page.n_breaks and len(page.replaced) == page.n_replaced
    assert int(page.quality["preferred"].sum()) == page.n_preferred


def test_claims_numbers_are_the_page_numbers(page) -> None:
    assert (page.n_claims, page.n_targets, page.n_case, page.n_actual) == (458, 208, 122, 120)
    assert page.target_share == pytest.approx(208 / 458 * 100)
    assert (page.busiest_chapter, page.busiest_count, page.n_empty_sections) == (3, 71, 5)
    assert page.empty_list.startswith("9.1 (empty), 10.1 (missing)")


def test_tables_agree_with_the_counts(page) -> None:
    assert page.n_csv_files == len(page.inventory) == len(page.table_rows)
    rows = page.table_rows
    assert int(rows[["used", "kept"]].sum().sum()) == page.n_rows_all
    assert int(rows["kept"].sum()) == page.n_alternatives
    assert rows.loc["plan/claims.csv", "kind"] == "plan"
    assert rows.loc["official/raw/official_stats.csv", "kind"] == "raw"
    assert len(page.differing) == page.n_differing
    assert len(page.previews) == page.n_csv_files
    assert all(len(p) <= page.show_rows for p in page.previews.values())


def test_previews_and_shorten() -> None:
    frame = pd.DataFrame({"a": ["x" * 40, "short"]})
    shown = S.result.previews({"t.csv": frame}, 1)
    assert list(shown) == ["data/t.csv (2 rows)"]
    assert shown["data/t.csv (2 rows)"].loc[0, "a"] == "x" * 27 + "\u2026"
    assert S.result.previews({"t.csv": frame}, 0) == {}
