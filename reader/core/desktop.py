"""Desktop integration on Linux and other XDG desktops (imports no Qt).

``install`` puts the reader's .desktop entry in ``$XDG_DATA_HOME/applications``
and its icon in ``$XDG_DATA_HOME/icons/hicolor/scalable/apps``, so menus and
launchers list it; the entry registers the ``reader://`` scheme and the file
types the library imports. ``uninstall`` takes all of it away again. The
desktop's own tools (``update-desktop-database``, ``xdg-mime``) are run when
they are installed and skipped otherwise: the files alone are a valid install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reader.core import atomic
from reader.core.paths import resource_path

APP_ID = "reference-reader"
DESKTOP_FILE = f"{APP_ID}.desktop"
ICON_FILE = f"{APP_ID}.svg"
SCHEME_TYPE = "x-scheme-handler/reader"
#: What the entry says the reader opens: its own links and the files the library imports.
MIME_TYPES = (SCHEME_TYPE, "text/plain", "text/html", "text/markdown", "application/epub+zip")

# Characters that make an Exec argument need quoting (desktop entry specification).
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


@dataclass(frozen=True)
class XdgDirs:
    """The user's XDG folders the integration writes to."""

    data_home: Path
    config_home: Path

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> XdgDirs:
        """``$XDG_DATA_HOME`` and ``$XDG_CONFIG_HOME``, or their defaults under ``$HOME``."""
        env = os.environ if env is None else env
        home = Path(env.get("HOME") or Path.home())

        def pick(var: str, default: Path) -> Path:
            value = env.get(var, "")
            return Path(value) if os.path.isabs(value) else default  # relative: ignored

        return cls(
            pick("XDG_DATA_HOME", home / ".local" / "share"),
            pick("XDG_CONFIG_HOME", home / ".config"),
        )

    @property
    def applications(self) -> Path:
        return self.data_home / "applications"

    @property
    def desktop_file(self) -> Path:
        return self.applications / DESKTOP_FILE

    @property
    def icon_file(self) -> Path:
        return self.data_home / "icons" / "hicolor" / "scalable" / "apps" / ICON_FILE

    @property
    def mimeapps(self) -> Path:
        return self.config_home / "mimeapps.list"


@dataclass
class Report:
    """What install or uninstall did: files written or removed, tools run or missing."""

    files: list[Path] = field(default_factory=list)
    tools: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def launcher_command() -> list[str]:
    """The absolute command that opens the reader from this installation.

    The ``reference-reader`` launcher installed beside this interpreter (a
    virtual environment, pipx), the bundle's own executable, or else
    ``python -m reader`` with this interpreter.
    """
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).resolve())]
    scripts = Path(sys.executable).parent
    for name in (APP_ID, f"{APP_ID}.exe"):
        launcher = scripts / name
        if launcher.is_file() and os.access(launcher, os.X_OK):
            return [str(launcher)]
    return [str(Path(sys.executable)), "-m", "reader"]


#: How the launcher is handed the clicked link or file. ``--open=%u`` rather than a
#: bare ``%u``: started from a menu, %u expands to nothing and ``--open=`` is empty.
OPEN_ARGUMENT = "--open=%u"


def exec_line(command: Sequence[str]) -> str:
    """``command`` as a desktop entry's Exec value, with ``%u`` for the link or file."""

    def quote(arg: str) -> str:
        if not arg or _RESERVED & set(arg):
            for char in '\\"`$':
                arg = arg.replace(char, "\\" + char)
            arg = f'"{arg}"'
        # The value is itself a string in which a backslash is escaped once more.
        return arg.replace("\\", "\\\\")

    return " ".join([*(quote(arg) for arg in command), OPEN_ARGUMENT])


def desktop_entry(command: Sequence[str]) -> str:
    """The shipped .desktop entry with Exec, TryExec and MimeType for this installation."""
    template = resource_path(DESKTOP_FILE).read_text(encoding="utf-8")
    values = {
        "Exec": exec_line(command),
        "TryExec": exec_line(command[:1]).removesuffix(f" {OPEN_ARGUMENT}"),
        "MimeType": "".join(f"{kind};" for kind in MIME_TYPES),
    }
    lines: list[str] = []
    for line in template.splitlines():
        key = line.split("=", 1)[0].strip()
        if key in values:
            lines.append(f"{key}={values.pop(key)}")
        else:
            lines.append(line)
    lines.extend(f"{key}={value}" for key, value in values.items())
    return "\n".join(lines) + "\n"


def _run_tool(argv: list[str], report: Report, env: Mapping[str, str]) -> None:
    tool = shutil.which(argv[0], path=env.get("PATH"))
    if tool is None:
        report.skipped.append(argv[0])
        return
    try:
        subprocess.run(
            [tool, *argv[1:]], env=dict(env), check=True, capture_output=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        report.skipped.append(argv[0])  # a failing desktop tool never fails the install
    else:
        report.tools.append(" ".join(argv))


def _tool_env(dirs: XdgDirs, env: Mapping[str, str] | None) -> dict[str, str]:
    # The tools follow the same folders as the files we wrote.
    base = dict(os.environ if env is None else env)
    base.update(XDG_DATA_HOME=str(dirs.data_home), XDG_CONFIG_HOME=str(dirs.config_home))
    return base


def install(
    dirs: XdgDirs,
    command: Sequence[str] | None = None,
    run_tools: bool = True,
    env: Mapping[str, str] | None = None,
) -> Report:
    """Write the .desktop entry and the icon; make the reader open ``reader://`` links.

    Raises OSError when a file cannot be written.
    """
    report = Report()
    entry = desktop_entry(list(command) if command else launcher_command())
    dirs.applications.mkdir(parents=True, exist_ok=True)
    atomic.write_text(dirs.desktop_file, entry)
    report.files.append(dirs.desktop_file)
    dirs.icon_file.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_bytes(dirs.icon_file, resource_path(f"icons/{ICON_FILE}").read_bytes())
    report.files.append(dirs.icon_file)
    if run_tools:
        tool_env = _tool_env(dirs, env)
        _run_tool(["update-desktop-database", str(dirs.applications)], report, tool_env)
        # Only our own scheme: the reader does not take over the user's text files.
        _run_tool(["xdg-mime", "default", DESKTOP_FILE, SCHEME_TYPE], report, tool_env)
    return report


def _forget_associations(mimeapps: Path) -> bool:
    """Remove the reader from ``mimeapps.list``; True when the file changed."""
    try:
        text = mimeapps.read_text(encoding="utf-8")
    except OSError:
        return False
    lines: list[str] = []
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        values = [v.strip() for v in value.split(";")]
        if sep and not line.lstrip().startswith(("#", "[")) and DESKTOP_FILE in values:
            kept = [v for v in values if v and v != DESKTOP_FILE]
            if not kept:
                continue
            line = f"{key}={';'.join(kept)};"
        lines.append(line)
    new = "\n".join(lines) + "\n"
    if new == text:
        return False
    atomic.write_text(mimeapps, new)
    return True


def uninstall(
    dirs: XdgDirs, run_tools: bool = True, env: Mapping[str, str] | None = None
) -> Report:
    """Remove what ``install`` wrote; files that are already gone are fine."""
    report = Report()
    for path in (dirs.desktop_file, dirs.icon_file):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        report.files.append(path)
    if _forget_associations(dirs.mimeapps):
        report.files.append(dirs.mimeapps)
    if run_tools:
        _run_tool(["update-desktop-database", str(dirs.applications)], report, _tool_env(dirs, env))
    return report
