"""The Index dock: filtering, kinds, mentions, and navigation from a mention."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QStyleOptionViewItem

from reader.core import xref
from reader.core.content import Library
from reader.ui.index_panel import IndexPanel
from reader.ui.main_window import MainWindow
from tests.conftest import ESSAY_ID


def make_panel(qtbot, library: Library) -> IndexPanel:  # type: ignore[no-untyped-def]
    index, _ = xref.load_index(library)
    panel = IndexPanel(index, library)
    qtbot.addWidget(panel)
    panel.resize(360, 700)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_names_are_alphabetical(qtbot, library: Library) -> None:
    panel = make_panel(qtbot, library)
    names = panel.visible_names()
    assert len(names) == len(panel.index.entries) > 40
    assert names == sorted(names, key=xref.fold)


def test_filter_as_you_type_matches_any_spelling(qtbot, library: Library) -> None:
    panel = make_panel(qtbot, library)
    qtbot.keyClicks(panel.filter_edit, "ploiesti")
    assert panel.visible_names() == ["Ploesti"]
    panel.filter_edit.setText("Ploiești")  # QTest cannot type non-Latin-1 keys
    assert panel.visible_names() == ["Ploesti"]
    assert panel.current_entry is not None and panel.current_entry.id == "ploesti"
    panel.filter_edit.clear()
    qtbot.keyClicks(panel.filter_edit, "breast")
    assert panel.visible_names() == ["Brest-Litovsk", "Fortress Brest"]  # "Fotress Breast"
    assert "2 of" in panel.count_label.text()


def test_kind_filter(qtbot, library: Library) -> None:
    panel = make_panel(qtbot, library)
    panel.set_kind("ship")
    assert set(panel.visible_names()) == {"Komet", "Soviet ice breakers"}
    panel.set_kind("")
    assert len(panel.visible_names()) == len(panel.index.entries)


def test_selecting_shows_description_and_mentions_grouped_by_section(
    qtbot, library: Library
) -> None:
    panel = make_panel(qtbot, library)
    assert panel.show_entry("komet")
    text = panel.details.toPlainText()
    assert "German auxiliary cruiser" in text
    assert "German Japanese Communications" in text
    assert "(2 mentions)" in text
    assert len(panel.mentions_shown()) == 2
    assert all(m.section == "german-japanese-communications" for m in panel.mentions_shown())


def test_enter_on_a_name_opens_its_first_mention(qtbot, library: Library) -> None:
    panel = make_panel(qtbot, library)
    panel.set_filter("Komet")
    panel.list_view.setFocus()
    with qtbot.waitSignal(panel.mention_activated) as signal:
        qtbot.keyClick(panel.list_view, Qt.Key.Key_Return)
    assert signal.args == [ESSAY_ID, "german-japanese-communications", "Komet", 0]


def test_clicking_a_mention_link_emits_its_place(qtbot, library: Library) -> None:
    panel = make_panel(qtbot, library)
    panel.show_entry("komet")
    with qtbot.waitSignal(panel.mention_activated) as signal:
        panel.details.anchorClicked.emit(QUrl("mention:1"))
    assert signal.args == [ESSAY_ID, "german-japanese-communications", "Komet", 1]


def test_activating_a_mention_navigates_and_highlights_it(
    qtbot, main_window: MainWindow
) -> None:
    panel = main_window.xref.index_panel
    main_window.xref.focus_index_action.trigger()
    assert main_window.xref.index_dock.isVisible()
    qtbot.keyClicks(panel.filter_edit, "Ploesti")
    qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Return)  # opens the first mention
    assert panel.current_entry is not None and panel.current_entry.id == "ploesti"
    view = main_window.reading_view
    assert view.section_at_top() == "differences"
    assert view.textCursor().selectedText() == "Ploesti oil fields"
    main_window.core_actions.back.trigger()  # the step was recorded in history
    assert view.section_at_top() == "nazi-soviet-alliance"


def test_second_mention_in_a_section_is_the_one_highlighted(
    qtbot, main_window: MainWindow
) -> None:
    panel = main_window.xref.index_panel
    panel.show_entry("komet")
    panel.activate_mention(1)
    cursor = main_window.reading_view.textCursor()
    assert cursor.selectedText() == "Komet"
    after = cursor.block().text()[cursor.selectionStart() - cursor.block().position() :]
    assert after.startswith("Komet operated in the Pacific")


def test_names_as_links_toggle(qtbot, main_window: MainWindow) -> None:
    view = main_window.reading_view
    assert not main_window.xref.names_action.isChecked()  # off by default
    assert "index://" not in view.toHtml()
    main_window.open_section(ESSAY_ID, "raw-materials")
    main_window.xref.names_action.setChecked(True)
    assert "index://molotov" in view.toHtml()
    assert view.section_at_top() == "raw-materials"  # stays at the same place
    with qtbot.waitSignal(view.index_entry_clicked) as signal:
        view.anchorClicked.emit(QUrl("index://molotov"))
    assert signal.args == ["molotov"]
    assert main_window.xref.index_panel.current_entry.id == "molotov"  # type: ignore[union-attr]
    main_window.xref.names_action.setChecked(False)
    assert "index://" not in view.toHtml()


def test_internal_links_have_preview_tooltips_and_sections_see_also(
    main_window: MainWindow,
) -> None:
    html = main_window.reading_view.toHtml()
    assert "See also:" in main_window.reading_view.toPlainText()
    assert "Raw Materials" in html  # a preview or a See also link names it


# -- the list: most of the height, kinds and counts, long names told apart ------------------

def test_the_list_gets_most_of_the_height(qtbot, library: Library) -> None:
    panel = make_panel(qtbot, library)
    for height in (700, 420):
        panel.resize(360, height)
        qtbot.waitUntil(lambda h=height: panel.height() == h)
        list_height, details_height = panel.splitter.sizes()
        assert list_height >= 2 * details_height
    # Selecting a name with the keyboard keeps the proportions.
    panel.list_view.setFocus()
    qtbot.keyClick(panel.list_view, Qt.Key.Key_Down)
    assert panel.current_entry is not None
    list_height, details_height = panel.splitter.sizes()
    assert list_height >= 2 * details_height


def test_each_name_shows_its_kind_and_mention_count(qtbot, library: Library) -> None:
    panel = make_panel(qtbot, library)
    qtbot.keyClicks(panel.filter_edit, "ploesti")
    row = panel.proxy.index(0, 0)
    option = QStyleOptionViewItem()
    option.initFrom(panel.list_view)
    option.rect = panel.list_view.visualRect(row)
    name, suffix = panel.delegate.texts(option, row)
    count = len(panel.index.mentions_of("ploesti"))
    assert count > 0
    assert name == "Ploesti"
    assert suffix == f"place \u00b7 {count}"
    times = "1 mention" if count == 1 else f"{count} mentions"
    assert times in row.data(Qt.ItemDataRole.ToolTipRole)


def test_long_names_sharing_a_beginning_stay_apart(qtbot, library: Library) -> None:
    panel = make_panel(qtbot, library)
    panel.resize(230, 600)
    qtbot.waitUntil(lambda: panel.width() == 230)
    shown: dict[str, str] = {}
    for row in range(panel.proxy.rowCount()):
        index = panel.proxy.index(row, 0)
        option = QStyleOptionViewItem()
        option.initFrom(panel.list_view)
        option.rect = panel.list_view.visualRect(index)
        name, _ = panel.delegate.texts(option, index)
        shown[index.data()] = name
    shortened = {full: name for full, name in shown.items() if name != full}
    assert shortened  # the narrow dock shortens some names...
    assert all("\u2026" in name and name[-2:] == full[-2:]  # ...in the middle
               for full, name in shortened.items())
    assert len(set(shown.values())) == len(shown)  # and no two look the same
