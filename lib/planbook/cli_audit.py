"""``planbook audit``: the plan's arithmetic and consistency checked, one row per finding."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from planbook.engine import params as P
from planbook.errors import InputError, clipped, quoted
from planbook.paths import BookPaths, display_path, find_root

out = Console(highlight=False, width=None if sys.stdout.isatty() else 160)


def _paths() -> BookPaths:
    return BookPaths(find_root())


def _audit_float(option: str, raw: str, name: str) -> float:
    """A tolerance from the command line, checked against the audit's parameter schema."""
    values = P.validate_params("audit", {name: raw}, {name: f"{option} {clipped(raw, 24)}"})
    return float(getattr(values, name))


def audit_command(
    chapter: Annotated[
        str | None,
        typer.Option("--chapter", metavar="N", help="Only findings touching this chapter (1-10)."),
    ] = None,
    min_severity: Annotated[
        str,
        typer.Option(
            "--min-severity",
            metavar="LEVEL",
            help="Lowest severity listed: none (also the checks that hold), low, medium, high.",
        ),
    ] = "low",
    rule: Annotated[
        list[str] | None,
        typer.Option("--rule", metavar="NAME", help="Only this rule (repeatable)."),
    ] = None,
    csv: Annotated[
        Path | None, typer.Option("--csv", help="Also write the findings to this CSV file.")
    ] = None,
    rate_tolerance: Annotated[
        str,
        typer.Option(
            "--rate-tolerance", metavar="PP", help="Rates: points within rounding (default 0.5)."
        ),
    ] = "0.5",
    level_tolerance: Annotated[
        str,
        typer.Option(
            "--level-tolerance", metavar="PCT", help="Levels: percent within rounding (default 2)."
        ),
    ] = "2.0",
) -> None:
    """Check the plan's arithmetic and consistency: one row per finding.

    Lists the findings at or above --min-severity with the arithmetic behind each, then
    the counts by verdict: the book's one findings table (the audit's rules and every
    chapter's own checks). The rules are described in the appendix 'Audit of the plan'.
    """
    import difflib

    from planbook.data.plan import load_claims, load_sections
    from planbook.methods import audit as AU

    if min_severity not in AU.SEVERITIES:
        raise InputError(
            f"--min-severity {quoted(min_severity)}: unknown severity; use one of: "
            f"{', '.join(AU.SEVERITIES)}"
        )
    names = [r.name for r in (*AU.RULES, *AU.CHECK_SPECS)]
    for name in rule or []:
        if name not in names:
            close = difflib.get_close_matches(name, names, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise InputError(
                f"--rule {quoted(name)}: unknown rule; {hint}valid rules: {', '.join(names)}"
            )
    tolerances = AU.Tolerances(
        rate_pp=_audit_float("--rate-tolerance", rate_tolerance, "rate_tolerance_pp"),
        level_pct=_audit_float("--level-tolerance", level_tolerance, "level_tolerance_pct"),
    )
    if csv is not None:
        folder = csv.parent if str(csv.parent) else Path(".")
        if csv.is_dir() or not folder.is_dir() or not os.access(folder, os.W_OK):
            raise InputError(
                f"--csv {csv}: cannot write a file there; use a file path in an existing, "
                "writable folder"
            )
    paths = _paths()
    claims, sections = load_claims(paths.data), load_sections(paths.data)
    findings = AU.book_findings(
        claims, sections, tolerances, settings=P.check_settings(), rules=rule or None
    )
    if chapter is not None:
        valid = sorted(int(c) for c in sections["chapter"].unique())
        number = chapter.strip()
        if not number.isdigit() or int(number) not in valid:
            raise InputError(
                f"--chapter {clipped(chapter)}: the plan has no such chapter; use a chapter "
                f"number from {valid[0]} to {valid[-1]}"
            )
        findings = findings[AU.touches(findings, int(number))]
    shown = AU.at_least(findings, min_severity)
    table = Table(box=None, pad_edge=False, show_lines=False, title="Audit of the plan")
    table.add_column("ch", justify="right", no_wrap=True)
    table.add_column("sections", no_wrap=False, max_width=14)
    table.add_column("rule", overflow="fold", max_width=18)
    table.add_column("scope", overflow="fold", max_width=14)
    table.add_column("verdict", overflow="fold", max_width=12)
    table.add_column("sev.", no_wrap=True)
    table.add_column("detail", overflow="fold", ratio=1, min_width=30)
    styles = {"inconsistent": "bold red", "unverifiable": "dim", "within rounding": "green"}
    styles |= {"within tolerance": "yellow", "different scope": "blue"}
    for row in shown.itertuples(index=False):
        table.add_row(
            str(row.chapter),
            row.sections,
            row.rule,
            row.scope,
            row.verdict,
            row.severity,
            row.detail,
            style=styles.get(row.verdict),
        )
    out.print(table, markup=False)
    c = AU.counts(findings)
    out.print(
        f"{c['findings']} findings: {c['verdict_consistent']} consistent, "
        f"{c['verdict_within_rounding']} within rounding, {c['verdict_within_tolerance']} "
        f"within tolerance, {c['verdict_inconsistent']} inconsistent, "
        f"{c['verdict_different_scope']} different scope, {c['verdict_unverifiable']} "
        f"unverifiable\nseverity high {c['severity_high']}, medium {c['severity_medium']}, "
        f"low {c['severity_low']} ({len(shown)} listed at --min-severity {min_severity})",
        markup=False,
    )
    if csv is not None:
        try:
            findings.to_csv(csv, index=False)
        except OSError as exc:
            raise InputError(
                f"--csv {csv}: cannot write ({exc.strerror or exc}); use a file path in an "
                "existing, writable folder"
            ) from None
        out.print(f"findings written to {display_path(csv)}", markup=False)
