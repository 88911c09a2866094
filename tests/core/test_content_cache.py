"""The parsed-essay cache: reused while the files are unchanged, never trusted blindly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from reader.core import content_cache
from reader.core.content import load_library, parse_essay
from tests import PROJECT_ROOT
from tests.essay_fixtures import write_essay


def entries(cache: Path) -> list[Path]:
    return sorted((cache / "essays").glob("*.json"))


def test_a_cached_essay_equals_a_freshly_parsed_one(tmp_path: Path) -> None:
    fresh = load_library(PROJECT_ROOT / "content")
    load_library(PROJECT_ROOT / "content", tmp_path)  # fills the cache
    cached = load_library(PROJECT_ROOT / "content", tmp_path)
    assert len(entries(tmp_path)) == len(fresh.essays)
    for a, b in zip(fresh.essays, cached.essays, strict=True):
        assert a.sections == b.sections
        assert a.figures == b.figures
        assert a.links == b.links
        assert a.related == b.related
        assert a.meta == b.meta
        assert a.body_html == b.body_html
    assert [str(p) for p in fresh.problems] == [str(p) for p in cached.problems]


def test_a_warm_start_does_not_import_markdown(tmp_path: Path) -> None:
    load_library(PROJECT_ROOT / "content", tmp_path)
    code = (
        "import sys\nfrom pathlib import Path\nfrom reader.core.content import load_library\n"
        f"lib = load_library(Path({str(PROJECT_ROOT / 'content')!r}), Path({str(tmp_path)!r}))\n"
        "assert lib.essays and lib.essays[0].sections\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('markdown', 'pymdownx')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_an_edited_essay_is_parsed_again(tmp_path: Path) -> None:
    content, cache = tmp_path / "content", tmp_path / "cache"
    folder = write_essay(content)
    assert load_library(content, cache).section("small", "first").title == "First Part"
    text = (folder / "essay.md").read_text(encoding="utf-8")
    (folder / "essay.md").write_text(text.replace("## First Part", "## Renamed Part"), "utf-8")
    assert load_library(content, cache).section("small", "first").title == "Renamed Part"
    assert len(entries(cache)) == 1  # the stale entry was replaced


def test_a_damaged_cache_entry_is_ignored_and_replaced(tmp_path: Path) -> None:
    content, cache = tmp_path / "content", tmp_path / "cache"
    write_essay(content)
    load_library(content, cache)
    [entry] = entries(cache)
    entry.write_text('{"format": 1, "sections": [{"bogus": tru', encoding="utf-8")
    library = load_library(content, cache)
    assert [s.id for s in library.essays[0].sections] == ["start", "first", "second", "deeper"]
    assert entry.read_text(encoding="utf-8").startswith('{"format"')
    assert library.problems == []


def test_an_unwritable_cache_only_costs_time(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_essay(content)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    library = load_library(content, blocker)
    assert library.section("small", "deeper") is not None


def test_a_missing_figure_is_reported_even_from_the_cache(tmp_path: Path) -> None:
    content, cache = tmp_path / "content", tmp_path / "cache"
    folder = write_essay(content)
    assert load_library(content, cache).problems == []
    (folder / "figures" / "plate.svg").unlink()
    problems = [str(p) for p in load_library(content, cache).problems]
    assert any("missing figure file: figures/plate.svg" in p for p in problems)


def test_the_key_changes_with_the_essay(tmp_path: Path) -> None:
    folder = write_essay(tmp_path)
    before = content_cache.cache_key(folder)
    (folder / "related.yaml").write_text("pages: []\n", encoding="utf-8")
    assert content_cache.cache_key(folder) != before
    assert parse_essay(folder)[0] is not None


def test_figures_in_a_linked_folder_load_and_cache(tmp_path: Path) -> None:
    content, cache = tmp_path / "content", tmp_path / "cache"
    folder = write_essay(content)
    shared = tmp_path / "shared-figures"
    (folder / "figures").rename(shared)
    (folder / "figures").symlink_to(shared, target_is_directory=True)
    for _ in range(2):  # parsed, then from the cache
        library = load_library(content, cache)
        figure = library.essays[0].figures[0]
        assert figure.exists and figure.path.parent == folder.resolve() / "figures"
        assert library.problems == []


def test_an_edited_related_file_is_read_again(tmp_path: Path) -> None:
    content, cache = tmp_path / "content", tmp_path / "cache"
    folder = write_essay(content)
    assert load_library(content, cache).essays[0].related == []
    (folder / "related.yaml").write_text(
        "pages:\n  - id: maps\n    title: Maps of the period\n", encoding="utf-8"
    )
    [page] = load_library(content, cache).essays[0].related
    assert (page.id, page.title, page.url) == ("maps", "Maps of the period", None)
    (folder / "related.yaml").unlink()
    assert load_library(content, cache).essays[0].related == []


def test_an_edited_essay_text_is_parsed_again(tmp_path: Path) -> None:
    content, cache = tmp_path / "content", tmp_path / "cache"
    folder = write_essay(content)
    assert "Ploesti" in load_library(content, cache).section("small", "first").text
    text = (folder / "essay.md").read_text(encoding="utf-8")
    (folder / "essay.md").write_text(text.replace("about Ploesti", "about Ploiești"), "utf-8")
    section = load_library(content, cache).section("small", "first")
    assert section.text == "First part text about Ploiești."


def test_figure_files_are_looked_up_on_every_load(tmp_path: Path) -> None:
    content, cache = tmp_path / "content", tmp_path / "cache"
    folder = write_essay(content)
    stand_in = load_library(content, cache).essays[0].figures[0]
    assert stand_in.path.name == "plate.svg"
    photo = folder / "figures" / "plate.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n")
    [figure] = load_library(content, cache).essays[0].figures
    assert figure.path == photo.resolve()
    photo.unlink()
    (folder / "figures" / "plate.svg").unlink()
    library = load_library(content, cache)
    assert not library.essays[0].figures[0].exists
    assert [p.message for p in library.problems] == ["missing figure file: figures/plate.svg"]
    (folder / "figures" / "plate.svg").write_text("<svg/>", encoding="utf-8")
    assert load_library(content, cache).problems == []
