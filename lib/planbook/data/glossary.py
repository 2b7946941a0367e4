"""The plan's Chinese terms: a checked glossary (``data/plan/glossary.csv``) and its views.

One row per term: the term as the plan writes it (Traditional characters, pinyin runs
stripped), its pinyin, our English rendering, the plan sections it appears in and a short
note. :func:`load_glossary` validates every row (and the sections against
``plan/sections.csv``); :mod:`planbook.chapters.glossary` shapes it for the glossary page.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import Field, field_validator

from planbook.data.plan import load_sections
from planbook.data.schema import TableRow, check_unique, line_of, read_table_lines
from planbook.errors import DataFileError
from planbook.paths import default_data_dir, display_path

SortBy = Literal["chapter", "english", "term"]
SORT_CHOICES: tuple[str, ...] = ("chapter", "english", "term")

SECTIONS_RE = r"^\d{1,2}\.\d(; \d{1,2}\.\d)*$"
TEXT_STATES = ("full", "cut")
"""Section states with text in the plan (see ``data/plan/README.md``): only these can
contain a term."""

_PINYIN_PUNCTUATION = set(" '-")


def _section_key(section: str) -> tuple[int, int]:
    chapter, number = section.split(".")
    return int(chapter), int(number)


class GlossaryRow(TableRow):
    """A row of ``data/plan/glossary.csv``."""

    term_zh: str = Field(min_length=1, max_length=20, pattern=r"^[^\s()（）]+$")
    pinyin: str | None = None
    english: str = Field(min_length=1)
    plan_sections: str = Field(pattern=SECTIONS_RE)
    note: str = Field(min_length=1)

    @field_validator("pinyin")
    @classmethod
    def _pinyin_is_latin(cls, value: str | None) -> str | None:
        if value is None:
            return value
        for char in value:
            if char in _PINYIN_PUNCTUATION:
                continue
            if not unicodedata.name(char, "").startswith("LATIN"):
                raise ValueError(
                    f"pinyin must be Latin letters (tone marks allowed), found {char!r}"
                )
        return value

    @field_validator("plan_sections")
    @classmethod
    def _sections_ordered(cls, value: str) -> str:
        parts = value.split("; ")
        keys = [_section_key(p) for p in parts]
        if len(set(keys)) != len(keys):
            raise ValueError("a section is listed twice")
        if keys != sorted(keys):
            raise ValueError("sections must be listed in plan order, e.g. '1.2; 3.1'")
        return value


def sections_of(value: str) -> list[str]:
    """Split a ``plan_sections`` cell (``"1.2; 3.1"``) into a list of sections."""
    return [s.strip() for s in value.split(";") if s.strip()]


def load_glossary(data_dir: Path | None = None) -> pd.DataFrame:
    """Load ``plan/glossary.csv``, checked against its schema and ``plan/sections.csv``.

    Parameters
    ----------
    data_dir
        The ``data/`` directory; default :func:`~planbook.paths.default_data_dir`.

    Returns
    -------
    pandas.DataFrame
        One row per term in file order, columns ``term_zh``, ``pinyin`` (``""`` when
        not given), ``english``, ``plan_sections``, ``note``, plus ``first_section`` and
        ``first_chapter`` (where the term first appears) and ``n_sections``.

    Raises
    ------
    DataFileError
        When the file is missing or unreadable, a column is missing or unknown, a row
        breaks the schema, a term is repeated, or a listed section is not a section of the
        plan with text; the message names the file, the row and the column.
    """
    data_dir = data_dir or default_data_dir()
    path = data_dir / "plan" / "glossary.csv"
    frame, lines = read_table_lines(path, GlossaryRow)
    check_unique(frame, "term_zh", path, lines)
    sections = load_sections(data_dir)
    state = dict(zip(sections["section"], sections["state"], strict=True))
    for i, value in enumerate(frame["plan_sections"]):
        for section in sections_of(value):
            if section not in state:
                problem = f"section {section} is not in plan/sections.csv"
            elif state[section] not in TEXT_STATES:
                problem = f"section {section} has no text in the plan (state {state[section]})"
            else:
                continue
            raise DataFileError(
                f"{display_path(path)}: row {line_of(lines, i)}, column 'plan_sections': {problem}"
            )
    frame["pinyin"] = frame["pinyin"].fillna("").astype(str)
    firsts = [sections_of(v)[0] for v in frame["plan_sections"]]
    frame["first_section"] = firsts
    frame["first_chapter"] = [_section_key(s)[0] for s in firsts]
    frame["n_sections"] = [len(sections_of(v)) for v in frame["plan_sections"]]
    return frame


__all__ = ["SORT_CHOICES", "TEXT_STATES", "GlossaryRow", "SortBy", "load_glossary", "sections_of"]
