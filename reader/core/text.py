"""Text folding: the one way the reader compares words (search and the index of names).

``fold`` removes accents and case: "Ploiești" and "PLOIESTI" both become
"ploiesti". Letters that Unicode does not decompose into a base letter and an
accent (ø, Ł, Đ, ı, æ, œ, þ) are mapped by hand, and compatibility forms such
as the ligature "ﬁ" are expanded, so that every spelling a reader might type
or an essay might print folds to the same plain letters.
"""

from __future__ import annotations

import functools
import unicodedata

# Letters without a canonical decomposition, folded as a reader would type them.
_LETTERS = str.maketrans(
    {
        "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d",
        "ı": "i", "ħ": "h", "Ħ": "h", "ŧ": "t", "Ŧ": "t", "æ": "ae", "Æ": "ae",
        "œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th", "ŀ": "l", "Ŀ": "l",
    }
)


def fold(text: str) -> str:
    """Text for comparison: accents removed, case folded (``Ploiești`` -> ``ploiesti``)."""
    if text.isascii():
        return text.lower()
    return "".join(fold_char(c) for c in text)


@functools.lru_cache(maxsize=8192)
def fold_char(char: str) -> str:
    """One character folded; may be empty (a lone accent) or longer (``ß`` -> ``ss``)."""
    decomposed = unicodedata.normalize("NFKD", char.translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index it came from."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = fold_char(char)
        out.append(folded)
        origin.extend([index] * len(folded))
    return "".join(out), origin
