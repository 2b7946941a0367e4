"""The glossary page's result: its numbers by name, on the real glossary."""

from __future__ import annotations

import pytest

from planbook.chapters import glossary as G
from planbook.data import plan as D
from planbook.data.glossary import load_glossary
from planbook.engine.params import GlossaryParams


@pytest.fixture(scope="module")
def page() -> G.GlossaryPage:
    return G.compute(GlossaryParams(), D.load_sections(), load_glossary())


def test_numbers_are_the_page_numbers(page) -> None:
    # the values the page glued before the chapter computed them (default parameters)
    assert (page.n_terms, page.n_chapters, page.n_sections_used) == (99, 9, 36)
    assert page.order_text.startswith("by the plan chapter")
    assert (page.most_new_chapter, page.most_new_count) == (1, 38)
    assert (page.most_used_chapter, page.most_used_count, page.most_used_introduced) == (1, 38, 38)
    assert (page.densest_section, page.densest_terms) == ("7.1", 18)
    assert page.median_section_terms == 8.0
    assert page.no_text_list == "9.1, 10.1, 10.2, 10.3, 10.4"
    assert (page.top_n, page.top_term_english, page.top_term_sections) == (
        15,
        "conversion rate",
        14,
    )
    assert page.top_mean == pytest.approx(7.866666666666666)
    assert page.median_sections == 2.0


def test_tables_follow_the_parameters() -> None:
    page = G.compute(
        GlossaryParams(sort_by="english", top_terms=5), D.load_sections(), load_glossary()
    )
    assert page.order_text == G.ORDER_TEXTS["english"]
    assert set(page.table.index.get_level_values(0)) == {"All chapters"}
    assert len(page.top) == page.top_n == 5
    assert list(page.presence.index) == list(page.top["label"])


def test_term_label() -> None:
    assert G.term_label("gross merchandise volume", "GMV") == "gross merchandise volume (GMV)"
    assert G.term_label("conversion rate", "轉化率") == "conversion rate"
