"""Importers: each turns one kind of input into a draft essay (``draft.Draft``).

``read_draft(path)`` tells the format from the content and calls the one
module that reads it: ``text_capture`` (a page saved as text), ``html_page``
(a page saved by a browser, with its ``_files`` folder), ``markdown_file``
and ``epub``. ``draft.write_edition`` writes any draft as an edition folder;
``reader.core.library`` does that atomically, inside the user's library.
"""

from __future__ import annotations

import os
from pathlib import Path

from reader.core.importers.draft import Draft, ImportRefused
from reader.core.importers.source import EPUB, HTML_PAGE, MARKDOWN, MAX_BOOK_BYTES, sniff

__all__ = ["Draft", "ImportRefused", "read_draft"]


def read_draft(path: Path) -> Draft:
    """The draft essay of one input; raises ImportRefused with the reason."""
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_BOOK_BYTES:  # the largest input of any kind
                raise ImportRefused(
                    f"too large to import ({size // (1024 * 1024)} MB; "
                    f"the limit is {MAX_BOOK_BYTES // (1024 * 1024)} MB)"
                )
            head = handle.read(16384)
    except FileNotFoundError:
        raise ImportRefused("the file is not there (moved or deleted?)") from None
    except IsADirectoryError:
        raise ImportRefused("a folder, not a file") from None
    except OSError as exc:
        raise ImportRefused(f"cannot be read: {exc.strerror or exc}") from None
    if not head.strip():
        raise ImportRefused("the file is empty")
    kind = sniff(path, head)
    if kind == EPUB:
        from reader.core.importers.epub import read as read_epub

        return read_epub(path)
    if kind == HTML_PAGE:
        from reader.core.importers.html_page import read as read_html_page

        return read_html_page(path)
    if kind == MARKDOWN:
        from reader.core.importers.markdown_file import read as read_markdown_file

        return read_markdown_file(path)
    from reader.core.importers.text_capture import read as read_text_capture

    return read_text_capture(path)
