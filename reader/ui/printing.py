"""Print, print preview and "Export…" from the window.

The pages are drawn by ``reader.pdf`` (the same as the PDF export: A4, running
head, page numbers, so the preview shows the pages the PDF has), in the reader's
current reading, in the light theme, for the whole essay or only the section
being read (chosen in the preview's toolbar).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QComboBox, QToolBar, QWidget

from reader import pdf
from reader.core.content import Essay, Library
from reader.core.export import Error as ExportError
from reader.core.export import export_html
from reader.core.themes import THEMES, theme_css

WHOLE_ESSAY = "essay"
CURRENT_SECTION = "section"


class PrintPreview(QPrintPreviewDialog):
    """A print preview with a choice of the whole essay or the current section."""

    def __init__(
        self,
        essay: Essay,
        section: str,
        base_css: str,
        reading: str,
        parent: QWidget | None = None,
    ) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(pdf.a4_layout())
        super().__init__(printer, parent)
        # The dialog does not own it: keep it alive as long. Not named ``printer``,
        # which would hide QPrintPreviewDialog.printer().
        self._printer = printer
        self.setObjectName("print_preview")
        self.setWindowTitle(f"Print Preview — {essay.title}")
        self.essay = essay
        self.section = section
        self.base_css = base_css
        self.reading = reading
        self._printer.setDocName(essay.title)
        self.scope = QComboBox(self)
        self.scope.setObjectName("print_scope")
        self.scope.setAccessibleName("What to print")
        self.scope.addItem("Whole essay", WHOLE_ESSAY)
        current = essay.section(section)
        title = current.title if current is not None else ""
        if section and title:
            self.scope.addItem("Current section", CURRENT_SECTION)
            self.scope.setItemData(1, title, Qt.ItemDataRole.ToolTipRole)
        self.scope.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        toolbar = self.findChild(QToolBar)
        if toolbar is not None:  # first, where it is seen (the end may overflow)
            actions = toolbar.actions()
            if actions:
                toolbar.insertWidget(actions[0], self.scope)
                toolbar.insertSeparator(actions[0])
            else:
                toolbar.addWidget(self.scope)
                toolbar.addSeparator()
        self.scope.currentIndexChanged.connect(self._on_scope_changed)
        self.paintRequested.connect(self.print_to)

    def selected_section(self) -> str:
        return self.section if self.scope.currentData() == CURRENT_SECTION else ""

    @Slot(QPrinter)
    def print_to(self, printer: QPrinter) -> None:
        printed = pdf.build_document(
            [self.essay],
            self.base_css,
            self.reading,
            self.selected_section(),
            layout=printer.pageLayout(),
        )
        pdf.paint_pages(printed, printer)

    @Slot()
    def _on_scope_changed(self) -> None:
        preview = self.findChild(QPrintPreviewWidget)
        if preview is not None:
            preview.updatePreview()


def export_library(library: Library, path: Path, base_css: str, reading: str) -> str:
    """Write the library as PDF or HTML by extension; returns a message for the status bar."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        try:
            pages = pdf.write_pdf(library.essays, path, base_css, reading)
        except pdf.Error as exc:
            raise ExportError(str(exc)) from exc
        return f"Exported {path.name} ({pages} pages)."
    if suffix in (".html", ".htm"):
        export_html(library, path, base_css + "\n" + theme_css(THEMES["light"]), reading)
        return f"Exported {path.name}."
    raise ExportError(f"cannot tell the format of {path.name!r}: name it *.pdf or *.html")
