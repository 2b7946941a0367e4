"""Property-based tests of the user-facing parsers: ``--set`` items and scenario files.

Whatever the input, the result is either a valid parameter set or an
:class:`~planbook.errors.InputError` whose message is one clean line; never another
exception. A few command-line examples check the exit code and the single ``error:``
line end to end.
"""

from __future__ import annotations

import string
import types
import typing
from pathlib import Path

import annotated_types
import pytest
import yaml
from conftest import planbook
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from planbook.engine import params as P
from planbook.engine.registry import CHAPTERS
from planbook.errors import InputError

REPO = Path(__file__).resolve().parents[1]
SLUGS = [c.slug for c in CHAPTERS]
NAMES = sorted({info.name for c in CHAPTERS for info in P.describe(c)})

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def one_clean_line(message: str) -> bool:
    return bool(message) and len(message.splitlines()) == 1 and message.isprintable()


def resolve_all(items: list[str], chapter) -> list[P.ChapterParams]:
    """What ``planbook run``/``build`` do with ``--set`` items before any kernel starts."""
    overrides = P.parse_set(items, chapter)
    P.check_overrides(overrides)
    return [P.resolve(c, None, overrides) for c in CHAPTERS]


# Text that looks like input: printable words, digits, separators, and any unicode.
pieces = st.one_of(
    st.sampled_from(SLUGS + [str(c.number) for c in CHAPTERS] + ["", " ", "x"]),
    st.sampled_from(NAMES),
    st.text(alphabet=string.printable, max_size=12),
    st.text(max_size=8),
)
values = st.one_of(
    st.text(max_size=12),
    st.integers(-(10**30), 10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["true", "false", "auto", "nan", "inf", "1e999", "007", " 0.9 ", ""]),
)
set_items = st.one_of(
    st.builds(lambda c, n, v: f"{c}.{n}={v}", pieces, pieces, values),
    st.builds(lambda n, v: f"{n}={v}", pieces, values),
    st.text(max_size=30),
)


@SETTINGS
@given(items=st.lists(set_items, max_size=4), which=st.sampled_from([None, *CHAPTERS]))
@example(items=["market.confidence=0.8\nX"], which=None)
@example(items=["confidence\n=1"], which=CHAPTERS[0])
@example(items=["forecast_horizon=1e999"], which=CHAPTERS[0])
def test_set_items_give_parameters_or_one_line(items: list[str], which) -> None:
    try:
        resolved = resolve_all(items, which)
    except InputError as exc:
        assert one_clean_line(str(exc)), repr(str(exc))
    else:
        assert len(resolved) == len(CHAPTERS)
        for params in resolved:
            type(params).model_validate(params.model_dump())  # a valid set


def in_range(chapter) -> st.SearchStrategy[tuple[str, object]]:
    """A parameter of ``chapter`` and a value its schema accepts (range, choices, type)."""
    options = []
    for name, field in P.schema_for(chapter).model_fields.items():
        annotation = field.annotation
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if isinstance(annotation, types.UnionType) and len(args) == 1:
            annotation = args[0]  # X | None: --set can give an X (there is no 'None' text)
        low = high = None
        low_open = high_open = False
        for m in field.metadata:
            if isinstance(m, annotated_types.Ge | annotated_types.Gt):
                low, low_open = getattr(m, "ge", getattr(m, "gt", None)), hasattr(m, "gt")
            if isinstance(m, annotated_types.Le | annotated_types.Lt):
                high, high_open = getattr(m, "le", getattr(m, "lt", None)), hasattr(m, "lt")
        if typing.get_origin(annotation) is typing.Literal:
            strategy = st.sampled_from(typing.get_args(annotation))
        elif annotation is bool:
            strategy = st.booleans()
        elif annotation is int:
            lo = -(10**6) if low is None else low + low_open
            hi = 10**6 if high is None else high - high_open
            strategy = st.integers(lo, hi)
        elif annotation is float and low is not None and high is not None:
            strategy = st.floats(
                low, high, exclude_min=low_open, exclude_max=high_open, allow_nan=False
            )
        elif isinstance(field.default, int | float | str) and not isinstance(field.default, bool):
            strategy = st.just(field.default)
        else:
            continue
        options.append(st.tuples(st.just(name), strategy))
    return st.one_of(options)


@SETTINGS
@given(data=st.data())
def test_valid_values_round_trip_through_set(data) -> None:
    chapter = data.draw(st.sampled_from(CHAPTERS))
    name, value = data.draw(in_range(chapter))
    text = str(value).lower() if isinstance(value, bool) else str(value)
    resolved = P.resolve(chapter, None, P.parse_set([f"{chapter.slug}.{name}={text}"], None))
    assert getattr(resolved, name) == value


# --------------------------------------------------------------------------- scenarios

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=10),
    st.sampled_from(SLUGS + NAMES),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.one_of(st.sampled_from(SLUGS + NAMES), st.text(max_size=8)), inner, max_size=4
        ),
    ),
    max_leaves=12,
)
plausible = st.dictionaries(
    st.sampled_from([*SLUGS, "description", "nope"]),
    st.one_of(
        st.none(),
        st.dictionaries(st.sampled_from([*NAMES, "typo"]), scalars, max_size=3),
        scalars,
    ),
    max_size=3,
)


def check_scenario(tmp_path: Path, text: str | bytes) -> None:
    path = tmp_path / "s.yml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    try:
        scenario = P.load_scenario(str(path), REPO / "scenarios")
    except InputError as exc:
        assert one_clean_line(str(exc)), repr(str(exc))
    else:
        for chapter in CHAPTERS:
            P.resolve(chapter, scenario)  # every value it sets is valid


@SETTINGS
@given(doc=st.one_of(documents, plausible))
def test_scenario_documents_load_or_give_one_line(tmp_path: Path, doc) -> None:
    try:
        text = yaml.safe_dump(doc, allow_unicode=True)
    except yaml.YAMLError:
        assume(False)
    check_scenario(tmp_path, text)


@SETTINGS
@given(text=st.one_of(st.text(max_size=80), st.binary(max_size=40)))
@example(text="market:\n  confidence: [0.9\n")
@example(text="market: {confidence: 0.9, confidence: 0.8}\n")
@example(text="? [a, b]\n: 1\n")
@example(text="market:\n  ? [x]\n  : 1\n")
@example(text="!!python/object:os.system {}\n")
@example(text=b"\xff\xfe market: 1")
@example(text="&a [*a]\n")
@example(text="market:\n  'conf\\nidence': 0.9\n")
def test_any_scenario_text_loads_or_gives_one_line(tmp_path: Path, text: str | bytes) -> None:
    check_scenario(tmp_path, text)


@SETTINGS
@given(name=st.text(max_size=20))
@example(name="a\nb")
@example(name="../../etc/passwd")
def test_any_scenario_name_loads_or_gives_one_line(name: str) -> None:
    try:
        P.load_scenario(name, REPO / "scenarios")
    except InputError as exc:
        assert one_clean_line(str(exc)), repr(str(exc))


# --------------------------------------------------------------------------- CLI


@pytest.mark.parametrize(
    "args",
    [
        ["run", "market", "--set", "confidence=0.8\nsecond line"],
        ["build", "--set", "market.forecast_horizon=1e999"],
        ["build", "--set", "market.=1"],
        ["build", "--set", ".confidence=1"],
        ["build", "--scenario", "a\nb"],
        ["run", "market", "--set", "confidence=\u2028"],
        ["run", "--bogus-option", "market"],
        ["run"],
        ["build", "--jobs", "many"],
        ["frobnicate"],
    ],
    ids=lambda a: " ".join(a).encode("unicode_escape").decode()[:40],
)
def test_cli_bad_input_is_one_error_line_exit_2(repo: Path, args: list[str]) -> None:
    result = planbook(*args, root=repo)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr and "running" not in result.stdout


def test_cli_bad_scenario_file_is_one_line(repo: Path, tmp_path: Path) -> None:
    path = tmp_path / "weird.yml"
    path.write_text("market:\n  'confid\\nence': 1\n  confidence: [1, 2]\n", encoding="utf-8")
    result = planbook("build", "--scenario", str(path), root=repo)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: ") and "weird.yml" in line
