"""Derived-data entries: used only under their own key, rebuilt when damaged, never an error."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from reader.core import atomic, cache, content_cache, xref_cache
from reader.core.content import load_library
from tests.core.test_xref_cache import _library
from tests.essay_fixtures import write_essay


def test_an_entry_is_read_back_under_its_key_only(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "thing.json"
    assert cache.store(path, "key-1", {"n": [1, 2]})
    assert cache.load(path, "key-1") == {"n": [1, 2]}
    assert cache.load(path, "key-2") is None
    assert [p.name for p in path.parent.iterdir()] == ["thing.json"]  # no temporary left


@pytest.mark.parametrize(
    "damage",
    ["", "{not json", "[]", '{"key": "k", "data": 1}', '{"format": "reader-derived", "key": 7}'],
)
def test_a_damaged_entry_reads_as_nothing(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "thing.json"
    path.write_text(damage, encoding="utf-8")
    assert cache.load(path, "k") is None


def test_an_unwritable_place_is_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    assert cache.store(blocker / "thing.json", "k", {}) is False
    assert cache.load(blocker / "thing.json", "k") is None


def test_a_read_only_cache_folder_is_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content, folder = tmp_path / "content", tmp_path / "cache"
    write_essay(content)
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    if os.geteuid() == 0:  # the superuser writes anyway: refuse as the system would

        def refuse(*_args: object, **_kwargs: object) -> None:
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(atomic.tempfile, "mkstemp", refuse)
    try:
        assert cache.store(folder / "thing.json", "k", {}) is False
        library = load_library(content, folder)
        index, _ = xref_cache.load_cross_references(library, folder)
    finally:
        folder.chmod(stat.S_IRWXU)
    assert library.section("small", "deeper") is not None and library.problems == []
    assert index.entries == []  # the small essay has no index of names
    assert [p for p in folder.rglob("*") if p.is_file()] == []


def test_an_essay_entry_of_the_wrong_shape_is_parsed_again(tmp_path: Path) -> None:
    content, folder = tmp_path / "content", tmp_path / "cache"
    essay = write_essay(content)
    load_library(content, folder)
    entry = content_cache.entry_path(essay.resolve(), folder)
    key = content_cache.cache_key(essay.resolve())
    assert cache.load(entry, key) is not None
    cache.store(entry, key, {"sections": [{"bogus": True}], "figures": "no"})
    library = load_library(content, folder)
    assert [s.id for s in library.essays[0].sections] == ["start", "first", "second", "deeper"]
    assert cache.load(entry, key)["sections"][0]["id"] == "start"  # rebuilt in place


def test_a_cross_reference_entry_of_the_wrong_shape_is_rebuilt(tmp_path: Path) -> None:
    library = _library(tmp_path)
    folder = tmp_path / "cache"
    key = xref_cache.fingerprint(library)
    cache.store(folder / xref_cache.CACHE_FILE, key, {"entries": [{"id": 1}], "mentions": []})
    index, events = xref_cache.load_cross_references(library, folder)
    assert len(index.entries) == 8 and events
    data = cache.load(folder / xref_cache.CACHE_FILE, key)
    assert len(data["entries"]) == 8


def test_the_keys_depend_on_the_code_that_makes_the_entries() -> None:
    assert "reader.core.content" in content_cache.PRODUCERS
    assert "reader.core.markdown_ext" in content_cache.PRODUCERS
    assert "reader.core.xref" in xref_cache.PRODUCERS
    assert "reader.core.timeline" in xref_cache.PRODUCERS


def test_an_atomic_write_keeps_the_permissions_a_plain_write_gives(tmp_path: Path) -> None:
    plain, replaced = tmp_path / "plain.json", tmp_path / "replaced.json"
    plain.write_text("{}", encoding="utf-8")
    atomic.write_text(replaced, "{}")
    assert stat.S_IMODE(replaced.stat().st_mode) == stat.S_IMODE(plain.stat().st_mode)
    replaced.chmod(0o640)
    atomic.write_text(replaced, json.dumps({"again": True}))
    assert stat.S_IMODE(replaced.stat().st_mode) == 0o640
    assert json.loads(replaced.read_text(encoding="utf-8")) == {"again": True}
