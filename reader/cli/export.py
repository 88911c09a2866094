"""``export FILE.pdf|.html``: the essay for printing or sharing, in a chosen reading.

HTML is written by the Qt-free core (``reader.core.export``); only a PDF needs
Qt (its GUI module, no widgets) to lay out its pages, so ``reader.pdf`` is
imported lazily, for a PDF alone.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from reader.cli.common import Error, SubParsers, load
from reader.core import export
from reader.core.paths import resource_path
from reader.core.readings import READINGS
from reader.core.themes import THEMES, theme_css


def add_commands(commands: SubParsers) -> None:
    """Add ``export`` to the CLI's ``commands``."""
    parser = commands.add_parser(
        "export", help="write the essay as PDF or HTML (chosen by the file's extension)"
    )
    parser.add_argument("file", metavar="FILE", help="the file to write: *.pdf, *.html or *.htm")
    parser.add_argument(
        "--reading",
        choices=READINGS,
        default="corrected",
        help="corrected (default), original (the source's spelling) or changes (corrections shown)",
    )
    parser.set_defaults(handler=cmd_export)


def content_css() -> str:
    try:
        return resource_path("content.css").read_text(encoding="utf-8")
    except OSError:
        return ""


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    path = Path(args.file).expanduser()
    suffix = path.suffix.lower()
    if suffix not in export.EXPORT_SUFFIXES:
        raise Error(f"cannot tell the format of {path.name!r}: name it *.pdf or *.html")
    library = load(args)
    if not library.essays:
        raise Error("the library has no essays to export")
    css = content_css()
    if suffix == ".pdf":
        from reader import pdf  # Qt, only when a PDF is wanted

        try:
            pages = pdf.write_pdf(library.essays, path, css, args.reading)
        except pdf.Error as exc:
            raise Error(str(exc)) from exc
        out.write(f"Wrote {path} ({pages} page{'s' if pages != 1 else ''}, {args.reading}).\n")
        return 0
    try:
        size = export.export_html(
            library, path, css + "\n" + theme_css(THEMES["light"]), args.reading
        )
    except export.Error as exc:
        raise Error(str(exc)) from exc
    out.write(f"Wrote {path} ({size // 1024 or 1} KB, {args.reading}).\n")
    return 0
