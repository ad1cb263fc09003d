"""The question checklist: big rows, tap to tick."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.core.content import ContentPack, Page, Question
from kiosk.core.session import Session
from kiosk.core.teach_back import missed_items
from kiosk.ui.pages.base import PageView
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import KioskButton, LaidOutButton, PlainLabel, discard, set_role


class TickBox(QWidget):
    """The square that shows a tick; drawn, so it looks the same with every font."""

    BASE_PX = 44

    def __init__(self, theme: Theme, scale: float = 1.0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.checked = False
        self.set_scale(scale)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def set_scale(self, scale: float) -> None:
        """The box grows with the text beside it (44 px at 100 %, 77 px at 200 %)."""
        side = round(self.BASE_PX * (1 + (scale - 1) * 0.75))
        self.setFixedSize(QSize(side, side))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        k = self.width() / self.BASE_PX  # drawn at 44 px, scaled to the box's size
        box = QRectF(3 * k, 3 * k, 38 * k, 38 * k)
        painter.setPen(QPen(QColor(self.theme.primary if self.checked else self.theme.border), 3 * k))
        painter.setBrush(QColor(self.theme.primary) if self.checked else QColor(self.theme.surface))
        painter.drawRoundedRect(box, 8 * k, 8 * k)
        if self.checked:
            pen = QPen(QColor(self.theme.on_primary), 5 * k)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.drawPolyline([box.topLeft() + QPointF(x * k, y * k) for x, y in ((9, 20), (16, 28), (30, 11))])
        painter.end()


class QuestionButton(LaidOutButton):
    """One checklist row: a checkable button holding the question and its "why ask"."""

    def __init__(self, question: Question, why_label: str, theme: Theme, scale: float = 1.0, parent: QWidget | None = None) -> None:
        super().__init__(f"question-{question.id}", "question", parent=parent)
        self.question = question
        self.setCheckable(True)
        self.setAccessibleName(question.text)
        self.setAccessibleDescription(f"{why_label} {question.why}")
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 14, 16, 14)
        row.setSpacing(18)
        self.tick = TickBox(theme, scale)
        row.addWidget(self.tick, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        column.setSpacing(4)
        self.text_label = PlainLabel(question.text)
        self.text_label.setWordWrap(True)
        self.text_label.setObjectName("question-text")
        self.why = PlainLabel(f"{why_label} {question.why}")
        self.why.setWordWrap(True)
        self.why.setObjectName("question-why")
        set_role(self.why, "muted")
        for label in (self.text_label, self.why):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            column.addWidget(label)
        row.addLayout(column, 1)
        self.toggled.connect(self._show_state)

    def _show_state(self, checked: bool) -> None:
        self.tick.checked = checked
        self.tick.update()

    def setText(self, text: str) -> None:  # noqa: N802
        # The visible text lives in child labels; keep the accessible name as the question.
        super(KioskButton, self).setText(text)


class ChecklistPage(PageView):
    """Emits ``toggle_requested(question_id)``; the controller updates the session."""

    def __init__(self, pack: ContentPack, page: Page, session: Session, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(pack, page, theme, session.text_scale, parent)
        column = self.column
        column.addWidget(self.rich_text(page.html))
        hint = PlainLabel(pack.text("checklist_hint"))
        hint.setWordWrap(True)
        hint.setObjectName("checklist-hint")
        set_role(hint, "step")
        column.addWidget(hint)
        self.buttons: dict[str, QuestionButton] = {}
        # The questions the check of understanding added ("Please go over: ..."), first, under
        # their own heading: ticked when added, and the patient may untick (and tick) them.
        self.added_heading = PlainLabel(pack.text("check_added_title"))
        self.added_heading.setObjectName("group-check-added")
        self.added_heading.setWordWrap(True)
        set_role(self.added_heading, "title")
        column.addWidget(self.added_heading)
        self.added_box = QVBoxLayout()
        self.added_box.setSpacing(14)
        column.addLayout(self.added_box)
        self.added: dict[str, QuestionButton] = {}
        for group in pack.groups:
            heading = PlainLabel(group.title)
            heading.setObjectName(f"group-{group.id}")
            heading.setWordWrap(True)
            set_role(heading, "title")
            column.addSpacing(10)
            column.addWidget(heading)
            for question in pack.questions:
                if question.group != group.id:
                    continue
                button = QuestionButton(question, pack.text("why_label"), theme, session.text_scale)
                button.setChecked(session.is_ticked(question.id))
                button.clicked.connect(lambda _=False, qid=question.id: self.toggle_requested.emit(qid))
                self.buttons[question.id] = button
                column.addWidget(button)
        column.addStretch(1)
        self.show_added(session)

    def show_added(self, session: Session) -> None:
        """A row for each question the check added in ``session`` (none after a reset)."""
        wanted = [item.question_id for item in missed_items(self.pack, session)]
        for question_id in [q for q in self.added if q not in wanted]:
            discard(self.added.pop(question_id))
        for question_id in wanted:
            button = self.added.get(question_id)
            if button is None:
                button = self.added[question_id] = QuestionButton(self.pack.question(question_id), self.pack.text("why_label"),
                                                                  self.theme, self.scale)
                button.clicked.connect(lambda _=False, qid=question_id: self.toggle_requested.emit(qid))
                self.added_box.insertWidget(wanted.index(question_id), button)
            button.setChecked(session.is_ticked(question_id))
        self.added_heading.setVisible(bool(wanted))

    def speech_parts(self) -> list[str]:
        parts = [self.page.title, *self.page.blocks, self.pack.text("checklist_hint")]
        if self.added:
            parts.append(self.added_heading.text())
            parts += [f"{b.question.text} {self.pack.text('ticked' if b.isChecked() else 'not_ticked')}." for b in self.added.values()]
        for group in self.pack.groups:
            parts.append(group.title)
            for question in self.pack.questions:
                if question.group == group.id:
                    state = self.pack.text("ticked" if self.buttons[question.id].isChecked() else "not_ticked")
                    parts.append(f"{question.text} {state}.")
        return parts

    def restyle(self, theme: Theme, scale: float) -> None:
        super().restyle(theme, scale)
        for button in [*self.buttons.values(), *self.added.values()]:
            button.tick.theme = theme
            button.tick.set_scale(scale)
            button.tick.update()

    def sync(self, session: Session) -> None:
        for question_id, button in self.buttons.items():
            button.setChecked(session.is_ticked(question_id))
        self.show_added(session)

    def shown(self, session: Session) -> None:
        self.show_added(session)

    def question_toggled(self, question_id: str, ticked: bool) -> None:
        button = self.buttons.get(question_id) or self.added.get(question_id)
        if button is not None:  # (one the check has just added gets its row when this page is shown)
            button.setChecked(ticked)
