"""Figure files checked without Qt: is the file what its name says, and is its size sane?

A PNG's and a JPEG's size is read from their headers, an SVG's from its
``width``/``height``/``viewBox``: on every load from the root tag alone, and
thoroughly (for ``check``) by parsing the whole file with ``defusedxml``,
which refuses entity expansion. A figure whose declared size is
absurd would make Qt allocate gigabytes (the window dies) or overflow a PDF
page: ``image_problem`` names it, and ``render_size`` gives a bounded size to
render any figure at.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

from reader.core import safefile

#: Neither side of a figure may be larger than this many pixels...
MAX_SIDE = 20_000
#: ...nor its area larger than this.
MAX_AREA = 100_000_000
#: Figure files larger than this are not read (the shipped ones are tens of kilobytes).
MAX_FILE_BYTES = 64 * 1024 * 1024

_PNG = b"\x89PNG\r\n\x1a\n"
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(px|pt|pc|mm|cm|in)?\s*$")
_UNITS = {None: 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54,
          "in": 96.0}
_HEAD = 64 * 1024
_SVG_TAG = re.compile(r"<svg\b([^>]{0,8192})>")
_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


class ImageError(ValueError):
    """The file is not a usable image; ``str()`` says why in one line."""


def _png_size(data: bytes) -> tuple[float, float]:
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise ImageError("a PNG file cut short (no image header)")
    width, height = struct.unpack(">II", data[16:24])
    if b"IEND" not in data[-12:]:
        raise ImageError("a PNG file cut short (no end chunk)")
    return float(width), float(height)


def _jpeg_size(data: bytes) -> tuple[float, float]:
    position = 2
    size: tuple[float, float] | None = None
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            raise ImageError("a damaged JPEG file (bad segment marker)")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        length = struct.unpack(">H", data[position + 2 : position + 4])[0]
        if marker in _SOF:
            if position + 9 > len(data):
                break
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            size = (float(width), float(height))
            break
        if marker == 0xDA:  # start of scan before any frame header
            break
        position += 2 + length
    if size is None:
        raise ImageError("a JPEG file cut short (no frame header)")
    if not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
        raise ImageError("a JPEG file cut short (no end marker)")
    return size


def _length(value: str | None) -> float | None:
    if value is None:
        return None
    match = _LENGTH.match(value)
    if match is None:
        return None  # "100%" and the like: the viewBox decides
    return float(match.group(1)) * _UNITS[match.group(2)]


def _svg_root(data: bytes, thorough: bool) -> dict[str, str]:
    """The attributes of the SVG's root element.

    Quick (on every load): the ``<svg ...>`` tag is read from the file's head
    without an XML parser; thorough (``check``): the whole file is parsed by
    defusedxml, which refuses entity expansion."""
    if not thorough:
        head = data[:_HEAD].decode("utf-8", errors="replace")
        if "<!ENTITY" in head:
            raise ImageError("an SVG file that declares entities (refused)")
        tag = _SVG_TAG.search(head)
        if tag is None:
            raise ImageError("not an SVG image (no <svg> element)")
        return {m.group(1): m.group(2) if m.group(2) is not None else m.group(3) or ""
                for m in _ATTRIBUTE.finditer(tag.group(1))}
    import defusedxml.ElementTree as safe_xml
    from defusedxml import DefusedXmlException

    try:
        root = safe_xml.fromstring(data)
    except DefusedXmlException as exc:
        raise ImageError("an SVG file that declares entities (refused)") from exc
    except Exception as exc:  # ParseError and friends: the file is not XML
        raise ImageError(f"an SVG file that is not valid XML ({exc})") from exc
    if not root.tag.endswith("svg"):
        raise ImageError("an XML file that is not an SVG image")
    return {str(k): str(v) for k, v in root.attrib.items()}


def _svg_size(data: bytes, thorough: bool = False) -> tuple[float, float]:
    root = _svg_root(data, thorough)
    width, height = _length(root.get("width")), _length(root.get("height"))
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if (width is None or height is None) and len(box) == 4:
        try:
            box_w, box_h = float(box[2]), float(box[3])
        except ValueError as exc:
            raise ImageError(f"an SVG file with a bad viewBox {root.get('viewBox')!r}") from exc
        if width is None and height is None:
            width, height = box_w, box_h
        elif width is None and box_h > 0:
            width = height * box_w / box_h if height is not None else box_w
        elif height is None and box_w > 0:
            height = width * box_h / box_w if width is not None else box_h
    return (width if width is not None else 300.0, height if height is not None else 150.0)


def image_size(path: Path, thorough: bool = False) -> tuple[float, float]:
    """The declared size of the image at ``path`` in pixels; raises ImageError or OSError.
    ``thorough`` also parses a whole SVG as XML (slower: for ``check``)."""
    data = safefile.read_regular(path, MAX_FILE_BYTES)
    suffix = path.suffix.lower()
    if suffix == ".png":
        if not data.startswith(_PNG):
            raise ImageError("not a PNG file")
        return _png_size(data)
    if suffix in (".jpg", ".jpeg"):
        if not data.startswith(b"\xff\xd8"):
            raise ImageError("not a JPEG file")
        return _jpeg_size(data)
    if suffix == ".svg":
        return _svg_size(data, thorough)
    raise ImageError(f"an unsupported image type {suffix!r} (use SVG, PNG or JPEG)")


def image_problem(path: Path, thorough: bool = False) -> str | None:
    """Why the figure file at ``path`` cannot be shown, in one line; None if it can."""
    try:
        width, height = image_size(path, thorough)
    except (ImageError, OSError) as exc:
        return f"figure file {path.name}: {exc}"
    if not (width > 0 and height > 0):
        return f"figure file {path.name}: its size is empty ({width:g} × {height:g})"
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_AREA:
        return (
            f"figure file {path.name}: its declared size {width:g} × {height:g} px is too large "
            f"(at most {MAX_SIDE} px a side and {MAX_AREA // 1_000_000} Mpx)"
        )
    return None


def render_size(path: Path, max_side: int = 4096) -> tuple[int, int] | None:
    """A size to render the figure at, keeping its proportions, no side over
    ``max_side``; None if the file is not a usable image (show a placeholder)."""
    try:
        width, height = image_size(path)
    except (ImageError, OSError):
        return None
    if not (width > 0 and height > 0) or width / height > 1e4 or height / width > 1e4:
        return None
    scale = min(1.0, max_side / width, max_side / height)
    return max(1, round(width * scale)), max(1, round(height * scale))
