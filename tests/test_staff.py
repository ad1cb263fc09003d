"""Staff access: corner hold, PIN pad, lockout, panel actions, no-PIN message."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel

from kiosk.core.pin import PinGuard, hash_pin
from kiosk.core.paths import lockout_path
from kiosk.ui import controller as controller_module
from kiosk.ui.staff import PinPad, StaffInfo, StaffMessage, StaffPanel


@pytest.fixture(scope="module")
def pin_hash() -> str:
    return hash_pin("2468")


@pytest.fixture
def with_pin(kiosk, pin_hash):  # type: ignore[no-untyped-def]
    kiosk.controller.pin_guard = PinGuard(pin_hash, lockout_path())
    return kiosk


def test_corner_hold_opens_staff_access(qtbot, kiosk, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    corner = kiosk.controller.corner
    corner.timer.setInterval(100)
    opened: list[bool] = []
    monkeypatch.setattr(kiosk.controller, "open_staff", lambda: opened.append(True))
    corner.triggered.disconnect()
    corner.triggered.connect(kiosk.controller.open_staff)
    kiosk.window.activateWindow()
    qtbot.mousePress(kiosk.window, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    with qtbot.waitSignal(corner.triggered, timeout=2000):
        pass
    qtbot.mouseRelease(kiosk.window, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    assert opened == [True]


def test_short_tap_in_corner_does_nothing(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    corner = kiosk.controller.corner
    qtbot.mousePress(kiosk.window, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    qtbot.mouseRelease(kiosk.window, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    assert not corner.timer.isActive()


def test_no_pin_configured_says_how_to_set_one(kiosk, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    messages: list[str] = []
    monkeypatch.setattr(StaffMessage, "ask", classmethod(lambda cls, parent, text: messages.append(text)))
    kiosk.controller.open_staff()
    assert "set-pin" in messages[0]


def test_right_pin_opens_panel_and_reset_works(qtbot, with_pin, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    c = with_pin.controller
    c.start()
    c.session.toggle(c.pack.questions[0].id)
    monkeypatch.setattr(PinPad, "ask", classmethod(lambda cls, parent, message="": "2468"))
    infos: list[StaffInfo] = []
    monkeypatch.setattr(StaffPanel, "ask", classmethod(lambda cls, parent, info, today=None: infos.append(info) or "reset"))
    c.open_staff()
    assert infos and infos[0].library is c.library
    assert with_pin.window.on_welcome() and c.session.ticked == []


def test_wrong_pins_lock_and_lock_survives_restart(qtbot, with_pin, pin_hash, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    c = with_pin.controller
    messages: list[str] = []
    monkeypatch.setattr(StaffMessage, "ask", classmethod(lambda cls, parent, text: messages.append(text)))
    monkeypatch.setattr(PinPad, "ask", classmethod(lambda cls, parent, message="": "1111"))
    panel_opened: list[bool] = []
    monkeypatch.setattr(StaffPanel, "ask", classmethod(lambda cls, parent, info, today=None: panel_opened.append(True)))
    for _ in range(5):
        c.open_staff()
    assert messages[:4] == ["Wrong PIN."] * 4 and "Too many wrong PINs" in messages[4]
    # A restart reads the lockout back from disk: even the right PIN is refused.
    c.pin_guard = PinGuard(pin_hash, lockout_path())
    monkeypatch.setattr(PinPad, "ask", classmethod(lambda cls, parent, message="": "2468"))
    c.open_staff()
    assert "Too many wrong PINs. Try again in 10 minutes." == messages[-1]
    assert panel_opened == []


def test_exit_to_desktop_closes_the_window(qtbot, with_pin, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(PinPad, "ask", classmethod(lambda cls, parent, message="": "2468"))
    monkeypatch.setattr(StaffPanel, "ask", classmethod(lambda cls, parent, info, today=None: "exit"))
    quits: list[bool] = []
    monkeypatch.setattr(controller_module.QApplication, "quit", staticmethod(lambda: quits.append(True)))
    with_pin.controller.open_staff()
    assert not with_pin.window.isVisible() and quits == [True]


def test_staff_panel_shows_content_review_and_figures(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    c.start()
    c.show("questions")
    c.toggle_question(c.pack.questions[2].id)
    c.reset_session()
    info = c.staff_info()
    panel = StaffPanel(kiosk.window, info, date(2099, 1, 1))
    qtbot.addWidget(panel)
    labels = {w.objectName(): w for w in panel.findChildren(QLabel)}
    assert "pending clinical review" in labels["staff-content-info"].text()
    assert "overdue" in labels["staff-review-overdue"].text()
    figures = labels["staff-figures"].text()
    assert "Today: 1 sessions" in figures and c.pack.questions[2].text in figures


def test_idle_closes_the_staff_panel(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    c.start()
    panel = StaffPanel(kiosk.window, c.staff_info(), date.today())
    panel.show()
    c.idle.warning_started.emit(20)
    qtbot.waitUntil(lambda: not panel.isVisible(), timeout=2000)


def test_staff_panel_shows_config_problems(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    c = kiosk.controller
    c.settings = replace(c.settings, problems=("kiosk.toml: not valid TOML (x); using defaults",))
    panel = StaffPanel(kiosk.window, c.staff_info(), date.today())
    qtbot.addWidget(panel)
    warnings = [w.text() for w in panel.findChildren(QLabel) if w.objectName() == "staff-config-warning"]
    assert warnings == ["Config problem: kiosk.toml: not valid TOML (x); using defaults"]
