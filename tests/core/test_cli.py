"""The command-line contract of DESIGN.md (sections, check)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests import PROJECT_ROOT
from tests.essay_fixtures import GOOD_ESSAY, write_essay


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_sections_json_is_the_tree_in_reading_order() -> None:
    result = run("sections", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert set(rows[0]) == {"document", "section", "title", "level"}
    assert rows[0]["section"] == "nazi-soviet-alliance" and rows[0]["level"] == 1
    ids = [r["section"] for r in rows]
    assert ids.index("pact") < ids.index("poland") < ids.index("raw-materials")
    assert {r["level"] for r in rows if r["section"] == "raw-materials"} == {3}


def test_sections_plain_output_is_indented() -> None:
    result = run("sections")
    assert result.returncode == 0
    assert "\n      Raw Materials  [raw-materials]\n" in result.stdout


def test_check_is_clean_on_the_real_content() -> None:
    result = run("check")
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("OK: ")


def test_check_reports_problems_and_exits_1(tmp_path: Path) -> None:
    write_essay(tmp_path, text=GOOD_ESSAY.replace("(#second)", "(#nowhere)"))
    result = run("check", "--content", str(tmp_path))
    assert result.returncode == 1
    assert f"{tmp_path / 'small' / 'essay.md'}:8: link to section 'nowhere'" in result.stdout


def test_missing_content_folder_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    result = run("sections", "--content", str(tmp_path / "nope"))
    assert result.returncode == 1
    assert "content folder not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_option_exits_2() -> None:
    result = run("sections", "--bogus")
    assert result.returncode == 2


def test_window_arguments_only_when_no_command_is_asked_for() -> None:
    from reader.cli import window_arguments

    assert window_arguments([]) is not None
    opened = window_arguments(["--section", "index", "--data-dir", "/tmp/x"])
    assert opened is not None and opened.section == "index" and opened.command is None
    assert window_arguments(["index"]) is None
    assert window_arguments(["--content", "x", "sections", "--json"]) is None
    assert window_arguments(["--help"]) is None
    assert window_arguments(["--section"]) is None  # the full parser reports the error
