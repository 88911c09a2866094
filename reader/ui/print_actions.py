"""File › Print… and File › Export as PDF or HTML…, in the current reading.

The print preview and the export code (Qt's print support) are imported when
first used. The export dialog opens in the folder last exported to; when the
file is written, a small box offers to open it or its folder (nothing is opened
unless the reader asks).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Slot
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox

from reader.core.readings import READING_LABELS
from reader.ui.feature import Context, Feature, Menus

#: The folder the last export went to (QSettings key).
EXPORT_FOLDER_KEY = "export/folder"


class PrintExport(Feature):
    """The Print and Export entries of the File menu."""

    def build(self, context: Context) -> None:
        super().build(context)
        window = context.window
        self.preview: QDialog | None = None
        self.done_box: QMessageBox | None = None
        self.print_action = QAction("&Print…", window)
        self.print_action.setObjectName("print_action")
        self.print_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.print_action.setStatusTip("Print preview and print")
        self.export_action = QAction("&Export as PDF or HTML…", window)
        self.export_action.setObjectName("export_action")
        self.export_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        context.add_action(self.print_action)
        context.add_action(self.export_action)

    def add_menus(self, menus: Menus) -> None:
        first = menus.file.actions()[0] if menus.file.actions() else None
        if first is None:
            menus.file.addActions([self.print_action, self.export_action])
        else:
            menus.file.insertActions(first, [self.print_action, self.export_action])
            menus.file.insertSeparator(first)

    def connect(self) -> None:
        self.print_action.triggered.connect(self.print_preview)
        self.export_action.triggered.connect(self.export_dialog)

    @Slot()
    def print_preview(self) -> None:
        from reader.ui.printing import PrintPreview

        context = self.context
        essay = context.current_essay
        if essay is None:
            context.show_message("Nothing to print.")
            return
        settings = context.view_settings
        self.preview = PrintPreview(
            essay,
            context.reading_view.section_at_top(),
            settings.base_css,
            settings.reading,
            context.window,
        )
        self.preview.exec()

    @Slot()
    def export_dialog(self) -> None:
        from reader.core.export import Error as ExportError
        from reader.ui.printing import export_library

        context = self.context
        essay = context.current_essay
        if essay is None:
            context.show_message("Nothing to export.")
            return
        reading = context.view_settings.reading
        folder = Path(str(context.settings.value(EXPORT_FOLDER_KEY, "") or Path.home()))
        if not folder.is_dir():
            folder = Path.home()
        path, chosen = QFileDialog.getSaveFileName(
            context.window,
            f"Export ({READING_LABELS[reading]} reading)",
            str(folder / f"{essay.id}.pdf"),
            "PDF document (*.pdf);;Web page (*.html *.htm)",
        )
        if not path:
            return
        target = Path(path)
        if not target.suffix:  # the format from the chosen filter
            target = target.with_suffix(".html" if "html" in chosen else ".pdf")
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            message = export_library(
                context.library, target, context.view_settings.base_css, reading
            )
        except ExportError as exc:
            QMessageBox.warning(context.window, "Export failed", str(exc))
            return
        finally:
            QApplication.restoreOverrideCursor()
        context.settings.setValue(EXPORT_FOLDER_KEY, str(target.parent))
        context.show_message(message)
        self.offer_to_open(target, message)

    def offer_to_open(self, target: Path, message: str) -> None:
        """A box, not modal, with Open and Show Folder: nothing opens unless clicked."""
        if self.done_box is not None:
            self.done_box.close()
        box = QMessageBox(QMessageBox.Icon.NoIcon, "Export", message,
                          QMessageBox.StandardButton.Close, self.context.window)
        box.setObjectName("export_done")
        box.setInformativeText(str(target))
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        open_file = box.addButton("&Open", QMessageBox.ButtonRole.AcceptRole)
        open_file.setObjectName("export_open")
        open_folder = box.addButton("Show &Folder", QMessageBox.ButtonRole.ActionRole)
        open_folder.setObjectName("export_open_folder")
        open_file.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))))
        open_folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(target.parent))))
        box.destroyed.connect(self._forget_box)
        self.done_box = box
        box.show()

    @Slot()
    def _forget_box(self) -> None:
        self.done_box = None
