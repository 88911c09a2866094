"""The timeline: loading and validation, dates found in the text, check and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main
from reader.core import timeline
from reader.core.content import Library, load_library
from tests import PROJECT_ROOT

ESSAY = """---
title: "Dates"
---

# Dates (1939-41) {#start}

The Pact was signed on August 23, 1939. Poland was invaded (September 1).

## Later (September 1940) {#later}

An alliance (October 1940) and a voyage in August and September 1940.
The ship returned (November 30, 1941). It was discovered in 1945.
"""

TIMELINE = """events:
  - date: 1941-11-30
    precision: day
    label: Return
    section: later
  - date: 1939-08-23
    precision: day
    label: Pact
    section: start
  - date: 1939-09-01
    precision: day
    label: Invasion
    section: start
  - date: 1940-08
    end: 1940-09
    precision: range
    label: Voyage
    section: later
  - date: 1945
    precision: year
    label: Discovery
    section: later
"""


def write(root: Path, events: str | None = TIMELINE, essay: str = ESSAY) -> Path:
    folder = root / "dates"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "essay.md").write_text(essay, encoding="utf-8")
    if events is not None:
        (folder / "timeline.yaml").write_text(events, encoding="utf-8")
    return folder


@pytest.fixture
def small(tmp_path: Path) -> Library:
    write(tmp_path)
    return load_library(tmp_path)


def test_parse_date_first_and_last_day() -> None:
    assert timeline.parse_date("1940-02") == dt.date(1940, 2, 1)
    assert timeline.parse_date("1940-02", last=True) == dt.date(1940, 2, 29)
    assert timeline.parse_date("1945", last=True) == dt.date(1945, 12, 31)
    with pytest.raises(timeline.Error):
        timeline.parse_date("1940-13")
    with pytest.raises(timeline.Error):
        timeline.parse_date("Feb 1940")


def test_events_load_in_date_order(small: Library) -> None:
    events, problems = timeline.load_timeline(small)
    assert problems == []
    assert [e.label for e in events] == ["Pact", "Invasion", "Voyage", "Return", "Discovery"]
    voyage = events[2]
    assert (voyage.start, voyage.stop) == (dt.date(1940, 8, 1), dt.date(1940, 9, 30))


def test_find_dates_reads_every_form() -> None:
    text = ("Signed August 23, 1939 and on 11 February 1940; a voyage in August and "
            "September 1940; the War (September 1) began; in 1945; the years 1939-41.")
    found, unplaced = timeline.find_dates(text, "Title (1939)")
    spans = [(d.text, d.start.isoformat(), d.stop.isoformat()) for d in found]
    assert spans == [
        ("August 23, 1939", "1939-08-23", "1939-08-23"),
        ("11 February 1940", "1940-02-11", "1940-02-11"),
        ("August and September 1940", "1940-08-01", "1940-09-30"),
        ("September 1", "1940-09-01", "1940-09-01"),  # the last year written before it
        ("1945", "1945-01-01", "1945-12-31"),
    ]
    assert unplaced == []


def test_every_english_month_is_read_whatever_the_locale() -> None:
    """The window sets the user's locale (Qt does), and the locale's month names are
    not the essays': a German desktop has no "March". Every English month is read, in
    a process whose calendar names its months otherwise, and a month's last day is
    right in every month, December included."""
    code = (
        "import calendar, datetime as dt\n"
        "calendar.month_name = ['', *('Monat%d' % n for n in range(1, 13))]\n"
        "from reader.core import timeline\n"
        "months = ['January', 'February', 'March', 'April', 'May', 'June', 'July',\n"
        "          'August', 'September', 'October', 'November', 'December']\n"
        "for number, name in enumerate(months, start=1):\n"
        "    found, unplaced = timeline.find_dates(f'It happened in {name} 1940.')\n"
        "    last = timeline.parse_date(f'1940-{number:02d}', last=True)\n"
        "    assert not unplaced and [(m.start, m.stop) for m in found] == [\n"
        "        (dt.date(1940, number, 1), last)], name\n"
        "    assert (last + dt.timedelta(days=1)).day == 1, name\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, check=True, timeout=60)


def test_day_without_any_year_is_unplaced() -> None:
    found, unplaced = timeline.find_dates("It began (September 1).", "No year here")
    assert found == []
    assert unplaced == [("September 1", 10)]


def test_day_takes_its_year_from_the_heading() -> None:
    found, _ = timeline.find_dates("It began (September 17).", "Poland (September 1939)")
    assert found[0].start == dt.date(1939, 9, 17)


def test_check_is_clean_when_every_date_has_an_event(small: Library) -> None:
    # "October 1940" in "later" has no event: that is the one problem.
    problems = timeline.check(small)
    assert [p.message for p in problems] == [
        "date 'October 1940' in section 'later' has no event in timeline.yaml"
    ]
    assert problems[0].path.name == "essay.md"
    assert problems[0].line == 11  # the line in essay.md


@pytest.mark.parametrize(
    ("events", "line", "message"),
    [
        ("events:\n  - date: 1939-08-23\n    precision: day\n    label: X\n    section: nowhere\n",
         2, "event 'X': no section 'nowhere'"),
        ("events:\n  - date: 1939-08\n    precision: day\n    label: X\n    section: start\n",
         2, "does not have day precision"),
        ("events:\n  - date: 1939-08\n    precision: range\n    label: X\n    section: start\n",
         2, "a range needs an 'end'"),
        ("events:\n  - date: 1940-08\n    end: 1939-01\n    precision: range\n    label: X\n"
         "    section: start\n", 2, "is before date"),
        ("events:\n  - date: 1939-02-30\n    precision: day\n    label: X\n    section: start\n",
         2, "day is out of range"),
        ("events:\n  - date: 1939\n    precision: decade\n    label: X\n    section: start\n",
         2, "unknown precision 'decade'"),
        ("events:\n  - precision: day\n    label: X\n", 2, "event needs date, section"),
        ("events:\n  - date: [1939\n", 3, "malformed YAML"),  # where the parser stopped
        ("events: {}\n", 1, "expected a 'events:' list"),
    ],
)
def test_malformed_timeline_is_reported_with_its_line(
    tmp_path: Path, events: str, line: int, message: str
) -> None:
    folder = write(tmp_path, events=events)
    problems = [p for p in timeline.check(load_library(tmp_path)) if p.path.name == "timeline.yaml"]
    assert problems, "expected a problem in timeline.yaml"
    assert problems[0].path == folder / "timeline.yaml"
    assert problems[0].line == line
    assert message in problems[0].message


def test_essay_without_timeline_is_not_checked_for_dates(tmp_path: Path) -> None:
    write(tmp_path, events=None)
    assert timeline.check(load_library(tmp_path)) == []


def test_check_command_reports_timeline_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write(tmp_path)
    assert main(["check", "--content", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"{folder / 'essay.md'}:11: date 'October 1940'" in out
    assert "1 problem(s) found." in out


def test_timeline_command_json_in_date_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path)
    assert main(["timeline", "--json", "--content", str(tmp_path)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0] == {"date": "1939-08-23", "end": None, "label": "Pact",
                       "document": "dates", "section": "start", "inferred": None}
    assert rows[2] == {"date": "1940-08", "end": "1940-09", "label": "Voyage",
                       "document": "dates", "section": "later", "inferred": None}
    dates = [r["date"] for r in rows]
    assert dates == ["1939-08-23", "1939-09-01", "1940-08", "1941-11-30", "1945"]


def test_timeline_command_plain(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path)
    assert main(["timeline", "--content", str(tmp_path)]) == 0
    assert "1940-08 – 1940-09" in capsys.readouterr().out


# --- the real essay ----------------------------------------------------------------


def test_real_timeline_is_valid_and_complete(library: Library) -> None:
    events, problems = timeline.load_timeline(library)
    assert problems == []
    assert timeline.check(library) == []
    dates = {e.date for e in events}
    for date in ("1939-08-19", "1939-08-23", "1939-09-01", "1939-09-03", "1939-09-17",
                 "1939-09-18", "1939-09-28", "1940-02-11", "1940-08", "1940-09", "1941-06",
                 "1941-11-30"):
        assert date in dates
    starts = [e.start for e in events]
    assert starts == sorted(starts)


def test_inferred_part_of_a_date_is_loaded_checked_and_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "timeline.yaml"
    path.write_text(
        "events:\n"
        "  - {date: 1939-09-17, precision: day, label: A, section: s, inferred: year}\n"
        "  - {date: 1939-09-18, precision: day, label: B, section: s, inferred: century}\n",
        encoding="utf-8",
    )
    problems: list = []
    events = timeline.load_events(path, "d", problems)
    assert [(e.label, e.inferred) for e in events] == [("A", "year")]
    assert [p.line for p in problems] == [3] and "unknown inferred 'century'" in problems[0].message
    assert timeline.inferred_text(events[0]) == "(year inferred by the edition)"
    assert timeline.timeline_rows(events)[0]["inferred"] == "year"


def test_real_timeline_marks_inferred_dates_and_labels_what_happened(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["timeline", "--json"]) == 0
    rows = {r["date"]: r for r in json.loads(capsys.readouterr().out)}
    for date in ("1939-09-03", "1939-09-17", "1939-09-18"):
        assert rows[date]["inferred"] == "year", date
    assert rows["1940-01"]["inferred"] == "month"
    assert rows["1939-08-23"]["inferred"] is None
    # The caption's date is reported as the caption's, not as a fact.
    assert "caption" in rows["1939-09-18"]["label"]
    assert "until" not in rows["1989"]["label"] and "stop denying" in rows["1989"]["label"]
