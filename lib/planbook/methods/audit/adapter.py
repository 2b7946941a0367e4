"""Chapter checks as audit findings: the adapter from a ``Check`` table to findings rows.

A chapter's hand-written checks (:func:`planbook.methods.arithmetic.checks_frame`: one
row per check with ``check``, ``claim_ids``, ``stated``, ``recomputed``, ``unit``,
``verdict`` and ``arithmetic``) become :class:`~planbook.methods.audit.findings.Finding`
objects, so the one engine (:func:`planbook.methods.audit.run_audit` with ``extra``)
puts them into the one findings table:

- ``sections`` and ``chapter``: the sections of the check's claims (claims table);
- ``claim_ids``: the check's claims, in its order;
- ``stated``, ``recomputed``, ``unit``: as the check states them (``difference`` is
  recomputed minus stated, as everywhere);
- ``verdict``: the check's (the arithmetic module gives the audit's words through the one
  :func:`~planbook.methods.arithmetic.verdict_of`), unless the spec says what a failure of
  this check means (:class:`Reading`: "different scope" or "unverifiable" with the reason);
- ``severity``: the audit's one rule (:func:`~planbook.methods.audit.findings.severity_of`
  on the difference relative to the stated figure);
- ``scope``: the scopes of the check's claims (claims table);
- ``detail``: the check's words, then its arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from planbook.methods.audit.figures import Context
from planbook.methods.audit.findings import VERDICTS, Finding
from planbook.methods.audit.wording import section_key


@dataclass(frozen=True)
class Reading:
    """What a failing chapter check means when it is no contradiction of the plan.

    Attributes
    ----------
    verdict
        ``different scope`` (the check sets figures of different things side by side)
        or ``unverifiable`` (the plan does not say enough to decide).
    reason
        One sentence the finding's detail carries.
    """

    verdict: str
    reason: str

    def __post_init__(self) -> None:
        if self.verdict not in ("different scope", "unverifiable"):
            raise ValueError(
                f"a reading's verdict is 'different scope' or 'unverifiable'; got {self.verdict!r}"
            )


def split_ids(text: object) -> tuple[str, ...]:
    """The claim ids of a check's or finding's ``claim_ids`` cell (comma or semicolon)."""
    return tuple(x.strip() for x in str(text).replace(";", ",").split(",") if x.strip())


def _scope(rows: pd.DataFrame) -> str:
    seen: list[str] = []
    for scope, of in zip(rows["scope"], rows["scope_of"], strict=True):
        of = "" if pd.isna(of) else str(of)
        scope = "" if pd.isna(scope) else str(scope)
        text = f"{scope}: {of}" if of else scope
        if text and text not in seen:
            seen.append(text)
    return "; ".join(seen)


def read_checks(checks: pd.DataFrame, readings: Mapping[str, Reading] | None) -> pd.DataFrame:
    """A ``Check`` table with its failing checks read as the one findings table reads them:
    a check whose name starts with a key of ``readings`` and that fails takes the
    reading's verdict, and its arithmetic ends with the reading's reason."""
    out = checks.copy()
    for key, reading in (readings or {}).items():
        hit = out["check"].astype(str).str.startswith(key) & (out["verdict"] == "inconsistent")
        out.loc[hit, "verdict"] = reading.verdict
        out.loc[hit, "arithmetic"] = out.loc[hit, "arithmetic"].astype(str) + ". " + reading.reason
    return out


def findings_from_checks(
    rule: str,
    checks: pd.DataFrame,
    claims: pd.DataFrame,
    readings: Mapping[str, Reading] | None = None,
) -> list[Finding]:
    """One finding per row of a ``Check`` table (see the module's docstring).

    Parameters
    ----------
    rule
        The name of the chapter's rule (a row of ``data/book/labels.csv``).
    checks
        Rows of :func:`planbook.methods.arithmetic.checks_frame`.
    claims
        The claims table (sections and scopes of the check's claims).
    readings
        By the start of a check's name: what a failure of that check means when it is no
        contradiction of the plan.

    Raises
    ------
    KeyError
        For a claim id the claims table does not hold.
    ValueError
        For a verdict outside the audit's :data:`VERDICTS`.
    """
    by_id = claims.set_index("id")
    out = []
    for row in read_checks(checks, readings).itertuples(index=False):
        ids = split_ids(row.claim_ids)
        missing = [i for i in ids if i not in by_id.index]
        if missing:
            raise KeyError(f"check {row.check!r} names claims the table lacks: {missing}")
        mine = by_id.loc[list(ids)]
        sections = tuple(sorted(set(mine["section"]), key=section_key))
        verdict, detail = str(row.verdict), f"{row.check}: {row.arithmetic}".rstrip(".") + "."
        if verdict not in VERDICTS:
            raise ValueError(f"check {row.check!r} has verdict {verdict!r}; use one of {VERDICTS}")
        out.append(
            Finding(
                rule=rule,
                items=(),
                stated=float(row.stated),
                recomputed=float(row.recomputed),
                unit=str(row.unit),
                verdict=verdict,
                detail=detail,
                sections=sections,
                ids=ids,
                scope=_scope(mine),
            )
        )
    return out


def check_rule(
    rule: str,
    table: Callable[[Context], pd.DataFrame],
    readings: Mapping[str, Reading] | None = None,
) -> Callable[[Context], list[Finding]]:
    """A rule's check (``Context`` to findings) from a function giving a ``Check`` table."""

    def check(ctx: Context) -> list[Finding]:
        return findings_from_checks(rule, table(ctx), ctx.claims, readings)

    return check


__all__ = ["Reading", "check_rule", "findings_from_checks", "read_checks", "split_ids"]
