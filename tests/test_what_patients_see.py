"""What a patient sees, checked by rendering: the welcome screen fits and stays put,
titles outrank headings, scroll bars sit by the words they move, counts read right,
and "Start over" starts over."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QPushButton

from kiosk.ui.app import build_kiosk
from kiosk.ui.icons import icon
from kiosk.ui.pages.checklist import ChecklistPage
from kiosk.ui.theme import BASE_BODY_PX, H2_FACTOR, px, theme_for


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


@pytest.fixture
def demo_kiosk(qtbot, library):  # type: ignore[no-untyped-def]
    """A kiosk still on the shipped demo clinic values (so the demo banner shows)."""
    from kiosk.core.settings import Settings

    built = build_kiosk(Settings(languages=("en", "es")), library, size=(1280, 800))
    qtbot.addWidget(built.window)
    with qtbot.waitExposed(built.window):
        built.window.show()
    yield built
    built.window.allow_close()


def welcome_state(kiosk):  # type: ignore[no-untyped-def]
    """(how far the welcome screen scrolls, whether "Touch to start", or the row of topic
    cards, is centred to 1 px)."""
    welcome = kiosk.controller.welcome
    choices = list(welcome.cards.values()) or [welcome.start]
    left = min(choice.mapTo(kiosk.window, QPoint(0, 0)).x() for choice in choices)
    right = max(choice.mapTo(kiosk.window, QPoint(choice.width(), 0)).x() for choice in choices)
    centre = (left + right) / 2
    return welcome.scroll_area.verticalScrollBar().maximum(), abs(centre - kiosk.window.width() / 2) <= 1


def test_the_welcome_screen_fits_a_small_panel_and_stays_put(qtbot, demo_kiosk) -> None:  # type: ignore[no-untyped-def]
    c, w = demo_kiosk.controller, demo_kiosk.window
    settle()
    banner = c.welcome.banner
    assert banner is not None and banner.isVisible()
    assert not c.welcome.scroll_area.isAncestorOf(banner)  # it cannot scroll out of sight
    assert banner.mapTo(w, QPoint(0, 0)).y() >= 0 and banner.mapTo(w, QPoint(0, banner.height())).y() <= w.height()
    assert welcome_state(demo_kiosk) == (0, True)  # nothing to scroll, and centred
    # A whole burn-in loop moves the content, but never changes how much room it needs.
    for _ in range(c.welcome.DRIFT_STEPS):
        c.welcome.drift()
        settle()
        assert c.welcome.scroll_area.verticalScrollBar().maximum() == 0
        assert max(abs(v) for v in c.welcome.drift_offset()) <= c.welcome.DRIFT_RADIUS
    assert c.welcome.drift_offset() == (0, 0)
    # After a visit and "I'm done" (or an idle reset) it looks as it did at first.
    for _ in range(7):
        c.welcome.drift()
    c.model.start()
    c.reset_session()
    settle()
    assert welcome_state(demo_kiosk) == (0, True)
    c.idle.expired.emit()
    settle()
    assert welcome_state(demo_kiosk) == (0, True)


def test_the_demo_banner_speaks_the_patients_language(qtbot, demo_kiosk) -> None:  # type: ignore[no-untyped-def]
    c = demo_kiosk.controller
    c.model.set_language("es")
    assert c.welcome.banner is not None and c.welcome.banner.text() == c.library.pack("es").text("demo_banner")


def test_each_language_is_offered_once_on_the_welcome_screen(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c, w = kiosk.controller, kiosk.window
    for language in ("en", "es"):
        c.model.set_language(language)
        c.show(None)
        settle()
        shown = [b.text() for b in w.findChildren(QPushButton) if b.isVisible()]
        assert shown.count("Español") == 1 and shown.count("English") == 1, shown
    c.model.start()  # on the pages the toolbar offers the other language again
    assert w.toolbar.languages["en"].isVisible()


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)], ids=["1280x800", "1920x1080"])
def test_page_titles_outrank_their_headings_at_every_text_size(qtbot, kiosk, size) -> None:  # type: ignore[no-untyped-def]
    c, w = kiosk.controller, kiosk.window
    w.resize(*size)
    for scale in (1.0, 1.5, 2.0):
        c.model.set_text_scale(scale)
        c.show("after")  # a page with ## headings
        settle()
        view = c.views["after"]
        assert "<h2>" in view.page.html
        assert view.title.fontInfo().pixelSize() > px(BASE_BODY_PX * H2_FACTOR, scale), scale


def test_titles_scroll_with_the_text_and_the_bar_sits_by_the_text(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c, w = kiosk.controller, kiosk.window
    w.resize(1920, 1080)
    for page in c.pack.pages:
        view = c.views[page.id]
        # No fixed title for scrolled lines to be cut in half under.
        assert view.scroll_area.isAncestorOf(view.title)
    c.show("imaging")
    settle()
    view = c.views["imaging"]
    bar = view.scroll_area.verticalScrollBar()
    assert bar.isVisible() and bar.maximum() > 0
    # On a wide screen the picture stays beside the text, and the bar is next to the words.
    assert view.picture is not None and not view.scroll_area.isAncestorOf(view.picture)
    text_right = view.text.mapTo(w, QPoint(view.text.width(), 0)).x()
    bar_left = bar.mapTo(w, QPoint(0, 0)).x()
    assert 0 <= bar_left - text_right <= 40
    # On a small panel with large text the picture scrolls with the text, above it.
    w.resize(1280, 800)
    c.model.set_text_scale(2.0)
    settle()
    assert view.scroll_area.isAncestorOf(view.picture)
    assert view.picture.mapTo(w, QPoint(0, 0)).y() < view.text.mapTo(w, QPoint(0, 0)).y()


@pytest.mark.parametrize("size", [(1024, 768), (1280, 800), (1920, 1080)], ids=["1024x768", "1280x800", "1920x1080"])
def test_a_scroll_bar_always_has_words_to_scroll_to(qtbot, kiosk, size) -> None:  # type: ignore[no-untyped-def]
    """A bar shows only when words run past the bottom (the summary showed one for its
    empty margin: Qt sized the page for its words squeezed to their narrowest)."""
    c, w = kiosk.controller, kiosk.window
    w.resize(*size)
    for language in ("en", "es"):
        for scale in (1.0, 1.5, 2.0):
            for ticks in (0, 2):
                c.reset_session()
                c.model.set_language(language)
                c.model.set_text_scale(scale)
                for question in c.pack.questions[:ticks]:
                    c.model.toggle(question.id)
                for page in c.pack.pages:
                    c.show(page.id)
                    settle()
                    view = c.views[page.id]
                    bar, viewport = view.scroll_area.verticalScrollBar(), view.scroll_area.viewport()
                    if bar.maximum() > 0:
                        assert view.body.childrenRect().bottom() >= viewport.height(), (language, scale, ticks, page.id)


def test_the_tick_box_grows_with_the_text(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    checklist = c.views["questions"]
    assert isinstance(checklist, ChecklistPage)
    row = next(iter(checklist.buttons.values()))
    small, height = row.tick_side(), row.heightForWidth(row.width())
    c.model.set_text_scale(2.0)  # on the welcome screen: the pages follow once it has painted
    qtbot.waitUntil(lambda: row.tick_side() >= small * 1.6, timeout=5000)
    assert row.heightForWidth(row.width()) > height  # the row makes room for it and the bigger words


def test_every_checklist_row_is_as_tall_as_its_words(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    """A row draws its own wrapped words: measured before its style sheet's font was known
    (its page built when first asked for), it kept the height of the default font's words
    (72 px, not 92) when first shown. Every row of every topic and language, as first shown,
    is as tall as its words at its width."""
    c = kiosk.controller
    for topic in c.library.topics:
        for language in c.library.languages:
            c.show(None)
            c.model.set_language(language)
            c.model.start(topic)
            page = next(p for p in c.pack.pages if p.kind == "checklist")
            c.show(page.id)  # (checked at once: as the first frame shows it)
            checklist = c.views[page.id]
            assert isinstance(checklist, ChecklistPage)
            for row in checklist.buttons.values():
                assert row.height() >= row.heightForWidth(row.width()) >= 92, (topic, language, row.question.id, row.height())


@pytest.mark.parametrize("language", ["en", "es"])
def test_one_minute_and_one_second_are_singular(library, language: str) -> None:
    pack = library.pack(language)
    one_minute, two_minutes = pack.text("idle_note", minutes=1), pack.text("idle_note", minutes=2)
    word = {"en": ("minute", "minutes"), "es": ("minuto", "minutos")}[language]
    assert f"1 {word[0]} " in one_minute and f"1 {word[1]}" not in one_minute
    assert f"2 {word[1]}" in two_minutes
    second = {"en": "1 second.", "es": "1 segundo."}[language]
    assert pack.text("idle_body", seconds=1).endswith(second)


def test_the_welcome_screen_says_one_minute_when_it_is_one(qtbot, settings, library) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    built = build_kiosk(replace(settings, idle_seconds=40, warning_seconds=20), library, size=(1280, 800))
    qtbot.addWidget(built.window)
    assert "after 1 minute without" in built.controller.welcome.idle_note.text()
    built.window.allow_close()


def test_the_step_is_not_said_twice(library) -> None:
    for pack in library.packs.values():
        for page in pack.pages:
            if page.kind == "stage":
                step_words = pack.text("step_of", n=page.step, total=pack.stage_count).split()[:2]  # "Step 1"
                assert not page.title.startswith(" ".join(step_words)), page.title


def test_im_done_carries_a_tick_not_an_arrow(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c, w = kiosk.controller, kiosk.window
    on_primary = theme_for(False).on_primary
    size = w.footer.next.iconSize().width()
    c.show(c.pack.pages[-1].id)
    assert w.footer.next.icon().cacheKey() == icon("check", on_primary, size).cacheKey()
    c.model.back()
    assert w.footer.next.icon().cacheKey() == icon("next", on_primary, size).cacheKey()


def test_start_over_without_a_list_starts_over_at_once(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c, w = kiosk.controller, kiosk.window
    c.model.set_language("es")
    c.model.start()
    c.model.set_text_scale(1.5)
    qtbot.mouseClick(w.footer.home, Qt.MouseButton.LeftButton)
    assert w.on_welcome() and not c.start_over_sheet.isVisible()
    assert (c.session.language, c.session.text_scale, c.session.furthest_page) == ("en", 1.0, -1)


def test_start_over_with_a_list_asks_first(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c, w = kiosk.controller, kiosk.window
    c.show("questions")
    picked = [q.id for q in c.pack.questions[:2]]
    for qid in picked:
        c.model.toggle(qid)
    qtbot.mouseClick(w.footer.home, Qt.MouseButton.LeftButton)
    sheet = c.start_over_sheet
    assert sheet.isVisible() and "2 questions" in sheet.body.text()
    assert c.speaker.history[-1].startswith(c.pack.text("start_over_title"))  # read out too
    qtbot.mouseClick(sheet.no, Qt.MouseButton.LeftButton)  # keep my list
    assert not sheet.isVisible() and c.session.ticked == picked and c.session.page_id == "questions"
    for leave in ("escape", "outside"):  # Escape, or a tap on the dimmed screen, keeps it too
        c.start_over()
        assert sheet.isVisible()
        if leave == "escape":
            qtbot.keyClick(sheet.no, Qt.Key.Key_Escape)
        else:
            qtbot.mouseClick(sheet, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
        assert not sheet.isVisible() and c.session.ticked == picked
    c.model.toggle(picked[1])
    c.start_over()
    assert "1 question." in sheet.body.text()
    qtbot.mouseClick(sheet.yes, Qt.MouseButton.LeftButton)
    assert w.on_welcome() and c.session.ticked == [] and not sheet.isVisible()
    assert not any(b.isChecked() for b in c.views["questions"].buttons.values())  # type: ignore[attr-defined]


def test_an_idle_reset_closes_the_start_over_question(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    c.show("questions")
    c.model.toggle(c.pack.questions[0].id)
    c.start_over()
    c.idle.expired.emit()
    assert not c.start_over_sheet.isVisible() and c.session.ticked == []


@pytest.mark.parametrize("size", [(1024, 768), (1280, 800)], ids=["1024x768", "1280x800"])
def test_the_toolbar_wraps_so_no_button_is_cut_in_any_language(qtbot, settings, library, size) -> None:  # type: ignore[no-untyped-def]
    from kiosk.ui.speech import Speaker
    from tests.fake_speech import FakeService

    built = build_kiosk(settings, library, size=size, speaker=Speaker(factory=FakeService()))
    qtbot.addWidget(built.window)
    built.window.show()
    c, w = built.controller, built.window
    for language in ("en", "es"):
        c.model.set_language(language)
        c.model.set_text_scale(2.0)
        c.model.set_high_contrast(True)
        for screen in (None, "risks"):
            c.show(screen)
            settle()
            shown = w.toolbar.buttons()
            assert w.toolbar.read in shown  # speech on: the longest toolbar
            for button in shown:
                right = button.mapTo(w, QPoint(button.width(), 0)).x()
                assert button.width() >= button.sizeHint().width() and right <= w.width(), (language, button.text())
    built.window.allow_close()


@pytest.mark.parametrize("size", [(1024, 768), (1280, 800), (1920, 1080)], ids=["1024x768", "1280x800", "1920x1080"])
def test_the_start_over_question_is_never_cut(qtbot, kiosk, size) -> None:  # type: ignore[no-untyped-def]
    c, w = kiosk.controller, kiosk.window
    w.resize(*size)
    for language in ("en", "es"):
        for scale in (1.0, 2.0):
            c.reset_session()
            c.model.set_language(language)
            c.model.set_text_scale(scale)
            c.show("questions")
            c.model.toggle(c.pack.questions[0].id)
            c.start_over()
            settle()
            sheet = c.start_over_sheet
            for button in (sheet.no, sheet.yes):
                assert button.width() >= button.sizeHint().width(), (language, scale, button.text())
                assert button.height() >= button.sizeHint().height(), (language, scale, button.text())
            assert sheet.card.geometry().right() <= w.width() and sheet.card.geometry().bottom() <= w.height()


def test_start_over_by_keypad_alone(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    """Tab and arrows stay on the question's two buttons; Enter answers it."""
    c, w = kiosk.controller, kiosk.window
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=3000)
    c.show("questions")
    c.model.toggle(c.pack.questions[0].id)
    w.footer.home.setFocus()
    qtbot.keyClick(w.footer.home, Qt.Key.Key_Return)
    sheet = c.start_over_sheet
    assert sheet.isVisible() and sheet.no.hasFocus()
    seen = []
    for key in (Qt.Key.Key_Tab, Qt.Key.Key_Tab, Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_Backtab):
        qtbot.keyClick(QApplication.focusWidget(), key)
        seen.append(QApplication.focusWidget())
    assert seen == [sheet.yes, sheet.no, sheet.yes, sheet.no, sheet.yes]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # on "Yes, start over"
    assert w.on_welcome() and c.session.ticked == []
