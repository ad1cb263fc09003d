"""Staff access: corner hold, PIN pad, lockout, panel actions, no-PIN message."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from kiosk.core.paths import lockout_path
from kiosk.core.pin import PinGuard, hash_pin
from kiosk.ui import controller as controller_module
from kiosk.ui.staff import PinPad, StaffMessage
from kiosk.ui.staff_dialog import StaffDialog
from kiosk.ui.staff_panel import StaffInfo, StaffPanel


@pytest.fixture(scope="module")
def pin_hash() -> str:
    return hash_pin("24681357")


@pytest.fixture
def with_pin(make_kiosk, pin_hash):  # type: ignore[no-untyped-def]
    return make_kiosk(pin_guard=PinGuard(pin_hash, lockout_path()))


def test_corner_hold_opens_staff_access(qtbot, kiosk, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    corner = kiosk.controller.corner
    corner.timer.setInterval(100)
    opened: list[bool] = []
    monkeypatch.setattr(kiosk.controller.staff, "open", lambda: opened.append(True))
    corner.triggered.disconnect()
    corner.triggered.connect(kiosk.controller.staff.open)
    kiosk.window.activateWindow()
    with qtbot.waitSignal(corner.triggered, timeout=2000):  # (a press through the window turns the event loop)
        qtbot.mousePress(kiosk.window.windowHandle(), Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    qtbot.mouseRelease(kiosk.window.windowHandle(), Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    assert opened == [True]


def test_short_tap_in_corner_does_nothing(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    corner = kiosk.controller.corner
    qtbot.mousePress(kiosk.window.windowHandle(), Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    qtbot.mouseRelease(kiosk.window.windowHandle(), Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    assert not corner.timer.isActive()


def test_no_pin_configured_says_how_to_set_one(kiosk, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    messages: list[str] = []
    monkeypatch.setattr(StaffMessage, "ask", classmethod(lambda cls, parent, text: messages.append(text)))
    kiosk.controller.staff.open()
    assert "set-pin" in messages[0]


def test_right_pin_opens_panel_and_reset_works(qtbot, with_pin, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    c = with_pin.controller
    c.model.start()
    c.session.toggle(c.pack.questions[0].id)
    monkeypatch.setattr(PinPad, "ask", classmethod(lambda cls, parent, message="": "24681357"))
    infos: list[StaffInfo] = []
    monkeypatch.setattr(StaffPanel, "ask", classmethod(lambda cls, parent, info, today=None: infos.append(info) or "reset"))
    c.staff.open()
    assert infos and infos[0].library is c.library
    assert with_pin.window.on_welcome() and c.session.ticked == []


def test_wrong_pins_lock_and_lock_survives_restart(qtbot, with_pin, make_kiosk, pin_hash, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    c = with_pin.controller
    messages: list[str] = []
    monkeypatch.setattr(StaffMessage, "ask", classmethod(lambda cls, parent, text: messages.append(text)))
    monkeypatch.setattr(PinPad, "ask", classmethod(lambda cls, parent, message="": "11111111"))
    panel_opened: list[bool] = []
    monkeypatch.setattr(StaffPanel, "ask", classmethod(lambda cls, parent, info, today=None: panel_opened.append(True)))
    for _ in range(5):
        c.staff.open()
    assert messages[:4] == ["Wrong PIN."] * 4 and "Too many wrong PINs" in messages[4]
    # A restart reads the lockout back from disk: even the right PIN is refused.
    with_pin.window.allow_close()
    with_pin.window.close()
    c = make_kiosk(pin_guard=PinGuard(pin_hash, lockout_path())).controller
    monkeypatch.setattr(PinPad, "ask", classmethod(lambda cls, parent, message="": "24681357"))
    c.staff.open()
    assert messages[-1] == "Too many wrong PINs. Try again in 10 minutes."
    assert panel_opened == []


@pytest.mark.parametrize(("typed", "warned"), [("2468", True), ("24681357", False)])
def test_a_short_pin_from_before_the_rule_opens_the_panel_with_a_warning(qtbot, make_kiosk, monkeypatch, typed,  # type: ignore[no-untyped-def]
                                                                          warned) -> None:
    from tests.test_pin import legacy_hash

    c = make_kiosk(pin_guard=PinGuard(legacy_hash(typed), lockout_path())).controller
    monkeypatch.setattr(PinPad, "ask", classmethod(lambda cls, parent, message="": typed))
    panels: list[list[str]] = []

    def ask(cls, parent, info, today=None):  # type: ignore[no-untyped-def]
        panel = StaffPanel(parent, info, date.today())
        panels.append([w.text() for w in panel.findChildren(QLabel) if w.objectName() == "staff-short-pin-warning"])
        panel.deleteLater()

    monkeypatch.setattr(StaffPanel, "ask", classmethod(ask))
    c.staff.open()
    assert len(panels) == 1
    assert bool(panels[0]) == warned
    if warned:
        assert "shorter than 6 digits" in panels[0][0] and "kiosk set-pin" in panels[0][0] and typed not in panels[0][0]


def test_a_lockout_record_that_cannot_be_saved_keeps_the_pad_shut_and_says_why(qtbot, make_kiosk, pin_hash, tmp_path,  # type: ignore[no-untyped-def]
                                                                               monkeypatch) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be")
    c = make_kiosk(pin_guard=PinGuard(pin_hash, blocker / "lockout.json")).controller
    messages: list[str] = []
    monkeypatch.setattr(StaffMessage, "ask", classmethod(lambda cls, parent, text: messages.append(text)))
    asked: list[bool] = []
    monkeypatch.setattr(PinPad, "ask", classmethod(lambda cls, parent, message="": asked.append(True) or "24681357"))
    panels: list[StaffInfo] = []
    monkeypatch.setattr(StaffPanel, "ask", classmethod(lambda cls, parent, info, today=None: panels.append(info)))
    c.staff.open()
    assert asked == [] and panels == []  # not even the pad: no guess could be recorded
    assert "cannot save its count of wrong PINs" in messages[0] and str(blocker / "lockout.json") in messages[0]
    assert "no restart needed" in messages[0]
    blocker.unlink()  # IT fixes the disk
    c.staff.open()
    assert asked == [True] and len(panels) == 1 and panels[0].storage_problems == ()


def test_staff_panel_shows_storage_problems(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    info = replace(kiosk.controller.staff.info(), storage_problems=("cannot save the PIN lockout record x (Disk full)",))
    panel = StaffPanel(kiosk.window, info, date.today())
    qtbot.addWidget(panel)
    shown = [w.text() for w in panel.findChildren(QLabel) if w.objectName() == "staff-storage-warning"]
    assert shown == ['Storage problem: cannot save the PIN lockout record x (Disk full). Tell IT (README, "Privacy").']


def test_exit_to_desktop_closes_the_window(qtbot, with_pin, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(PinPad, "ask", classmethod(lambda cls, parent, message="": "24681357"))
    monkeypatch.setattr(StaffPanel, "ask", classmethod(lambda cls, parent, info, today=None: "exit"))
    quits: list[bool] = []
    monkeypatch.setattr(controller_module.QApplication, "quit", staticmethod(lambda: quits.append(True)))
    with_pin.controller.staff.open()
    assert not with_pin.window.isVisible() and quits == [True]


def test_staff_panel_shows_content_review_and_figures(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    c.model.start()
    c.show("questions")
    c.model.toggle(c.pack.questions[2].id)
    c.reset_session()
    qtbot.waitUntil(lambda: not c.usage.jobs.busy)  # the write runs on the statistics thread
    from kiosk.core.stats import MIN_GROUP_SIZE, SessionRecord

    for _ in range(MIN_GROUP_SIZE - 1):  # enough sessions for the figures to be shown
        c.usage.store.record(SessionRecord("en", None))
    info = c.staff.info()
    panel = StaffPanel(kiosk.window, info, date(2099, 1, 1))
    qtbot.addWidget(panel)
    labels = {w.objectName(): w for w in panel.findChildren(QLabel)}
    assert "pending clinical review" in labels["staff-content-info"].text()
    assert "overdue" in labels["staff-review-overdue"].text()
    figures = labels["staff-figures"].text()
    assert "Today: 10 sessions" in figures and c.pack.questions[2].text in figures


def test_idle_closes_the_staff_panel(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    c.model.start()
    panel = StaffPanel(kiosk.window, c.staff.info(), date.today())
    panel.show()
    c.idle.warning_started.emit(20)
    qtbot.waitUntil(lambda: not panel.isVisible(), timeout=2000)


def test_a_session_reset_closes_every_staff_screen_over_its_window(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    """Both sheets on show (a message over the panel) go with the reset; a staff screen over
    another window stays."""
    c = kiosk.controller
    c.model.start()
    panel = StaffPanel(kiosk.window, c.staff.info(), date.today())
    message = StaffMessage(panel, "Printed.")
    other_window = QWidget()
    qtbot.addWidget(other_window)
    elsewhere = StaffMessage(other_window, "Not this one.")
    for dialog in (panel, message, elsewhere):
        dialog.show()
    assert set(StaffDialog.shown_over(kiosk.window)) == {panel, message}
    c.reset_session()
    assert not panel.isVisible() and not message.isVisible()
    assert elsewhere.isVisible() and StaffDialog.shown_over(other_window) == [elsewhere]
    elsewhere.reject()
    assert StaffDialog.shown_over(other_window) == []


def test_staff_panel_shows_config_problems(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    c = kiosk.controller
    c.settings = replace(c.settings, problems=("kiosk.toml: not valid TOML (x); using defaults",))
    panel = StaffPanel(kiosk.window, c.staff.info(), date.today())
    qtbot.addWidget(panel)
    warnings = [w.text() for w in panel.findChildren(QLabel) if w.objectName() == "staff-config-warning"]
    assert warnings == ["Config problem: kiosk.toml: not valid TOML (x); using defaults"]


def test_a_lost_pin_says_what_went_wrong_and_how_to_recover(make_kiosk, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from kiosk.core.settings import parse_settings

    messages: list[str] = []
    monkeypatch.setattr(StaffMessage, "ask", classmethod(lambda cls, parent, text: messages.append(text)))
    # (The bad hash gives no PIN guard from the settings: the kiosk is given an empty one.)
    c = make_kiosk(settings=parse_settings('pin_hash = "2468"\n', "/etc/tmbb-kiosk/kiosk.toml"),
                   pin_guard=PinGuard("", lockout_path())).controller
    c.staff.open()
    assert "could not be read" in messages[0] and "No staff PIN is set" not in messages[0]
    assert "/etc/tmbb-kiosk/kiosk.toml:1: pin_hash is not a hash" in messages[0]
    assert "kiosk --config /etc/tmbb-kiosk/kiosk.toml set-pin" in messages[0]


def test_an_unreadable_config_still_opens_the_staff_panel_with_the_last_pin(qtbot, settings, library, pin_hash,  # type: ignore[no-untyped-def]
                                                                            tmp_path, monkeypatch) -> None:
    from kiosk.core.settings import load_settings
    from kiosk.ui.app import build_kiosk

    config = tmp_path / "kiosk.toml"
    config.write_text(f'clinic_name = "Sunrise"\nclinic_phone = "555-0142"\npin_hash = "{pin_hash}"\n')
    first = build_kiosk(load_settings(config), library)
    qtbot.addWidget(first.window)
    config.write_text('clinic_name = "Sunrise\npin_hash = "' + pin_hash[:20] + '\n')  # both lines broken now
    broken = load_settings(config)
    assert broken.pin_hash_lost
    second = build_kiosk(broken, library)
    qtbot.addWidget(second.window)
    monkeypatch.setattr(PinPad, "ask", classmethod(lambda cls, parent, message="": "24681357"))
    shown: list[StaffInfo] = []
    monkeypatch.setattr(StaffPanel, "ask", classmethod(lambda cls, parent, info, today=None: shown.append(info) or None))
    second.controller.staff.open()
    assert shown and any("pin_hash" in p for p in shown[0].config_problems)  # and the panel shows the problem
    for built in (first, second):
        built.window.allow_close()


def _contrast(a, b) -> float:  # type: ignore[no-untyped-def]
    def luminance(c) -> float:  # type: ignore[no-untyped-def]
        parts = [x / 255 for x in (c.red(), c.green(), c.blue())]
        lin = [p / 12.92 if p <= 0.03928 else ((p + 0.055) / 1.055) ** 2.4 for p in parts]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _darkest_against_background(widget) -> float:  # type: ignore[no-untyped-def]
    """The best contrast between any pixel drawn where ``widget`` is, on its window, and
    the background colour there."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QColor

    window = widget.window()
    image = window.grab(QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())).toImage()
    background = QColor(image.pixel(1, 1))
    best = 1.0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            best = max(best, _contrast(QColor(image.pixel(x, y)), background))
    return best


@pytest.mark.parametrize("contrast", [False, True])
def test_staff_screens_keep_their_own_readable_style(qtbot, kiosk, contrast) -> None:  # type: ignore[no-untyped-def]
    c, w = kiosk.controller, kiosk.window
    c.model.set_text_scale(2.0)
    c.model.set_high_contrast(contrast)
    pad = PinPad(w)
    pad.place(560, 720)
    message = StaffMessage(w, c.staff.no_pin_message())
    message.place(760, 420)
    for dialog in (pad, message):
        qtbot.addWidget(dialog)
        with qtbot.waitExposed(dialog):
            dialog.show()
    prompt = pad.findChild(QLabel, "pin-prompt")
    assert _darkest_against_background(prompt) >= 4.5  # (white on white in high contrast before)
    text = message.findChild(QLabel, "staff-message-text")
    ok = message.findChild(QPushButton, "staff-message-ok")
    assert _darkest_against_background(text) >= 4.5
    # The command line is not hidden behind OK, and OK is not cut.
    assert text.height() >= text.heightForWidth(text.width())
    assert text.geometry().bottom() < ok.geometry().top()
    assert ok.height() >= ok.sizeHint().height() and ok.width() >= ok.sizeHint().width()
    assert message.height() <= w.height() and message.width() <= w.width()
