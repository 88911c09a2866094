"""Dialog buttons carry no icons, even where the platform asks for them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QMessageBox,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleHintReturn,
    QStyleOption,
    QWidget,
)

from reader.ui import style


class IconButtonsPlatform(QProxyStyle):
    """Stands in for a platform theme that wants icons on dialog buttons."""

    def styleHint(
        self,
        hint: QStyle.StyleHint,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
        return_data: QStyleHintReturn | None = None,
    ) -> int:
        if hint == QStyle.StyleHint.SH_DialogButtonBox_ButtonsHaveIcons:
            return 1
        return super().styleHint(hint, option, widget, return_data)


@pytest.fixture
def platform_with_icons(qapp: QApplication) -> Iterator[QApplication]:
    name = qapp.style().name()
    qapp.setStyle(IconButtonsPlatform(QStyleFactory.create(name)))
    yield qapp
    qapp.setStyle(QStyleFactory.create(name))  # the next tests get the plain style back


def _message_box(qtbot) -> QMessageBox:
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Delete folder",
        "Delete the folder and its bookmarks?",
        QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
    )
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    return box


def test_without_the_reader_style_such_a_platform_puts_icons_on_buttons(
    qtbot, platform_with_icons: QApplication
) -> None:
    box = _message_box(qtbot)
    assert box.buttons() and all(not b.icon().isNull() for b in box.buttons())


def test_the_reader_style_shows_dialog_buttons_without_icons(
    qtbot, platform_with_icons: QApplication
) -> None:
    platform = platform_with_icons.style()
    installed = style.install(platform_with_icons)
    assert platform_with_icons.style() is installed
    assert installed.baseStyle() is platform
    box = _message_box(qtbot)
    assert len(box.buttons()) == 2
    assert all(b.icon().isNull() for b in box.buttons())
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Discard
    )
    qtbot.addWidget(buttons)
    buttons.show()
    assert [b.icon().isNull() for b in buttons.buttons()] == [True, True]
    assert [b.text().replace("&", "") for b in buttons.buttons()].count("Save") == 1
    # Everything else still comes from the platform's style.
    kept = (QStyle.StyleHint.SH_Menu_SubMenuPopupDelay, QStyle.StyleHint.SH_ToolTip_WakeUpDelay)
    for hint in kept:
        assert installed.styleHint(hint) == platform.styleHint(hint)
