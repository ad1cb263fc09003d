"""What every top-level kiosk screen shares: a patient cannot close it, un-fullscreen it or
minimise it; only staff (``allow_close``) can let it go."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QWidget

from kiosk.ui.input_guard import InputGuard

log = logging.getLogger(__name__)

STAFF_IDLE_MS = 60_000  # a staff screen left alone this long closes itself


class LockedWindow(QWidget):
    """Top-level window. Refuses to close unless ``allow_close()`` was called first.

    ``staff_idle_ms`` is how long a staff screen over this window may be left alone before
    it closes itself (the controller shortens it to the configured idle time)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self._may_close = False
        self.staff_idle_ms = STAFF_IDLE_MS

    def allow_close(self) -> None:
        """Only the staff panel's "Exit to desktop" calls this."""
        self._may_close = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        InputGuard.guard_window(self)
        super().showEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self._may_close:
            event.accept()
        else:
            log.info("close request refused (only staff can exit)")
            event.ignore()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        # A window manager shortcut may try to un-fullscreen or minimise us: undo it.
        if (event.type() == QEvent.Type.WindowStateChange and self.property("kiosk_fullscreen")
                and (not self.isFullScreen() or self.isMinimized())):
            self.setWindowState(Qt.WindowState.WindowFullScreen)
        super().changeEvent(event)
