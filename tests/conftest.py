"""Shared fixtures. Every test runs against temporary data and cache folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from reader.core.content import Library, load_library
from reader.core.paths import Locations
from tests import PROJECT_ROOT

CONTENT_DIR = PROJECT_ROOT / "content"
SOURCE_TEXT = Path(__file__).parent / "data" / "nazi-soviet-alliance.txt"  # the captured page
ESSAY_ID = "nazi-soviet-alliance"


@pytest.fixture(autouse=True)
def _isolated_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may read or write the user's own data, cache or settings."""
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("READER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("READER_CONTENT_DIR", raising=False)


@pytest.fixture(scope="session")
def library() -> Library:
    """The real content library, loaded once."""
    return load_library(CONTENT_DIR)


@pytest.fixture
def locations(tmp_path: Path) -> Locations:
    return Locations(CONTENT_DIR, tmp_path / "data", tmp_path / "cache")
