"""Reading a scenario file strictly: YAML 1.2 scalars, no duplicate keys, bounded aliases.

PyYAML reads YAML 1.1, where ``on``, ``off``, ``yes``, ``no``, ``y`` and ``n`` are booleans,
``010`` is eight and ``1:30`` is ninety; a later key silently replaces an earlier one of the
same name; and a few aliases can expand to billions of nodes. :func:`read_yaml` reads
with the YAML 1.2 core schema instead (only ``true``/``false`` are booleans, numbers are
decimal unless written ``0o``/``0x``, dates stay text), refuses a duplicate key at any
level, more than :data:`MAX_ALIASES` aliases or a document that would expand to more than
:data:`MAX_NODES` nodes, a file over :data:`MAX_BYTES` and a file that is not UTF-8; each
refusal is one :class:`~planbook.errors.InputError` line naming the file and the line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from planbook.errors import InputError, quoted

MAX_BYTES = 1_000_000
"""The largest scenario file read (the shipped ones are under 10 kB)."""
MAX_ALIASES = 100
"""The most aliases (``*name``) a file may use."""
MAX_NODES = 10_000
"""The most values a file may hold once its aliases are expanded."""

_TAG = "tag:yaml.org,2002:"
_DROPPED = {f"{_TAG}{t}" for t in ("bool", "int", "float", "merge", "timestamp")}


class _Refused(yaml.YAMLError):
    """A document this reader refuses, with the line (1-based) where the problem is."""

    def __init__(self, problem: str, mark: yaml.Mark | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = mark.line + 1 if mark is not None else None


def _kept_resolvers() -> dict[Any, list[tuple[str, re.Pattern[str]]]]:
    """The safe loader's implicit types less YAML 1.1's booleans, numbers, dates, merges."""
    out: dict[Any, list[tuple[str, re.Pattern[str]]]] = {}
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items():
        kept = [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED]
        if kept:
            out[first] = kept
    return out


class StrictLoader(yaml.SafeLoader):
    """A safe loader with YAML 1.2 core scalars, unique keys and bounded aliases."""

    yaml_implicit_resolvers = _kept_resolvers()

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.aliases = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                mark = self.peek_event().start_mark
                raise _Refused(f"more than {MAX_ALIASES} aliases (*name)", mark)
        return super().compose_node(parent, index)

    def compose_document(self) -> Node | None:
        node = super().compose_document()
        if node is not None:
            _expanded_size(node, {}, set())
        return node

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, MappingNode):
            first: dict[Any, yaml.Mark] = {}
            for key_node, _ in node.value:
                if not isinstance(key_node, ScalarNode):
                    continue
                key = self.construct_object(key_node)
                if key in first:
                    raise _Refused(
                        f"the key {quoted(key)} is given twice (first at line "
                        f"{first[key].line + 1}); keep one",
                        key_node.start_mark,
                    )
                first[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)


def _expanded_size(node: Node, sizes: dict[int, int], open_: set[int]) -> int:
    """The number of values ``node`` stands for once every alias is expanded."""
    known = sizes.get(id(node))
    if known is not None:
        return known
    if id(node) in open_:
        raise _Refused("an alias refers to the collection that contains it", node.start_mark)
    size = 1
    if isinstance(node, SequenceNode | MappingNode):
        open_.add(id(node))
        children = (
            node.value if isinstance(node, SequenceNode) else [n for kv in node.value for n in kv]
        )
        for child in children:
            size += _expanded_size(child, sizes, open_)
            if size > MAX_NODES:
                raise _Refused(
                    f"its aliases expand to more than {MAX_NODES:,} values", node.start_mark
                )
        open_.discard(id(node))
    sizes[id(node)] = size
    return size


def _bool(loader: StrictLoader, node: ScalarNode) -> bool:
    return str(loader.construct_scalar(node)).lower() == "true"


def _int(loader: StrictLoader, node: ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    if len(text) > 100:
        raise _Refused(f"the number {quoted(text)} is too long", node.start_mark)
    if text[:2] in {"0o", "0x"}:
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text, 10)


def _float(loader: StrictLoader, node: ScalarNode) -> float:
    text = str(loader.construct_scalar(node))
    lower = text.lower()
    if lower.endswith(".inf"):
        return float("-inf") if lower.startswith("-") else float("inf")
    if lower == ".nan":
        return float("nan")
    return float(text)


_RESOLVERS = [
    (f"{_TAG}bool", r"(?i:true|false)", "tTfF"),
    (f"{_TAG}int", r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", "-+0123456789"),
    (
        f"{_TAG}float",
        r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)",
        "-+.0123456789",
    ),
]
for _tag, _pattern, _first in _RESOLVERS:
    StrictLoader.add_implicit_resolver(_tag, re.compile(rf"^(?:{_pattern})$"), list(_first))
StrictLoader.add_constructor(f"{_TAG}bool", _bool)
StrictLoader.add_constructor(f"{_TAG}int", _int)
StrictLoader.add_constructor(f"{_TAG}float", _float)


def parse_yaml(text: str) -> Any:
    """Parse one YAML document strictly (see the module's docstring).

    Raises ``yaml.YAMLError`` (a syntax error, or a refusal with ``problem`` and ``line``)
    and ``RecursionError`` for a document nested too deeply.
    """
    loader = StrictLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def read_yaml(path: Path, shown: str) -> Any:
    """Read a YAML file strictly; every problem is one :class:`InputError` naming ``shown``."""
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{shown}: cannot be read ({exc.strerror or exc}); fix the file") from None
    if len(raw) > MAX_BYTES:
        raise InputError(
            f"{shown}: larger than {MAX_BYTES // 1_000_000} MB; a scenario file sets a few "
            "parameters, so check that this is the right file"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{shown}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8"
        ) from None
    try:
        return parse_yaml(text)
    except _Refused as exc:
        where = f" at line {exc.line}" if exc.line else ""
        raise InputError(f"{shown}: refused{where}: {exc.problem}") from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        raise InputError(
            f"{shown}: not valid YAML at line {line} (the character #x{exc.character:04x} is "
            "not allowed); remove it"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        problem = problem if len(problem) <= 200 else problem[:200] + "…"
        raise InputError(f"{shown}: not valid YAML{where} ({problem}); fix the file") from None
    except (RecursionError, MemoryError):
        raise InputError(
            f"{shown}: nested too deeply to be a scenario file; fix the file"
        ) from None


__all__ = ["MAX_ALIASES", "MAX_BYTES", "MAX_NODES", "StrictLoader", "parse_yaml", "read_yaml"]
