"""Tells the supervisor the kiosk is up and its event loop is turning.

READY=1 once the window's first paint is on the screen; then WATCHDOG=1 from a timer, so
the pings stop as soon as the event loop stops turning (a hang in a slot, a deadlock), and
systemd (``WatchdogSec=`` in build_spec/tmbb-kiosk.service) kills and restarts the kiosk.
Without $NOTIFY_SOCKET (a developer, Windows) it does nothing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from kiosk.systemd import notify, watchdog_interval_ms


class Heartbeat(QObject):
    """Watches one window's first paint, then keeps the watchdog fed."""

    ready = Signal()

    def __init__(self, window: QWidget, status: str = "running", environ: Mapping[str, str] | None = None) -> None:
        super().__init__(window)
        self.status = status  # what `systemctl status` shows once the kiosk is up
        self.environ = dict(os.environ if environ is None else environ)
        self.window = window
        self.watchdog_timer = QTimer(self)
        self.watchdog_timer.setObjectName("watchdog_timer")
        interval = watchdog_interval_ms(self.environ)
        self.watchdog_timer.setInterval(interval or 0)
        self.watchdog_timer.timeout.connect(self.beat)
        self._watchdog = interval is not None
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.window and event.type() == QEvent.Type.Paint:
            self.window.removeEventFilter(self)
            # After this paint has been flushed to the screen: the next turn of the loop.
            QTimer.singleShot(0, self, self._ready)
        return False

    def _ready(self) -> None:
        notify(f"READY=1\nSTATUS={self.status}", self.environ)
        if self._watchdog:
            self.watchdog_timer.start()
        self.ready.emit()

    def beat(self) -> None:
        notify("WATCHDOG=1", self.environ)

    def stopping(self) -> None:
        """Staff exit: the process ends on purpose (systemd still restarts it: Restart=always)."""
        self.watchdog_timer.stop()
        notify("STOPPING=1", self.environ)
