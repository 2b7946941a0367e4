"""Every CSV file under ``data/``: its loader, its size and the schema its rows follow.

Every CSV file under ``data/`` is found by walking the folder (:func:`csv_files`), so a
table added later appears on the page without a change here; a file with no loader is
listed as not validated.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import annotated_types
import pandas as pd
from pydantic import BaseModel

from planbook.data import book, glossary, official, publications, risks
from planbook.data import plan as data
from planbook.paths import default_data_dir


@dataclass(frozen=True)
class Loader:
    """How the book reads one CSV file: the loader's dotted name, its call and row model."""

    name: str
    load: Callable[[Path], pd.DataFrame] | None
    model: type[BaseModel] | None
    note: str = ""


RAW_NOTE = (
    "raw input of data/official/build_tables.py, never read by a chapter; checked by "
    "rebuilding the official tables byte for byte (tests/test_official.py) and by its "
    "checksum in data/official/README.md"
)


def loaders() -> dict[str, Loader]:
    """The loader of each known CSV file, keyed by its path relative to ``data/``."""
    known: dict[str, Loader] = {
        "plan/claims.csv": Loader(
            "planbook.data.plan.load_claims", data.load_claims, data.ClaimRow
        ),
        "plan/sections.csv": Loader(
            "planbook.data.plan.load_sections", data.load_sections, data.SectionRow
        ),
        "plan/glossary.csv": Loader(
            "planbook.data.glossary.load_glossary", glossary.load_glossary, glossary.GlossaryRow
        ),
        "plan/risks.csv": Loader("planbook.data.risks.load_risks", risks.load_risks, risks.RiskRow),
        "book/units.csv": Loader("planbook.data.book.load_units", book.load_units, book.UnitRow),
        "book/same_facts.csv": Loader(
            "planbook.data.book.load_same_facts", book.load_same_facts, book.SameFactRow
        ),
        "book/labels.csv": Loader(
            "planbook.data.book.load_labels", book.load_labels, book.LabelRow
        ),
        "book/method_terms.csv": Loader(
            "planbook.data.book.load_method_terms", book.load_method_terms, book.MethodTermRow
        ),
        "official/raw/official_stats.csv": Loader("none", None, None, RAW_NOTE),
        "official/raw/official_stats_additions.csv": Loader("none", None, None, RAW_NOTE),
        "official/breaks.csv": Loader(
            "planbook.data.official.load_breaks", official.load_breaks, official.BreakRow
        ),
        "official/publications.csv": Loader(
            "planbook.data.publications.load_publications",
            publications.load_publications,
            publications.PublicationRow,
        ),
    }
    for name, model in official.MODELS.items():
        known[f"official/{name}.csv"] = Loader(
            "planbook.data.official.load_official",
            lambda d, n=name: official.load_official(n, d),
            model,
        )
    return known


FILE_TITLES: dict[str, str] = {
    "plan/claims.csv": "The plan's figures (claims)",
    "plan/sections.csv": "The plan's sections",
    "plan/glossary.csv": "Glossary of the plan's terms",
    "plan/risks.csv": "The plan's risks",
    "book/units.csv": "Units of the book's key numbers",
    "book/same_facts.csv": "Key numbers that state one fact",
    "book/labels.csv": "English labels of names and units",
    "book/method_terms.csv": "Terms of the book's methods",
    "official/raw/official_stats.csv": "Raw compilation of official statistics",
    "official/raw/official_stats_additions.csv": "Raw additions to that compilation",
    "official/breaks.csv": "Known breaks in the official series",
    "official/publications.csv": "Primary publications of the official series",
}
"""What the page calls each known file (official tables: :func:`file_title`)."""


def file_title(rel: str, names: dict[str, str] | None = None) -> str:
    """A file's name in words: :data:`FILE_TITLES`, an official table by its series'
    English name (``names``) with ``annual`` for a table by year, else its path.

    >>> file_title("official/online_retail_sales.csv", {"online_retail_sales": "Online retail"})
    'Online retail, annual'
    """
    if rel in FILE_TITLES:
        return FILE_TITLES[rel]
    name = rel.removeprefix("official/").removesuffix(".csv")
    model = official.MODELS.get(name)
    if model is None or "/" in name:
        return f"data/{rel}"
    words = (names or {}).get(name, name.replace("_", " "))
    return f"{words}, annual" if model.KEY == "year" else words


def csv_files(data_dir: Path | None = None) -> list[Path]:
    """Every ``*.csv`` file below ``data_dir`` (default the book's ``data/``), sorted."""
    root = Path(data_dir or default_data_dir())
    return sorted(p for p in root.rglob("*.csv") if p.is_file())


def relative(path: Path, data_dir: Path | None = None) -> str:
    """A file's path relative to ``data/``, with forward slashes."""
    return path.relative_to(Path(data_dir or default_data_dir())).as_posix()


def load_table(path: Path, data_dir: Path | None = None) -> pd.DataFrame:
    """Read one CSV under ``data/`` through its loader (validated), or plainly if it has
    none (every value as text)."""
    data_dir = Path(data_dir or default_data_dir())
    loader = loaders().get(relative(path, data_dir))
    if loader is not None and loader.load is not None:
        return loader.load(data_dir)
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def load_all(data_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    """Every CSV under ``data/``, loaded (see :func:`load_table`), keyed by relative path."""
    data_dir = Path(data_dir or default_data_dir())
    return {relative(p, data_dir): load_table(p, data_dir) for p in csv_files(data_dir)}


def inventory(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per CSV file: rows, columns, loader, row model and whether it is validated.

    Parameters
    ----------
    tables
        As returned by :func:`load_all`.

    Returns
    -------
    pandas.DataFrame
        Columns ``file`` (relative to ``data/``), ``rows``, ``n_columns``, ``columns``
        (the file's own columns, comma-separated), ``loader``, ``row_model``,
        ``validated`` and ``note``.
    """
    known = loaders()
    rows = []
    for rel, frame in tables.items():
        loader = known.get(rel)
        model = loader.model if loader else None
        columns = list(model.model_fields) if model is not None else list(frame.columns)
        rows.append(
            {
                "file": rel,
                "rows": len(frame),
                "n_columns": len(columns),
                "columns": ", ".join(columns),
                "loader": loader.name if loader else "none",
                "row_model": model.__name__ if model is not None else "none",
                "validated": bool(loader and loader.load is not None),
                "note": loader.note if loader else "no loader: not validated, not used",
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- schemas


def _type_text(annotation: Any) -> str:
    if typing.get_origin(annotation) is Literal:
        return "one of: " + ", ".join(str(a) for a in typing.get_args(annotation))
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if args and len(args) < len(typing.get_args(annotation)):
        return f"{_type_text(args[0])} (optional)"
    return getattr(annotation, "__name__", str(annotation))


def _constraints(metadata: list[Any]) -> str:
    parts = []
    for m in metadata:
        for attr, word in (
            ("ge", ">="),
            ("gt", ">"),
            ("le", "<="),
            ("lt", "<"),
            ("min_length", "min length"),
            ("max_length", "max length"),
        ):
            value = getattr(m, attr, None)
            if value is not None and isinstance(m, annotated_types.BaseMetadata):
                parts.append(f"{word} {value}")
        pattern = getattr(m, "pattern", None)
        if pattern:
            parts.append(f"pattern {pattern}")
    return "; ".join(parts)


def schema_table(model: type[BaseModel]) -> pd.DataFrame:
    """A row model's columns: ``column``, ``type`` (with choices) and ``constraints``
    (ranges, lengths, patterns; validators in code are not listed)."""
    rows = []
    for name, info in model.model_fields.items():
        rows.append(
            {
                "column": name,
                "type": _type_text(info.annotation),
                "required": info.is_required(),
                "constraints": _constraints(list(info.metadata)),
            }
        )
    return pd.DataFrame(rows)


def official_models() -> pd.DataFrame:
    """How each official table narrows the shared :class:`~planbook.data.official.OfficialRow`:
    its row model, the column that with series and measure keys an observation (``year``
    or ``period``), its allowed units and series."""
    rows = []
    for name, model in official.MODELS.items():
        fields = model.model_fields
        rows.append(
            {
                "table": name,
                "row_model": model.__name__,
                "key": model.KEY,
                "units": ", ".join(typing.get_args(fields["unit"].annotation)),
                "series": ", ".join(typing.get_args(fields["series"].annotation)),
            }
        )
    return pd.DataFrame(rows)


__all__ = [
    "RAW_NOTE",
    "Loader",
    "FILE_TITLES",
    "csv_files",
    "file_title",
    "inventory",
    "load_all",
    "load_table",
    "loaders",
    "official_models",
    "relative",
    "schema_table",
]
