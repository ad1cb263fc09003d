"""The walkthrough: one patient's session and every action a patient can take, without Qt.

Views never change the session themselves: they ask the model (``next()``, ``toggle()``,
``set_language()``, ...) and redraw when it tells them what changed. So the session has
one owner, the rules of moving through the pages live in one place that tests can drive
without a screen, and whatever a patient chose goes with ``reset()`` (the privacy
boundary: nothing here is written to disk).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from kiosk.core.content import ContentLibrary, ContentPack
from kiosk.core.events import Event
from kiosk.core.session import Session, next_text_scale


class Walkthrough:
    """The session and the patient's actions. Events (each a ``kiosk.core.events.Event``):

    - ``page_changed(previous, current)``: page ids, ``None`` for the welcome screen;
    - ``looks_changed()``: the language, text size or contrast changed (redraw everything);
    - ``question_toggled(question_id, ticked)``;
    - ``qr_changed(visible)``: the summary's QR code of the ticked questions;
    - ``practice_rated(score)``: a score picked on the pain diary's practice scale (0-10);
    - ``finished(session)``: a session ended (its figures are counted from it); the model
      has already started a fresh one on the welcome screen when it is called.
    """

    def __init__(self, library: ContentLibrary, clock: Callable[[], float] = time.monotonic) -> None:
        self.library = library
        self.clock = clock
        self.session = Session(language=library.default_language)
        self.page_changed: Event[[str | None, str | None]] = Event()
        self.looks_changed: Event[[]] = Event()
        self.question_toggled: Event[[str, bool]] = Event()
        self.qr_changed: Event[[bool]] = Event()
        self.practice_rated: Event[[int]] = Event()
        self.finished: Event[[Session]] = Event()

    # ------------------------------------------------------------------ state

    @property
    def pack(self) -> ContentPack:
        return self.library.pack(self.session.language)

    @property
    def page_id(self) -> str | None:
        return self.session.page_id

    @property
    def page_index(self) -> int | None:
        return None if self.session.page_id is None else self.pack.page_index(self.session.page_id)

    @property
    def on_last_page(self) -> bool:
        return self.page_index == len(self.pack.pages) - 1

    def is_fresh(self) -> bool:
        """Nothing touched: the welcome screen in the default language, size and contrast."""
        return self.session == Session(language=self.library.default_language)

    # ------------------------------------------------------------------ moving

    def go(self, page_id: str | None) -> bool:
        """Show a page by id, or the welcome screen for ``None``; False for an unknown id."""
        if page_id is not None and not any(page.id == page_id for page in self.pack.pages):
            return False
        previous = self.session.page_id
        self.session.enter_page(page_id, self.clock(), previous)
        self.session.page_id = page_id
        if page_id is not None:
            self.session.furthest_page = max(self.session.furthest_page, self.pack.page_index(page_id))
        self.page_changed.emit(previous, page_id)
        return True

    def start(self) -> None:
        self.go(self.pack.pages[0].id)

    def next(self) -> None:
        """The next page; from the welcome screen the first; past the last, "I'm done"."""
        index = self.page_index
        if index is None:
            self.start()
        elif index + 1 < len(self.pack.pages):
            self.go(self.pack.pages[index + 1].id)
        else:
            self.reset()

    def back(self) -> None:
        """The page before; from the first page, the welcome screen."""
        index = self.page_index
        if index is not None:
            self.go(self.pack.pages[index - 1].id if index > 0 else None)

    def jump_to_section(self, section_id: str) -> None:
        self.go(self.pack.first_page_of(section_id).id)

    def remember_scroll(self, page_id: str, position: int) -> None:
        """Where the patient left a page, to find it there when they come back."""
        self.session.scroll[page_id] = position

    def scroll_of(self, page_id: str) -> int:
        return self.session.scroll.get(page_id, 0)

    # ------------------------------------------------------------------ choices

    def toggle(self, question_id: str) -> bool:
        """Tick or untick a question on the list; returns whether it is now ticked."""
        self.pack.question(question_id)  # KeyError for an id no page offers
        ticked = self.session.toggle(question_id)
        self.question_toggled.emit(question_id, ticked)
        return ticked

    def toggle_qr(self) -> None:
        self.session.qr_visible = not self.session.qr_visible
        self.qr_changed.emit(self.session.qr_visible)

    def rate_practice(self, score: int) -> None:
        """A score on the practice scale. It lives in the session only, so it goes at reset
        like everything else; it is never counted or written anywhere."""
        if not 0 <= score <= 10:
            raise ValueError(f"a pain score is 0 to 10, not {score}")
        self.session.practice_score = score
        self.practice_rated.emit(score)

    def set_language(self, language: str) -> None:
        if language in self.library.packs and language != self.session.language:
            self.session.language = language
            self.looks_changed.emit()

    def set_text_scale(self, scale: float) -> None:
        if scale != self.session.text_scale:
            self.session.text_scale = scale
            self.looks_changed.emit()

    def cycle_text_size(self) -> None:
        """100 % -> 150 % -> 200 % -> 100 %."""
        self.set_text_scale(next_text_scale(self.session.text_scale))

    def set_high_contrast(self, on: bool) -> None:
        if on != self.session.high_contrast:
            self.session.high_contrast = on
            self.looks_changed.emit()

    # ------------------------------------------------------------------ ending

    def reset(self) -> None:
        """End the session ("I'm done", "Start over", the idle time-out, staff): a fresh one
        starts on the welcome screen, in the default language, size and contrast."""
        old = self.session
        old.enter_page(None, self.clock(), old.page_id)  # book the time on the last page
        self.session = Session(language=self.library.default_language)
        looks = (old.language, old.text_scale, old.high_contrast) != (self.session.language, 1.0, False)
        self.finished.emit(old)
        if looks:
            self.looks_changed.emit()
        self.page_changed.emit(old.page_id, None)
