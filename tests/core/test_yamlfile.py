"""Line-numbered YAML: syntax errors in every YAML file of an essay name the right line."""

from __future__ import annotations

from pathlib import Path

from reader.core import timeline, xref, yamlfile
from reader.core.content import load_library
from reader.core.model import Problem
from tests.core import test_timeline, test_xref
from tests.essay_fixtures import GOOD_ESSAY, write_essay


def test_front_matter_syntax_error_names_its_line_in_essay_md(tmp_path: Path) -> None:
    # Front matter starts on line 2 of essay.md; the flow list opened on line 3
    # is still open when the parser meets the closing line of the block.
    text = GOOD_ESSAY.replace("created: 2020-01-01\n", "created: 2020-01-01\ntags: [a, b\n")
    folder = write_essay(tmp_path, text=text)
    problems = [p for p in load_library(tmp_path).problems if "front matter" in p.message]
    assert [p.path for p in problems] == [folder / "essay.md"]
    assert problems[0].line == 5
    assert problems[0].message.startswith("malformed front matter: ")


def test_front_matter_error_line_counts_from_the_file_not_the_block(tmp_path: Path) -> None:
    text = GOOD_ESSAY.replace('title: "A Small Essay"\n', 'title: "A Small Essay"\n: bad\n')
    folder = write_essay(tmp_path, text=text)
    [problem] = [p for p in load_library(tmp_path).problems if "front matter" in p.message]
    assert str(problem).startswith(f"{folder / 'essay.md'}:3: malformed front matter")


def test_index_syntax_error_names_its_line(tmp_path: Path) -> None:
    index = "entries:\n  - id: a\n    kind: place\n    name: A\n    description: [x\n"
    folder = test_xref.write(tmp_path, index=index)
    _, problems = xref.load_index(load_library(tmp_path))
    assert [(p.path, p.line) for p in problems] == [(folder / "index.yaml", 6)]
    assert problems[0].message.startswith("malformed YAML: ")


def test_timeline_syntax_error_names_its_line(tmp_path: Path) -> None:
    events = (
        "events:\n  - date: 1939-08-23\n    precision: day\n    label: Pact\n"
        "    section: start\n  - date: 1939-09-01\n    label: 'unclosed\n"
    )
    folder = test_timeline.write(tmp_path, events=events)
    problems = [p for p in timeline.check(load_library(tmp_path)) if p.path.name == "timeline.yaml"]
    assert [(p.path, p.line) for p in problems] == [(folder / "timeline.yaml", 8)]
    assert problems[0].message.startswith("malformed YAML: ")


def test_items_know_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("# a comment\nthings:\n  - a\n\n  - {b: 1}\n  - c\n", encoding="utf-8")
    problems: list[Problem] = []
    assert yamlfile.read_list(path, "things", problems) == [(3, "a"), (5, {"b": 1}), (6, "c")]
    assert problems == []


def test_a_missing_list_is_one_problem_on_line_one(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("other: []\n", encoding="utf-8")
    problems: list[Problem] = []
    assert yamlfile.read_list(path, "things", problems) is None
    assert [str(p) for p in problems] == [f"{path}:1: expected a 'things:' list"]


def test_dates_stay_text_unless_asked_for(tmp_path: Path) -> None:
    problems: list[Problem] = []
    plain = yamlfile.parse("day: 1939-08-23\n", tmp_path / "x.yaml", problems)
    dated = yamlfile.parse("day: 1939-08-23\n", tmp_path / "x.yaml", problems, dates=True)
    assert plain is not None and plain.data == {"day": "1939-08-23"}
    assert dated is not None and dated.data["day"].isoformat() == "1939-08-23"
    assert dated.data["day"] != "1939-08-23"


def test_an_unreadable_file_is_a_problem_not_an_error(tmp_path: Path) -> None:
    problems: list[Problem] = []
    assert yamlfile.read_list(tmp_path / "absent.yaml", "things", problems) is None
    assert problems and problems[0].message.startswith("cannot read file")
