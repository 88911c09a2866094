"""Derived data kept as JSON files in the cache folder, valid for one key only.

An entry is ``{"format": "reader-derived", "key": KEY, "data": DATA}``. The
key says what the data was made from (a fingerprint of the content, combined
with ``derived.code_key`` of the code that made it), so an entry made from
other content or by other code is never used. A cache is only ever a saving:
an entry that is missing, damaged, of another key or of the wrong shape reads
as None (the caller builds the data again), and a cache folder that cannot be
written is silently not used.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from pathlib import Path
from typing import Any, TypeVar

from reader.core import atomic, safefile

#: Marks a file as one of these entries (it is not a version number: what the
#: entry was made by is in its key).
FORMAT = "reader-derived"
#: An entry larger than this is not read (the essay's is well under a megabyte).
MAX_ENTRY_BYTES = 256 * 1024 * 1024

T = TypeVar("T")

#: What a field annotation (a string, under postponed evaluation) accepts from JSON.
_ACCEPTS: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "bool": (bool,),
    "str | None": (str, type(None)),
}
_LISTS = {"list[str]", "tuple[str, ...]"}


@functools.cache
def _fields(cls: type) -> dict[str, dataclasses.Field[Any]]:
    """A dataclass's fields by name (asked for every entry of a large library)."""
    return {f.name: f for f in dataclasses.fields(cls)}


def build(cls: type[T], data: Any, **overrides: Any) -> T:
    """``cls(**data)`` for a dataclass, after checking every field's JSON type deeply;
    raises TypeError on a missing, extra or wrong-typed field (the entry is rebuilt)."""
    if not isinstance(data, dict):
        raise TypeError(f"{cls.__name__}: not an object")
    values = {**data, **overrides}
    fields = _fields(cls)  # type: ignore[arg-type]  # a class is hashable
    if not fields.keys() >= values.keys():
        raise TypeError(f"{cls.__name__}: unknown fields")
    for name, field in fields.items():
        if name not in values:
            has_default = field.default is not dataclasses.MISSING or (
                field.default_factory is not dataclasses.MISSING
            )
            if not has_default:
                raise TypeError(f"{cls.__name__}: {name} is missing")
            continue
        if name in overrides:
            continue
        value, kind = values[name], str(field.type)
        if kind in _LISTS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise TypeError(f"{cls.__name__}.{name}: not a list of strings")
            values[name] = tuple(value) if kind.startswith("tuple") else list(value)
        elif kind in _ACCEPTS:
            accepted = _ACCEPTS[kind]
            if not isinstance(value, accepted) or (
                isinstance(value, bool) and bool not in accepted
            ):
                raise TypeError(f"{cls.__name__}.{name}: wrong type")
    return cls(**values)


def load(path: Path, key: str) -> Any:
    """The data stored at ``path`` under ``key``; None if there is none that can be used."""
    try:
        entry = json.loads(safefile.read_regular(path, MAX_ENTRY_BYTES).decode("utf-8"))
    except (OSError, ValueError, RecursionError):  # a pipe, too large, damaged, nested
        return None
    if not isinstance(entry, dict) or entry.get("format") != FORMAT or entry.get("key") != key:
        return None
    return entry.get("data")


def store(path: Path, key: str, data: Any) -> bool:
    """Keep ``data`` at ``path`` under ``key``, atomically; False if the cache is unwritable."""
    try:
        text = json.dumps({"format": FORMAT, "key": key, "data": data}, ensure_ascii=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_text(path, text)
    except (OSError, TypeError, ValueError):
        return False
    return True
