"""The patient's own list: the questions they ticked, to show their nurse or doctor."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.core.content import DIARY_KIND, ContentPack, Page
from kiosk.core.handout import qr_text
from kiosk.core.session import Session
from kiosk.ui.pages.base import PageView
from kiosk.ui.qr import QrCode
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import KioskButton, PlainLabel, discard, set_role

ACTION_COLUMNS = 2  # the most buttons side by side
# What the page's width loses to its margins, its column's and the scroll bar.
PAGE_SIDES_PX = 40 + 24 + 16 + 24


class SummaryPage(PageView):
    """The ticked list, plus "Print my questions" (when a printer is set) and the QR code."""

    def __init__(self, pack: ContentPack, page: Page, session: Session, theme: Theme, can_print: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(pack, page, theme, session.text_scale, parent)
        column = self.column
        self.show_nurse = PlainLabel(pack.text("show_nurse"))
        self.show_nurse.setObjectName("show-nurse")
        self.show_nurse.setWordWrap(True)
        set_role(self.show_nurse, "title")
        column.addWidget(self.show_nurse)
        self.count = PlainLabel()
        self.count.setObjectName("summary-count")
        self.count.setWordWrap(True)
        column.addWidget(self.count)
        self.list_frame = QFrame()
        self.list_frame.setObjectName("ticked-list")
        self.list_layout = QVBoxLayout(self.list_frame)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.list_layout.setSpacing(10)
        column.addWidget(self.list_frame)
        self.print_button = KioskButton(pack.text("print"), "print", "primary")
        self.print_button.clicked.connect(self.print_requested)
        self.qr_button = KioskButton(pack.text("qr_show"), "qr")
        self.qr_button.clicked.connect(self.qr_requested)
        # The pain diary prints without any question ticked; offered when the topic has a diary page.
        self.print_diary_button = KioskButton(pack.text("print_diary"), "print-diary", "primary")
        self.print_diary_button.clicked.connect(self.diary_print_requested)
        # The buttons side by side while they fit, else one under another (apply_layout): at
        # 200 % on a small panel two of them side by side cut the second one's words off.
        self.action_grid = QGridLayout()
        self.action_grid.setHorizontalSpacing(16)
        self.action_grid.setVerticalSpacing(12)
        self.action_grid.setColumnStretch(ACTION_COLUMNS, 1)
        column.addLayout(self.action_grid)
        offered = (can_print, True, can_print and any(p.kind == DIARY_KIND for p in pack.pages))
        self.action_buttons = [b for b, shown in zip((self.print_button, self.qr_button, self.print_diary_button), offered,
                                                     strict=True) if shown]
        for button, shown in zip((self.print_button, self.qr_button, self.print_diary_button), offered, strict=True):
            button.setParent(self.body)  # (one not offered is in no layout: a hidden child of the page)
            button.setVisible(shown)
        self.status = PlainLabel()
        self.status.setObjectName("print-status")
        self.status.setWordWrap(True)
        set_role(self.status, "step")
        self.status.hide()
        column.addWidget(self.status)
        self.qr = QrCode()
        self.qr.setObjectName("qr-code")
        self.qr_hint = PlainLabel(pack.text("qr_hint"))
        self.qr_hint.setObjectName("qr-hint")
        self.qr_hint.setWordWrap(True)
        qr_row = QHBoxLayout()  # the code beside its explanation, so both fit on a small panel
        qr_row.setSpacing(24)
        qr_row.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignTop)
        qr_row.addWidget(self.qr_hint, 1, Qt.AlignmentFlag.AlignTop)
        column.addLayout(qr_row)
        column.addWidget(self.rich_text(page.html))
        column.addStretch(1)
        self.item_labels: list[QLabel] = []
        self._shown: tuple[object, ...] | None = None  # what refresh() last showed
        self.refresh(session)
        self.apply_layout(1920, session.text_scale)

    def refresh(self, session: Session) -> None:
        """Show exactly the questions ticked in ``session``, in checklist order, and
        the QR code of them when the patient asked for it. Nothing is made again when that
        is what it shows already: a reset syncs the summary of every topic and language,
        and making theirs again (mostly empty, as they were) was ~1.5 ms of it."""
        self.status.hide()
        shown = (tuple(session.ticked), session.qr_visible)  # (all it shows follows from these)
        if shown == self._shown:
            return
        self._shown = shown
        added = [self.pack.question(item.question_id) for item in self.pack.checks if session.is_ticked(item.question_id)]
        ticked = added + [q for q in self.pack.questions if session.is_ticked(q.id)]
        has_ticks = bool(session.ticked)
        show_qr = session.qr_visible and has_ticks
        self.print_button.setEnabled(has_ticks)
        self.qr_button.setEnabled(has_ticks)
        self.qr.set_text(qr_text(self.pack, session.ticked) if show_qr else "")
        self.qr.setVisible(show_qr)
        self.qr_hint.setVisible(show_qr)
        self.qr_button.setText(self.pack.text("qr_hide" if show_qr else "qr_show"))
        for label in self.item_labels:
            discard(label)
        self.item_labels = []
        # The check's "Please go over" questions first, marked as added by it; then the checklist's.
        if not ticked:
            self.count.setText(self.pack.text("summary_empty"))
        elif len(ticked) == 1:
            self.count.setText(self.pack.text("summary_count_one"))
        else:
            self.count.setText(self.pack.text("summary_count", n=len(ticked)))
        for number, question in enumerate(ticked, start=1):
            mark = f" {self.pack.text('check_added_mark')}" if question in added else ""
            label = PlainLabel(f"{number}.  {question.text}{mark}")
            label.setObjectName(f"ticked-{question.id}")
            label.setWordWrap(True)
            label.setProperty("question_id", question.id)
            set_role(label, "title")
            self.list_layout.addWidget(label)
            self.item_labels.append(label)

    def sync(self, session: Session) -> None:
        self.refresh(session)

    def shown(self, session: Session) -> None:
        self.refresh(session)

    def qr_changed(self, session: Session) -> None:
        self.refresh(session)
        if session.qr_visible:  # scroll to the code once the layout has made room for it
            QTimer.singleShot(0, self, lambda: self.scroll_area.ensureWidgetVisible(self.qr, 0, 16))

    def icon_buttons(self) -> list[tuple[QAbstractButton, str, bool]]:
        return [(self.print_button, "print", True), (self.qr_button, "qr", False), (self.print_diary_button, "print", True)]

    def show_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.show()

    def set_printing(self, busy: bool) -> None:
        """While a print job runs the button says so ("Printing…"); the controller ignores its
        taps meanwhile. It stays enabled, so a keypad user's focus stays where it was."""
        self.print_button.setText(self.pack.text("printing" if busy else "print"))
        if busy:
            self.status.hide()  # an earlier result is not this job's

    def apply_layout(self, width: int, scale: float) -> None:
        """Put the action buttons in rows, as many side by side as fit the page's width."""
        buttons = self.action_buttons
        for button in buttons:
            self.action_grid.removeWidget(button)
        room = width - PAGE_SIDES_PX
        row, col, used = 0, 0, 0
        for button in buttons:
            need = max(button.sizeHint().width(), button.minimumSizeHint().width())
            if col and (used + self.action_grid.horizontalSpacing() + need > room or col == ACTION_COLUMNS):
                row, col, used = row + 1, 0, 0
            self.action_grid.addWidget(button, row, col, Qt.AlignmentFlag.AlignLeft)
            used += need + (self.action_grid.horizontalSpacing() if col else 0)
            col += 1

    def set_diary_printing(self, busy: bool) -> None:
        self.print_diary_button.setText(self.pack.text("printing_diary" if busy else "print_diary"))
        if busy:
            self.status.hide()

    def speech_parts(self) -> list[str]:
        parts = [self.page.title, self.show_nurse.text(), self.count.text(), *self.ticked_texts(), *self.page.blocks]
        if self.qr.isVisible():
            parts.append(self.qr_hint.text())
        return parts

    def ticked_texts(self) -> list[str]:
        """The listed questions' words, found by the question id each line carries."""
        return [self.pack.question(str(label.property("question_id"))).text for label in self.item_labels]
