"""The command-line contract (sections, check): what tools and tests depend on."""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import subprocess
import sys
import tomllib
import types
from pathlib import Path

import pytest

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
    assert {r["level"] for r in rows if r["section"] == "raw-materials"} == {2}


def test_sections_plain_output_is_indented() -> None:
    result = run("sections")
    assert result.returncode == 0
    assert "\n    Raw Materials  [raw-materials]\n" in result.stdout


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


def test_version_from_main_py() -> None:
    from reader import __version__

    result = run("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"reference-reader {__version__}\n"


@pytest.mark.parametrize("script", ["reference-reader-cli", "reference-reader"])
def test_version_from_the_installed_launchers(
    script: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Both launchers named in pyproject.toml, called as the installed scripts call them."""
    from reader import __version__

    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    scripts = {**project["project"]["scripts"], **project["project"]["gui-scripts"]}
    module, function = scripts[script].split(":")
    entry = getattr(importlib.import_module(module), function)
    with pytest.raises(SystemExit) as exited:
        entry(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"reference-reader {__version__}\n"


def test_the_window_path_imports_no_command_and_no_qt() -> None:
    code = (
        "import sys\n"
        "from reader import __main__, cli\n"
        "assert cli.window_arguments(['--section', 'pact']) is not None\n"
        "print(sorted(m for m in sys.modules\n"
        "             if m.startswith(('reader.cli.', 'reader.ui', 'reader.app', 'PySide6'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['reader.cli.common']"


def test_no_command_opens_the_window_with_its_options(monkeypatch: pytest.MonkeyPatch) -> None:
    import reader
    from reader import __main__

    opened: list[argparse.Namespace] = []

    def open_window(args: argparse.Namespace) -> int:
        opened.append(args)
        return 7

    window = types.ModuleType("reader.app")
    window.run = open_window  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "reader.app", window)
    monkeypatch.setattr(reader, "app", window, raising=False)
    assert __main__.main(["--open", "reader://nazi-soviet-alliance/pact", "--data-dir", "d"]) == 7
    assert [(a.open_url, a.data_dir, a.command) for a in opened] == [
        ("reader://nazi-soviet-alliance/pact", "d", None)
    ]
    with pytest.raises(SystemExit) as exited:
        __main__.main(["--section"])  # an unusable option is the CLI's error, not a window
    assert exited.value.code == 2
    assert len(opened) == 1


def test_every_command_module_is_listed_once() -> None:
    """A command group is one module plus its name in COMMAND_GROUPS."""
    from reader import cli

    modules = {m.name for m in pkgutil.iter_modules(cli.__path__)} - {"common"}
    assert sorted(cli.COMMAND_GROUPS) == sorted(modules)
    commands = cli.build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert list(commands) == [
        "sections", "check", "import", "library", "bookmarks", "index", "timeline", "search",
        "export", "desktop",
    ]


def test_cli_without_a_command_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    from reader import cli

    assert cli.main([]) == 2
    assert "a command is required" in capsys.readouterr().err


def test_search_calls_a_declared_spelling_exact_and_offers_no_correction() -> None:
    result = run("search", "Ploiesti")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Ploiesti is also spelled Ploesti.\n")
    assert "near spelling" not in result.stdout
    assert "Did you mean" not in result.stdout
    assert "Differences  [nazi-soviet-alliance/differences]" in result.stdout
