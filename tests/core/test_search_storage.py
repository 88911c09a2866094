"""The index on disk: its key, and building a large library in a separate process."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

import pytest

from reader.core.content import Library, load_library
from reader.core.search import SIDECAR, SearchIndex, open_search_index, storage
from tests.essay_fixtures import write_essay


def many_sections(count: int) -> str:
    parts = ["---\ntitle: Many\n---\n\n# Many {#many}\n\nThe start.\n"]
    for number in range(count):
        parts.append(f"## Part {number} {{#part-{number}}}\n\nThe raider Komet, item {number}.\n")
    return "\n".join(parts)


@pytest.fixture
def large(tmp_path: Path) -> Library:
    write_essay(tmp_path / "content", "many", many_sections(40))
    return load_library(tmp_path / "content")


def test_the_index_is_keyed_on_the_content_and_the_code_that_analyses_it(
    large: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = SearchIndex(large, tmp_path / "cache")
    assert index.open() == ""
    index.close()
    sidecar = json.loads((tmp_path / "cache" / "search" / SIDECAR).read_text())
    assert sidecar["code"] == storage.code_version()
    assert "schema" not in sidecar
    assert SearchIndex(large, tmp_path / "cache").is_current()
    # Other analysis code: the same content no longer matches the index on disk.
    monkeypatch.setattr(storage, "code_version", lambda: "another analyzer")
    again = SearchIndex(large, tmp_path / "cache")
    assert not again.is_current()
    assert again.open() == ""  # rebuilt, as routine as stale content
    assert json.loads((tmp_path / "cache" / "search" / SIDECAR).read_text())["code"] == (
        "another analyzer")
    again.close()


def test_the_code_key_covers_the_analysis_and_the_folding() -> None:
    assert "reader.core.search.analysis" in storage.INDEX_CODE
    assert "reader.core.text" in storage.INDEX_CODE
    assert storage.code_version() == storage.code_version()


def test_a_large_library_is_built_in_a_child_process(
    large: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "PROCESS_BUILD_SECTIONS", 10)
    built_here: list[int] = []
    real_write = storage.write_documents

    def write_here(*args: Any) -> int:
        built_here.append(os.getpid())
        return real_write(*args)

    # Patched in this process only: the child imports the package afresh.
    monkeypatch.setattr(storage, "write_documents", write_here)
    seen: list[tuple[int, int]] = []
    index, message = open_search_index(large, tmp_path / "cache", None,
                                       lambda done, total: seen.append((done, total)))
    assert message == ""
    assert built_here == []  # nothing was indexed in the test's process
    assert seen and seen[-1] == (41, 41)  # ...but progress came, from the child
    assert index.is_current()
    assert len(index.search("Komet", limit=100).hits) == 40
    index.close()


def test_a_small_library_is_built_in_this_process(
    large: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "PROCESS_BUILD_SECTIONS", 1000)
    built_here: list[int] = []
    real_write = storage.write_documents

    def write_here(*args: Any) -> int:
        built_here.append(os.getpid())
        return real_write(*args)

    monkeypatch.setattr(storage, "write_documents", write_here)
    index, message = open_search_index(large, tmp_path / "cache")
    assert (message, built_here) == ("", [os.getpid()])
    index.close()


def failing_build(content_dir: str, cache_dir: str, progress: Any) -> None:
    """A child build that fails (it runs in the child: pickled by name)."""
    raise RuntimeError("the child could not build")


def test_a_failed_child_build_is_reported_and_logged(
    large: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(storage, "PROCESS_BUILD_SECTIONS", 10)
    monkeypatch.setattr(storage, "build_in_child", failing_build)
    with caplog.at_level(logging.ERROR, logger="reader.core.search"):
        index, message = open_search_index(large, tmp_path / "cache")
    assert "could not be built in the background" in message
    assert any("build process failed" in r.getMessage() for r in caplog.records)
    # Built here instead, deliberately, and said so: the reader can still search.
    assert len(index.search("Komet", limit=100).hits) == 40
    index.close()


def test_the_vocabulary_for_did_you_mean_is_gathered_when_the_window_opens_the_index(
    library, tmp_path, monkeypatch
) -> None:
    """Opening through open_search_index (the window's worker thread) gathers it, so the
    first misspelt word typed does not pause for it."""
    from reader.core.search import open_search_index, suggestions

    gathered: list[int] = []
    real = suggestions.Suggester._gather
    monkeypatch.setattr(
        suggestions.Suggester, "_gather", lambda self: gathered.append(1) or real(self)
    )
    index, _ = open_search_index(library, tmp_path / "cache")
    try:
        assert gathered == [1]
        results = index.search("Ribentrop")  # a misspelling: asks for the nearest word
        assert results.suggestion and "Ribbentrop" in results.suggestion
        assert gathered == [1]  # not gathered again on the keystroke
    finally:
        index.close()
