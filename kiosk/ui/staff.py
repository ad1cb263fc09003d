"""Staff access: the PIN pad, the staff flow (``StaffDesk``: PIN, then the staff panel and
what staff chose there) and the out-of-order panel. The hidden corner hold that opens them
is ``kiosk.ui.corner``; the panel itself is ``kiosk.ui.staff_panel``.

Dialogs are shaped ``Dialog.ask(...) -> result``: they return data and the caller
decides. Tests monkeypatch ``ask``. Every staff screen closes itself when left alone
(the window's ``staff_idle_ms``): the panel holds "Exit to desktop", and nothing else
closes it on the welcome screen, where the patients' idle reset does not run.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk import __version__
from kiosk.core.content import ContentLibrary
from kiosk.core.pin import MAX_PIN_LENGTH, MIN_PIN_LENGTH, PinGuard, is_short
from kiosk.core.settings import Settings
from kiosk.core.stats import week_start
from kiosk.ui.frame import KioskWindow
from kiosk.ui.staff_dialog import StaffDialog
from kiosk.ui.staff_panel import StaffInfo, StaffPanel
from kiosk.ui.take_home import Printer
from kiosk.ui.usage import UsageRecorder
from kiosk.ui.widgets import KioskButton, PlainLabel, set_role

log = logging.getLogger(__name__)


class PinPad(StaffDialog):
    """On-screen digits. ``ask`` returns the typed PIN, or None when cancelled."""

    def __init__(self, parent: QWidget, message: str = "") -> None:
        super().__init__(parent, "pin-pad")
        self.digits = ""
        column = QVBoxLayout(self)
        column.setContentsMargins(32, 24, 32, 24)
        self.prompt = PlainLabel(message or "Staff PIN")
        self.prompt.setObjectName("pin-prompt")
        self.prompt.setWordWrap(True)
        set_role(self.prompt, "title")
        self.display = PlainLabel("")
        self.display.setObjectName("pin-display")
        self.display.setAccessibleName("PIN digits typed")
        set_role(self.display, "title")
        column.addWidget(self.prompt)
        column.addWidget(self.display)
        grid = QGridLayout()
        grid.setSpacing(12)
        for index, digit in enumerate("123456789"):
            button = KioskButton(digit, f"pin-{digit}")
            button.clicked.connect(lambda _=False, d=digit: self.press(d))
            grid.addWidget(button, index // 3, index % 3)
        clear = KioskButton("Clear", "pin-clear")
        clear.clicked.connect(self.clear)
        zero = KioskButton("0", "pin-0")
        zero.clicked.connect(lambda: self.press("0"))
        ok = KioskButton("OK", "pin-ok", "primary")
        ok.clicked.connect(self.accept)
        grid.addWidget(clear, 3, 0)
        grid.addWidget(zero, 3, 1)
        grid.addWidget(ok, 3, 2)
        column.addLayout(grid)
        cancel = KioskButton("Cancel", "pin-cancel")
        cancel.clicked.connect(self.reject)
        column.addWidget(cancel)

    def press(self, digit: str) -> None:
        if len(self.digits) < MAX_PIN_LENGTH:
            self.digits += digit
            self.display.setText("●" * len(self.digits))

    def clear(self) -> None:
        self.digits = ""
        self.display.setText("")

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.text().isdigit():
            self.press(event.text())
        elif event.key() == Qt.Key.Key_Backspace:
            self.digits = self.digits[:-1]
            self.display.setText("●" * len(self.digits))
        else:
            super().keyPressEvent(event)

    @classmethod
    def ask(cls, parent: QWidget, message: str = "") -> str | None:
        pad = cls(parent, message)
        pad.place(560, 720)
        accepted = pad.exec() == QDialog.DialogCode.Accepted
        pin = pad.digits
        pad.digits = ""
        pad.deleteLater()
        return pin if accepted and pin else None


class StaffMessage(StaffDialog):
    """A short message for staff with one OK button."""

    def __init__(self, parent: QWidget, text: str) -> None:
        super().__init__(parent, "staff-message")
        column = QVBoxLayout(self)
        column.setContentsMargins(32, 24, 32, 24)
        label = PlainLabel(text)
        label.setObjectName("staff-message-text")
        label.setWordWrap(True)
        column.addWidget(label, 1)
        ok = KioskButton("OK", "staff-message-ok", "primary")
        ok.clicked.connect(self.accept)
        column.addWidget(ok)

    @classmethod
    def ask(cls, parent: QWidget, text: str) -> None:
        dialog = cls(parent, text)
        dialog.place(760, 420)
        dialog.exec()
        dialog.deleteLater()


def no_pin_message(settings: Settings) -> str:
    """What staff see when no PIN can open the panel, and what IT can do about it."""
    config = settings.source or "<config file>"
    if settings.pin_hash_lost:
        problem = next(iter(settings.problems), "")
        return ("The staff PIN could not be read from the config file, so the staff panel cannot open.\n\n"
                f"{problem}\n\nIT can fix that file, or set a new PIN as an administrator on the kiosk computer:\n"
                f"  kiosk --config {config} set-pin")
    return ("No staff PIN is set, so the staff panel is closed.\n\n"
            f"To set one, IT runs this on the kiosk computer:\n  kiosk --config {config} set-pin")


def storage_locked_message(problem: str) -> str:
    """What staff see while wrong PINs cannot be recorded (see PinGuard), and the way in."""
    return ("The PIN pad is locked: the kiosk cannot save its count of wrong PINs, and without it a restart "
            "would allow unlimited guesses.\n\n"
            f"{problem[:1].upper()}{problem[1:]}.\n\n"
            "IT: free disk space, or make the kiosk's data folder writable (README, \"Privacy\"). The PIN pad "
            "opens at the next try, no restart needed. Meanwhile an administrator can stop the kiosk on the "
            "computer: sudo systemctl stop tmbb-kiosk (Windows: end the task, or sign out).")


@dataclass(frozen=True)
class Unlocked:
    """The right PIN was typed. ``short_pin``: it has fewer digits than now required (a
    hash cannot tell its PIN's length; the PIN typed can)."""

    short_pin: bool


def unlock(parent: QWidget, guard: PinGuard | None, no_pin: str) -> Unlocked | None:
    """The PIN step before any staff screen: ``Unlocked`` once the right PIN was typed.
    Says why not otherwise (no PIN set, locked out, wrong PIN, or wrong PINs that cannot
    be counted on disk: then no PIN is checked at all)."""
    if guard is None or not guard.configured:
        StaffMessage.ask(parent, no_pin)
        return None
    locked = guard.seconds_locked()
    if locked:
        StaffMessage.ask(parent, f"Too many wrong PINs. Try again in {math.ceil(locked / 60)} minutes.")
        return None
    if not guard.ready():
        StaffMessage.ask(parent, storage_locked_message(guard.storage_problem))
        return None
    pin = PinPad.ask(parent)
    if pin is None:
        return None
    short = is_short(pin)
    if not guard.check(pin):
        if guard.storage_problem:  # the guess could not be recorded, so it was not checked
            StaffMessage.ask(parent, storage_locked_message(guard.storage_problem))
            return None
        locked = guard.seconds_locked()
        StaffMessage.ask(parent, f"Too many wrong PINs. Try again in {math.ceil(locked / 60)} minutes." if locked else "Wrong PIN.")
        return None
    if short:
        log.warning("the staff PIN is shorter than the %d digits now required; set a new one with kiosk set-pin",
                    MIN_PIN_LENGTH)
    return Unlocked(short_pin=short)


class OutOfOrderPanel(StaffDialog):
    """The staff panel of the out-of-order screen: what is broken, and Exit to desktop.

    ``ask`` returns "exit" or None (closed)."""

    def __init__(self, parent: QWidget, problem: str, config_problems: tuple[str, ...] = ()) -> None:
        super().__init__(parent, "staff-panel")
        self.choice: str | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(32, 24, 32, 24)
        column.setSpacing(10)
        title = PlainLabel("Staff panel: the kiosk is out of order")
        set_role(title, "title")
        column.addWidget(title)
        buttons = QHBoxLayout()
        leave = KioskButton("Exit to desktop", "staff-exit")
        leave.clicked.connect(self._exit)
        close = KioskButton("Close", "staff-close", "primary")
        close.clicked.connect(self.reject)
        buttons.addWidget(leave)
        buttons.addWidget(close)
        column.addLayout(buttons)
        lines = problem.strip().splitlines()
        shown = "\n".join(lines[:12]) + (f"\n... and {len(lines) - 12} more lines in the log" if len(lines) > 12 else "")
        explanation = PlainLabel("Patients see \"This screen is not working right now\" because the content could not be "
                             "loaded. IT can run  kiosk check-content  to list every problem, fix them, and restart the "
                             "kiosk (Exit to desktop: it starts again by itself).\n\n" + shown)
        explanation.setObjectName("staff-content-problem")
        explanation.setWordWrap(True)
        column.addWidget(explanation, 1)
        for item in config_problems:
            warning = PlainLabel(f"Config problem: {item}")
            warning.setObjectName("staff-config-warning")
            warning.setWordWrap(True)
            set_role(warning, "demo")
            column.addWidget(warning)

    def _exit(self) -> None:
        self.choice = "exit"
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget, problem: str, config_problems: tuple[str, ...] = ()) -> str | None:
        panel = cls(parent, problem, config_problems)
        panel.place(1100, 700)
        panel.exec()
        choice = panel.choice
        panel.deleteLater()
        return choice


class StaffDesk(QObject):
    """What happens when staff hold the corner: the PIN, then the staff panel, and what
    they choose there. ``reset_requested`` asks the controller for a fresh session."""

    reset_requested = Signal()

    def __init__(self, window: KioskWindow, library: ContentLibrary, settings: Settings, pin_guard: PinGuard | None,
                 usage: UsageRecorder, printer: Callable[[], Printer],
                 start_problems: tuple[str, ...] = ()) -> None:
        super().__init__(window)
        self.window = window
        self.library = library
        self.settings = settings
        self.pin_guard = pin_guard
        self.usage = usage
        self.printer = printer  # the take-home printer, asked for at each use (tests replace it)
        self.start_problems = start_problems  # what could not be set up on disk at start

    def open(self) -> None:
        """The corner was held: PIN, then the staff panel."""
        w = self.window
        unlocked = unlock(w, self.pin_guard, self.no_pin_message())
        if unlocked is None:
            return
        # Set before the 6-digit rule, a short PIN still opens the panel, which asks for a longer one.
        choice = StaffPanel.ask(w, self.info(short_pin=unlocked.short_pin))
        if choice == "reset":
            self.reset_requested.emit()
        elif choice == "print-test":
            StaffMessage.ask(w, self.print_test_page())
        elif choice == "exit":
            log.info("staff exit to desktop")
            w.allow_close()
            w.close()
            QApplication.quit()

    def close_dialogs(self) -> None:
        """Every staff screen goes (a reset, or a patient's idle warning)."""
        for dialog in StaffDialog.shown_over(self.window):
            dialog.reject()

    def no_pin_message(self) -> str:
        """What staff see when no PIN can open the panel, and what IT can do about it."""
        return no_pin_message(self.settings)

    def print_test_page(self) -> str:
        """Staff panel: a sample handout to the configured printer; returns what happened."""
        if not self.settings.printer:
            return "No printer is configured. Set 'printer' in the config file (see README)."
        from kiosk.ui.printing import sample_handout

        pack = self.library.pack(self.library.default_language)
        try:
            self.printer()(sample_handout(pack, self.settings.clinic_name, self.settings), self.settings.printer)
        except Exception as exc:
            log.warning("test print failed: %s", exc)
            return f"The test page did not print: {exc}"
        return f"A test page was sent to {self.settings.printer}."

    def info(self, short_pin: bool = False) -> StaffInfo:
        """What the staff panel shows: the figures, the content's review, what needs IT."""
        today = date.today()
        store = self.usage.store
        summary_today = summary_week = None
        if store is not None:
            try:
                summary_today = store.summary(today, today)
                summary_week = store.summary(week_start(today), today)
            except Exception:
                log.exception("could not read usage statistics")
        titles, questions = self.library.titles_for_statistics(self.library.default_language)  # keyed topic/id
        return StaffInfo(library=self.library, today=summary_today, week=summary_week,
                         config_problems=self.settings.problems, statistics_on=self.settings.statistics,
                         page_titles=titles, question_texts=questions, version=__version__, short_pin=short_pin,
                         storage_problems=self.storage_problems(),
                         check_texts=self.library.check_texts(self.library.default_language))

    def storage_problems(self) -> tuple[str, ...]:
        """What the kiosk cannot save right now, for the staff panel."""
        guard = self.pin_guard
        current = (guard.storage_problem if guard is not None else "", self.usage.problem)
        return self.start_problems + tuple(problem for problem in current if problem)
