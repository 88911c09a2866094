"""The content model: the real essay, and every kind of bad content ``check`` reports."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

from reader.core.content import Library, load_library
from reader.core.markdown_ext import make_markdown
from tests.conftest import ESSAY_ID, SOURCE_TEXT
from tests.essay_fixtures import GOOD_ESSAY, write_essay

EXPECTED_IDS = [
    "nazi-soviet-alliance",
    "pact",
    "japanese-diplomacy",
    "poland",
    "soviet-aggressions",
    "differences",
    "raw-materials",
    "nkvd-ss-cooperation",
    "german-japanese-communications",
]

#: What of the captured page the edition does not print as the essay's text, each
#: by name: the source's line(s) and where the edition keeps them instead.
KICKER = "kicker line: front matter 'kicker'"
ALT_TEXT = "the photograph's alt text: Figure 1's alt"
SITE_SECTION = "site section line: front matter 'site_section'"
NAVIGATION = "the 'Navigate...' footer: related.yaml"
DATES = "'Created:' and 'Last updated:' lines: front matter 'created' and 'updated'"
EXCLUSIONS = (KICKER, ALT_TEXT, SITE_SECTION, NAVIGATION, DATES)

TITLE = "World War II: NAZI-Soviet Alliance (1939-41)"


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def source_lines() -> list[str]:
    """The captured page's non-blank lines, untouched but for surrounding spaces."""
    text = SOURCE_TEXT.read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def split_source() -> tuple[list[str], dict[str, list[str]]]:
    """The source's lines as (the essay's text: title, caption, paragraphs, headings)
    and the named exclusions; every line is in exactly one of them."""
    lines = source_lines()
    title = lines.index(TITLE)
    site_section = lines.index("CIH -- WW II")
    navigate = next(i for i, line in enumerate(lines) if line.startswith("Navigate the HBC"))
    created = next(i for i, line in enumerate(lines) if line.startswith("Created:"))
    excluded = {
        KICKER: lines[:title],
        ALT_TEXT: [lines[title + 1]],
        SITE_SECTION: [lines[site_section]],
        NAVIGATION: lines[navigate:created],
        DATES: lines[created:],
    }
    body = [lines[title], *lines[title + 2 : site_section]]
    assert site_section + 1 == navigate  # nothing between the two unaccounted for
    assert sum(map(len, excluded.values())) + len(body) == len(lines)
    return body, excluded


def source_body_paragraphs() -> list[str]:
    """The source's paragraphs between the title line and the navigation footer."""
    return split_source()[0][1:]


def original_reading(library: Library) -> tuple[list[str], list[str]]:
    """Headings and paragraphs of the essay as the source wrote them (corrections rejected)."""
    essay = library.essay(ESSAY_ID)
    assert essay is not None
    md, ext = make_markdown(essay.id, "original")
    md.convert(essay.markdown)
    headings = [section.title for section in ext.outline.sections]
    paragraphs = [
        p for section in ext.outline.sections for p in (section.title, *section.paragraphs)
    ]
    return headings, paragraphs


def test_the_original_reading_is_the_untouched_source_text(library: Library) -> None:
    body, _ = split_source()
    _, rendered = original_reading(library)
    assert [_fold(p) for p in rendered] == [_fold(line) for line in body]
    # The capture's broken link markup and lost character are the source's, and stay.
    assert any(
        'The a href="/essay/war/ww2/camp/ww2-axis.html">Axis alliance' in p for p in rendered
    )
    assert any("German\ufffdSoviet" in p for p in rendered)


def test_every_exclusion_is_kept_where_its_name_says(library: Library) -> None:
    essay = library.essay(ESSAY_ID)
    assert essay is not None
    _, excluded = split_source()
    assert set(excluded) == set(EXCLUSIONS)
    assert excluded[KICKER] == [essay.meta["kicker"]]
    assert excluded[ALT_TEXT] == [essay.figures[0].alt]
    assert excluded[SITE_SECTION] == [essay.meta["site_section"]]
    navigation = excluded[NAVIGATION]
    assert navigation[0].startswith("Navigate the HBC World War II Section")
    titles = {_fold(page.title).lower() for page in essay.related}
    for line in navigation[1:]:
        for item in re.findall(r"\[([^\]]+)\]", line):
            assert _fold(item).lower().removeprefix("return to ") in titles, item
    created, updated = excluded[DATES]
    stamp = "%I:%M %p %m/%d/%Y"
    assert datetime.datetime.strptime(created.removeprefix("Created: "), stamp) == (
        datetime.datetime.fromisoformat(essay.meta["created"])
    )
    assert datetime.datetime.strptime(updated.removeprefix("Last updated: "), stamp) == (
        datetime.datetime.fromisoformat(essay.meta["updated"])
    )


def test_every_source_paragraph_is_in_the_essay_unaltered_and_in_order(library: Library) -> None:
    expected = source_body_paragraphs()
    _, rendered = original_reading(library)
    position = 0
    for paragraph in expected:
        for index in range(position, len(rendered)):
            if _fold(paragraph) == _fold(rendered[index]):
                position = index + 1
                break
        else:
            pytest.fail(f"source paragraph missing or altered: {paragraph[:80]!r}")


def test_front_matter_title_alt_text_and_dates(library: Library) -> None:
    essay = library.essay(ESSAY_ID)
    assert essay is not None
    assert essay.title == "World War II: NAZI-Soviet Alliance (1939-41)"
    assert essay.sections[0].title == essay.title
    assert essay.meta["kicker"].startswith("*** war and social upheaval")
    assert essay.meta["site"] == "Historical Boys' Clothing"
    assert essay.meta["site_section"] == "CIH -- WW II"
    assert essay.meta["created"] == "2009-01-10T01:17:00"
    assert essay.meta["updated"] == "2011-12-05T16:52:00"
    assert essay.figures[0].alt == "NAZI Soviet alliance"


def test_section_ids_are_unique_stable_and_siblings_as_in_the_source(library: Library) -> None:
    essay = library.essay(ESSAY_ID)
    assert essay is not None
    ids = [s.id for s in essay.sections]
    assert ids[: len(EXPECTED_IDS)] == EXPECTED_IDS
    assert len(ids) == len(set(ids))
    # The source prints all eight headings at one level: siblings under the title.
    for section in essay.sections[1:]:
        assert (section.level, section.parent) == (2, "nazi-soviet-alliance"), section.id
    assert essay.sections[0].children == EXPECTED_IDS[1:]


def test_figure_one_has_full_caption_credit_and_a_stand_in_image(library: Library) -> None:
    essay = library.essay(ESSAY_ID)
    assert essay is not None
    figure = essay.figures[0]
    assert figure.caption.startswith("Figure 1.--The Soviet Union would provide the bulk")
    assert figure.caption.endswith("are tank commanders.")
    assert figure.credit == "Source: Imperial War Museum. HU5505."
    assert figure.exists
    assert figure.path.suffix == ".svg"
    assert "HU 5505" in figure.path.read_text(encoding="utf-8")


def test_a_users_photograph_takes_precedence_over_the_stand_in(tmp_path: Path) -> None:
    folder = write_essay(tmp_path)
    (folder / "figures" / "plate.jpg").write_bytes(b"\xff\xd8\xff")
    figure = load_library(tmp_path).essays[0].figures[0]
    assert figure.path.name == "plate.jpg"


def test_related_pages_and_the_repaired_axis_link(library: Library) -> None:
    essay = library.essay(ESSAY_ID)
    assert essay is not None
    axis = essay.related_page("main-axis")
    assert axis is not None and axis.url is not None
    assert axis.url.endswith("/essay/war/ww2/camp/ww2-axis.html")
    assert len(essay.related) >= 25
    links = [link for link in essay.links if link.href == "related:main-axis"]
    assert links and links[0].text == "Axis alliance"


def test_the_real_content_has_no_problems(library: Library) -> None:
    assert [str(p) for p in library.problems] == []


# -- bad content -------------------------------------------------------------------------


def _problems(root: Path) -> list[str]:
    return [str(p) for p in load_library(root).problems]


def test_clean_fixture_has_no_problems(tmp_path: Path) -> None:
    write_essay(tmp_path)
    assert _problems(tmp_path) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda t: t.replace("figures/plate.svg", "figures/gone.svg"),
            r"essay\.md:10: missing figure file: figures/gone\.svg",
        ),
        (
            lambda t: t.replace("{#second}", "{#first}"),
            r"essay\.md:20: duplicate heading id 'first' \(first on line 16\)",
        ),
        (
            lambda t: t.replace("## First Part {#first}", "## First Part"),
            r"essay\.md:16: heading has no id: '## First Part'",
        ),
        (
            lambda t: t.replace("(#second)", "(#nowhere)"),
            r"essay\.md:8: link to section 'nowhere' that does not exist",
        ),
        (
            lambda t: t.replace('title: "A Small Essay"', "title: [unclosed"),
            r"essay\.md:\d+: malformed front matter",
        ),
        (
            lambda t: t.replace("created: 2020-01-01\n---", "created: 2020-01-01"),
            r"essay\.md:1: front matter not closed",
        ),
        (
            lambda t: t.replace('title: "A Small Essay"\n', ""),
            r"essay\.md:2: front matter has no 'title'",
        ),
    ],
    ids=[
        "missing-figure",
        "duplicate-id",
        "missing-id",
        "dead-link",
        "bad-yaml",
        "unclosed-front-matter",
        "no-title",
    ],
)
def test_check_reports_each_problem_with_path_and_line(tmp_path: Path, change, expected) -> None:
    write_essay(tmp_path, text=change(GOOD_ESSAY))
    problems = _problems(tmp_path)
    assert any(re.search(expected, p) for p in problems), problems


def test_a_file_that_is_not_utf8_is_reported_and_still_loaded(tmp_path: Path) -> None:
    folder = write_essay(tmp_path)
    data = (folder / "essay.md").read_bytes().replace(b"First part text", b"First part \xe9 text")
    (folder / "essay.md").write_bytes(data)
    library = load_library(tmp_path)
    assert any(re.search(r"essay\.md:18: not UTF-8", str(p)) for p in library.problems)
    assert library.section("small", "first") is not None


def test_malformed_related_file_is_reported(tmp_path: Path) -> None:
    folder = write_essay(tmp_path)
    (folder / "related.yaml").write_text("pages: [unclosed\n", encoding="utf-8")
    assert any("related.yaml" in p and "malformed YAML" in p for p in _problems(tmp_path))
