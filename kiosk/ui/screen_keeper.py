"""Keeps a fullscreen kiosk window on the screen when something outside the app takes it off.

A window manager shortcut or another X client can unmap the window (``xdotool
windowunmap``), send it to another desktop, or switch desktops under it; Qt then only
sees the window stop being exposed, and the patient sees a bare desktop. The keeper asks
to be on every desktop from the start, and when the window stays unexposed for
``restore_timer``'s interval it maps it again, fullscreen and active. A window that
another program destroyed (``xdotool windowclose``) cannot be put back: ``window_lost``
fires and the caller ends the process, so the supervisor starts a fresh one.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from kiosk.ui.x11 import X11Window

log = logging.getLogger(__name__)

RESTORE_MS = 250  # long enough for a window manager's own unmap-and-map, short for a patient
MAX_RESTORE_MS = 5000  # when putting it back keeps failing, try again at most this far apart


class ScreenKeeper(QObject):
    """Watches one top-level window (already given its fullscreen flags) while it is shown."""

    window_lost = Signal()

    def __init__(self, window: QWidget, restore_ms: int = RESTORE_MS) -> None:
        super().__init__(window)
        self.window = window
        self.restore_ms = restore_ms
        self.restores = 0
        self.restore_timer = QTimer(self)
        self.restore_timer.setObjectName("screen_restore_timer")
        self.restore_timer.setSingleShot(True)
        self.restore_timer.setInterval(restore_ms)
        self.restore_timer.timeout.connect(self._check)
        self._lost = False
        self._failed = 0  # restores in a row that have not brought it back yet
        self._ask_again = False  # ask for every desktop once the restored window is on screen
        self.x11 = X11Window(int(window.winId()))  # winId() creates the native window
        handle = window.windowHandle()
        assert handle is not None
        handle.installEventFilter(self)

    def show(self) -> None:
        """Show the window fullscreen, asking first to be on every desktop."""
        self.x11.ask_all_desktops()
        self.window.showFullScreen()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Expose:
            handle = self.window.windowHandle()
            timer = self.restore_timer
            if handle is not None and not handle.isExposed() and (not timer.isActive() or timer.remainingTime() > self.restore_ms):
                timer.start(self.restore_ms)
            elif handle is not None and handle.isExposed() and self._ask_again:
                # Asked before the map, the request can be lost: a window manager that is still
                # forgetting the hidden window (openbox erases _NET_WM_DESKTOP when it lets a
                # window go) wipes the property and ignores the message. Mapped and managed now,
                # the window is asked again, and the window manager obeys.
                self._ask_again = False
                self.x11.ask_all_desktops()
        return False

    def _check(self) -> None:
        w = self.window
        handle = w.windowHandle()
        if self._lost or not w.isVisible() or handle is None or handle.isExposed():
            self._failed = 0
            return  # closed by staff, or back on the screen
        if not self.x11.exists():
            self._lost = True
            log.error("the kiosk window was destroyed by another program; ending so the supervisor starts a fresh one")
            self.window_lost.emit()
            return
        self.restores += 1
        log.warning("the kiosk window was taken off the screen (unmapped, or moved to another desktop); "
                    "putting it back (%d so far)", self.restores)
        # Qt still believes the window is mapped: hide it to reset that, then map it again.
        w.hide()
        self.show()
        self._ask_again = True
        w.raise_()
        w.activateWindow()
        # Look again: a window manager that refuses the first time gets asked again, less often.
        self._failed += 1
        self.restore_timer.start(min(self.restore_ms * 2 ** self._failed, MAX_RESTORE_MS))
