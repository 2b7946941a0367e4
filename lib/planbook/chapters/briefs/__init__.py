"""Each chapter's "In brief": three to five findings at the top of its page.

One module per chapter (named by its slug) holds ``brief(...)``, which takes the results
the page already computed and returns :class:`~planbook.chapters.briefs.words.Bullet`
items; :mod:`planbook.page.brief` shows them. A module imports only its own chapter, so a
page's cache key grows by its brief and :mod:`~planbook.chapters.briefs.words` alone.
"""
