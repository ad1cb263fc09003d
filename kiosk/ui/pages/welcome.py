"""The welcome (attract) screen: what this is, the language choice, and "Touch to start"; or,
when the clinic offers more than one procedure (topic), a large picture card for each."""

from __future__ import annotations

import math

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QMouseEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.core.content import ContentLibrary, ContentPack, TopicCard
from kiosk.core.resources import asset
from kiosk.ui.illustration import Illustration
from kiosk.ui.widgets import (
    KineticScrollArea,
    KioskButton,
    LaidOutButton,
    PlainLabel,
    ScrollBody,
    set_role,
    set_state,
)

DEMO_BANNER = "Demo set-up: clinic name and phone are examples. Staff: set clinic_name and clinic_phone in the config file."
MARGIN_X, MARGIN_Y = 48, 12  # around the content, plus the drift's radius on every side


class WelcomePage(QWidget):
    """Emits ``start_requested(topic)`` ("" for the default topic: a touch anywhere, when there
    is only one) and ``language_requested(code)`` from its buttons."""

    start_requested = Signal(str)
    language_requested = Signal(str)

    def __init__(self, library: ContentLibrary, pack: ContentPack, idle_minutes: int, demo: bool, scale: float = 1.0,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scale = scale
        self.setObjectName("page-welcome")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.banner: QLabel | None = None
        if demo:
            # Above the scrolling part: it never slides off, whatever the panel and text size.
            self.banner = PlainLabel(pack.text("demo_banner") if "demo_banner" in pack.ui else DEMO_BANNER)
            self.banner.setObjectName("demo-banner")
            self.banner.setWordWrap(True)
            set_role(self.banner, "demo")
            outer.addWidget(self.banner)
        # In a flick-scroll area so that at 200 % text on a small panel nothing is cut off.
        self.scroll_area = KineticScrollArea()
        self.content = _TouchArea()
        self.content.setObjectName("PageBody")
        self.cards: dict[str, TopicCardButton] = {}  # topic id -> card, when there are several
        if len(library.topics) < 2:
            self.content.touched.connect(lambda: self.start_requested.emit(""))
        self.scroll_area.setWidget(self.content)
        outer.addWidget(self.scroll_area)
        column = QVBoxLayout(self.content)
        self.column = column
        # Burn-in protection: the whole screen drifts a few pixels every few seconds.
        self.drift_timer = QTimer(self)
        self.drift_timer.setObjectName("drift_timer")
        self.drift_timer.setInterval(4000)
        self.drift_timer.timeout.connect(self.drift)
        self.drift_step = 0
        self._place_drift()
        column.setSpacing(18)
        # The picture takes the height the rest leaves (none on a small panel with large
        # text), so the welcome screen fits without scrolling where it can.
        several = len(library.topics) > 1
        self.picture = Illustration(asset("illustrations", "welcome.svg"), pack.text("welcome_title"), max_height=340,
                                    fit_height=True)
        self.picture.setObjectName("welcome-illustration")
        column.addWidget(self.picture, 1)
        self.picture.setVisible(not several)  # the cards bring their own pictures
        self.title = PlainLabel(pack.text("topics_title" if several else "welcome_title"))
        self.title.setObjectName("welcome-title")
        self.title.setWordWrap(True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        set_role(self.title, "welcome-title")
        column.addWidget(self.title)
        self.body = PlainLabel(pack.text("topics_body" if several else "welcome_body"))
        self.body.setObjectName("welcome-body")
        self.body.setWordWrap(True)
        self.body.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.body)
        self.card_grid = QGridLayout()
        self.card_grid.setSpacing(24)
        self.start: QPushButton
        if several:
            for topic in library.topics:
                card = TopicCardButton(topic, library.card(topic, pack.language))
                card.clicked.connect(lambda _=False, t=topic: self.start_requested.emit(t))
                self.cards[topic] = card
            self.start = next(iter(self.cards.values()))  # where the keyboard starts
            column.addLayout(self.card_grid)
            self.arrange(1920)
        else:
            self.start = KioskButton(pack.text("start"), "start", "start")
            self.start.clicked.connect(lambda: self.start_requested.emit(""))
            column.addWidget(self.start, 0, Qt.AlignmentFlag.AlignHCenter)
        self.language_buttons: dict[str, KioskButton] = {}
        if len(library.packs) > 1:
            row = QHBoxLayout()
            row.setSpacing(24)
            row.addStretch(1)
            for code, other in library.packs.items():
                # Each language is named in itself: "English", "Español".
                button = KioskButton(other.name, f"language-{code}", "language")
                set_state(button, "current" if code == pack.language else "")
                button.clicked.connect(lambda _=False, c=code: self.language_requested.emit(c))
                self.language_buttons[code] = button
                row.addWidget(button)
            row.addStretch(1)
            column.addLayout(row)
        self.idle_note = PlainLabel(pack.text("idle_note", minutes=idle_minutes))
        self.idle_note.setObjectName("idle-note")
        self.idle_note.setWordWrap(True)
        self.idle_note.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        set_role(self.idle_note, "muted")
        column.addWidget(self.idle_note)
        if several:  # the space the welcome picture takes when there is one topic: above and below
            column.insertStretch(0, 1)
            column.addStretch(1)

    def speech_parts(self) -> list[str]:
        choices = [card.accessibleName() for card in self.cards.values()] or [self.start.text()]
        return [self.title.text(), self.body.text(), *choices, self.idle_note.text()]

    def arrange(self, width: int, height: int = 1080) -> None:
        """The cards side by side where they fit (at most three a row), else one a row; their
        pictures smaller on a short panel, so the choice fits without scrolling where it can."""
        if not self.cards:
            return
        for card in self.cards.values():
            card.picture.set_max_height(max(100, min(220, (height - 560) // 2)))
        wide = 560 * min(self.scale, 1.5)  # a card's comfortable width at this text size
        columns = max(1, min(len(self.cards), 3, int(width // wide)))
        for card in self.cards.values():
            self.card_grid.removeWidget(card)
        for index, card in enumerate(self.cards.values()):
            self.card_grid.addWidget(card, index // columns, index % columns)
        for column in range(3):
            self.card_grid.setColumnStretch(column, 1 if column < columns else 0)

    DRIFT_RADIUS = 24
    DRIFT_STEPS = 150  # one slow circle every 10 minutes at 4 s a step

    def drift(self) -> None:
        """Move the content one step along a slow loop that starts and ends in the centre."""
        self.drift_step = (self.drift_step + 1) % self.DRIFT_STEPS
        self._place_drift()

    def _place_drift(self) -> None:
        # The margins always add up to the same width and height, so drifting never
        # changes the layout's size (a scroll bar must not come and go with it).
        angle = 2 * math.pi * self.drift_step / self.DRIFT_STEPS
        rx, ry = self.DRIFT_RADIUS, self.DRIFT_RADIUS // 2
        dx = round(rx * math.sin(angle))
        dy = round(ry * math.sin(2 * angle))  # a figure of eight through the centre
        self.column.setContentsMargins(MARGIN_X + rx + dx, MARGIN_Y + ry + dy, MARGIN_X + rx - dx, MARGIN_Y + ry - dy)

    def drift_offset(self) -> tuple[int, int]:
        """How far the content sits from the centre, in pixels (0, 0 at the start)."""
        margins = self.column.contentsMargins()
        return (margins.left() - margins.right()) // 2, (margins.top() - margins.bottom()) // 2

    def restyle(self, scale: float) -> None:
        """A new text size (the window's style sheet does the rest)."""
        if scale != self.scale:
            self.scale = scale
            self._fit_picture()

    def _fit_picture(self) -> None:
        # With large text the words need the room; at 200 % the pictures go.
        self.picture.setVisible(self.scale < 2.0 and not self.cards)
        for card in self.cards.values():
            card.picture.setVisible(self.scale < 2.0)
        self.arrange(self.width() or 1920, self.height() or 1080)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self.cards:
            self.arrange(event.size().width(), event.size().height())

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self.drift_step = 0  # every time it comes back, it starts in the centre
        self._place_drift()
        self.drift_timer.start()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        self.drift_timer.stop()
        super().hideEvent(event)



class _TouchArea(ScrollBody):
    """The welcome screen's background: "Touch to start" means a tap anywhere on it."""

    touched = Signal()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.touched.emit()
        super().mouseReleaseEvent(event)


class TopicCardButton(LaidOutButton):
    """One procedure on the welcome screen: its picture, its title and one line, as one large
    button (a tap anywhere on it, or Enter when focused), named by its words for a screen reader."""

    def __init__(self, topic: str, card: TopicCard, parent: QWidget | None = None) -> None:
        super().__init__(f"topic-{topic}", "topic", QSizePolicy.Policy.Preferred, parent)
        self.topic = topic
        self.setAccessibleName(f"{card.title}. {card.summary}")
        layout = self.column = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 24)
        layout.setSpacing(10)
        path = card.picture.path if card.picture is not None else asset("illustrations", "welcome.svg")
        self.picture = Illustration(path, card.picture.alt if card.picture is not None else card.title, max_height=220)
        self.title = PlainLabel(card.title)
        set_role(self.title, "topic-title")
        self.summary = PlainLabel(card.summary)
        for label in (self.title, self.summary):
            label.setWordWrap(True)
        for part in (self.picture, self.title, self.summary):
            part.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)  # the card takes every tap
            layout.addWidget(part)
        layout.addStretch(1)

    def text(self) -> str:
        """The card's words, as shown (and as a screen reader names it)."""
        return self.accessibleName()

    # Its words wrap at a comfortable width (the grid gives it more where there is room).
    CARD_WIDTH = 480

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(self.CARD_WIDTH, self.column.totalHeightForWidth(self.CARD_WIDTH))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(320, self.column.totalHeightForWidth(self.CARD_WIDTH))
