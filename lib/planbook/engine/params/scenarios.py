"""Where parameter values come from besides the defaults: ``--set`` items and scenario
files, and the order in which they apply (:func:`resolve`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from planbook.engine.params.base import ChapterParams
from planbook.engine.params.describe import validate_params
from planbook.engine.registry import Chapter, get_chapter
from planbook.errors import InputError
from planbook.paths import display_path


def _shown(text: object) -> str:
    """User text for a one-line message: line breaks and control characters escaped."""
    s = str(text)
    return s if s.isprintable() else "".join(c if c.isprintable() else repr(c)[1:-1] for c in s)


# --------------------------------------------------------------------------- --set parsing


def parse_set(items: list[str], chapter: Chapter | None = None) -> dict[str, dict[str, str]]:
    """Parse ``--set`` items into ``{chapter_slug: {name: raw_value}}``.

    ``name=value`` applies to ``chapter`` (when running one chapter); ``chapter.name=value``
    names the chapter explicitly (slug or number). Values stay strings here: the schema
    parses them, so ``007`` stays ``"007"`` for a text parameter.
    """
    out: dict[str, dict[str, str]] = {}
    for item in items:
        if "=" not in item:
            raise InputError(f"--set {item!r}: expected name=value (e.g. --set confidence=0.9)")
        key, raw = item.split("=", 1)
        key = key.strip()
        if not key:
            raise InputError(f"--set {item!r}: the parameter name is empty; use name=value")
        if "." in key:
            ch_name, name = key.split(".", 1)
            ch = get_chapter(ch_name)
        elif chapter is not None:
            ch, name = chapter, key
        else:
            raise InputError(
                f"--set {item!r}: name the chapter when building the whole book, "
                f"e.g. --set market.{_shown(key)}={_shown(raw)}"
            )
        out.setdefault(ch.slug, {})[name] = raw.strip()
    return out


# --------------------------------------------------------------------------- scenarios


@dataclass(frozen=True)
class Scenario:
    """A named set of parameter values for any subset of chapters."""

    name: str
    path: Path | None
    description: str = ""
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)


def scenario_names(scenarios_dir: Path) -> list[str]:
    """The scenario files shipped in ``scenarios/``, by name."""
    return sorted(p.stem for p in scenarios_dir.glob("*.yml"))


def load_scenario(name_or_path: str, scenarios_dir: Path) -> Scenario:
    """Load and check a scenario file, given by name (from ``scenarios/``) or path.

    Every chapter and parameter it sets is checked against the schemas here, so a bad
    file is refused before any kernel starts.
    """
    candidate = Path(name_or_path)
    looks_like_path = candidate.suffix in {".yml", ".yaml"} or len(candidate.parts) > 1
    path = candidate if looks_like_path else scenarios_dir / f"{name_or_path}.yml"
    shown = _shown(display_path(path))
    if not path.is_file():
        names = ", ".join(scenario_names(scenarios_dir)) or "none"
        raise InputError(
            f"scenario {name_or_path!r}: file {shown} not found; use a name from scenarios/ "
            f"({names}) or the path to a .yml file"
        )
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise InputError(f"{shown}: not valid YAML{where} ({problem}); fix the file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{shown}: cannot be read ({exc}); fix the file") from None
    if doc is None:
        doc = {}
    if not isinstance(doc, dict):
        raise InputError(
            f"{shown}: expected a mapping of chapter names to parameters "
            f"(e.g. 'market:' then '  confidence: 0.9'), got {type(doc).__name__}"
        )
    description = doc.pop("description", "") or ""
    if not isinstance(description, str):
        raise InputError(f"{shown}: 'description' must be text")
    settings: dict[str, dict[str, Any]] = {}
    for ch_name, values in doc.items():
        try:
            ch = get_chapter(str(ch_name))
        except InputError as exc:
            raise InputError(f"{shown}: {exc}") from None
        if values is None:
            values = {}
        if not isinstance(values, dict):
            raise InputError(
                f"{shown}: chapter {ch_name!r} must map parameter names to values, "
                f"got {type(values).__name__}"
            )
        source = {str(k): f"{shown}: {ch.slug}.{_shown(k)}" for k in values}
        clean = {str(k): v for k, v in values.items()}
        validate_params(ch, clean, source)
        settings[ch.slug] = clean
    return Scenario(name=path.stem, path=path, description=description, settings=settings)


def resolve(
    chapter: Chapter,
    scenario: Scenario | None = None,
    overrides: dict[str, dict[str, str]] | None = None,
    base: dict[str, Any] | None = None,
) -> ChapterParams:
    """Resolve a chapter's parameters: defaults, then ``base``, then scenario, then ``--set``.

    ``base`` carries values the chapter was last run with (the main book keeps them).
    """
    values: dict[str, Any] = {}
    source: dict[str, str] = {}
    if base:
        values.update(base)
    if scenario is not None:
        values.update(scenario.settings.get(chapter.slug, {}))
        where = _shown(display_path(scenario.path)) if scenario.path else _shown(scenario.name)
        source.update({k: f"{where}: {chapter.slug}.{k}" for k in values})
    for name, raw in (overrides or {}).get(chapter.slug, {}).items():
        values[name] = raw
        source[name] = f"--set {_shown(name)}={_shown(raw)}"
    return validate_params(chapter, values, source)


def check_overrides(overrides: dict[str, dict[str, str]]) -> None:
    """Validate ``--set`` values against their chapters' schemas on their own."""
    for slug, values in overrides.items():
        ch = get_chapter(slug)
        source = {k: f"--set {_shown(k)}={_shown(v)}" for k, v in values.items()}
        validate_params(ch, values, source)


__all__ = [
    "Scenario",
    "check_overrides",
    "load_scenario",
    "parse_set",
    "resolve",
    "scenario_names",
]
