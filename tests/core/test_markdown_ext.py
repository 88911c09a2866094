"""The Markdown extensions, on plain strings."""

from __future__ import annotations

from reader.core.markdown_ext import make_markdown, rewrite_href, split_credit

SAMPLE = """# Title {#top}

Text with [a link](#later), [a page](related:axis) and [the web](https://example.org/).

![Alt text](figures/a.svg)

/// figure-caption
    attrs: {id: figure-1}
Figure 1.--A caption. Source: An archive. X1.
///

## Later {#later}

{~~Breast~>Brest~~}-Litovsk.
"""


def test_outline_sections_figures_and_links() -> None:
    md, ext = make_markdown("essay")
    md.convert(SAMPLE)
    outline = ext.outline
    assert [(s.id, s.level, s.title) for s in outline.sections] == [
        ("top", 1, "Title"),
        ("later", 2, "Later"),
    ]
    assert outline.figures[0].id == "figure-1"
    assert outline.figures[0].src == "figures/a.svg"
    assert outline.figures[0].caption == "Figure 1.--A caption. Source: An archive. X1."
    assert [link.href for link in outline.links] == [
        "#later",
        "related:axis",
        "https://example.org/",
    ]
    # The caption is part of its section's text (search finds it).
    assert "Figure 1.--A caption. Source: An archive. X1." in outline.sections[0].paragraphs


def test_links_and_images_use_the_readers_schemes() -> None:
    md, _ = make_markdown("essay")
    html = md.convert(SAMPLE)
    assert 'href="reader://essay/later"' in html
    assert 'href="related://essay/axis"' in html
    assert 'href="https://example.org/"' in html
    assert 'src="figure://essay/figure-1"' in html
    assert '<a name="later"></a>Later' in html
    assert "<figure" not in html  # Qt's rich text does not know <figure>
    assert '<p class="credit">Source: An archive. X1.</p>' in html


def test_readings_of_a_correction() -> None:
    for reading, expected, absent in [
        ("corrected", "Brest-Litovsk.", "Breast"),
        ("original", "Breast-Litovsk.", "Brest-"),
    ]:
        md, ext = make_markdown("essay", reading)
        md.convert(SAMPLE)
        text = ext.outline.sections[1].paragraphs[0]
        assert text == expected and absent not in text


def test_rewrite_href() -> None:
    assert rewrite_href("#x", "e") == "reader://e/x"
    assert rewrite_href("related:p", "e") == "related://e/p"
    assert rewrite_href("reader://f/y", "e") == "reader://f/y"
    assert rewrite_href("https://a.b/", "e") == "https://a.b/"


def test_split_credit() -> None:
    assert split_credit("A thing. Source: Museum. X.") == ("A thing.", "Source: Museum. X.")
    assert split_credit("No credit here.") == ("No credit here.", "")


EDITION_SAMPLE = """# Title {#top}

The pact was [signed in August](#later){.editorial} by them.[^date] It was{++ [sic]++} so.

## Later {#later}

Nothing [the author linked](https://example.org/) here.

[^date]: The edition's note: "dated" otherwise.
"""


def test_editorial_links_are_marked_and_kept_out_of_the_original_reading() -> None:
    md, ext = make_markdown("essay", "corrected")
    html = md.convert(EDITION_SAMPLE)
    assert '<a class="editorial" href="reader://essay/later">signed in August</a>' in html
    assert [link.editorial for link in ext.outline.links] == [True, False]
    for reading, flags in [("original", {}), ("corrected", {"editorial_links": False})]:
        md, ext = make_markdown("essay", reading, **flags)
        html = md.convert(EDITION_SAMPLE)
        assert "The pact was signed in August by them." in html
        assert "reader://essay/later" not in html
        assert 'href="https://example.org/"' in html  # only the edition's links go
        assert ext.outline.sections[0].paragraphs[0].startswith("The pact was signed in August")


def test_editor_notes_marker_tooltip_and_list_not_in_the_text() -> None:
    md, ext = make_markdown("essay", "corrected")
    html = md.convert(EDITION_SAMPLE)
    assert '<sup class="editor-note"><a name="note-ref-date" title="Editor' in html
    assert "note 1: The edition's note: &quot;dated&quot; otherwise.\">[1]</a></sup>" in html
    # Listed for print at the end of its section, before the next heading.
    notes_at = html.index('<div class="editor-notes">')
    assert html.index("by them.") < notes_at < html.index('<h2 id="later"')
    assert "[1] The edition's note" in html[notes_at:]
    # Neither the marker nor the note is part of the section's text (search, dates).
    assert ext.outline.sections[0].paragraphs == [
        "The pact was signed in August by them. It was [sic] so."
    ]
    assert [(n.id, n.number, n.section) for n in ext.outline.notes] == [("date", 1, "top")]
    assert ext.outline.undefined_notes == [] and ext.outline.unused_notes == []


def test_no_notes_in_the_original_reading_or_when_hidden() -> None:
    for reading, flags in [("original", {}), ("corrected", {"editor_notes": False})]:
        md, _ = make_markdown("essay", reading, **flags)
        html = md.convert(EDITION_SAMPLE)
        assert "editor-note" not in html and "[^date]" not in html and "dated" not in html
        assert "by them. It was" in html


def test_undefined_and_unused_notes_are_reported() -> None:
    md, ext = make_markdown("essay")
    html = md.convert("# T {#t}\n\nA claim.[^missing]\n\n[^spare]: Never used.\n")
    assert ext.outline.undefined_notes == ["missing"]
    assert ext.outline.unused_notes == ["spare"]
    assert "<p>A claim.</p>" in html


def test_sic_in_italics_but_not_inside_a_tag() -> None:
    md, _ = make_markdown("essay")
    html = md.convert('# T {#t}\n\nWord{++ [sic]++} and <span title="[sic]">x</span>.\n')
    assert 'Word <i class="sic">[sic]</i> and <span title="[sic]">x</span>' in html
