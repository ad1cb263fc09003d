"""Sheets that cover the window: the idle countdown ("Are you still there?") and the
"Start over?" question. A card on a dimmed screen, with big buttons."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QBoxLayout, QFrame, QVBoxLayout, QWidget

from kiosk.core.content import ContentPack
from kiosk.core.walkthrough import Walkthrough
from kiosk.ui.idle import IdleWatcher
from kiosk.ui.speech import Speaker
from kiosk.ui.theme import Theme, theme_for
from kiosk.ui.widgets import KioskButton, PlainLabel, set_role


class _Sheet(QWidget):
    """A dimmed cover over the whole window with a card in the middle."""

    def __init__(self, parent: QWidget, object_name: str) -> None:
        super().__init__(parent)
        self.host = parent  # the widget it covers; parentWidget() may be None to the type checker
        self.setObjectName(object_name)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, False)
        self.setProperty("follows_looks", True)  # takes the session's text size and contrast (Screens)
        self._dim = QColor(0, 0, 0, 150)
        outer = QVBoxLayout(self)
        outer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.card = QFrame()
        self.card.setObjectName("overlay-card")
        self.card.setMaximumWidth(900)
        self.column = QVBoxLayout(self.card)
        self.column.setContentsMargins(48, 40, 48, 40)
        self.column.setSpacing(20)
        self.title = PlainLabel()
        self.title.setWordWrap(True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        set_role(self.title, "welcome-title")
        self.body = PlainLabel()
        self.body.setWordWrap(True)
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.column.addWidget(self.title)
        self.column.addWidget(self.body)
        outer.addWidget(self.card)
        parent.installEventFilter(self)
        self.hide()

    def set_theme(self, theme: Theme) -> None:
        self.card.setStyleSheet(f"QFrame#overlay-card {{ background: {theme.background}; border: 4px solid {theme.border}; border-radius: 24px; }}")

    def cover(self, focus: QWidget) -> None:
        self.setGeometry(self.host.rect())
        self.raise_()
        self.show()
        focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.host and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.host.rect())
        return False

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(self.rect(), self._dim)
        painter.end()

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802
        """Tab and the arrow keys go round the sheet's own buttons, never to the screen
        behind it (a keypad user must not end up on a hidden control)."""
        buttons = [b for b in self.findChildren(KioskButton) if b.isVisible()]
        if not buttons:
            return False
        current = next((i for i, b in enumerate(buttons) if b.hasFocus()), None)
        target = 0 if current is None else (current + (1 if forward else -1)) % len(buttons)
        buttons[target].setFocus(Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason)
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Left):
            self.focusNextPrevChild(key in (Qt.Key.Key_Down, Qt.Key.Key_Right))
            return
        super().keyPressEvent(event)


class IdleOverlay(_Sheet):
    still_here = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, "idle-overlay")
        self.title.setObjectName("idle-title")
        self.body.setObjectName("idle-body")
        self.button = KioskButton("", "still-here", "start")
        self.button.clicked.connect(self.still_here)
        self.column.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)

    def set_pack(self, pack: ContentPack, theme: Theme) -> None:
        self.pack = pack
        self.title.setText(pack.text("idle_title"))
        self.button.setText(pack.text("still_here"))
        self.set_theme(theme)

    def show_seconds(self, seconds: int) -> None:
        self.body.setText(self.pack.text("idle_body", seconds=seconds))

    def open(self, seconds: int) -> None:
        self.show_seconds(seconds)
        self.cover(self.button)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        # A tap anywhere on the dimmed screen also means "I'm still here".
        self.still_here.emit()
        event.accept()


class IdleWarning(QObject):
    """The idle watcher's warning, shown and said: the overlay counts down, and "I'm still
    here" (or any touch) cancels it. ``opened`` comes first, so staff screens can close."""

    opened = Signal()

    def __init__(self, watcher: IdleWatcher, overlay: IdleOverlay, speaker: Speaker, model: Walkthrough) -> None:
        super().__init__(overlay)
        self.overlay, self.speaker, self.model = overlay, speaker, model
        overlay.still_here.connect(watcher.activity)
        watcher.warning_started.connect(self.open)
        watcher.countdown.connect(overlay.show_seconds)
        watcher.warning_cancelled.connect(self.close)

    def open(self, seconds: int) -> None:
        self.opened.emit()
        pack = self.model.pack
        self.overlay.set_pack(pack, theme_for(self.model.session.high_contrast))
        self.overlay.open(seconds)
        self.speaker.say(f"{pack.text('idle_title')} {pack.text('idle_body', seconds=seconds)} {pack.text('still_here')}.",
                         self.model.session.language)

    def close(self) -> None:
        self.overlay.hide()
        self.speaker.stop()


class StartOverSheet(_Sheet):
    """ "Start over? Your list will be cleared." Yes clears the session; No keeps it."""

    confirmed = Signal()
    cancelled = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, "start-over-sheet")
        self.title.setObjectName("start-over-title")
        self.body.setObjectName("start-over-body")
        self.row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.row.setSpacing(24)
        self.no = KioskButton("", "start-over-no")
        self.yes = KioskButton("", "start-over-yes", "primary")
        self.no.clicked.connect(self._cancel)
        self.yes.clicked.connect(self._confirm)
        self.row.addWidget(self.no)
        self.row.addWidget(self.yes)
        self.column.addLayout(self.row)

    def offer(self, model: Walkthrough, speaker: Speaker) -> bool:
        """Ask, and say the question, when the patient has questions on their list (in any
        topic); False when there is nothing to lose (start over at once)."""
        ticked = sum(len(ids) for ids in model.session.all_ticked().values())
        if ticked:
            self.open(model.pack, theme_for(model.session.high_contrast), ticked)
            speaker.say(" ".join(self.speech_parts()), model.session.language)
        return bool(ticked)

    def open(self, pack: ContentPack, theme: Theme, ticked: int) -> None:
        self.title.setText(pack.text("start_over_title"))
        self.body.setText(pack.text("start_over_body", n=ticked))
        self.yes.setText(pack.text("start_over_yes"))
        self.no.setText(pack.text("start_over_no"))
        self.set_theme(theme)
        # Side by side when both fit on the card; with large text, one above the other.
        self.card.setMaximumWidth(max(900, self.host.width() - 80))
        margins = self.column.contentsMargins()
        room = self.card.maximumWidth() - margins.left() - margins.right()
        wide = self.no.sizeHint().width() + self.yes.sizeHint().width() + self.row.spacing() <= room
        self.row.setDirection(QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom)
        self.cover(self.no)  # the safe choice has the focus: Enter keeps the list

    def speech_parts(self) -> list[str]:
        return [self.title.text(), self.body.text(), self.no.text(), self.yes.text()]

    def _confirm(self) -> None:
        self.hide()
        self.confirmed.emit()

    def _cancel(self) -> None:
        self.hide()
        self.cancelled.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self._cancel()
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        # A tap on the dimmed screen, outside the card, keeps everything as it was.
        if not self.card.geometry().contains(event.position().toPoint()):
            self._cancel()
        event.accept()
