"""The timeline: an essay's dated events, from ``timeline.yaml``, in date order.

Each event has a date (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``), a precision
(day, month, year, or range with an ``end``), a short label and the section
that tells it (``also`` lists other sections that date the same event);
``inferred`` (day, month or year) says which part of the date the edition
inferred from the surrounding text rather than read in the sentence.

``check`` validates the files (``path:line: message``), that every section
named exists, and that every date written in the text (``August 23, 1939``,
``(September 17)``, ``August and September 1940``, ``in 1945``) falls within
an event listed for its section, so a date cannot be added to the text and
forgotten on the timeline.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reader.core.model import Essay, Library, Problem
from reader.core.yamlfile import complete_items, read_list

TIMELINE_FILE = "timeline.yaml"
PRECISIONS = ("day", "month", "year", "range")
INFERRED = ("day", "month", "year")

#: The essays' month names. Not ``calendar.month_name``: that follows the locale, which
#: the window sets from the user's (a German desktop would have no "March").
_ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_MONTHS = {name: number for number, name in enumerate(_ENGLISH_MONTHS, start=1)}
_MONTH = "(" + "|".join(_MONTHS) + ")"
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@functools.cache
def _dates() -> re.Pattern[str]:
    """Date expressions; alternatives in priority order, the first that matches wins.
    Compiled on first use (only ``check`` needs it)."""
    return re.compile(
        rf"\b(?:{_MONTH}\s+(\d{{1,2}}),\s*(\d{{4}})\b"  # August 23, 1939
        rf"|(\d{{1,2}})\s+{_MONTH}\s+(\d{{4}})\b"  # 11 February 1940
        rf"|{_MONTH}\s+(?:and|to|-|\u2013)\s+{_MONTH}\s+(\d{{4}})\b"  # August and September 1940
        rf"|{_MONTH}\s+(\d{{4}})\b"  # June 1941
        rf"|{_MONTH}\s+(\d{{1,2}})\b(?!\d)"  # September 17 (year from context)
        r"|(\d{4})\s*[-\u2013]\s*\d{2,4}\b"  # 1939-41: a period, not an event
        r"|(1[5-9]\d\d|20\d\d)\b)"  # in 1945
    )


_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")


class Error(Exception):
    """A date that cannot be read."""


def _last_day(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


def parse_date(value: str, last: bool = False) -> dt.date:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as its first (or ``last``) day."""
    match = _ISO.match(value)
    if not match:
        raise Error(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    try:
        if day:
            return dt.date(int(year), int(month), int(day))
        if month:
            m = int(month)
            return dt.date(int(year), m, _last_day(int(year), m) if last else 1)
        return dt.date(int(year), 12, 31) if last else dt.date(int(year), 1, 1)
    except ValueError as exc:
        raise Error(f"date {value!r}: {exc}") from exc


def _precision_of(value: str) -> str:
    return ("year", "month", "day")[value.count("-")]


@dataclass(frozen=True)
class Event:
    """One dated event of an essay."""

    document: str
    date: str
    end: str | None
    precision: str
    label: str
    section: str
    also: tuple[str, ...] = ()
    line: int = 0
    #: The part of the date the edition inferred (day, month or year), if any.
    inferred: str | None = None

    @property
    def start(self) -> dt.date:
        return parse_date(self.date)

    @property
    def stop(self) -> dt.date:
        """The last day the event covers."""
        return parse_date(self.end or self.date, last=True)

    @property
    def sections(self) -> tuple[str, ...]:
        return (self.section, *self.also)

    def sort_key(self) -> tuple[dt.date, dt.date, str]:
        return (self.start, self.stop, self.label)


def _text(value: Any) -> str:
    """YAML reads 1939-08-23 as a date and 1945 as an int; both mean the text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip() if value is not None else ""


def load_events(path: Path, document: str, problems: list[Problem]) -> list[Event]:
    """Read one timeline.yaml; bad events are reported and skipped."""
    items = read_list(path, "events", problems)
    if items is None:
        return []
    events: list[Event] = []
    required = ("date", "precision", "label", "section")
    for line, item in complete_items(items, required, "event", path, problems):
        date, end = _text(item["date"]), _text(item.get("end")) or None
        precision = str(item["precision"])
        also = item.get("also") or []
        inferred = _text(item.get("inferred")) or None
        try:
            start = parse_date(date)
            stop = parse_date(end, last=True) if end else None
        except Error as exc:
            problems.append(Problem(path, line, str(exc)))
            continue
        if precision not in PRECISIONS:
            message = f"unknown precision {precision!r} (one of {', '.join(PRECISIONS)})"
        elif precision == "range" and end is None:
            message = "a range needs an 'end'"
        elif precision != "range" and end is not None:
            message = f"'end' given but precision is {precision!r} (use 'range')"
        elif precision != "range" and _precision_of(date) != precision:
            message = f"date {date!r} does not have {precision} precision"
        elif stop is not None and stop < start:
            message = f"end {end!r} is before date {date!r}"
        elif not isinstance(also, list):
            message = "'also' must be a list of section ids"
        elif inferred is not None and inferred not in INFERRED:
            message = f"unknown inferred {inferred!r} (one of {', '.join(INFERRED)})"
        else:
            message = ""
        if message:
            problems.append(Problem(path, line, message))
            continue
        events.append(
            Event(
                document,
                date,
                end,
                precision,
                str(item["label"]).strip(),
                str(item["section"]),
                tuple(str(s) for s in also),
                line,
                inferred,
            )
        )
    return events


def load_timeline(library: Library) -> tuple[list[Event], list[Problem]]:
    """Every essay's events in date order, and the problems found."""
    problems: list[Problem] = []
    events: list[Event] = []
    for essay in library.essays:
        path = essay.folder / TIMELINE_FILE
        if path.exists() or path.is_symlink():  # a pipe or a folder is reported
            events.extend(load_events(path, essay.id, problems))
    events.sort(key=Event.sort_key)
    return events, problems


@dataclass(frozen=True)
class DateMention:
    """A date written in a section's text, as the span of days it names."""

    text: str
    offset: int
    start: dt.date
    stop: dt.date


def _month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, _last_day(year, month))


def find_dates(text: str, context: str = "") -> tuple[list[DateMention], list[tuple[str, int]]]:
    """The dates written in ``text``; a day without a year takes the last year
    written before it (in ``context``, e.g. the heading, then in the text).

    Returns the dates and the (text, offset) of any that cannot be placed.
    """
    found: list[DateMention] = []
    unplaced: list[tuple[str, int]] = []
    years = _YEAR.findall(context)
    year: int | None = int(years[-1]) if years else None
    for match in _dates().finditer(text):
        g = match.groups()
        span: tuple[dt.date, dt.date] | None = None
        try:
            if g[0]:
                year = int(g[2])
                day = dt.date(year, _MONTHS[g[0]], int(g[1]))
                span = (day, day)
            elif g[3]:
                year = int(g[5])
                day = dt.date(year, _MONTHS[g[4]], int(g[3]))
                span = (day, day)
            elif g[6]:
                year = int(g[8])
                span = (_month_span(year, _MONTHS[g[6]])[0], _month_span(year, _MONTHS[g[7]])[1])
            elif g[9]:
                year = int(g[10])
                span = _month_span(year, _MONTHS[g[9]])
            elif g[11]:
                if year is None:
                    unplaced.append((match.group(0), match.start()))
                    continue
                day = dt.date(year, _MONTHS[g[11]], int(g[12]))
                span = (day, day)
            elif g[13]:
                continue  # a period such as 1939-41
            elif g[14]:
                year = int(g[14])
                span = (dt.date(year, 1, 1), dt.date(year, 12, 31))
        except ValueError:
            unplaced.append((match.group(0), match.start()))
            continue
        if span:
            found.append(DateMention(match.group(0), match.start(), *span))
    return found, unplaced


class _SourceLines:
    """Finds where a text first appears in essay.md at or after a line, by searching
    the whole text once per needle and offset (no splitting per question)."""

    def __init__(self, essay: Essay) -> None:
        self.essay = essay
        self.text = essay.markdown
        self.starts = [0] + [m.end() for m in re.finditer("\n", self.text)]

    def line(self, section_line: int, needle: str) -> int:
        first = max(0, section_line - self.essay.body_line)
        if first >= len(self.starts):
            return section_line
        index = self.text.find(needle, self.starts[first])
        if index < 0:
            return section_line
        return self.essay.body_line + bisect.bisect_right(self.starts, index) - 1


def dated_passage(event: Event, text: str, context: str = "") -> tuple[str, int] | None:
    """Where a section's ``text`` gives ``event``'s date: the date as written and how
    many times those words occur before it (to find that very one again), or None.

    The date naming exactly the event's days is preferred, then one containing its
    first day, then any that overlaps it.
    """
    mentions, _ = find_dates(text, context)
    start, stop = event.start, event.stop
    chosen = (
        next((m for m in mentions if (m.start, m.stop) == (start, stop)), None)
        or next((m for m in mentions if m.start <= start <= m.stop), None)
        or next((m for m in mentions if m.start <= stop and start <= m.stop), None)
    )
    if chosen is None:
        return None
    return chosen.text, text[: chosen.offset].count(chosen.text)


def check(library: Library) -> list[Problem]:
    """Problems with the timeline files, their sections, and undated text dates."""
    events, problems = load_timeline(library)
    for essay in library.essays:
        path = essay.folder / TIMELINE_FILE
        source = _SourceLines(essay)
        mine = [e for e in events if e.document == essay.id]
        for event in mine:
            for wanted in event.sections:
                if essay.section(wanted) is None:
                    problems.append(
                        Problem(path, event.line, f"event {event.label!r}: no section {wanted!r}")
                    )
        if not path.is_file():
            continue  # an essay without a timeline is not asked for one
        for section in essay.sections:
            covering = [e for e in mine if section.id in e.sections]
            dates, unplaced = find_dates(section.text, section.title)
            for text, _ in unplaced:
                line = source.line(section.line, text)
                problems.append(Problem(essay.path, line, f"date {text!r} has no year to place it"))
            for date in dates:
                if not any(e.start <= date.stop and date.start <= e.stop for e in covering):
                    line = source.line(section.line, date.text)
                    problems.append(
                        Problem(
                            essay.path,
                            line,
                            f"date {date.text!r} in section "
                            f"{section.id!r} has no event in {TIMELINE_FILE}",
                        )
                    )
    return problems


def inferred_text(event: Event) -> str:
    """A short note for an event whose date is partly the edition's ('' otherwise)."""
    return f"({event.inferred} inferred by the edition)" if event.inferred else ""


def timeline_rows(events: list[Event]) -> list[dict[str, str | None]]:
    """The events as ``timeline --json`` prints them."""
    return [
        {
            "date": e.date,
            "end": e.end,
            "label": e.label,
            "document": e.document,
            "section": e.section,
            "inferred": e.inferred,
        }
        for e in events
    ]
