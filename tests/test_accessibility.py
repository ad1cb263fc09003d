"""Accessibility: contrast, keyboard-only use, names, target sizes, large text, speech."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from kiosk.ui.contrast import contrast_ratio
from kiosk.ui.pages.checklist import ChecklistPage, QuestionButton
from kiosk.ui.pages.summary import SummaryPage
from kiosk.ui.theme import HIGH_CONTRAST, MIN_TARGET_PX, WARM, Theme
from kiosk.ui.widgets import KineticScrollArea

THEMES = [WARM, HIGH_CONTRAST]


# ----------------------------------------------------------------------------- contrast


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.name)
def test_text_contrast_is_at_least_7_to_1(theme: Theme) -> None:
    for fg, bg in [("text", "background"), ("text", "surface"), ("muted", "background"), ("muted", "surface"),
                   ("on_primary", "primary"), ("on_secondary", "secondary"), ("text", "ticked")]:
        ratio = contrast_ratio(getattr(theme, fg), getattr(theme, bg))
        assert ratio >= 7.0, f"{theme.name}: {fg} on {bg} is {ratio:.2f}:1"


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.name)
def test_controls_and_focus_are_at_least_3_to_1(theme: Theme) -> None:
    for fg, bg in [("border", "background"), ("border", "surface"), ("primary", "background"), ("primary", "surface"),
                   ("focus", "background"), ("focus", "surface"), ("focus", "secondary"), ("progress_done", "secondary"),
                   ("disabled", "background")]:
        ratio = contrast_ratio(getattr(theme, fg), getattr(theme, bg))
        assert ratio >= 3.0, f"{theme.name}: {fg} against {bg} is {ratio:.2f}:1"


def test_contrast_formula() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


# ----------------------------------------------------------------------------- keyboard


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(focused(), key, modifier)


def tab_to(qtbot, target: QWidget, key: Qt.Key = Qt.Key.Key_Tab, limit: int = 80) -> int:  # type: ignore[no-untyped-def]
    for count in range(limit):
        if focused() is target:
            return count
        press(qtbot, key)
    raise AssertionError(f"{target.objectName()} not reached by {key!r}")


@pytest.fixture
def active(qtbot, kiosk):  # type: ignore[no-untyped-def]
    kiosk.window.activateWindow()
    qtbot.waitUntil(kiosk.window.isActiveWindow, timeout=3000)
    return kiosk


def test_keys_only_walk_with_two_ticks(qtbot, active) -> None:  # type: ignore[no-untyped-def]
    c, w = active.controller, active.window
    assert focused() is c.welcome.start
    press(qtbot, Qt.Key.Key_Return)
    assert c.session.page_id == c.pack.pages[0].id
    while c.session.page_id != "questions":
        tab_to(qtbot, w.footer.next)
        press(qtbot, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: focused() is not None)
    checklist = c.views["questions"]
    assert isinstance(checklist, ChecklistPage)
    first, second = list(checklist.buttons.values())[0], list(checklist.buttons.values())[3]
    tab_to(qtbot, first)
    press(qtbot, Qt.Key.Key_Space)
    tab_to(qtbot, second, Qt.Key.Key_Down)  # the keypad's down arrow moves on, too
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(c.session.ticked) == 2, timeout=2000)
    assert c.session.ticked == [first.question.id, second.question.id]
    tab_to(qtbot, w.footer.next)
    press(qtbot, Qt.Key.Key_Return)
    assert c.session.page_id == "summary"
    summary = c.views["summary"]
    assert isinstance(summary, SummaryPage)
    assert summary.ticked_texts() == [first.question.text, second.question.text]
    # Escape is "back", and back again is forward with Tab + Enter.
    press(qtbot, Qt.Key.Key_Escape)
    assert c.session.page_id == "questions"
    tab_to(qtbot, w.footer.next)
    press(qtbot, Qt.Key.Key_Return)
    tab_to(qtbot, w.footer.next)
    assert w.footer.next.text() == c.pack.text("done")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(w.on_welcome, timeout=2000)
    assert c.session.ticked == []


def test_focus_order_follows_reading_order(qtbot, active) -> None:  # type: ignore[no-untyped-def]
    c, w = active.controller, active.window
    c.show("questions")
    checklist = c.views["questions"]
    first_section = next(iter(w.progress.buttons.values()))
    first_section.setFocus()
    order: list[QWidget] = []
    for _ in range(60):
        order.append(focused())
        press(qtbot, Qt.Key.Key_Tab)
        if focused() is first_section:
            break
    names = [x.objectName() for x in order]
    sections = [b.objectName() for b in w.progress.buttons.values()]
    questions = [b.objectName() for b in checklist.buttons.values()]
    assert names[: len(sections)] == sections
    assert names[len(sections) : len(sections) + len(questions)] == questions
    assert names[len(sections) + len(questions) : len(sections) + len(questions) + 3] == ["back", "home", "next"]
    # Shift+Tab walks it backwards.
    press(qtbot, Qt.Key.Key_Backtab)
    assert focused() is order[-1]


def test_focus_ring_is_at_least_3px(qtbot, active) -> None:  # type: ignore[no-untyped-def]
    c, w = active.controller, active.window
    c.show("imaging")
    w.footer.home.setFocus()
    qtbot.waitUntil(w.footer.home.hasFocus)
    image = w.footer.home.grab().toImage()
    focus = QColor(WARM.focus)
    middle = image.height() // 2
    ring = [QColor(image.pixel(x, middle)) for x in range(0, 6)]
    assert sum(1 for colour in ring if _close(colour, focus)) >= 3


def _close(a: QColor, b: QColor, tolerance: int = 40) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) <= tolerance


# ----------------------------------------------------------------------------- names, sizes, clipping


def visible_rect(widget: QWidget) -> QRect | None:
    """The widget's rectangle in window coordinates, or None when scrolled out of sight."""
    window = widget.window()
    rect = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, KineticScrollArea):
            view = parent.viewport()
            view_rect = QRect(view.mapTo(window, view.rect().topLeft()), view.size())
            if not view_rect.intersects(rect):
                return None
            rect = rect.intersected(view_rect)  # what the scroll area lets show
        parent = parent.parentWidget()
    return rect


def settle() -> None:
    """Let layouts that depend on each other (scroll bars, hidden pictures) reach rest."""
    for _ in range(3):
        QApplication.processEvents()


def screens(controller):  # type: ignore[no-untyped-def]
    yield None
    yield from (p.id for p in controller.pack.pages)


def gap(a: QRect, b: QRect) -> int:
    dx = max(b.left() - (a.left() + a.width()), a.left() - (b.left() + b.width()), 0)
    dy = max(b.top() - (a.top() + a.height()), a.top() - (b.top() + b.height()), 0)
    return max(dx, dy)


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)], ids=["1280x800", "1920x1080"])
@pytest.mark.parametrize("scale", [1.0, 1.5, 2.0], ids=["100", "150", "200"])
def test_every_control_is_named_big_and_apart(qtbot, kiosk, size: tuple[int, int], scale: float) -> None:  # type: ignore[no-untyped-def]
    c, w = kiosk.controller, kiosk.window
    w.resize(*size)
    c.model.set_text_scale(scale)
    for screen in screens(c):
        c.show(screen)
        settle()
        buttons = [b for b in w.findChildren(QAbstractButton) if b.isVisible()]
        assert all(b.isVisible() and visible_rect(b) is not None for b in w.toolbar.buttons()), screen
        # The languages: on the welcome screen its own row (the toolbar's would repeat it).
        languages = c.welcome.language_buttons if screen is None else w.toolbar.languages
        assert {w.toolbar.text_size, w.toolbar.contrast, w.toolbar.read, *languages.values()} <= set(buttons)
        placed = []
        for button in buttons:
            name = button.accessibleName()
            if isinstance(button, QuestionButton):
                assert name == button.question.text and button.accessibleDescription()
            else:
                assert name and name == button.text(), (screen, button.objectName(), name, button.text())
            assert button.objectName(), name
            assert button.width() >= MIN_TARGET_PX and button.height() >= MIN_TARGET_PX, (screen, name, button.size())
            rect = visible_rect(button)
            if rect is not None:
                placed.append((name, rect))
        for i, (name_a, a) in enumerate(placed):
            for name_b, b in placed[i + 1 :]:
                assert gap(a, b) >= 8, f"{screen}: '{name_a}' and '{name_b}' are {gap(a, b)} px apart"


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)], ids=["1280x800", "1920x1080"])
def test_nothing_clipped_at_200_percent(qtbot, kiosk, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    c, w = kiosk.controller, kiosk.window
    w.resize(*size)
    c.model.set_text_scale(2.0)
    for screen in screens(c):
        c.show(screen)
        settle()
        for button in w.findChildren(QAbstractButton):
            if button.isVisible() and isinstance(button, QuestionButton):  # (it draws its own wrapped words)
                assert button.height() >= button.heightForWidth(button.width()), (screen, button.question.id)
            elif button.isVisible():
                # sizeHint includes the style sheet's padding and border around the label.
                assert button.width() >= button.sizeHint().width(), (screen, button.text(), button.width(), button.sizeHint())
                # ... and as tall, or the label's descenders (g, p) are cut off.
                # (A button whose words wrap, like a topic card: as tall as they need at its width.)
                needed = button.heightForWidth(button.width()) if button.hasHeightForWidth() else button.sizeHint().height()
                assert button.height() >= needed, (screen, button.text(), button.height(), needed)
        for label in w.findChildren(QLabel):
            if label.isVisible() and label.text() and label.wordWrap():
                assert label.height() >= label.heightForWidth(label.width()) - 1, (screen, label.objectName(), label.text()[:40])
            elif label.isVisible() and label.text():
                assert label.width() >= label.sizeHint().width() - 1, (screen, label.objectName(), label.text()[:40])
        # No page is wider than its scroll area (text would run under the edge).
        for area in w.findChildren(KineticScrollArea):
            if area.isVisible() and area.widget() is not None:
                assert area.widget().width() <= area.viewport().width(), (screen, area.widget().width(), area.viewport().width())
        # Everything on screen fits inside the window.
        for widget in w.findChildren(QWidget):
            rect = visible_rect(widget) if widget.isVisible() else None
            if rect is not None and not isinstance(widget.parentWidget(), KineticScrollArea):
                assert rect.right() <= w.width() and rect.left() >= 0, (screen, widget.objectName(), rect)


def test_text_size_is_one_tap_and_reaches_every_page(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c, w = kiosk.controller, kiosk.window
    c.show("risks")
    before = c.views["risks"].text.font().pixelSize() or c.views["risks"].text.fontInfo().pixelSize()
    qtbot.mouseClick(w.toolbar.text_size, Qt.MouseButton.LeftButton)
    assert c.session.text_scale == 1.5 and c.session.page_id == "risks"
    after = c.views["risks"].text.fontInfo().pixelSize()
    assert after >= before * 1.4
    qtbot.mouseClick(w.toolbar.text_size, Qt.MouseButton.LeftButton)
    assert c.session.text_scale == 2.0
    assert w.footer.next.fontInfo().pixelSize() > 26
    qtbot.mouseClick(w.toolbar.text_size, Qt.MouseButton.LeftButton)
    assert c.session.text_scale == 1.0


def test_high_contrast_switch(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c, w = kiosk.controller, kiosk.window
    c.show("imaging")
    qtbot.mouseClick(w.toolbar.contrast, Qt.MouseButton.LeftButton)
    assert c.session.high_contrast and w.toolbar.contrast.isChecked()
    QApplication.processEvents()
    image = w.grab().toImage()
    assert QColor(image.pixel(w.width() // 2, w.height() // 2 - 40)).lightness() < 60
    assert QColor(image.pixel(w.width() - 4, w.height() // 2)).lightness() < 60  # the window's own background too
    # The looks' style sheet is on each part (the window keeps the default one for good).
    for part in (w.toolbar, w.footer, c.views["imaging"]):
        assert HIGH_CONTRAST.background in part.styleSheet()


# ----------------------------------------------------------------------------- speech


def test_read_aloud_every_page(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c, w = kiosk.controller, kiosk.window
    assert c.speaker.available, "the mock engine must be found (KIOSK_SPEECH_ENGINE=mock)"
    assert w.toolbar.read.isVisible()
    c.show("questions")
    c.model.toggle(c.pack.questions[0].id)
    for screen in screens(c):
        c.show(screen)
        before = len(c.speaker.history)
        qtbot.mouseClick(w.toolbar.read, Qt.MouseButton.LeftButton)
        said = c.speaker.history[-1]
        assert c.speaker.speaking
        view = c.views.get(screen or "")
        if view is not None and view.narrating:  # a moving picture is read beat by beat, then its text
            view.player.hold = lambda: False
            view.player.seek(view.player.motion.seconds - 0.01)
            view.player.play()
            qtbot.waitUntil(lambda view=view: not view.player.playing, timeout=2000)
            said = " ".join(c.speaker.history[before:])
            beats = view.page.illustration.motion.beats
            assert all(beat.caption in said for beat in beats[-1:])
        if screen is None:
            welcome = c.welcome
            choices = [card.text() for card in welcome.cards.values()] or [welcome.start.text()]
            assert welcome.title.text() in said and all(choice in said for choice in choices)
            continue
        page = c.pack.page(screen)
        assert page.title in said
        for block in page.blocks:
            assert block in said
        if page.illustration is not None and page.illustration.motion is None:
            assert page.illustration.caption in said and page.illustration.alt in said
        elif page.illustration is not None:
            assert page.illustration.alt in said
        if page.kind == "stage":
            assert c.pack.text("step_of", n=page.step, total=4) in said
        if page.kind == "checklist":
            assert f"{c.pack.questions[0].text} {c.pack.text('ticked')}" in said
            assert f"{c.pack.questions[1].text} {c.pack.text('not_ticked')}" in said
        if page.kind == "summary":
            assert c.pack.questions[0].text in said and c.pack.questions[1].text not in said
        # The same button stops it.
        qtbot.mouseClick(w.toolbar.read, Qt.MouseButton.LeftButton)
        assert not c.speaker.speaking


def test_speech_for_ticks_idle_warning_and_reset(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    c.model.start()
    c.show("questions")
    q = c.pack.questions[0]
    c.model.toggle(q.id)
    assert c.speaker.history[-1] == f"{q.text} {c.pack.text('ticked')}."
    c.model.toggle(q.id)
    assert c.speaker.history[-1] == f"{q.text} {c.pack.text('not_ticked')}."
    c.idle.warning_started.emit(20)
    assert c.pack.text("idle_body", seconds=20) in c.speaker.history[-1]
    c.reader.cycle_volume()
    assert c.speaker.volume != 0.8
    c.reader.read()
    assert c.speaker.speaking
    c.reset_session()
    assert not c.speaker.speaking and c.speaker.volume == 0.8 and c.speaker.history == []


def test_no_speech_engine_hides_the_button(qtbot, settings, library) -> None:  # type: ignore[no-untyped-def]
    from kiosk.ui.controller import Controller
    from kiosk.ui.frame import KioskWindow
    from kiosk.ui.speech import Speaker

    window = KioskWindow()
    qtbot.addWidget(window)
    controller = Controller(library, settings, window, speaker=Speaker(engine="no-such-engine"))
    window.show()
    assert not controller.speaker.available
    assert not window.toolbar.read.isVisible() and not window.toolbar.volume.isVisible()
    controller.reader.read()  # harmless
    controller.model.start()
    controller.model.toggle(library.pack("en").questions[0].id)
    window.allow_close()
