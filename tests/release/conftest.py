"""What the release tests share: an unrelated folder to run the installed reader from."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture
def elsewhere(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """An unrelated working folder and an environment whose user folders are in tmp."""
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("READER_", "PYTHON", "VIRTUAL_ENV"))
    }
    env.update(
        HOME=str(tmp_path / "home"),
        XDG_DATA_HOME=str(tmp_path / "home" / "data"),
        XDG_CACHE_HOME=str(tmp_path / "home" / "cache"),
        XDG_CONFIG_HOME=str(tmp_path / "home" / "config"),
        QT_QPA_PLATFORM="offscreen",
    )
    return work, env
