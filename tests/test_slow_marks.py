"""The suite's own rule: a test that builds the book is marked ``slow``."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from conftest import SLOW_FIXTURES, pytest_collection_modifyitems


@dataclass
class FakeItem:
    nodeid: str
    fixturenames: list[str]
    marks: set[str] = field(default_factory=set)

    def get_closest_marker(self, name: str) -> object | None:
        return name if name in self.marks else None


@pytest.mark.parametrize("fixture", sorted(SLOW_FIXTURES))
def test_a_test_using_a_build_fixture_without_the_slow_mark_stops_the_run(fixture: str) -> None:
    items = [
        FakeItem("tests/test_x.py::test_fast", ["tmp_path"]),
        FakeItem("tests/test_x.py::test_marked", [fixture], {"slow"}),
        FakeItem("tests/test_x.py::test_unmarked[a]", ["tmp_path", fixture]),
    ]
    with pytest.raises(pytest.UsageError, match=r"test_x.py::test_unmarked\b") as caught:
        pytest_collection_modifyitems(None, items)
    assert "test_marked" not in str(caught.value) and "test_fast" not in str(caught.value)


def test_marked_and_fast_tests_pass_the_check() -> None:
    items = [
        FakeItem("tests/test_x.py::test_fast", ["tmp_path", "repo"]),
        FakeItem("tests/test_x.py::test_marked", ["book_copy", "built_book"], {"slow"}),
    ]
    pytest_collection_modifyitems(None, items)
