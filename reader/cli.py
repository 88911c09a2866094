"""The command-line interface over the core (imports no Qt).

``python main.py`` with no subcommand opens the window; with one, the command
runs here and prints to stdout. Exit codes: 0 success, 1 a problem with the
content or the request (unknown section, content errors), 2 unusable arguments.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn, TextIO

from reader import __version__
from reader.core import content
from reader.core.paths import Locations


class CommandError(Exception):
    """A request the command cannot carry out; printed as one line, exit status 1."""


def _add_location_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--content",
        metavar="DIR",
        default=default,
        help="the content library (default: content/ in the checkout)",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default,
        help="where bookmarks and reading positions are stored",
    )
    parser.add_argument(
        "--cache-dir",
        metavar="DIR",
        default=default,
        help="where the search index and other derived data are kept",
    )


class _QuietParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise ValueError(message)


def _add_window_options(parser: argparse.ArgumentParser) -> None:
    _add_location_options(parser, suppress=False)
    parser.add_argument("--section", metavar="ID", help="open the window at this section")
    parser.add_argument(
        "--open",
        metavar="URL",
        dest="open_url",
        help="open the window at a reader://ESSAY/SECTION reference",
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
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    sections = commands.add_parser("sections", help="the section tree in reading order")
    sections.add_argument("--json", action="store_true", help="print JSON")
    sections.set_defaults(handler=cmd_sections)

    check = commands.add_parser("check", help="validate the content; exit 1 on problems")
    check.set_defaults(handler=cmd_check)

    from reader.cli_bookmarks import add_bookmarks_parser  # it imports this module

    add_bookmarks_parser(commands, _add_location_options)

    from reader.cli_xref import add_xref_parsers  # it imports this module

    add_xref_parsers(commands)

    from reader.cli_search import add_search_parser

    add_search_parser(commands)

    from reader.cli_export import add_export_parser

    add_export_parser(commands)

    from reader import cli_desktop

    cli_desktop.add_parser(commands)

    for sub in commands.choices.values():
        _add_location_options(sub, suppress=True)
    return parser


def locations_from(args: argparse.Namespace) -> Locations:
    return Locations.resolve(
        getattr(args, "content", None),
        getattr(args, "data_dir", None),
        getattr(args, "cache_dir", None),
    )


def load(args: argparse.Namespace) -> content.Library:
    try:
        locations = locations_from(args)
        return content.load_library(locations.content_dir, locations.cache_dir)
    except content.Error as exc:
        raise CommandError(str(exc)) from exc


def cmd_sections(args: argparse.Namespace, out: TextIO) -> int:
    library = load(args)
    rows = [
        {"document": s.document, "section": s.id, "title": s.title, "level": s.level}
        for s in library.sections()
    ]
    if args.json:
        json.dump(rows, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return 0
    for number, essay in enumerate(library.essays):
        out.write(f"{'' if number == 0 else chr(10)}{essay.id}:\n")
        for section in essay.sections:
            out.write(f"{'  ' * section.level}{section.title}  [{section.id}]\n")
    return 0


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    from reader.cli_xref import content_problems  # it imports this module

    library = load(args)
    problems = [*library.problems, *content_problems(library)]
    for problem in problems:
        out.write(f"{problem}\n")
    sections = sum(len(e.sections) for e in library.essays)
    figures = sum(len(e.figures) for e in library.essays)
    links = sum(len(e.links) for e in library.essays)
    if problems:
        out.write(f"{len(problems)} problem(s) found.\n")
        return 1
    out.write(
        f"OK: {len(library.essays)} essay(s), {sections} sections, "
        f"{figures} figure(s), {links} link(s) checked.\n"
    )
    return 0


def run_command(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Run the subcommand in ``args``; errors become one line on stderr."""
    handler: Callable[[argparse.Namespace, TextIO], int] = args.handler
    try:
        return handler(args, out or sys.stdout)
    except CommandError as exc:
        print(f"reference-reader: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``reference-reader-cli``: a subcommand is required."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_usage(sys.stderr)
        print("reference-reader: a command is required (see --help)", file=sys.stderr)
        return 2
    return run_command(args)
