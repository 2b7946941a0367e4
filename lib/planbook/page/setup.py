"""The first cell of every chapter: validate the parameters, set the chart theme and
put a download link under every table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planbook.engine.params import ChapterParams, schema_for, validate_params
from planbook.page.charts import set_theme
from planbook.page.downloads import offer_table_downloads


def chapter_params(slug: str, namespace: Mapping[str, Any]) -> ChapterParams:
    """The chapter's parameters, validated, from the notebook's namespace.

    The notebook's ``parameters`` cell (overridden by papermill's injected cell) defines
    one variable per schema field; this picks exactly those names, so no parameter is
    declared a second time in the notebook. The book's chart theme is set, and every
    table shown from here on carries a link to its data's CSV
    (:func:`~planbook.page.downloads.offer_table_downloads`), as side effects of starting
    the page.

    Parameters
    ----------
    slug
        The chapter's slug (``"market"``).
    namespace
        The notebook's ``globals()``.

    Raises
    ------
    InputError
        When a value is out of range or of the wrong type (one line naming the fix).
    """
    schema = schema_for(slug)
    values = {name: namespace[name] for name in schema.model_fields if name in namespace}
    params = validate_params(slug, values)
    set_theme()
    offer_table_downloads()
    return params


__all__ = ["chapter_params"]
