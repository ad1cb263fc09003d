"""The kiosk window: the welcome screen, or the walkthrough inside a persistent frame.

The frame has the progress bar of sections (tap to jump) at the top, and Back,
Start over, the care-team line and Next at the bottom. It only emits intents.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk.ui.locked import LockedWindow
from kiosk.ui.stacks import PageStack, ScreenStack
from kiosk.ui.theme import WARM
from kiosk.ui.widgets import KineticScrollArea, KioskButton, PlainLabel, discard, empty_layout, set_role, set_state

if TYPE_CHECKING:
    from kiosk.core.content import ContentPack


def keep_full_height(frame: QFrame) -> None:
    """The frame around the pages never gives up height: when a small panel with large
    text runs short, the page (which scrolls) shrinks instead of the buttons, whose
    labels would lose their descenders."""
    frame.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)


class ProgressBar(QFrame):
    """One button per section; the current one filled, visited ones outlined.

    Each topic's and language's buttons are made once and kept, hidden while another's show:
    making them anew on every change of topic (the reset back to the first topic, too) cost
    a few milliseconds of the turn, each button polished for the style sheet again."""

    section_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Header")
        keep_full_height(self)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(24, 12, 24, 12)
        self.row.setSpacing(12)
        self.buttons: dict[str, KioskButton] = {}  # the sections on show
        self._rows: dict[tuple[object, ...], dict[str, KioskButton]] = {}  # every set made, by what it shows
        self._shown: tuple[object, ...] | None = None

    def set_pack(self, pack: ContentPack) -> None:
        self.setAccessibleName(pack.text("progress"))
        key = self._key(pack)
        if key == self._shown:
            return
        row = self._row(pack)
        for button in self.buttons.values():
            button.setVisible(False)
        for button in row.values():
            button.setVisible(True)
        self.buttons, self._shown = row, key

    @staticmethod
    def _key(pack: ContentPack) -> tuple[object, ...]:
        return pack.topic, pack.language, tuple((s.id, s.label) for s in pack.sections)

    def _row(self, pack: ContentPack) -> dict[str, KioskButton]:
        """``pack``'s buttons, made (hidden) if they were not yet."""
        key = self._key(pack)
        row = self._rows.get(key)
        if row is None:
            row = self._rows[key] = {}
            for section in pack.sections:
                button = KioskButton(section.label, f"section-{section.id}", "section", parent=self)
                button.setVisible(False)
                button.clicked.connect(lambda _=False, sid=section.id: self.section_requested.emit(sid))
                # Never narrower or shorter than its label: a section name must not be cut off.
                # (Not Fixed in height: in a row, the smallest fixed height caps every button.
                # Every state has the same border width, so the row's height never changes.)
                button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Minimum)
                row[section.id] = button
                self.row.addWidget(button, 1)
        return row

    def ready_for_start(self, pack: ContentPack) -> bool:
        """While the welcome screen shows: ``pack``'s buttons made and showing its first page, as
        they will when it is started, so that turn restyles none (0.3 ms a button). True if done."""
        made = self._key(pack) not in self._rows
        return self._show_states(self._row(pack), pack, 0) or made

    def _show_states(self, row: dict[str, KioskButton], pack: ContentPack, page_index: int) -> bool:
        current = pack.pages[page_index].section
        order = [s.id for s in pack.sections]
        changed = False
        for sid, button in row.items():
            if sid == current:
                state = "current"
            elif order.index(sid) < order.index(current):
                state = "done"
            else:
                state = ""
            if button.property("state") != state:
                set_state(button, state)
                button.setAccessibleDescription("current" if sid == current else "")
                changed = True
        return changed

    def forget(self) -> None:
        """Let every set of buttons go (the content they came from has been replaced)."""
        for row in self._rows.values():
            for button in row.values():
                discard(button)
        empty_layout(self.row)
        self._rows, self.buttons, self._shown = {}, {}, None

    def show_position(self, pack: ContentPack, page_index: int) -> None:
        self._show_states(self.buttons, pack, page_index)


class Footer(QFrame):
    back_requested = Signal()
    home_requested = Signal()
    next_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Footer")
        keep_full_height(self)
        row = QHBoxLayout(self)
        row.setContentsMargins(24, 12, 24, 12)
        row.setSpacing(16)
        self.back = KioskButton("Back", "back")
        self.home = KioskButton("Start over", "home")
        self.disclaimer = PlainLabel()
        self.disclaimer.setObjectName("disclaimer")
        self.disclaimer.setWordWrap(True)
        self.disclaimer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        set_role(self.disclaimer, "disclaimer")
        self.next = KioskButton("Next", "next", "primary")
        self.back.clicked.connect(self.back_requested)
        self.home.clicked.connect(self.home_requested)
        self.next.clicked.connect(self.next_requested)
        row.addWidget(self.back)
        row.addWidget(self.home)
        row.addWidget(self.disclaimer, 1)
        row.addWidget(self.next)

    def set_pack(self, pack: ContentPack) -> None:
        self.back.setText(pack.text("back"))
        self.home.setText(pack.text("home"))
        self.disclaimer.setText(pack.text("disclaimer"))

    def show_position(self, pack: ContentPack, page_index: int) -> None:
        last = page_index == len(pack.pages) - 1
        self.next.setText(pack.text("done") if last else pack.text("next"))
        self.next.setObjectName("done" if last else "next")


class Toolbar(QFrame):
    """Read aloud, volume, text size, contrast, less motion and language: on every screen.
    One row when it fits; with large text on a small panel the buttons wrap onto a second
    row rather than being cut off."""

    read_requested = Signal()
    volume_requested = Signal()
    text_size_requested = Signal()
    contrast_requested = Signal()
    motion_requested = Signal()  # still pictures instead of moving ones, or back
    language_requested = Signal(str)
    # The least the standards allow between targets (8 px) and a narrow margin: with the
    # widest labels ("Stop reading", "Volume 100%") six buttons still make one row on a
    # 1280-pixel panel at 100 % (10 px and 24 px wrapped the last one onto a second row).
    SPACING = 8
    MARGIN_X = 16

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Toolbar")
        keep_full_height(self)
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(self.MARGIN_X, 10, self.MARGIN_X, 10)
        self.column.setSpacing(10)
        self.rows = [QHBoxLayout(), QHBoxLayout()]
        for row in self.rows:
            row.setSpacing(self.SPACING)
            self.column.addLayout(row)
        self.speech_available = True
        self.read = KioskButton("Read aloud", "read-aloud", parent=self)
        self.volume = KioskButton("Volume", "volume", parent=self)
        self.text_size = KioskButton("Text size", "text-size", parent=self)
        self.contrast = KioskButton("High contrast", "contrast", parent=self)
        self.contrast.setCheckable(True)
        self.motion = KioskButton("Less motion", "less-motion", parent=self)
        self.motion.setCheckable(True)
        self.motion.clicked.connect(self.motion_requested)
        self.read.clicked.connect(self.read_requested)
        self.volume.clicked.connect(self.volume_requested)
        self.text_size.clicked.connect(self.text_size_requested)
        self.contrast.clicked.connect(self.contrast_requested)
        self.languages: dict[str, KioskButton] = {}  # the other languages' buttons
        self._language_buttons: dict[str, KioskButton] = {}  # every language's, by code
        self._language_names: dict[str, str] = {}
        self.languages_shown = True
        self._width = 0
        self._lines: list[list[KioskButton]] = []  # the buttons on each row, as arranged
        self.arrange(1920)

    def show_state(self, pack: ContentPack, speaking: bool, volume: float, scale: float, contrast: bool,
                   reduced_motion: bool = False) -> None:
        self.read.setText(pack.text("stop_reading") if speaking else pack.text("read_aloud"))
        self.volume.setText(f"{pack.text('volume')} {round(volume * 100)}%")
        self.text_size.setText(f"{pack.text('text_size')} {round(scale * 100)}%")
        self.contrast.setText(pack.text("contrast"))
        self.contrast.setChecked(contrast)
        self.motion.setText(pack.text("less_motion"))
        self.motion.setChecked(reduced_motion)
        self.arrange(self._width)

    def set_languages(self, pack: ContentPack, names: dict[str, str]) -> None:
        """One button for each other language, named in that language.

        A button for every language is made once and kept: a change of language (each reset
        from another language, too) only hides the new language's own button and shows the
        one it replaced. (Making them anew cost 1.5 ms of that turn.)"""
        if names != self._language_names:
            for button in self._language_buttons.values():
                discard(button)
            self._language_buttons = {}
            for code, name in names.items():
                # Each language is named in itself ("Español"), so a reader of it finds it.
                button = KioskButton(name, f"language-{code}", parent=self)
                button.clicked.connect(lambda _=False, c=code: self.language_requested.emit(c))
                button.setVisible(False)
                self._language_buttons[code] = button
            self._language_names = dict(names)
            self.languages = {}
        languages = {code: button for code, button in self._language_buttons.items() if code != pack.language}
        for code, button in self.languages.items():
            if code not in languages:
                button.setVisible(False)
        for button in languages.values():
            if button.isVisibleTo(self) != self.languages_shown:
                button.setVisible(self.languages_shown)
        self.languages = languages
        self.arrange(self._width)

    def set_speech_available(self, available: bool) -> None:
        """No speech engine or voice: the speech buttons go, and nothing else changes."""
        self.speech_available = available
        self.read.setVisible(available)
        self.volume.setVisible(available)
        self.arrange(self._width)

    def show_languages(self, shown: bool) -> None:
        """The welcome screen has its own language buttons; the toolbar's would repeat them."""
        if shown != self.languages_shown:
            self.languages_shown = shown
            for button in self.languages.values():
                button.setVisible(shown)
            self.arrange(self._width)

    def buttons(self) -> list[KioskButton]:
        speech = [self.read, self.volume] if self.speech_available else []
        languages = list(self.languages.values()) if self.languages_shown else []
        return [*speech, self.text_size, self.contrast, self.motion, *languages]

    def arrange(self, width: int) -> None:
        """Lay the buttons out in centred rows: as many on a row as fit ``width`` (one row
        when all fit; long words with large text on a small panel take two or three).
        Rows that would show the same buttons are left alone, and every language's button
        is kept in the last row, hidden (which gives it no room): the turns to or from the
        welcome screen, and each reset from another language, rebuilt the rows (~1 ms)."""
        self._width = width
        shown = self.buttons()
        margins = self.column.contentsMargins()
        room = width - margins.left() - margins.right()
        lines: list[list[KioskButton]] = [[]]
        used = 0
        for button in shown:
            need = button.sizeHint().width() + (self.SPACING if lines[-1] else 0)
            if lines[-1] and used + need > room:
                lines.append([])
                need, used = button.sizeHint().width(), 0
            lines[-1].append(button)
            used += need
        if [[button for button in line if button in shown] for line in self._lines] == lines:
            return
        lines[-1] += [button for button in self._language_buttons.values() if button not in shown]
        self._lines = lines
        for row in self.rows:
            empty_layout(row)
        while len(self.rows) < len(lines):
            row = QHBoxLayout()
            row.setSpacing(self.SPACING)
            self.column.addLayout(row)
            self.rows.append(row)
        for row, part in zip(self.rows, lines, strict=False):
            if not part:
                continue
            row.addStretch(1)
            for button in part:
                row.addWidget(button)
            row.addStretch(1)


class KioskWindow(LockedWindow):
    """The patient's window: a patient cannot close it (see ``LockedWindow``)."""

    back_requested = Signal()
    resized = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("KioskWindow")
        # Its background is painted here, not by the style sheet: the window's style sheet
        # never changes (see ``Screens.build``), and the colour follows the contrast.
        self.background = QColor(WARM.background)
        # paintEvent fills every pixel it is asked for: Qt need not fill them first with the
        # window's own background (a second full-screen fill in every page turn, ~1 ms).
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        # The window is the screen's size; never let content push a minimum size onto it.
        outer.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.screens = ScreenStack()
        outer.addLayout(self.screens, 1)
        self.toolbar = Toolbar()
        outer.addWidget(self.toolbar)
        self.welcome_holder = QWidget()
        self.welcome_holder.setObjectName("WelcomeHolder")
        self.welcome_layout = QVBoxLayout(self.welcome_holder)
        self.welcome_layout.setContentsMargins(0, 0, 0, 0)
        self.walkthrough = QWidget()
        self.walkthrough.setObjectName("Walkthrough")
        column = QVBoxLayout(self.walkthrough)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.progress = ProgressBar()
        self.pages = PageStack()
        self.pages.setObjectName("Pages")
        self.footer = Footer()
        column.addWidget(self.progress)
        column.addWidget(self.pages, 1)
        column.addWidget(self.footer)
        self.screens.addWidget(self.welcome_holder)
        self.screens.addWidget(self.walkthrough)

    def set_background(self, colour: str) -> None:
        if QColor(colour) != self.background:
            self.background = QColor(colour)
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.background)
        painter.end()

    def show_welcome(self) -> None:
        self.screens.setCurrentWidget(self.welcome_holder)

    def show_walkthrough(self) -> None:
        self.screens.setCurrentWidget(self.walkthrough)

    def on_welcome(self) -> bool:
        return self.screens.currentWidget() is self.welcome_holder

    def keep_focus_in_view(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Scroll the flick-scroll area holding the widget that has just taken the focus (from
        the keyboard or a keypad) so that it shows whole (for ``QApplication.focusChanged``)."""
        if new is None:
            return
        parent = new.parentWidget()
        while parent is not None and not isinstance(parent, KineticScrollArea):
            parent = parent.parentWidget()
        if isinstance(parent, KineticScrollArea):
            parent.ensureWidgetVisible(new, 20, 40)

    def set_tab_order(self, page_chain: list[QWidget]) -> None:
        """Tab follows reading order: sections, the page's controls, then the footer."""
        chain: list[QWidget] = [*self.progress.buttons.values(), *page_chain, self.footer.back, self.footer.home, self.footer.next]
        chain += self.toolbar.buttons()
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.resized.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.back_requested.emit()
        elif key == Qt.Key.Key_Down:
            self.focusNextPrevChild(True)
        elif key == Qt.Key.Key_Up:
            self.focusNextPrevChild(False)
        # Everything else (F11, Ctrl+W/Q/N/P/S/O, Alt+F4 as a key) is swallowed here.
        event.accept()
