"""The input guard: an application-wide filter that keeps stray touch and mouse input
(a press held while a screen changes, synthesised mouse events) from reaching the kiosk."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QInputEvent, QMouseEvent, QTouchEvent, QWindow
from PySide6.QtWidgets import QScroller

# Far outside any widget: a release here lets go of whatever was pressed without clicking it.
_NOWHERE = QPointF(-16777215.0, -16777215.0)
_GUARD_PROPERTY = "kiosk_input_guard"
_SYNTHESIZED_MOUSE = {QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseMove}


class InputGuard(QObject):
    """Application-wide: no context menu ever, and a touch of more than one finger (a
    pinch, a palm, a hand leaning on the glass) does nothing.

    Qt makes mouse events from the first finger of a touch, whatever other fingers do, so
    a palm whose first point lands on a question would tick it and a pinch would scroll.
    Once a second finger is down, the rest of that touch's mouse events are dropped, and
    its lift becomes a release far away from everything: the control under the first
    finger is let go without being clicked, and any scrolling it began is stopped."""

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self.several_fingers = False
        self._listeners: dict[int, QObject] = {}
        self.armed = False
        app.setProperty(_GUARD_PROPERTY, self)

    def arm(self) -> None:
        """Start filtering (once). ``application()`` arms at once unless told to wait: the
        kiosk arms after its first paint, because Qt hands a Python application filter
        every object an event goes to, and the first few of Qt's own private classes
        (a scroll area's scroll-bar container, ...) cost PySide ~50 ms of type set-up
        before anything is on the screen (measured: the first QScrollArea took 0.2 ms
        with no Python filter, 60 ms with one). No one touches a screen not yet drawn."""
        if not self.armed:
            parent = self.parent()
            if parent is not None:
                parent.installEventFilter(self)
                self.armed = True

    def listen(self, listener: QObject) -> None:
        """``listener.eventFilter(watched, event)`` sees every input event (and only
        those), before any widget and before this guard drops any, until the listener is
        destroyed. One application filter for all: each Python filter costs a call on
        every event Qt delivers (paints, layouts, timers...), and a page turn delivers
        about 200 (measured: three filters were 10-20 % of a turn)."""
        key = id(listener)
        self._listeners[key] = listener
        listener.destroyed.connect(lambda: self._listeners.pop(key, None))

    @staticmethod
    def of(app: QCoreApplication | None) -> InputGuard | None:
        """The guard ``application()`` installed on ``app``, if any. (A property, not
        ``findChild``: that wraps every child of the application in Python, Qt's private
        ones too, ~25 ms at start-up.)"""
        guard = app.property(_GUARD_PROPERTY) if app is not None else None
        return guard if isinstance(guard, InputGuard) else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if not isinstance(event, QInputEvent):  # the cheap test first: most events are not input
            return False
        for listener in list(self._listeners.values()):
            if listener.eventFilter(watched, event):
                return True
        kind = event.type()
        if kind == QEvent.Type.ContextMenu:
            return True
        if not isinstance(watched, QWindow):  # each input event is seen first on its window
            return False
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate) and isinstance(event, QTouchEvent):
            if kind == QEvent.Type.TouchBegin:
                self.several_fingers = False
            if len(event.points()) > 1:
                self.several_fingers = True
            return False
        if not self.several_fingers or not isinstance(event, QMouseEvent):
            return False
        if event.source() != Qt.MouseEventSource.MouseEventSynthesizedByQt:
            return False
        if kind in _SYNTHESIZED_MOUSE:
            return True
        if kind == QEvent.Type.MouseButtonRelease:
            self.several_fingers = False
            for scroller in QScroller.activeScrollers():  # first, or the far release would fling
                scroller.stop()
            release = QMouseEvent(QEvent.Type.MouseButtonRelease, _NOWHERE, _NOWHERE, _NOWHERE,
                                  event.button(), Qt.MouseButton.NoButton, event.modifiers())
            QCoreApplication.sendEvent(watched, release)
            return True
        return False
