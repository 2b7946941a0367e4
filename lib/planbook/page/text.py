"""Words for the page: lists in running prose and counted nouns."""

from __future__ import annotations

from planbook.data.text import counted, listing  # one rule for chapters and page alike


def default_words(params: object) -> dict[str, str]:
    """Each parameter's default in words, under ``default_<name>``, for the page's assumptions.

    An empty default (None) reads "the plan's figure", a number as ``{:g}``; parameters
    whose default is text are left out.

    Parameters
    ----------
    params
        A chapter's validated parameters (a pydantic model).
    """
    return {
        f"default_{name}": "the plan's figure" if info.default is None else f"{info.default:g}"
        for name, info in type(params).model_fields.items()
        if not isinstance(info.default, str)
    }


__all__ = ["counted", "default_words", "listing"]
