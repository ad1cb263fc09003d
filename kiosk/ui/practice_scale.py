"""The pain diary's practice scale: eleven large buttons, 0 to 10, with words at 0, 5 and
10, and the diary row the picked number would make.

It draws what the session holds (``show_score``) and asks for a change through ``rated``;
the number lives in the session only, so it goes at reset, and it is never counted.
Keys: Tab and the keypad's arrows move between the numbers, Enter or Space picks one, and
a digit key picks that number (0-9) at once."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.core.content import ContentPack
from kiosk.ui.widgets import KioskButton, PlainLabel, set_role

SCORES = range(11)
GAP_PX = 10  # between the numbers: >= 8 px between targets (KIOSK-STANDARDS)


def spoken_score(pack: ContentPack, score: int) -> str:
    """What is said when ``score`` is picked: the number, and its words at 0, 5 and 10."""
    words = {0: "scale_0", 5: "scale_5", 10: "scale_10"}
    said = pack.text("practice_chosen", n=score)
    return f"{said} {pack.text(words[score])}." if score in words else said


class ScoreButton(KioskButton):
    """One number of the scale. A digit picks its number. (The arrow keys move along the
    scale as they do between any Qt buttons: left and right here, up and down in the window.)"""

    digit_pressed = Signal(int)

    def __init__(self, score: int) -> None:
        super().__init__(str(score), f"practice-{score}", "score")
        self.score = score
        self.setCheckable(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if Qt.Key.Key_0 <= key <= Qt.Key.Key_9 and not event.isAutoRepeat():
            self.digit_pressed.emit(key - Qt.Key.Key_0)
            return
        super().keyPressEvent(event)


class PracticeScale(QFrame):
    """``rated(score)`` asks for a score; ``show_score(score or None)`` draws one."""

    rated = Signal(int)

    def __init__(self, pack: ContentPack, first_row: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pack = pack
        self.setObjectName("practice")
        self.score: int | None = None
        column = self.column = QVBoxLayout(self)
        column.setContentsMargins(20, 16, 20, 20)
        column.setSpacing(12)
        self.title = self._label(pack.text("practice_title"), "practice-title", "title")
        self.prompt = self._label(pack.text("practice_prompt"), "practice-prompt")
        column.addWidget(self.title)
        column.addWidget(self.prompt)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(GAP_PX)
        self.grid.setVerticalSpacing(GAP_PX)
        self.buttons: list[ScoreButton] = []
        for score in SCORES:
            button = ScoreButton(score)
            button.clicked.connect(lambda _checked=False, s=score: self.rated.emit(s))
            button.digit_pressed.connect(self.rated)
            self.buttons.append(button)
        self.words = [self._label(pack.text(f"scale_{n}"), f"practice-word-{n}", "muted") for n in (0, 5, 10)]
        self.words[1].setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.words[2].setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        column.addLayout(self.grid)
        self.row_title = self._label(pack.text("practice_row"), "practice-row-title")
        column.addWidget(self.row_title)
        self.sample = QFrame()
        self.sample.setObjectName("practice-sample")
        self.sample_grid = QGridLayout(self.sample)
        self.sample_grid.setContentsMargins(14, 10, 14, 10)
        self.sample_grid.setHorizontalSpacing(24)
        self.sample_grid.setVerticalSpacing(6)
        headers = (pack.text("diary_col_after"), pack.text("diary_col_clock"), pack.text("diary_col_score"),
                   pack.text("diary_col_activity"))
        self.sample_heads = [self._label(text, f"sample-head-{i}", "step") for i, text in enumerate(headers)]
        self.sample_score = self._label("", "sample-score", "title")
        self.sample_values: list[QLabel] = [
            self._label(first_row, "sample-time"), self._label(pack.text("diary_example_clock"), "sample-clock"),
            self.sample_score, self._label(pack.text("diary_example_activity"), "sample-activity"),
        ]
        column.addWidget(self.sample)
        note_row = QHBoxLayout()
        self.note = self._label(pack.text("practice_note"), "practice-note", "muted")
        note_row.addWidget(self.note)
        column.addLayout(note_row)
        self._arranged: tuple[bool, bool] | None = None
        self.arrange(1920)
        self.show_score(None)

    @staticmethod
    def _label(text: str, name: str, role: str = "") -> QLabel:
        label = PlainLabel(text)
        label.setObjectName(name)
        label.setWordWrap(True)
        if role:
            set_role(label, role)
        return label

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        # Laid out for the width it has: never wider than the page (a row that does not fit
        # goes in two), so the change cannot make the page resize it again.
        self.arrange(self.width())

    def arrange(self, width: int) -> None:
        """One row of eleven numbers where they fit at ``width`` and the text size, else 0-5
        over 6-10; the sample row as a table where its headings fit, else as a list."""
        margins = self.column.contentsMargins()
        room = width - margins.left() - margins.right()
        numbers = 11 * max(b.sizeHint().width() for b in self.buttons) + 10 * GAP_PX
        sample = self.sample_grid.contentsMargins()
        headings = sum(h.sizeHint().width() for h in self.sample_heads) + 3 * self.sample_grid.horizontalSpacing()
        wide = (room >= numbers, room - sample.left() - sample.right() >= headings)
        if wide == self._arranged:
            return
        self._arranged = wide
        for item in (*self.buttons, *self.words):
            self.grid.removeWidget(item)
        per_row = 11 if wide[0] else 6
        for score, button in enumerate(self.buttons):
            self.grid.addWidget(button, (score // per_row) * 2, score % per_row)
        # The words sit under their numbers: 0 at the left, 5 in the middle, 10 at the right.
        last_row = (10 // per_row) * 2 + 1
        if wide[0]:
            self.grid.addWidget(self.words[0], 1, 0, 1, 4, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(self.words[1], 1, 4, 1, 3)
            self.grid.addWidget(self.words[2], 1, 7, 1, 4)
        else:  # 0-5 over 6-10: "5" ends the first row, "10" is fifth in the second
            self.grid.addWidget(self.words[0], 1, 0, 1, 3, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(self.words[1], 1, 3, 1, 3)
            self.grid.addWidget(self.words[2], last_row, 0, 1, 5)
        middle = Qt.AlignmentFlag.AlignHCenter if wide[0] else Qt.AlignmentFlag.AlignRight
        self.words[1].setAlignment(middle | Qt.AlignmentFlag.AlignTop)
        for column in range(11):
            self.grid.setColumnStretch(column, 1 if column < per_row else 0)
        for item in (*self.sample_heads, *self.sample_values):
            self.sample_grid.removeWidget(item)
        for i, (head, value) in enumerate(zip(self.sample_heads, self.sample_values, strict=True)):
            if wide[1]:
                self.sample_grid.addWidget(head, 0, i, Qt.AlignmentFlag.AlignTop)
                self.sample_grid.addWidget(value, 1, i, Qt.AlignmentFlag.AlignTop)
            else:
                self.sample_grid.addWidget(head, i, 0, Qt.AlignmentFlag.AlignTop)
                self.sample_grid.addWidget(value, i, 1, Qt.AlignmentFlag.AlignTop)
        for column in range(4):
            self.sample_grid.setColumnStretch(column, (1 if column < 3 else 2) if wide[1] else (1 if column == 1 else 0))

    def show_score(self, score: int | None) -> None:
        """Draw ``score`` as picked (None: nothing picked, as in a new session)."""
        self.score = score
        for button in self.buttons:
            button.setChecked(button.score == score)
        self.sample_score.setText("__" if score is None else str(score))


    def speech_parts(self) -> list[str]:
        """What "Read aloud" says of it: the prompt and the words of the scale."""
        ends = f"0: {self.words[0].text()}. 5: {self.words[1].text()}. 10: {self.words[2].text()}."
        parts = [self.title.text(), self.prompt.text(), ends]
        if self.score is not None:
            parts.append(spoken_score(self.pack, self.score))
        return [*parts, self.note.text()]
