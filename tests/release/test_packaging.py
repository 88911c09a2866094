"""The packaging configuration matches the source tree (fast; no build)."""

from __future__ import annotations

import tomllib

from reader.core import paths
from tests import PROJECT_ROOT


def _pyproject() -> dict:
    return tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_package_under_reader_is_listed_for_the_wheel() -> None:
    listed = set(_pyproject()["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(PROJECT_ROOT).parts)
        for init in (PROJECT_ROOT / "reader").rglob("__init__.py")
    }
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


def test_data_packages_map_to_the_top_level_folders() -> None:
    setuptools = _pyproject()["tool"]["setuptools"]
    package_dir = setuptools["package-dir"]
    assert package_dir[paths.CONTENT_PACKAGE] == "content"
    assert package_dir[paths.RESOURCES_PACKAGE] == "resources"
    assert {paths.CONTENT_PACKAGE, paths.RESOURCES_PACKAGE} <= set(setuptools["packages"])


def test_the_checkout_finds_its_edition_and_resources_as_package_data() -> None:
    # The test run uses the editable install, which maps the names to the checkout.
    assert paths.shipped_content_dir().resolve() == (PROJECT_ROOT / "content").resolve()
    assert paths.resources_dir().resolve() == (PROJECT_ROOT / "resources").resolve()
    assert paths.resource_path("icons/reference-reader.svg").is_file()


def test_default_locations_are_the_shipped_edition_and_the_platform_folders() -> None:
    locations = paths.Locations.resolve(env={})  # no READER_* overrides
    assert locations.content_dir == paths.shipped_content_dir()
    source = paths.shipped_content_dir().parent.resolve()
    for folder in (locations.data_dir, locations.cache_dir):
        assert not folder.resolve().is_relative_to(source), folder
        assert "reference-reader" in folder.parts
