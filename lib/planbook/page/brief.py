"""A chapter's "In brief": its findings as a Markdown list, each linking its section."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from docutils.nodes import make_id
from IPython.display import Markdown, display

from planbook.page.escape import html_text


class Item(Protocol):
    """What a bullet offers (:class:`planbook.chapters.briefs.words.Bullet`)."""

    @property
    def text(self) -> str: ...

    @property
    def section(self) -> str: ...


def anchor(section: str) -> str:
    """The id a section heading gets on the built page ("Checks of the plan's arithmetic"
    -> ``checks-of-the-plan-s-arithmetic``).

    A link in a cell's Markdown output reaches the HTML as written (MyST resolves its
    heading slugs only in the notebook's own Markdown cells), so it names docutils' id.
    """
    return make_id(section)


def brief_markdown(items: Iterable[Item]) -> str:
    """The bullets as a Markdown list: each sentence, escaped, then a link to its section
    on the same page (``See [Section](#id).``)."""
    return "\n".join(
        f"- {html_text(i.text)} See [{html_text(i.section)}](#{anchor(i.section)})." for i in items
    )


def show_brief(items: Iterable[Item]) -> None:
    """Display the bullets (:func:`brief_markdown`) as the cell's Markdown output."""
    display(Markdown(brief_markdown(items)))


__all__ = ["Item", "anchor", "brief_markdown", "show_brief"]
