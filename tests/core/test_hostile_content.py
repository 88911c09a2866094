"""Hostile content: what the reader cannot handle becomes a Problem, the rest still opens.

Every test works on files it writes into tmp_path, with sizes small enough to run
in a moment yet large enough that the old code would fail (hang, crash or take
quadratic time); bounds are lowered through their parameters where that helps.
"""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

import pytest

from reader.core import critic, images, readings, resources, xref, yamlfile
from reader.core.content import heading_id, load_library, parse_essay
from reader.core.model import Problem
from tests.core import test_xref
from tests.essay_fixtures import GOOD_ESSAY, GOOD_SVG, write_essay

LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, "
    f"*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, "
    f"*{chr(97 + n)}, *{chr(97 + n)}]\n"
    for n in range(8)
)


def _messages(problems: list[Problem]) -> str:
    return "\n".join(str(p) for p in problems)


# --- unbounded work from YAML --------------------------------------------------------------

def test_billion_laughs_in_front_matter_is_a_problem_and_the_essay_still_opens(
    tmp_path: Path,
) -> None:
    text = GOOD_ESSAY.replace("created: 2020-01-01\n", "created: 2020-01-01\n" + LAUGHS)
    folder = write_essay(tmp_path, text=text)
    cache = tmp_path / "cache"
    library = load_library(tmp_path, cache)
    assert [e.id for e in library.essays] == ["small"]
    [problem] = [p for p in library.problems if "aliases" in p.message or "too large" in p.message]
    assert problem.path == folder / "essay.md" and problem.line >= 2
    # The cached entry stays small: the expansion was never built.
    assert sum(f.stat().st_size for f in (cache / "essays").iterdir()) < 200_000


def test_billion_laughs_in_index_yaml_is_reported_not_built(tmp_path: Path) -> None:
    folder = test_xref.write(tmp_path, index=LAUGHS + "entries: []\n")
    index, problems = xref.load_index(load_library(tmp_path))
    assert index.entries == []
    assert [p.path for p in problems] == [folder / "index.yaml"]
    assert "aliases" in problems[0].message or "too large" in problems[0].message


def test_a_few_aliases_within_the_budget_are_fine(tmp_path: Path) -> None:
    problems: list[Problem] = []
    document = yamlfile.parse("a: &x [1, 2]\nb: *x\n", tmp_path / "f.yaml", problems)
    assert problems == [] and document is not None
    assert document.data == {"a": [1, 2], "b": [1, 2]}


def test_the_alias_budget_counts_expansions(tmp_path: Path) -> None:
    problems: list[Problem] = []
    budget = yamlfile.Budget(nodes=50)
    text = "a: &a [1, 2, 3, 4, 5, 6, 7, 8]\nb: [*a, *a, *a, *a, *a, *a, *a, *a]\n"
    assert yamlfile.parse(text, tmp_path / "f.yaml", problems, budget=budget) is None
    assert "over 50 items" in problems[0].message


@pytest.mark.parametrize("depth", [400, 5000])
def test_deep_nesting_is_a_problem_not_a_recursion_error(tmp_path: Path, depth: int) -> None:
    problems: list[Problem] = []
    text = "entries: " + "[" * depth + "]" * depth + "\n"
    assert yamlfile.parse(text, tmp_path / "index.yaml", problems) is None
    assert len(problems) == 1 and "nest" in problems[0].message


def test_a_yaml_text_over_the_size_budget_is_refused(tmp_path: Path) -> None:
    problems: list[Problem] = []
    budget = yamlfile.Budget(size=1000)
    assert yamlfile.parse("a: " + "x" * 2000, tmp_path / "f.yaml", problems, budget=budget) is None
    assert "larger than 1000" in problems[0].message


# --- unbounded work from the essay's text --------------------------------------------------

def test_a_heading_of_thousands_of_spaces_is_read_in_linear_time(tmp_path: Path) -> None:
    # The old pattern took cubic time here (4,000 spaces: most of a minute).
    line = "## Title" + " " * 20_000 + "x" + " " * 20_000 + "{#far}"
    assert heading_id(line) == "far"
    assert heading_id("# A {: .c #one #two }") == "two"
    assert heading_id("# No id here" + " " * 20_000) is None
    assert heading_id("# {" * 5000) is None


def test_thousands_of_unclosed_critic_marks_are_reported_quickly(tmp_path: Path) -> None:
    body = GOOD_ESSAY + "\n" + "{~~ " * 20_000 + "\n\n## After {#after}\n\nText.\n"
    folder = write_essay(tmp_path, text=body)
    essay, problems = parse_essay(folder)
    assert essay is not None and essay.section("after") is not None
    unclosed = [p for p in problems if "never closed" in p.message]
    assert 1 <= len(unclosed) <= 21 and "'{~~'" in unclosed[0].message
    assert any("more unclosed marks" in p.message for p in problems)
    # The other readings use the same linear scan.
    assert readings.reject_markup("{~~ " * 20_000) == "{~~ " * 20_000


def test_a_mark_closed_after_a_heading_is_reported_with_its_line(tmp_path: Path) -> None:
    body = GOOD_ESSAY.replace("First part text", "First {--part text") + "\nLater --} end.\n"
    folder = write_essay(tmp_path, text=body)
    _, problems = parse_essay(folder)
    [problem] = [p for p in problems if "runs over the heading" in p.message]
    lines = body.splitlines()
    assert lines[problem.line - 1].startswith("First {--part")


def test_the_critic_scan_keeps_the_readings() -> None:
    text = "a {~~Breast~>Brest~~} b {++ [sic]++} c {--been --}d {==hi==}{>>note<<}"
    assert readings.accept_markup(text) == "a Brest b  [sic] c d hi"
    assert readings.reject_markup(text) == "a Breast b  c been d hi"
    assert readings.corrections(text) == [("Breast", "Brest"), ("", " [sic]"), ("been ", "")]
    assert critic.scan("{++ open")[1] == [(0, "{++")]


def test_many_links_and_mentions_are_not_quadratic(tmp_path: Path) -> None:
    # 3,000 sections of links and names: the old overlap and line searches were
    # quadratic; this finishes in a moment and every section keeps its "see also".
    parts = [GOOD_ESSAY]
    for number in range(3000):
        rare = " Brest-Litovsk." if number % 7 == 0 else ""
        parts.append(
            f"\n## Part {number} {{#p{number}}}\n\nPloesti and [back](#p{number // 2}).{rare}\n"
        )
    folder = test_xref.write(tmp_path, essay="".join(parts))
    library = load_library(tmp_path)
    assert not [p for p in library.problems if "does not exist" in p.message]
    index, _ = xref.load_index(library)
    essay = library.essay(folder.name)
    assert essay is not None
    assert len(index.mentions_of("ploesti")) >= 3000
    assert index.see_also(essay.id, "p14") == [("names", "p0"), ("names", "p7"), ("names", "p21")]


# --- essay folders that are not what they seem ---------------------------------------------

def test_check_names_every_unusable_essay_folder(tmp_path: Path) -> None:
    write_essay(tmp_path, "good")
    (tmp_path / "missing" / "figures").mkdir(parents=True)  # an essay that lost its text
    (tmp_path / "__pycache__").mkdir()  # not an essay: never reported
    (tmp_path / "empty").mkdir()
    (tmp_path / "folder" / "essay.md").mkdir(parents=True)
    (tmp_path / "pipe").mkdir()
    os.mkfifo(tmp_path / "pipe" / "essay.md")
    (tmp_path / "loop").mkdir()
    (tmp_path / "loop" / "essay.md").symlink_to(tmp_path / "loop" / "essay.md")
    (tmp_path / "dangling").mkdir()
    (tmp_path / "dangling" / "essay.md").symlink_to(tmp_path / "nowhere.md")
    (tmp_path / "new\nline").mkdir()
    library = load_library(tmp_path)
    assert [e.id for e in library.essays] == ["good"]
    text = _messages(library.problems)
    assert "missing/essay.md:0: essay folder has no essay.md" in text
    assert "folder/essay.md:0: essay.md is a folder" in text
    assert "pipe/essay.md:0: essay.md is a named pipe" in text
    assert "loop/essay.md:0: essay.md is a symbolic link loop" in text
    assert "dangling/essay.md:0: essay.md is a symbolic link to a missing file" in text
    assert "control character" in text
    assert "__pycache__" not in text and "empty/" not in text


def test_folder_names_with_spaces_unicode_and_url_characters_load(tmp_path: Path) -> None:
    for name in ("two words", "Łódź ß", "a?b#c%d"):
        write_essay(tmp_path, name)
    library = load_library(tmp_path)
    assert sorted(e.id for e in library.essays) == sorted(["two words", "Łódź ß", "a?b#c%d"])
    assert library.problems == []


def test_an_oversized_essay_file_is_refused_by_the_read_budget(tmp_path: Path) -> None:
    problems: list[Problem] = []
    path = tmp_path / "essay.md"
    path.write_text("x" * 5000, encoding="utf-8")
    assert yamlfile.read_text(path, problems, limit=1000) is None
    assert "too large" in problems[0].message


# --- figures -------------------------------------------------------------------------------

def _png(width: int, height: int, complete: bool = True) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(data))

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    end = chunk(b"IEND", b"") if complete else b""
    return b"\x89PNG\r\n\x1a\n" + header + chunk(b"IDAT", zlib.compress(b"\0" * 4)) + end


def _jpeg(width: int, height: int, complete: bool = True) -> bytes:
    frame = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + frame + b"\xff\xda\x00\x02" + b"\x00" * 8 + (
        b"\xff\xd9" if complete else b""
    )


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("a.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="100000000"/>',
         "too large"),
        ("b.svg", b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 50000 10"/>',
         "too large"),
        ("c.svg", b"this is not xml <", "not an SVG"),
        ("d.svg", b'<!DOCTYPE s [<!ENTITY x "y">]><svg>&x;</svg>', "entities"),
        ("e.png", b"GIF89a not a png", "not a PNG"),
        ("f.png", _png(10, 10, complete=False), "cut short"),
        ("g.png", _png(30_000, 10), "too large"),
        ("h.jpg", _jpeg(10, 10, complete=False), "cut short"),
        ("i.jpg", b"\x89PNG....", "not a JPEG"),
    ],
)
def test_damaged_or_absurd_figure_files_are_named(
    tmp_path: Path, name: str, data: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    problem = images.image_problem(path)
    assert problem is not None and expected in problem and name in problem
    if expected == "too large":
        size = images.render_size(path)
        assert size is None or max(size) <= 4096


def test_check_parses_svg_files_completely(tmp_path: Path) -> None:
    from reader.core.content import check_figures

    broken = '<svg xmlns="http://www.w3.org/2000/svg" width="5" height="5"><g></svg>'
    write_essay(tmp_path, svg=broken)
    library = load_library(tmp_path)
    assert library.problems == []  # the quick look on every load sees a sane size
    [problem] = check_figures(library)
    assert problem.path.name == "essay.md" and "not valid XML" in problem.message


def test_good_figure_files_pass_and_get_a_bounded_render_size(tmp_path: Path) -> None:
    for name, data in (("a.png", _png(40, 20)), ("b.jpg", _jpeg(8000, 4000)),
                       ("c.svg", GOOD_SVG.encode())):
        (tmp_path / name).write_bytes(data)
        assert images.image_problem(tmp_path / name) is None
    assert images.render_size(tmp_path / "b.jpg", max_side=1000) == (1000, 500)
    assert images.render_size(tmp_path / "c.svg") == (200, 100)


def test_a_corrupt_figure_is_a_problem_of_the_essay(tmp_path: Path) -> None:
    write_essay(tmp_path, svg='<svg xmlns="http://www.w3.org/2000/svg" width="1" '
                'height="100000000"/>')
    [problem] = load_library(tmp_path).problems
    assert problem.path.name == "essay.md" and "too large" in problem.message


def test_a_figure_that_is_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "x.svg")
    assert "named pipe" in (images.image_problem(tmp_path / "x.svg") or "")


# --- references outside the essay folder ---------------------------------------------------

def test_images_outside_the_essay_folder_are_problems(tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(_png(2, 2))
    body = GOOD_ESSAY + (
        f'\n<img src="{secret}">\n\n<img src="../secret.png">\n\n<img src="figures/plate.svg">\n'
        '\n<img src="data:image/png;base64,AAAA">\n\n![leak](../secret.png)\n'
    )
    folder = write_essay(tmp_path / "content", text=body)
    (folder / "figures" / "out.png").symlink_to(secret)
    body += '\n<img src="figures/out.png">\n'
    (folder / "essay.md").write_text(body, encoding="utf-8")
    _, problems = parse_essay(folder)
    outside = [p.message for p in problems if "outside the essay folder" in p.message]
    assert len(outside) == 4, outside
    assert resources.resolve_inside(folder, "figures/plate.svg") is not None
    assert resources.resolve_inside(folder, "figures/out.png") is None
    assert resources.resolve_inside(folder, "file:///etc/passwd") is None


# --- damaged caches ------------------------------------------------------------------------

@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d["sections"][0].update(id=5),
        lambda d: d["sections"][0].update(text=None),
        lambda d: d["sections"][0].update(children="abc"),
        lambda d: d["figures"][0].update(number="1"),
        lambda d: d["links"].append({"section": "x"}),
        lambda d: d["problems"].append({"path": 7, "line": 1, "message": "m"}),
        lambda d: d.update(meta=[1, 2]),
        lambda d: d.update(body_line="2"),
    ],
)
def test_a_cached_essay_of_the_wrong_shape_is_rebuilt(tmp_path: Path, damage: object) -> None:
    import json

    content, cache = tmp_path / "content", tmp_path / "cache"
    write_essay(content)
    good = load_library(content, cache)
    [entry] = (cache / "essays").iterdir()
    stored = json.loads(entry.read_text(encoding="utf-8"))
    damage(stored["data"])  # type: ignore[operator]
    entry.write_text(json.dumps(stored), encoding="utf-8")
    again = load_library(content, cache)
    assert [s.id for s in again.essays[0].sections] == [s.id for s in good.essays[0].sections]
    assert all(isinstance(s.text, str) for s in again.essays[0].sections)


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d["entries"][0].update(aliases="Ploesti"),
        lambda d: d["mentions"][0].update(start="0"),
        lambda d: d.update(events={}),
        lambda d: d["entries"].append([1]),
    ],
)
def test_cached_cross_references_of_the_wrong_shape_are_rebuilt(
    tmp_path: Path, damage: object
) -> None:
    import json

    from reader.core import xref_cache

    cache = tmp_path / "cache"
    test_xref.write(tmp_path / "content")
    library = load_library(tmp_path / "content")
    good, _ = xref_cache.load_cross_references(library, cache)
    path = cache / xref_cache.CACHE_FILE
    stored = json.loads(path.read_text(encoding="utf-8"))
    damage(stored["data"])  # type: ignore[operator]
    path.write_text(json.dumps(stored), encoding="utf-8")
    again, _ = xref_cache.load_cross_references(library, cache)
    assert again.entries == good.entries and again.mentions == good.mentions


def test_an_essay_over_the_parse_budget_is_a_problem_and_the_rest_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.core import content

    write_essay(tmp_path, "small")
    write_essay(tmp_path, "large", text=GOOD_ESSAY + "\nMore text.\n" * 500)
    monkeypatch.setattr(content, "MAX_ESSAY_BYTES", 4000)
    library = load_library(tmp_path)
    assert [e.id for e in library.essays] == ["small"]
    [problem] = library.problems
    assert problem.path == tmp_path / "large" / "essay.md" and "too large" in problem.message


def test_pipes_and_nesting_in_the_cache_and_beside_the_essay_never_block(
    tmp_path: Path,
) -> None:
    from reader.core import cache, xref_cache

    os.mkfifo(tmp_path / "pipe.json")
    assert cache.load(tmp_path / "pipe.json", "k") is None
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert cache.load(tmp_path / "deep.json", "k") is None
    folder = write_essay(tmp_path / "content")
    os.mkfifo(folder / "index.yaml")
    os.mkfifo(folder / "timeline.yaml")
    library = load_library(tmp_path / "content", tmp_path / "cache")
    index, events = xref_cache.load_cross_references(library, tmp_path / "cache")
    assert index.entries == [] and events == []
    _, problems = xref.load_index(library)
    assert "index.yaml:0: cannot read file:" in str(problems[0])
    assert "named pipe" in problems[0].message
