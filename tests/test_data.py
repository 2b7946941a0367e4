"""The claims and sections tables: schema on load, access and units."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from planbook.data import plan as D
from planbook.errors import DataFileError

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def claims():
    return D.load_claims(REPO / "data")


def test_sections_cover_the_plan_and_its_gaps() -> None:
    sections = D.load_sections(REPO / "data")
    states = dict(zip(sections["section"], sections["state"], strict=True))
    assert states["9.1"] == "empty" and states["9.4"] == "cut" and states["10.1"] == "missing"
    assert len(sections) == 41


def test_claims_load_with_unique_ids(claims) -> None:
    assert claims["id"].is_unique
    assert set(claims["chapter"]) == set(range(1, 10))
    assert len(claims) >= 400


def test_pick_and_select(claims) -> None:
    row = D.pick(claims, "1.2", "online_retail_sales", "2023")
    assert row["value"] == 14.4 and row["unit"] == "trillion_yuan"
    assert len(D.select(claims, chapter=1, kind="case_study")) > 0
    with pytest.raises(KeyError, match="expected one claim"):
        D.pick(claims, "1.2", "no_such_metric", "2023")


def test_unit_conversion() -> None:
    assert D.convert(5234, "100m_yuan", "trillion_yuan") == pytest.approx(0.5234)
    assert D.convert(2, "hours", "minutes") == pytest.approx(120)
    with pytest.raises(ValueError, match="cannot convert"):
        D.convert(1, "percent", "days")
    with pytest.raises(ValueError, match="unknown unit"):
        D.convert(1, "furlongs", "km")


def _broken_copy(tmp_path: Path, edit) -> Path:
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    path = data / "plan" / "claims.csv"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return data


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace(",actual,47.8,", ",actual,lots,", 1), r"row \d+, column 'value'"),
        (lambda t: t.replace(",actual,", ",rumour,", 1), r"row 2, column 'kind'"),
        (lambda t: t.replace(",percent,", ",parsecs,", 1), r"column 'unit'"),
        (lambda t: t.replace(",1,1.1,", ",1,1.9,", 1), r"row 2, column 'section'"),
        (lambda t: t.replace("C1.1-02,", "C1.1-01,", 1), r"row 3, column 'id': duplicate"),
        (lambda t: t.replace("locator,", "", 1), r"missing column 'locator'"),
    ],
    ids=["number", "kind", "unit", "section", "duplicate id", "missing column"],
)
def test_bad_claims_file_names_file_row_and_column(tmp_path: Path, edit, message: str) -> None:
    data = _broken_copy(tmp_path, edit)
    with pytest.raises(DataFileError, match=message) as info:
        D.load_claims(data)
    assert "claims.csv" in str(info.value)
