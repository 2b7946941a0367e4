"""Items as running prose, for the text a chapter result hands to its page.

It sits this low so that chapter modules (which may not import the page layer) and the
page layer use one and the same rule.
"""

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

    >>> listing(["9.1", "9.2", "9.4"]), listing([]), listing(["x"])
    ('9.1, 9.2 and 9.4', 'none', 'x')
    """
    words = [str(x) for x in items]
    if not words:
        return empty
    if len(words) == 1:
        return words[0]
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """A count with its noun in the right number.

    >>> counted(1, "finding"), counted(3, "finding"), counted(1200, "entry", "entries")
    ('1 finding', '3 findings', '1,200 entries')
    """
    word = noun if n == 1 else (plural or f"{noun}s")
    return f"{n:,} {word}"


def tally(parts: Iterable[tuple[int, str]], verbs: tuple[str, str] | None = None) -> str:
    """Counts and what they count, in prose, with the zero counts folded into one "none".

    Parameters
    ----------
    parts
        ``(count, words)`` pairs, in order.
    verbs
        The verb for one and for several (``("is", "are")``) put between each count and
        its words; ``None`` puts none (the words carry their own verb).

    >>> tally([(1, "likely"), (2, "possible"), (4, "unlikely")], ("is", "are"))
    '1 is likely, 2 are possible and 4 are unlikely'
    >>> tally([(0, "likely"), (0, "possible"), (4, "unlikely")], ("is", "are"))
    '4 are unlikely; none is likely or possible'
    >>> tally([(0, "passed"), (0, "due")])
    'none passed or due'
    """
    pairs = list(parts)
    one, many = verbs if verbs else ("", "")

    def said(n: int | str, verb: str, words: str) -> str:
        return " ".join(str(x) for x in (n, verb, words) if x != "")

    counts = [said(f"{n:,}", one if n == 1 else many, w) for n, w in pairs if n]
    zeros = [w for n, w in pairs if not n]
    text = listing(counts, empty="")
    if zeros:
        none = said("none", one, listing(zeros, conjunction="or"))
        text = f"{text}; {none}" if text else none
    return text


__all__ = ["counted", "listing", "tally"]
