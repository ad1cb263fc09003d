"""Idle reset: one application-wide event filter sees every touch, click and key.

After ``idle_ms`` without input ``warning_started`` fires and a countdown of
``warning_seconds`` ticks begins; any input (or "I'm still here") ends it; at zero
``expired`` fires and the controller resets the session.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

INPUT_EVENTS = {
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseMove,
    QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd,
    QEvent.Type.KeyPress, QEvent.Type.Wheel, QEvent.Type.TabletPress,
}


class IdleWatcher(QObject):
    warning_started = Signal(int)  # seconds left
    countdown = Signal(int)  # seconds left, each tick
    warning_cancelled = Signal()
    expired = Signal()

    def __init__(self, idle_seconds: int, warning_seconds: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.warning_seconds = warning_seconds
        self.idle_timer = QTimer(self)
        self.idle_timer.setObjectName("idle_timer")
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(idle_seconds * 1000)
        self.idle_timer.timeout.connect(self._start_warning)
        self.tick_timer = QTimer(self)  # one tick per second of the countdown
        self.tick_timer.setObjectName("tick_timer")
        self.tick_timer.setInterval(1000)
        self.tick_timer.timeout.connect(self._tick)
        self.seconds_left = 0
        self.enabled = False

    @property
    def warning(self) -> bool:
        return self.tick_timer.isActive()

    def set_enabled(self, on: bool) -> None:
        """Watch only while there is a session worth clearing."""
        self.enabled = on
        self.tick_timer.stop()
        if on:
            self.idle_timer.start()
        else:
            self.idle_timer.stop()

    def activity(self) -> None:
        """Any input: restart the idle clock and end a running countdown."""
        if not self.enabled:
            return
        if self.tick_timer.isActive():
            self.tick_timer.stop()
            self.warning_cancelled.emit()
        self.idle_timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if self.enabled and event.type() in INPUT_EVENTS and event.spontaneous():
            self.activity()
        return False

    def _start_warning(self) -> None:
        self.seconds_left = self.warning_seconds
        self.tick_timer.start()
        self.warning_started.emit(self.seconds_left)

    def _tick(self) -> None:
        self.seconds_left -= 1
        if self.seconds_left <= 0:
            self.tick_timer.stop()
            self.expired.emit()
        else:
            self.countdown.emit(self.seconds_left)
