"""Citation lines and section references (no Qt)."""

from __future__ import annotations

import datetime

import pytest

from reader.core import citation
from reader.core.content import Library
from tests.conftest import ESSAY_ID

DAY = datetime.date(2026, 11, 26)


def test_citation_names_essay_site_section_address_and_date(library: Library) -> None:
    essay = library.essay(ESSAY_ID)
    assert essay is not None
    line = citation.citation_line(essay, "raw-materials", DAY)
    assert line == (
        "“World War II: NAZI-Soviet Alliance (1939-41)”, Historical Boys' Clothing "
        "(CIH -- WW II), section “Raw Materials”, https://histclo.com/ "
        "(page address not recorded), read offline, 2026-11-26."
    )


def test_citation_of_the_opening_section_names_no_section(library: Library) -> None:
    essay = library.essay(ESSAY_ID)
    assert essay is not None
    line = citation.citation_line(essay, ESSAY_ID, DAY)
    assert "section" not in line
    assert line.endswith("read offline, 2026-11-26.")


def test_cited_text_puts_the_citation_on_its_own_line(library: Library) -> None:
    essay = library.essay(ESSAY_ID)
    assert essay is not None
    text = citation.cited_text("Komet operated in the Pacific.  ", essay, "poland", DAY)
    passage, line = text.split("\n\n— ")
    assert passage == "Komet operated in the Pacific."
    assert "“Poland (September 1939)”" in line


def test_unknown_section_is_an_error(library: Library) -> None:
    essay = library.essay(ESSAY_ID)
    assert essay is not None
    with pytest.raises(citation.Error, match="no section 'nowhere'"):
        citation.citation_line(essay, "nowhere", DAY)


def test_section_link() -> None:
    assert citation.section_link(ESSAY_ID, "poland") == f"reader://{ESSAY_ID}/poland"
    assert citation.section_link(ESSAY_ID, "") == f"reader://{ESSAY_ID}"
