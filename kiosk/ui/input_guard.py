"""The input guard: a filter on each of the kiosk's windows that keeps stray touch and mouse
input (a press held while a screen changes, synthesised mouse events, a context menu) from
reaching the kiosk."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QGuiApplication, QInputEvent, QMouseEvent, QTouchEvent, QWindow
from PySide6.QtWidgets import QScroller, QWidget

# Far outside any widget: a release here lets go of whatever was pressed without clicking it.
_NOWHERE = QPointF(-16777215.0, -16777215.0)
_GUARD_PROPERTY = "kiosk_input_guard"
GUARDED_PROPERTY = "kiosk_input_guarded"  # set on each window the guard filters
_SYNTHESIZED_MOUSE = {QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseMove}
_RIGHT_BUTTON = {QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick}


class InputGuard(QObject):
    """On every kiosk window: no context menu ever, and a touch of more than one finger (a
    pinch, a palm, a hand leaning on the glass) does nothing.

    Qt makes mouse events from the first finger of a touch, whatever other fingers do, so
    a palm whose first point lands on a question would tick it and a pinch would scroll.
    Once a second finger is down, the rest of that touch's mouse events are dropped, and
    its lift becomes a release far away from everything: the control under the first
    finger is let go without being clicked, and any scrolling it began is stopped.

    A filter on each window (``QWindow``), not on the application: every touch, click and
    key reaches its window before any widget, so the window sees all the input there is,
    once. An application filter in Python is also handed every other event Qt delivers to
    every object (each widget shown and hidden in a page turn, each paint, each timer):
    measured with callgrind, 8 % of the instructions of a walk through a topic."""

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self.several_fingers = False
        self._listeners: dict[int, QObject] = {}
        self.armed = False
        app.setProperty(_GUARD_PROPERTY, self)

    def arm(self) -> None:
        """Start filtering (once): every window there is now, and each one a kiosk screen
        shows later (``guard_window``). ``application()`` arms at once unless told to wait:
        the kiosk arms after its first paint (no one touches a screen not yet drawn)."""
        if not self.armed:
            self.armed = True
            for window in QGuiApplication.topLevelWindows():
                self.guard(window)

    def guard(self, window: QWindow | None) -> None:
        """Filter ``window``'s input (once; Qt drops the filter with the window)."""
        if window is not None and not window.property(GUARDED_PROPERTY):
            window.installEventFilter(self)
            window.setProperty(GUARDED_PROPERTY, True)

    @staticmethod
    def guard_window(widget: QWidget) -> None:
        """A top-level kiosk screen about to show (its ``showEvent``): its window guarded,
        if the application's guard is armed (arming guards every window there is)."""
        guard = InputGuard.of(QCoreApplication.instance())
        if guard is not None and guard.armed:
            guard.guard(widget.windowHandle())

    def listen(self, listener: QObject) -> None:
        """``listener.eventFilter(window, event)`` sees every input event (and only those)
        on its way to a window, before any widget and before this guard drops any, until
        the listener is destroyed."""
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
        kind = event.type()
        if kind == QEvent.Type.ContextMenu:
            return True  # (from a right click, the menu key or a long press: each comes to the window first)
        if not isinstance(event, QInputEvent):  # the cheap test first: most events are not input
            return False
        for listener in list(self._listeners.values()):
            if listener.eventFilter(watched, event):
                return True
        if kind in _RIGHT_BUTTON and isinstance(event, QMouseEvent) and event.button() == Qt.MouseButton.RightButton:
            return True  # nothing in the kiosk answers it (a touch driver may make one of a long press)
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
