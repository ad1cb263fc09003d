"""No way out for a patient: no close, no context menu, no link that opens anything."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QDesktopServices
from PySide6.QtWidgets import QApplication, QScroller

from kiosk.core.settings import Settings
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


def test_context_menus_are_swallowed(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    kiosk.controller.show("risks")
    target = kiosk.controller.views["risks"].text
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(5, 5), target.mapToGlobal(QPoint(5, 5)))
    assert QApplication.sendEvent(target, event) is True  # eaten by the application filter
    assert QApplication.activePopupWidget() is None


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

