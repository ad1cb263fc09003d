"""The frame around the pages keeps its size while the patient moves through them: a header
that grew when a section was done moved the page under it by 2 px and laid the window out,
and painted it, twice in that turn."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kiosk.ui.widgets import set_state


def heights(kiosk) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """The header's height as laid out, and as it asks to be."""
    progress = kiosk.window.progress
    return progress.height(), progress.sizeHint().height()


@pytest.mark.parametrize("scale", [1.0, 2.0])
@pytest.mark.parametrize("contrast", [False, True])
def test_the_header_keeps_its_height_on_every_page(qtbot, kiosk, scale: float, contrast: bool) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    for topic in c.library.topics:
        if c.session.page_id is not None:
            c.reset_session()
        c.model.start(topic)
        c.model.set_text_scale(scale)
        c.model.set_high_contrast(contrast)
        seen, states = {}, set()
        for page in c.pack.pages:
            c.show(page.id)
            qtbot.waitUntil(c.views[page.id].isVisible, timeout=2000)
            kiosk.window.layout().activate()
            seen[page.id] = heights(kiosk)
            states |= {b.property("state") for b in kiosk.window.progress.buttons.values()}
        assert {"current", "done", ""} <= states, states  # every state a section button shows
        assert len(set(seen.values())) == 1, (topic, scale, contrast, seen)


def test_a_focused_section_is_as_big_as_an_unfocused_one(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    """The focus ring is thicker, the padding thinner by as much: in every state."""
    c = kiosk.controller
    c.model.start()
    c.show(c.pack.pages[-1].id)
    button = next(iter(kiosk.window.progress.buttons.values()))
    for state in ("", "current", "done"):
        button.clearFocus()
        set_state(button, "x")
        set_state(button, state)
        plain = button.sizeHint()
        # Polished again while it has the focus (a section that becomes current or done as the
        # keyboard user moves): its size asked for with the focus ring.
        button.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(button.hasFocus, timeout=2000)
        set_state(button, "x")
        set_state(button, state)
        assert button.sizeHint() == plain, state


@pytest.mark.parametrize("contrast", [False, True])
def test_the_window_paints_its_own_background_once(qtbot, kiosk, contrast: bool) -> None:  # type: ignore[no-untyped-def]
    """Qt does not fill the window before its paintEvent does (WA_OpaquePaintEvent), and what
    reaches the screen is still the theme's background where no page covers it."""
    from PySide6.QtGui import QColor

    from kiosk.ui.theme import theme_for

    c, w = kiosk.controller, kiosk.window
    assert w.testAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
    c.model.start()
    c.model.set_high_contrast(contrast)
    c.show(c.pack.pages[1].id)
    w.repaint()
    image = w.screen().grabWindow(w.winId()).toImage()
    assert image.width() >= w.width() - 1, "the platform gave no picture of the window"
    x, y = w.width() - 3, w.pages.geometry().center().y() + w.walkthrough.y()
    assert QColor(image.pixel(x, y)) == QColor(theme_for(contrast).background)


def test_pages_and_screens_not_on_show_are_parked_and_the_one_on_show_is_not(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    """Parked (updates off), Qt skips them when a stack switch turns the window's updates off
    and on; the page or screen on show always takes updates, and so repaints."""
    c, w = kiosk.controller, kiosk.window

    def check() -> None:
        shown = w.pages.currentWidget() if not w.on_welcome() else None
        for index in range(w.pages.count()):
            page = w.pages.widget(index)
            assert page.updatesEnabled() == (page is shown), page.objectName()
        assert w.welcome_holder.updatesEnabled() == w.on_welcome()
        assert w.walkthrough.updatesEnabled() == (not w.on_welcome())
        assert w.updatesEnabled() and w.toolbar.updatesEnabled()

    check()
    for topic in c.library.topics:
        c.model.start(topic)
        check()
        c.next()
        check()
        c.model.set_language("es")
        check()
        c.reset_session()
        check()
    # Qt choosing the page on show itself (the current one taken out): it shows, and paints.
    c.model.start()
    current = w.pages.currentWidget()
    w.pages.removeWidget(current)
    assert current.updatesEnabled()
    assert w.pages.currentWidget() is not None and w.pages.currentWidget().updatesEnabled()
    w.pages.addWidget(current)
    assert not current.updatesEnabled()
    c.show(current.objectName().removeprefix("page-"))
    assert w.pages.currentWidget() is current and current.updatesEnabled()


def test_on_the_welcome_screen_every_topics_sections_get_ready_for_its_first_page(qtbot, kiosk, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """After a walk to the end and the reset, the work done while the welcome screen shows
    puts each topic's section buttons in their first page's states, so starting a topic
    restyles none of them; and the states on show are still right."""
    from kiosk.ui import frame

    c, w = kiosk.controller, kiosk.window
    for topic in c.library.topics:
        c.model.start(topic)
        c.show(c.pack.pages[-1].id)
        c.reset_session()
    qtbot.waitUntil(lambda: not c.screens.ahead.working, timeout=20000)
    restyled: list[str] = []
    real = frame.set_state
    monkeypatch.setattr(frame, "set_state", lambda button, state: (restyled.append(button.objectName()), real(button, state)))
    for topic in c.library.topics:
        c.model.start(topic)
        assert restyled == [], (topic, restyled)
        first = c.pack.pages[0].section
        assert {sid: b.property("state") for sid, b in w.progress.buttons.items()} == {
            s.id: "current" if s.id == first else "" for s in c.pack.sections}
        assert all(b.isVisibleTo(w.progress) for b in w.progress.buttons.values())
        c.next()
        c.show(c.pack.pages[-1].id)  # the states follow the walk as before
        last = c.pack.pages[-1].section
        assert w.progress.buttons[last].property("state") == "current"
        assert all(b.property("state") == "done" for sid, b in w.progress.buttons.items() if sid != last)
        restyled.clear()
        c.reset_session()
        qtbot.waitUntil(lambda: not c.screens.ahead.working, timeout=20000)
        restyled.clear()
    shown = [b for b in w.progress.findChildren(frame.KioskButton) if b.isVisibleTo(w.progress)]
    assert shown == [] or set(shown) == set(w.progress.buttons.values())


@pytest.mark.parametrize("state", ["done", "current", ""])
def test_a_focused_section_shows_the_focus_ring_in_every_state(qtbot, kiosk, state: str) -> None:  # type: ignore[no-untyped-def]
    """The focus ring shows on a section whatever its state (its border rules set their own width)."""
    from PySide6.QtGui import QColor

    from kiosk.ui.theme import WARM

    c, w = kiosk.controller, kiosk.window
    c.model.start()
    sections = [s.id for s in c.pack.sections]
    middle_section = sections[len(sections) // 2]
    c.show(next(p.id for p in c.pack.pages if p.section == middle_section))
    w.activateWindow()
    button = next(b for b in w.progress.buttons.values() if b.property("state") == state)
    button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(button.hasFocus, timeout=2000)
    image = button.grab().toImage()
    middle = image.height() // 2
    edge = [QColor(image.pixel(x, middle)) for x in range(0, 6)]
    assert QColor(WARM.focus) in edge, [c.name() for c in edge]


def test_another_language_on_the_welcome_screen_lays_no_welcome_screen_out_again(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    """Each language's welcome screen takes the last one's place whole. Shown beside it
    for a moment, each got half the height and its words were measured again at that size,
    and again at the full size when next shown (~2 ms of each reset from another language)."""
    from PySide6.QtCore import QEvent, QObject

    c, w = kiosk.controller, kiosk.window

    def round_trip() -> None:
        c.model.set_language("es")
        c.model.start()
        c.reset_session()  # (back to the default language)
        c.model.set_language("es")
        c.model.set_language("en")

    for _ in range(2):  # each made, shown and laid out, and the work ahead of the welcome screen done
        round_trip()
        qtbot.waitUntil(lambda: not c.screens.getting_ready, timeout=20000)

    class Resizes(QObject):
        seen: list[str] = []

        def eventFilter(self, watched, event):  # noqa: N802
            if event.type() == QEvent.Type.Resize:
                self.seen.append(f"{watched.objectName()} {event.oldSize().toTuple()} -> {event.size().toTuple()}")
            return False

    watch = Resizes()
    for welcome in c.screens.welcomes.values():
        welcome.installEventFilter(watch)
        welcome.scroll_area.viewport().installEventFilter(watch)
    for _ in range(2):
        round_trip()
    assert watch.seen == []
    assert c.screens.welcome.size() == w.welcome_holder.size()


def test_a_reset_changes_the_walkthrough_out_of_sight(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    """A reset from another topic or language puts the first topic's section buttons in
    the header for the next patient. With the walkthrough still on show, each button shown
    laid the whole window out again (five a reset); it is hidden first. The focus goes from
    "I'm done" to the welcome screen, not by way of the toolbar."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.widgets import KioskButton

    c, w = kiosk.controller, kiosk.window
    shown: list[str] = []

    class Shows(QObject):
        def eventFilter(self, watched, event):  # noqa: N802
            if event.type() == QEvent.Type.Show:
                shown.append(watched.objectName())
            return False

    watch = Shows()
    focus: list[str] = []
    QApplication.instance().focusChanged.connect(lambda _old, new: focus.append(new.objectName() if new else ""))
    for topic in c.library.topics:
        for language in c.library.languages:
            c.model.set_language(language)
            c.model.start(topic)
            c.show(c.pack.pages[-1].id)
            w.footer.next.setFocus()
            for button in w.progress.findChildren(KioskButton):
                button.installEventFilter(watch)
            shown.clear()
            focus.clear()
            qtbot.mouseClick(w.footer.next, Qt.MouseButton.LeftButton)  # "I'm done"
            assert w.on_welcome() and not w.walkthrough.isVisible()
            assert shown == [], (topic, language)
            assert focus in (["", c.welcome.start.objectName()], [c.welcome.start.objectName()]), (topic, language, focus)
    c.model.start(c.library.topics[-1])  # shown when the walkthrough is
    assert all(b.isVisible() for b in w.progress.buttons.values())


def test_a_page_turn_that_keeps_the_footer_as_it_was_lays_it_out_not_again(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    """Next's icon was set again on every turn: Qt then lays the footer (and the window
    around it) out again, for nothing. It is set only when it changes: the tick on the last
    page ("I'm done"), the arrow again on the way back."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    c, w = kiosk.controller, kiosk.window
    c.model.start()
    c.next()
    QApplication.processEvents()

    class Requests(QObject):
        count = 0

        def eventFilter(self, watched, event):  # noqa: N802
            if event.type() == QEvent.Type.LayoutRequest:
                self.count += 1
            return False

    watch = Requests()
    w.footer.installEventFilter(watch)
    arrow = w.footer.next.icon().cacheKey()
    for _ in range(2):
        c.next()
        QApplication.processEvents()
    assert watch.count == 0
    assert w.footer.next.icon().cacheKey() == arrow
    c.show(c.pack.pages[-1].id)
    assert w.footer.next.icon().cacheKey() != arrow  # the tick
    c.show(c.pack.pages[1].id)
    assert w.footer.next.icon().cacheKey() == arrow


def test_the_walkthrough_hidden_for_a_reset_shows_again_for_a_page(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    """Hidden ahead of the switch to the welcome screen, the walkthrough is still the screen
    stack's current one: asked for a page instead (a reset that failed half-way), it shows."""
    c, w = kiosk.controller, kiosk.window
    c.model.start()
    c.screens.leave_walkthrough()
    assert not w.walkthrough.isVisible()
    c.show("risks")
    assert w.walkthrough.isVisible() and c.views["risks"].isVisible()


def test_pages_made_ahead_are_drawn_whole_so_a_first_showing_lays_out_no_words(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    """The work ahead of the welcome screen draws each page, children and all, at its size. A
    page waiting in its stack (and the walkthrough behind the welcome screen) has its updates
    off, and Qt draws none of such a widget's children: only the page's background was drawn,
    its words stayed laid out at Qt's 640 pixels of a page never shown, and the turn to each
    page's first showing laid them out again (three times, ~3.5 ms of the turn from the
    welcome screen)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QTextDocument

    from kiosk.ui.widgets import RichText

    c = kiosk.controller
    qtbot.waitUntil(lambda: not c.screens.ahead.working, timeout=20000)
    language = c.session.language
    for topic in c.library.topics:  # (neither shown yet)
        first = c.screens.page_sets[(topic, language)][c.library.pack(language, topic).pages[0].id]
        label = first.findChild(RichText, "page-text")
        document = label.findChild(QTextDocument)
        assert label.width() != 640
        assert document.textWidth() == label.contentsRect().width(), topic
        assert not label.testAttribute(Qt.WidgetAttribute.WA_PendingResizeEvent)  # (a resize still to come lays it out again)
        laid_out: list[object] = []
        document.documentLayout().update.connect(laid_out.append)
        c.model.start(topic)
        assert first.isVisible()
        first.repaint()
        assert laid_out == [], topic
        c.reset_session()
        qtbot.waitUntil(lambda: not c.screens.ahead.working, timeout=20000)
