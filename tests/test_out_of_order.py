"""The out-of-order screen (content that cannot be loaded) is locked like the kiosk and
has the same staff path: corner hold, PIN, a panel that says what is wrong and can exit.
Before, Alt+F4 closed it and staff had no way in (issue 19)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from kiosk.core.paths import lockout_path
from kiosk.core.pin import PinGuard, hash_pin
from kiosk.core.settings import Settings
from kiosk.ui import out_of_order as out_of_order_module
from kiosk.ui.out_of_order import OutOfOrder
from kiosk.ui.staff import OutOfOrderPanel, PinPad, StaffMessage

PROBLEM = "/etc/tmbb-kiosk/content/en/pack.toml:12: unknown page 'risk'"


@pytest.fixture(scope="module")
def pin_hash() -> str:
    return hash_pin("24681357")


@pytest.fixture
def notice(qtbot, pin_hash):  # type: ignore[no-untyped-def]
    screen = OutOfOrder(Settings(), PROBLEM, PinGuard(pin_hash, lockout_path()))
    qtbot.addWidget(screen)
    screen.resize(1280, 800)
    with qtbot.waitExposed(screen):
        screen.show()
    yield screen
    screen.allow_close()


def test_patients_cannot_close_or_shrink_it(qtbot, notice) -> None:  # type: ignore[no-untyped-def]
    notice.setProperty("kiosk_fullscreen", True)
    notice.showFullScreen()
    qtbot.waitUntil(notice.isFullScreen, timeout=2000)
    qtbot.keyClick(notice, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    assert notice.close() is False and notice.isVisible()  # a window manager's close request
    notice.showNormal()
    qtbot.waitUntil(notice.isFullScreen, timeout=2000)
    texts = " ".join(label.text() for label in notice.findChildren(QLabel))
    assert "not working right now" in texts and "pack.toml" not in texts  # no error text for patients


def test_corner_and_pin_open_the_panel_and_exit(qtbot, notice, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    notice.corner.timer.setInterval(100)
    monkeypatch.setattr(PinPad, "ask", classmethod(lambda cls, parent, message="": "24681357"))
    asked: list[str] = []
    monkeypatch.setattr(OutOfOrderPanel, "ask", classmethod(lambda cls, parent, problem, config=(): asked.append(problem) or "exit"))
    quits: list[bool] = []
    monkeypatch.setattr(out_of_order_module.QApplication, "quit", staticmethod(lambda: quits.append(True)))
    notice.activateWindow()
    qtbot.waitUntil(notice.isActiveWindow, timeout=2000)
    qtbot.mousePress(notice.windowHandle(), Qt.MouseButton.LeftButton, pos=QPoint(10, 10))  # (input reaches the window first)
    qtbot.waitUntil(lambda: quits == [True], timeout=3000)  # the hold, the PIN, the panel's "exit"
    assert asked == [PROBLEM]
    assert not notice.isVisible()


def test_wrong_pin_or_no_pin_keeps_staff_out(qtbot, notice, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    messages: list[str] = []
    monkeypatch.setattr(StaffMessage, "ask", classmethod(lambda cls, parent, text: messages.append(text)))
    monkeypatch.setattr(PinPad, "ask", classmethod(lambda cls, parent, message="": "1111"))
    monkeypatch.setattr(OutOfOrderPanel, "ask", classmethod(lambda cls, *a: pytest.fail("panel opened")))
    notice.open_staff()
    assert messages == ["Wrong PIN."]
    no_pin = OutOfOrder(Settings(), PROBLEM, None)  # no PIN set
    qtbot.addWidget(no_pin)
    no_pin.open_staff()
    assert "set-pin" in messages[-1]
    no_pin.allow_close()


def test_panel_says_what_is_wrong_and_offers_exit(qtbot, notice) -> None:  # type: ignore[no-untyped-def]
    notice.settings = replace(notice.settings, problems=("kiosk.toml:3: idle_seconds must be 10 to 3600",))
    panel = OutOfOrderPanel(notice, PROBLEM, notice.settings.problems)
    qtbot.addWidget(panel)
    labels = {label.objectName(): label.text() for label in panel.findChildren(QLabel)}
    assert PROBLEM in labels["staff-content-problem"] and "check-content" in labels["staff-content-problem"]
    assert "idle_seconds" in labels["staff-config-warning"]
    buttons = {b.objectName(): b for b in panel.findChildren(QPushButton)}
    assert set(buttons) >= {"staff-exit", "staff-close"}
    buttons["staff-exit"].click()
    assert panel.choice == "exit"
    assert panel.idle_timer.interval() == 60_000  # closes itself like every staff screen


def test_no_new_top_level_window_for_a_patient(qtbot, notice) -> None:  # type: ignore[no-untyped-def]
    before = set(QApplication.topLevelWidgets())
    for key, modifier in [(Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier), (Qt.Key.Key_F11, Qt.KeyboardModifier.NoModifier),
                          (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier), (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)]:
        qtbot.keyClick(notice, key, modifier)
    assert notice.isVisible()
    assert {t for t in QApplication.topLevelWidgets() if t.isVisible()} <= before
