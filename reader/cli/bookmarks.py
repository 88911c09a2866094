"""``bookmarks list|add|remove|export|import``: the bookmarks store from the command line.

Imports no Qt. A section is named by its id, ``ESSAY/SECTION`` or ``reader://ESSAY/SECTION``.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from reader.cli.common import (
    Error,
    Handler,
    SubParsers,
    add_location_options,
    dump_json,
    load,
    locations_from,
)
from reader.core import bookmarks
from reader.core.content import Library, Section
from reader.core.links import SECTION_SCHEME, parse_section_link


def add_commands(commands: SubParsers) -> None:
    """Add ``bookmarks`` and its subcommands to the CLI's ``commands``."""
    parser = commands.add_parser("bookmarks", help="list, add, remove, export or import bookmarks")
    actions = parser.add_subparsers(dest="bookmarks_command", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="every bookmark, by id")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=cmd_list)

    add = actions.add_parser("add", help="bookmark a section")
    add.add_argument("section", metavar="SECTION",
                     help="a section id, or ESSAY/SECTION (as in reader://ESSAY/SECTION)")
    add.add_argument("--name", metavar="N", help="the name (default: the section title)")
    add.add_argument("--note", metavar="T", default="", help="a note")
    add.add_argument("--folder", metavar="F", default="",
                     help="a folder; nested folders as A/B")
    add.add_argument("--quote", metavar="Q", default="",
                     help="a short passage of the section the bookmark points at")
    add.set_defaults(handler=cmd_add)

    remove = actions.add_parser("remove", help="delete a bookmark")
    remove.add_argument("id", metavar="ID", type=int, help="the bookmark id (see list)")
    remove.set_defaults(handler=cmd_remove)

    export = actions.add_parser("export", help="write every bookmark to a JSON file")
    export.add_argument("file", metavar="FILE", type=Path)
    export.set_defaults(handler=cmd_export)

    imports = actions.add_parser("import", help="merge bookmarks from a JSON file")
    imports.add_argument("file", metavar="FILE", type=Path)
    imports.set_defaults(handler=cmd_import)

    for sub in actions.choices.values():
        add_location_options(sub, True)


def store_errors(handler: Handler) -> Handler:
    """A store's refusal (bad file, unknown id, ...) becomes the command's one-line error."""

    @functools.wraps(handler)
    def run(args: argparse.Namespace, out: TextIO) -> int:
        try:
            return handler(args, out)
        except bookmarks.Error as exc:
            raise Error(str(exc)) from exc

    return run


def open_store(args: argparse.Namespace) -> bookmarks.BookmarkStore:
    """The user's store; a damaged file that was set aside is reported on stderr."""
    store = bookmarks.BookmarkStore.open_in(locations_from(args).data_dir)
    if store.notice:
        print(f"reference-reader: {store.notice}", file=sys.stderr)
    return store


def report_notice(store: bookmarks.BookmarkStore) -> None:
    """After a change: what the store did besides it (the file created again), on stderr."""
    notice = store.pop_notice()
    if notice:
        print(f"reference-reader: {notice}", file=sys.stderr)


def resolve_section(library: Library, reference: str) -> Section:
    """``SECTION``, ``ESSAY/SECTION`` or ``reader://ESSAY/SECTION`` -> the section."""
    text = reference.strip()
    prefix = f"{SECTION_SCHEME}://"
    link = parse_section_link(text if text.startswith(prefix) else prefix + text.strip("/"))
    if link is None:
        raise Error(f"not a section or a {prefix}ESSAY/SECTION reference: {reference}")
    essay, section_id = link
    if section_id:
        found = library.section(essay, section_id)
        if found is None:
            if library.essay(essay) is None:
                raise Error(f"unknown essay: {essay}")
            raise Error(f"unknown section: {section_id} (in {essay})")
        return found
    found = library.find_section(essay)  # one name alone is a section id
    if found is None:
        raise Error(f"unknown section: {essay} (see 'sections' for the ids)")
    return found


def _row(mark: bookmarks.Bookmark, library: Library | None) -> dict[str, object]:
    return {
        "id": mark.id, "document": mark.essay, "section": mark.section, "name": mark.name,
        "note": mark.note, "folder": mark.folder, "quote": mark.quote,
        "created": mark.created, "updated": mark.updated,
        "found": None if library is None else mark.found_in(library),
    }


@store_errors
def cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    try:
        library: Library | None = load(args)
    except Error as exc:  # the bookmarks are still worth seeing
        print(f"reference-reader: {exc}; cannot tell which sections still exist",
              file=sys.stderr)
        library = None
    with open_store(args) as store:
        marks = store.bookmarks()
    if args.json:
        dump_json([_row(m, library) for m in marks], out)
        return 0
    if not marks:
        out.write("No bookmarks.\n")
        return 0
    for mark in marks:
        folder = f"  in {mark.folder}" if mark.folder else ""
        missing = "" if library is None or mark.found_in(library) else "  (not found)"
        out.write(f"{mark.id:>4}  {mark.name}  [{mark.essay}/{mark.section}]{folder}{missing}\n")
        if mark.quote:
            out.write(f"      \u201c{mark.quote}\u201d\n")
        for line in mark.note.splitlines():
            out.write(f"      {line}\n")
    return 0


@store_errors
def cmd_add(args: argparse.Namespace, out: TextIO) -> int:
    library = load(args)
    section = resolve_section(library, args.section)
    name = args.name if args.name and args.name.strip() else section.title
    return _change(args, out, "Added", lambda store: store.add(
        section.document, section.id, name, note=args.note, folder=args.folder, quote=args.quote))


@store_errors
def cmd_remove(args: argparse.Namespace, out: TextIO) -> int:
    return _change(args, out, "Removed", lambda store: store.remove(args.id))


def _change(
    args: argparse.Namespace,
    out: TextIO,
    done: str,
    change: Callable[[bookmarks.BookmarkStore], bookmarks.Bookmark],
) -> int:
    """Make one change to the user's store and say which bookmark it was."""
    with open_store(args) as store:
        mark = change(store)
        report_notice(store)
    out.write(f"{done} bookmark {mark.id}: {mark.name} [{mark.essay}/{mark.section}]\n")
    return 0


@store_errors
def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    with open_store(args) as store:
        count = store.export_file(args.file)
    out.write(f"Exported {count} bookmark(s) to {args.file}\n")
    return 0


@store_errors
def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    data = bookmarks.read_export_file(args.file)
    bookmarks.parse_export(data, str(args.file))  # refuse before touching the store
    with open_store(args) as store:
        result = store.import_data(data, str(args.file))
        report_notice(store)
        added = [store.get(i) for i in result.ids]
    out.write(f"Imported from {args.file}: {result.added} added, "
              f"{result.skipped} skipped (already present).\n")
    try:
        library = load(args)
    except Error:
        return 0  # the import itself succeeded; "not found" is only a hint
    missing = sum(1 for m in added if m is not None and not m.found_in(library))
    if missing:
        out.write(f"{missing} of the added bookmark(s) point at sections that are not in the "
                  "library; they are kept and shown as not found.\n")
    return 0
