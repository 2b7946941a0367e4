"""The book's chapters: one registry that the CLI, the runner and the tests share."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from planbook.errors import InputError


@dataclass(frozen=True)
class Chapter:
    """One chapter of the book, reproducing one chapter of the plan."""

    number: int
    slug: str
    title: str
    notebook: str
    summary: str
    sections: tuple[str, ...]

    @property
    def stem(self) -> str:
        """The notebook's file name without its extension (the page name in ``_toc.yml``)."""
        return self.notebook.removesuffix(".ipynb")


CHAPTERS: tuple[Chapter, ...] = (
    Chapter(
        number=1,
        slug="market",
        title="Market background",
        notebook="01_market_background.ipynb",
        summary="Size and structure of the market as the plan states them, "
        "checked against official statistics and a forecast.",
        sections=("1.1", "1.2", "1.3", "1.4", "1.5"),
    ),
)


def get_chapter(name: str) -> Chapter:
    """Find a chapter by slug, number or notebook name.

    Raises
    ------
    InputError
        When no chapter matches; the message suggests the closest slug.
    """
    key = str(name).strip().lower()
    for chapter in CHAPTERS:
        if key in {chapter.slug, str(chapter.number), f"{chapter.number:02d}", chapter.stem}:
            return chapter
        if key == chapter.notebook:
            return chapter
    slugs = [c.slug for c in CHAPTERS]
    close = difflib.get_close_matches(key, slugs, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise InputError(
        f"unknown chapter {name!r}; {hint}valid chapters: "
        f"{', '.join(f'{c.number} {c.slug}' for c in CHAPTERS)} (see 'planbook list')"
    )
