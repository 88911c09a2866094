"""The Index dock: the index of names, like the Index tab of Qt Assistant.

An alphabetical list of names, each with its kind and how often the text
mentions it (long names shortened in the middle, so that names sharing a
beginning stay apart), filtered as the reader types (any spelling:
"Ploiesti" finds Ploesti) and by kind. The list has most of the height;
selecting a name shows its description
and every mention with a line of context, grouped by section; activating a
mention emits ``mention_activated(document, section, text, occurrence)``,
where ``occurrence`` counts earlier occurrences of ``text`` in the section, so
the reading view can find and select that very one (``ReadingView.select_text``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from html import escape

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSignalBlocker,
    QSortFilterProxyModel,
    Qt,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QPalette,
    QStandardItem,
    QStandardItemModel,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from reader.core.content import Library
from reader.core.xref import KIND_LABELS, KINDS, Entry, Index, Mention, fold

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2
TERMS_ROLE = Qt.ItemDataRole.UserRole + 3
#: What the list shows right-aligned after a name: its kind and mention count.
SUFFIX_ROLE = Qt.ItemDataRole.UserRole + 4
#: The list's share of the panel's height (the details get the rest).
LIST_SHARE = 0.7


def elide_middle(text: str, metrics: QFontMetrics, room: int) -> str:
    """``text`` cut in the middle to fit ``room`` pixels, keeping twice as much of its
    beginning as of its end: "Strike Sou…ction" and "Strike Nor…ction" stay apart."""
    if metrics.horizontalAdvance(text) <= room:
        return text
    for kept in range(len(text) - 1, 1, -1):
        head = (2 * kept + 2) // 3
        shown = text[:head].rstrip() + "\u2026" + text[len(text) - (kept - head):].lstrip()
        if metrics.horizontalAdvance(shown) <= room:
            return shown
    return text[:1] + "\u2026"


class EntryDelegate(QStyledItemDelegate):
    """A name (shortened in the middle when long) and, right-aligned, "kind · count"."""

    GAP = 8

    def texts(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
              ) -> tuple[str, str]:
        """What a row shows in ``option.rect``: (the name, elided; the suffix)."""
        metrics = QFontMetrics(option.font)  # type: ignore[attr-defined]
        name = str(index.data() or "")
        suffix = str(index.data(SUFFIX_ROLE) or "")
        width = option.rect.width() - 8 - self.GAP  # type: ignore[attr-defined]
        if metrics.horizontalAdvance(name + suffix) > width:
            suffix = suffix.rsplit(" ", 1)[-1]  # short of room: the count alone
        room = max(24, width - metrics.horizontalAdvance(suffix))
        return elide_middle(name, metrics, room), suffix

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        name, suffix = self.texts(item, index)
        item.text = ""  # type: ignore[attr-defined]
        widget = item.widget  # type: ignore[attr-defined]
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, widget)
        selected = bool(item.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        palette: QPalette = item.palette  # type: ignore[attr-defined]
        ink = palette.color(QPalette.ColorRole.HighlightedText if selected
                            else QPalette.ColorRole.Text)
        rect: QRect = item.rect.adjusted(4, 0, -4, 0)  # type: ignore[attr-defined]
        painter.save()
        painter.setFont(item.font)  # type: ignore[attr-defined]
        painter.setPen(ink)
        middle = Qt.AlignmentFlag.AlignVCenter
        painter.drawText(rect, middle | Qt.AlignmentFlag.AlignLeft, name)
        if not selected:  # the suffix quieter than the name, still readable
            faded = palette.color(QPalette.ColorRole.Text)
            faded.setAlphaF(0.72)
            painter.setPen(faded)
        painter.drawText(rect, middle | Qt.AlignmentFlag.AlignRight, suffix)
        painter.restore()


class _EntryFilter(QSortFilterProxyModel):
    """Keeps entries whose name or any alias contains the typed text (folded)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._kind = ""

    def set_text(self, text: str) -> None:
        self._refilter(lambda: setattr(self, "_text", " ".join(fold(text).split())))

    def set_kind(self, kind: str) -> None:
        self._refilter(lambda: setattr(self, "_kind", kind))

    def _refilter(self, change: Callable[[], None]) -> None:
        # Qt 6.9 replaced invalidateFilter() (now deprecated) by begin/endFilterChange().
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            change()
            self.invalidateFilter()

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        item = self.sourceModel().index(source_row, 0, source_parent)
        if self._kind and item.data(KIND_ROLE) != self._kind:
            return False
        if not self._text:
            return True
        terms: str = item.data(TERMS_ROLE) or ""
        return self._text in terms


class IndexPanel(QWidget):
    """Names, a filter, a kind selector, and the selected name's mentions."""

    mention_activated = Signal(str, str, str, int)  # document, section, text, occurrence
    entry_selected = Signal(str)

    def __init__(self, index: Index, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("index_panel")
        self.index = index
        self.library = library
        self._mentions: list[Mention] = []
        self._entry: Entry | None = None

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("index_filter")
        self.filter_edit.setPlaceholderText("Filter names")
        self.filter_edit.setToolTip("Type a name in any spelling: Ploiesti finds Ploesti")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Filter the index")
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("index_kind")
        self.kind_combo.setAccessibleName("Kind of name")
        self.model = QStandardItemModel(self)
        self._fill()
        self.proxy = _EntryFilter(self)
        self.proxy.setSourceModel(self.model)
        self.list_view = QListView(self)
        self.list_view.setObjectName("index_list")
        self.list_view.setModel(self.proxy)
        self.list_view.setUniformItemSizes(True)
        self.list_view.setAccessibleName("Names")
        self.list_view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.delegate = EntryDelegate(self.list_view)
        self.list_view.setItemDelegate(self.delegate)

        self.details = QTextBrowser(self)
        self.details.setObjectName("index_details")
        self.details.setOpenLinks(False)
        self.details.setAccessibleName("Description and mentions")
        self.count_label = QLabel(self)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.filter_edit, 3)
        top.addWidget(self.kind_combo, 2)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.setObjectName("index_split")
        split.addWidget(self.list_view)
        split.addWidget(self.details)
        split.setChildrenCollapsible(False)
        # The names get most of the height; the details a compact share, more on drag.
        split.setStretchFactor(0, 7)
        split.setStretchFactor(1, 3)
        split.setSizes([round(1000 * LIST_SHARE), round(1000 * (1 - LIST_SHARE))])
        self.details.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)
        self.splitter = split
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.count_label)
        layout.addWidget(split, 1)

        self.filter_edit.textChanged.connect(self.set_filter)
        self.filter_edit.returnPressed.connect(self._activate_first)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.list_view.selectionModel().currentChanged.connect(self._on_current_changed)
        self.list_view.activated.connect(self._on_activated)
        self.details.anchorClicked.connect(self._on_link)
        self._update_count()
        self._show_details(None)

    def _fill(self) -> None:
        """The kinds present and the names of ``self.index``, with their mention counts."""
        self.kind_combo.clear()
        self.kind_combo.addItem("All kinds", "")
        present = {e.kind for e in self.index.entries}
        for kind in KINDS:
            if kind in present:
                self.kind_combo.addItem(KIND_LABELS[kind], kind)
        self.model.clear()
        counts = Counter(mention.entry for mention in self.index.mentions)
        for entry in self.index.entries:
            item = QStandardItem(entry.name)
            item.setEditable(False)
            item.setData(entry.id, ENTRY_ROLE)
            item.setData(entry.kind, KIND_ROLE)
            item.setData(" | ".join(fold(t) for t in (entry.name, *entry.aliases)), TERMS_ROLE)
            count = counts[entry.id]
            kind = entry.kind  # one word: person, place, ship...
            item.setData(f"{kind} \u00b7 {count}", SUFFIX_ROLE)
            times = "1 mention" if count == 1 else f"{count} mentions"
            item.setData(f"{kind}, {times}", Qt.ItemDataRole.AccessibleDescriptionRole)
            item.setToolTip(f"{entry.name}\n{kind}, {times}\n\n{entry.description}")
            self.model.appendRow(item)

    def set_index(self, index: Index, library: Library) -> None:
        """Show another library's index (after an import): its names and their counts, the
        filter and the kind kept, the selected name still selected if it is there."""
        selected = self._entry.id if self._entry is not None else ""
        kind = self.kind_combo.currentData() or ""
        self.index, self.library = index, library
        with QSignalBlocker(self.kind_combo):
            self._fill()
            self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(kind)))
        self.proxy.set_kind(self.kind_combo.currentData() or "")
        self._update_count()
        entry = index.entry(selected) if selected else None
        self._show_details(None)
        if entry is not None:
            self.show_entry(entry.id)

    # -- filtering ------------------------------------------------------------------------

    @Slot(str)
    def set_filter(self, text: str) -> None:
        if self.filter_edit.text() != text:
            self.filter_edit.setText(text)  # re-enters through textChanged
            return
        self.proxy.set_text(text)
        self._update_count()
        if self.proxy.rowCount() and text.strip():
            self.list_view.setCurrentIndex(self.proxy.index(0, 0))

    def set_kind(self, kind: str) -> None:
        position = self.kind_combo.findData(kind)
        self.kind_combo.setCurrentIndex(max(0, position))

    @Slot(int)
    def _on_kind_changed(self, _position: int) -> None:
        self.proxy.set_kind(self.kind_combo.currentData() or "")
        self._update_count()

    def visible_names(self) -> list[str]:
        return [self.proxy.index(row, 0).data() for row in range(self.proxy.rowCount())]

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(
            f"{total} names" if shown == total else f"{shown} of {total} names"
        )

    @Slot()
    def _activate_first(self) -> None:
        """Enter in the filter opens the first name's first mention (as in Qt Assistant)."""
        if self.proxy.rowCount():
            self.list_view.setCurrentIndex(self.proxy.index(0, 0))
            self.list_view.setFocus(Qt.FocusReason.OtherFocusReason)
            self.activate_mention(0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Up/Down in the filter move through the list, as in Qt Assistant.
        if self.filter_edit.hasFocus() and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self.list_view.setFocus(Qt.FocusReason.OtherFocusReason)
        super().keyPressEvent(event)

    # -- selection and details ---------------------------------------------------------------

    def show_entry(self, entry_id: str) -> bool:
        """Select an entry (clearing filters that hide it); False if unknown."""
        for row in range(self.model.rowCount()):
            if self.model.item(row).data(ENTRY_ROLE) == entry_id:
                if not self.proxy.mapFromSource(self.model.index(row, 0)).isValid():
                    self.filter_edit.clear()
                    self.kind_combo.setCurrentIndex(0)
                proxy_index = self.proxy.mapFromSource(self.model.index(row, 0))
                self.list_view.setCurrentIndex(proxy_index)
                self.list_view.scrollTo(proxy_index)
                return True
        return False

    @property
    def current_entry(self) -> Entry | None:
        return self._entry

    @Slot(QModelIndex, QModelIndex)
    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._select(current)

    @Slot(QModelIndex)
    def _on_activated(self, current: QModelIndex) -> None:
        """Enter or double-click on a name opens its first mention."""
        self._select(current)
        self.activate_mention(0)

    def _select(self, current: QModelIndex) -> None:
        entry = self.index.entry(current.data(ENTRY_ROLE)) if current.isValid() else None
        self._show_details(entry)
        if entry is not None:
            self.entry_selected.emit(entry.id)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "details"):
            self._show_details(self._entry)  # the theme changed: its colours, not the old ones

    def _show_details(self, entry: Entry | None) -> None:
        self._entry = entry
        self._mentions = []
        # Colours from the theme's palette: readable on the pane's background in every theme.
        palette = self.details.palette()
        muted = palette.color(QPalette.ColorRole.PlaceholderText).name()
        link = palette.color(QPalette.ColorRole.Link).name()
        if entry is None:
            self.details.setHtml(
                f"<p style='color:{muted}'>Select a name to see its description and every "
                "place the essay mentions it.</p>"
            )
            return
        parts = [f"<h3 style='margin-bottom:2px'>{escape(entry.name)}</h3>"]
        kind = KIND_LABELS.get(entry.kind, entry.kind).rstrip("s").lower()
        also = f" · also: {escape(', '.join(entry.aliases))}" if entry.aliases else ""
        parts.append(f"<p style='color:{muted}; margin-top:0'><i>{escape(kind)}</i>{also}</p>")
        parts.append(f"<p>{escape(entry.description)}</p>")
        mentions = self.index.mentions_of(entry.id)
        if not mentions:
            parts.append("<p><i>Not mentioned in the text.</i></p>")
        for document, section, count in self.index.counts(entry.id):
            found = self.library.section(document, section)
            title = found.title if found else section
            times = "1 mention" if count == 1 else f"{count} mentions"
            parts.append(f"<p style='margin-bottom:0'><b>{escape(title)}</b> "
                         f"<span style='color:{muted}'>({times})</span></p>")
            for mention in mentions:
                if (mention.document, mention.section) != (document, section):
                    continue
                number = len(self._mentions)
                self._mentions.append(mention)
                before, name, after = self.index.context(mention, width=48)
                parts.append(
                    f"<p style='margin:2px 0 2px 14px'><a href='mention:{number}' "
                    f"style='text-decoration:none; color:inherit'>{escape(before)}"
                    f"<b style='color:{link}'>{escape(name)}</b>{escape(after)}</a></p>"
                )
        self.details.setHtml("".join(parts))
        self.details.moveCursor(QTextCursor.MoveOperation.Start)

    def mentions_shown(self) -> list[Mention]:
        """The mentions listed for the selected entry, in the order shown."""
        return list(self._mentions)

    def activate_mention(self, number: int) -> None:
        """Emit ``mention_activated`` for the ``number``-th mention shown."""
        if not 0 <= number < len(self._mentions):
            return
        mention = self._mentions[number]
        text = self.index.texts.get((mention.document, mention.section), "")
        occurrence = text[: mention.start].casefold().count(mention.text.casefold())
        self.mention_activated.emit(mention.document, mention.section, mention.text, occurrence)

    @Slot(QUrl)
    def _on_link(self, url: QUrl) -> None:
        if url.scheme() == "mention" and url.path().isdigit():
            self.activate_mention(int(url.path()))

