"""The welcome (attract) screen: what this is, the language choice, "Touch to start"."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QMouseEvent, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.core.content import ContentLibrary, ContentPack
from kiosk.core.resources import asset
from kiosk.ui.widgets import Illustration, KineticScrollArea, KioskButton, PlainLabel, ScrollBody, set_role, set_state

DEMO_BANNER = "Demo set-up: clinic name and phone are examples. Staff: set clinic_name and clinic_phone in the config file."
MARGIN_X, MARGIN_Y = 48, 12  # around the content, plus the drift's radius on every side


class WelcomePage(QWidget):
    """Emits ``start_requested`` on any touch, ``language_requested(code)`` from its buttons."""

    start_requested = Signal()
    language_requested = Signal(str)

    def __init__(self, library: ContentLibrary, pack: ContentPack, idle_minutes: int, demo: bool, scale: float = 1.0,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scale = scale
        self.setObjectName("page-welcome")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.banner: QLabel | None = None
        if demo:
            # Above the scrolling part: it never slides off, whatever the panel and text size.
            self.banner = PlainLabel(pack.text("demo_banner") if "demo_banner" in pack.ui else DEMO_BANNER)
            self.banner.setObjectName("demo-banner")
            self.banner.setWordWrap(True)
            set_role(self.banner, "demo")
            outer.addWidget(self.banner)
        # In a flick-scroll area so that at 200 % text on a small panel nothing is cut off.
        self.scroll_area = KineticScrollArea()
        self.content = _TouchArea()
        self.content.setObjectName("PageBody")
        self.content.touched.connect(self.start_requested)
        self.scroll_area.setWidget(self.content)
        outer.addWidget(self.scroll_area)
        column = QVBoxLayout(self.content)
        self.column = column
        # Burn-in protection: the whole screen drifts a few pixels every few seconds.
        self.drift_timer = QTimer(self)
        self.drift_timer.setObjectName("drift_timer")
        self.drift_timer.setInterval(4000)
        self.drift_timer.timeout.connect(self.drift)
        self.drift_step = 0
        self._place_drift()
        column.setSpacing(18)
        # The picture takes the height the rest leaves (none on a small panel with large
        # text), so the welcome screen fits without scrolling where it can.
        self.picture = Illustration(asset("illustrations", "welcome.svg"), pack.text("welcome_title"), max_height=340,
                                    fit_height=True)
        self.picture.setObjectName("welcome-illustration")
        column.addWidget(self.picture, 1)
        self.title = PlainLabel(pack.text("welcome_title"))
        self.title.setObjectName("welcome-title")
        self.title.setWordWrap(True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        set_role(self.title, "welcome-title")
        column.addWidget(self.title)
        self.body = PlainLabel(pack.text("welcome_body"))
        self.body.setObjectName("welcome-body")
        self.body.setWordWrap(True)
        self.body.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.body)
        self.start = KioskButton(pack.text("start"), "start", "start")
        self.start.clicked.connect(self.start_requested)
        column.addWidget(self.start, 0, Qt.AlignmentFlag.AlignHCenter)
        self.language_buttons: dict[str, KioskButton] = {}
        if len(library.packs) > 1:
            row = QHBoxLayout()
            row.setSpacing(24)
            row.addStretch(1)
            for code, other in library.packs.items():
                # Each language is named in itself: "English", "Español".
                button = KioskButton(other.name, f"language-{code}", "language")
                set_state(button, "current" if code == pack.language else "")
                button.clicked.connect(lambda _=False, c=code: self.language_requested.emit(c))
                self.language_buttons[code] = button
                row.addWidget(button)
            row.addStretch(1)
            column.addLayout(row)
        self.idle_note = PlainLabel(pack.text("idle_note", minutes=idle_minutes))
        self.idle_note.setObjectName("idle-note")
        self.idle_note.setWordWrap(True)
        self.idle_note.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        set_role(self.idle_note, "muted")
        column.addWidget(self.idle_note)

    def speech_parts(self) -> list[str]:
        return [self.title.text(), self.body.text(), self.start.text(), self.idle_note.text()]

    DRIFT_RADIUS = 24
    DRIFT_STEPS = 150  # one slow circle every 10 minutes at 4 s a step

    def drift(self) -> None:
        """Move the content one step along a slow loop that starts and ends in the centre."""
        self.drift_step = (self.drift_step + 1) % self.DRIFT_STEPS
        self._place_drift()

    def _place_drift(self) -> None:
        # The margins always add up to the same width and height, so drifting never
        # changes the layout's size (a scroll bar must not come and go with it).
        angle = 2 * math.pi * self.drift_step / self.DRIFT_STEPS
        rx, ry = self.DRIFT_RADIUS, self.DRIFT_RADIUS // 2
        dx = round(rx * math.sin(angle))
        dy = round(ry * math.sin(2 * angle))  # a figure of eight through the centre
        self.column.setContentsMargins(MARGIN_X + rx + dx, MARGIN_Y + ry + dy, MARGIN_X + rx - dx, MARGIN_Y + ry - dy)

    def drift_offset(self) -> tuple[int, int]:
        """How far the content sits from the centre, in pixels (0, 0 at the start)."""
        margins = self.column.contentsMargins()
        return (margins.left() - margins.right()) // 2, (margins.top() - margins.bottom()) // 2

    def restyle(self, scale: float) -> None:
        """A new text size (the window's style sheet does the rest)."""
        if scale != self.scale:
            self.scale = scale
            self._fit_picture()

    def _fit_picture(self) -> None:
        # With large text the words need the room; at 200 % the picture goes.
        self.picture.setVisible(self.scale < 2.0)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self.drift_step = 0  # every time it comes back, it starts in the centre
        self._place_drift()
        self.drift_timer.start()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        self.drift_timer.stop()
        super().hideEvent(event)



class _TouchArea(ScrollBody):
    """The welcome screen's background: "Touch to start" means a tap anywhere on it."""

    touched = Signal()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.touched.emit()
        super().mouseReleaseEvent(event)
