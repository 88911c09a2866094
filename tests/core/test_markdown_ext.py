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
