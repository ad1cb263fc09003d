"""The hidden way in for staff: hold the top-left corner of the screen for three seconds."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QWidget

CORNER_PX = 80
HOLD_MS = 3000


class CornerHold(QObject):
    """Emits ``triggered`` when the top-left corner of ``window`` is held for ``hold_ms``."""

    triggered = Signal()

    def __init__(self, window: QWidget, hold_ms: int = HOLD_MS) -> None:
        super().__init__(window)
        self.window = window
        self.timer = QTimer(self)
        self.timer.setObjectName("corner_hold_timer")
        self.timer.setSingleShot(True)
        self.timer.setInterval(hold_ms)
        self.timer.timeout.connect(self.triggered)

    def _in_corner(self, global_pos: QPoint) -> bool:
        local = self.window.mapFromGlobal(global_pos)
        return QRect(0, 0, CORNER_PX, CORNER_PX).contains(local)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            if self._in_corner(event.globalPosition().toPoint()) and self.window.isActiveWindow():
                self.timer.start()
        elif kind == QEvent.Type.MouseButtonRelease or (kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent) and self.timer.isActive()
              and not self._in_corner(event.globalPosition().toPoint())):
            self.timer.stop()
        return False
