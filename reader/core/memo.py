"""Results worked out once per object: a library or an essay, once loaded, is never
changed in place (a change makes a new object), so what is computed from one can be
kept as long as that object lives.

Library and essay objects are dataclasses, compared by value and so not hashable:
results are kept by the object's identity, with a weak reference that both checks
the identity still holds and drops the result when the object goes.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def per_object(function: Callable[[T], R]) -> Callable[[T], R]:
    """``function(obj)`` computed once for each live ``obj`` (by identity)."""
    kept: dict[int, tuple[weakref.ref[Any], R]] = {}

    @functools.wraps(function)
    def once(obj: T) -> R:
        key = id(obj)
        found = kept.get(key)
        if found is not None and found[0]() is obj:
            return found[1]
        result = function(obj)
        kept[key] = (weakref.ref(obj, lambda _gone: kept.pop(key, None)), result)
        return result

    return once
