"""Where things live: the content library, user data, the cache and resources.

The shipped edition (``content/``) and the resources (``resources/``) are package
data of ``reader`` (``reader._content``, ``reader._resources``), found through
importlib.resources wherever the package is: a checkout installed in editable
mode, a wheel in site-packages or a PyInstaller bundle. What the user makes
(bookmarks, reading positions, the cache) lives in the platform's folders,
never next to the code. Every location can be overridden by a command-line
option or an environment variable, so tests and tools never touch the user's
own files.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import platformdirs

APP_NAME = "reference-reader"
APP_AUTHOR = "reference-reader"

CONTENT_PACKAGE = "reader._content"
RESOURCES_PACKAGE = "reader._resources"


def package_folder(package: str) -> Path:
    """The folder on disk holding ``package``'s data files."""
    folder = resources.files(package)
    # The reader hands these paths to Qt and to the content loader, which need
    # real files; every supported install (editable, wheel, bundle) has them.
    if not isinstance(folder, Path):
        raise RuntimeError(f"{package} is not installed as plain files: {folder}")
    return folder


def shipped_content_dir() -> Path:
    """The edition that comes with the reader (``content/`` in the source tree)."""
    return package_folder(CONTENT_PACKAGE)


def resources_dir() -> Path:
    """The folder of icons, style sheets and the .desktop file."""
    return package_folder(RESOURCES_PACKAGE)


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
            content_dir=pick(content, "READER_CONTENT_DIR", shipped_content_dir()),
            data_dir=pick(
                data, "READER_DATA_DIR", Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
            ),
            cache_dir=pick(
                cache, "READER_CACHE_DIR", Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR))
            ),
        )
