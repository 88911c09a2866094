"""``search``: full-text search from the command line (imports no Qt).

Output, best first:

* plain: one block per hit, ``title  [essay/section]  score``, then the snippet
  with matches marked ``**like this**``; a note when the search fell back to any
  word, "X is also spelled Y." when a name was typed in a declared other spelling
  (its hits are exact), and "Did you mean …?" when nothing matched;
* ``--json``: an array of ``{"document", "section", "title", "score", "snippet"}``
  (the snippet as plain text, without marks).

``--essay ID`` searches one essay of the library only.

Exit status 0 with or without results (1 for an unknown essay); argparse gives 2
for unusable arguments.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from reader.cli.common import Error, SubParsers, dump_json, load, locations_from

if TYPE_CHECKING:
    from reader.core.content import Library


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError("must be between 1 and 1000")
    return value


def add_commands(commands: SubParsers) -> None:
    """Add ``search QUERY [--json] [--limit N]`` to the CLI's ``commands``."""
    search = commands.add_parser(
        "search",
        help="full-text search over the sections",
        description='Search the sections. Words must all occur; also "a phrase", '
        "prefix*, OR, NOT or -word, title:word.",
    )
    search.add_argument("query", metavar="QUERY", help="what to look for (quote it)")
    search.add_argument("--json", action="store_true", help="print JSON")
    search.add_argument("--limit", type=_limit, default=10, metavar="N",
                        help="show at most N sections (default 10)")
    search.add_argument("--essay", metavar="ID",
                        help="search this essay only (see 'library list' for the ids)")
    search.set_defaults(handler=cmd_search)


def _synonyms(library: Library, cache_dir: Path) -> dict[str, tuple[str, ...]]:
    """The index of names' aliases, as the window gets them (cached; bad entries are
    skipped and reported by `check`, so search always gets what is valid)."""
    from reader.core.xref_cache import load_cross_references

    index, _events = load_cross_references(library, cache_dir)
    return index.synonyms()


def cmd_search(args: argparse.Namespace, out: TextIO) -> int:
    from reader.core import search  # Whoosh, only when a search is run

    # Index repairs are reported in the output; keep library warnings off stderr.
    logging.getLogger(search.__name__).setLevel(logging.ERROR)
    library = load(args)
    if args.essay is not None and library.essay(args.essay) is None:
        raise Error(f"unknown essay: {args.essay} (see 'library list' for the ids)")
    cache_dir = locations_from(args).cache_dir
    index = search.SearchIndex(library, cache_dir, _synonyms(library, cache_dir))
    try:
        status = index.open()
    except search.LockError:
        raise Error("the search index is being rebuilt by another window; "
                    "try again in a moment") from None
    results = index.search(args.query, limit=args.limit, essay=args.essay)
    index.close()
    if args.json:
        rows = [
            {
                "document": hit.document,
                "section": hit.section,
                "title": hit.title,
                "score": round(hit.score, 4),
                "snippet": hit.snippet_text(),
            }
            for hit in results.hits
        ]
        dump_json(rows, out)
        return 0
    header = []
    if status:
        header.append(status)
    if results.message and (results.hits or not results.query):
        header.append(results.message)
    if results.hits and results.also_spelled:
        header.append(results.also_spelled)
    if results.hits and results.suggestion and not results.hits[0].exact:
        header.append(f"Did you mean: {results.suggestion}?")
    for line in header:
        out.write(f"{line}\n")
    for number, hit in enumerate(results.hits):
        near = "" if hit.exact else "  (near spelling)"
        gap = "\n" if number or header else ""  # a blank line between entries, none on top
        out.write(f"{gap}{hit.title}  [{hit.document}/{hit.section}]  "
                  f"{hit.score:.2f}{near}\n    {hit.snippet()}\n")
    if not results.hits:
        out.write("No sections found." if results.query else "Nothing to search for.")
        if results.suggestion:
            out.write(f" Did you mean: {results.suggestion}?")
        out.write("\n")
    elif results.total > len(results.hits):
        out.write(f"\n{len(results.hits)} of {results.total} sections shown (--limit).\n")
    return 0
