"""Where things live: the content library, user data, the cache and resources.

Every location can be overridden by a command-line option or an environment
variable, so tests and tools never touch the user's own files.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "reference-reader"
APP_AUTHOR = "reference-reader"

#: The checkout (or installed source tree) holding content/ and resources/.
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def resources_dir() -> Path:
    """The folder of icons, style sheets and the .desktop file."""
    return PROJECT_ROOT / "resources"


def resource_path(name: str) -> Path:
    """One file under resources/ (``icons/back.svg``, ``content.css``)."""
    return resources_dir() / name


@dataclass(frozen=True)
class Locations:
    """The three folders the reader reads from and writes to."""

    content_dir: Path
    data_dir: Path
    cache_dir: Path

    @classmethod
    def resolve(
        cls,
        content: str | Path | None = None,
        data: str | Path | None = None,
        cache: str | Path | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Locations:
        """Explicit arguments win, then READER_* variables, then the defaults."""
        env = os.environ if env is None else env

        def pick(explicit: str | Path | None, var: str, default: Path) -> Path:
            if explicit:
                return Path(explicit).expanduser()
            if env.get(var):
                return Path(env[var]).expanduser()
            return default

        return cls(
            content_dir=pick(content, "READER_CONTENT_DIR", PROJECT_ROOT / "content"),
            data_dir=pick(
                data, "READER_DATA_DIR", Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
            ),
            cache_dir=pick(
                cache, "READER_CACHE_DIR", Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR))
            ),
        )
