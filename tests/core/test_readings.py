"""The corrections: the original reading reproduces the source, the corrected one fixes it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reader.core import readings
from reader.core.content import Library
from reader.core.markdown_ext import make_markdown
from tests.conftest import ESSAY_ID
from tests.core.test_content import source_body_paragraphs


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _outline_text(markdown: str, essay_id: str, reading: str) -> str:
    """Titles and paragraphs (captions included) of one conversion, whitespace folded."""
    md, ext = make_markdown(essay_id, reading)
    md.convert(markdown)
    return _fold(" ".join(p for s in ext.outline.sections for p in (s.title, *s.paragraphs)))


@pytest.fixture(scope="module")
def markdown(library: Library) -> str:
    essay = library.essay(ESSAY_ID)
    assert essay is not None
    return essay.markdown


@pytest.fixture(scope="module")
def source_text(library: Library) -> str:
    essay = library.essay(ESSAY_ID)
    assert essay is not None
    return _fold(" ".join([essay.title, *source_body_paragraphs()]))


def test_rejecting_every_correction_reproduces_the_source_text(
    markdown: str, source_text: str
) -> None:
    # Both ways of rejecting: pymdownx.critic's "reject" mode, and stripping the marks
    # from the Markdown before any conversion.
    assert _outline_text(markdown, ESSAY_ID, "original") == source_text
    rejected = readings.reject_markup(markdown)
    assert "{~~" not in rejected and "{++" not in rejected and "{--" not in rejected
    assert _outline_text(rejected, ESSAY_ID, "corrected") == source_text


def test_accepting_every_correction_gives_the_corrected_reading(
    library: Library, markdown: str
) -> None:
    essay = library.essay(ESSAY_ID)
    assert essay is not None
    corrected = _fold(" ".join(p for s in essay.sections for p in (s.title, s.text)))
    accepted = readings.accept_markup(markdown)
    md, ext = make_markdown(ESSAY_ID, "corrected")
    md.convert(accepted)
    assert _fold(" ".join(p for s in ext.outline.sections for p in (s.title, *s.paragraphs))) == (
        corrected
    )


def test_every_correction_is_reviewable_and_changes_something(
    markdown: str, source_text: str
) -> None:
    found = readings.corrections(markdown)
    assert len(found) >= 70
    for old, new in found:
        assert old != new
        assert _fold(old) in source_text or old.strip() == "", (old, new)
    # The character the capture lost is the source's, kept in the original reading.
    assert "\ufffd" in source_text


@pytest.mark.parametrize(
    ("original", "corrected"),
    [
        ("Breast-Litovsk", "Brest-Litovsk"),
        ("'Fotress Breast'", "'Fortress Brest'"),
        ("war msterial", "war material"),
        ("nearly 2 yeats,", "nearly 2 years,"),
        ("invading neigbnoring contries", "invading neighboring countries"),
        ("first German\ufffdSoviet", "first German-Soviet"),
        ("Agression Pact (August 1939) NAZI Foreign", "Aggression Pact (August 1939) NAZI Foreign"),
        ("the Abti-Comintern Pact", "the Anti-Comintern Pact"),
        ("could have been been very", "could have been very"),
        ("meetinfs occut\\rred", "meetings occurred"),
    ],
)
def test_readings_have_the_right_words(library: Library, original: str, corrected: str) -> None:
    essay = library.essay(ESSAY_ID)
    assert essay is not None
    old = _outline_text(essay.markdown, ESSAY_ID, "original")
    new = _fold(" ".join(s.title + " " + s.text for s in essay.sections))
    assert original in old and corrected not in old
    assert corrected in new and original not in new


def test_uncertain_words_are_kept_and_marked_sic_in_the_corrected_reading_only(
    library: Library,
) -> None:
    essay = library.essay(ESSAY_ID)
    assert essay is not None
    corrected = essay.section("japanese-diplomacy")
    assert corrected is not None
    # The certain part is corrected; the word that cannot be recovered keeps [sic].
    assert "the n=mobe [sic] with either the Japanese" in corrected.text
    original = readings.section_texts(essay, "original")["japanese-diplomacy"]
    assert "the n=mobe withbwither the Japanese" in original
    assert "[sic]" not in " ".join(readings.section_texts(essay, "original").values())


def test_changes_reading_shows_both_deleted_and_inserted_words(library: Library) -> None:
    essay = library.essay(ESSAY_ID)
    assert essay is not None
    md, _ = make_markdown(ESSAY_ID, "changes")
    html = md.convert(essay.markdown)
    assert '<del class="critic">Breast</del><ins class="critic">Brest</ins>-Litovsk' in html
    assert '<ins class="critic"> <i class="sic">[sic]</i></ins>' in html
    # A probable correction is shown as such.
    assert '<ins class="critic">to </ins><sup class="probable"' in html


def test_unknown_reading_is_an_error(library: Library) -> None:
    essay = library.essay(ESSAY_ID)
    assert essay is not None
    with pytest.raises(readings.Error, match="unknown reading 'sepia'"):
        readings.section_texts(essay, "sepia")


def test_search_finds_the_caption_in_both_readings(library: Library, tmp_path: Path) -> None:
    from reader.core.search import SearchIndex

    index = SearchIndex(library, tmp_path / "cache")
    try:
        for word in ("Brest", "Breast", "msterial", "material"):
            sections = [hit.section for hit in index.search(word).hits if hit.exact]
            assert "nazi-soviet-alliance" in sections, (word, sections)
    finally:
        index.close()


def _corrected_text(library: Library) -> str:
    essay = library.essay(ESSAY_ID)
    assert essay is not None
    return _fold(" ".join(s.title + " " + s.text for s in essay.sections))


def test_one_policy_missing_words_are_probable_corrections_alike(library: Library) -> None:
    essay = library.essay(ESSAY_ID)
    assert essay is not None
    text = _corrected_text(library)
    assert "pledged not to attack each other" in text
    assert "It was to last for 10 years" in text and "last [sic]" not in text
    probable = [(old, new) for _, old, new in readings.probable_corrections(essay.markdown)]
    assert probable == [("", "to "), ("", "to "), ("\ufffd", "-"), (",", ".")]


def test_one_policy_grammar_is_left_as_written_and_marked_sic(library: Library) -> None:
    text = _corrected_text(library)
    assert text.count("And this Soviet aggressions [sic] were") == 2
    assert "the multitude of alliance [sic] made" in text
    assert text.count("the Soviet's [sic] did not enter") == 2
    assert "Soviets did not enter" not in text
    original = _outline_text(
        library.essay(ESSAY_ID).markdown,
        ESSAY_ID,
        "original",  # type: ignore[union-attr]
    )
    assert "[sic]" not in original and original.count("the Soviet's did not enter") == 2


def test_sic_is_set_in_italics_in_the_corrected_reading(library: Library) -> None:
    essay = library.essay(ESSAY_ID)
    assert essay is not None
    html = re.sub(r"<!--.*?-->", "", essay.body_html, flags=re.DOTALL)
    assert html.count('<i class="sic">[sic]</i>') == 6
    assert "[sic]" not in re.sub(r'<i class="sic">\[sic\]</i>', "", html)
