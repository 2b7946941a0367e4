"""The primary statistical sources and the "data as of" stamp (data/official/publications.csv)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from planbook.chapters.data_sources import official_rows
from planbook.chapters.data_sources.primary import (
    PRIMARY_COLUMNS,
    copy_link,
    data_as_of,
    period_end,
    period_words,
    primary_sources,
)
from planbook.chapters.data_sources.tables import load_all
from planbook.data.official_models import SERIES_TABLE
from planbook.data.publications import load_publications
from planbook.errors import DataFileError, InputError
from planbook.paths import default_data_dir

DATA = default_data_dir()
BIB = DATA.parent / "book" / "references.bib"


def rows_frame(rows: list[tuple[str, str, str, bool, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        rows,
        columns=[
            "series",
            "period",
            "measure",
            "preferred",
            "source_date",
            "source",
            "source_name",
        ],
    )


HAND = rows_frame(
    [
        ("a", "2023", "level", True, "2024-01-17", "page https://x.org/1 (NBS)", "x.org"),
        ("a", "2024", "level", True, "2025-01-18", "page https://y.org/2 (NBS)", "y.org"),
        ("a", "2024", "yoy_pct", True, "2025-02-01", "page https://z.org/3", "z.org"),
        ("a", "2024", "level", False, "2026-03-01", "page https://w.org/4", "w.org"),
        ("b", "2025-06", "level", True, "", "GitHub file quoting https://gov.cn/5", "GitHub file"),
    ]
)
PUBS = pd.DataFrame(
    {
        "series": ["a", "b"],
        "publisher": ["NBS", "GAC"],
        "publication": ["Monthly release", "Press conference"],
        "note": ["", "half-year figure"],
    }
)


def test_periods_in_words() -> None:
    assert period_end("2025") == (2025, 12) and period_end("2020-03") == (2020, 3)
    assert period_words("2025") == "2025" and period_words("2020-03") == "March 2020"
    with pytest.raises(InputError, match="YYYY"):
        period_end("2025Q1")


def test_stamp_by_hand() -> None:
    stamp = data_as_of(HAND)
    # a year ends in December: 2024 is later than nothing but 2025-06 is the latest period;
    # the latest source date counts every row, alternatives included
    assert (stamp.period, stamp.period_text, stamp.source_date) == (
        "2025-06",
        "June 2025",
        "2026-03-01",
    )
    with pytest.raises(InputError, match="preferred"):
        data_as_of(HAND.assign(preferred=False))


def test_primary_sources_by_hand() -> None:
    table = primary_sources(HAND, PUBS, {"a": "Series A"})
    assert list(table.columns) == list(PRIMARY_COLUMNS)
    nbs = table.set_index("publisher").loc["NBS"]
    assert (nbs["series"], nbs["periods"], nbs["latest_period"]) == (
        "Series A",
        "2023-2024",
        "2024",
    )
    # the latest level before the rate of the same period; alternatives never count
    assert (nbs["latest_release"], nbs["values"]) == ("2025-02-01", 3)
    assert (nbs["read_at"], nbs["link_used"]) == ("y.org", "https://y.org/2")
    gac = table.set_index("publisher").loc["GAC"]
    assert (gac["series"], gac["latest_period"], gac["latest_release"]) == ("b", "June 2025", "")
    assert gac["link_used"] == "" and gac["note"] == "half-year figure"


def test_copy_link() -> None:
    assert copy_link("GitHub a/b x.js", "github.com/a/b") == "https://github.com/a/b"
    assert copy_link("GitHub file quoting https://gov.cn/5", "GitHub file") == ""
    assert copy_link("page https://x.org/1), more", "x.org") == "https://x.org/1"


@pytest.fixture(scope="module")
def real() -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = official_rows(load_all())
    return rows, primary_sources(rows, load_publications())


def test_stamp_and_sources_on_the_real_tables(real) -> None:
    rows, table = real
    stamp = data_as_of(rows)
    assert (stamp.period_text, stamp.source_date) == ("December 2025", "2026-03-01")
    assert int(table["values"].sum()) == int(rows["preferred"].sum())
    assert table["publisher"].nunique() == 5 and len(table) == 6
    assert (table["latest_release"] <= stamp.source_date).all()
    nbs = table[table["publisher"].str.contains("NBS")].iloc[0]
    assert nbs["periods"] == "2012-2025" and nbs["latest_release"] == "2026-01-19"


def test_every_series_has_one_publication() -> None:
    pubs = load_publications()
    assert sorted(pubs["series"]) == sorted(SERIES_TABLE)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda t: t.replace("online_shoppers_interim,", "online_shopperz,", 1), "no series"),
        (lambda t: "\n".join(t.splitlines()[:-1]) + "\n", "no row for series"),
        (  # one of CNNIC's two rows gets another page
            lambda t: t.replace(
                "https://www.cnnic.net.cn/,cnnic_statistical_report,The March",
                "https://cnnic.example/,cnnic_statistical_report,The March",
            ),
            "differ",
        ),
    ],
)
def test_a_broken_publications_file_is_refused(tmp_path: Path, mutate, message) -> None:
    (tmp_path / "official").mkdir()
    text = (DATA / "official" / "publications.csv").read_text(encoding="utf-8")
    (tmp_path / "official" / "publications.csv").write_text(mutate(text), encoding="utf-8")
    with pytest.raises(DataFileError, match=message):
        load_publications(tmp_path)


def test_bibliography_years_are_the_latest_releases_read(real) -> None:
    _, table = real
    pubs = load_publications()
    bib = BIB.read_text(encoding="utf-8")
    years = {
        key: int(year)
        for key, year in re.findall(r"@misc\{(\w+),.*?year\s*=\s*\{(\d{4})\}", bib, flags=re.S)
    }
    latest = table.merge(pubs[["publisher", "publication", "reference"]].drop_duplicates())
    for reference, group in latest.groupby("reference"):
        assert reference in years, f"book/references.bib has no entry {reference}"
        assert years[reference] == int(max(group["latest_release"])[:4]), reference
