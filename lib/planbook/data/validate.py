"""Every data table checked at once, so a broken file stops a build before any kernel runs."""

from __future__ import annotations

from pathlib import Path

from planbook.data import book, glossary, official, plan, publications, risks
from planbook.paths import default_data_dir


def validate_all(data_dir: Path | None = None) -> None:
    """Load every table under ``data/`` once; the first problem raises ``DataFileError``.

    The tables: ``plan/sections.csv``, ``plan/claims.csv``, every official table
    (``official/*.csv``, :data:`planbook.data.official.TABLE_NAMES`, and the known breaks
    ``official/breaks.csv``, and the primary publication of each series
    ``official/publications.csv``), ``plan/glossary.csv``, ``plan/risks.csv`` and the book's
    declarations about its own numbers (``book/units.csv``, ``book/same_facts.csv``) and
    the methods' terms (``book/method_terms.csv``) and the pages' English labels
    (``book/labels.csv``).
    Each loader refuses unreadable files, empty tables, values that are not finite
    numbers and values outside their unit's domain (:mod:`planbook.data.domains`).
    """
    data_dir = data_dir or default_data_dir()
    plan.load_sections(data_dir)
    plan.load_claims(data_dir)
    official.validate_all(data_dir)
    publications.load_publications(data_dir)
    glossary.load_glossary(data_dir)
    risks.load_risks(data_dir)
    book.load_units(data_dir)
    book.load_same_facts(data_dir)
    book.load_method_terms(data_dir)
    book.load_labels(data_dir)


__all__ = ["validate_all"]
