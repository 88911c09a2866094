"""Back and forward navigation history over (document, section) locations."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    document: str
    section: str


class History:
    """A browser-style history: visiting a new place drops the forward stack."""

    def __init__(self, limit: int = 500) -> None:
        self._back: list[Location] = []
        self._forward: list[Location] = []
        self._current: Location | None = None
        self._limit = limit

    @property
    def current(self) -> Location | None:
        return self._current

    def visit(self, location: Location) -> None:
        if location == self._current:
            return
        if self._current is not None:
            self._back.append(self._current)
            del self._back[: -self._limit]
        self._current = location
        self._forward.clear()

    def replace(self, location: Location) -> None:
        """Update where we are without adding a step (e.g. the reader scrolled)."""
        self._current = location

    def can_go_back(self) -> bool:
        return bool(self._back)

    def can_go_forward(self) -> bool:
        return bool(self._forward)

    def back(self) -> Location | None:
        if not self._back:
            return None
        if self._current is not None:
            self._forward.append(self._current)
        self._current = self._back.pop()
        return self._current

    def forward(self) -> Location | None:
        if not self._forward:
            return None
        if self._current is not None:
            self._back.append(self._current)
        self._current = self._forward.pop()
        return self._current
