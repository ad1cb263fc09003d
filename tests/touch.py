"""A finger on the touchscreen, for tests: tap, swipe, fling, long press, two fingers, a palm.

Every gesture goes in as touch events from a touchscreen device (``QTest.touchEvent``),
through Qt's window-system queue, exactly as a real panel's would: Qt, not the test,
decides which widget gets them and whether they become mouse events.

A gesture has a speed, so its steps are paced in real time (``_pace``): a flick is fast
moves and a lift, a drag slow ones. That is part of the input, not a wait for a result;
tests wait for results with ``qtbot.waitUntil``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QInputDevice, QPointingDevice
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QScroller, QWidget

from kiosk.ui.widgets import KineticScrollArea

FRAME_MS = 16  # one step of a moving finger: a 60 Hz panel reports about this often


@functools.cache
def touchscreen_device() -> QPointingDevice:
    """One touchscreen device for the whole test run (Qt keeps every device it is given)."""
    return QTest.createTouchDevice(QInputDevice.DeviceType.TouchScreen)


def centre_in(window: QWidget, widget: QWidget) -> QPoint:
    return widget.mapTo(window, widget.rect().center())


def on_screen(window: QWidget, area: QRect) -> QRect:
    """The part of ``area`` (window coordinates) that is on the window's screen: a finger
    can only touch the glass. (Offscreen, the test screen is 800 px square and the
    1280x800 window hangs over its edge; a touch out there has no window under it, and
    Qt's gesture manager warns that it cannot find the gesture's target.)"""
    screen = window.screen().geometry()
    top_left = window.mapFromGlobal(screen.topLeft())
    return area.intersected(QRect(top_left, screen.size()))


def reading_area(window: QWidget, scroll: KineticScrollArea) -> QRect:
    """The part of ``window`` where ``scroll``'s text is: where a patient swipes to read."""
    viewport = scroll.viewport()
    return on_screen(window, QRect(viewport.mapTo(window, QPoint(0, 0)), viewport.size()))


class Finger:
    """Touches ``window`` (the kiosk window); points are in its coordinates."""

    def __init__(self, qtbot, window: QWidget) -> None:  # type: ignore[no-untyped-def]
        self.qtbot = qtbot
        self.window = window
        self.device = touchscreen_device()

    # -- the raw events --------------------------------------------------------------
    def _send(self, kind: str, points: Sequence[tuple[int, QPoint]]) -> None:
        sequence = QTest.touchEvent(self.window, self.device, False)
        for touch_id, point in points:
            getattr(sequence, kind)(touch_id, point, self.window)
        sequence.commit()

    def down(self, point: QPoint, touch_id: int = 0) -> None:
        self._send("press", [(touch_id, point)])

    def move(self, point: QPoint, touch_id: int = 0) -> None:
        self._send("move", [(touch_id, point)])

    def up(self, point: QPoint, touch_id: int = 0) -> None:
        self._send("release", [(touch_id, point)])

    def _pace(self, ms: int) -> None:
        """The finger's own timing (see the module's note); the event loop runs meanwhile."""
        self.qtbot.wait(ms)

    # -- gestures ------------------------------------------------------------------------
    def tap(self, target: QWidget | QPoint, hold_ms: int = 40) -> None:
        """A short touch and lift on ``target`` (a widget's centre, or a point). The finger
        lifts and the test goes on at once, as a quick patient would."""
        QApplication.processEvents()  # what is on the glass is laid out before a finger finds it
        point = centre_in(self.window, target) if isinstance(target, QWidget) else target
        if isinstance(target, QWidget):
            assert target.isVisible() and target.isEnabled(), target.objectName()
            assert self.window.rect().contains(point), f"{target.objectName()} is outside the window at {point}"
        self.down(point)
        self._pace(hold_ms)
        self.up(point)
        self._pace(1)

    def long_press(self, point: QPoint, hold_ms: int) -> None:
        self.down(point)
        self._pace(hold_ms)
        self.up(point)
        self._pace(1)

    def drag(self, start: QPoint, end: QPoint, duration_ms: int = 400, rest_ms: int = 0, lift: bool = True) -> None:
        """Put the finger down at ``start``, rest ``rest_ms``, move to ``end`` over
        ``duration_ms`` in frame-sized steps, then (if ``lift``) lift it there."""
        self.down(start)
        self._pace(rest_ms or FRAME_MS)
        steps = max(2, duration_ms // FRAME_MS)
        for i in range(1, steps + 1):
            x = start.x() + (end.x() - start.x()) * i // steps
            y = start.y() + (end.y() - start.y()) * i // steps
            self.move(QPoint(x, y))
            self._pace(FRAME_MS)
        if lift:
            self.up(end)
            self._pace(1)

    def swipe_up(self, area: QRect, duration_ms: int = 400) -> None:
        """Swipe from low in ``area`` to high in it: the page's text moves up (reads on)."""
        x = area.center().x()
        self.drag(QPoint(x, area.top() + area.height() * 4 // 5), QPoint(x, area.top() + area.height() // 5), duration_ms)

    def swipe_down(self, area: QRect, duration_ms: int = 400) -> None:
        x = area.center().x()
        self.drag(QPoint(x, area.top() + area.height() // 5), QPoint(x, area.top() + area.height() * 4 // 5), duration_ms)

    def fling_up(self, area: QRect) -> None:
        """A quick flick: a short, fast stroke and a lift while still moving."""
        x = area.center().x()
        self.drag(QPoint(x, area.top() + area.height() * 3 // 4), QPoint(x, area.top() + area.height() // 4), 6 * FRAME_MS)

    def two_fingers(self, a: tuple[QPoint, QPoint], b: tuple[QPoint, QPoint], steps: int = 8) -> None:
        """Two fingers down together, each moving from its first point to its second, then
        both lifted: a pinch when they move apart or together."""
        (a0, a1), (b0, b1) = a, b
        self._send("press", [(0, a0), (1, b0)])
        self._pace(FRAME_MS)
        for i in range(1, steps + 1):
            pa = a0 + (a1 - a0) * i / steps
            pb = b0 + (b1 - b0) * i / steps
            self._send("move", [(0, pa), (1, pb)])
            self._pace(FRAME_MS)
        self._send("release", [(0, a1), (1, b1)])
        self._pace(1)

    def palm(self, points: Sequence[QPoint], hold_ms: int = 120) -> None:
        """A hand laid flat: the points land one after another a few milliseconds apart
        (as a real palm does), rest, and lift together."""
        for n, point in enumerate(points):
            if n == 0:
                self._send("press", [(0, point)])
            else:
                sequence = QTest.touchEvent(self.window, self.device, False)
                for held in range(n):  # (QTest's stationary() would move them to the corner)
                    sequence.move(held, points[held], self.window)
                sequence.press(n, point, self.window)
                sequence.commit()
            self._pace(5)
        self._pace(hold_ms)
        self._send("release", list(enumerate(points)))
        self._pace(1)


def scroller_of(scroll: KineticScrollArea) -> QScroller:
    return QScroller.scroller(scroll.viewport())


def wait_until_still(qtbot, scroll: KineticScrollArea, timeout: int = 5000) -> None:  # type: ignore[no-untyped-def]
    """Until the page has stopped moving (a flick coasts on after the finger lifts)."""
    qtbot.waitUntil(lambda: scroller_of(scroll).state() == QScroller.State.Inactive, timeout=timeout)
