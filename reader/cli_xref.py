"""``index`` and ``timeline``: the cross-references from the command line.

Kept beside ``cli.py`` (which registers them with ``add_xref_parsers``) so that
the shared CLI module stays small. ``content_problems`` is what ``check`` adds
to the content model's own problems. Imports no Qt.
"""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from reader.core import timeline, xref
from reader.core.content import Library, Problem


def add_xref_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``index`` and ``timeline`` to the CLI's ``commands``."""
    index = commands.add_parser("index", help="the index of names with their mentions")
    index.add_argument("--json", action="store_true", help="print JSON")
    index.set_defaults(handler=cmd_index)

    events = commands.add_parser("timeline", help="the dated events in date order")
    events.add_argument("--json", action="store_true", help="print JSON")
    events.set_defaults(handler=cmd_timeline)


def content_problems(library: Library) -> list[Problem]:
    """Problems in index.yaml and timeline.yaml, and text dates missing from the timeline."""
    return [*xref.check(library), *timeline.check(library)]


def _dump(rows: object, out: TextIO) -> None:
    json.dump(rows, out, ensure_ascii=False, indent=2)
    out.write("\n")


def cmd_index(args: argparse.Namespace, out: TextIO) -> int:
    from reader.cli import load  # cli imports this module

    library = load(args)
    index, _problems = xref.load_index(library)
    if args.json:
        _dump(xref.index_rows(index), out)
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
    from reader.cli import load  # cli imports this module

    library = load(args)
    events, _problems = timeline.load_timeline(library)
    if args.json:
        _dump(timeline.timeline_rows(events), out)
        return 0
    for event in events:
        when = event.date + (f" – {event.end}" if event.end else "")
        note = f" {timeline.inferred_text(event)}" if event.inferred else ""
        out.write(f"{when:<24} {event.label}{note}  [{event.section}]\n")
    return 0
