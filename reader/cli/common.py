"""What every command of the command line shares (imports no Qt).

The one error type a command raises, the location options (``--content``,
``--data-dir``, ``--cache-dir``; ``READER_CONTENT_DIR``, ``READER_DATA_DIR`` and
``READER_CACHE_DIR`` when an option is not given), loading the library (the
shipped edition and the essays the reader imported into the data folder), and
JSON output.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import TextIO, TypeAlias

from reader.core import content
from reader.core.paths import Locations

#: What a command group is handed to add its commands to.
SubParsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
#: A command: the parsed arguments and where to print -> the exit status.
Handler: TypeAlias = Callable[[argparse.Namespace, TextIO], int]


class Error(Exception):
    """A request the command cannot carry out; printed as one line, exit status 1."""


def add_location_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    """``--content``, ``--data-dir`` and ``--cache-dir`` on ``parser``.

    With ``suppress`` an option that is not given leaves no attribute, so the same
    option given before the command (on the main parser) is not overwritten.
    """
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


def locations_from(args: argparse.Namespace) -> Locations:
    """The folders named by the options, else by the READER_* variables, else the defaults."""
    return Locations.resolve(
        getattr(args, "content", None),
        getattr(args, "data_dir", None),
        getattr(args, "cache_dir", None),
    )


def load(args: argparse.Namespace) -> content.Library:
    """The library the options point at: the shipped edition in the content folder and
    the imported essays in the data folder's library; a missing content folder is an
    Error."""
    from reader.core import library  # the importers: not on the way to the window

    try:
        locations = locations_from(args)
        return library.load(
            locations.content_dir, library.library_dir(locations.data_dir), locations.cache_dir)
    except content.Error as exc:
        raise Error(str(exc)) from exc


def dump_json(rows: object, out: TextIO) -> None:
    """``rows`` as indented JSON (non-ASCII kept as is) and a final newline."""
    json.dump(rows, out, ensure_ascii=False, indent=2)
    out.write("\n")
