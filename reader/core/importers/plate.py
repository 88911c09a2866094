"""The stand-in plate: an SVG shown for a figure whose picture is not available.

It says that the picture is missing, gives the caption's first words and where
the picture was, and how to supply it (a picture beside the plate with the same
name, or the figure's "Use a picture from file…"). SVG Tiny features only, so
Qt's SVG renderer draws it.
"""

from __future__ import annotations

import textwrap
from html import escape

_WIDTH, _HEIGHT = 800, 520


def stand_in_svg(number: int, caption: str, missing: str, name: str) -> str:
    """The plate for figure ``number``; ``name`` is its file name without suffix."""
    words = " ".join(caption.split())
    lines = textwrap.wrap(words, 60)[:4]
    if len(textwrap.wrap(words, 60)) > 4:
        lines[-1] = lines[-1].rstrip(".,;: ") + " …"
    where = textwrap.shorten(missing, 90, placeholder="…") if missing else ""
    texts = [
        (205, 30, "serif", "#3d372b", "", f"Figure {number}: picture not included"),
        *((250 + 30 * index, 20, "serif", "#3d372b", "", line) for index, line in enumerate(lines)),
    ]
    if where:
        texts.append((385, 15, "sans-serif", "#5a5242", "italic", f"Picture: {where}"))
    texts += [
        (434, 15, "sans-serif", "#5a5242", "", "The reader can be given the picture:"),
        (458, 15, "sans-serif", "#5a5242", "", "the figure's menu, Use a Picture from File…"),
    ]
    body = "\n".join(
        f'  <text x="400" y="{y}" font-family="{family}" font-size="{size}" fill="{colour}"'
        f' text-anchor="middle"{f" font-style={chr(34)}{style}{chr(34)}" if style else ""}>'
        f"{escape(text)}</text>"
        for y, size, family, colour, style, text in texts
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- Stand-in plate made by Reference Reader when it imported this essay: the
     picture was not available. A file {escape(name)}.jpg or {escape(name)}.png beside
     this one is shown instead. -->
<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny"
     width="{_WIDTH}" height="{_HEIGHT}" viewBox="0 0 {_WIDTH} {_HEIGHT}">
  <title>Figure {number} stand-in: picture not included</title>
  <rect x="0" y="0" width="{_WIDTH}" height="{_HEIGHT}" fill="#e9e4d8"/>
  <rect x="18" y="18" width="764" height="484" fill="none" stroke="#8a7f69" stroke-width="2"/>
  <rect x="30" y="30" width="740" height="460" fill="none" stroke="#b3a88f"
        stroke-width="1" stroke-dasharray="6,5"/>
  <g fill="none" stroke="#6d6452" stroke-width="4">
    <rect x="355" y="92" width="90" height="62" rx="8" ry="8"/>
    <circle cx="400" cy="123" r="19"/>
    <polyline points="375,92 385,78 415,78 425,92"/>
  </g>
{body}
</svg>
"""
