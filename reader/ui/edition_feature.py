"""The edition's own layer: View › Edition's Links and Help › About This Edition.

The edition adds links inside the author's sentences; a reader may want the
author's text without them, so View › Edition's Links hides them (the choice
is kept in ``ViewSettings``). About This Edition shows the editorial policy,
every probable correction and judgement call, the added links and the
editor's notes, generated from the essay itself (``reader.core.edition``).
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from reader.ui.feature import Context, Feature, Menus


class AboutEditionDialog(QDialog):
    """The About This Edition page, in a dialog of its own (Esc closes it)."""

    def __init__(self, html: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about_edition_dialog")
        self.setWindowTitle(f"About This Edition — {title}")
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("about_edition_text")
        self.browser.setOpenLinks(False)  # the page only describes; links are not followed
        self.browser.setHtml(html)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(720, 640)


class EditionFeature(Feature):
    """View › Edition's Links and Help › About This Edition."""

    def build(self, context: Context) -> None:
        super().build(context)
        window = context.window
        self.links_action = QAction("Edition's &Links", window)
        self.links_action.setObjectName("editorial_links_action")
        self.links_action.setCheckable(True)
        self.links_action.setChecked(context.view_settings.editorial_links)
        self.links_action.setStatusTip(
            "Show the links this edition added to the author's sentences, or hide them"
        )
        self.about_action = QAction("About This &Edition", window)
        self.about_action.setObjectName("about_edition_action")
        self.dialog: AboutEditionDialog | None = None

    def add_menus(self, menus: Menus) -> None:
        menus.view.addSeparator()
        menus.view.addAction(self.links_action)
        last = menus.help.actions()[-1] if menus.help.actions() else None
        if last is None:
            menus.help.addAction(self.about_action)
        else:
            menus.help.insertAction(last, self.about_action)  # before About Reference Reader

    def connect(self) -> None:
        self.links_action.toggled.connect(self.context.view_settings.set_editorial_links)
        self.context.view_settings.changed.connect(self._follow_settings)
        self.about_action.triggered.connect(self.show_about_edition)

    @Slot()
    def _follow_settings(self) -> None:
        self.links_action.setChecked(self.context.view_settings.editorial_links)

    @Slot()
    def show_about_edition(self) -> None:
        from reader.core.edition import about_edition_html

        essay = self.context.reading_view.essay
        if essay is None:
            self.context.show_message("Open an essay to read about its edition.")
            return
        html = about_edition_html(essay)
        if self.dialog is None:
            self.dialog = AboutEditionDialog(html, essay.title, self.context.window)
        else:
            self.dialog.browser.setHtml(html)
            self.dialog.setWindowTitle(f"About This Edition — {essay.title}")
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        self.dialog.browser.setFocus()

    def shut_down(self) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.close()
