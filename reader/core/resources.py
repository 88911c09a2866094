"""Files an essay may refer to: only those inside its own folder.

An image written in the essay (a Markdown figure or a raw ``<img>``) is
resolved against the essay's folder, symbolic links followed, and used only
if the result is still inside that folder; ``/etc/passwd``, ``../../secret.png``
and a link that leads out are refused. The one exception is the essay's own
``figures/`` folder: it may itself be a link to a shared folder of figures
(the person who set up the content made it), and what lies inside its target
counts as inside the essay. ``check`` reports every refused
reference (``reference_problems``); the window and the exports use
``resolve_inside`` and show nothing for a refused one.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from urllib.parse import unquote, urlsplit

_SRC = re.compile(r"""\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
#: The essay's folder of figures (it may be a link, see above).
FIGURES = "figures"
_IMG = re.compile(r"<img\b", re.IGNORECASE)


def resolve_inside(folder: Path, reference: str) -> Path | None:
    """The file ``reference`` names, relative to ``folder``, if it lies inside it
    (symbolic links included); None for anything else (absolute paths, ``..``
    leading out, ``file:`` or web addresses, links leading out)."""
    return Inside(folder).resolve(reference)


class Inside:
    """``resolve_inside`` for many references in one folder: the folder and its
    figures are resolved once (each resolution reads every part of the path)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._roots: tuple[Path, ...] | None = None

    def resolve(self, reference: str) -> Path | None:
        if not reference or "\x00" in reference:
            return None
        parts = urlsplit(reference)
        if parts.scheme or parts.netloc:
            return None
        try:
            if self._roots is None:
                base = self.folder.resolve()
                self._roots = (base, (base / FIGURES).resolve())
            relative = unquote(parts.path)
            plain = self._plain(relative)
            if plain is not None:
                return plain
            target = (self._roots[0] / relative).resolve()
        except (OSError, RuntimeError, ValueError):
            return None
        return target if any(target.is_relative_to(root) for root in self._roots) else None

    def _plain(self, relative: str) -> Path | None:
        """The target of a downward path none of whose parts is a symbolic link: it is
        what resolving gives, found with one ``lstat`` a part (resolving reads every
        part of the whole path); None when that does not hold (resolve it then)."""
        names = relative.split("/")
        if any(name in ("", ".", "..") for name in names):
            return None
        assert self._roots is not None
        current = str(self._roots[0])
        for name in names:
            current = os.path.join(current, name)
            try:
                if stat.S_ISLNK(os.lstat(current).st_mode):
                    return None
            except OSError:
                return None  # missing: resolving says what it would be
        return Path(current)


def raw_image_sources(markdown: str) -> list[tuple[int, str]]:
    """(offset, src) of every raw HTML ``<img>`` in ``markdown``, in linear time."""
    found: list[tuple[int, str]] = []
    for match in _IMG.finditer(markdown):
        end = markdown.find(">", match.end())
        if end < 0:
            break  # no later tag is closed either
        source = _SRC.search(markdown, match.end(), end)
        if source is not None:
            found.append((match.start(), next(g for g in source.groups() if g is not None)))
    return found


def is_embedded(reference: str) -> bool:
    """A ``data:`` image carries itself and reads no file."""
    return reference.strip().lower().startswith("data:image/")


def drop_outside_images(html_text: str, folder: Path, own_schemes: tuple[str, ...]) -> str:
    """``html_text`` without the ``<img>`` tags whose source is neither one of the
    reader's ``own_schemes`` (``figure:``), an embedded image, nor a file inside
    ``folder``: the reading view, printing and PDF export never load them."""
    from html import unescape

    pieces: list[str] = []
    position = 0
    for match in _IMG.finditer(html_text):
        end = html_text.find(">", match.end())
        if end < 0:
            break
        source = _SRC.search(html_text, match.end(), end)
        src = unescape(next(g for g in source.groups() if g is not None)) if source else ""
        if (
            src.startswith(own_schemes)
            or is_embedded(src)
            or (src and resolve_inside(folder, src) is not None)
        ):
            continue
        pieces.append(html_text[position : match.start()])
        position = end + 1
    pieces.append(html_text[position:])
    return "".join(pieces)
