"""The command-line interface over the core (imports no Qt).

``python main.py`` with no subcommand opens the window (the launcher asks
``window_arguments`` first, and that imports no command); with one, the command
runs here and prints to stdout. Exit codes: 0 success, 1 a problem with the
content or the request (unknown section, content errors), 2 unusable arguments.

Each command group is one module of this package with an ``add_commands``
function; ``COMMAND_GROUPS`` lists them in the order ``--help`` shows them.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn, TextIO

from reader import __version__, log
from reader.cli.common import Error, Handler, SubParsers, add_location_options

#: The modules of this package that add commands, in the order --help lists them.
COMMAND_GROUPS = ("content", "library", "bookmarks", "xref", "search", "export", "desktop")


class _QuietParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise ValueError(message)


def _add_window_options(parser: argparse.ArgumentParser) -> None:
    add_location_options(parser, suppress=False)
    parser.add_argument("--section", metavar="ID", help="open the window at this section")
    parser.add_argument(
        "--open",
        metavar="URL",
        dest="open_url",
        help="open the window at a reader://ESSAY/SECTION reference",
    )
    parser.add_argument(
        "--new-window",
        action="store_true",
        help="open a separate window even if the reader is already running",
    )


def window_arguments(argv: Sequence[str]) -> argparse.Namespace | None:
    """The options for opening the window, or None when ``argv`` asks for a command.

    Opening the window is the common case; this avoids building (and importing)
    every subcommand just to find out that there is none.
    """
    parser = _QuietParser(prog="reference-reader", add_help=False)
    _add_window_options(parser)
    try:
        args, rest = parser.parse_known_args(argv)
    except ValueError:
        return None  # let the full parser explain the problem
    if rest:
        return None
    args.command = None
    return args


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reference-reader",
        description="An offline reader for historical essays. "
        "With no command, opens the reader window.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_window_options(parser)
    commands: SubParsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_GROUPS:
        add_commands: Callable[[SubParsers], None] = importlib.import_module(
            f"{__name__}.{name}"
        ).add_commands
        add_commands(commands)
    for sub in commands.choices.values():
        add_location_options(sub, suppress=True)
    return parser


def run_command(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run the subcommand in ``args``; errors become one line on stderr."""
    handler: Handler = args.handler
    try:
        return handler(args, out or sys.stdout)
    except Error as exc:
        print(f"reference-reader: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``reference-reader-cli`` (and of the launcher when a command is
    given): a subcommand is required."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_usage(sys.stderr)
        print("reference-reader: a command is required (see --help)", file=sys.stderr)
        return 2
    log.configure(log.log_dir(getattr(args, "cache_dir", None)))
    return run_command(args)
