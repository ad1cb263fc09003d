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

from kiosk.core.content import CheckItem, ContentLibrary, ContentPack
from kiosk.core.events import Event
from kiosk.core.session import Session, next_text_scale
from kiosk.core.stats import SessionRecord
from kiosk.core.teach_back import ACTIONS, check_counts, check_page_id, is_check_question, item_key, missed_items


class Walkthrough:
    """The session and the patient's actions. Events (each a ``kiosk.core.events.Event``):

    - ``page_changed(previous, current)``: page ids, ``None`` for the welcome screen;
    - ``looks_changed()``: the language, text size, contrast or motion changed (redraw everything);
    - ``question_toggled(question_id, ticked)``;
    - ``qr_changed(visible)``: the summary's QR code of the ticked questions;
    - ``topic_changed()``: another procedure is on show (a welcome card, a link between
      topics, or the reset back to the default topic); sent before the ``page_changed``
      that shows its page;
    - ``practice_rated(score)``: a score picked on the pain diary's practice scale (0-10);
    - ``check_answered(item_id, right)``: an answer picked in the check of understanding (a
      first answer that is not right has already ticked its "Please go over" question);
    - ``finished(session)``: a session ended (its figures are counted from it); the model
      has already started a fresh one on the welcome screen when it is called.
    """

    def __init__(self, library: ContentLibrary, clock: Callable[[], float] = time.monotonic) -> None:
        self.library = library
        self.clock = clock
        self.session = Session(language=library.default_language)
        self.topic_changed: Event[[]] = Event()
        self.page_changed: Event[[str | None, str | None]] = Event()
        self.looks_changed: Event[[]] = Event()
        self.question_toggled: Event[[str, bool]] = Event()
        self.qr_changed: Event[[bool]] = Event()
        self.practice_rated: Event[[int]] = Event()
        self.check_answered: Event[[str, bool]] = Event()
        self.finished: Event[[Session]] = Event()

    # ------------------------------------------------------------------ state

    @property
    def topic(self) -> str:
        """The procedure on show (the session keeps "" for the library's default)."""
        return self.session.topic or self.library.default_topic

    @property
    def pack(self) -> ContentPack:
        return self.library.pack(self.session.language, self.topic)

    def page_key(self, page_id: str, topic: str | None = None) -> str:
        """A page as the usage figures and the scroll memory name it: ``topic/page id``."""
        return f"{topic or self.topic}/{page_id}"

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

    def go(self, page_id: str | None, topic: str | None = None) -> bool:
        """Show a page by id (of ``topic``, None: the topic on show), or the welcome screen
        for ``None``; False for an unknown topic or page. Another topic's page switches the
        session to that topic: the ticks made so far wait for the patient's return."""
        topic = topic or self.topic
        if topic not in self.library.topics:
            return False
        pack = self.library.pack(self.session.language, topic)
        if page_id is not None and not any(page.id == page_id for page in pack.pages):
            return False
        previous = self.session.page_id
        self.session.enter_page(None if page_id is None else self.page_key(page_id, topic), self.clock(),
                                None if previous is None else self.page_key(previous))
        switched = topic != self.topic
        if switched:
            self.session.switch_topic("" if topic == self.library.default_topic else topic)
        self.session.page_id = page_id
        if self.session.check_return == (None if page_id is None else self.page_key(page_id, topic)):
            self.session.check_return = None  # back at the check
        if page_id is not None:
            self.session.furthest_page = max(self.session.furthest_page, pack.page_index(page_id))
        if switched:
            self.topic_changed.emit()
        self.page_changed.emit(previous, page_id)
        return True

    def follow(self, target: str) -> bool:
        """Follow a link in a page: ``page-id``, or ``topic-id/page-id`` for another topic's."""
        topic, _, page_id = target.rpartition("/")
        return self.go(page_id, topic or None)

    def start(self, topic: str | None = None) -> None:
        """The first page of ``topic`` (None: the topic on show): "Touch to start", or a
        topic's card on the welcome screen."""
        topic = topic or self.topic
        self.go(self.library.pack(self.session.language, topic).pages[0].id, topic)

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

    def remember_scroll(self, page_id: str, position: int, topic: str | None = None) -> None:
        """Where the patient left a page, to find it there when they come back."""
        self.session.scroll[self.page_key(page_id, topic)] = position

    def scroll_of(self, page_id: str) -> int:
        return self.session.scroll.get(self.page_key(page_id), 0)

    # ------------------------------------------------------------------ choices

    def toggle(self, question_id: str) -> bool:
        """Tick or untick a question on the list; returns whether it is now ticked. A question
        the check added ("check:<item id>") can be unticked, and ticked again, like any other."""
        self.pack.question(question_id)  # KeyError for an id no page offers
        if is_check_question(question_id) and question_id not in self.session.ticked and not any(
                item.question_id == question_id for item in self.missed_items()):
            raise KeyError(question_id)  # the check never added it
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

    def check(self, action: str, item_id: str, answer: int = -1) -> None:
        """The check of understanding (a page of kind ``check``) asks: ``show`` (the item is on
        screen), ``answer`` (one try: the first answer counts; one that is not right adds the
        item's "Please go over" question, ticked), ``skip`` or ``next`` (on to the next item),
        ``explain`` (open the page that explains it; the patient comes back to the check from
        there). KeyError for an item the topic's check does not have."""
        if action not in ACTIONS:
            raise ValueError(f"unknown check action {action!r}")
        pack, topic = self.pack, self.topic
        item = pack.check_item(item_id)
        key, session = item_key(topic, item_id), self.session
        index = pack.checks.index(item)
        if action == "show":
            session.check_at[topic] = index
            if key not in session.check_shown:
                session.check_shown.append(key)
        elif action in ("skip", "next"):
            session.check_at[topic] = index + 1
        elif action == "explain":
            page = check_page_id(pack)
            session.check_return = None if page is None else self.page_key(page)
            self.go(item.page)
        elif key not in session.check_answers:
            if not 0 <= answer < len(item.answers):
                raise ValueError(f"item {item_id!r} has no answer {answer}")
            session.check_at[topic] = index
            session.check_answers[key] = answer
            if key not in session.check_shown:
                session.check_shown.append(key)
            right = answer == item.right
            if not right and item.question_id not in session.ticked:
                session.ticked.append(item.question_id)
                self.question_toggled.emit(item.question_id, True)
            self.check_answered.emit(item_id, right)

    def missed_items(self) -> list[CheckItem]:
        """The topic on show's check items whose first answer was not right."""
        return missed_items(self.pack, self.session)

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

    def toggle_high_contrast(self) -> None:
        self.set_high_contrast(not self.session.high_contrast)

    def set_high_contrast(self, on: bool) -> None:
        if on != self.session.high_contrast:
            self.session.high_contrast = on
            self.looks_changed.emit()

    def toggle_reduced_motion(self) -> None:
        """Still pictures instead of moving ones, or back (``session.motion_reduced``)."""
        self.session.motion_swapped = not self.session.motion_swapped
        self.looks_changed.emit()

    # ------------------------------------------------------------------ ending

    def reset(self) -> None:
        """End the session ("I'm done", "Start over", the idle time-out, staff): a fresh one
        starts on the welcome screen, in the default language, size and contrast."""
        old = self.session
        old.enter_page(None, self.clock(), None if old.page_id is None else self.page_key(old.page_id))  # book the last page's time
        self.session = Session(language=self.library.default_language)
        looks = (old.language, old.text_scale, old.high_contrast, old.motion_swapped) != (self.session.language, 1.0, False, False)
        self.finished.emit(old)
        if old.topic:
            self.topic_changed.emit()
        if looks:
            self.looks_changed.emit()
        self.page_changed.emit(old.page_id, None)

    def usage(self, finished: Session) -> SessionRecord | None:
        """What a finished session adds to the anonymous usage figures (None if it never
        left the welcome screen): pages and questions named ``topic/id``."""
        if finished.furthest_page < 0 and not finished.elsewhere:
            return None
        topic = finished.topic or self.library.default_topic
        pages = self.library.pack(finished.language, topic).pages
        furthest = self.page_key(pages[finished.furthest_page].id, topic) if finished.furthest_page >= 0 else None
        ticked = [f"{t or self.library.default_topic}/{q}" for t, ids in finished.all_ticked().items() for q in ids
                  if not is_check_question(q)]  # (the check's own counters say what it added)
        items = {item_key(t, item.id): item for t in self.library.topics for item in self.library.pack(finished.language, t).checks}
        counts = check_counts(finished, items)
        return SessionRecord(finished.language, furthest, dict(finished.page_seconds), dict(finished.page_views), ticked, topic,
                             list(counts.shown), list(counts.right_first), list(counts.skipped))
