"""The check of understanding (teach-back): one item at a time, two or three large answer
buttons, feedback in words and an icon (never colour alone, never a score), the page that
explains it, and a Skip button. The page asks the walkthrough model for every change through
``check_requested(action, item id, answer)`` and draws what the session then holds."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QAbstractButton, QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from kiosk.core.content import CheckItem
from kiosk.core.session import Session
from kiosk.core.teach_back import feedback, item_key
from kiosk.ui.icons import icon
from kiosk.ui.pages.base import PageView
from kiosk.ui.pages.registry import PageContext
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import KioskButton, LaidOutButton, PlainLabel, set_role

ICON_PX = 40


class AnswerButton(LaidOutButton):
    """A large answer: its words wrap (a long answer at 200 % never runs off the button), with
    a tick beside the right one once the patient has answered, and "Your answer" under theirs."""

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(f"check-answer-{index + 1}", "question", parent=parent)
        self.setCheckable(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 14, 16, 14)
        row.setSpacing(16)
        self.mark = QLabel()
        self.mark.setObjectName("check-answer-mark")
        self.mark.setFixedSize(QSize(ICON_PX, ICON_PX))
        row.addWidget(self.mark, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        column.setSpacing(4)
        self.words = PlainLabel()
        self.words.setWordWrap(True)
        self.words.setObjectName("check-answer-text")
        self.chosen = PlainLabel()
        self.chosen.setObjectName("check-answer-chosen")
        set_role(self.chosen, "step")
        for label in (self.words, self.chosen):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            column.addWidget(label)
        row.addLayout(column, 1)
        self.mark.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def show_answer(self, text: str, right: bool | None, chosen: str, colour: str, size: int = ICON_PX) -> None:
        """``right``: None before the patient answers; then the tick marks the right answer, as
        large as the words beside it (``size``)."""
        self.mark.setFixedSize(QSize(size, size))
        self.words.setText(text)
        self.setText(text)
        self.setChecked(bool(right))
        self.mark.setPixmap(icon("check", colour, self.mark.width()).pixmap(self.mark.size()) if right else _blank())
        self.chosen.setText(chosen)
        self.chosen.setVisible(bool(chosen))
        self.setAccessibleDescription(chosen)

    def setText(self, text: str) -> None:  # noqa: N802
        super(KioskButton, self).setText("")  # (the words are drawn by the label, wrapped)
        self._label = text
        self.setAccessibleName(text)


def _blank() -> QPixmap:
    pixmap = QPixmap(1, 1)
    pixmap.fill(Qt.GlobalColor.transparent)
    return pixmap


class CheckPage(PageView):
    """Emits ``check_requested(action, item_id, answer)`` (see ``Walkthrough.check``) and
    ``navigate`` for the page that explains an item."""

    def __init__(self, context: PageContext) -> None:
        pack, page = context.pack, context.page
        super().__init__(pack, page, context.theme, context.session.text_scale)
        self.session = context.session
        self._drawn: tuple[object, ...] | None = None  # what draw_item drew: item, answer, theme, scale
        column = self.column
        column.addWidget(self.rich_text(page.html))
        self.counter = PlainLabel()
        self.counter.setObjectName("check-counter")
        set_role(self.counter, "step")
        self.question = PlainLabel()
        self.question.setObjectName("check-question")
        self.question.setWordWrap(True)
        set_role(self.question, "title")
        column.addWidget(self.counter)
        column.addWidget(self.question)
        self.answer_buttons = [AnswerButton(i) for i in range(max((len(item.answers) for item in pack.checks), default=0))]
        for index, button in enumerate(self.answer_buttons):
            button.clicked.connect(lambda _=False, i=index: self._answer(i))
            column.addWidget(button)
        # The feedback: an icon and words, on the same calm colours whatever the answer.
        self.feedback = QFrame()
        self.feedback.setObjectName("check-feedback")
        row = QHBoxLayout(self.feedback)
        row.setContentsMargins(16, 14, 16, 14)
        row.setSpacing(16)
        self.feedback_icon = QLabel()
        self.feedback_icon.setObjectName("check-feedback-icon")
        self.feedback_icon.setFixedSize(QSize(ICON_PX, ICON_PX))
        self.feedback_text = PlainLabel()
        self.feedback_text.setObjectName("check-feedback-text")
        self.feedback_text.setWordWrap(True)
        row.addWidget(self.feedback_icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.feedback_text, 1)
        column.addWidget(self.feedback)
        self.show_page = KioskButton(pack.text("check_show_page"), "check-show-page")
        self.show_page.clicked.connect(lambda: self._ask("explain"))
        self.next_button = KioskButton(pack.text("check_next"), "check-next", "primary")
        self.next_button.clicked.connect(lambda: self._ask("next"))
        self.skip = KioskButton(pack.text("check_skip"), "check-skip")
        self.skip.clicked.connect(lambda: self._ask("skip"))
        for action in (self.show_page, self.next_button, self.skip):
            action.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            column.addWidget(action)
        self.done = PlainLabel(pack.text("check_done"))
        self.done.setObjectName("check-done")
        self.done.setWordWrap(True)
        set_role(self.done, "title")
        column.addWidget(self.done)
        column.addStretch(1)
        self.draw_item()

    # ------------------------------------------------------------------ state

    def item(self) -> CheckItem | None:
        """The item on show (None once every item is done)."""
        index = self.session.check_at.get(self.pack.topic, 0)
        return self.pack.checks[index] if index < len(self.pack.checks) else None

    def answer_of(self, item: CheckItem) -> int | None:
        return self.session.check_answers.get(item_key(self.pack.topic, item.id))

    # ------------------------------------------------------------------ drawing

    def draw_item(self) -> None:
        """Draw the session's item: its question and answers, then, once answered, the feedback.
        Nothing is done when that is what is drawn already (every reset syncs every topic's
        and language's check page, most of them showing the first item unanswered)."""
        item = self.item()
        drawn = (None if item is None else item.id, None if item is None else self.answer_of(item), self.theme, self.scale)
        if drawn == self._drawn:
            return
        self._drawn = drawn
        for widget in (self.counter, self.question, self.feedback, self.show_page, self.next_button, self.skip):
            widget.setVisible(item is not None)
        self.done.setVisible(item is None)
        if item is None:
            for button in self.answer_buttons:
                button.hide()
            return
        answer = self.answer_of(item)
        index = self.pack.checks.index(item)
        self.counter.setText(self.pack.text("check_of", n=index + 1, total=len(self.pack.checks)))
        self.question.setText(item.question)
        for number, button in enumerate(self.answer_buttons):
            button.setVisible(number < len(item.answers))
            if number < len(item.answers):
                button.show_answer(item.answers[number], None if answer is None else number == item.right,
                                   self.pack.text("check_chosen") if number == answer else "", self.theme.primary,
                                   self.icon_px())
                # Answered: the buttons stay drawn as they are (a disabled one would grey the tick and
                # the words), the model ignores a second answer, and Tab passes them by.
                button.setFocusPolicy(Qt.FocusPolicy.StrongFocus if answer is None else Qt.FocusPolicy.NoFocus)
        self.feedback.setVisible(answer is not None)
        self.show_page.setVisible(answer is not None and answer != item.right)
        self.next_button.setVisible(answer is not None)
        self.next_button.setText(self.pack.text("check_finish" if index == len(self.pack.checks) - 1 else "check_next"))
        self.skip.setVisible(answer is None)
        if answer is not None:
            self.feedback_text.setText(feedback(self.pack, item, answer))
            size = self.icon_px()
            self.feedback_icon.setFixedSize(QSize(size, size))
            self.feedback_icon.setPixmap(icon("check" if answer == item.right else "look-again", self.theme.primary,
                                              size).pixmap(size, size))

    def icon_px(self) -> int:
        """The marks grow with the text (40 px at 100 %, 70 px at 200 %), as the checklist's tick boxes do."""
        return round(ICON_PX * (1 + (self.scale - 1) * 0.75))

    def _ask(self, action: str, answer: int = -1) -> None:
        item = self.item()
        if item is None:
            return
        self.check_requested.emit(action, item.id, answer)
        if action in ("next", "skip"):
            self._on_show()
        self.draw_item()

    def _answer(self, index: int) -> None:
        self._ask("answer", index)
        if self.next_button.isVisible():  # a keypad user goes on from the feedback, not from a disabled answer
            self.next_button.setFocus(Qt.FocusReason.OtherFocusReason)
            # Then the feedback into view (at 200 % on a small panel the words matter more than the button).
            QTimer.singleShot(0, self, lambda: self.scroll_area.ensureWidgetVisible(self.feedback, 0, 24))

    def _on_show(self) -> None:
        item = self.item()
        if item is not None:
            self.check_requested.emit("show", item.id, -1)
        self.draw_item()
        if item is None:
            self.done.setFocus(Qt.FocusReason.OtherFocusReason)

    # ------------------------------------------------------------------ hooks

    def shown(self, session: Session) -> None:
        self.session = session
        self._on_show()

    def sync(self, session: Session) -> None:
        self.session = session
        self.draw_item()

    def restyle(self, theme: Theme, scale: float) -> None:
        super().restyle(theme, scale)
        self.draw_item()  # the icons take the theme's colour

    def focus_first(self) -> QWidget | None:
        """Back at an item already answered (from the page that explains it): "Next question"."""
        item = self.item()
        if item is not None and self.answer_of(item) is not None and self.next_button.isVisibleTo(self):
            return self.next_button
        return super().focus_first()

    def icon_buttons(self) -> list[tuple[QAbstractButton, str, bool]]:
        return [(self.next_button, "next", True)]

    def speech_parts(self) -> list[str]:
        parts = [self.page.title, *self.page.blocks]
        item = self.item()
        if item is None:
            return [*parts, self.done.text()]
        parts += [self.counter.text(), item.question]
        parts += [f"{number}. {answer}" for number, answer in enumerate(item.answers, start=1)]
        answer = self.answer_of(item)
        if answer is not None:
            parts.append(feedback(self.pack, item, answer))
        return parts
