"""The stacks of the kiosk window: the welcome screen or the walkthrough (``ScreenStack``),
and the walkthrough's pages (``PageStack``); one shown at a time, the others parked."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStackedLayout, QStackedWidget, QWidget


def park(widget: QWidget) -> None:
    """A widget put away in a stack: its updates are switched off. A stack's switch turns the
    updates of its parent off and on again, and Qt walks every widget under it to do so,
    but for those switched off on their own: ~1,000 widgets (every page of every topic and
    language) in each page turn, 0.52 ms; 0.08 ms with them parked."""
    widget.setUpdatesEnabled(False)


def unpark(widget: QWidget) -> None:
    """A widget about to be put on show in a stack: its updates (and its children's) on."""
    if not widget.updatesEnabled():
        widget.setUpdatesEnabled(True)


@contextmanager
def updates_on(widget: QWidget) -> Iterator[None]:
    """Updates on, meanwhile, for ``widget`` and whatever holds it that is parked (a page in
    its stack, the walkthrough behind the welcome screen): Qt draws none of the children of
    a widget whose updates are off, even into an image (``QWidget.render``)."""
    parked = []
    w: QWidget | None = widget
    while w is not None and not w.isWindow():
        if w.testAttribute(Qt.WidgetAttribute.WA_ForceUpdatesDisabled):  # (set by setUpdatesEnabled(False))
            parked.append(w)
        w = w.parentWidget()
    for p in reversed(parked):  # (the outermost first: a child's cannot go on under a parent's off)
        unpark(p)
    try:
        yield
    finally:
        for p in parked:
            park(p)


def switch(stack: QStackedWidget | QStackedLayout, widget: QWidget, show: Callable[[QWidget], None]) -> None:
    """Put ``widget`` on show in ``stack`` with ``show`` (the stack's own setCurrentWidget),
    unparked first; the one it replaces parked after."""
    old = stack.currentWidget()
    if widget is old:
        if widget.isHidden():  # (hidden ahead of a switch that did not come: ``Screens.leave_walkthrough``)
            unpark(widget)
            widget.setVisible(True)
        return
    unpark(widget)
    show(widget)
    if old is not None and stack.currentWidget() is widget:
        park(old)


def park_unless_current(stack: QStackedWidget | QStackedLayout, widget: QWidget) -> None:
    """A widget just added to ``stack``: parked unless it is the one on show."""
    if widget is not stack.currentWidget():
        park(widget)


class PageStack(QStackedWidget):
    """The walkthrough's pages, one shown at a time, each scrolling its own words.

    Not height-for-width: a stack's height for a width is the largest of all its pages',
    so every layout pass (each page turn shows one page and hides another) laid out the
    words of every page in the stack, shown or not, at two or three widths: a sixth of a
    page turn. The stack takes the height the frame leaves it; each page scrolls.

    The pages not on show are parked (``park``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Whatever makes a page current (Qt itself, when the current one is taken out), it shows.
        self.currentChanged.connect(self._unpark_current)

    def _unpark_current(self, _index: int) -> None:
        current = self.currentWidget()
        if current is not None:
            unpark(current)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return False

    def addWidget(self, widget: QWidget) -> int:  # noqa: N802
        index = super().addWidget(widget)
        park_unless_current(self, widget)
        return index

    def removeWidget(self, widget: QWidget) -> None:  # noqa: N802
        super().removeWidget(widget)
        unpark(widget)

    def setCurrentWidget(self, widget: QWidget) -> None:  # noqa: N802
        switch(self, widget, super().setCurrentWidget)


class ScreenStack(QStackedLayout):
    """The welcome screen or the walkthrough; not height-for-width, like ``PageStack``;
    the one not on show parked, like ``PageStack``'s pages."""

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return False

    def addWidget(self, widget: QWidget) -> int:  # type: ignore[override]  # noqa: N802
        index = super().addWidget(widget)
        park_unless_current(self, widget)
        return index

    def setCurrentWidget(self, widget: QWidget) -> None:  # noqa: N802
        switch(self, widget, super().setCurrentWidget)
