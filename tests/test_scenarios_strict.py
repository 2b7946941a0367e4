"""Scenario names, strict reading of scenario files and ``--set``, and short messages.

A scenario's name names folders under ``_build/``, so it is limited to letters, digits,
``_`` and ``-`` and may not be a name the book or the build uses; the main book's folders
and a scenario's never overlap. Scenario files are read as YAML 1.2 (``on`` is text),
with no duplicate key, a bound on aliases, and no empty or do-nothing file. Every refusal
is one short line, however long the input. All of it happens before any kernel starts.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import copy_book, planbook, snapshot

from planbook.engine import params as P
from planbook.engine.build.site import stage_sources
from planbook.engine.params.strict_yaml import MAX_ALIASES, MAX_BYTES, parse_yaml
from planbook.engine.registry import CHAPTERS, get_chapter
from planbook.errors import InputError, quoted
from planbook.paths import BookPaths, check_scenario_name

REPO = Path(__file__).resolve().parents[1]
SCENARIOS = REPO / "scenarios"
MAX_LINE = 300
LONG = "x" * 100_000


def write(tmp_path: Path, text: str | bytes, name: str = "mine.yml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def refused(path_or_name: str | Path, *expected: str) -> str:
    """Load a scenario that must be refused; return the message after checking it."""
    with pytest.raises(InputError) as info:
        P.load_scenario(str(path_or_name), SCENARIOS)
    message = str(info.value)
    # the test's folder is long (and shortened with "…" in the message), a user's less so
    name = Path(str(path_or_name)).name
    own = message[message.find(name) + len(name) :] if name and name in message else message
    assert "\n" not in message and len(own) <= MAX_LINE, message
    for text in expected:
        assert text in message, message
    return message


# --------------------------------------------------------------------------- names

BAD_NAMES = [
    *("main", "Main", "MAIN", "mAiN", "book", "html", "chapters", "scenarios", "cache"),
    *("failed", "logs", "last_run", "work", "con", "NUL", "com1", "lpt9"),
    *("", ".", "..", "...", "-x", "_x", "a b", "a.b", "a/b", "a\\b", "é", "a\nb", "x" * 65),
]


@pytest.mark.parametrize("name", BAD_NAMES, ids=repr)
def test_bad_or_reserved_scenario_name_is_refused(name: str) -> None:
    with pytest.raises(InputError, match="scenario name"):
        check_scenario_name(name)


@pytest.mark.parametrize("name", ["low", "my_view", "Low-2", "2024", "x" * 64, "mainly"])
def test_good_scenario_name_is_accepted(name: str) -> None:
    assert check_scenario_name(name) == name


@pytest.mark.parametrize("name", ["main", "Main", "..", "", "-x", "a b", "x" * 65])
def test_bad_name_given_as_a_name_is_refused_before_looking_for_the_file(name: str) -> None:
    refused(name, "scenario name")


@pytest.mark.parametrize("stem", ["main", "Main", "..", ".", "html", "a b", "x" * 65])
def test_bad_name_given_as_a_file_is_refused_by_its_stem(tmp_path: Path, stem: str) -> None:
    path = write(tmp_path, (SCENARIOS / "conservative.yml").read_text(), f"{stem}.yml")
    refused(path, "scenario name", "named after its file")


def test_main_book_and_scenarios_never_share_a_folder(tmp_path: Path) -> None:
    paths = BookPaths(tmp_path)
    for kind in ("executed", "site", "failed", "logs", "work"):
        main = getattr(paths, kind)(None)
        for name in ("low", "book", "x" * 64):
            if name == "book":  # reserved: no folder is ever made for it
                with pytest.raises(InputError):
                    getattr(paths, kind)(name)
                continue
            scenario = getattr(paths, kind)(name)
            assert main != scenario
            assert main not in scenario.parents and scenario not in main.parents
            assert paths.build in scenario.parents


@pytest.mark.parametrize("name", ["..", "../html", "main", ""])
def test_book_paths_refuse_a_bad_scenario_name(tmp_path: Path, name: str) -> None:
    with pytest.raises(InputError):
        BookPaths(tmp_path).site(name)


# --------------------------------------------------------------------------- YAML 1.2


@pytest.mark.parametrize("word", ["on", "off", "yes", "no", "y", "n", "On", "YES", "No"])
def test_yaml_1_1_booleans_stay_text(word: str) -> None:
    assert parse_yaml(f"a: {word}") == {"a": word}


@pytest.mark.parametrize(("word", "value"), [("true", True), ("False", False), ("TRUE", True)])
def test_only_true_and_false_are_booleans(word: str, value: bool) -> None:
    assert parse_yaml(f"a: {word}") == {"a": value}


def test_numbers_and_dates_read_as_yaml_1_2() -> None:
    doc = parse_yaml("a: 010\nb: 0o10\nc: 0x10\nd: 1:30\ne: 2017-01-01\nf: 1e3\ng: -0.5\nh: 1_0")
    assert doc == {
        **{"a": 10, "b": 8, "c": 16, "d": "1:30", "e": "2017-01-01"},
        **{"f": 1000.0, "g": -0.5, "h": "1_0"},
    }


@pytest.mark.parametrize("word", ["on", "yes", "y", "off"])
def test_yaml_on_is_refused_for_a_number(tmp_path: Path, word: str) -> None:
    path = write(tmp_path, f"market:\n  confidence: {word}\n")
    refused(path, "market.confidence", "must be a number", f"got '{word}'")


@pytest.mark.parametrize("value", ["on", "off", "yes", "no", "1", "0", "'true-ish'"])
def test_yaml_word_or_number_is_refused_for_true_or_false(tmp_path: Path, value: str) -> None:
    path = write(tmp_path, f"resources:\n  commission_cut_as_benefit: {value}\n")
    refused(path, "resources.commission_cut_as_benefit", "must be true or false")


def test_true_is_refused_for_a_number(tmp_path: Path) -> None:
    path = write(tmp_path, "market:\n  forecast_horizon: true\n")
    refused(path, "market.forecast_horizon", "must be a whole number")


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_infinity_and_nan_are_refused(tmp_path: Path, value: str) -> None:
    path = write(tmp_path, f"market:\n  confidence: {value}\n")
    refused(path, "market.confidence", "finite number")


def test_true_or_false_still_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, "resources:\n  commission_cut_as_benefit: TRUE\n")
    scenario = P.load_scenario(str(path), SCENARIOS)
    assert P.resolve(get_chapter("resources"), scenario).commission_cut_as_benefit is True
    P.check_overrides({"resources": {"commission_cut_as_benefit": "False"}})
    with pytest.raises(InputError, match="must be true or false"):
        P.check_overrides({"resources": {"commission_cut_as_benefit": "yes"}})


# --------------------------------------------------------------------------- duplicates


def test_duplicate_chapter_key_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "market:\n  confidence: 0.9\nmarket:\n  confidence: 1.5\n")
    refused(path, "'market' is given twice", "line 3", "first at line 1")


def test_duplicate_parameter_key_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "market:\n  confidence: 7\n  forecast_horizon: 3\n  confidence: 0.9\n")
    refused(path, "'confidence' is given twice", "line 4", "first at line 2")


def test_duplicate_key_deeper_down_is_refused() -> None:
    with pytest.raises(Exception, match="given twice"):
        parse_yaml("a:\n  b:\n    c: 1\n    c: 2\n")


def test_chapter_named_twice_by_slug_and_number_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "market:\n  confidence: 0.9\n1:\n  confidence: 0.8\n")
    refused(path, "chapter market is given twice")


def test_duplicate_description_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "description: a\ndescription: b\nmarket:\n  confidence: 0.9\n")
    refused(path, "'description' is given twice")


# --------------------------------------------------------------------------- aliases

BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{new}: &{new} [{', '.join([f'*{old}'] * 9)}]\n"
    for old, new in zip("abcdefgh", "bcdefghi", strict=True)
)


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    path = write(tmp_path, BOMB)
    start = time.perf_counter()
    refused(path, "aliases expand to more than")
    assert time.perf_counter() - start < 5


def test_too_many_aliases_are_refused(tmp_path: Path) -> None:
    many = ", ".join(["*h"] * (MAX_ALIASES + 1))
    path = write(tmp_path, f"x: &h 3\nmarket:\n  forecast_horizon: *h\ny: [{many}]\n")
    refused(path, f"more than {MAX_ALIASES} aliases")


def test_alias_to_itself_is_refused() -> None:
    with pytest.raises(Exception, match="refers to the collection"):
        parse_yaml("a: &a [1, *a]\n")


def test_a_few_aliases_still_work(tmp_path: Path) -> None:
    text = "market:\n  confidence: &c 0.95\ngoals:\n  confidence: *c\n"
    scenario = P.load_scenario(str(write(tmp_path, text)), SCENARIOS)
    assert scenario.settings == {"market": {"confidence": 0.95}, "goals": {"confidence": 0.95}}


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "market: " + "[" * 20_000 + "]" * 20_000 + "\n")
    refused(path, "nested too deeply")


# --------------------------------------------------------------------------- shape


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the file is empty"),
        ("# nothing but a comment\n", "the file is empty"),
        ("description: a scenario that forgot its values\n", "sets no parameters"),
        ("- market\n- goals\n", "expected a mapping"),
        ("just words\n", "expected a mapping"),
        ("market:\n", "must map parameter names to values"),
        ("market: {}\n", "must map parameter names to values"),
        ("market: 3\n", "must map parameter names to values"),
        ("null:\n  confidence: 0.9\n", "is not a chapter name"),
        ("description: [1]\nmarket:\n  confidence: 0.9\n", "'description' must be text"),
        ("<<: {market: {confidence: 0.9}}\n", "unknown chapter '<<'"),
        ("market:\n  confidence: 0.9\x00\n", "not allowed"),
    ],
    ids=[
        "empty",
        "comment",
        "description only",
        "list",
        "scalar",
        "empty chapter",
        "empty mapping",
        "chapter scalar",
        "null key",
        "description list",
        "merge key",
        "NUL",
    ],
)
def test_scenario_of_the_wrong_shape_is_refused(tmp_path: Path, text: str, expected: str) -> None:
    refused(write(tmp_path, text), expected)


def test_file_over_the_size_cap_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "market:\n  confidence: 0.9\n#" + "x" * MAX_BYTES + "\n")
    refused(path, "larger than 1 MB")


def test_file_not_utf8_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "market:\n  forecast_method: caf\xe9\n".encode("latin-1"))
    refused(path, "not UTF-8", "0xe9")


def test_shipped_scenarios_still_load() -> None:
    loaded = P.check_scenarios(SCENARIOS)
    assert [s.name for s in loaded] == P.scenario_names(SCENARIOS)
    assert all(s.settings for s in loaded)


# --------------------------------------------------------------------------- --set


def test_identical_duplicate_set_is_accepted() -> None:
    items = ["market.confidence=0.8", "1.confidence=0.8", "market.confidence= 0.8"]
    assert P.parse_set(items) == {"market": {"confidence": "0.8"}}


@pytest.mark.parametrize(
    ("items", "chapter"),
    [
        (["market.confidence=0.9", "market.confidence=0.8"], None),
        (["market.confidence=0.9", "01.confidence=0.8"], None),
        (["confidence=0.9", "market.confidence=0.8"], "market"),
        (["confidence=high", "confidence=0.8"], "market"),
    ],
)
def test_different_duplicate_set_is_refused(items: list[str], chapter: str | None) -> None:
    ch = get_chapter(chapter) if chapter else None
    with pytest.raises(InputError, match=r"market\.confidence is given twice"):
        P.parse_set(items, ch)


# --------------------------------------------------------------------------- short lines


def test_quoted_cuts_a_long_value() -> None:
    assert quoted("abc") == "'abc'"
    shown = quoted(LONG)
    assert len(shown) < 100 and "100,000 characters" in shown and "…" in shown
    assert len(quoted([[LONG] * 1000] * 1000)) < 100


@pytest.mark.parametrize(
    "call",
    [
        lambda: P.check_overrides(P.parse_set([f"market.confidence={LONG}"])),
        lambda: P.check_overrides({"market": {"forecast_method": LONG}}),
        lambda: P.check_overrides({"market": {LONG: "1"}}),
        lambda: P.parse_set([f"{LONG}.confidence=1"]),
        lambda: P.parse_set([LONG]),
        lambda: P.parse_set([f"confidence={LONG}"]),
        lambda: P.parse_set([f"market.confidence={LONG}", "market.confidence=1"]),
        lambda: get_chapter(LONG),
        lambda: P.validate_params("resources", {"commission_cut_as_benefit": LONG}),
    ],
    ids=[
        "set value",
        "set choice",
        "set name",
        "set chapter",
        "set no equals",
        "set no chapter",
        "set twice",
        "chapter",
        "bool",
    ],
)
def test_long_input_gives_a_short_message(call) -> None:
    with pytest.raises(InputError) as info:
        call()
    message = str(info.value)
    assert len(message) <= MAX_LINE + 80, message
    assert "100,000 characters" in message


@pytest.mark.parametrize(
    "text",
    [
        f"market:\n  forecast_method: {LONG}\n",
        f"market:\n  ? {LONG}\n  : 1\n",
        f"? {LONG}\n: {{a: 1}}\n",
    ],
    ids=["value", "parameter", "chapter"],
)
def test_long_scenario_value_gives_a_short_message(tmp_path: Path, text: str) -> None:
    message = refused(write(tmp_path, text))
    assert "100,000 characters" in message


# --------------------------------------------------------------------------- staging


def test_staged_page_is_newer_when_its_content_changed(tmp_path: Path) -> None:
    root = tmp_path / "book"
    (root / "book").mkdir(parents=True)
    (root / "_toc.yml").write_text("root: book/intro\n", encoding="utf-8")
    (root / "_config.yml").write_text("title: t\n", encoding="utf-8")
    (root / "book" / "intro.md").write_text("# Intro\n", encoding="utf-8")
    executed = tmp_path / "executed"
    executed.mkdir()
    page = executed / CHAPTERS[0].notebook
    stage = tmp_path / "stage"
    staged = stage / "notebooks" / CHAPTERS[0].notebook
    old = 1_000_000_000  # 2001: an execution taken from an old cache entry
    paths = BookPaths(root)

    page.write_text('{"v": 1}', encoding="utf-8")
    os.utime(page, (old, old))
    stage_sources(paths, executed, stage)
    assert staged.read_text(encoding="utf-8") == '{"v": 1}'
    assert staged.stat().st_mtime > old + 1e6  # not the source's time

    os.utime(staged, (old + 10, old + 10))  # as if Sphinx read it at old + 10
    stage_sources(paths, executed, stage)
    assert staged.stat().st_mtime == old + 10  # equal content: untouched

    page.write_text('{"v": 2}', encoding="utf-8")  # same length, older than the last read
    os.utime(page, (old, old))
    stage_sources(paths, executed, stage)
    assert staged.read_text(encoding="utf-8") == '{"v": 2}'
    assert staged.stat().st_mtime > old + 10


# --------------------------------------------------------------------------- the command


@pytest.fixture(scope="module")
def source_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An unbuilt copy of the book: every case here stops before a kernel would start."""
    return copy_book(tmp_path_factory.mktemp("strict") / "book")


def _one_line(result, *expected: str) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert len(lines[0]) <= MAX_LINE + 80, lines[0]
    assert "Traceback" not in result.stdout + result.stderr
    assert "running" not in result.stdout
    for text in expected:
        assert text in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["build", "--scenario", "main"], ["'main' is reserved"]),
        (["build", "--scenario", "Main"], ["'Main' is reserved"]),
        (["build", "--scenario", ""], ["is empty"]),
        (["run", "market", "--scenario", ".."], ["'..'"]),
        (["compare", "baseline", "main"], ["'main' is reserved"]),
        (
            ["build", "--set", "market.confidence=0.9", "--set", "market.confidence=0.8"],
            ["given twice"],
        ),
        (["build", "--set", "market.confidence=nan"], ["finite number"]),
        (["build", "--set", f"market.forecast_method={'m' * 50_000}"], ["50,000 characters"]),
    ],
    ids=lambda a: " ".join(a)[:60] if isinstance(a, list) else None,
)
def test_command_refuses_before_any_kernel(
    source_copy: Path, args: list[str], expected: list[str]
) -> None:
    before = snapshot(source_copy)
    _one_line(planbook(*args, root=source_copy, timeout=120), *expected)
    assert snapshot(source_copy) == before


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("...yml", (SCENARIOS / "conservative.yml").read_text(), ["'..'", "named after its file"]),
        ("on.yml", "market:\n  confidence: on\n", ["must be a number", "got 'on'"]),
        ("bomb.yml", BOMB, ["aliases expand"]),
        ("empty.yml", "", ["the file is empty"]),
        ("twice.yml", "market:\n  confidence: 0.9\nmarket:\n  confidence: 2\n", ["twice"]),
    ],
    ids=lambda a: a if isinstance(a, str) and a.endswith(".yml") else None,
)
def test_command_refuses_a_bad_scenario_file(
    source_copy: Path, tmp_path: Path, name: str, text: str, expected: list[str]
) -> None:
    path = write(tmp_path, text, name)
    before = snapshot(source_copy)
    start = time.perf_counter()
    _one_line(planbook("build", "--scenario", str(path), root=source_copy, timeout=120), *expected)
    assert time.perf_counter() - start < 30
    assert snapshot(source_copy) == before


def test_same_scenario_twice_in_compare_is_refused(source_copy: Path, tmp_path: Path) -> None:
    path = write(tmp_path, (SCENARIOS / "baseline.yml").read_text(), "Baseline.yml")
    _one_line(planbook("compare", "baseline", str(path), root=source_copy), "named twice")


def test_broken_shipped_scenario_is_refused_before_any_kernel(tmp_path: Path) -> None:
    root = copy_book(tmp_path / "book")
    (root / "scenarios" / "extra.yml").write_text("market:\n  confidence: on\n", "utf-8")
    _one_line(planbook("run", "market", root=root), "scenarios/extra.yml", "must be a number")
