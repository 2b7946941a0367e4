"""Rule 11: sections that are empty, cut off or missing."""

from __future__ import annotations

import math

from planbook.data.text import counted
from planbook.methods.audit.figures import Context
from planbook.methods.audit.findings import GAP_SEVERITY, Finding

# --------------------------------------------------------------------------- rule 11


def rule_structural_gaps(ctx: Context) -> list[Finding]:
    """Sections that are empty, cut off or missing: what they would say cannot be checked."""
    out = []
    states = {
        "empty": "is a heading with no text",
        "cut": "stops mid-sentence",
        "missing": "is listed in the table of contents but absent from the body",
    }
    for row in ctx.sections.itertuples(index=False):
        if row.state == "full":
            continue
        inside = [i for i in ctx.items if i.section == row.section]
        held = counted(len(inside), "figure") if inside else "no figures"
        figures = f"; it holds {held}"
        detail = (
            f"Section {row.section} ({row.title_en}) {states.get(row.state, row.state)}"
            f"{figures}, so what it would add cannot be checked."
        )
        out.append(
            Finding(
                "structural_gaps",
                inside,
                math.nan,
                math.nan,
                "",
                "unverifiable",
                detail,
                severity=GAP_SEVERITY.get(row.state, "medium"),
                sections=(row.section,),
                ids=tuple(x for i in inside for x in i.ids),
                scope="plan text",
            )
        )
    return out
