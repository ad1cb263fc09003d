"""A "diary" page: an information page (the after-care page) that also shows the pain
diary's practice scale, where its text says ``{{practice_scale}}``, with "Print my pain
diary" under it when a printer is set."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.core.content import ContentPack, Page, is_singular
from kiosk.core.content.placeholders import PRACTICE_TOKEN
from kiosk.core.diary import DEFAULT_SCHEDULE, duration, minutes_of, words_from
from kiosk.core.render import html_to_blocks
from kiosk.core.session import Session
from kiosk.ui.pages.content_page import ContentPage
from kiosk.ui.practice_scale import PracticeScale
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import KioskButton, PlainLabel, set_role


class DiaryPage(ContentPage):
    """``practice`` (the scale) asks the model for a score through ``practice_rated``;
    ``print_diary_button`` asks for the diary through ``diary_print_requested``."""

    def __init__(self, pack: ContentPack, page: Page, theme: Theme, scale: float, session: Session,
                 schedule: tuple[str, ...] = DEFAULT_SCHEDULE, can_print: bool = False,
                 parent: QWidget | None = None) -> None:
        before, _, after = page.html.partition(f"<p>{PRACTICE_TOKEN}</p>")
        super().__init__(pack, page, theme, scale, parent, html=before)
        self.blocks_before = len(html_to_blocks(before))
        words = words_from(pack.ui, lambda n: is_singular(pack.language, n))
        self.practice = PracticeScale(pack, duration(minutes_of(schedule[0]), words))
        self.practice.rated.connect(self.practice_rated)
        self.print_diary_button = KioskButton(pack.text("print_diary"), "print-diary", "primary")
        self.print_diary_button.clicked.connect(self.diary_print_requested)
        self.print_diary_button.setVisible(can_print)
        self.status = PlainLabel()
        self.status.setObjectName("diary-print-status")
        self.status.setWordWrap(True)
        set_role(self.status, "step")
        self.status.hide()
        box = QWidget()
        box.setObjectName("practice-box")
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(14)
        column.addWidget(self.practice)
        actions = QHBoxLayout()
        actions.addWidget(self.print_diary_button)
        actions.addStretch(1)
        column.addLayout(actions)
        column.addWidget(self.status)
        # The page's text before the scale, the scale, then the rest of the text.
        at = self.column.indexOf(self.text) + 1
        self.column.insertWidget(at, box)
        self.rest = self.rich_text(after, "page-text-after")
        self.rest.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.column.insertWidget(at + 1, self.rest)
        self.sync(session)

    def sync(self, session: Session) -> None:
        self.practice.show_score(session.practice_score)
        self.status.hide()

    def shown(self, session: Session) -> None:
        self.practice.show_score(session.practice_score)

    def practice_changed(self, score: int | None) -> None:
        self.practice.show_score(score)

    def icon_buttons(self) -> list[tuple[QAbstractButton, str, bool]]:
        return [(self.print_diary_button, "print", True)]

    def set_diary_printing(self, busy: bool) -> None:
        self.print_diary_button.setText(self.pack.text("printing_diary" if busy else "print_diary"))
        if busy:
            self.status.hide()

    def show_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.show()

    def speech_parts(self) -> list[str]:
        """The page's words in reading order, the practice scale where it stands among them."""
        parts = super().speech_parts()
        split = len(parts) - len(self.page.blocks) + self.blocks_before
        return [*parts[:split], *self.practice.speech_parts(), *parts[split:]]
