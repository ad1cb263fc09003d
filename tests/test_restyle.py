"""Each language's screens are built once and restyled in place; pages are built after the
welcome screen has painted; nothing a patient chose survives in a cached language's pages."""

from __future__ import annotations

import linecache
from itertools import pairwise

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QPixmapCache

from kiosk.core import heap
from kiosk.ui import pages_ahead
from kiosk.ui.app import PIXMAP_CACHE_KIB, build_kiosk
from kiosk.ui.icons import icon
from kiosk.ui.pages.checklist import ChecklistPage
from kiosk.ui.pages.summary import SummaryPage
from kiosk.ui.theme import HIGH_CONTRAST, WARM, rich_text_css, theme_for
from kiosk.ui.widgets import KineticScrollArea


def test_text_size_and_contrast_restyle_the_same_widgets(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c, w = kiosk.controller, kiosk.window
    c.model.start()
    before = dict(c.views)
    welcome = c.welcome
    font_before = before["risks"].text.fontInfo().pixelSize()
    areas = len(w.findChildren(KineticScrollArea))
    qtbot.mouseClick(w.toolbar.text_size, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w.toolbar.contrast, Qt.MouseButton.LeftButton)
    assert c.session.text_scale == 1.5 and c.session.high_contrast
    assert c.views == before and all(c.views[k] is v for k, v in before.items())
    assert c.welcome is welcome
    assert len(w.findChildren(KineticScrollArea)) == areas  # no new flick-scroll areas (they leaked)
    # ... and yet they show the new size and theme.
    assert before["risks"].text.fontInfo().pixelSize() > font_before
    assert before["risks"].scale == 1.5 and before["risks"].theme.name == "high-contrast"
    assert rich_text_css(theme_for(True), 1.5) in before["risks"].text.text()  # its headings' own CSS followed
    checklist = before["questions"]
    assert isinstance(checklist, ChecklistPage)
    assert all(b.theme is checklist.theme and b.scale == 1.5 for b in checklist.buttons.values())


def test_a_language_is_built_once_and_reused(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    c.model.start()
    english = c.views["risks"]
    c.model.set_language("es")
    spanish = c.views["risks"]
    assert spanish is not english and spanish.pack.language == "es"
    assert not english.isVisible()  # hidden in the window while another language shows
    assert not english.isWindow()  # ... and never a window of its own
    c.model.set_language("en")
    assert c.views["risks"] is english and english.parentWidget() is not None
    c.model.set_language("es")
    assert c.views["risks"] is spanish


def test_scroll_position_survives_text_size_and_language(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    c.model.start()
    c.show("risks")
    bar = c.views["risks"].scroll_area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 200, timeout=2000)
    bar.setValue(200)
    c.model.cycle_text_size()
    assert c.views["risks"].scroll_area.verticalScrollBar().value() == 200
    c.model.set_language("es")
    qtbot.waitUntil(lambda: c.views["risks"].scroll_area.verticalScrollBar().maximum() >= 200, timeout=2000)
    c.show("risks")  # the layout has caught up; the saved place is applied again
    assert c.views["risks"].scroll_area.verticalScrollBar().value() == 200


def test_reset_clears_the_pages_of_every_language(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    c.model.start()
    c.model.set_language("es")
    c.show("questions")
    chosen = [q.id for q in c.pack.questions[:2]]
    for qid in chosen:
        c.model.toggle(qid)
    c.show("summary")
    c.model.toggle_qr()
    spanish = dict(c.views)
    spanish["questions"].scroll_area.verticalScrollBar().setValue(100)
    c.reset_session()
    assert c.session.language == "en"
    # The Spanish pages are hidden now, but must hold nothing of the last patient.
    checklist, summary = spanish["questions"], spanish["summary"]
    assert isinstance(checklist, ChecklistPage) and isinstance(summary, SummaryPage)
    assert not any(b.isChecked() for b in checklist.buttons.values())
    assert summary.ticked_texts() == [] and summary.qr.text == ""
    assert checklist.scroll_area.verticalScrollBar().value() == 0
    # The next patient who picks Spanish sees a clean list too.
    c.model.set_language("es")
    c.show("questions")
    assert c.views["questions"] is checklist
    assert not any(b.isChecked() for b in checklist.buttons.values())


def test_ticks_follow_a_language_switch_into_cached_pages(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    c.model.start()
    c.model.set_language("es")
    c.model.set_language("en")  # both languages built now
    c.show("questions")
    qid = c.pack.questions[4].id
    c.model.toggle(qid)
    c.model.set_language("es")
    checklist = c.views["questions"]
    assert isinstance(checklist, ChecklistPage)
    assert [k for k, b in checklist.buttons.items() if b.isChecked()] == [qid]
    c.show("summary")
    assert c.views["summary"].ticked_texts() == [c.pack.question(qid).text]  # type: ignore[attr-defined]


def every_set(library) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Every (topic, language) whose pages the kiosk makes."""
    return {(topic, language) for topic in library.topics for language in library.languages}


def test_pages_are_built_after_the_welcome_screen_paints(qtbot, settings, library) -> None:  # type: ignore[no-untyped-def]
    built = build_kiosk(settings, library, size=(1280, 800))
    qtbot.addWidget(built.window)
    c = built.controller
    assert c.welcome is not None
    assert c.screens.page_sets == {}  # start-up builds only what the first paint needs
    built.window.show()
    shown = (c.model.topic, "en")
    qtbot.waitUntil(lambda: shown in c.screens.page_sets, timeout=3000)
    assert set(c.screens.page_sets[shown]) == {p.id for p in c.pack.pages}
    counts = [c.window.pages.count()]  # pages in the window after each step of building ahead
    c.screens.ahead.timer.timeout.connect(lambda: counts.append(c.window.pages.count()))
    # Then every other topic's and language's pages, ahead of any patient asking for them
    # (the first to choose the ablation waited ~0.4 s while its pages were made), a page a
    # turn of the event loop: a tap meanwhile waits for one small step, never a whole set.
    everything = every_set(library)
    assert len(everything) == 4
    qtbot.waitUntil(lambda: set(c.screens.page_sets) == everything and not c.screens.ahead.timer.isActive(), timeout=30000)
    assert c.window.pages.count() == sum(len(library.pack(language, topic).pages) for topic, language in everything)
    assert len(counts) > 1 and max(b - a for a, b in pairwise(counts)) <= 1
    assert not c.screens.ahead.partial
    looks = c.screens.view_looks()  # each made ahead is styled for the session too
    assert all(c.screens.styled.get(view) == looks for view in c.screens.all_views())
    built.window.allow_close()


def test_pages_are_made_ahead_only_while_the_welcome_screen_shows(qtbot, kiosk, library) -> None:  # type: ignore[no-untyped-def]
    """Nobody reading a page has its flick-scroll or moving picture stalled by the work."""
    c = kiosk.controller
    ahead = c.screens.ahead
    qtbot.waitUntil(lambda: bool(ahead.partial), timeout=10000)
    c.next()  # a patient starts
    made = c.window.pages.count()
    qtbot.waitUntil(lambda: not ahead.timer.isActive())  # the step already asked for does nothing...
    ahead.step()  # ...and nor does any other
    assert c.window.pages.count() == made and not ahead.timer.isActive()
    c.reset_session()  # back on the welcome screen: on again, once it has painted
    everything = every_set(library)
    qtbot.waitUntil(lambda: set(c.screens.page_sets) == everything, timeout=30000)


def test_the_heap_is_trimmed_once_the_work_ahead_is_done(qtbot, kiosk, library, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """What building, laying out and drawing the pages ahead freed (and a session before it)
    goes back to the system once, when that work is done on the welcome screen: not at each
    step of it, nor while a page is on show, nor again until the welcome screen is back."""
    trims: list[tuple[int, bool]] = []  # (pages in the window, work still to do) at each trim
    c = kiosk.controller
    ahead = c.screens.ahead
    monkeypatch.setattr(pages_ahead, "give_back", lambda: trims.append((c.window.pages.count(), ahead.working)) or True)
    linecache.getlines(pages_ahead.__file__)  # (as PySide has a module imported meanwhile read: see heap)
    everything = every_set(library)
    qtbot.waitUntil(lambda: set(c.screens.page_sets) == everything and not c.screens.getting_ready, timeout=30000)
    qtbot.waitUntil(lambda: bool(trims))
    assert trims == [(c.window.pages.count(), False)]  # once, with every page made, and nothing left to do
    assert pages_ahead.__file__ not in linecache.cache  # the source lines let go of too
    ahead.start()
    qtbot.waitUntil(lambda: len(trims) == 2)  # started again (the welcome screen back): again once done
    ahead.step()  # nothing since: nothing to give back
    c.next()  # a patient reads a page: no work ahead, no trim
    ahead.start()
    qtbot.waitUntil(lambda: not ahead.timer.isActive())
    assert len(trims) == 2
    c.reset_session()
    qtbot.waitUntil(lambda: len(trims) == 3, timeout=10000)


def test_the_kiosk_is_built_without_the_source_lines_cached_at_import(qtbot, settings, library) -> None:  # type: ignore[no-untyped-def]
    """PySide has Python read and cache the whole source of every module imported after it
    (~70,000 lines for the kiosk's). They go before anything is built, which then reuses
    that memory (PSS after the bench walk ~4 MB lower than letting go of them later)."""
    import kiosk.ui.app as app_module

    linecache.getlines(app_module.__file__)
    assert app_module.__file__ in linecache.cache
    built = build_kiosk(settings, library, size=(1280, 800))
    qtbot.addWidget(built.window)
    assert app_module.__file__ not in linecache.cache
    built.window.allow_close()


def test_giving_memory_back_works_here() -> None:
    """This machine's C library (glibc, as on the kiosks) has ``malloc_trim``: ``give_back``
    calls it, rather than quietly doing nothing."""
    assert heap.give_back() is True


def test_the_collector_is_paused_for_start_up_then_frozen_and_let_go_at_a_rebuild(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    """Start-up runs without Python's cyclic collector; after the first paint it is on again
    with what start-up made frozen (never walked again). A rebuild replaces the welcome
    screen made then: frozen, its reference cycles could never be collected, so it is let go."""
    import gc

    try:
        heap.start_up_over()  # a collector that is on is left alone
        assert gc.isenabled() and gc.get_freeze_count() == 0
        heap.collector_off_for_start_up()
        assert not gc.isenabled()
        heap.start_up_over()
        assert gc.isenabled() and gc.get_freeze_count() > 0
        kiosk.controller.rebuild()
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()
        gc.enable()


def test_the_collector_comes_back_even_if_the_window_never_paints(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Start-up turns the collector off until the window's first paint; a window that is
    never painted must not leave it off for good."""
    import gc

    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QApplication, QWidget

    from kiosk.ui import app as app_module

    class NeverReady(QObject):
        ready = Signal()

        def __init__(self, window: QWidget, status: str) -> None:
            super().__init__(window)

        def stopping(self) -> None:
            pass

    states: list[bool] = []

    def exec_until_back() -> int:
        states.append(gc.isenabled())
        qtbot.waitUntil(gc.isenabled, timeout=5000)
        return 0

    monkeypatch.setattr(app_module, "Heartbeat", NeverReady)
    monkeypatch.setattr(app_module, "COLLECTOR_BACK_MS", 20)
    qapp = QApplication.instance()
    monkeypatch.setattr(qapp, "exec", exec_until_back)
    window = QWidget()
    try:
        heap.collector_off_for_start_up()
        assert app_module._run_window(qapp, window, True, "test") == 0
        assert states == [False] and gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()


def test_after_a_rebuild_the_pages_are_made_ahead_again(qtbot, kiosk, library) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    everything = every_set(library)
    qtbot.waitUntil(lambda: set(c.screens.page_sets) == everything, timeout=30000)
    c.rebuild()  # (a settings change): every page made anew, the others once the welcome screen is up
    assert c.screens.page_sets == {}
    qtbot.waitUntil(lambda: set(c.screens.page_sets) == everything, timeout=30000)


def test_a_set_asked_for_while_it_is_made_ahead_keeps_what_is_made(qtbot, kiosk, library) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    ahead = c.screens.ahead
    qtbot.waitUntil(lambda: any(len(made) >= 2 for made in ahead.partial.values()), timeout=10000)
    ahead.timer.stop()
    (topic, language), made = next(iter(ahead.partial.items()))
    early = dict(made)
    c.model.set_language(language)
    c.model.start(topic)
    views = c.screens.page_sets[(topic, language)]
    assert [view.page.id for view in views.values()] == [p.id for p in library.pack(language, topic).pages]
    assert all(views[page_id] is view for page_id, view in early.items())  # not made twice
    assert c.window.pages.count() == sum(len(set_) for set_ in c.screens.page_sets.values())
    assert c.current_view() is views[c.session.page_id] and views[c.session.page_id].isVisible()


def test_a_screen_taken_off_the_window_at_once_never_shows_as_a_window(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    c = kiosk.controller
    c.model.set_language("es")  # the Spanish welcome screen goes in, with Qt's "show later" queued ...
    c.reset_session()  # ... and comes out again before the event loop has turned
    qtbot.wait(50)
    shown = [w.objectName() for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert shown == [kiosk.window.objectName()]


def test_parked_screens_go_with_the_window(qtbot, settings, library) -> None:  # type: ignore[no-untyped-def]
    import shiboken6
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    built = build_kiosk(settings, library, size=(1280, 800))
    c = built.controller
    c.model.start()
    english = c.views["risks"]
    c.model.set_language("es")  # the English screens are hidden now
    assert shiboken6.isValid(english)
    built.window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(english)


def test_pages_are_built_on_demand_before_any_paint(qtbot, settings, library) -> None:  # type: ignore[no-untyped-def]
    built = build_kiosk(settings, library, size=(1280, 800))
    qtbot.addWidget(built.window)
    c = built.controller
    c.model.start()  # a tap that arrives before the pages were built still opens the first page
    assert c.session.page_id == c.pack.pages[0].id
    assert c.window.pages.currentWidget() is c.views[c.pack.pages[0].id]
    built.window.allow_close()


def test_icons_are_drawn_once(qapp) -> None:  # type: ignore[no-untyped-def]
    assert icon("next", "#FFFFFF", 26) is icon("next", "#FFFFFF", 26)
    assert icon("next", "#FFFFFF", 26) is not icon("next", "#000000", 26)


def test_qts_pixmap_cache_is_kept_small(qtbot, settings, library) -> None:  # type: ignore[no-untyped-def]
    """Qt's own drawing filled its default 10 MB pixmap cache over thousands of sessions (the soak's
    heap grew ~4 MB); the kiosk keeps it at 1 MB."""
    QPixmapCache.setCacheLimit(10240)  # Qt's default, whatever an earlier test left
    built = build_kiosk(settings, library, size=(1280, 800))
    qtbot.addWidget(built.window)
    assert QPixmapCache.cacheLimit() == PIXMAP_CACHE_KIB == 1024
    built.window.allow_close()


def test_relaying_out_the_toolbar_frees_the_old_layout_items(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    import shiboken6

    toolbar = kiosk.window.toolbar
    row = toolbar.rows[0]
    old_items = [row.itemAt(i) for i in range(row.count())]
    assert old_items
    toolbar.arrange(1280)  # happens whenever speech starts or stops, the language changes...
    # The same buttons on the same rows: the layout is left as it is.
    assert [row.itemAt(i) for i in range(row.count())] == old_items
    toolbar.arrange(600)  # narrower: two rows
    # Qt leaves taken layout items to the caller; forgetting them leaked ~0.5 KiB a time.
    assert not any(shiboken6.isValid(item) for item in old_items)
    assert toolbar.rows[1].count() > 0
    toolbar.arrange(1280)
    in_row = [item.widget() for item in (row.itemAt(i) for i in range(row.count())) if item.widget()]
    assert [b for b in in_row if b.isVisibleTo(toolbar)] == toolbar.buttons() and toolbar.rows[1].count() == 0
    assert set(in_row) - set(toolbar.buttons()) == set(toolbar._language_buttons.values())  # (hidden, no room)


def test_the_toolbar_is_arranged_again_when_its_buttons_change(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c, toolbar = kiosk.controller, kiosk.window.toolbar
    c.model.start()

    def laid_out() -> list[str]:
        """The buttons the first row shows, in order (a hidden one takes no room in it)."""
        row = toolbar.rows[0]
        return [item.widget().objectName() for item in (row.itemAt(i) for i in range(row.count()))
                if item.widget() and item.widget().isVisibleTo(toolbar)]

    def items() -> list[object]:
        return [row.itemAt(i) for row in toolbar.rows for i in range(row.count())]

    assert "language-es" in laid_out()
    before = items()
    c.reset_session()  # the welcome screen names the languages itself
    assert not any(name.startswith("language-") for name in laid_out())
    assert items() == before  # its button hidden in its place: the rows are not made again
    c.model.start()
    assert "language-es" in laid_out() and items() == before
    es = toolbar.languages["es"]
    assert es.geometry().left() > toolbar.motion.geometry().right()  # back in its place, last
    c.model.set_language("es")
    assert laid_out()[-1] == "language-en"
    assert items() == before  # every language's button has its place: another language remakes no row
    c.reset_session()
    c.model.start()
    assert laid_out()[-1] == "language-es" and items() == before
    c.model.set_language("es")
    toolbar.set_speech_available(False)  # (no voice for the language)
    assert "read-aloud" not in laid_out() and "volume" not in laid_out()
    toolbar.set_speech_available(True)
    assert laid_out()[:2] == ["read-aloud", "volume"]


def test_reset_from_another_language_shows_the_welcome_screen_first(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    c.model.start()
    english = c.views["risks"]
    c.model.set_language("es")
    c.show("risks")
    c.reset_session()
    # The welcome screen is up at once; the English pages go on show once it has painted.
    assert kiosk.window.on_welcome() and c.welcome is not None and c.welcome.scale == 1.0
    assert c.screens.attached is None
    qtbot.waitUntil(lambda: c.screens.attached == (c.model.topic, "en"), timeout=2000)
    assert c.views["risks"] is english and english.parentWidget() is not None


class _Seen(QObject):
    """Records, in order, the events of ``kinds`` its watched widgets receive."""

    def __init__(self, kinds: dict[QEvent.Type, str]) -> None:
        super().__init__()
        self.kinds = kinds
        self.seen: list[str] = []

    def eventFilter(self, watched, event):  # type: ignore[no-untyped-def]  # noqa: N802
        name = self.kinds.get(event.type())
        if name is not None:
            self.seen.append(name)
        return False


def test_the_reset_from_another_language_restyles_and_moves_no_page(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    c.model.start()
    english = dict(c.views)
    c.model.set_language("es")
    c.show("summary")
    spanish = dict(c.views)
    seen = _Seen({QEvent.Type.StyleChange: "style", QEvent.Type.ParentChange: "moved"})
    for view in [*english.values(), *spanish.values()]:
        view.installEventFilter(seen)
    c.reset_session()  # "I'm done" from Spanish: back to English
    qtbot.waitUntil(lambda: c.screens.attached == (c.model.topic, "en"), timeout=3000)
    assert c.views == english and seen.seen == []  # (restyling a page, or moving it, was ~20-40 ms a page)
    for view in [*english.values(), *spanish.values()]:
        view.removeEventFilter(seen)


def test_after_large_text_and_contrast_the_welcome_screen_paints_before_any_page_restyles(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c, w = kiosk.controller, kiosk.window
    qtbot.waitUntil(lambda: bool(c.screens.page_sets), timeout=5000)  # start-up is over
    c.model.start()
    c.model.set_text_scale(2.0)
    c.model.set_high_contrast(True)
    english = dict(c.views)
    c.model.set_language("es")
    c.show("risks")
    spanish = dict(c.views)
    for view in (english["risks"], spanish["risks"]):
        assert view.scale == 2.0 and HIGH_CONTRAST.background in view.styleSheet()
    welcome = c.screens.welcomes["en"]
    seen = _Seen({QEvent.Type.StyleChange: "page restyled"})
    painted = _Seen({QEvent.Type.Paint: "welcome painted"})
    painted.seen = seen.seen
    for view in english.values():
        view.installEventFilter(seen)
    welcome.installEventFilter(painted)
    c.reset_session()
    assert w.on_welcome() and c.welcome is welcome and welcome.isVisible()
    assert w.toolbar.styleSheet() == "" and w.background == QColor(WARM.background)  # the default looks, at once
    qtbot.waitUntil(lambda: c.screens.attached == (c.model.topic, "en"), timeout=5000)
    assert seen.seen[0] == "welcome painted" and "page restyled" in seen.seen
    for view in english.values():
        view.removeEventFilter(seen)
    welcome.removeEventFilter(painted)
    # Whatever is tapped next shows the default looks: every page of both languages.
    c.model.start()
    assert c.views == english
    assert all(part.styleSheet() == "" for part in (w.toolbar, w.progress, w.footer, c.overlay, c.start_over_sheet))
    c.show(None)
    c.model.set_language("es")
    c.model.start()
    assert c.views == spanish
    for view in [*english.values(), *spanish.values()]:
        assert view.scale == 1.0 and view.theme is WARM and view.styleSheet() == "", view.page.id
    assert english["risks"].text.fontInfo().pixelSize() < 40


def test_a_restyle_waiting_for_the_welcome_screen_follows_it_into_another_language(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    """Pages wait to be restyled until the welcome screen on show has painted. When another
    language's welcome screen took its place before that paint, they waited for one that
    no longer showed: the work ahead never ended, and the pages were restyled only when a
    patient asked for one."""
    c = kiosk.controller
    qtbot.waitUntil(lambda: not c.screens.getting_ready, timeout=20000)  # start-up is over
    c.model.start()
    c.model.set_text_scale(2.0)
    c.reset_session()  # the pages wait for the welcome screen to paint...
    c.model.set_language("es")  # ...which gives way to another before it can
    qtbot.waitUntil(lambda: not c.screens.getting_ready, timeout=20000)
    assert c.screens.attached == (c.model.topic, "es")


def test_pages_made_ahead_are_laid_out_at_their_real_size(qtbot, kiosk, library) -> None:  # type: ignore[no-untyped-def]
    """The first turn to a page never lays it out (or, for the very first, the whole frame)
    at a new size while the patient waits: a hidden page in the stack kept Qt's 640x480
    until shown, and the frame its own, and the first turn after the welcome screen took
    27-53 ms against 7-12 ms the second time."""
    c, w = kiosk.controller, kiosk.window
    everything = every_set(library)
    qtbot.waitUntil(lambda: set(c.screens.page_sets) == everything and not c.screens.getting_ready, timeout=30000)
    assert w.on_welcome()
    assert w.walkthrough.size() == w.welcome_holder.size()
    area = w.pages.contentsRect().size()
    assert area.width() == w.width() and 300 < area.height() < w.height()
    for (topic, language), views in c.screens.page_sets.items():
        for view in views.values():
            assert view.size() == area, (topic, language, view.page.id, view.size())
            assert not view.isVisible()


def test_pages_drawn_ahead_draw_no_picture_but_each_topics_first(qtbot, kiosk, library,  # type: ignore[no-untyped-def]
                                                                   monkeypatch) -> None:
    """Drawing ahead warms words, not pictures: a hidden picture would keep its pixels (a
    moving one's frame is 1-3 MB), and every page's would push the few shared ones out. The
    one exception is the still picture of each topic's first page, drawn into the shared
    cache: the turn from the welcome screen then draws no picture while the patient waits."""
    from kiosk.ui import illustration
    from kiosk.ui.illustration import Illustration
    from kiosk.ui.motion_picture import MotionIllustration

    c = kiosk.controller
    illustration._PICTURES.clear()
    qtbot.waitUntil(lambda: set(c.screens.page_sets) == every_set(library) and not c.screens.getting_ready, timeout=30000)
    pictures = [p for view in c.screens.all_views() for p in view.findChildren(Illustration)]
    assert pictures and any(isinstance(p, MotionIllustration) for p in pictures)
    assert all(p.redraws == 0 and p.held_frames() == 0 for p in pictures if isinstance(p, MotionIllustration))
    firsts = {p._path for topic in library.topics
              for p in c.screens.page_sets[(topic, "en")][library.pack("en", topic).pages[0].id].findChildren(Illustration)}
    assert firsts and {key[0] for key in illustration._PICTURES} == firsts
    drawn: list[str] = []
    real_draw = Illustration._draw
    monkeypatch.setattr(Illustration, "_draw", lambda self, *a: drawn.append(self._path) or real_draw(self, *a))
    for topic in library.topics:
        drawn.clear()
        c.model.start(topic)
        view = c.current_view()
        qtbot.waitUntil(view.isVisible, timeout=3000)
        qtbot.waitExposed(view)
        view.repaint()
        assert drawn == [], topic  # (blitted from the cache)
        c.reset_session()
        qtbot.waitUntil(lambda: not c.screens.getting_ready, timeout=30000)
    # No other page's picture was drawn ahead, but for the page after each first page (drawn
    # once the first had painted: see the next test): the rest draw theirs when shown.
    seconds = {p._path for topic in library.topics
               for p in c.screens.page_sets[(topic, "en")][library.pack("en", topic).pages[1].id].findChildren(Illustration)}
    others = {p._path for view in c.screens.all_views() for p in view.findChildren(Illustration)} - firsts - seconds
    assert others and not others & {key[0] for key in illustration._PICTURES}


def test_the_next_pages_still_picture_is_drawn_once_the_page_on_show_has_painted(qtbot, kiosk, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """While the patient reads a page, the still picture of the page after it is drawn into
    the shared cache: the turn to that page blits it instead of drawing it (~3 ms)."""
    from kiosk.ui import illustration
    from kiosk.ui.illustration import Illustration
    from kiosk.ui.motion_picture import MotionIllustration

    c = kiosk.controller
    qtbot.waitUntil(lambda: not c.screens.getting_ready, timeout=30000)
    c.model.start()
    pages = c.pack.pages

    def stills(page_id: str) -> list[Illustration]:
        return [p for p in c.views[page_id].findChildren(Illustration) if not isinstance(p, MotionIllustration)]

    pairs = [(a.id, b.id) for a, b in zip(pages[1:], pages[2:], strict=False) if stills(b.id)]
    assert pairs, "no page after the second has a still picture"
    before, after = pairs[0]
    drawn: list[str] = []
    real_draw = Illustration._draw
    monkeypatch.setattr(Illustration, "_draw", lambda self, *a: drawn.append(self._path) or real_draw(self, *a))
    illustration._PICTURES.clear()
    c.show(before)
    wanted = {p._path for p in stills(after)}
    qtbot.waitUntil(lambda: wanted <= set(drawn), timeout=3000)  # drawn ahead, after the paint
    drawn.clear()
    c.next()
    view = c.current_view()
    assert view is c.views[after]
    qtbot.waitExposed(view)
    view.repaint()
    assert not wanted & set(drawn)  # blitted from the cache


def test_pages_restyled_on_the_welcome_screen_are_laid_out_for_their_new_looks(qtbot, kiosk, library) -> None:  # type: ignore[no-untyped-def]
    """Larger text chosen on a page: after "Start over" the pages are restyled one a turn on
    the welcome screen, and then laid out again for the larger words before any is shown."""
    c = kiosk.controller
    qtbot.waitUntil(lambda: not c.screens.getting_ready, timeout=30000)
    c.model.start()
    c.model.set_text_scale(1.5)
    c.reset_session()  # (the text size is the patient's: the reset returns to the default)
    c.model.set_text_scale(1.5)  # a patient on the welcome screen chooses large text
    looks = c.screens.view_looks()
    views = c.screens.page_sets[c.screens.shown_pages()]
    qtbot.waitUntil(lambda: all(c.screens.styled.get(v) == looks for v in views.values()), timeout=30000)
    qtbot.waitUntil(lambda: not c.screens.getting_ready, timeout=30000)
    for view in views.values():
        text = getattr(view, "text", None)
        if text is not None and text.isVisibleTo(view):
            assert text.height() >= text.heightForWidth(text.width()), (view.page.id, text.height())
