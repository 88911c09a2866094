"""``index`` and ``timeline``: the cross-references from the command line (imports no Qt)."""

from __future__ import annotations

import argparse
from typing import TextIO

from reader.cli.common import SubParsers, dump_json, load
from reader.core import timeline, xref


def add_commands(commands: SubParsers) -> None:
    """Add ``index`` and ``timeline`` to the CLI's ``commands``."""
    index = commands.add_parser("index", help="the index of names with their mentions")
    index.add_argument("--json", action="store_true", help="print JSON")
    index.set_defaults(handler=cmd_index)

    events = commands.add_parser("timeline", help="the dated events in date order")
    events.add_argument("--json", action="store_true", help="print JSON")
    events.set_defaults(handler=cmd_timeline)


def cmd_index(args: argparse.Namespace, out: TextIO) -> int:
    library = load(args)
    index, _problems = xref.load_index(library)
    if args.json:
        dump_json(xref.index_rows(index), out)
        return 0
    titles = {(s.document, s.id): s.title for s in library.sections()}
    for entry in index.entries:
        aliases = f" ({', '.join(entry.aliases)})" if entry.aliases else ""
        out.write(f"{entry.name}{aliases}  [{entry.kind}]\n    {entry.description}\n")
        for doc, section, count in index.counts(entry.id):
            times = f" ×{count}" if count > 1 else ""
            out.write(f"    - {titles.get((doc, section), section)}  [{section}]{times}\n")
    return 0


def cmd_timeline(args: argparse.Namespace, out: TextIO) -> int:
    library = load(args)
    events, _problems = timeline.load_timeline(library)
    if args.json:
        dump_json(timeline.timeline_rows(events), out)
        return 0
    for event in events:
        when = event.date + (f" – {event.end}" if event.end else "")
        note = f" {timeline.inferred_text(event)}" if event.inferred else ""
        out.write(f"{when:<24} {event.label}{note}  [{event.section}]\n")
    return 0
