"""Figure files Qt must never see: drawn as a notice that says why, in the view and
on paper. Each case runs in a subprocess, so that a crash fails the test instead
of killing the test run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from tests import PROJECT_ROOT
from tests.essay_fixtures import write_essay

DRAW = """
import json, sys
from pathlib import Path
from PySide6.QtGui import QGuiApplication
from reader.cli.export import content_css
from reader.core.content import load_library
from reader.images import render_figure_image
from reader.pdf import write_pdf

app = QGuiApplication([])
library = load_library(Path(sys.argv[1]))
[figure] = library.essays[0].figures
image = render_figure_image(figure, 600, 2.0)
corner = image.pixelColor(20, 6).name()
write_pdf(library.essays, Path(sys.argv[2]), content_css(), "corrected")
print(json.dumps({"size": [image.width(), image.height()], "corner": corner,
                  "title": image.text("title")}))
"""

SVGS = {
    "1 x 100,000,000 px": '<svg xmlns="http://www.w3.org/2000/svg" width="1" '
                          'height="100000000"><rect width="1" height="100000000"/></svg>',
    "100,000,000 x 1 px": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100000000 1">'
                          '<rect width="100000000" height="1"/></svg>',
    "1 x 20,000 px": '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="20000">'
                     '<rect width="1" height="20000"/></svg>',
    "100 x 4,000 px": '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="4000">'
                      '<rect width="100" height="4000"/></svg>',
}


@pytest.mark.parametrize("case", list(SVGS))
def test_an_absurdly_sized_svg_is_drawn_as_a_notice(tmp_path: Path, case: str) -> None:
    write_essay(tmp_path / "content", svg=SVGS[case])
    pdf = tmp_path / "out.pdf"
    done = subprocess.run(
        [sys.executable, "-c", DRAW, str(tmp_path / "content"), str(pdf)],
        capture_output=True, text=True, timeout=120, cwd=PROJECT_ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    drawn = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(pypdf.PdfReader(pdf).pages) >= 1
    if case == "100 x 4,000 px":  # tall but sane: drawn, narrower, within the bound
        assert drawn["size"] == [205, 8192] and drawn["corner"] == "#000000"
        return
    assert drawn["size"] == [1200, 300]  # the notice: 600 x 150 logical pixels at 2x
    assert drawn["corner"] == "#f6ede9"
    assert "too large to draw" in drawn["title"]
