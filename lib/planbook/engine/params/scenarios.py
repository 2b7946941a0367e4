"""Where parameter values come from besides the defaults: ``--set`` items and scenario
files, and the order in which they apply (:func:`resolve`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planbook.engine.params.base import ChapterParams
from planbook.engine.params.describe import validate_params
from planbook.engine.params.strict_yaml import read_yaml
from planbook.engine.registry import Chapter, get_chapter
from planbook.errors import InputError, clipped, quoted
from planbook.paths import check_scenario_name, display_path


def _shown(text: object, limit: int = 60) -> str:
    """User text for a one-line message: line breaks and control characters escaped, and
    cut to ``limit`` characters (then followed by its full length)."""
    return clipped(str(text), limit)


def _shown_path(path: Path) -> str:
    """A path for a one-line message; a long one keeps its end, which names the file."""
    s = _shown(display_path(path), 10**6)
    return s if len(s) <= 80 else "…" + s[-79:]


# --------------------------------------------------------------------------- --set parsing


def parse_set(items: list[str], chapter: Chapter | None = None) -> dict[str, dict[str, str]]:
    """Parse ``--set`` items into ``{chapter_slug: {name: raw_value}}``.

    ``name=value`` applies to ``chapter`` (when running one chapter); ``chapter.name=value``
    names the chapter explicitly (slug or number). Values stay strings here: the schema
    parses them, so ``007`` stays ``"007"`` for a text parameter. The same parameter given
    twice is refused unless both values are equal.
    """
    out: dict[str, dict[str, str]] = {}
    for item in items:
        if "=" not in item:
            raise InputError(
                f"--set {quoted(item)}: expected name=value (e.g. --set confidence=0.9)"
            )
        key, raw = item.split("=", 1)
        key = key.strip()
        if not key:
            raise InputError(f"--set {quoted(item)}: the parameter name is empty; use name=value")
        if "." in key:
            ch_name, name = key.split(".", 1)
            ch = get_chapter(ch_name)
        elif chapter is not None:
            ch, name = chapter, key
        else:
            raise InputError(
                f"--set {quoted(item)}: name the chapter when building the whole book, "
                f"e.g. --set market.{_shown(key, 40)}={_shown(raw, 24)}"
            )
        given = out.setdefault(ch.slug, {})
        value = raw.strip()
        if name in given and given[name] != value:
            raise InputError(
                f"--set {ch.slug}.{_shown(name, 40)} is given twice, as {quoted(given[name])} "
                f"and {quoted(value)}; give it once"
            )
        given[name] = value
    return out


# --------------------------------------------------------------------------- scenarios


@dataclass(frozen=True)
class Scenario:
    """A named set of parameter values for any subset of chapters."""

    name: str
    path: Path | None
    description: str = ""
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)


def _chapter_key(key: object, shown: str) -> Chapter:
    """The chapter a scenario file's top-level key names (slug or number)."""
    if not isinstance(key, str | int) or isinstance(key, bool):
        raise InputError(
            f"{shown}: {quoted(key)} is not a chapter name; the top-level keys are "
            "'description' and chapter names (see 'planbook list')"
        )
    try:
        return get_chapter(str(key))
    except InputError as exc:
        raise InputError(f"{shown}: {exc}") from None


def scenario_names(scenarios_dir: Path) -> list[str]:
    """The scenario files shipped in ``scenarios/``, by name."""
    return sorted(p.stem for p in scenarios_dir.glob("*.yml"))


def load_scenario(name_or_path: str, scenarios_dir: Path) -> Scenario:
    """Load and check a scenario file, given by name (from ``scenarios/``) or path.

    The scenario's name (the file's stem) must be a valid one (see
    :func:`planbook.paths.check_scenario_name`), the file is read strictly (see
    :mod:`.strict_yaml`), must set at least one parameter, and every chapter and parameter
    it sets is checked against the schemas here, so a bad file is refused before any
    kernel starts.
    """
    candidate = Path(name_or_path)
    looks_like_path = candidate.suffix in {".yml", ".yaml"} or len(candidate.parts) > 1
    if not looks_like_path:
        check_scenario_name(name_or_path)
    path = candidate if looks_like_path else scenarios_dir / f"{name_or_path}.yml"
    shown = _shown_path(path)
    if looks_like_path:
        try:
            check_scenario_name(path.stem)
        except InputError as exc:
            raise InputError(f"{shown}: {exc} (a scenario is named after its file)") from None
    if not path.is_file():
        names = ", ".join(scenario_names(scenarios_dir)) or "none"
        raise InputError(
            f"scenario {quoted(name_or_path)}: file {shown} not found; use a name from "
            f"scenarios/ ({names}) or the path to a .yml file"
        )
    doc = read_yaml(path, shown)
    example = "e.g. 'market: {confidence: 0.9}'"
    if doc is None:
        raise InputError(f"{shown}: the file is empty; a scenario sets parameters ({example})")
    if not isinstance(doc, dict):
        raise InputError(
            f"{shown}: expected a mapping of chapter names to parameters ({example}), "
            f"got {type(doc).__name__}"
        )
    description = doc.pop("description", "") or ""
    if not isinstance(description, str):
        raise InputError(f"{shown}: 'description' must be text")
    if not doc:
        raise InputError(f"{shown}: the scenario sets no parameters; add some ({example})")
    settings: dict[str, dict[str, Any]] = {}
    named: dict[str, object] = {}
    for ch_name, values in doc.items():
        ch = _chapter_key(ch_name, shown)
        if ch.slug in named:
            raise InputError(
                f"{shown}: chapter {ch.slug} is given twice (as {quoted(named[ch.slug])} "
                f"and {quoted(ch_name)}); keep one"
            )
        named[ch.slug] = ch_name
        if not isinstance(values, dict) or not values:
            got = "nothing" if values is None or values == {} else type(values).__name__
            raise InputError(
                f"{shown}: chapter {quoted(ch_name)} must map parameter names to values "
                f"(indented below it), got {got}; add its parameters or remove the chapter"
            )
        source = {str(k): f"{shown}: {ch.slug}.{_shown(k, 40)}" for k in values}
        clean = {str(k): v for k, v in values.items()}
        validate_params(ch, clean, source)
        settings[ch.slug] = clean
    return Scenario(name=path.stem, path=path, description=description, settings=settings)


def check_scenarios(scenarios_dir: Path) -> list[Scenario]:
    """Load every scenario file in ``scenarios/``: chapters 8 and 10 tabulate them all, so
    a broken or badly named one is refused before any kernel starts."""
    return [load_scenario(str(p), scenarios_dir) for p in sorted(scenarios_dir.glob("*.yml"))]


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
        where = _shown_path(scenario.path) if scenario.path else _shown(scenario.name)
        source.update({k: f"{where}: {chapter.slug}.{k}" for k in values})
    for name, raw in (overrides or {}).get(chapter.slug, {}).items():
        values[name] = raw
        source[name] = f"--set {_shown(name, 40)}={_shown(raw, 24)}"
    return validate_params(chapter, values, source)


def check_overrides(overrides: dict[str, dict[str, str]]) -> None:
    """Validate ``--set`` values against their chapters' schemas on their own."""
    for slug, values in overrides.items():
        ch = get_chapter(slug)
        source = {k: f"--set {_shown(k, 40)}={_shown(v, 24)}" for k, v in values.items()}
        validate_params(ch, values, source)


__all__ = [
    "Scenario",
    "check_overrides",
    "check_scenarios",
    "load_scenario",
    "parse_set",
    "resolve",
    "scenario_names",
]
