"""Small essay folders written into tmp_path, for tests that need bad or special content."""

from __future__ import annotations

from pathlib import Path

GOOD_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">'
    '<rect width="200" height="100" fill="#336699"/></svg>'
)

GOOD_ESSAY = (
    """---
title: "A Small Essay"
created: 2020-01-01
---

# A Small Essay {#start}

Opening words. See [the second part](#second) and [the web](https://example.org/).

![A plate](figures/plate.svg)

/// figure-caption
Figure 1.--A blue plate. Source: Test archive.
///

## First Part {#first}

First part text about Ploesti.

## Second Part {#second}

Second part text.

### Deeper {#deeper}

Deeper text.
"""
    + "\nMore deeper text, so that every section can be scrolled to the top.\n" * 40
)


def write_essay(
    root: Path, name: str = "small", text: str = GOOD_ESSAY, svg: str | None = GOOD_SVG
) -> Path:
    folder = root / name
    (folder / "figures").mkdir(parents=True, exist_ok=True)
    (folder / "essay.md").write_text(text, encoding="utf-8")
    if svg is not None:
        (folder / "figures" / "plate.svg").write_text(svg, encoding="utf-8")
    return folder


def png_bytes(width: int = 1, height: int = 1) -> bytes:
    """A complete, valid PNG of ``width`` x ``height`` black RGB pixels, made here."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        check = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + check

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    pixels = zlib.compress((b"\0" + b"\0\0\0" * width) * height)
    return b"\x89PNG\r\n\x1a\n" + header + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
