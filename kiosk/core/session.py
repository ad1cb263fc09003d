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
    page_id: str | None = None  # None: the welcome screen
    ticked: list[str] = field(default_factory=list)  # question ids, in the order ticked
    text_scale: float = 1.0
    high_contrast: bool = False
    scroll: dict[str, int] = field(default_factory=dict)  # page id -> scroll position
    furthest_page: int = -1

    def toggle(self, question_id: str) -> bool:
        """Tick or untick a question; returns whether it is now ticked."""
        if question_id in self.ticked:
            self.ticked.remove(question_id)
            return False
        self.ticked.append(question_id)
        return True

    def is_ticked(self, question_id: str) -> bool:
        return question_id in self.ticked

    def next_text_scale(self) -> float:
        """Cycle 100 % -> 150 % -> 200 % -> 100 %."""
        index = TEXT_SCALES.index(self.text_scale) if self.text_scale in TEXT_SCALES else 0
        self.text_scale = TEXT_SCALES[(index + 1) % len(TEXT_SCALES)]
        return self.text_scale
