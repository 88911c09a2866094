"""The cross-reference cache: same answers as a fresh build, rebuilt when stale or damaged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reader.core import xref, xref_cache
from reader.core.content import load_library
from tests import PROJECT_ROOT
from tests.core.test_timeline import TIMELINE
from tests.core.test_xref import write


def _library(root: Path):  # type: ignore[no-untyped-def]
    folder = write(root / "content")
    events = TIMELINE.replace("section: later", "section: far")
    events = events.replace("section: start", "section: brest")
    (folder / "timeline.yaml").write_text(events, encoding="utf-8")
    return load_library(root / "content")


def test_cached_answers_equal_a_fresh_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = _library(tmp_path)
    built, events = xref_cache.load_cross_references(library, tmp_path / "cache")
    assert (tmp_path / "cache" / xref_cache.CACHE_FILE).is_file()

    def fail(*_args: object) -> None:
        raise AssertionError("the cache should have answered")

    monkeypatch.setattr(xref_cache, "load_index", fail)
    monkeypatch.setattr(xref_cache, "load_timeline", fail)
    cached, cached_events = xref_cache.load_cross_references(library, tmp_path / "cache")
    assert cached.entries == built.entries
    assert cached.mentions == built.mentions
    assert cached_events == events
    assert cached.see_also("names", "far") == built.see_also("names", "far")
    assert cached.context(cached.mentions[0]) == built.context(built.mentions[0])


def test_changed_index_file_rebuilds(tmp_path: Path) -> None:
    library = _library(tmp_path)
    xref_cache.load_cross_references(library, tmp_path / "cache")
    index_file = tmp_path / "content" / "names" / "index.yaml"
    text = index_file.read_text(encoding="utf-8")
    index_file.write_text(
        text.replace("name: Komet", "name: Komet\n    aliases: [Comet]"), encoding="utf-8"
    )
    index, _ = xref_cache.load_cross_references(library, tmp_path / "cache")
    komet = index.entry("komet")
    assert komet is not None and komet.aliases == ("Comet",)


@pytest.mark.parametrize("damage", ["", "{not json", '{"key": 1}', "[]"])
def test_damaged_cache_is_rebuilt(tmp_path: Path, damage: str) -> None:
    library = _library(tmp_path)
    fresh, _ = xref.load_index(library)
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / xref_cache.CACHE_FILE).write_text(damage, encoding="utf-8")
    index, _ = xref_cache.load_cross_references(library, cache)
    assert index.mentions == fresh.mentions
    key = xref_cache.fingerprint(library)
    assert key in (cache / xref_cache.CACHE_FILE).read_text(encoding="utf-8")


def test_wrong_shape_with_the_right_key_is_rebuilt(tmp_path: Path) -> None:
    library = _library(tmp_path)
    cache = tmp_path / "cache"
    cache.mkdir()
    key = xref_cache.fingerprint(library)
    (cache / xref_cache.CACHE_FILE).write_text(
        f'{{"key": "{key}", "entries": [{{"id": 1}}], "mentions": [], "events": []}}',
        encoding="utf-8",
    )
    index, _ = xref_cache.load_cross_references(library, cache)
    assert len(index.entries) == 8


def test_unwritable_cache_still_answers(tmp_path: Path) -> None:
    library = _library(tmp_path)
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x", encoding="utf-8")
    index, events = xref_cache.load_cross_references(library, blocker / "cache")
    assert index.entries and events


def test_a_warm_start_imports_no_yaml(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path\n"
        "from reader.core.content import load_library\n"
        "from reader.core.xref_cache import load_cross_references\n"
        f"lib = load_library(Path({str(PROJECT_ROOT / 'content')!r}), Path({str(tmp_path)!r}))\n"
        f"load_cross_references(lib, Path({str(tmp_path)!r}))\n"
        "print('yaml' in sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, cwd=PROJECT_ROOT)
    second = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=PROJECT_ROOT
    )
    assert second.stdout.strip() == "False"


def test_an_edited_essay_text_gives_new_mentions(tmp_path: Path) -> None:
    content, cache = tmp_path / "content", tmp_path / "cache"
    folder = write(content)
    library = load_library(content, cache)
    index, _ = xref_cache.load_cross_references(library, cache)
    assert not any(m.section == "brest" for m in index.mentions_of("komet"))
    essay = folder / "essay.md"
    text = essay.read_text(encoding="utf-8")
    essay.write_text(text.replace("Also Ploiești.", "Also Ploiești and Komet."), "utf-8")
    library = load_library(content, cache)  # the essay cache sees the edit too
    index, _ = xref_cache.load_cross_references(library, cache)
    [mention] = [m for m in index.mentions_of("komet") if m.section == "brest"]
    assert mention.text == "Komet"
    assert index.context(mention)[2].startswith(".")


def test_a_cache_from_other_code_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = _library(tmp_path)
    key = xref_cache.fingerprint(library)
    monkeypatch.setattr(xref_cache, "_code", lambda: "other code")
    assert xref_cache.fingerprint(library) != key


def test_an_imported_essay_counts_for_the_shipped_index_of_names(tmp_path: Path) -> None:
    """The shipped index.yaml's names are found in the user's essays too; adding one
    changes the cache key, so the cached mentions follow."""
    from reader.core import library as user_library
    from tests.conftest import CONTENT_DIR, ESSAY_ID
    from tests.essay_fixtures import write_essay

    user, cache = tmp_path / "data" / "library", tmp_path / "cache"
    before, _ = xref_cache.load_cross_references(
        user_library.load(CONTENT_DIR, user, cache), cache)
    write_essay(user, "oil-trains", "---\ntitle: Oil Trains\n---\n\n# Oil Trains {#start}\n\n"
                "Ribbentrop asked for more trains from Ploesti.\n\n## Later {#later}\n\n"
                "The Ploiesti wells burned.\n")
    loaded = user_library.load(CONTENT_DIR, user, cache)
    assert xref_cache.fingerprint(loaded) != xref_cache.fingerprint(
        user_library.load(CONTENT_DIR, None, cache))
    after, _ = xref_cache.load_cross_references(loaded, cache)
    assert after.entries == before.entries  # no index.yaml of its own: the shipped names
    mine = {(m.entry, m.section, m.text) for m in after.mentions if m.document == "oil-trains"}
    assert mine == {("ribbentrop", "start", "Ribbentrop"), ("ploesti", "start", "Ploesti"),
                    ("ploesti", "later", "Ploiesti")}
    shipped = [m for m in after.mentions if m.document == ESSAY_ID]
    assert shipped == before.mentions
    fresh, _ = xref.load_index(loaded)
    assert fresh.mentions == after.mentions
