"""The kiosk window: the welcome screen, or the walkthrough inside a persistent frame.

The frame has the progress bar of sections (tap to jump) at the top, and Back,
Start over, the care-team line and Next at the bottom. It only emits intents.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QStackedLayout, QStackedWidget, QVBoxLayout, QWidget

from kiosk.core.content import ContentPack
from kiosk.ui.widgets import KioskButton, set_role, set_state

log = logging.getLogger(__name__)


class ProgressBar(QFrame):
    """One button per section; the current one filled, visited ones outlined."""

    section_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Header")
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(24, 12, 24, 12)
        self.row.setSpacing(12)
        self.buttons: dict[str, KioskButton] = {}

    def set_pack(self, pack: ContentPack) -> None:
        for button in self.buttons.values():
            button.deleteLater()
        self.buttons = {}
        while self.row.count():
            self.row.takeAt(0)
        self.setAccessibleName(pack.text("progress"))
        for section in pack.sections:
            button = KioskButton(section.label, f"section-{section.id}", "section")
            button.clicked.connect(lambda _=False, sid=section.id: self.section_requested.emit(sid))
            self.buttons[section.id] = button
            self.row.addWidget(button, 1)

    def show_position(self, pack: ContentPack, page_index: int) -> None:
        current = pack.pages[page_index].section
        order = [s.id for s in pack.sections]
        for sid, button in self.buttons.items():
            if sid == current:
                state = "current"
            elif order.index(sid) < order.index(current):
                state = "done"
            else:
                state = ""
            set_state(button, state)
            button.setAccessibleDescription("current" if sid == current else "")


class Footer(QFrame):
    back_requested = Signal()
    home_requested = Signal()
    next_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Footer")
        row = QHBoxLayout(self)
        row.setContentsMargins(24, 12, 24, 12)
        row.setSpacing(16)
        self.back = KioskButton("Back", "back")
        self.home = KioskButton("Start over", "home")
        self.disclaimer = QLabel()
        self.disclaimer.setObjectName("disclaimer")
        self.disclaimer.setWordWrap(True)
        self.disclaimer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        set_role(self.disclaimer, "disclaimer")
        self.next = KioskButton("Next", "next", "primary")
        self.back.clicked.connect(self.back_requested)
        self.home.clicked.connect(self.home_requested)
        self.next.clicked.connect(self.next_requested)
        row.addWidget(self.back)
        row.addWidget(self.home)
        row.addWidget(self.disclaimer, 1)
        row.addWidget(self.next)

    def set_pack(self, pack: ContentPack) -> None:
        self.back.setText(pack.text("back"))
        self.home.setText(pack.text("home"))
        self.disclaimer.setText(pack.text("disclaimer"))

    def show_position(self, pack: ContentPack, page_index: int) -> None:
        last = page_index == len(pack.pages) - 1
        self.next.setText(pack.text("done") if last else pack.text("next"))
        self.next.setObjectName("done" if last else "next")


class KioskWindow(QWidget):
    """Top-level window. Refuses to close unless ``allow_close()`` was called first."""

    back_requested = Signal()
    resized = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("KioskWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self._may_close = False
        self.screens = QStackedLayout(self)
        self.welcome_holder = QWidget()
        self.welcome_holder.setObjectName("WelcomeHolder")
        self.welcome_layout = QVBoxLayout(self.welcome_holder)
        self.welcome_layout.setContentsMargins(0, 0, 0, 0)
        self.walkthrough = QWidget()
        self.walkthrough.setObjectName("Walkthrough")
        column = QVBoxLayout(self.walkthrough)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.progress = ProgressBar()
        self.pages = QStackedWidget()
        self.pages.setObjectName("Pages")
        self.footer = Footer()
        column.addWidget(self.progress)
        column.addWidget(self.pages, 1)
        column.addWidget(self.footer)
        self.screens.addWidget(self.welcome_holder)
        self.screens.addWidget(self.walkthrough)

    def show_welcome(self) -> None:
        self.screens.setCurrentWidget(self.welcome_holder)

    def show_walkthrough(self) -> None:
        self.screens.setCurrentWidget(self.walkthrough)

    def on_welcome(self) -> bool:
        return self.screens.currentWidget() is self.welcome_holder

    def allow_close(self) -> None:
        """Only the staff panel's "Exit to desktop" calls this."""
        self._may_close = True

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self._may_close:
            event.accept()
        else:
            log.info("close request refused (only staff can exit)")
            event.ignore()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        # A window manager shortcut may try to un-fullscreen or minimise us: undo it.
        if event.type() == QEvent.Type.WindowStateChange and self.property("kiosk_fullscreen"):
            if not self.isFullScreen() or self.isMinimized():
                self.setWindowState(Qt.WindowState.WindowFullScreen)
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.resized.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.back_requested.emit()
        elif key == Qt.Key.Key_Down:
            self.focusNextPrevChild(True)
        elif key == Qt.Key.Key_Up:
            self.focusNextPrevChild(False)
        # Everything else (F11, Ctrl+W/Q/N/P/S/O, Alt+F4 as a key) is swallowed here.
        event.accept()
