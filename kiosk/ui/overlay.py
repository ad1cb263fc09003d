"""The idle countdown that covers the window: "Are you still there?" + one big button."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from kiosk.core.content import ContentPack
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import KioskButton, set_role


class IdleOverlay(QWidget):
    still_here = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("idle-overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, False)
        self._dim = QColor(0, 0, 0, 150)
        outer = QVBoxLayout(self)
        outer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.card = QFrame()
        self.card.setObjectName("overlay-card")
        self.card.setMaximumWidth(900)
        column = QVBoxLayout(self.card)
        column.setContentsMargins(48, 40, 48, 40)
        column.setSpacing(20)
        self.title = QLabel()
        self.title.setObjectName("idle-title")
        self.title.setWordWrap(True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        set_role(self.title, "welcome-title")
        self.body = QLabel()
        self.body.setObjectName("idle-body")
        self.body.setWordWrap(True)
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.button = KioskButton("", "still-here", "start")
        self.button.clicked.connect(self.still_here)
        column.addWidget(self.title)
        column.addWidget(self.body)
        column.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addWidget(self.card)
        parent.installEventFilter(self)
        self.hide()

    def set_pack(self, pack: ContentPack, theme: Theme) -> None:
        self.pack = pack
        self.title.setText(pack.text("idle_title"))
        self.button.setText(pack.text("still_here"))
        self.card.setStyleSheet(f"QFrame#overlay-card {{ background: {theme.background}; border: 4px solid {theme.border}; border-radius: 24px; }}")

    def show_seconds(self, seconds: int) -> None:
        self.body.setText(self.pack.text("idle_body", seconds=seconds))

    def open(self, seconds: int) -> None:
        self.show_seconds(seconds)
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()
        self.button.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(self.rect(), self._dim)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        # A tap anywhere on the dimmed screen also means "I'm still here".
        self.still_here.emit()
        event.accept()
