"""The session: everything a patient has touched, in one object that reset replaces.

This is the privacy boundary. Nothing here is ever written to disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TEXT_SCALES = (1.0, 1.5, 2.0)


@dataclass
class Session:
    """One patient's visit. ``Session(language=...)`` is the fresh state."""

    language: str = "en"
    topic: str = ""  # the procedure on show; "" is the library's default topic
    page_id: str | None = None  # None: the welcome screen
    ticked: list[str] = field(default_factory=list)  # question ids of the topic on show, in the order ticked
    text_scale: float = 1.0
    high_contrast: bool = False
    # The patient turned the stage pictures' motion the other way from the clinic's
    # setting (config ``motion``): see :func:`motion_reduced`.
    motion_swapped: bool = False
    scroll: dict[str, int] = field(default_factory=dict)  # "topic/page id" -> scroll position
    furthest_page: int = -1  # in the topic on show
    # The topics the patient left for another (by a link between topics): their ticks and
    # furthest page, back in place if they return, counted with the rest at reset.
    elsewhere: dict[str, tuple[list[str], int]] = field(default_factory=dict)
    qr_visible: bool = False  # the summary's QR code of the ticked questions
    practice_score: int | None = None  # the pain diary's practice scale (0-10): only shown, never kept
    # The check of understanding, by "topic/item id": the answer picked (its index; one try),
    # the items shown, the item on show in each topic's check, and the check page to come back
    # to ("topic/page id") after "Show me the page". The questions the check adds to the list
    # are in ``ticked`` as "check:<item id>", with the topic's other ticks.
    check_answers: dict[str, int] = field(default_factory=dict)
    check_shown: list[str] = field(default_factory=list)
    check_at: dict[str, int] = field(default_factory=dict)
    check_return: str | None = None
    # Anonymous timing for the usage counters, by "topic/page id"; cleared with everything else.
    page_seconds: dict[str, float] = field(default_factory=dict)
    page_views: dict[str, int] = field(default_factory=dict)
    page_entered: float | None = None

    def toggle(self, question_id: str) -> bool:
        """Tick or untick a question; returns whether it is now ticked."""
        if question_id in self.ticked:
            self.ticked.remove(question_id)
            return False
        self.ticked.append(question_id)
        return True

    def is_ticked(self, question_id: str) -> bool:
        return question_id in self.ticked

    @property
    def touched(self) -> bool:
        """True once the patient has done anything: a fresh session is not worth clearing."""
        return self != Session(language=self.language, topic=self.topic) or self.furthest_page >= 0

    def switch_topic(self, topic: str) -> None:
        """Show another topic: this one's ticks and furthest page wait in ``elsewhere``."""
        if topic != self.topic:
            self.elsewhere[self.topic] = (self.ticked, self.furthest_page)
            self.ticked, self.furthest_page = self.elsewhere.pop(topic, ([], -1))
            self.topic = topic

    def all_ticked(self) -> dict[str, list[str]]:
        """Every topic's ticked question ids, the topic on show first."""
        ticks = {self.topic: self.ticked} | {topic: ticked for topic, (ticked, _) in self.elsewhere.items()}
        return {topic: ticked for topic, ticked in ticks.items() if ticked}

    def enter_page(self, page_id: str | None, now: float, previous: str | None) -> None:
        """Book the time spent on ``previous`` and start timing ``page_id``."""
        if previous is not None and self.page_entered is not None:
            self.page_seconds[previous] = self.page_seconds.get(previous, 0.0) + (now - self.page_entered)
        if page_id is not None:
            self.page_views[page_id] = self.page_views.get(page_id, 0) + 1
        self.page_entered = now if page_id is not None else None


def next_text_scale(scale: float) -> float:
    """The text size after ``scale``: 100 % -> 150 % -> 200 % -> 100 %."""
    index = TEXT_SCALES.index(scale) if scale in TEXT_SCALES else 0
    return TEXT_SCALES[(index + 1) % len(TEXT_SCALES)]


def motion_reduced(session: Session, clinic_reduced: bool) -> bool:
    """True when the stage pictures stay still (their last frame, captions as a list):
    the clinic's choice, unless this patient switched it the other way."""
    return clinic_reduced != session.motion_swapped
