"""A Sphinx extension: a page that pastes values glued on another page depends on it.

myst-nb resolves ``{glue:text}`path.ipynb::key``` (and the ``{glue}`` directive with
``:doc:``) when the page is written, but does not record the other page as a dependency,
so an incremental build that re-executed only that notebook would leave the pasting page
(the landing page's findings) with the old values. This extension notes the dependency
when a page is read, so Sphinx re-reads the page whenever the notebook it pastes from is
newer. Listed under ``sphinx.extra_extensions`` in ``_config.yml``.
"""

from __future__ import annotations

from typing import Any


def note_glue_sources(app: Any, doctree: Any) -> None:
    """Record every document a page pastes glued values from as its dependency."""
    from myst_nb.ext.glue.utils import PendingGlueReference

    env = app.env
    for refdoc in {node.refdoc for node in doctree.findall(PendingGlueReference)}:
        env.note_dependency(str(env.doc2path(refdoc)))


def setup(app: Any) -> dict[str, object]:
    """Register the extension with Sphinx."""
    app.connect("doctree-read", note_glue_sources)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


__all__ = ["note_glue_sources", "setup"]
