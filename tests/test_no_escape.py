"""No way out for a patient: no close, no context menu, no link that opens anything."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QDesktopServices
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QScrollBar, QScroller, QWidget

from kiosk.core.settings import Settings
from kiosk.ui.input_guard import GUARDED_PROPERTY
from kiosk.ui.staff import PinPad, StaffMessage
from kiosk.ui.widgets import KineticScrollArea, RichText

ESCAPE_KEYS = [
    (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
    (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_F11, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_Tab, Qt.KeyboardModifier.AltModifier),
] + [(key, Qt.KeyboardModifier.ControlModifier) for key in
     (Qt.Key.Key_W, Qt.Key.Key_Q, Qt.Key.Key_N, Qt.Key.Key_P, Qt.Key.Key_S, Qt.Key.Key_O)]


def test_escape_keys_leave_it_open_and_fullscreen(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    w = kiosk.window
    w.setProperty("kiosk_fullscreen", True)
    w.showFullScreen()
    qtbot.waitUntil(w.isFullScreen, timeout=2000)
    tops_before = set(QApplication.topLevelWidgets())
    for screen in (None, "risks"):
        kiosk.controller.show(screen)
        for key, modifier in ESCAPE_KEYS:
            qtbot.keyClick(QApplication.focusWidget() or w, key, modifier)
            assert w.isVisible() and w.isFullScreen(), (key, modifier)
    assert w.close() is False and w.isVisible()
    shown = {t for t in QApplication.topLevelWidgets() if t.isVisible()}
    assert shown <= tops_before | {w}, "a new window or dialog appeared"


def test_window_snaps_back_to_fullscreen(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    w = kiosk.window
    w.setProperty("kiosk_fullscreen", True)
    w.showFullScreen()
    qtbot.waitUntil(w.isFullScreen, timeout=2000)
    w.showNormal()
    qtbot.waitUntil(w.isFullScreen, timeout=2000)


def _menu_opened(action) -> bool:  # type: ignore[no-untyped-def]
    """Whether ``action()`` left a menu (a popup) open; closes it."""
    action()
    popup = QApplication.activePopupWidget()
    if popup is not None:
        popup.close()
    return popup is not None


# The control's menu is a popup: the offscreen platform warns that it cannot raise it or grab the keyboard.
@pytest.mark.qt_log_ignore("This plugin does not support")
def test_no_context_menu_on_any_kiosk_window(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    """A right click (some touch drivers make one of a long press), the menu key, or the
    platform asking for a menu: no menu opens, on the patient's window or a staff screen.
    The same right click on a window that is not the kiosk's opens Qt's scroll bar menu,
    so this test sees a menu when there is one."""
    c, w = kiosk.controller, kiosk.window
    c.show("risks")
    bar = c.views["risks"].scroll_area.verticalScrollBar()
    assert bar.isVisible(), "the risks page no longer scrolls at 1280x800: pick a longer one"
    at = bar.mapTo(w, bar.rect().center())
    link = c.views["risks"].text
    handle = w.windowHandle()
    assert handle.property(GUARDED_PROPERTY)
    for pos in (at, link.mapTo(w, QPoint(5, 5))):
        assert not _menu_opened(lambda pos=pos: QTest.mouseClick(handle, Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier, pos))
        event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, w.mapToGlobal(pos))
        assert not _menu_opened(lambda event=event: QApplication.sendEvent(handle, event))
    bar.setFocus()
    assert not _menu_opened(lambda: QTest.keyClick(handle, Qt.Key.Key_Menu))
    assert w.isVisible() and c.session.page_id == "risks"

    pad = PinPad(w)
    qtbot.addWidget(pad)
    with qtbot.waitExposed(pad):
        pad.show()
    assert pad.windowHandle().property(GUARDED_PROPERTY)
    assert not _menu_opened(lambda: QTest.mouseClick(pad.windowHandle(), Qt.MouseButton.RightButton))
    pad.reject()

    other = QWidget()
    qtbot.addWidget(other)
    other.resize(200, 300)
    plain_bar = QScrollBar(other)
    plain_bar.setGeometry(0, 0, 30, 300)
    with qtbot.waitExposed(other):
        other.show()
    assert not other.windowHandle().property(GUARDED_PROPERTY)
    assert _menu_opened(lambda: QTest.mouseClick(other.windowHandle(), Qt.MouseButton.RightButton,
                                                 Qt.KeyboardModifier.NoModifier, QPoint(15, 150)))


def test_every_window_a_patient_or_staff_can_see_is_guarded(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    """Each kiosk screen that is its own window filters its input once it shows: the
    patient's window, each staff screen, the out-of-order screen."""
    from kiosk.ui.out_of_order import OutOfOrder

    c, w = kiosk.controller, kiosk.window
    shown = [w]
    for dialog in (PinPad(w), StaffMessage(w, c.staff.no_pin_message())):
        qtbot.addWidget(dialog)
        with qtbot.waitExposed(dialog):
            dialog.show()
        shown.append(dialog)
    notice = OutOfOrder(Settings(), "content/en/pack.toml:1: broken", None)
    qtbot.addWidget(notice)
    with qtbot.waitExposed(notice):
        notice.show()
    shown.append(notice)
    for window in shown:
        assert window.windowHandle().property(GUARDED_PROPERTY), type(window).__name__
    visible = [t for t in QApplication.topLevelWidgets() if t.isVisible()]
    assert all(t.windowHandle().property(GUARDED_PROPERTY) for t in visible), visible
    notice.allow_close()


def test_links_never_open_another_program(qtbot, kiosk, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    opened: list[object] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    c = kiosk.controller
    c.show("what-it-is")
    # Even a link that slipped past the content checks only reaches our handler.
    label = RichText('<a href="https://example.org/x">OUTSIDE-LINK-OUTSIDE-LINK</a>')
    qtbot.addWidget(label)
    label.page_link.connect(c.show)
    label.show()
    qtbot.waitExposed(label)
    with qtbot.waitSignal(label.linkActivated, timeout=2000):
        qtbot.mouseClick(label, Qt.MouseButton.LeftButton, pos=QPoint(6, label.height() // 2))
    assert opened == [] and c.session.page_id == "what-it-is"
    # A real in-app link in the shipped content navigates inside the app: to a page of the
    # same topic ("#risks"), or to another topic's page ("#thoracic-rfa/what-it-is").
    topic = c.model.topic
    pages_with_links = [p for p in c.pack.pages if 'href="#' in p.html]
    assert any("/" in href for p in pages_with_links for href in p.html.split('href="#')[1:])  # the link to ablation
    for page in pages_with_links:
        for target in {href.split('"')[0] for href in page.html.split('href="#')[1:]}:
            c.show(f"{topic}/{page.id}")
            c.views[page.id].text.linkActivated.emit("#" + target)
            other, _, page_id = target.rpartition("/")
            assert (c.model.topic, c.session.page_id) == (other or topic, page_id)
            assert c.current_view() is c.views[page_id] and c.views[page_id].isVisible()
    assert opened == []


def test_no_text_selection(kiosk) -> None:  # type: ignore[no-untyped-def]
    for view in kiosk.controller.views.values():
        for label in view.findChildren(RichText):
            assert not label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse


def test_pages_flick_scroll(kiosk) -> None:  # type: ignore[no-untyped-def]
    for view in kiosk.controller.views.values():
        area = view.findChild(KineticScrollArea)
        assert area is not None and QScroller.hasScroller(area.viewport())


def test_hidden_cursor_option(qtbot, library) -> None:  # type: ignore[no-untyped-def]
    from kiosk.ui.app import build_kiosk

    built = build_kiosk(Settings(hide_cursor=True), library, size=(1280, 800))
    qtbot.addWidget(built.window)
    assert built.window.cursor().shape() == Qt.CursorShape.BlankCursor
    built.window.allow_close()


def test_qdesktopservices_is_never_used() -> None:
    from pathlib import Path

    import kiosk

    for path in Path(kiosk.__file__).parent.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "QDesktopServices" not in text and "setOpenExternalLinks(True)" not in text, path

