"""The controller: wires the walkthrough model's events to the screens, and the screens'
requests to the model. Everything it shows is drawn by ``Screens``; everything a patient
chose is the model's; speech buttons, printing, the figures and staff each have their own
object (``ReadAloud``, ``TakeHome``, ``UsageRecorder``, ``StaffDesk``)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from kiosk.core.content import ContentLibrary, ContentPack
from kiosk.core.pin import PinGuard
from kiosk.core.session import Session
from kiosk.core.settings import Settings
from kiosk.core.stats import StatsStore
from kiosk.core.walkthrough import Walkthrough
from kiosk.ui.corner import CornerHold
from kiosk.ui.frame import KioskWindow
from kiosk.ui.idle import IdleWatcher
from kiosk.ui.input_guard import InputGuard
from kiosk.ui.locked import STAFF_IDLE_MS
from kiosk.ui.overlay import IdleOverlay, IdleWarning, StartOverSheet
from kiosk.ui.pages.base import PageView
from kiosk.ui.pages.welcome import WelcomePage
from kiosk.ui.read_aloud import ReadAloud
from kiosk.ui.screens import Screens
from kiosk.ui.speech import Speaker
from kiosk.ui.staff import StaffDesk
from kiosk.ui.take_home import Printer, TakeHome, print_to_printer
from kiosk.ui.usage import UsageRecorder

log = logging.getLogger(__name__)


def staff_idle_ms(settings: Settings) -> int:
    """How long a staff screen may be left alone: a minute (enough to read the figures), and
    never longer than the clinic lets a patient's own screen stand unattended."""
    return min(STAFF_IDLE_MS, settings.idle_seconds * 1000)


class Controller(QObject):
    """``show(page_id)`` / ``next()`` / ``back()`` / ``reset_session()``; one per window."""

    page_shown = Signal(str)  # page id, or "" for the welcome screen
    session_reset = Signal()

    def __init__(self, library: ContentLibrary, settings: Settings, window: KioskWindow | None = None,
                 stats: StatsStore | None = None, pin_guard: PinGuard | None = None, speaker: Speaker | None = None,
                 start_problems: tuple[str, ...] = (), printer: Printer = print_to_printer) -> None:
        super().__init__()
        self.library = library
        self._settings = settings
        w = self.window = window or KioskWindow()
        w.staff_idle_ms = staff_idle_ms(settings)
        self.speaker = speaker or Speaker(parent=w)
        self.usage = UsageRecorder(stats if settings.statistics else None, w)
        self.model = model = Walkthrough(library)
        model.topic_changed.connect(self._build)
        model.page_changed.connect(self._page_changed)
        model.looks_changed.connect(self._looks_changed)
        model.question_toggled.connect(self._question_toggled)
        model.qr_changed.connect(self._qr_changed)
        model.finished.connect(self._session_finished)
        self._resetting = False
        self._shown_view: PageView | None = None
        self.screens = Screens(w, library, settings, model)
        self.screens.view_made.connect(self._connect_view)
        self.take_home = TakeHome(model, self.screens, self.speaker, settings, printer)
        self.reader = ReadAloud(w.toolbar, self.speaker, model, self.screens)
        take_home = self.take_home  # (not self: the window's objects must not keep the controller alive)
        self.staff = StaffDesk(w, library, settings, pin_guard, self.usage, lambda: take_home.printer, start_problems)
        self.staff.reset_requested.connect(self.reset_session)
        w.progress.section_requested.connect(model.jump_to_section)
        w.footer.back_requested.connect(model.back)
        w.footer.home_requested.connect(self.start_over)
        w.footer.next_requested.connect(self.next)
        w.back_requested.connect(model.back)
        w.resized.connect(self.screens.relayout)
        w.toolbar.text_size_requested.connect(model.cycle_text_size)
        w.toolbar.contrast_requested.connect(model.toggle_high_contrast)
        w.toolbar.language_requested.connect(model.set_language)
        # Both filters are children of the window, so Qt drops them with it.
        self.idle = IdleWatcher(settings.idle_seconds, settings.warning_seconds, w)
        self.idle.expired.connect(self.reset_session)
        self.overlay = IdleOverlay(w)
        IdleWarning(self.idle, self.overlay, self.speaker, model).opened.connect(self.staff.close_dialogs)
        self.start_over_sheet = StartOverSheet(w)
        self.start_over_sheet.confirmed.connect(self.reset_session)
        self.start_over_sheet.cancelled.connect(self.speaker.stop)
        self.corner = CornerHold(w)
        self.corner.triggered.connect(self.staff.open)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(w.keep_focus_in_view)
            guard = InputGuard.of(app)
            for listener in (self.idle, self.corner):
                guard.listen(listener) if guard is not None else app.installEventFilter(listener)
        self._build()
        self.show(None)

    # ------------------------------------------------------------------ state

    @property
    def settings(self) -> Settings:
        return self._settings

    @settings.setter
    def settings(self, settings: Settings) -> None:
        """New settings take effect at the next ``rebuild()`` (the staff panel's, or a test's)."""
        self._settings = self.screens.settings = self.take_home.settings = self.staff.settings = settings

    @property
    def session(self) -> Session:
        """The patient's session (the model's: ask the model to change it)."""
        return self.model.session

    @property
    def pack(self) -> ContentPack:
        """The pack on show: the session's topic in the session's language."""
        return self.model.pack

    @property
    def views(self) -> dict[str, PageView]:
        """The pages of the session's topic and language, by id (built when first needed)."""
        return self.screens.views

    @property
    def welcome(self) -> WelcomePage | None:
        return self.screens.welcome

    def current_view(self) -> PageView | None:
        return None if self.session.page_id is None else self.views[self.session.page_id]

    # ------------------------------------------------------------------ screens

    def _build(self) -> None:
        """Show the session's topic, language, text size and contrast (``Screens.build``)."""
        if self.screens.build():
            self.reader.refresh()

    def rebuild(self) -> None:
        """Build every screen anew (after a settings change, or to recover from an error)."""
        self._shown_view = None
        self.screens.rebuild()
        self.reader.refresh()

    def _connect_view(self, view: PageView) -> None:
        view.navigate.connect(self.show)
        view.toggle_requested.connect(self.model.toggle)
        view.print_requested.connect(self.take_home.print_questions)
        view.qr_requested.connect(self.model.toggle_qr)
        view.diary_print_requested.connect(self.take_home.print_diary)
        view.practice_rated.connect(self.model.rate_practice)
        view.check_requested.connect(self.model.check)

    def _qr_changed(self, _visible: bool) -> None:
        if self._shown_view is not None:
            self._shown_view.qr_changed(self.session)

    def _page_changed(self, previous: str | None, page_id: str | None) -> None:
        shown = self._shown_view  # the page object on screen, even if a new language replaced it
        if previous is not None:
            self._remember_scroll()
        if shown is not None:
            shown.scroll_area.stop_scrolling()
        if page_id != previous or (shown is not None and shown.pack.topic != self.model.topic):
            self.speaker.stop()
        self._display(page_id, first=shown is None)

    def _remember_scroll(self) -> None:
        """Where the page on screen was scrolled to, for coming back (not while resetting:
        the new session starts at the top)."""
        shown = self._shown_view
        if shown is not None and not self._resetting:
            self.model.remember_scroll(shown.page.id, shown.scroll_area.verticalScrollBar().value(), shown.pack.topic)

    def _display(self, page_id: str | None, first: bool = False) -> None:
        """Put the session's page (or the welcome screen) on the screen, as the session has it."""
        if page_id is None:
            self._shown_view = None
            self.screens.show_welcome()
            self.idle.set_enabled(self.session.touched)
        else:
            if not self.idle.enabled:
                self.idle.set_enabled(True)
            self._shown_view = self.screens.show_page(page_id, first)
        self.page_shown.emit(page_id or "")

    def _looks_changed(self) -> None:
        """Another language, text size or contrast: restyle, and show the same page again."""
        self._remember_scroll()
        self._build()
        if not self._resetting:
            self._display(self.session.page_id)

    # ------------------------------------------------------------------ patient actions

    def show(self, target: str | None) -> None:
        """Show a page: ``page-id``, ``topic-id/page-id`` (another topic's), or ``None`` for
        the welcome screen."""
        if not (self.model.go(None) if target is None else self.model.follow(target)):
            log.warning("ignored navigation to unknown page %r", target)

    def next(self) -> None:
        """The next page; on the last one, "I'm done"."""
        self.reset_session() if self.model.on_last_page else self.model.next()

    def start_over(self) -> None:
        """"Start over": a fresh start for whoever taps it, as "I'm done" gives the next
        person. With questions on the list it asks first, so a slip costs nothing."""
        if not self.start_over_sheet.offer(self.model, self.speaker):
            self.reset_session()

    def _question_toggled(self, question_id: str, ticked: bool) -> None:
        for view in self.views.values():
            view.question_toggled(question_id, ticked)

    # ------------------------------------------------------------------ ending a session

    def reset_session(self) -> None:
        """End the session: a fresh one on the welcome screen (the model's ``reset``; the
        screens follow its events)."""
        self.model.reset()

    def _session_finished(self, finished: Session) -> None:
        """The model has started a fresh session: clear the screens of the last one, before
        they are redrawn for the new one."""
        self.take_home.forget()  # first: whatever fails below, no old result reaches the next patient
        self._resetting = True
        try:
            self.screens.leave_walkthrough()
            self.staff.close_dialogs()
            self.overlay.hide()
            self.start_over_sheet.hide()
            self.speaker.reset()
            record = self.model.usage(finished)
            if record is not None:
                self.usage.record(record)
            self._build()
            self.screens.forget_session()
        finally:
            self._resetting = False
        self._shown_view = None
        self._display(None)
        self.idle.set_enabled(False)
        log.info("session reset")
        self.session_reset.emit()
