"""HTML export and the export command (HTML path: no Qt)."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import build_parser, run_command
from reader.core import export
from reader.core.content import Library, load_library
from tests.conftest import ESSAY_ID
from tests.essay_fixtures import write_essay


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return run_command(build_parser().parse_args(list(argv)), out), out.getvalue()


def test_html_export_is_self_contained(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "essay.html"
    export.export_html(library, path, "body { color: black; }")
    html = path.read_text(encoding="utf-8")
    assert 'src="data:image/svg+xml;base64,' in html
    for scheme in ("figure://", "reader://", "related://"):
        assert f'"{scheme}' not in html, scheme
    assert 'href="#raw-materials"' in html or "raw-materials" in html
    essay = library.essay(ESSAY_ID)
    assert essay is not None
    for section in essay.sections:
        assert f'id="{section.id}"' in html


@pytest.mark.parametrize(
    ("reading", "present", "absent"),
    [
        ("corrected", "Brest-Litovsk", "Breast-Litovsk"),
        ("original", "Breast-Litovsk", "Brest-Litovsk"),
        ("changes", '<del class="critic">Breast</del>', "{~~"),
    ],
)
def test_export_command_writes_the_chosen_reading(
    tmp_path: Path, reading: str, present: str, absent: str
) -> None:
    path = tmp_path / "out.html"
    status, out = _run("export", str(path), "--reading", reading)
    assert status == 0
    assert out.startswith(f"Wrote {path}")
    html = path.read_text(encoding="utf-8")
    assert present in html and absent not in html


def test_section_fragment_keeps_subsections_only(library: Library, tmp_path: Path) -> None:
    small = load_library(write_essay(tmp_path).parent).essays[0]
    html = export.essay_html(small, "", "corrected", "second")
    assert re.findall(r'<h\d id="([^"]+)"', html) == ["second", "deeper"]
    essay = library.essay(ESSAY_ID)
    assert essay is not None
    # The essay's eight sections are siblings: one section, nothing after it.
    html = export.essay_html(essay, "", "corrected", "soviet-aggressions")
    ids = re.findall(r'<h\d id="([^"]+)"', html)
    assert ids == ["soviet-aggressions"]
    # The whole essay under its title; a section's editor's notes go with it.
    html = export.essay_html(essay, "", "corrected", "nazi-soviet-alliance")
    assert len(re.findall(r'<h\d id="([^"]+)"', html)) == len(essay.sections)
    raw = export.essay_html(essay, "", "corrected", "raw-materials")
    assert raw.count('<p class="editor-note-text">') == 2
    with pytest.raises(export.Error, match="no section"):
        export.essay_html(essay, "", "corrected", "nowhere")


def test_export_refuses_unknown_formats_and_bad_readings(tmp_path: Path) -> None:
    status, _ = _run("export", str(tmp_path / "out.docx"))
    assert status == 1
    assert not (tmp_path / "out.docx").exists()
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(["export", "x.html", "--reading", "sepia"])
    assert exit_info.value.code == 2


def test_unwritable_html_target_is_one_line_error(tmp_path: Path) -> None:
    status, _ = _run("export", str(tmp_path / "missing-folder" / "out.html"))
    assert status == 1


def test_cli_module_imports_no_qt() -> None:
    code = (
        "import sys, reader.cli, reader.cli.export; reader.cli.build_parser();"
        "print([m for m in sys.modules if m.startswith('PySide6')])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_front_matter_dates_read_as_people_write_them() -> None:
    import datetime

    from reader.core.render import display_date

    assert display_date("2009-01-10T01:17:00") == "10 January 2009, 1:17 AM"
    assert display_date("2011-12-05T16:52:00") == "5 December 2011, 4:52 PM"
    assert display_date("2009-01-10") == "10 January 2009"
    assert display_date(datetime.date(1939, 9, 22)) == "22 September 1939"
    assert display_date("Spring 1940") == "Spring 1940"  # not a date: as written
