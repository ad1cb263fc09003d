"""The base of every staff screen: a frameless, modal sheet over the kiosk window, in one
readable look whatever the patient chose, that closes itself when left alone (the window's
``staff_idle_ms``)."""

from __future__ import annotations

import logging
import weakref

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QHideEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from kiosk.ui.idle import INPUT_EVENTS
from kiosk.ui.input_guard import InputGuard
from kiosk.ui.locked import STAFF_IDLE_MS, LockedWindow
from kiosk.ui.theme import WARM, style_sheet

log = logging.getLogger(__name__)

STAFF_STYLE = (style_sheet(WARM, 1.0) + f"""
QDialog {{ background: {WARM.surface}; border: 4px solid {WARM.primary}; }}
QDialog QLabel {{ color: {WARM.text}; }}
""")


class StaffDialog(QDialog):
    """A frameless, modal sheet over the kiosk window (never a separate desktop window)."""

    # The staff screens on show, for ``shown_over``: looking for them among the window's
    # thousand widgets on every session reset cost more than a millisecond.
    _shown: weakref.WeakSet[StaffDialog] = weakref.WeakSet()

    @classmethod
    def shown_over(cls, window: QWidget) -> list[StaffDialog]:
        """The staff screens on show over ``window``: its children, or theirs (a message over the panel)."""
        return [dialog for dialog in list(cls._shown) if _descends_from(dialog, window)]

    def __init__(self, parent: QWidget, object_name: str) -> None:
        super().__init__(parent, Qt.WindowType.FramelessWindowHint | Qt.WindowType.Dialog)
        self.host = parent  # the window it is centred on; parentWidget() may be None to the type checker
        self.setObjectName(object_name)
        self.setModal(True)
        # Staff screens keep one readable look whatever the patient chose (high contrast,
        # 200 % text): a sheet of the dialog's own wins over the window's for every rule.
        self.setStyleSheet(STAFF_STYLE)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.idle_timer = QTimer(self)
        self.idle_timer.setObjectName("staff_idle_timer")
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(parent.staff_idle_ms if isinstance(parent, LockedWindow) else STAFF_IDLE_MS)
        self.idle_timer.timeout.connect(self._left_alone)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        InputGuard.guard_window(self)
        super().showEvent(event)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        StaffDialog._shown.add(self)
        self.idle_timer.start()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        StaffDialog._shown.discard(self)
        self.idle_timer.stop()
        super().hideEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in INPUT_EVENTS and event.spontaneous():
            self.idle_timer.start()  # any touch, click or key: staff are still here
        return super().eventFilter(watched, event)

    def _left_alone(self) -> None:
        log.info("%s closed after %d s without input", self.objectName(), self.idle_timer.interval() // 1000)
        self.reject()

    def place(self, width: int, height: int) -> None:
        parent = self.host
        w = min(width, parent.width() - 40)
        layout = self.layout()
        needed = layout.totalHeightForWidth(w) if layout is not None and layout.hasHeightForWidth() else 0
        h = min(max(height, needed), parent.height() - 40)  # taller for a long message, never off the screen
        top_left = parent.mapToGlobal(QPoint((parent.width() - w) // 2, (parent.height() - h) // 2))
        self.setGeometry(top_left.x(), top_left.y(), w, h)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.reject()
            return
        super().keyPressEvent(event)


def _descends_from(child: QObject, ancestor: QObject) -> bool:
    """Whether ``ancestor`` is ``child``'s parent, or its parent's, and so on (across windows,
    which ``QWidget.isAncestorOf`` does not cross)."""
    parent = child.parent()
    while parent is not None:
        if parent is ancestor:
            return True
        parent = parent.parent()
    return False
