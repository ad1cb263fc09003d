"""The patient's own list: the questions they ticked, to show their nurse or doctor."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from kiosk.core.content import ContentPack, Page
from kiosk.core.session import Session
from kiosk.ui.pages.base import PageView
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import discard, set_role


class SummaryPage(PageView):
    def __init__(self, pack: ContentPack, page: Page, session: Session, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(pack, page, theme, session.text_scale, parent)
        column = QVBoxLayout(self.body)
        column.setContentsMargins(0, 8, 16, 24)
        column.setSpacing(14)
        self.show_nurse = QLabel(pack.text("show_nurse"))
        self.show_nurse.setObjectName("show-nurse")
        self.show_nurse.setWordWrap(True)
        set_role(self.show_nurse, "title")
        column.addWidget(self.show_nurse)
        self.count = QLabel()
        self.count.setObjectName("summary-count")
        self.count.setWordWrap(True)
        column.addWidget(self.count)
        self.list_frame = QFrame()
        self.list_frame.setObjectName("ticked-list")
        self.list_layout = QVBoxLayout(self.list_frame)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.list_layout.setSpacing(10)
        column.addWidget(self.list_frame)
        column.addWidget(self.rich_text(page.html))
        column.addStretch(1)
        self.item_labels: list[QLabel] = []
        self.refresh(session)

    def refresh(self, session: Session) -> None:
        """Show exactly the questions ticked in ``session``, in checklist order."""
        for label in self.item_labels:
            discard(label)
        self.item_labels = []
        ticked = [q for q in self.pack.questions if session.is_ticked(q.id)]
        if not ticked:
            self.count.setText(self.pack.text("summary_empty"))
        elif len(ticked) == 1:
            self.count.setText(self.pack.text("summary_count_one"))
        else:
            self.count.setText(self.pack.text("summary_count", n=len(ticked)))
        for number, question in enumerate(ticked, start=1):
            label = QLabel(f"{number}.  {question.text}")
            label.setObjectName(f"ticked-{question.id}")
            label.setWordWrap(True)
            label.setProperty("question_id", question.id)
            set_role(label, "title")
            self.list_layout.addWidget(label)
            self.item_labels.append(label)

    def speech_parts(self) -> list[str]:
        return [self.page.title, self.show_nurse.text(), self.count.text(), *self.ticked_texts(), *self.page.blocks]

    def ticked_texts(self) -> list[str]:
        return [label.text().split(".  ", 1)[1] for label in self.item_labels]
