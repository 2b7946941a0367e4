"""The words the site's search indexes: Chinese folded to simplified and segmented, code
tokens left out.

Pure functions on strings, shared by the Sphinx search language (:mod:`.language`) and the
tests. The fold is character by character (zhconv's traditional→simplified table, single
characters only) so that the browser can apply the very same fold to a query with a small
character map (:func:`fold_map`); a phrase-aware conversion could fold a word differently
in the index and in the query.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from importlib import resources

import jieba

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
"""Han characters: extension A, the unified block and the compatibility ideographs."""
CJK_RUN = re.compile(f"[{CJK}]+")
LATIN_WORD = re.compile(f"[^\\W{CJK}]+")
"""A run of word characters (letters, digits, underscores) that are not Han characters."""


@functools.cache
def fold_table() -> dict[int, str]:
    """zhconv's traditional→simplified table, single characters only (``str.translate``).

    The table has no chains (no simplified side is itself folded), so folding twice is
    folding once; a test holds it.
    """
    import zhconv.zhconv as zh

    raw = resources.files("zhconv").joinpath(zh.DICTIONARY).read_bytes()
    table = json.loads(raw.decode("utf-8"))["zh2Hans"]
    return {ord(t): s for t, s in table.items() if len(t) == 1 and len(s) == 1 and t != s}


def fold(text: str) -> str:
    """``text`` with traditional Chinese characters replaced by their simplified forms."""
    return text.translate(fold_table())


def fold_map(simplified: Iterable[str]) -> dict[str, str]:
    """The traditional→simplified pairs whose simplified side is one of ``simplified``:
    what the browser needs to fold a query against an index of those characters."""
    wanted = set(simplified)
    return {chr(t): s for t, s in sorted(fold_table().items()) if s in wanted}


def is_code_token(token: str) -> bool:
    """Whether a Latin token is an identifier rather than a word: it holds an underscore
    (``ltv_to_cac_now``, ``100m_yuan``, ``_build``)."""
    return "_" in token


def chinese_words(text: str) -> list[str]:
    """The words of the Han runs of ``text``, folded to simplified and segmented by
    jieba's search mode (a long word and the shorter words inside it)."""
    words: list[str] = []
    for run in CJK_RUN.findall(fold(text)):
        words += [w for w in jieba.cut_for_search(run, HMM=True) if CJK_RUN.fullmatch(w)]
    return words


def latin_words(text: str) -> list[str]:
    """The non-Han words of ``text`` (letters and digits), without code tokens."""
    return [w for w in LATIN_WORD.findall(text) if not is_code_token(w)]


def split_words(text: str) -> list[str]:
    """Every word of ``text`` the index should hold: Chinese words, then the others."""
    return chinese_words(text) + latin_words(text)


def han_characters(words: Iterable[str]) -> set[str]:
    """The Han characters that occur in ``words``."""
    return {c for w in words for c in w if CJK_RUN.match(c)}


__all__ = [
    "CJK",
    "chinese_words",
    "fold",
    "fold_map",
    "fold_table",
    "han_characters",
    "is_code_token",
    "latin_words",
    "split_words",
]
