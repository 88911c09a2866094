"""``import``, ``library list`` and ``library remove``: the reader's own library (imports no Qt).

Imported essays are edition folders in the data folder's ``library/``; the
shipped edition is read-only. Output:

* ``import PATH...``: one line per input, ``status  essay  title  (N sections,
  M figures)`` or the reason nothing was written, then its problems indented;
  ``--json``: an array of the results (``ImportResult.as_json``). Exit status 0
  when every input was imported (added, updated, or already in the library), 1
  when some input was refused (the others are still imported).
* ``library list``: ``id  origin  sections figures  title``; ``--json``: an array
  of ``EssayInfo.as_json``.
* ``library remove ESSAY``: one line; exit 1 for an unknown or shipped essay.
  Bookmarks of a removed essay are kept (``bookmarks list`` shows them as not
  found) and lead to it again when it is imported again.

When a search index exists in the cache folder, ``import`` and ``remove`` bring
it up to date at once, essay by essay (no rebuild).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from reader.cli.common import (
    Error,
    SubParsers,
    add_location_options,
    dump_json,
    load,
    locations_from,
)
from reader.core import library, library_import
from reader.core.paths import Locations


def add_commands(commands: SubParsers) -> None:
    """Add ``import`` and ``library list|remove`` to the CLI's ``commands``."""
    importer = commands.add_parser(
        "import",
        help="add pages and books to your library",
        description="Import saved pages (text captures, HTML as a browser saves it), "
        "Markdown files and EPUB books into your library. Importing a page again "
        "updates it in place.",
    )
    importer.add_argument("paths", metavar="PATH", nargs="+", help="a file to import")
    importer.add_argument("--json", action="store_true", help="print JSON")
    importer.set_defaults(handler=cmd_import)

    group = commands.add_parser("library", help="list or remove the essays of your library")
    actions = group.add_subparsers(dest="library_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="every essay, shipped and imported")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=cmd_list)
    remover = actions.add_parser("remove", help="remove an imported essay (bookmarks are kept)")
    remover.add_argument("essay", metavar="ESSAY", help="the essay's id (see 'library list')")
    remover.set_defaults(handler=cmd_remove)
    # The location options also after the action (``library list --data-dir D``).
    for sub in actions.choices.values():
        add_location_options(sub, suppress=True)


def _library_dir(locations: Locations) -> Path:
    return library.library_dir(locations.data_dir)


def _update_search_index(args: argparse.Namespace) -> str:
    """Bring an existing search index up to date with the library; a note or ""."""
    locations = locations_from(args)
    from reader.core.search import INDEX_FOLDER

    if not (locations.cache_dir / INDEX_FOLDER).is_dir():
        return ""  # built when first searched
    from reader.core import search

    try:
        return search.update_search_index(load(args), locations.cache_dir)
    except search.LockError:
        return ("The search index is being rebuilt by another window; "
                "it will include the change when next opened.")


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    locations = locations_from(args)
    if not locations.content_dir.is_dir():
        raise Error(f"content folder not found: {locations.content_dir}")
    try:
        results = library_import.import_paths(
            [Path(p).expanduser() for p in args.paths],
            _library_dir(locations),
            locations.content_dir,
            cache_dir=locations.cache_dir,
        )
    except OSError as exc:
        raise Error(f"cannot write to the library: {exc.strerror or exc}") from exc
    note = _update_search_index(args) if any(r.ok for r in results) else ""
    if args.json:
        dump_json([r.as_json() for r in results], out)
    else:
        for result in results:
            out.write(f"{result.source}: {result.status}")
            if result.essay_id:
                out.write(f"  {result.essay_id}")
            if result.title:
                out.write(f"  \u201c{result.title}\u201d")
            if result.ok:
                out.write(f"  ({result.sections} sections, {result.figures} figures)")
            out.write("\n")
            if result.reason:
                out.write(f"    {result.reason}\n")
            for problem in result.problems:
                out.write(f"    {problem}\n")
        if note:
            out.write(f"{note}\n")
    return 1 if any(r.status == "refused" for r in results) else 0


def cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    locations = locations_from(args)
    if not locations.content_dir.is_dir():
        raise Error(f"content folder not found: {locations.content_dir}")
    rows = library.list_essays(
        locations.content_dir, _library_dir(locations), locations.cache_dir)
    if args.json:
        dump_json([row.as_json() for row in rows], out)
        return 0
    if not rows:
        out.write("The library is empty.\n")
    for row in rows:
        out.write(f"{row.id}  {row.origin}  {row.sections} sections, {row.figures} figures  "
                  f"\u201c{row.title}\u201d\n")
    return 0


def cmd_remove(args: argparse.Namespace, out: TextIO) -> int:
    locations = locations_from(args)
    try:
        library.remove_essay(args.essay, _library_dir(locations))
    except library.LibraryError as exc:
        raise Error(str(exc)) from exc
    except OSError as exc:
        raise Error(f"cannot remove {args.essay!r}: {exc.strerror or exc}") from exc
    out.write(f"Removed {args.essay} from your library; its bookmarks are kept.\n")
    note = _update_search_index(args) if locations.content_dir.is_dir() else ""
    if note:
        out.write(f"{note}\n")
    return 0
