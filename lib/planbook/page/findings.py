"""Audit findings as captioned tables for the page."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from pandas.io.formats.style import Styler

from planbook.page.audit_view import findings_view
from planbook.page.escape import caption as escaped
from planbook.page.escape import styled


def findings_table(
    findings: pd.DataFrame, caption: str, columns: Sequence[str] | None = None
) -> Styler:
    """Findings as a styled table under a caption; a one-line "no findings" table if empty.

    Parameters
    ----------
    findings
        Rows of :func:`planbook.methods.audit.run_audit`.
    caption
        The table's caption.
    columns
        Columns to show (default: those of :func:`planbook.page.audit_view.findings_view`).
    """
    if findings.empty:
        return styled(pd.DataFrame({"": ["no findings"]})).set_caption(escaped(caption))
    return findings_view(findings, columns=columns).set_caption(escaped(caption))


__all__ = ["findings_table"]
