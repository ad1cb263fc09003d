"""The staff panel: today's and this week's anonymous figures, the content's review status,
what needs IT, and the staff's choices (reset, test print, exit to desktop)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.core.content import ContentLibrary
from kiosk.core.pin import MIN_PIN_LENGTH, RECOMMENDED_PIN_LENGTH
from kiosk.core.stats import MIN_GROUP_SIZE, Summary, withheld_note
from kiosk.ui.staff_dialog import StaffDialog
from kiosk.ui.widgets import KioskButton, PlainLabel, set_role


@dataclass
class StaffInfo:
    library: ContentLibrary
    today: Summary | None
    week: Summary | None
    config_problems: tuple[str, ...]
    statistics_on: bool
    page_titles: dict[str, str]
    question_texts: dict[str, str]
    version: str
    short_pin: bool = False  # the PIN just typed is shorter than set-pin now allows
    storage_problems: tuple[str, ...] = ()  # what cannot be saved (data folder read-only, disk full)
    check_texts: dict[str, str] = field(default_factory=dict)  # the check's items' questions, keyed topic/item id


class BarChart(QWidget):
    """Sessions per day, as plain bars: enough for "busy this week?" at a glance."""

    def __init__(self, values: dict[str, int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.values = values
        self.setMinimumHeight(140)
        self.setAccessibleName("Sessions per day: " + ", ".join(f"{d} {v}" for d, v in values.items()))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        if not self.values:
            painter.end()
            return
        top = max(self.values.values()) or 1
        width = self.width() / max(len(self.values), 1)
        painter.setPen(QColor("#1F2328"))
        for i, (day, value) in enumerate(self.values.items()):
            height = (self.height() - 40) * value / top
            x = int(i * width + 6)
            painter.fillRect(x, int(self.height() - 24 - height), int(width - 12), int(height), QColor("#145A63"))
            painter.drawText(x, self.height() - 6, f"{day[5:]}: {value}")
        painter.end()


class StaffPanel(StaffDialog):
    """Reset the session, exit to desktop, content info and usage figures.

    ``ask`` returns "reset", "print-test", "exit" or None (closed).
    """

    def __init__(self, parent: QWidget, info: StaffInfo, today: date) -> None:
        super().__init__(parent, "staff-panel")
        self.choice: str | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(32, 24, 32, 24)
        column.setSpacing(10)
        title = PlainLabel("Staff panel")
        set_role(title, "title")
        column.addWidget(title)
        buttons = QHBoxLayout()
        for text, name, choice in (("Reset session now", "staff-reset", "reset"), ("Print a test page", "staff-print-test", "print-test"),
                                   ("Exit to desktop", "staff-exit", "exit")):
            button = KioskButton(text, name, "primary" if choice == "reset" else "")
            button.clicked.connect(lambda _=False, c=choice: self._choose(c))
            buttons.addWidget(button)
        close = KioskButton("Close", "staff-close")
        close.clicked.connect(self.reject)
        buttons.addWidget(close)
        column.addLayout(buttons)
        warnings = [(f"The staff PIN is shorter than {MIN_PIN_LENGTH} digits and can be guessed from the config "
                     f"file. Ask IT to set a new one of {RECOMMENDED_PIN_LENGTH} digits: kiosk set-pin (see README).",
                     "staff-short-pin-warning")] if info.short_pin else []
        warnings += [(f"Storage problem: {problem}. Tell IT (README, \"Privacy\").", "staff-storage-warning")
                     for problem in info.storage_problems]
        warnings += [(f"Config problem: {problem}", "staff-config-warning") for problem in info.config_problems]
        for text, name in warnings:  # on the warning colour, above everything else
            warning = PlainLabel(text)
            warning.setObjectName(name)
            warning.setWordWrap(True)
            set_role(warning, "demo")
            column.addWidget(warning)
        pack = next(iter(info.library.packs.values()))
        review = pack.review
        lines = [
            f"Kiosk version {info.version}. Content version {pack.version}. Languages: "
            + ", ".join(f"{p.name} ({code})" for code, p in info.library.packs.items()),
            f"Review status: {review.status}. Reviewed by: {review.reviewed_by or '-'}. "
            f"Review date: {review.review_date or '-'}. Next review due: {review.next_review_due or '-'}.",
        ]
        content = PlainLabel("\n".join(lines))
        content.setObjectName("staff-content-info")
        content.setWordWrap(True)
        set_role(content, "muted")
        column.addWidget(content)
        if review.overdue(today):
            overdue = PlainLabel(f"Content review is overdue (was due {review.next_review_due}). Ask the clinical lead to review it.")
            overdue.setObjectName("staff-review-overdue")
            overdue.setWordWrap(True)
            set_role(overdue, "demo")
            column.addWidget(overdue)
        if not info.statistics_on:
            column.addWidget(PlainLabel("Usage statistics are turned off."))
        elif info.today is not None and info.week is not None:
            figures = PlainLabel(self._figures(info))
            figures.setObjectName("staff-figures")
            figures.setWordWrap(True)
            set_role(figures, "muted")
            column.addWidget(figures)
            chart = BarChart(info.week.sessions_by_day)
            chart.setObjectName("staff-chart")
            column.addWidget(chart, 1)
        column.addStretch(0)

    @staticmethod
    def _figures(info: StaffInfo) -> str:
        assert info.today is not None and info.week is not None
        week = info.week
        counts = f"Today: {info.today.sessions} sessions. This week: {week.sessions} sessions."
        if week.withheld:
            return f"{counts}\n{withheld_note(week.sessions)} They appear once the last 7 days have {MIN_GROUP_SIZE}."
        reach = ", ".join(f"{info.page_titles.get(p, p)} {n}" for p, n in sorted(week.furthest_page.items(), key=lambda kv: -kv[1])[:4])
        seconds = ", ".join(f"{info.page_titles.get(p, p)} {s:.0f}s" for p, s in list(week.seconds_per_view.items())[:9])
        ticks = "; ".join(f"{info.question_texts.get(q, q)} ({n})" for q, n in list(week.question_ticks.items())[:3])
        missed = "; ".join(f"{info.check_texts.get(item, item)} ({n} of {shown})" for item, n, shown in week.most_missed(3))
        return (
            f"{counts}\n"
            f"How far patients got (this week): {reach or '-'}\n"
            f"Average time per page: {seconds or '-'}\n"
            f"Most-ticked questions: {ticks or '-'}\n"
            f"Check items missed most on the first try (this week): {missed or '-'}"
        )

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget, info: StaffInfo, today: date | None = None) -> str | None:
        panel = cls(parent, info, today or date.today())
        panel.place(1100, 760)
        panel.exec()
        choice = panel.choice
        panel.deleteLater()
        return choice
