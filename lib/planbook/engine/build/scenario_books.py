"""Publish the shipped scenarios with the main book: ``planbook build --with-scenarios``.

Each scenario of ``scenarios/`` is built as a book of its own (chapters in
``_build/scenarios/NAME/chapters``, site in ``_build/scenarios/NAME/html``, work folders
apart from the main book's, see :class:`~planbook.paths.BookPaths`). A chapter's execution
key covers its notebook, parameters and dependencies but not the book it goes to, so a
chapter that a scenario leaves at the parameters another book already ran comes from the
cache. The main site then carries every scenario site under ``scenarios/NAME/`` and a
generated page, ``book/scenarios.md``, with what each scenario assumes and every key
number of every scenario side by side, each read from that scenario's executed
chapters (the values its own pages show; nothing is computed again).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from html import escape
from pathlib import Path

import pandas as pd

from planbook.data.book import load_units
from planbook.engine import compare as C
from planbook.engine import params as P
from planbook.engine.build.execute import DEFAULT_TIMEOUT
from planbook.engine.build.executors import ExecutorSpec
from planbook.engine.build.files import atomic_write_text, tree_files
from planbook.engine.build.orchestrate import build_book
from planbook.engine.build.progress import Progress, Report, quiet
from planbook.engine.build.site import Extras, forget_site
from planbook.engine.glued import glued_values
from planbook.engine.key_numbers import is_number, unit_of
from planbook.engine.params import Scenario
from planbook.engine.registry import CHAPTERS
from planbook.errors import InputError, PlanbookError
from planbook.paths import BookPaths, display_path

PAGE = "book/scenarios.md"
"""Where the generated page is staged (its HTML: ``book/scenarios.html``)."""

SITE_FOLDER = "scenarios"
"""The folder of the main site that holds ``NAME/`` (a scenario's site) and the CSVs."""

Values = Mapping[str, Mapping[str, Mapping[str, object]]]
"""Scenario name -> chapter slug -> glued name -> value."""


def _plain(value: object) -> object:
    """A parameter value as the page shows it (``None``: "from the plan")."""
    return "from the plan" if value is None else value


def assumptions(scenarios: Sequence[Scenario]) -> pd.DataFrame:
    """What each scenario sets: every parameter that differs from its default somewhere.

    Returns
    -------
    pandas.DataFrame
        Columns ``chapter`` (number), ``title``, ``parameter`` (its name), ``description``,
        ``unit``, ``default`` and one column per scenario, in chapter and schema order.
    """
    rows = []
    for chapter in CHAPTERS:
        resolved = {s.name: P.resolve(chapter, s).model_dump(mode="json") for s in scenarios}
        for info in P.describe(chapter):
            default = P.defaults(chapter)[info.name]
            values = [resolved[s.name][info.name] for s in scenarios]
            if all(v == default for v in values):
                continue
            rows.append(
                {
                    "chapter": chapter.number,
                    "title": chapter.title,
                    "parameter": info.name,
                    "description": info.description,
                    "unit": info.unit,
                    "default": _plain(default),
                    **{s.name: _plain(v) for s, v in zip(scenarios, values, strict=True)},
                }
            )
    names = [s.name for s in scenarios]
    columns = ["chapter", "title", "parameter", "description", "unit", "default", *names]
    return pd.DataFrame(rows, columns=columns)


def key_number_table(values: Values, units: pd.DataFrame) -> pd.DataFrame:
    """Every key number (a numeric glued value) of every scenario book, side by side.

    Lines the numbers up with :func:`planbook.engine.compare.compare_table`, the table of
    ``planbook compare``, and adds each name's unit and description from
    ``data/book/units.csv`` (:func:`planbook.data.book.load_units`).
    """
    by_chapter = {c.slug: c for c in CHAPTERS}
    numeric = {
        name: {
            by_chapter[slug]: {k: v for k, v in glued.items() if is_number(v)}
            for slug, glued in book.items()
        }
        for name, book in values.items()
    }
    table = C.compare_table(numeric)
    table.insert(3, "unit", [unit_of(key, units) for key in table["key"]])
    return table


def number(value: object, unit: str = "") -> str:
    """A key number for reading: thousands separated, four significant digits and four
    decimals at most, years as years, never ``nan`` or scientific notation."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    x = float(value)  # type: ignore[arg-type]
    if unit in {"year", "seed"} or (x.is_integer() and abs(x) < 1e15):
        text = f"{int(x)}" if unit in {"year", "seed"} else f"{int(x):,}"
    else:
        digits = min(4, max(0, 3 - math.floor(math.log10(abs(x)))))  # never six decimals
        text = f"{x:,.{digits}f}"
        text = text.rstrip("0").rstrip(".") if "." in text else text
    return f"{text}%" if unit == "percent" else text


def _cell(text: object) -> str:
    return escape(str(text)).replace("|", "&#124;")


def _markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |"]
    lines.append("|" + "---|" * len(header))
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def page_markdown(
    scenarios: Sequence[Scenario], settings: pd.DataFrame, numbers: pd.DataFrame
) -> str:
    """The page "Scenarios": links to each scenario book, what each assumes (``settings``,
    :func:`assumptions`) and every key number side by side (``numbers``,
    :func:`key_number_table`), those that move first."""
    names = [s.name for s in scenarios]
    base = f"../{SITE_FOLDER}"
    books = "\n".join(
        f'- <a href="{base}/{s.name}/index.html">{escape(s.name)}</a>: '
        f"{escape(s.description or 'no description')}"
        for s in scenarios
    )
    setting_rows = [
        [r["chapter"], r["description"] or r["parameter"], r["unit"], r["default"]]
        + [r[n] for n in names]
        for _, r in settings.iterrows()
    ]

    def rows(frame: pd.DataFrame) -> list[list[object]]:
        return [
            [r["chapter"], r["key"], r["unit"]] + [number(r[n], r["unit"]) for n in names]
            for _, r in frame.iterrows()
        ]

    moving, fixed = numbers[numbers["differs"]], numbers[~numbers["differs"]]
    header = ["Chapter", "Key number", "Unit", *names]
    return f"""# Scenarios

The book's chapters take parameters: forecast settings, tolerances, assumptions about
customers, costs and risks. A scenario is a file of `scenarios/` that sets some of them;
every chapter it leaves alone runs with its defaults. Each shipped scenario is published
as a complete book of its own:

{books}

## What each scenario assumes

The {len(settings)} parameters that some scenario sets to a value other than the
default (the settings of every chapter are described at the top of its page).
<a href="{base}/assumptions.csv" download>Download this table (CSV)</a>.

{_markdown_table(["Chapter", "Parameter", "Unit", "Default", *names], setting_rows)}

## Key numbers side by side

Every number the chapters glue into their text, as each scenario book shows it. Of the
{len(numbers)} key numbers, {len(moving)} move between scenarios and {len(fixed)} do not:
those depend only on the plan's figures and the official data.
<a href="{base}/key_numbers.csv" download>Download all of them (CSV)</a>.

{_markdown_table(header, rows(moving))}

```{{admonition}} The {len(fixed)} key numbers that are the same in every scenario
:class: dropdown

{_markdown_table(header, rows(fixed))}
```
"""


def publish(paths: BookPaths, scenarios: Sequence[Scenario]) -> Extras:
    """Write the scenario page and its CSVs (from the scenario books' executed chapters)
    into the main book's work folder; return what the main site must publish."""
    values = {
        s.name: {c.slug: glued_values(paths.executed(s.name) / c.notebook) for c in CHAPTERS}
        for s in scenarios
    }
    settings = assumptions(scenarios)
    numbers = key_number_table(values, load_units())
    out = paths.work(None) / "generated"
    page = out / "scenarios.md"
    atomic_write_text(page, page_markdown(scenarios, settings, numbers))
    settings_csv = out / "assumptions.csv"
    atomic_write_text(settings_csv, settings.to_csv(index=False))
    files: dict[str, Path] = {
        f"{SITE_FOLDER}/assumptions.csv": settings_csv,
        f"{SITE_FOLDER}/key_numbers.csv": C.write_csv(numbers, out / "key_numbers.csv"),
    }
    for s in scenarios:
        site = paths.site(s.name)
        for f in tree_files(site):
            files[f"{SITE_FOLDER}/{s.name}/{f.relative_to(site).as_posix()}"] = f
    return Extras(pages={PAGE: page}, files=files)


def builder_for(scenario: Scenario | None, with_scenarios: bool) -> Callable[..., Path | None]:
    """What ``planbook build`` calls: :func:`build_with_scenarios` or ``build_book``.

    Raises :class:`InputError` when both a scenario and ``--with-scenarios`` are asked for.
    """
    if with_scenarios and scenario is not None:
        raise InputError(
            "--with-scenarios builds the main book with every scenario; drop --scenario, "
            "or drop --with-scenarios to build one scenario's book"
        )
    return build_with_scenarios if with_scenarios else build_book


def build_with_scenarios(
    paths: BookPaths,
    scenario: Scenario | None,
    overrides: dict[str, dict[str, str]] | None = None,
    *,
    force: bool = False,
    workers: int | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    progress: Progress | None = None,
    report: Report = quiet,
    executor: ExecutorSpec | None = None,
) -> Path:
    """The main book with every shipped scenario published beside it.

    The main book's chapters run first (a failure there stops before any scenario), then
    each scenario's book (chapters and site), then the main site with the scenario page
    and sites. A failure raises one line naming the book and leaves the main site as it
    was. The arguments are :func:`~.orchestrate.build_book`'s; ``scenario`` must be None
    (the main book is built; a scenario's own book is ``build_book``'s).
    """
    builder_for(scenario, True)
    scenarios = P.check_scenarios(paths.scenarios)
    if not scenarios:
        raise InputError(
            f"--with-scenarios: {paths.scenarios} holds no scenario file (*.yml); add one "
            "or build without --with-scenarios"
        )
    common = {
        "force": force,
        "workers": workers,
        "timeout": timeout,
        "progress": progress,
        "report": report,
        "executor": executor,
    }
    build_book(paths, None, overrides, site=False, **common)  # type: ignore[arg-type]
    for scen in scenarios:
        report(f"scenario {scen.name}: {display_path(paths.site(scen.name), paths.root)}")
        try:
            build_book(paths, scen, None, **common)  # type: ignore[arg-type]
        except PlanbookError as exc:
            raise type(exc)(f"scenario {scen.name}: {exc}; the main site is unchanged") from None
    report("main book with the scenarios")
    if force:  # its chapters ran above: rebuild only the site, from scratch
        forget_site(paths, None)
    common["force"] = False
    site = build_book(paths, None, overrides, extras=publish(paths, scenarios), **common)  # type: ignore[arg-type]
    assert site is not None
    return site


__all__ = [
    "PAGE",
    "SITE_FOLDER",
    "assumptions",
    "build_with_scenarios",
    "builder_for",
    "key_number_table",
    "number",
    "page_markdown",
    "publish",
]
