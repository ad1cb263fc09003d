"""The page after the one on show gets ready off screen, once the page on show has been
painted (a stage page draws its moving picture's opening frame), so that the next turn is
a blit and the work stays outside the turn the patient waits for. At most one page off
screen holds what it made ready; going back or to the welcome screen lets it go."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, QTimer

from kiosk.ui.pages.base import PageView


class NextPage(QObject):
    """Holds no reference back to its owner: a Python reference cycle through the screens
    kept the window's wrapper alive after the window was deleted."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.painting: PageView | None = None  # the page on show, until it is painted
        self.coming: PageView | None = None  # the page after it
        self.prepared: PageView | None = None
        # One turn of the event loop after the paint. (A timer of its own, not singleShot:
        # a call still waiting when the window was deleted kept its object alive.)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(0)
        self.timer.timeout.connect(self.prepare_coming)

    def after_paint(self, view: PageView, coming: PageView | None) -> None:
        """Once ``view`` is on the screen, the page ``coming`` gets ready off screen."""
        self._stop_watching()
        self.coming = coming
        self.painting = view
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.painting and event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            self.painting = None
            self.timer.start()  # after this paint pass
        return False

    def prepare_coming(self) -> None:
        view = self.coming
        if view is not None and shiboken6.isValid(view) and not view.isVisible():
            if view is not self.prepared:
                self.let_go()
            view.prepare()
            self.prepared = view

    def let_go(self) -> None:
        """The page made ready lets go of it (no turn to it is coming)."""
        if self.prepared is not None and shiboken6.isValid(self.prepared):
            self.prepared.prepare(False)
        self.prepared = None

    def cancel(self) -> None:
        """No page is on show (the welcome screen): nothing to get ready, nothing kept."""
        self._stop_watching()
        self.painting = self.coming = None
        self.timer.stop()
        self.let_go()

    def _stop_watching(self) -> None:
        if self.painting is not None and shiboken6.isValid(self.painting):
            self.painting.removeEventFilter(self)
