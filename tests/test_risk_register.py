"""The risk register (data/plan/risks.csv): schema on load, cross-checks, pandas-free reading."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from planbook.data import plan as D
from planbook.data import risks as RK
from planbook.data.glossary import GlossaryRow
from planbook.data.schema import read_rows, read_table
from planbook.data.validate import validate_all
from planbook.errors import DataFileError

REPO = Path(__file__).resolve().parents[1]


def test_register_loads_with_a_source_for_every_row() -> None:
    table = RK.load_risks(REPO / "data")
    assert len(table) == 12 and table["key"].is_unique
    assert list(dict.fromkeys(table["category"])) == list(RK.CATEGORIES)
    assert list(table["section"]) == sorted(table["section"])
    assert (table["source"] == "plan " + table["section"]).all()


def test_every_cited_claim_is_one_row_of_claims() -> None:
    claims = D.load_claims(REPO / "data")
    for row in RK.read_register(REPO / "data"):
        for spec in RK.specs_of(row.evidence) + RK.specs_of(row.targets):
            assert D.pick(claims, *spec)["section"] == spec[0]


@pytest.mark.parametrize("table", ["sections", "claims", "glossary", "risks"])
def test_read_rows_gives_what_read_table_gives(table: str) -> None:
    """The pandas-free reader and the pandas one agree on every plan table."""
    model = {
        "sections": D.SectionRow,
        "claims": D.ClaimRow,
        "glossary": GlossaryRow,
        "risks": RK.RiskRow,
    }[table]
    path = REPO / "data" / "plan" / f"{table}.csv"
    rows = pd.DataFrame(
        [r.model_dump() for r in read_rows(path, model)], columns=model.model_fields
    )
    pd.testing.assert_frame_equal(rows, read_table(path, model))


def test_the_schema_is_built_without_pandas() -> None:
    code = (
        "import sys\n"
        "from planbook.engine.params import describe\n"
        "assert len(describe('risk')) == 37\n"
        "assert 'pandas' not in sys.modules, 'pandas was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _broken_copy(tmp_path: Path, edit) -> Path:
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    path = data / "plan" / "risks.csv"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return data


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace(",4,", ",7,", 1), r"row 2, column 'likelihood'"),
        (lambda t: t.replace("operational", "weather", 1), r"row 2, column 'category'"),
        (lambda t: t.replace("logistics,", "inventory,", 1), r"row 3, column 'key': duplicate"),
        (lambda t: t.replace(",plan 5.1\n", ",plan 5.2\n", 1), r"row 2.*plan 5.2.*section 5.1"),
        (lambda t: t.replace(",plan 5.1\n", ",someone said\n", 1), r"row 2, column 'source'"),
        (
            lambda t: t.replace("5.1/unsold_rate/", "5.1/unsold_rates/", 1),
            r"row 2, column 'evidence'",
        ),
        (
            lambda t: t.replace("5.1/unsold_rate/current", "5.1 unsold", 1),
            r"row 2, column 'evidence'",
        ),
        (
            lambda t: t.replace(",5.1,", ",5.9,", 1).replace(",plan 5.1\n", ",plan 5.9\n", 1),
            r"row 2, column 'section'",
        ),
        (lambda t: t.replace("impact_reason,", "", 1), r"missing column 'impact_reason'"),
        (lambda t: t + "x,market\n", r"row 14: 2 fields"),
    ],
    ids=[
        "score",
        "category",
        "duplicate key",
        "source section",
        "source",
        "unknown claim",
        "bad spec",
        "section",
        "missing column",
        "short row",
    ],
)
def test_broken_register_names_file_row_and_column(tmp_path: Path, edit, message: str) -> None:
    data = _broken_copy(tmp_path, edit)
    with pytest.raises(DataFileError, match=message) as info:
        validate_all(data)
    assert "risks.csv" in str(info.value)


def test_book_judgement_is_a_source_with_a_reason() -> None:
    row = RK.read_register(REPO / "data")[0].model_dump()
    row["source"] = "book judgement: the plan names it in passing only"
    assert RK.RiskRow.model_validate(row).source.startswith("book judgement")
    with pytest.raises(ValueError, match="source must be"):
        RK.RiskRow.model_validate({**row, "source": "book judgement"})
