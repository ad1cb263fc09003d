"""Staff screens close themselves when left alone, wherever they were opened: the staff
panel holds "Exit to desktop", and on the welcome screen the patients' idle reset does not
run, so before this a panel opened there stayed for the next patient (issue 19)."""

from __future__ import annotations

import logging
import time
from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel

from kiosk.core.paths import lockout_path
from kiosk.core.pin import PinGuard, hash_pin
from kiosk.core.settings import Settings
from kiosk.ui.controller import staff_idle_ms
from kiosk.ui.staff import PinPad, StaffMessage
from kiosk.ui.staff_dialog import StaffDialog
from kiosk.ui.staff_panel import StaffPanel

SAFETY_NET_MS = 10_000  # closes what did not close itself, so a failure fails instead of hanging


@pytest.fixture(scope="module")
def pin_hash() -> str:
    return hash_pin("24681357")


def _closing_what_stays(window) -> list[str]:  # type: ignore[no-untyped-def]
    """Arm the safety net; the list it returns names the dialogs it had to close."""
    forced: list[str] = []

    def close_leftovers() -> None:
        for dialog in window.findChildren(StaffDialog):
            if dialog.isVisible():
                forced.append(dialog.objectName())
                dialog.reject()

    QTimer.singleShot(SAFETY_NET_MS, window, close_leftovers)
    return forced


def test_staff_panel_opened_on_the_welcome_screen_closes_itself(qtbot, make_kiosk, pin_hash, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    kiosk = make_kiosk(pin_guard=PinGuard(pin_hash, lockout_path()))
    c, w = kiosk.controller, kiosk.window
    assert w.on_welcome() and not c.idle.enabled  # no patient idle timer runs here
    w.staff_idle_ms = 300
    monkeypatch.setattr(PinPad, "ask", classmethod(lambda cls, parent, message="": "24681357"))
    forced = _closing_what_stays(w)
    started = time.monotonic()
    with caplog.at_level(logging.INFO, logger="kiosk.ui.staff_dialog"):
        c.staff.open()  # the real panel, modal: returns once it has closed
    elapsed = time.monotonic() - started
    assert forced == [], "the staff panel stayed open"
    assert "staff-panel closed after 0 s without input" in caplog.text
    assert elapsed < 5, elapsed
    assert w.isVisible() and w.on_welcome()  # nothing chosen: no reset, no exit


@pytest.mark.parametrize("dialog", ["pin-pad", "staff-message"])
def test_pin_pad_and_messages_close_themselves_too(qtbot, kiosk, dialog) -> None:  # type: ignore[no-untyped-def]
    w = kiosk.window
    w.staff_idle_ms = 300
    forced = _closing_what_stays(w)
    if dialog == "pin-pad":
        assert PinPad.ask(w) is None
    else:
        StaffMessage.ask(w, "Wrong PIN.")
    assert forced == []


def test_a_touch_keeps_a_staff_screen_open(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    w = kiosk.window
    w.staff_idle_ms = 3000
    panel = StaffPanel(w, kiosk.controller.staff.info(), date.today())
    qtbot.addWidget(panel)
    with qtbot.waitExposed(panel):
        panel.show()
    timer = panel.idle_timer
    assert timer.isActive() and timer.interval() == 3000
    qtbot.waitUntil(lambda: timer.remainingTime() < 2000, timeout=3000)
    qtbot.mouseClick(panel.findChildren(QLabel)[0], Qt.MouseButton.LeftButton)
    assert timer.remainingTime() > 2500  # started again
    panel.reject()
    assert not timer.isActive()


def test_staff_screens_wait_a_minute_or_the_idle_time_if_shorter(kiosk) -> None:  # type: ignore[no-untyped-def]
    assert staff_idle_ms(Settings()) == 60_000  # idle_seconds 90 by default
    assert staff_idle_ms(Settings(idle_seconds=30)) == 30_000
    assert kiosk.window.staff_idle_ms == 60_000
    panel = StaffPanel(kiosk.window, kiosk.controller.staff.info(), date.today())
    assert panel.idle_timer.interval() == 60_000
    panel.deleteLater()
