"""Reading comfort in the window (view settings, window modes, print and export,
citations, help): readings, themes, text size, column, full
screen, print, export, citations, help and accessibility (pytest-qt, offscreen)."""

from __future__ import annotations

import datetime
import re
import unicodedata
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import (
    QAction,
    QColor,
    QGuiApplication,
    QImage,
    QPalette,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QAbstractButton, QApplication, QFileDialog, QMessageBox, QWidget

from reader.app import parse_reader_url
from reader.core import themes
from reader.core.content import Library
from reader.pdf import write_pdf
from reader.ui import view_settings as view_settings_module
from reader.ui.citations import Citations
from reader.ui.help_dialogs import ShortcutsDialog, about_html
from reader.ui.help_menu import HelpFeature
from reader.ui.main_window import MainWindow
from reader.ui.print_actions import PrintExport
from reader.ui.printing import PrintPreview
from reader.ui.view_menu import ViewChoices
from reader.ui.window_modes import WindowModes
from tests.conftest import ESSAY_ID
from tests.ui.conftest import WindowFactory

CAPTION_START = "Figure 1.--The Soviet Union would provide"


@pytest.fixture(autouse=True)
def _restore_app_palette() -> None:
    """Themes set the application palette: leave it as found for other tests."""
    yield
    QApplication.setPalette(QPalette())


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(path: Path) -> str:
    # NFKC: the PDF's fonts use ligatures ("Diﬀerences").
    text = "".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages)
    return unicodedata.normalize("NFKC", text)


def view_text(window: MainWindow) -> str:
    return window.reading_view.toPlainText()


def scroll_into(window: MainWindow, section: str, fraction: float) -> None:
    """Scroll part of the way into a section (as a reader does)."""
    view = window.reading_view
    top = view.section_top(section)
    assert top is not None
    following = view.section_bottom(section)
    assert following is not None
    view.verticalScrollBar().setValue(round(top + fraction * (following - top)))


# -- 1. readings ---------------------------------------------------------------------------


def test_readings_render_the_right_words(main_window: MainWindow) -> None:
    choices = main_window.feature(ViewChoices)
    assert main_window.view_settings.reading == "corrected"
    assert main_window.feature(ViewChoices).reading_actions["corrected"].isChecked()
    text = view_text(main_window)
    assert "Brest-Litovsk" in text and "Breast-Litovsk" not in text
    assert "n=mobe [sic] with either the Japanese" in text

    choices.reading_actions["original"].trigger()
    text = view_text(main_window)
    assert "Breast-Litovsk" in text and "Brest-Litovsk" not in text
    assert "[sic]" not in text
    assert "Non-Agression Pact" in text

    choices.reading_actions["changes"].trigger()
    text = view_text(main_window)
    assert "BreastBrest-Litovsk" in text  # both words, one struck, one underlined
    cursor = main_window.reading_view.document().find("Breast")
    assert cursor.charFormat().fontStrikeOut()
    cursor = main_window.reading_view.document().find("Brest-")
    cursor.setPosition(cursor.selectionStart() + 2)
    assert cursor.charFormat().fontUnderline()


def test_reading_is_remembered_and_restored(
    make_window: WindowFactory, settings: QSettings
) -> None:
    first = make_window()
    first.view_settings.set_reading("original")
    first.close()
    assert settings.value("view/reading") == "original"
    second = make_window()
    assert second.view_settings.reading == "original"
    assert second.feature(ViewChoices).reading_actions["original"].isChecked()
    assert "Breast-Litovsk" in view_text(second)


def test_switching_reading_keeps_the_readers_place(make_window: WindowFactory) -> None:
    window = make_window(section="raw-materials")
    view = window.reading_view
    scroll_into(window, "raw-materials", 0.5)
    before = view.reading_place()
    assert before is not None and before[0] == "raw-materials"
    window.view_settings.set_reading("changes")
    after = view.reading_place()
    assert after is not None
    assert after[0] == "raw-materials"
    assert after[1] == pytest.approx(before[1], abs=0.05)
    assert view.section_at_top() == "raw-materials"


def test_unknown_saved_settings_fall_back_to_defaults(
    make_window: WindowFactory, settings: QSettings
) -> None:
    settings.setValue("view/reading", "sideways")
    settings.setValue("view/theme", "purple")
    settings.setValue("view/text_scale", "huge")
    settings.setValue("view/column_width", "-5")
    window = make_window()
    assert window.view_settings.reading == "corrected"
    assert window.view_settings.theme_setting == "system"
    assert window.view_settings.text_scale == 1.0
    assert window.view_settings.column_width == min(themes.COLUMN_WIDTHS)


# -- 2. themes, text size, column, full screen ------------------------------------------------


@pytest.mark.parametrize("name", themes.THEME_NAMES)
def test_theme_covers_the_text_area(make_window: WindowFactory, name: str) -> None:
    window = make_window()
    window.feature(ViewChoices).theme_actions[name].trigger()
    theme = themes.theme(name)
    view = window.reading_view
    assert view.viewport().palette().color(QPalette.ColorRole.Base) == QColor(theme.background)
    assert view.palette().color(QPalette.ColorRole.Text) == QColor(theme.text)
    # What is painted: the page colour around the column, the text in the theme's colour.
    image = view.viewport().grab().toImage()
    assert image.pixelColor(4, image.height() - 4) == QColor(theme.background)
    cursor = view.document().find("essentially made the NAZIs")
    assert cursor.charFormat().foreground().color() == QColor(theme.text)
    # The window's chrome follows too.
    chrome = QApplication.palette().color(QPalette.ColorRole.Window)
    assert chrome == QColor(theme.window)


def test_theme_follows_the_system_colour_scheme_by_default(
    make_window: WindowFactory, monkeypatch: pytest.MonkeyPatch, settings: QSettings
) -> None:
    monkeypatch.setattr(view_settings_module, "system_is_dark", lambda: True)
    window = make_window()
    assert window.view_settings.theme_setting == "system"
    assert window.view_settings.theme.name == "dark"
    base = window.reading_view.viewport().palette().color(QPalette.ColorRole.Base)
    assert base == QColor(themes.theme("dark").background)
    monkeypatch.setattr(view_settings_module, "system_is_dark", lambda: False)
    window.view_settings.system_scheme_changed()
    base = window.reading_view.viewport().palette().color(QPalette.ColorRole.Base)
    assert base == QColor(themes.theme("light").background)
    window.view_settings.set_theme("sepia")
    window.close()
    assert settings.value("view/theme") == "sepia"
    assert make_window().view_settings.theme.name == "sepia"


def _paragraph_point_size(window: MainWindow) -> float:
    cursor = window.reading_view.document().find("Ribbentrop and newly appointed")
    assert not cursor.isNull()
    return cursor.charFormat().font().pointSizeF()


def test_text_size_keys_change_the_text_and_persist_across_a_restart(
    qtbot, make_window: WindowFactory, settings: QSettings
) -> None:
    window = make_window(section="pact")
    normal = _paragraph_point_size(window)
    assert normal == pytest.approx(12.0)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.reading_view.setFocus()
    qtbot.keyClick(window.reading_view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.reading_view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    larger = _paragraph_point_size(window)
    assert larger == pytest.approx(12.0 * 1.2)
    assert window.reading_view.section_at_top() == "pact"  # the place is kept
    window.close()

    restarted = make_window(section="pact")
    assert restarted.view_settings.text_scale == pytest.approx(1.2)
    assert _paragraph_point_size(restarted) == pytest.approx(larger)
    restarted.feature(ViewChoices).smaller_action.trigger()
    assert _paragraph_point_size(restarted) == pytest.approx(12.0 * 1.1)
    restarted.feature(ViewChoices).default_size_action.trigger()
    assert _paragraph_point_size(restarted) == pytest.approx(normal)
    assert float(settings.value("view/text_scale")) == 1.0


def test_text_size_stops_at_its_limits(main_window: MainWindow) -> None:
    choices = main_window.feature(ViewChoices)
    for _ in range(len(themes.TEXT_SCALES) + 2):
        choices.larger_text()
    assert main_window.view_settings.text_scale == max(themes.TEXT_SCALES)
    assert not choices.larger_action.isEnabled()
    for _ in range(len(themes.TEXT_SCALES) + 2):
        choices.smaller_text()
    assert main_window.view_settings.text_scale == min(themes.TEXT_SCALES)
    assert not choices.smaller_action.isEnabled()


def test_column_width_is_adjustable_and_remembered(
    make_window: WindowFactory, settings: QSettings
) -> None:
    window = make_window()
    window.resize(1700, 900)
    view = window.reading_view
    assert view.column_width == themes.DEFAULT_COLUMN
    margin_before = view.document().rootFrame().frameFormat().leftMargin()
    window.feature(ViewChoices).wider_action.trigger()
    assert view.column_width > themes.DEFAULT_COLUMN
    margin_after = view.document().rootFrame().frameFormat().leftMargin()
    assert margin_after < margin_before
    wider = view.column_width
    window.close()
    assert int(settings.value("view/column_width")) == wider
    again = make_window()
    assert again.reading_view.column_width == wider
    again.feature(ViewChoices).narrower_action.trigger()
    again.feature(ViewChoices).narrower_action.trigger()
    assert again.reading_view.column_width < themes.DEFAULT_COLUMN
    # The figure is drawn again to fit the narrower column.
    image = again.reading_view.document().resource(
        QTextDocument.ResourceType.ImageResource, QUrl(f"figure://{ESSAY_ID}/figure-1")
    )
    assert isinstance(image, QImage)
    assert image.width() / image.devicePixelRatio() <= again.reading_view.column_width
    assert again.reading_view.horizontalScrollBar().maximum() == 0


def test_figure_fits_the_column_after_the_window_narrows(qtbot, make_window: WindowFactory) -> None:
    window = make_window()
    view = window.reading_view
    window.resize(900, 700)  # the sidebar stays; the column gets narrower than a figure
    qtbot.waitUntil(lambda: view.viewport().width() < 640)

    def drawn_width() -> float:
        image = view.document().resource(
            QTextDocument.ResourceType.ImageResource, QUrl(f"figure://{ESSAY_ID}/figure-1")
        )
        assert isinstance(image, QImage)
        return image.width() / image.devicePixelRatio()

    qtbot.waitUntil(lambda: drawn_width() < view.viewport().width())
    qtbot.waitUntil(lambda: view.horizontalScrollBar().maximum() == 0)


def test_full_screen_and_distraction_free(qtbot, main_window: MainWindow) -> None:
    window = main_window
    comfort = window.feature(WindowModes)
    assert comfort.full_screen_action.shortcut().toString() == "F11"
    window.showMaximized()
    qtbot.waitUntil(window.isMaximized)
    comfort.full_screen_action.trigger()
    qtbot.waitUntil(window.isFullScreen)
    comfort.full_screen_action.trigger()
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert window.isMaximized()  # back to how it was

    assert window.contents_dock.isVisible() and window.menus.toolbar.isVisible()
    comfort.distraction_free_action.trigger()
    assert not window.contents_dock.isVisible()
    assert not window.menus.toolbar.isVisible()
    assert not window.menuBar().isVisible()
    assert not window.statusBar().isVisible()
    assert window.reading_view.isVisible()
    # Its shortcut still works with the menu bar hidden.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.reading_view.setFocus()
    qtbot.keyClick(window.reading_view, Qt.Key.Key_F11, Qt.KeyboardModifier.ShiftModifier)
    assert not comfort.distraction_free
    assert window.contents_dock.isVisible() and window.menus.toolbar.isVisible()
    assert window.menuBar().isVisible()


# -- 3. print, export ---------------------------------------------------------------------


def test_exported_pdf_contains_every_section_title(
    qapp: QApplication, library: Library, tmp_path: Path
) -> None:
    path = tmp_path / "essay.pdf"
    css = (Path(__file__).parents[2] / "resources" / "content.css").read_text(encoding="utf-8")
    pages = write_pdf(library.essays, path, css, "corrected")
    assert pages >= 3
    text = squeeze(pdf_text(path))
    essay = library.essay(ESSAY_ID)
    assert essay is not None
    for section in essay.sections:
        assert squeeze(section.title) in text, section.title
    assert squeeze(CAPTION_START) in text  # the figure's caption
    assert squeeze("Source: Imperial War Museum. HU5505.") in text


def test_export_command_writes_a_pdf_in_the_chosen_reading(
    qapp: QApplication, tmp_path: Path
) -> None:
    # (qapp first: the command would otherwise make a QGuiApplication for itself)
    import io

    from reader.cli import build_parser, run_command

    path = tmp_path / "original.pdf"
    out = io.StringIO()
    args = build_parser().parse_args(["export", str(path), "--reading", "original"])
    assert run_command(args, out) == 0
    assert "pages" in out.getvalue()
    text = squeeze(pdf_text(path))
    assert squeeze("Breast-Litovsk") in text and squeeze("Brest-Litovsk") not in text


def test_print_preview_prints_the_whole_essay_or_the_current_section(
    make_window: WindowFactory, tmp_path: Path, qtbot
) -> None:
    window = make_window(section="poland")
    essay = window.current_essay
    assert essay is not None
    preview = PrintPreview(essay, "poland", window.view_settings.base_css, "corrected", window)
    qtbot.addWidget(preview)
    assert preview.scope.count() == 2

    def printed(name: str) -> str:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / name))
        preview.print_to(printer)
        return squeeze(pdf_text(tmp_path / name))

    whole = printed("whole.pdf")
    assert squeeze(CAPTION_START) in whole and squeeze("Poland (September 1939)") in whole
    preview.scope.setCurrentIndex(1)
    section = printed("section.pdf")
    assert squeeze("Poland (September 1939)") in section
    assert squeeze("Japanese Diplomacy") not in section
    assert squeeze(CAPTION_START) not in section


def test_print_action_opens_the_preview(
    main_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[PrintPreview] = []
    monkeypatch.setattr(PrintPreview, "exec", lambda self: shown.append(self) or 0)
    assert main_window.feature(PrintExport).print_action.shortcut().toString() == "Ctrl+P"
    main_window.feature(PrintExport).print_action.trigger()
    assert len(shown) == 1
    assert shown[0].essay is main_window.current_essay


@pytest.mark.parametrize(("reading", "word"), [("corrected", "Brest"), ("original", "Breast")])
def test_export_from_the_file_menu_uses_the_current_reading(
    main_window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    reading: str,
    word: str,
) -> None:
    target = tmp_path / "essay.html"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    main_window.view_settings.set_reading(reading)
    assert main_window.feature(PrintExport).export_action in main_window.menus.file.actions()
    main_window.feature(PrintExport).export_action.trigger()
    assert f"{word}-Litovsk" in target.read_text(encoding="utf-8")


def test_export_without_extension_takes_the_chosen_format(
    main_window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        lambda *a, **k: (str(tmp_path / "essay"), "Web page (*.html *.htm)"),
    )
    main_window.feature(PrintExport).export_action.trigger()
    assert (tmp_path / "essay.html").read_text(encoding="utf-8").startswith(
        "<!DOCTYPE html>\n<html>")


def test_export_failure_is_reported_not_raised(
    main_window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "no-such-folder" / "essay.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    main_window.feature(PrintExport).export_action.trigger()
    assert warnings and "cannot write" in warnings[0]


# -- 4. citations and links ----------------------------------------------------------------


def _select(window: MainWindow, text: str) -> None:
    view = window.reading_view
    cursor = view.document().find(text)
    assert not cursor.isNull()
    view.setTextCursor(cursor)


def test_copy_with_citation_appends_a_citation_line(
    make_window: WindowFactory, settings: QSettings
) -> None:
    window = make_window(section="raw-materials")
    clipboard = QGuiApplication.clipboard()
    _select(window, "The Soviets promised to deliver")
    window.reading_view.copy()
    assert clipboard.text() == "The Soviets promised to deliver"

    window.feature(Citations).cite_on_copy_action.trigger()
    assert settings.value("view/copy_with_citation") in (True, "true")
    window.reading_view.copy()
    passage, citation = clipboard.text().split("\n\n— ")
    assert passage == "The Soviets promised to deliver"
    assert citation.startswith("“World War II: NAZI-Soviet Alliance (1939-41)”")
    assert "Historical Boys' Clothing" in citation
    assert "section “Raw Materials”" in citation
    assert f"read offline, {datetime.date.today().isoformat()}" in citation
    window.close()
    assert make_window().feature(Citations).cite_on_copy_action.isChecked()


def test_copy_link_to_section_round_trips_through_open(make_window: WindowFactory) -> None:
    window = make_window(section="nkvd-ss-cooperation")
    window.feature(Citations).copy_link_action.trigger()
    link = QGuiApplication.clipboard().text()
    assert link == f"reader://{ESSAY_ID}/nkvd-ss-cooperation"
    assert parse_reader_url(link) == (ESSAY_ID, "nkvd-ss-cooperation")
    other = make_window()
    other.open_start(*parse_reader_url(link))
    assert other.reading_view.section_at_top() == "nkvd-ss-cooperation"


def test_parse_reader_url_rejects_other_addresses() -> None:
    assert parse_reader_url(f"reader://{ESSAY_ID}") == (ESSAY_ID, None)
    assert parse_reader_url("https://histclo.com/") == (None, None)
    assert parse_reader_url("reader:///poland") == (None, None)
    assert parse_reader_url("not a url at all") == (None, None)


# -- 5. help and accessibility ---------------------------------------------------------------


def test_shortcut_overview_lists_the_menus_shortcuts(
    main_window: MainWindow, monkeypatch: pytest.MonkeyPatch, qtbot
) -> None:
    opened: list[ShortcutsDialog] = []
    monkeypatch.setattr(ShortcutsDialog, "exec", lambda self: opened.append(self) or 0)
    assert main_window.feature(HelpFeature).shortcuts_action.shortcut().toString() == "F1"
    main_window.feature(HelpFeature).shortcuts_action.trigger()
    assert len(opened) == 1
    qtbot.addWidget(opened[0])
    rows = {(action, keys) for _, action, keys in opened[0].rows()}
    assert ("Larger Text", "Ctrl+=, Ctrl++") in rows
    assert ("Full Screen", "F11") in rows
    assert ("Print", "Ctrl+P") in rows
    assert ("Keyboard Shortcuts", "F1") in rows
    back = [keys for action, keys in rows if action == "Back"]
    assert back and len(back[0].split(", ")) == len(set(back[0].split(", ")))


def test_no_two_actions_share_a_shortcut(main_window: MainWindow) -> None:
    seen: dict[str, str] = {}
    clashes = []
    for action in main_window.findChildren(QAction):
        if action.shortcutContext() == Qt.ShortcutContext.WidgetShortcut:
            continue
        for key in action.shortcuts():
            name = key.toString()
            if name in seen and seen[name] != action.text():
                clashes.append((name, seen[name], action.text()))
            seen.setdefault(name, action.text())
    assert clashes == []


def test_about_names_source_credits_and_licence(
    main_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append(text))
    main_window.core_actions.about.trigger()
    assert len(shown) == 1
    text = shown[0]
    assert "Historical Boys' Clothing" in text
    assert "Imperial War Museum" in text
    assert "Licence" in text and "copyright" in text
    assert "https://histclo.com/" in text
    assert about_html(None).startswith("<h3>Reference Reader")


def _accessible_name(widget: QWidget) -> str:
    from PySide6.QtGui import QAccessible

    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name) if interface is not None else ""


def test_every_control_has_an_accessible_name(main_window: MainWindow) -> None:
    unnamed = []
    for widget in main_window.findChildren(QWidget):
        if not widget.isVisibleTo(main_window):
            continue
        focusable = widget.focusPolicy() != Qt.FocusPolicy.NoFocus
        if not (focusable or isinstance(widget, QAbstractButton)):
            continue
        if widget.focusProxy() is not None or type(widget).__name__ == "QWidget":
            continue  # the proxy (or the scroll area around a viewport) carries the name
        parent = widget.parentWidget()
        if parent is not None and getattr(parent, "viewport", lambda: None)() is widget:
            continue
        if not _accessible_name(widget):
            unnamed.append(f"{type(widget).__name__} {widget.objectName()!r}")
    assert unnamed == []


def test_tab_moves_from_the_contents_to_the_text(qtbot, main_window: MainWindow) -> None:
    main_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is main_window)
    main_window.section_tree.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(main_window.section_tree.hasFocus)
    qtbot.keyClick(main_window.section_tree, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is main_window.reading_view


def test_text_keeps_its_theme_after_changing_essay_reading_and_size(
    main_window: MainWindow,
) -> None:
    main_window.view_settings.set_theme("dark")
    main_window.view_settings.set_reading("original")
    main_window.feature(ViewChoices).larger_text()
    cursor = main_window.reading_view.document().find("essentially made the NAZIs")
    assert cursor.charFormat().foreground().color() == QColor(themes.theme("dark").text)
    _select(main_window, "Poland")  # the view still works with a selection
    assert main_window.reading_view.textCursor().hasSelection()
    main_window.reading_view.moveCursor(QTextCursor.MoveOperation.Start)


def _ink_lightness(icon_image: QImage) -> int:
    """The lightness of the icon's most opaque pixels (its ink)."""
    values = [
        QColor.fromRgba(icon_image.pixel(x, y))
        for x in range(icon_image.width())
        for y in range(icon_image.height())
    ]
    ink = [c.lightness() for c in values if c.alpha() > 200]
    assert ink, "the icon drew nothing"
    return sorted(ink)[len(ink) // 2]


def test_bundled_toolbar_icons_follow_the_theme(main_window: MainWindow) -> None:
    action = main_window.core_actions.figure
    main_window.view_settings.set_theme("dark")
    assert _ink_lightness(action.icon().pixmap(24, 24).toImage()) > 170
    main_window.view_settings.set_theme("light")
    assert _ink_lightness(action.icon().pixmap(24, 24).toImage()) < 90


def test_open_option_takes_a_reader_reference(make_window: WindowFactory) -> None:
    from reader.cli import build_parser

    args = build_parser().parse_args(["--open", f"reader://{ESSAY_ID}/differences"])
    assert args.command is None  # no subcommand: main.py opens the window with it
    window = make_window()
    window.open_start(*parse_reader_url(args.open_url))
    assert window.reading_view.section_at_top() == "differences"


def test_printed_document_has_no_private_links_but_keeps_the_figure(
    qapp: QApplication, library: Library
) -> None:
    from reader.pdf import build_document

    document = build_document(library.essays, "", "corrected").document
    html = document.toHtml()
    for scheme in ("reader://", "related://"):
        assert f'href="{scheme}' not in html
    assert "The Axis alliance" in document.toPlainText() or "Axis alliance" in html
    image = document.resource(
        QTextDocument.ResourceType.ImageResource, QUrl(f"figure://{ESSAY_ID}/figure-1")
    )
    assert isinstance(image, QImage) and not image.isNull()


def test_dark_theme_leaves_no_light_panel_behind(main_window: MainWindow) -> None:
    from PySide6.QtWidgets import QAbstractItemView

    main_window.view_settings.set_theme("dark")
    QApplication.processEvents()  # the application palette reaches widgets by events
    light = [
        view.objectName() or type(view).__name__
        for view in main_window.findChildren(QAbstractItemView)
        if view.isVisibleTo(main_window)
        and view.viewport().palette().color(QPalette.ColorRole.Base).lightness() > 100
    ]
    assert light == []
