"""The question checklist: big rows, tap to tick."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMargins, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from kiosk.core.content import ContentPack, Page, Question
from kiosk.core.session import Session
from kiosk.core.teach_back import missed_items
from kiosk.ui.pages.base import PageView
from kiosk.ui.theme import BASE_BODY_PX, Theme, px
from kiosk.ui.widgets import KioskButton, PlainLabel, discard, set_role

TICK_BASE_PX = 44  # the tick box at 100 % (77 px at 200 %)
MARGINS = QMargins(16, 14, 16, 14)  # around the row's tick box and words
TICK_GAP = 18  # between the tick box and the words
LINE_GAP = 4  # between the question and why to ask it
WRAP = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap


def paint_tick(painter: QPainter, side: int, theme: Theme, checked: bool) -> None:
    """The square that shows a tick, ``side`` px, at the painter's origin: drawn, so that it
    looks the same with every font."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    k = side / TICK_BASE_PX  # drawn at 44 px, scaled to the box's size
    box = QRectF(3 * k, 3 * k, 38 * k, 38 * k)
    painter.setPen(QPen(QColor(theme.primary if checked else theme.border), 3 * k))
    painter.setBrush(QColor(theme.primary) if checked else QColor(theme.surface))
    painter.drawRoundedRect(box, 8 * k, 8 * k)
    if checked:
        pen = QPen(QColor(theme.on_primary), 5 * k)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.drawPolyline([box.topLeft() + QPointF(x * k, y * k) for x, y in ((9, 20), (16, 28), (30, 11))])
    painter.restore()


class QuestionButton(KioskButton):
    """One checklist row: a checkable button showing a tick box, the question and, under it
    in smaller muted words, why to ask it, wrapped to the row's width.

    The row draws its tick box and words itself, as plain text, so it is one widget. It was
    a button holding a tick box and two labels: under the style sheet Qt keeps a table of
    style rules for every widget (~14 KB more than without a sheet), and the four checklists
    (two topics, two languages, all made ahead) hold 100 rows: PSS after the bench's walk
    fell 134.3 -> 125.3 MB. The words wrap exactly as a word-wrapped label's did (the same
    font metrics and flags); the rows look the same to the pixel."""

    def __init__(self, question: Question, why_label: str, theme: Theme, scale: float = 1.0, parent: QWidget | None = None) -> None:
        super().__init__("", f"question-{question.id}", "question", parent=parent)
        self.question = question
        self.why = f"{why_label} {question.why}"
        self.theme = theme
        self.scale = scale
        self.setCheckable(True)
        self.setAccessibleName(question.text)
        self.setAccessibleDescription(self.why)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        # Measured once per font and width (a layout asks many times; a turn to the page
        # measured every row again): width -> the question's and the why's heights.
        self._heights: dict[int, tuple[int, int]] = {}
        self._fonts: tuple[QFont, QFont] | None = None
        self._hints: tuple[QSize, QSize] | None = None  # (size hint, minimum size hint)

    def _forget_measures(self) -> None:
        self._heights, self._fonts, self._hints = {}, None, None
        self.updateGeometry()

    def setText(self, text: str) -> None:  # noqa: N802
        # The row draws its own words; keep the accessible name as the question.
        super(KioskButton, self).setText(text)

    def set_looks(self, theme: Theme, scale: float) -> None:
        self.theme, self.scale = theme, scale
        self._forget_measures()
        self.update()

    def tick_side(self) -> int:
        """The tick box's side: it grows with the words beside it (44 px at 100 %, 77 px at 200 %)."""
        return round(TICK_BASE_PX * (1 + (self.scale - 1) * 0.75))

    def fonts(self) -> tuple[QFont, QFont]:
        """The question's font (the row's own, from the style sheet) and the smaller one of
        why to ask it (a muted label's size)."""
        if self._fonts is None:
            self.ensurePolished()  # (the style sheet's font, even when measured before it is shown)
            why = QFont(self.font())
            why.setPixelSize(px(BASE_BODY_PX * 0.8, self.scale))
            self._fonts = self.font(), why
        return self._fonts

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._forget_measures()  # the words wrap to another height (as a label's do)
        super().changeEvent(event)

    def _words_left(self) -> int:
        return MARGINS.left() + self.tick_side() + TICK_GAP

    def _words_height(self, width: int) -> tuple[int, int]:
        """The question's and the why's heights, wrapped at ``width``."""
        heights = self._heights.get(width)
        if heights is None:
            question, why = self.fonts()
            heights = self._heights[width] = (
                QFontMetrics(question).boundingRect(QRect(0, 0, width, 100_000), WRAP, self.question.text).height(),
                QFontMetrics(why).boundingRect(QRect(0, 0, width, 100_000), WRAP, self.why).height())
        return heights

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        question, why = self._words_height(max(1, width - self._words_left() - MARGINS.right()))
        return MARGINS.top() + max(self.tick_side(), question + LINE_GAP + why) + MARGINS.bottom()

    def sizeHint(self) -> QSize:  # noqa: N802
        return self._size_hints()[0]

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        """As narrow as its longest word, and as short as one line of each (as the labels were)."""
        return self._size_hints()[1]

    def _size_hints(self) -> tuple[QSize, QSize]:
        if self._hints is None:
            question, why = (QFontMetrics(font) for font in self.fonts())
            words = max(question.horizontalAdvance(self.question.text), why.horizontalAdvance(self.why))
            width = self._words_left() + min(words, 40 * question.averageCharWidth()) + MARGINS.right()
            longest = max(max((question.horizontalAdvance(w) for w in self.question.text.split()), default=0),
                          max((why.horizontalAdvance(w) for w in self.why.split()), default=0))
            lines = (question.boundingRect(QRect(0, 0, 100_000, 100_000), WRAP, "Ag").height() + LINE_GAP
                     + why.boundingRect(QRect(0, 0, 100_000, 100_000), WRAP, "Ag").height())
            self._hints = (QSize(width, self.heightForWidth(width)),
                           QSize(self._words_left() + longest + MARGINS.right(), MARGINS.top() + max(self.tick_side(), lines) + MARGINS.bottom()))
        return self._hints

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)  # the button itself: its background, border and focus ring (it has no text)
        painter = QPainter(self)
        painter.translate(MARGINS.left(), MARGINS.top())
        paint_tick(painter, self.tick_side(), self.theme, self.isChecked())
        painter.resetTransform()
        left = self._words_left()
        width = max(1, self.width() - left - MARGINS.right())
        question_font, why_font = self.fonts()
        question_height, why_height = self._words_height(width)
        painter.setFont(question_font)
        painter.setPen(QColor(self.theme.text))
        painter.drawText(QRect(left, MARGINS.top(), width, question_height), WRAP, self.question.text)
        painter.setFont(why_font)
        painter.setPen(QColor(self.theme.muted))
        painter.drawText(QRect(left, MARGINS.top() + question_height + LINE_GAP, width, why_height), WRAP, self.why)
        painter.end()


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
            button.set_looks(theme, scale)

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
