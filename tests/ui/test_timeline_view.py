"""The Timeline view: drawn from the events, zoomable, and clicking navigates."""

from __future__ import annotations

from PySide6.QtCore import Qt

from reader.core import timeline
from reader.core.content import Library
from reader.ui.main_window import MainWindow
from reader.ui.timeline_view import AXIS_END, AXIS_START, MIN_SCALE, TimelineView
from tests.conftest import ESSAY_ID


def make_view(qtbot, library: Library) -> TimelineView:  # type: ignore[no-untyped-def]
    events, _ = timeline.load_timeline(library)
    view = TimelineView(events, library)
    qtbot.addWidget(view)
    view.resize(1200, 400)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_every_event_is_drawn_in_date_order(qtbot, library: Library) -> None:
    view = make_view(qtbot, library)
    assert len(view.event_items) == len(view.events) >= 12
    xs = [item.sceneBoundingRect().left() for item in view.event_items]
    assert xs == sorted(xs)
    assert view.x_of(AXIS_START) == 0
    assert view.x_of(AXIS_END) == view.axis_width


def test_labels_do_not_overlap(qtbot, library: Library) -> None:
    view = make_view(qtbot, library)
    cards = [item for item in view.scene.items() if item.zValue() == 1]
    assert len(cards) == len(view.events)
    for i, a in enumerate(cards):
        for b in cards[i + 1 :]:
            assert not a.sceneBoundingRect().intersects(b.sceneBoundingRect())


def test_zoom_changes_the_scale_within_limits(qtbot, library: Library) -> None:
    view = make_view(qtbot, library)
    before = view.axis_width
    view.zoom_in()
    assert view.axis_width > before
    view.set_scale(0.001)
    assert view.scale == MIN_SCALE
    view.fit()
    assert view.axis_width <= view.canvas.viewport().width()


def test_clicking_an_event_emits_its_section(qtbot, library: Library) -> None:
    view = make_view(qtbot, library)
    number = next(i for i, e in enumerate(view.events) if e.date == "1940-02-11")
    with qtbot.waitSignal(view.event_activated) as signal:
        qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton,
                         pos=view.item_centre(number).toPoint())
    assert signal.args == [ESSAY_ID, "raw-materials"]


def test_clicking_an_event_navigates_the_main_window(qtbot, main_window: MainWindow) -> None:
    main_window.xref.timeline_action.trigger()
    view = main_window.xref.timeline_view
    assert view.isVisible()
    number = next(i for i, e in enumerate(view.events) if e.date == "1941-11-30")
    qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.item_centre(number).toPoint())
    assert main_window.reading_view.section_at_top() == "german-japanese-communications"


def test_dates_the_edition_inferred_are_starred_and_explained(qtbot, library: Library) -> None:
    view = make_view(qtbot, library)
    cards = [item for item in view.scene.items() if item.zValue() == 1]
    inferred = [e for e in view.events if e.inferred]
    assert inferred, "the shipped timeline marks some inferred dates"
    explained = [c.toolTip() for c in cards if "inferred by the edition" in c.toolTip()]
    assert len(explained) == len(inferred)
    starred = [
        child.text()
        for c in cards
        for child in c.childItems()
        if hasattr(child, "text") and child.text().split("  ")[0].endswith("*")
    ]
    assert len(starred) == len(inferred)
