"""Every topic's and language's pages are built ahead, off screen, while the welcome screen
is on show (nobody is reading a page whose scrolling or moving picture the work would
stall), once it has painted: a page a turn of the event loop, then its looks the next
turn, so that a tap meanwhile waits for one small step at most. Before, a topic's pages in
a language were built when a patient first asked for one of them: the first patient to
choose the other procedure (or it in Spanish) waited while twelve pages were made (214-310 ms
to its first page in the bench, 411 and 487 ms in a probe on the 2-core box).

Pages made ahead stay with this object until their set is complete, then join the
screens' ``page_sets``; a set asked for before that takes what is made and builds the rest
(``take``)."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from kiosk.ui.pages.base import PageView
from kiosk.ui.widgets import discard

if TYPE_CHECKING:
    from kiosk.ui.screens import Screens

SetKey = tuple[str, str]  # (topic, language)


class PagesAhead(QObject):
    """A child of the screens, holding only a weak reference back to them (a Python
    reference cycle through them kept the window's wrapper alive after the window was
    deleted)."""

    def __init__(self, screens: Screens) -> None:
        super().__init__(screens)
        self._screens = weakref.ref(screens)
        self.partial: dict[SetKey, dict[str, PageView]] = {}  # sets being made: page id -> page
        self._unstyled: PageView | None = None  # made last step; styled this one
        self.timer = QTimer(self)  # (its own timer, not singleShot: see NextPage)
        self.timer.setSingleShot(True)
        self.timer.setInterval(0)
        self.timer.timeout.connect(self.step)

    def start(self) -> None:
        if not self.timer.isActive():
            self.timer.start()

    @property
    def working(self) -> bool:
        """Pages are still being made (a step is due, or a set is half made)."""
        return self.timer.isActive() or bool(self.partial) or self._unstyled is not None

    def after_paint(self, welcome: QWidget) -> None:
        """Go on once ``welcome`` (just put on show) has been painted."""
        welcome.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            self.start()  # (a turn later: after this paint pass)
        return False

    def missing(self) -> SetKey | None:
        """The next (topic, language) with no complete set of pages, sets begun first."""
        screens = self._screens()
        if screens is None:
            return None
        library = screens.library
        wanted = [(t, lang) for t in library.topics for lang in library.languages if (t, lang) not in screens.page_sets]
        return next((key for key in wanted if key in self.partial), wanted[0] if wanted else None)

    def step(self) -> None:
        """Style the page made last step, or make the next one; again next turn until done."""
        screens = self._screens()
        if screens is None or screens.model.page_id is not None:
            return  # a page is on show: wait for the welcome screen (``after_paint``)
        if self._unstyled is not None:
            view, self._unstyled = self._unstyled, None
            if shiboken6.isValid(view):
                screens.style_view(view)
            self.timer.start()
            return
        key = self.missing()
        if key is None:
            return
        topic, language = key
        pack = screens.library.pack(language, topic)
        made = self.partial.setdefault(key, {})
        page = next((p for p in pack.pages if p.id not in made), None)
        if page is not None:
            made[page.id] = self._unstyled = screens.make_one(pack, page)
        if len(made) == len(pack.pages):
            views = self.partial.pop(key)
            screens.page_sets[key] = {p.id: views[p.id] for p in pack.pages}
        self.timer.start()

    def take(self, key: SetKey) -> dict[str, PageView]:
        """The pages of ``key`` made so far, handed over (the rest are built by the caller)."""
        if self._unstyled is not None and self._unstyled in self.partial.get(key, {}).values():
            self._unstyled = None  # the caller styles every page it attaches
        return self.partial.pop(key, {})

    def discard_all(self) -> None:
        """Stop, and discard every page made for a set not yet complete."""
        self.timer.stop()
        self._unstyled = None
        for made in self.partial.values():
            for view in made.values():
                discard(view)
        self.partial = {}
