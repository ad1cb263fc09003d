"""Every topic's and language's pages are built ahead, off screen, while the welcome screen
is on show (nobody is reading a page whose scrolling or moving picture the work would
stall), once it has painted: a page a turn of the event loop, then its looks the next
turn, so that a tap meanwhile waits for one small step at most. Before, a topic's pages in
a language were built when a patient first asked for one of them: the first patient to
choose the other procedure (or it in Spanish) waited while twelve pages were made (214-310 ms
to its first page in the bench, 411 and 487 ms in a probe on the 2-core box).

Pages made ahead stay with this object until their set is complete, then join the
screens' ``page_sets``; a set asked for before that takes what is made and builds the rest
(``take``).

Made is not yet ready: a page never shown has never been laid out at the window's size
(a hidden page in the stack keeps Qt's 640x480), nor has the frame around it, so the first
turn to each page laid out its words, and the very first the whole frame, while the patient
waited (first turn 27-53 ms, against 7-10 ms the second time). So each page, and the frame,
is also given its real size and drawn once into a throwaway image, without its pictures
(``without_pictures``), one a turn, once made and styled ("warmed"); the pages of the
session's topic and language first."""

from __future__ import annotations

import mmap
import weakref
from collections.abc import Iterable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from kiosk.core.heap import forget_source_lines, give_back
from kiosk.ui.illustration import without_pictures
from kiosk.ui.pages.base import PageView
from kiosk.ui.stacks import updates_on
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
        self.warmed: dict[PageView, tuple[object, ...]] = {}  # page -> (its looks, size) when laid out and drawn
        self._waiting: QWidget | None = None  # the welcome screen whose paint the work waits for
        self._frame: tuple[object, ...] = ()  # (its place, the chrome's looks) when the frame was last laid out and drawn
        self._since_trim = False  # started since the heap was last trimmed
        self.timer = QTimer(self)  # (its own timer, not singleShot: see NextPage)
        self.timer.setSingleShot(True)
        self.timer.setInterval(0)
        self.timer.timeout.connect(self.step)

    def start(self) -> None:
        """Go on with the work (the welcome screen is back, or the looks changed); once it is
        done, the heap is trimmed."""
        self._since_trim = True
        if not self.timer.isActive():
            self.timer.start()

    @property
    def working(self) -> bool:
        """Pages are still being made or made ready (a step is due, a set is half made, or
        the work waits for the welcome screen to paint)."""
        return self.timer.isActive() or bool(self.partial) or self._unstyled is not None or self._waiting is not None

    def after_paint(self, welcome: QWidget) -> None:
        """Go on once ``welcome`` (just put on show) has been painted."""
        if self._waiting is not None and self._waiting is not welcome and shiboken6.isValid(self._waiting):
            self._waiting.removeEventFilter(self)
        self._waiting = welcome
        welcome.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            if watched is self._waiting:
                self._waiting = None
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
        """One step, again next turn until done: style the page made last step; lay out and
        draw the frame, then the session's pages; make the next page; warm the others."""
        screens = self._screens()
        if screens is None or screens.model.page_id is not None:
            return  # a page is on show: wait for the welcome screen (``after_paint``)
        if self._unstyled is not None:
            view, self._unstyled = self._unstyled, None
            if shiboken6.isValid(view):
                screens.style_view(view)
            self.timer.start()
            return
        if (self._warm_frame(screens) or self._warm_next(screens, screens.page_sets.get(screens.shown_pages(), {}).values())
                or self._first_pictures(screens) or self._first_positions(screens)):
            self.timer.start()
            return
        key = self.missing()
        if key is None:
            if self._warm_next(screens, screens.all_views()):
                self.timer.start()
            elif self._since_trim:
                # All made, laid out and drawn: what that work, and the session before it,
                # freed goes back to the system, rather than staying resident while the
                # welcome screen idles.
                self._since_trim = False
                forget_source_lines()  # (modules imported since, e.g. on a first print, add theirs)
                give_back()
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

    def _warm_frame(self, screens: Screens) -> bool:
        """Lay out the walkthrough's frame (progress bar, page stack, footer) in the place the
        welcome screen has, for the chrome's looks, and draw it once; False if it already is
        (or the chrome is still to be restyled: the text size changes the page stack's height)."""
        w = screens.window
        if w.isVisible() and w.on_welcome() and screens.chrome_sheet == screens.sheet:
            frame = self._frame_key(screens)
            if frame != self._frame:
                self._frame = frame
                w.walkthrough.setGeometry(w.welcome_holder.geometry())
                layout = w.walkthrough.layout()
                if layout is not None:
                    layout.activate()
                self._draw(w.walkthrough)
                return True
        return False

    @staticmethod
    def _frame_key(screens: Screens) -> tuple[object, ...]:
        return screens.window.welcome_holder.geometry().getRect(), screens.chrome_sheet

    def _warm_next(self, screens: Screens, views: Iterable[PageView]) -> bool:
        """Lay out and draw the first of ``views`` that is styled for the session's looks but
        not laid out for them at the page stack's size; False if there is none."""
        ready = self._ready(screens)
        if ready is None:
            return False  # (the page stack has its real size once the frame is laid out)
        area = screens.window.pages.contentsRect()
        for view in views:
            if self.warmed.get(view) != ready and screens.styled.get(view) == ready[0] and shiboken6.isValid(view):
                self.warmed[view] = ready
                if not view.isVisible():
                    view.setGeometry(area)
                    self._draw(view)
                return True
        return False

    def _ready(self, screens: Screens) -> tuple[object, ...] | None:
        """What a page laid out for now is laid out for: the session's looks and the page
        stack's size (None until the frame is laid out)."""
        if self._frame != self._frame_key(screens):
            return None
        return screens.view_looks(), screens.window.pages.contentsRect().size().toTuple()

    @staticmethod
    def _first_positions(screens: Screens) -> bool:
        """Each topic's section buttons, in the session's language, showing its first page
        (one topic a step; ``ProgressBar.ready_for_start``). True if one was changed."""
        language = screens.model.session.language
        progress = screens.window.progress
        return any(progress.ready_for_start(screens.library.pack(language, topic)) for topic in screens.library.topics)

    def _first_pictures(self, screens: Screens) -> bool:
        """The still picture of each topic's first page, in the session's language, drawn
        into the shared picture cache (one a step) once laid out: the turn from the welcome
        screen drew it while the patient waited (~3 ms of the ~11 ms turn), since a walk
        through a topic's pictures pushes it out of the cache. True if one was drawn."""
        language, ready = screens.model.session.language, self._ready(screens)
        for topic in screens.library.topics:
            views = screens.page_sets.get((topic, language))
            first = next(iter(views.values()), None) if views else None
            if first is None or ready is None or self.warmed.get(first) != ready:
                continue
            if first.draw_pictures_ahead():
                return True
        return False

    @staticmethod
    def _draw(widget: QWidget) -> None:
        """Lay ``widget`` out at its size and draw it, without its pictures, into a throwaway
        image: Qt lays out a hidden widget when it is drawn, and the drawing fills the glyph
        caches (the first turn: 28 ms without this, 17 ms laid out only, 14 ms drawn).

        Its updates, and those of what holds it, are on meanwhile (``stacks.updates_on``): parked in
        their stacks, a page and the walkthrough drew only their own background, and each
        page's words, laid out at Qt's 640 pixels of a page never shown, were laid out again
        three times over in the turn to its first showing (the turn from the welcome screen
        to a topic's first page: 42.0 -> 21.7 M instructions, as fast as its second time).

        The image's memory is mapped for it alone and unmapped after. An image from malloc
        (6.5 MB at 1080p, freed at once) raised glibc's threshold for mapping big blocks: the
        pictures' 1-3 MB frames then came from its heap, which it seldom gives back, and a
        walk of every page ended ~10 MB higher."""
        width, height = widget.width(), widget.height()
        if width <= 0 or height <= 0:
            return
        memory = mmap.mmap(-1, width * height * 4)
        try:
            with memoryview(memory) as pixels:
                image = QImage(pixels, width, height, width * 4, QImage.Format.Format_ARGB32_Premultiplied)
                with without_pictures(), updates_on(widget):
                    widget.render(image)
                del image  # (before the memory goes)
        finally:
            memory.close()

    def take(self, key: SetKey) -> dict[str, PageView]:
        """The pages of ``key`` made so far, handed over (the rest are built by the caller)."""
        if self._unstyled is not None and self._unstyled in self.partial.get(key, {}).values():
            self._unstyled = None  # the caller styles every page it attaches
        return self.partial.pop(key, {})

    def discard_all(self) -> None:
        """Stop, and discard every page made for a set not yet complete."""
        self.timer.stop()
        if self._waiting is not None and shiboken6.isValid(self._waiting):
            self._waiting.removeEventFilter(self)
        self._waiting = None
        self._unstyled = None
        self.warmed = {}
        self._frame = ()
        for made in self.partial.values():
            for view in made.values():
                discard(view)
        self.partial = {}
