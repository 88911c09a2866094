"""``desktop install|uninstall``: add the reader to the desktop's menus, or take it away.

Registered by the CLI with ``add_commands``. The work is done by the Qt-free core
(``reader.core.desktop``); this module reads the options and prints what was done.
"""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path
from typing import TextIO

from reader.cli.common import Error, SubParsers
from reader.core import desktop


def add_commands(commands: SubParsers) -> None:
    """Add ``desktop`` and its two actions to the CLI's ``commands``."""
    parser = commands.add_parser(
        "desktop", help="add the reader to the desktop's menus (and reader:// links), or remove it"
    )
    actions = parser.add_subparsers(dest="desktop_command", metavar="ACTION", required=True)
    install = actions.add_parser(
        "install", help="write the .desktop entry and the icon to the user's XDG folders"
    )
    install.add_argument(
        "--exec",
        metavar="COMMAND",
        dest="exec_command",
        help="the command the entry runs (default: this installation's reference-reader)",
    )
    actions.add_parser("uninstall", help="remove the .desktop entry and the icon")
    for action in actions.choices.values():
        action.add_argument(
            "--no-tools",
            action="store_true",
            help="do not run update-desktop-database or xdg-mime",
        )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Carry out ``desktop install`` or ``desktop uninstall``; 0 on success."""
    dirs = desktop.XdgDirs.from_env()
    run_tools = not args.no_tools
    try:
        if args.desktop_command == "install":
            command = shlex.split(args.exec_command) if args.exec_command else None
            if command is not None and not Path(command[0]).is_absolute():
                raise Error("--exec needs an absolute path")
            report = desktop.install(dirs, command, run_tools=run_tools)
            verb = "Wrote"
        else:
            report = desktop.uninstall(dirs, run_tools=run_tools)
            verb = "Removed"
    except OSError as exc:
        raise Error(str(exc)) from exc
    for path in report.files:
        out.write(f"{verb} {path}\n")
    if not report.files:
        out.write("Nothing to remove.\n")
    for tool in report.tools:
        out.write(f"Ran {tool}\n")
    for tool in report.skipped:
        out.write(f"Skipped {tool} (not available)\n")
    return 0
