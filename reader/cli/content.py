"""``sections`` and ``check``: the content library from the command line (imports no Qt).

``check`` reports the content model's own problems and those of the index of
names and the timeline (index.yaml, timeline.yaml, text dates missing from it),
and figure files parsed completely (damaged PNG, JPEG or SVG files, absurd sizes).
"""

from __future__ import annotations

import argparse
from typing import TextIO

from reader.cli.common import SubParsers, dump_json, load
from reader.core import timeline, xref
from reader.core.content import Library, Problem, check_figures


def add_commands(commands: SubParsers) -> None:
    """Add ``sections`` and ``check`` to the CLI's ``commands``."""
    sections = commands.add_parser("sections", help="the section tree in reading order")
    sections.add_argument("--json", action="store_true", help="print JSON")
    sections.set_defaults(handler=cmd_sections)

    check = commands.add_parser("check", help="validate the content; exit 1 on problems")
    check.set_defaults(handler=cmd_check)


def cmd_sections(args: argparse.Namespace, out: TextIO) -> int:
    library = load(args)
    if args.json:
        dump_json(
            [
                {"document": s.document, "section": s.id, "title": s.title, "level": s.level}
                for s in library.sections()
            ],
            out,
        )
        return 0
    for number, essay in enumerate(library.essays):
        out.write(f"{'' if number == 0 else chr(10)}{essay.id}:\n")
        for section in essay.sections:
            out.write(f"{'  ' * section.level}{section.title}  [{section.id}]\n")
    return 0


def content_problems(library: Library) -> list[Problem]:
    """Problems in index.yaml and timeline.yaml, text dates missing from the timeline,
    and figure files that do not parse completely."""
    return [*xref.check(library), *timeline.check(library), *check_figures(library)]


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
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
