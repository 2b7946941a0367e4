"""The site's search language: Sphinx's Chinese search with folding and without code.

:class:`FoldedChinese` replaces Sphinx's ``zh`` language. The index holds the words of
:func:`planbook.engine.search.text.split_words` (Chinese folded to simplified and segmented
by jieba, English stemmed as Sphinx's ``zh`` does, no code tokens). In the browser the
query is folded the same way, character by character with the map the extension writes to
``_static/`` (:data:`FOLD_SCRIPT`), and a Han run is cut into the index's own words by
longest match, so a query typed without spaces (电商行业) still finds its words.
"""

from __future__ import annotations

import logging

import jieba
import snowballstemmer
from sphinx.search.zh import SearchChinese, js_porter_stemmer

from planbook.engine.search.text import CJK, CJK_RUN, split_words

FOLD_SCRIPT = "planbook-search-fold.js"
"""The file under ``_static/`` that defines ``PLANBOOK_SEARCH_FOLD`` (written per build)."""
FOLD_VARIABLE = "PLANBOOK_SEARCH_FOLD"

if js_porter_stemmer.count("var Stemmer = function()") != 1:  # pragma: no cover
    raise ImportError("sphinx.search.zh changed its Porter stemmer; update planbook's search")

JS_FOLD = f"""
/* planbook: fold traditional Chinese to simplified, as the index was folded. */
var planbookFold = (text) => {{
  const map = typeof {FOLD_VARIABLE} === "undefined" ? {{}} : {FOLD_VARIABLE};
  return Array.from(text, (c) => map[c] || c).join("");
}};
"""

JS_STEMMER = (
    js_porter_stemmer.replace("var Stemmer = function()", "var PorterStemmer = function()")
    + JS_FOLD
    + """
var Stemmer = function() {
  const porter = new PorterStemmer();
  this.stemWord = (word) => porter.stemWord(planbookFold(word));
};
"""
)

JS_SPLITTER = f"""
/* planbook: split a query as Sphinx does, then fold each Han run and cut it into the
   index's words by longest match; unknown characters stay together (a single one, never
   indexed, is dropped like a stop word). */
var planbookSegment = (run) => {{
  const index = (typeof Search !== "undefined" && Search._index) || {{}};
  const has = (table, word) => !!table && Object.prototype.hasOwnProperty.call(table, word);
  const known = (word) => has(index.terms, word) || has(index.titleterms, word);
  if (known(run)) return [run];
  const words = [];
  let unknown = "";
  const flush = () => {{ if (unknown.length > 1) words.push(unknown); unknown = ""; }};
  for (let i = 0; i < run.length; ) {{
    let n = Math.min(run.length - i, 8);
    while (n > 1 && !known(run.substr(i, n))) n -= 1;
    if (n > 1) {{ flush(); words.push(run.substr(i, n)); i += n; }}
    else {{ unknown += run[i]; i += 1; }}
  }}
  flush();
  return words;
}};
var splitQuery = (query) => query
  .split(/[^\\p{{Letter}}\\p{{Number}}_\\p{{Emoji_Presentation}}]+/gu)
  .filter((term) => term)
  .flatMap((term) => term.match(/[{CJK}]+|[^{CJK}]+/gu))
  .flatMap((part) => /^[{CJK}]/u.test(part) ? planbookSegment(planbookFold(part)) : [part]);
"""


class FoldedChinese(SearchChinese):
    """Sphinx's Chinese search, folded to simplified and without code tokens."""

    lang = "zh"
    language_name = "Chinese"
    js_stemmer_code = JS_STEMMER
    js_splitter_code = JS_SPLITTER

    def init(self, options: dict[str, str]) -> None:
        jieba.setLogLevel(logging.WARNING)  # not "Building prefix dict ..." on every build
        super().init(options)  # a jieba user dictionary (``dict``), if given
        # Porter, as Sphinx's English search: the browser stems with the Porter stemmer
        # (Sphinx's ``zh`` indexes with Porter2, so "monthly" is "monthli" in the query
        # and "monthly" in its index, and is never found).
        self.stemmer = snowballstemmer.stemmer("porter")

    def split(self, input: str) -> list[str]:  # noqa: A002 (Sphinx's signature)
        return split_words(input)

    def word_filter(self, stemmed_word: str) -> bool:
        """Two characters or more, and no English stop word (the browser drops those)."""
        return len(stemmed_word) > 1 and stemmed_word not in self.stopwords

    def stem(self, word: str) -> str:
        """Chinese as it is; anything else lower-cased and Porter-stemmed, as the browser
        stems a query."""
        if CJK_RUN.match(word):
            return word
        return self.stemmer.stemWord(word.lower())


__all__ = ["FOLD_SCRIPT", "FOLD_VARIABLE", "JS_SPLITTER", "JS_STEMMER", "FoldedChinese"]
