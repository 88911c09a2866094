"""Figure 2 and its table: editorial, made from the data file, faithful to the essay."""

from __future__ import annotations

import importlib.util
import xml.etree.ElementTree as etree
from pathlib import Path
from types import ModuleType

import pytest

from reader.core import readings
from reader.core.content import Library
from reader.core.markdown_ext import make_markdown
from tests import PROJECT_ROOT
from tests.conftest import ESSAY_ID


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_figure2", PROJECT_ROOT / "tools" / "make_figure2.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    return _tool()


def test_every_number_quotes_the_source_words(library: Library, tool: ModuleType) -> None:
    essay = library.essay(ESSAY_ID)
    assert essay is not None
    original = readings.section_texts(essay, "original")["raw-materials"]
    data = tool.load()
    for item in data["commodities"]:
        assert item["essay"] in original, item["essay"]
        assert f"{item['million_tons']:g} " in item["essay"]
        if "million_reichsmarks" in item:
            assert f"({item['million_reichsmarks']} million Reichsmarks)" in item["essay"]
    assert data["unquantified"] in original


def test_the_table_in_the_essay_is_the_data(tool: ModuleType) -> None:
    assert tool.essay_table() == tool.table_html(tool.load())


def test_figure_2_is_an_editorial_figure_kept_out_of_the_source_text(library: Library) -> None:
    essay = library.essay(ESSAY_ID)
    assert essay is not None
    figure = essay.figure("figure-2")
    assert figure is not None and figure.number == 2 and figure.exists
    assert figure.section == "raw-materials"
    assert figure.caption.startswith("Figure 2 (editorial).--")
    assert "not part of the source" in figure.caption
    section = essay.section("raw-materials")
    assert section is not None
    assert "editorial" not in section.text.lower()
    assert "Million Reichsmarks" not in section.text  # the table is not source text


def test_the_svg_is_valid_and_marked_editorial() -> None:
    svg = PROJECT_ROOT / "content" / ESSAY_ID / "figures" / "figure2-memorandum-1940.svg"
    root = etree.parse(svg).getroot()
    assert root.tag.endswith("svg")
    text = " ".join(t for t in root.itertext())
    assert "editorial chart" in text
    assert "Phosphates" in text and "115 million RM" in text


def test_the_svg_is_reproducible(tool: ModuleType, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")  # a development-only dependency
    out = tmp_path / "figure2.svg"
    tool.make_svg(tool.load(), out)
    assert out.read_bytes() == tool.SVG.read_bytes()


def test_editorial_figure_markup_on_a_string() -> None:
    text = (
        "# Title {#t}\n\nSource words.\n\n![A chart](c.svg)\n\n/// figure-caption\n"
        "    attrs: {id: figure-9, class: editorial}\nFigure 9 (editorial).--Ours.\n///\n\n"
        "![A photo](p.svg)\n\n/// figure-caption\nFigure 2.--Theirs.\n///\n"
    )
    md, ext = make_markdown("e")
    html = md.convert(text)
    assert ext.outline.sections[0].paragraphs == ["Source words.", "Figure 2.--Theirs."]
    assert [f.editorial for f in ext.outline.figures] == [True, False]
    assert 'class="figure editorial"' in html
    assert "Figure 9 (editorial).--Ours." in html  # still shown with the figure
