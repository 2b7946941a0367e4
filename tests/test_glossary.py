"""The glossary: schema checks on load, provenance against the plan text, and its views."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from planbook.chapters import glossary as G
from planbook.data import glossary as GD
from planbook.engine.params import GlossaryParams
from planbook.errors import DataFileError, InputError

REPO = Path(__file__).resolve().parents[1]
PLAN_TXT = REPO.parent / "shared" / "plan" / "plan_zh.txt"
GLOSSARY_CSV = REPO / "data" / "plan" / "glossary.csv"
HEADER = "term_zh,pinyin,english,plan_sections,note"

PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]+\)")
TOC_END = "10.4行業協作倡議"  # last table-of-contents entry; the body starts after it
BODY_END = "溫馨提示"  # website boilerplate from here on


@pytest.fixture(scope="module")
def terms() -> pd.DataFrame:
    return GD.load_glossary(REPO / "data")


def data_copy(tmp_path: Path, rows: list[str], header: str = HEADER) -> Path:
    """A fresh copy of data/plan whose glossary holds ``rows`` (CSV lines) under ``header``."""
    dest = Path(tempfile.mkdtemp(dir=tmp_path)) / "data"
    shutil.copytree(REPO / "data" / "plan", dest / "plan")
    (dest / "plan" / "glossary.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return dest


GOOD = "GMV,,gross merchandise volume,1.1; 1.2,Value of goods ordered."


# --------------------------------------------------------------------------- schema


def test_loads_with_sizes_and_derived_columns(terms) -> None:
    assert 60 <= len(terms) <= 100
    assert list(terms.columns[:5]) == HEADER.split(",")
    assert terms["term_zh"].is_unique
    gmv = terms.set_index("term_zh").loc["GMV"]
    assert gmv["pinyin"] == ""
    assert gmv["first_section"] == "1.1" and gmv["first_chapter"] == 1
    assert gmv["n_sections"] == len(gmv["plan_sections"].split("; "))


def test_every_plan_chapter_with_text_has_a_term(terms) -> None:
    assert sorted(terms["first_chapter"].unique()) == list(range(1, 10))
    assert set(G.occurrences(terms)["chapter"]) == set(range(1, 10))


def test_good_copy_loads(tmp_path) -> None:
    frame = GD.load_glossary(data_copy(tmp_path, [GOOD]))
    assert frame.loc[0, "english"] == "gross merchandise volume"


@pytest.mark.parametrize(
    ("row", "column", "text"),
    [
        ("GMV,,gross merchandise volume,1.2; 1.1,x", "plan_sections", "plan order"),
        ("GMV,,gross merchandise volume,1.1; 1.1,x", "plan_sections", "listed twice"),
        ("GMV,,gross merchandise volume,1.1;1.2,x", "plan_sections", "pattern"),
        ("GMV,,gross merchandise volume,10.1,x", "plan_sections", "no text in the plan"),
        ("GMV,,gross merchandise volume,9.1,x", "plan_sections", "no text in the plan"),
        ("GMV,,gross merchandise volume,4.9,x", "plan_sections", "not in plan/sections.csv"),
        ("GMV,,,1.1,x", "english", "valid string (got '')"),
        ("網絡 零售額,,online retail,1.2,x", "term_zh", "pattern"),
        ("網絡零售額(wǎng),,online retail,1.2,x", "term_zh", "pattern"),
        ("網絡零售額,網絡,online retail,1.2,x", "pinyin", "Latin letters"),
        ("GMV,,gross merchandise volume,1.1,", "note", "valid string (got '')"),
    ],
)
def test_bad_row_is_refused_naming_file_row_and_column(tmp_path, row, column, text) -> None:
    with pytest.raises(DataFileError) as err:
        GD.load_glossary(data_copy(tmp_path, [GOOD.replace("GMV", "B2C"), row]))
    message = str(err.value)
    assert "glossary.csv" in message
    assert "row 3" in message
    assert f"column {column!r}" in message
    assert text in message
    assert "\n" not in message


def test_duplicate_term_is_refused(tmp_path) -> None:
    with pytest.raises(DataFileError, match=r"row 3, column 'term_zh': duplicate value 'GMV'"):
        GD.load_glossary(data_copy(tmp_path, [GOOD, GOOD]))


def test_unknown_or_missing_column_is_refused(tmp_path) -> None:
    with pytest.raises(DataFileError, match="unknown column 'extra'"):
        GD.load_glossary(data_copy(tmp_path, [GOOD + ",1"], header=HEADER + ",extra"))
    with pytest.raises(DataFileError, match="missing column 'note'"):
        GD.load_glossary(
            data_copy(tmp_path, [GOOD.rsplit(",", 1)[0]], header=HEADER.rsplit(",", 1)[0])
        )


def test_missing_file_names_the_fix(tmp_path) -> None:
    dest = data_copy(tmp_path, [GOOD])
    (dest / "plan" / "glossary.csv").unlink()
    with pytest.raises(DataFileError, match="file not found; restore it"):
        GD.load_glossary(dest)


# --------------------------------------------------------------------------- provenance


def plan_sections_text() -> dict[str, str]:
    """Each section's text in the plan (heading included), pinyin runs stripped."""
    text = PINYIN.sub("", PLAN_TXT.read_text(encoding="utf-8"))
    body = text[text.rfind(TOC_END) + len(TOC_END) :]
    body = body[: body.find(BODY_END)] if BODY_END in body else body
    sections = pd.read_csv(REPO / "data" / "plan" / "sections.csv", dtype=str)
    heads, pos = [], 0
    for sec, title in zip(sections["section"], sections["title_zh"], strict=True):
        k = body.find(f"{sec}{title}", pos)
        if k < 0:  # chapter 10 is missing from the body
            continue
        heads.append((sec, k))
        pos = k + len(sec) + len(title)
    return {
        sec: body[k : heads[i + 1][1] if i + 1 < len(heads) else len(body)]
        for i, (sec, k) in enumerate(heads)
    }


def provenance_problems(terms: pd.DataFrame, text: dict[str, str]) -> list[str]:
    """Terms absent from the text, or whose listed sections differ from where they occur."""
    whole = "".join(text.values())
    problems = []
    for term, listed in zip(terms["term_zh"], terms["plan_sections"], strict=True):
        if term not in whole:
            problems.append(f"{term}: not in the plan text")
            continue
        found = [s for s, t in text.items() if term in t]
        if GD.sections_of(listed) != found:
            problems.append(f"{term}: listed {listed!r}, occurs in {'; '.join(found)!r}")
    return problems


def test_provenance_check_catches_wrong_rows() -> None:
    text = {"1.1": "1.1標題甲乙", "1.2": "1.2標題乙丙", "2.1": "2.1標題"}
    terms = pd.DataFrame(
        {"term_zh": ["甲", "乙", "丙", "丁"], "plan_sections": ["1.1", "1.1", "1.2", "2.1"]}
    )
    assert provenance_problems(terms, text) == [
        "乙: listed '1.1', occurs in '1.1; 1.2'",
        "丁: not in the plan text",
    ]


@pytest.mark.skipif(
    not PLAN_TXT.exists(),
    reason=f"plan source text not found at {PLAN_TXT}; the provenance check needs it",
)
def test_every_term_occurs_in_exactly_its_listed_sections(terms) -> None:
    text = plan_sections_text()
    assert len(text) == 37  # 1.1-9.4; 9.1 is a bare heading, 10.1-10.4 are absent
    problems = provenance_problems(terms, text)
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------- views


def test_sort_orders(terms) -> None:
    by_chapter = G.sort_glossary(terms, "chapter")
    keys = [tuple(map(int, s.split("."))) for s in by_chapter["first_section"]]
    assert keys == sorted(keys)
    by_english = G.sort_glossary(terms, "english")
    assert list(by_english["english"].str.casefold()) == sorted(terms["english"].str.casefold())
    by_term = G.sort_glossary(terms, "term")
    first = by_term.iloc[0]
    assert first["term_zh"] == "B2C"  # 'b2c' sorts before 'baipai' (白牌)
    with pytest.raises(InputError, match="use one of: chapter, english, term"):
        G.sort_glossary(terms, "pinyin")


def test_sort_choices_match_the_parameter() -> None:
    import typing

    annotation = GlossaryParams.model_fields["sort_by"].annotation
    assert typing.get_args(annotation) == G.SORT_CHOICES


def test_display_table_groups_by_first_chapter(terms) -> None:
    table = G.display_table(terms, "chapter")
    assert table.index.names == ["first used in", "#"]
    groups = list(dict.fromkeys(table.index.get_level_values(0)))
    assert len(groups) == 9
    assert groups[0].startswith("1 ")
    flat = G.display_table(terms, "english")
    assert set(flat.index.get_level_values(0)) == {"All chapters"}
    assert list(flat.columns) == ["term", "pinyin", "English", "plan sections", "note"]


def test_chapter_label_falls_back() -> None:
    assert G.chapter_label(1) == "1 Market background"
    assert G.chapter_label(12) == "Plan chapter 12"


def test_counts_by_chapter_and_section_by_hand() -> None:
    frame = pd.DataFrame(
        {
            "term_zh": ["甲", "乙", "丙"],
            "english": ["a", "b", "c"],
            "plan_sections": ["1.1; 2.1; 2.2", "2.1", "1.2"],
            "first_chapter": [1, 2, 1],
            "n_sections": [3, 1, 1],
        }
    )
    per = G.terms_per_chapter(frame, [1, 2, 3]).set_index("chapter")
    assert per.loc[1].tolist() == [2, 2]  # introduced 甲 丙; used 甲 丙
    assert per.loc[2].tolist() == [1, 2]  # introduced 乙; used 甲 (twice, counted once) 乙
    assert per.loc[3].tolist() == [0, 0]
    sections = pd.DataFrame(
        {"section": ["1.1", "1.2", "2.1", "2.2", "9.1"], "chapter": [1, 1, 2, 2, 9]}
    )
    sections["state"] = ["full", "full", "full", "full", "empty"]
    per_section = G.terms_per_section(frame, sections).set_index("section")["terms"]
    assert per_section.to_dict() == {"1.1": 1, "1.2": 1, "2.1": 2, "2.2": 1, "9.1": 0}
    top = G.widespread_terms(frame, 2)
    assert list(top["term_zh"]) == ["甲", "乙"]  # tie 乙/丙 broken by file order
    matrix = G.presence(frame, [1, 2])
    assert matrix.loc["甲"].tolist() == [1, 2]
    with pytest.raises(InputError):
        G.widespread_terms(frame, 0)


def test_headline_is_fast_and_moves_with_top_terms(terms) -> None:

    wide = G.headline(GlossaryParams(top_terms=5))
    narrow = G.headline(GlossaryParams(top_terms=40))
    assert wide["terms"] == len(terms)
    assert wide["chapters_covered"] == 9
    assert wide["top_terms_mean_sections"] > narrow["top_terms_mean_sections"]
    assert wide["max_sections_per_term"] == terms["n_sections"].max()


# --------------------------------------------------------------------------- page


@pytest.mark.slow
def test_sort_and_top_terms_move_the_glued_text(default_values, run_chapter) -> None:
    base = default_values("glossary")
    assert base["n_terms"] == len(GD.load_glossary(REPO / "data"))
    assert base["top_n"] == 15
    changed = run_chapter("glossary", sort_by="english", top_terms=5)
    assert changed["top_n"] == 5
    assert changed["top_mean"] > base["top_mean"]  # the top 5 are the most widespread
    assert "alphabetically by the English" in str(changed["order_text"])
    assert "chapter" in str(base["order_text"])
