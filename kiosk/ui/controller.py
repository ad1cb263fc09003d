"""The controller: owns the session and navigation; pages and the frame only emit intents."""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication

from kiosk import __version__
from kiosk.core.content import ContentLibrary, ContentPack
from kiosk.core.pin import PinGuard
from kiosk.core.session import Session
from kiosk.core.settings import Settings
from kiosk.core.stats import SessionRecord, StatsStore, week_start
from kiosk.core.walkthrough import Walkthrough
from kiosk.ui.corner import CornerHold
from kiosk.ui.frame import KioskWindow
from kiosk.ui.icons import icon
from kiosk.ui.idle import IdleWatcher
from kiosk.ui.jobs import JobQueue
from kiosk.ui.locked import STAFF_IDLE_MS
from kiosk.ui.overlay import IdleOverlay, StartOverSheet
from kiosk.ui.pages.base import PageView
from kiosk.ui.pages.welcome import WelcomePage
from kiosk.ui.screens import Screens
from kiosk.ui.speech import DEFAULT_VOLUME, Speaker
from kiosk.ui.staff import (
    StaffMessage,
    _StaffDialog,
    no_pin_message,
    storage_locked_message,
    unlock,
)
from kiosk.ui.staff_panel import StaffInfo, StaffPanel
from kiosk.ui.take_home import Printer, TakeHome
from kiosk.ui.theme import theme_for
from kiosk.ui.widgets import InputGuard

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
                 start_problems: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.library = library
        self._settings = settings
        self.window = window or KioskWindow()
        self.window.staff_idle_ms = staff_idle_ms(settings)
        self.stats = stats if settings.statistics else None
        self.pin_guard = pin_guard
        self.start_problems = start_problems  # what could not be set up on disk at start (data folder, statistics)
        self.stats_problem = ""  # why the last session's figures could not be recorded
        self.speaker = speaker or Speaker(parent=self.window)
        # The statistics write runs off the GUI thread (as printing does, in TakeHome): a full
        # disk never delays a reset.
        self.stats_jobs = JobQueue("statistics", self.window)  # one writer thread: writes land in order
        # The session and every patient action live in the Qt-free model; the controller
        # turns its events into screen changes and the screens' requests into its actions.
        self.model = Walkthrough(library)
        self.model.page_changed.connect(self._page_changed)
        self.model.looks_changed.connect(self._looks_changed)
        self.model.question_toggled.connect(self._question_toggled)
        self.model.qr_changed.connect(self._qr_changed)
        self.model.finished.connect(self._session_finished)
        self._resetting = False
        self._shown_view: PageView | None = None
        self.screens = Screens(self.window, library, settings, self.model)
        self.screens.view_made.connect(self._connect_view)
        self.take_home = TakeHome(self.model, self.screens, self.speaker, settings)
        w = self.window
        w.progress.section_requested.connect(self.jump_to_section)
        w.footer.back_requested.connect(self.back)
        w.footer.home_requested.connect(self.start_over)
        w.footer.next_requested.connect(self.next)
        w.back_requested.connect(self.back)
        w.resized.connect(self.screens.relayout)
        tools = w.toolbar
        tools.read_requested.connect(self.read_aloud)
        tools.volume_requested.connect(self.cycle_volume)
        tools.text_size_requested.connect(self.cycle_text_size)
        tools.contrast_requested.connect(lambda: self.set_high_contrast(not self.session.high_contrast))
        tools.language_requested.connect(self.set_language)
        self.speaker.availability_changed.connect(lambda _available: self._refresh_speech())
        self.speaker.started.connect(self._refresh_tools)
        self.speaker.stopped.connect(self._refresh_tools)
        # Both filters are children of the window, so Qt drops them with it.
        self.idle = IdleWatcher(settings.idle_seconds, settings.warning_seconds, self.window)
        self.idle.warning_started.connect(self._idle_warning)
        self.idle.countdown.connect(self._idle_countdown)
        self.idle.warning_cancelled.connect(self._idle_cancelled)
        self.idle.expired.connect(self._idle_expired)
        self.overlay = IdleOverlay(self.window)
        self.overlay.still_here.connect(self.idle.activity)
        self.start_over_sheet = StartOverSheet(self.window)
        self.start_over_sheet.confirmed.connect(self.reset_session)
        self.start_over_sheet.cancelled.connect(self.speaker.stop)
        self.corner = CornerHold(self.window)
        self.corner.triggered.connect(self.open_staff)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self.screens.keep_focus_visible)
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
        self._settings = settings
        self.screens.settings = settings
        self.take_home.settings = settings

    @property
    def session(self) -> Session:
        """The patient's session (the model's: ask the model to change it)."""
        return self.model.session

    @property
    def pack(self) -> ContentPack:
        return self.library.pack(self.session.language)

    @property
    def current_index(self) -> int | None:
        return None if self.session.page_id is None else self.pack.page_index(self.session.page_id)

    def current_view(self) -> PageView | None:
        return None if self.session.page_id is None else self.views[self.session.page_id]

    # ------------------------------------------------------------------ screens

    @property
    def views(self) -> dict[str, PageView]:
        """The session language's pages, by id (built the first time they are needed)."""
        return self.screens.views

    @property
    def welcome(self) -> WelcomePage | None:
        return self.screens.welcome

    def _build(self) -> None:
        """Show the session's language, text size and contrast (``Screens.build``)."""
        if self.screens.build():
            self.overlay.set_pack(self.pack, theme_for(self.session.high_contrast))
            self._refresh_speech()
            self._refresh_tools()

    def rebuild(self) -> None:
        """Build every screen anew (after a settings change, or to recover from an error)."""
        self._shown_view = None
        self.screens.rebuild()
        self.overlay.set_pack(self.pack, theme_for(self.session.high_contrast))
        self._refresh_speech()
        self._refresh_tools()

    def _connect_view(self, view: PageView) -> None:
        view.navigate.connect(self.show)
        view.toggle_requested.connect(self.toggle_question)
        view.print_requested.connect(self.print_questions)
        view.qr_requested.connect(self.toggle_qr)

    # ------------------------------------------------------------------ navigation

    def show(self, page_id: str | None) -> None:
        """Show a page by id, or the welcome screen for ``None``."""
        if not self.model.go(page_id):
            log.warning("ignored navigation to unknown page %r", page_id)

    def _page_changed(self, previous: str | None, page_id: str | None) -> None:
        shown = self._shown_view  # the page object on screen, even if a new language replaced it
        if previous is not None:
            self._remember_scroll()
        if shown is not None:
            shown.scroll_area.stop_scrolling()
        if page_id != previous:
            self.speaker.stop()
        self._display(page_id, first=shown is None)

    def _remember_scroll(self) -> None:
        """Where the page on screen was scrolled to, for coming back (not while resetting:
        the new session starts at the top)."""
        shown = self._shown_view
        if shown is not None and not self._resetting:
            self.model.remember_scroll(shown.page.id, shown.scroll_area.verticalScrollBar().value())

    def _display(self, page_id: str | None, first: bool = False) -> None:
        """Put the session's page (or the welcome screen) on the screen, as the session has it."""
        w = self.window
        if page_id is None:
            self._shown_view = None
            w.show_welcome()
            w.toolbar.show_languages(self.welcome is None or not self.welcome.language_buttons)
            if self.welcome is not None:
                self.welcome.start.setFocus(Qt.FocusReason.OtherFocusReason)
            self.idle.set_enabled(self.session.touched)
            self.page_shown.emit("")
            return
        if not self.idle.enabled:
            self.idle.set_enabled(True)
        index = self.pack.page_index(page_id)
        view = self.views[page_id]
        view.shown(self.session)
        view.scroll_area.verticalScrollBar().setValue(self.model.scroll_of(page_id))
        w.pages.setCurrentWidget(view)
        self._shown_view = view
        w.progress.show_position(self.pack, index)
        w.footer.show_position(self.pack, index)
        w.footer.next.setIcon(icon(self.screens.next_icon(), theme_for(self.session.high_contrast).on_primary, self.screens.icon_size()))
        w.show_walkthrough()
        w.toolbar.show_languages(True)
        self.screens.set_tab_order(view)
        focus = QApplication.focusWidget()
        frame = (w.progress, w.footer, w.toolbar)
        if first or focus is None or not any(part.isAncestorOf(focus) for part in frame):
            w.footer.next.setFocus(Qt.FocusReason.OtherFocusReason)
        self.page_shown.emit(page_id)

    def start(self) -> None:
        self.model.start()

    def next(self) -> None:
        """The next page; on the last one, "I'm done"."""
        if self.model.on_last_page:
            self.done()
        else:
            self.model.next()

    def back(self) -> None:
        self.model.back()

    def start_over(self) -> None:
        """"Start over": a fresh start for whoever taps it, as "I'm done" gives the next
        person. With questions on the list it asks first, so a slip costs nothing."""
        if not self.session.ticked:
            self.reset_session()
            return
        self.start_over_sheet.open(self.pack, theme_for(self.session.high_contrast), len(self.session.ticked))
        self.speaker.say(" ".join(self.start_over_sheet.speech_parts()), self.session.language)

    def jump_to_section(self, section_id: str) -> None:
        self.model.jump_to_section(section_id)

    def done(self) -> None:
        """"I'm done": forget everything and return to the welcome screen."""
        self.reset_session()

    # ------------------------------------------------------------------ patient choices

    def toggle_question(self, question_id: str) -> None:
        self.model.toggle(question_id)

    def _question_toggled(self, question_id: str, ticked: bool) -> None:
        for view in self.views.values():
            view.question_toggled(question_id, ticked)
        if self.speaker.available:
            question = self.pack.question(question_id)
            self.speaker.say(f"{question.text} {self.pack.text('ticked' if ticked else 'not_ticked')}.", self.session.language)

    # ------------------------------------------------------------------ take-home

    def toggle_qr(self) -> None:
        self.model.toggle_qr()

    def _qr_changed(self, _visible: bool) -> None:
        view = self.current_view()
        if view is not None:
            view.qr_changed(self.session)

    def print_questions(self) -> None:
        self.take_home.print_questions()

    @property
    def printer(self) -> Printer:
        """What prints a handout, on the print thread (tests put a fake one here)."""
        return self.take_home.printer

    @printer.setter
    def printer(self, printer: Printer) -> None:
        self.take_home.printer = printer

    @property
    def print_jobs(self) -> JobQueue:
        return self.take_home.jobs

    # ------------------------------------------------------------------ accessibility tools

    def speech_text(self) -> str:
        view = self.current_view()
        parts = view.speech_parts() if view is not None else (self.welcome.speech_parts() if self.welcome else [])
        return " ".join(p if p.rstrip()[-1:] in ".!?:" else p + "." for p in parts if p.strip())

    def read_aloud(self) -> None:
        """Speak the page; pressed while the page is being read, it stops."""
        text = self.speech_text()
        if self.speaker.speaking and self.speaker.history[-1:] == [text]:
            self.speaker.stop()
        else:
            self.speaker.say(text, self.session.language)
        self._refresh_tools()

    VOLUMES = (0.4, 0.6, DEFAULT_VOLUME, 1.0)

    def cycle_volume(self) -> None:
        current = min(self.VOLUMES, key=lambda v: abs(v - self.speaker.volume))
        self.speaker.set_volume(self.VOLUMES[(self.VOLUMES.index(current) + 1) % len(self.VOLUMES)])
        self._refresh_tools()
        self.speaker.say(self.window.toolbar.volume.text(), self.session.language)

    def cycle_text_size(self) -> None:
        self.model.cycle_text_size()

    def _refresh_speech(self) -> None:
        """Read aloud and Volume show only when there is a voice for the session's language."""
        self.window.toolbar.set_speech_available(self.speaker.has_voice(self.session.language))

    def _refresh_tools(self) -> None:
        s = self.session
        self.window.toolbar.show_state(self.pack, self.speaker.speaking, self.speaker.volume, s.text_scale, s.high_contrast)

    def set_language(self, language: str) -> None:
        self.model.set_language(language)

    def set_text_scale(self, scale: float) -> None:
        self.model.set_text_scale(scale)

    def set_high_contrast(self, on: bool) -> None:
        self.model.set_high_contrast(on)

    def _looks_changed(self) -> None:
        """Another language, text size or contrast: restyle, and show the same page again."""
        self._remember_scroll()
        self._build()
        if not self._resetting:
            self._display(self.session.page_id)

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
            for view in self.screens.all_views():
                view.scroll_area.stop_scrolling()
            self._close_staff_dialogs()
            self.overlay.hide()
            self.start_over_sheet.hide()
            self.speaker.reset()
            self._record_usage(finished)
            self._build()
            # Every language's pages, shown or not, forget the last patient: ticks, list, QR, scroll.
            for view in self.screens.all_views():
                view.scroll_area.verticalScrollBar().setValue(0)
                view.sync(self.session)
            for welcome in self.screens.welcomes.values():
                welcome.scroll_area.verticalScrollBar().setValue(0)
        finally:
            self._resetting = False
        self._shown_view = None
        self._display(None)
        self.idle.set_enabled(False)
        log.info("session reset")
        self.session_reset.emit()

    def is_fresh(self) -> bool:
        """The screen a new session starts on, untouched: the welcome screen in the default
        language, text size and contrast, nothing said, no sheet and no staff screen open."""
        if not self.model.is_fresh() or self.speaker.speaking:
            return False
        if self.overlay.isVisible() or self.start_over_sheet.isVisible():
            return False
        return not any(w.isVisible() and w is not self.window for w in QApplication.topLevelWidgets())

    def recover_from_error(self) -> None:
        """After an unexpected error: a fresh session on the welcome screen, whatever it takes."""
        try:
            self.reset_session()
        except Exception:
            log.exception("reset after an error failed; rebuilding the screens")
            self.model.session = Session(language=self.library.default_language)
            try:
                self.rebuild()
            finally:
                self.overlay.hide()
                self.window.show_welcome()

    def _record_usage(self, s: Session) -> None:
        """Add a finished session's anonymous counts to the statistics (if it did anything),
        on the statistics thread: the store opens its own SQLite connection there for each write."""
        if self.stats is None or s.furthest_page < 0:
            return
        pages = self.library.pack(s.language).pages
        record = SessionRecord(s.language, pages[s.furthest_page].id, dict(s.page_seconds), dict(s.page_views), list(s.ticked))
        store, day = self.stats, date.today()  # the day the session ended, however long the write waits
        job = self.stats_jobs.submit(lambda: store.record(record, day))
        job.finished.connect(self._usage_recorded)
        job.failed.connect(self._usage_not_recorded)

    def _usage_recorded(self, _result: object) -> None:
        self.stats_problem = ""

    def _usage_not_recorded(self, error: object) -> None:
        """A full or read-only disk must never disturb a patient: logged, and told to staff."""
        if not self.stats_problem:
            log.error("could not record usage statistics", exc_info=error if isinstance(error, BaseException) else None)
        self.stats_problem = f"usage figures could not be recorded ({error})"

    # ------------------------------------------------------------------ idle

    def _idle_warning(self, seconds: int) -> None:
        self._close_staff_dialogs()
        self.overlay.set_pack(self.pack, theme_for(self.session.high_contrast))
        self.overlay.open(seconds)
        self.speaker.say(f"{self.pack.text('idle_title')} {self.pack.text('idle_body', seconds=seconds)} "
                         f"{self.pack.text('still_here')}.", self.session.language)

    def _idle_countdown(self, seconds: int) -> None:
        self.overlay.show_seconds(seconds)

    def _idle_cancelled(self) -> None:
        self.overlay.hide()
        self.speaker.stop()

    def _idle_expired(self) -> None:
        log.info("idle timeout")
        self.reset_session()

    # ------------------------------------------------------------------ staff

    def _close_staff_dialogs(self) -> None:
        for dialog in self.window.findChildren(_StaffDialog):
            dialog.reject()

    def open_staff(self) -> None:
        """The corner was held: PIN, then the staff panel."""
        w = self.window
        unlocked = unlock(w, self.pin_guard, self.no_pin_message())
        if unlocked is None:
            return
        # Set before the 6-digit rule, a short PIN still opens the panel, which asks for a longer one.
        choice = StaffPanel.ask(w, self.staff_info(short_pin=unlocked.short_pin))
        if choice == "reset":
            self.reset_session()
        elif choice == "print-test":
            StaffMessage.ask(w, self.print_test_page())
        elif choice == "exit":
            log.info("staff exit to desktop")
            w.allow_close()
            w.close()
            QApplication.quit()

    def no_pin_message(self) -> str:
        """What staff see when no PIN can open the panel, and what IT can do about it."""
        return no_pin_message(self.settings)

    storage_locked_message = staticmethod(storage_locked_message)

    def print_test_page(self) -> str:
        """Staff panel: a sample handout to the configured printer; returns what happened."""
        if not self.settings.printer:
            return "No printer is configured. Set 'printer' in the config file (see README)."
        from kiosk.ui.printing import sample_handout

        pack = self.library.pack(self.library.default_language)
        try:
            self.printer(sample_handout(pack, self.settings.clinic_name), self.settings.printer)
        except Exception as exc:
            log.warning("test print failed: %s", exc)
            return f"The test page did not print: {exc}"
        return f"A test page was sent to {self.settings.printer}."

    def staff_info(self, short_pin: bool = False) -> StaffInfo:
        today = date.today()
        pack = self.library.pack(self.library.default_language)
        summary_today = summary_week = None
        if self.stats is not None:
            try:
                summary_today = self.stats.summary(today, today)
                summary_week = self.stats.summary(week_start(today), today)
            except Exception:
                log.exception("could not read usage statistics")
        return StaffInfo(
            library=self.library,
            today=summary_today,
            week=summary_week,
            config_problems=self.settings.problems,
            statistics_on=self.settings.statistics,
            page_titles=self.library.titles_for_statistics(pack.language)[0],  # keyed topic/id, as the figures are
            question_texts=self.library.titles_for_statistics(pack.language)[1],
            version=__version__,
            short_pin=short_pin,
            storage_problems=self.storage_problems(),
        )

    def storage_problems(self) -> tuple[str, ...]:
        """What the kiosk cannot save right now, for the staff panel."""
        guard = self.pin_guard
        current = (guard.storage_problem if guard is not None else "", self.stats_problem)
        return self.start_problems + tuple(problem for problem in current if problem)

    # ------------------------------------------------------------------ content updates

    def replace_content(self, library: ContentLibrary, settings: Settings) -> None:
        """Serve new content and settings (a checked synced update, kiosk/ui/updates.py) from a
        fresh session on the welcome screen. Only between patients: while ``is_fresh()``."""
        self.library = library
        self.model.library = library
        self.screens.library = library
        self.settings = settings
        self.window.staff_idle_ms = staff_idle_ms(settings)
        self.idle.idle_timer.setInterval(settings.idle_seconds * 1000)
        self.idle.warning_seconds = settings.warning_seconds
        self.model.session = Session(language=library.default_language)
        self.rebuild()
        self._display(None)
