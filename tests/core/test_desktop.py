"""Desktop integration: the .desktop entry and icon in the user's XDG folders (tmp only)."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader.core import desktop
from reader.core.paths import resource_path


@pytest.fixture
def dirs(tmp_path: Path) -> desktop.XdgDirs:
    return desktop.XdgDirs(tmp_path / "share", tmp_path / "config")


def _entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser["Desktop Entry"]


def test_xdg_dirs_follow_the_environment_and_fall_back_to_home(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "d"), "XDG_CONFIG_HOME": "rel"}
    dirs = desktop.XdgDirs.from_env(env)
    assert dirs.data_home == tmp_path / "d"
    assert dirs.config_home == tmp_path / ".config"  # a relative value is ignored, as specified
    assert desktop.XdgDirs.from_env({"HOME": str(tmp_path)}).applications == (
        tmp_path / ".local" / "share" / "applications"
    )


def test_install_writes_the_entry_and_the_icon(dirs: desktop.XdgDirs) -> None:
    command = ["/opt/reader/bin/reference-reader"]
    report = desktop.install(dirs, command, run_tools=False)
    assert dirs.desktop_file.is_file() and dirs.icon_file.is_file()
    assert set(report.files) == {dirs.desktop_file, dirs.icon_file}
    assert dirs.icon_file.read_bytes() == resource_path("icons/reference-reader.svg").read_bytes()
    entry = _entry(dirs.desktop_file)
    assert entry["Exec"] == "/opt/reader/bin/reference-reader --open=%u"
    assert entry["TryExec"] == "/opt/reader/bin/reference-reader"
    assert entry["Icon"] == dirs.icon_file.stem
    kinds = entry["MimeType"].rstrip(";").split(";")
    for kind in ("x-scheme-handler/reader", "text/plain", "text/html", "text/markdown",
                 "application/epub+zip"):
        assert kind in kinds


def test_the_default_command_is_this_installation_s_launcher(dirs: desktop.XdgDirs) -> None:
    desktop.install(dirs, run_tools=False)
    argv = _split_exec(_entry(dirs.desktop_file)["Exec"])
    assert argv[-1] == "--open=%u"
    assert Path(argv[0]).is_absolute()
    launcher = Path(sys.executable).parent / "reference-reader"
    if launcher.is_file():  # installed (editable or not): its launcher script
        assert argv[:-1] == [str(launcher)]
    else:
        assert argv[:-1] == [sys.executable, "-m", "reader"]


def _split_exec(value: str) -> list[str]:
    """An Exec value read the way the desktop entry specification says."""
    value = value.replace("\\\\", "\\")  # first the string escape, then the quoting
    args: list[str] = []
    current, quoted, escaped, started = "", False, False, False
    for char in value:
        if escaped:
            current, escaped = current + char, False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted, started = not quoted, True
        elif char == " " and not quoted:
            if started or current:
                args.append(current)
            current, started = "", False
        else:
            current += char
    args.append(current)
    return args


def test_exec_quotes_paths_with_spaces_and_specials() -> None:
    odd = '/home/a b/bin/reader$1"`x\\'
    assert _split_exec(desktop.exec_line([odd, "-m"])) == [odd, "-m", "--open=%u"]
    plain = desktop.exec_line(["/usr/bin/reference-reader"])
    assert plain == "/usr/bin/reference-reader --open=%u"


def test_uninstall_removes_what_install_wrote_and_only_our_associations(
    dirs: desktop.XdgDirs,
) -> None:
    dirs.config_home.mkdir(parents=True)
    dirs.mimeapps.write_text(
        "[Default Applications]\n"
        "x-scheme-handler/reader=reference-reader.desktop;\n"
        "text/plain=org.example.Editor.desktop;reference-reader.desktop;\n"
        "text/html=firefox.desktop\n",
        encoding="utf-8",
    )
    desktop.install(dirs, ["/usr/bin/reference-reader"], run_tools=False)
    report = desktop.uninstall(dirs, run_tools=False)
    assert not dirs.desktop_file.exists() and not dirs.icon_file.exists()
    assert dirs.mimeapps in report.files
    assert dirs.mimeapps.read_text(encoding="utf-8") == (
        "[Default Applications]\n"
        "text/plain=org.example.Editor.desktop;\n"
        "text/html=firefox.desktop\n"
    )
    again = desktop.uninstall(dirs, run_tools=False)
    assert again.files == []


@pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None,
    reason="desktop-file-validate is not installed (Debian: desktop-file-utils)",
)
@pytest.mark.parametrize(
    "command", [None, ["/opt/Reference Reader/reference-reader"], [sys.executable, "-m", "reader"]]
)
def test_the_installed_entry_passes_desktop_file_validate(
    dirs: desktop.XdgDirs, command: list[str] | None
) -> None:
    desktop.install(dirs, command, run_tools=False)
    for path in (dirs.desktop_file, resource_path("reference-reader.desktop")):
        result = subprocess.run(
            ["desktop-file-validate", str(path)], capture_output=True, text=True
        )
        assert result.returncode == 0 and "error" not in result.stdout, result.stdout


@pytest.mark.skipif(
    shutil.which("update-desktop-database") is None,
    reason="update-desktop-database is not installed (Debian: desktop-file-utils)",
)
def test_install_updates_the_desktop_database_in_the_given_folders(
    dirs: desktop.XdgDirs,
) -> None:
    report = desktop.install(dirs, ["/usr/bin/reference-reader"], env=dict(os.environ))
    assert any(tool.startswith("update-desktop-database") for tool in report.tools)
    cache = (dirs.applications / "mimeinfo.cache").read_text(encoding="utf-8")
    assert "x-scheme-handler/reader=reference-reader.desktop;" in cache
    desktop.uninstall(dirs, env=dict(os.environ))
    cache = (dirs.applications / "mimeinfo.cache").read_text(encoding="utf-8")
    assert "reference-reader.desktop" not in cache


def test_missing_desktop_tools_are_skipped_not_fatal(dirs: desktop.XdgDirs, tmp_path: Path) -> None:
    report = desktop.install(dirs, ["/usr/bin/reference-reader"], env={"PATH": str(tmp_path)})
    assert report.tools == []
    assert set(report.skipped) == {"update-desktop-database", "xdg-mime"}
    assert dirs.desktop_file.is_file()


def test_cli_desktop_install_and_uninstall(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from reader import cli

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    dirs = desktop.XdgDirs.from_env()
    assert dirs.data_home == tmp_path / "share"

    status = cli.main(["desktop", "install", "--no-tools", "--exec", "'/opt/my reader/run' --x"])
    assert status == 0
    printed = capsys.readouterr().out
    assert f"Wrote {dirs.desktop_file}" in printed and f"Wrote {dirs.icon_file}" in printed
    argv = _split_exec(_entry(dirs.desktop_file)["Exec"])
    assert argv == ["/opt/my reader/run", "--x", "--open=%u"]

    assert cli.main(["desktop", "install", "--no-tools", "--exec", "reader"]) == 1
    assert "absolute" in capsys.readouterr().err

    assert cli.main(["desktop", "uninstall", "--no-tools"]) == 0
    assert f"Removed {dirs.desktop_file}" in capsys.readouterr().out
    assert not dirs.desktop_file.exists() and not dirs.icon_file.exists()
    assert cli.main(["desktop", "uninstall", "--no-tools"]) == 0
    assert "Nothing to remove." in capsys.readouterr().out


@pytest.mark.parametrize("given", ["", "reader://nazi-soviet-alliance/pact"])
def test_the_launcher_accepts_what_the_entry_passes(given: str) -> None:
    from reader import cli

    # The desktop replaces %u with the clicked link, or with nothing from a menu.
    argv = [desktop.OPEN_ARGUMENT.replace("%u", given)]
    args = cli.window_arguments(argv)
    assert args is not None and args.command is None
    assert args.open_url == given
