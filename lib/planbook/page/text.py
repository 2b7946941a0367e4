"""Words for the page: lists in running prose and counted nouns."""

from __future__ import annotations

from collections.abc import Iterable


def listing(items: Iterable[object], *, empty: str = "none", conjunction: str = "and") -> str:
    """Items as running prose: ``"a"``, ``"a and b"``, ``"a, b and c"``.

    Parameters
    ----------
    items
        The items, in order; each is shown with ``str``.
    empty
        What an empty list reads as.
    conjunction
        The word before the last item.
    """
    words = [str(x) for x in items]
    if not words:
        return empty
    if len(words) == 1:
        return words[0]
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``"1 finding"``, ``"3 findings"``: a count with its noun in the right number."""
    word = noun if n == 1 else (plural or f"{noun}s")
    return f"{n:,} {word}"


__all__ = ["counted", "listing"]
