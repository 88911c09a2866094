"""File › Print… and File › Export as PDF or HTML…, in the current reading.

The print preview and the export code (Qt's print support) are imported when
first used.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox

from reader.core.readings import READING_LABELS
from reader.ui.feature import Context, Feature, Menus


class PrintExport(Feature):
    """The Print and Export entries of the File menu."""

    def build(self, context: Context) -> None:
        super().build(context)
        window = context.window
        self.preview: QDialog | None = None
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
        path, chosen = QFileDialog.getSaveFileName(
            context.window,
            f"Export ({READING_LABELS[reading]} reading)",
            str(Path.home() / f"{essay.id}.pdf"),
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
        context.show_message(message)
