"""Every official series says its basis: published levels or shares, or a chain-linked index
of official growth rates; the forecasts' memo keys include it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from planbook import memo as M
from planbook.chapters.methods import growth_by_series, growth_words
from planbook.data import official
from planbook.errors import InputError
from planbook.methods import forecast as F
from planbook.methods import targets as T

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"


def test_a_chain_linked_series_names_the_year_it_meets_the_published_level() -> None:
    index = F.official_series("online_retail_sales", data_dir=DATA)
    published = official.annual_series("online_retail_sales", data_dir=DATA)
    anchor = index.attrs["anchor"]
    assert index.attrs["basis"] == "chain_linked" and index.attrs["measure"] == "level"
    assert index.loc[anchor] == pytest.approx(published.loc[anchor])
    assert index.loc[2023] != pytest.approx(published.loc[2023])  # elsewhere they part
    words = F.basis_words(index)
    assert words == f"chain-linked index of official growth rates, at the {anchor} published level"
    assert F.basis_label("Online retail", index) == f"Online retail ({words})"


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("ecommerce_transaction_volume", "published levels"),
        ("online_share_of_retail", "published shares"),
        ("online_shoppers", "published levels"),
    ],
)
def test_a_series_of_published_figures_says_so(key: str, words: str) -> None:
    series = F.official_series(key, data_dir=DATA)
    assert series.attrs["anchor"] is None
    assert F.basis_words(series) == words


@pytest.mark.parametrize(
    ("table", "measure", "words"),
    [
        ("online_retail_sales", "level", "published levels"),
        ("physical_goods_online_retail", "share_pct", "published shares"),
        ("online_retail_sales", "yoy_pct", "official growth rates"),
    ],
)
def test_the_loaders_tables_say_their_measure(table: str, measure: str, words: str) -> None:
    series = official.annual_series(table, measure, data_dir=DATA)
    assert F.basis_words(series.loc[2020:]) == words  # a slice keeps it


def test_a_series_without_basis_or_measure_is_refused() -> None:
    bare = pd.Series([1.0, 2.0], index=[2020, 2021], name="mystery")
    with pytest.raises(InputError, match="mystery: no basis or measure"):
        F.basis_words(bare)


def test_growth_is_named_by_what_it_is() -> None:
    index = F.official_series("online_retail_sales", data_dir=DATA)
    levels = F.official_series("ecommerce_transaction_volume", data_dir=DATA)
    assert growth_words(index) == "official growth rates"
    assert growth_words(levels) == "growth of published levels"
    labels = list(growth_by_series({"a": index, "b": levels}))
    assert labels[0] == f"Online retail sales: official growth rates (n = {len(index)})"
    assert labels[1].startswith("E-commerce transaction volume: growth of published levels")


def test_the_targets_table_labels_the_series_with_its_basis() -> None:
    levels = F.official_series("online_shoppers", data_dir=DATA)
    assert (
        T._series_label(levels, "online_shoppers") == "Online shoppers (CNNIC) (published levels)"
    )
    plain = pd.Series([1.0, 2.0], index=[2020, 2021])
    plain.attrs = {"label": "Test series"}
    assert T._series_label(plain, "x") == "Test series"  # no basis known: the label alone


def test_the_memo_key_covers_the_attrs() -> None:
    """A memo returns the series it was given with their attrs; a change of attrs (a new
    basis field) must not return the old ones."""
    a = pd.Series([1.0, 2.0], index=pd.Index([2020, 2021], name="year"), name="s")
    b = a.copy()
    b.attrs = {"basis": "levels"}
    assert M.fingerprint({"s": a}, 7) != M.fingerprint({"s": b}, 7)
    assert M.fingerprint({"s": b}, 7) == M.fingerprint({"s": b.copy()}, 7)
