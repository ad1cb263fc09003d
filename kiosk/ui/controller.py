"""The controller: owns the session and navigation; pages and the frame only emit intents."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from datetime import date
from itertools import pairwise

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from kiosk import __version__
from kiosk.core.content import ContentLibrary, ContentPack
from kiosk.core.handout import Handout, build_handout
from kiosk.core.pin import PinGuard
from kiosk.core.session import Session
from kiosk.core.settings import Settings
from kiosk.core.stats import SessionRecord, StatsStore, week_start
from kiosk.ui.corner import CornerHold
from kiosk.ui.frame import KioskWindow
from kiosk.ui.icons import icon
from kiosk.ui.idle import IdleWatcher
from kiosk.ui.locked import STAFF_IDLE_MS
from kiosk.ui.overlay import IdleOverlay, StartOverSheet
from kiosk.ui.pages.base import PageView
from kiosk.ui.pages.checklist import ChecklistPage
from kiosk.ui.pages.content_page import ContentPage
from kiosk.ui.pages.summary import SummaryPage
from kiosk.ui.pages.welcome import WelcomePage
from kiosk.ui.speech import DEFAULT_VOLUME, Speaker
from kiosk.ui.staff import (
    StaffInfo,
    StaffMessage,
    StaffPanel,
    _StaffDialog,
    no_pin_message,
    storage_locked_message,
    unlock,
)
from kiosk.ui.theme import FRAME_SCALE_CAP, Theme, style_sheet, theme_for
from kiosk.ui.widgets import InputGuard, KineticScrollArea, discard

log = logging.getLogger(__name__)


def _print_to_printer(handout: Handout, printer_name: str) -> None:
    """Qt's print support loads on first use, not at start-up."""
    from kiosk.ui.printing import print_to_printer

    print_to_printer(handout, printer_name)


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
        self.settings = settings
        self.window = window or KioskWindow()
        self.window.staff_idle_ms = staff_idle_ms(settings)
        self.stats = stats if settings.statistics else None
        self.pin_guard = pin_guard
        self.start_problems = start_problems  # what could not be set up on disk at start (data folder, statistics)
        self.stats_problem = ""  # why the last session's figures could not be recorded
        self.clock = time.monotonic
        self.speaker = speaker or Speaker(parent=self.window)
        self.printer: Callable[[Handout, str], None] = _print_to_printer
        self.session = Session(language=library.default_language)
        self._page_sets: dict[str, dict[str, PageView]] = {}  # language -> page id -> page
        self._welcomes: dict[str, WelcomePage] = {}
        self._attached: str | None = None  # the language whose pages are in the window
        self._pages_style: tuple[float, bool] | None = None
        self.welcome: WelcomePage | None = None
        self._shown_view: PageView | None = None
        self._built_for: tuple[str, float, bool] | None = None
        # Screens of the languages not on show wait here: off the window, so restyling it
        # costs them nothing, yet never top-level windows of their own (a screen taken out
        # of the window just after being put in would otherwise show itself as one, when
        # Qt's queued "show if not hidden" arrives). They go when the window goes.
        self._shelf = QWidget()
        self._shelf.setObjectName("ParkedScreens")
        self.window.destroyed.connect(self._shelf.deleteLater)
        w = self.window
        w.progress.section_requested.connect(self.jump_to_section)
        w.footer.back_requested.connect(self.back)
        w.footer.home_requested.connect(self.start_over)
        w.footer.next_requested.connect(self.next)
        w.back_requested.connect(self.back)
        w.resized.connect(self.relayout)
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
            app.focusChanged.connect(self._keep_focus_visible)
            guard = InputGuard.of(app)
            for listener in (self.idle, self.corner):
                guard.listen(listener) if guard is not None else app.installEventFilter(listener)
        self._build()
        self.show(None)
        self.window.installEventFilter(self)  # builds the pages once the window has painted

    # ------------------------------------------------------------------ state

    @property
    def pack(self) -> ContentPack:
        return self.library.pack(self.session.language)

    @property
    def current_index(self) -> int | None:
        return None if self.session.page_id is None else self.pack.page_index(self.session.page_id)

    def current_view(self) -> PageView | None:
        return None if self.session.page_id is None else self.views[self.session.page_id]

    # ------------------------------------------------------------------ building

    @property
    def views(self) -> dict[str, PageView]:
        """The session language's pages, by id (built the first time they are needed)."""
        return self._attach_pages()

    def _build(self) -> None:
        """Show the session's language, text size and contrast.

        Each language's screens are built once, when first needed, and restyled in place
        after that. (Rebuilding cost ~200 ms a change and leaked: every new flick-scroll
        area registers a Qt gesture type, which PySide keeps for good, ~70 KiB a rebuild.)
        Before the first paint only the welcome screen is built; the pages follow as soon
        as it is on the screen."""
        key = (self.session.language, self.session.text_scale, self.session.high_contrast)
        if key == self._built_for:
            return
        old = self._built_for
        self._built_for = key
        pack = self.pack
        theme = theme_for(self.session.high_contrast)
        w = self.window
        if old is None or old[1:] != key[1:]:
            w.setStyleSheet(style_sheet(theme, self.session.text_scale))
        if old is None or old[0] != key[0]:
            w.progress.set_pack(pack)
            w.footer.set_pack(pack)
            w.toolbar.set_languages(pack, {code: p.name for code, p in self.library.packs.items()})
            w.setWindowTitle(pack.text("app_title"))
        self.overlay.set_pack(pack, theme)
        self._refresh_speech()
        self._refresh_tools()
        self._attach_welcome()
        if self._attached is not None and self._attached != key[0]:
            # Another language: its welcome screen shows now; its pages are built or put
            # back just after (at once if a page is shown: ``views`` attaches on demand).
            self._detach_pages()
            QTimer.singleShot(0, self, self._attach_pages)
        elif self._attached is not None:
            self._attach_pages()  # restyles the pages and sets every icon
        if self._attached is None:
            self._apply_icons(theme)
        w.toolbar.arrange(w.width() or 1920)

    def rebuild(self) -> None:
        """Build every screen anew (after a settings change, or to recover from an error)."""
        self._detach_pages()
        if self.welcome is not None:
            self.window.welcome_layout.removeWidget(self.welcome)
        for view in self._all_views():
            discard(view)
        for welcome in self._welcomes.values():
            discard(welcome)
        self._page_sets, self._welcomes, self.welcome, self._shown_view = {}, {}, None, None
        self._built_for = None
        self._build()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # The window's first paint: the welcome screen is up, so build the pages next:
        # after this paint pass has been flushed to the screen (one turn of the event
        # loop), and after anything else already waiting (a second turn).
        if watched is self.window and event.type() == QEvent.Type.Paint:
            self.window.removeEventFilter(self)
            QTimer.singleShot(0, self, lambda: QTimer.singleShot(0, self, self._attach_pages))
        return False

    def _attach_welcome(self) -> None:
        language, scale = self.session.language, self.session.text_scale
        welcome = self._welcomes.get(language)
        if welcome is None:
            minutes = math.ceil((self.settings.idle_seconds + self.settings.warning_seconds) / 60)
            welcome = WelcomePage(self.library, self.pack, minutes, self.settings.is_demo, scale)
            welcome.start_requested.connect(self.start)
            welcome.language_requested.connect(self.set_language)
            self._welcomes[language] = welcome
        layout = self.window.welcome_layout
        if welcome is not self.welcome:
            if self.welcome is not None:
                layout.removeWidget(self.welcome)
                self.welcome.setParent(self._shelf)
            layout.addWidget(welcome)
            welcome.setVisible(True)
            self.welcome = welcome
        welcome.restyle(scale)

    def _attach_pages(self) -> dict[str, PageView]:
        """Put the session language's pages in the window, built and styled for the session."""
        language, scale, contrast = self.session.language, self.session.text_scale, self.session.high_contrast
        if self._attached == language and self._pages_style == (scale, contrast):
            return self._page_sets[language]
        w = self.window
        theme = theme_for(contrast)
        views = self._page_sets.get(language)
        if views is None:
            views = self._page_sets[language] = self._make_pages(self.pack, theme)
        if self._attached != language:
            self._detach_pages()
            for view in views.values():
                w.pages.addWidget(view)
                view.sync(self.session)
            self._attached = language
        width = w.width() or 1920
        for view in views.values():
            view.restyle(theme, scale)
            view.apply_layout(width, scale)
        self._pages_style = (scale, contrast)
        self._apply_icons(theme)
        return views

    def _detach_pages(self) -> None:
        if self._attached is None:
            return
        for view in self._page_sets[self._attached].values():
            view.scroll_area.stop_scrolling()
            self.window.pages.removeWidget(view)
            view.setParent(self._shelf)
        self._attached = None
        self._pages_style = None

    def _all_views(self) -> list[PageView]:
        """The pages of every language built so far, in the window or not."""
        return [view for views in self._page_sets.values() for view in views.values()]

    def _make_pages(self, pack: ContentPack, theme: Theme) -> dict[str, PageView]:
        views: dict[str, PageView] = {}
        for page in pack.pages:
            view: PageView
            if page.kind == "checklist":
                checklist = ChecklistPage(pack, page, self.session, theme)
                checklist.toggle_requested.connect(self.toggle_question)
                view = checklist
            elif page.kind == "summary":
                summary = SummaryPage(pack, page, self.session, theme, can_print=bool(self.settings.printer))
                summary.print_requested.connect(self.print_questions)
                summary.qr_requested.connect(self.toggle_qr)
                view = summary
            else:
                view = ContentPage(pack, page, theme, self.session.text_scale)
            view.navigate.connect(self.show)
            views[page.id] = view
        return views

    def _apply_icons(self, theme: Theme) -> None:
        """Icons beside the words (never instead of them), drawn in the button's text colour."""
        w = self.window
        size = self._icon_size()
        plain, on_primary = theme.on_secondary, theme.on_primary
        pairs = [(w.footer.back, "back", plain), (w.footer.home, "home", plain), (w.footer.next, self._next_icon(), on_primary),
                 (w.toolbar.read, "speaker", plain), (w.toolbar.volume, "speaker", plain),
                 (w.toolbar.text_size, "text-size", plain), (w.toolbar.contrast, "contrast", plain)]
        pairs += [(b, "language", plain) for b in w.toolbar.languages.values()]
        attached = self._page_sets.get(self._attached or "", {})
        summary = next((v for v in attached.values() if isinstance(v, SummaryPage)), None)
        if summary is not None:
            pairs += [(summary.print_button, "print", on_primary), (summary.qr_button, "qr", plain)]
        for button, name, colour in pairs:
            button.setIcon(icon(name, colour, size))
            button.setIconSize(QSize(size, size))

    def _icon_size(self) -> int:
        return round(26 * min(self.session.text_scale, FRAME_SCALE_CAP))

    def _next_icon(self) -> str:
        """An arrow for Next; a tick for "I'm done" on the last page (it goes nowhere)."""
        index = self.current_index
        return "check" if index is not None and index == len(self.pack.pages) - 1 else "next"

    def relayout(self) -> None:
        """Let pages and the toolbar re-arrange for a new window width."""
        for view in self._page_sets.get(self._attached or "", {}).values():
            view.apply_layout(self.window.width(), self.session.text_scale)
        self.window.toolbar.arrange(self.window.width())

    # ------------------------------------------------------------------ navigation

    def show(self, page_id: str | None) -> None:
        """Show a page by id, or the welcome screen for ``None``."""
        w = self.window
        if page_id is not None and page_id not in self.views:
            log.warning("ignored navigation to unknown page %r", page_id)
            return
        if page_id != self.session.page_id:
            self.speaker.stop()
        self.session.enter_page(page_id, self.clock(), self.session.page_id)
        if page_id is None:
            self.session.page_id = None
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
        previous = self._shown_view  # the page object on screen, even if a new language replaced it
        if previous is not None and self.session.page_id is not None:
            self.session.scroll[previous.page.id] = previous.scroll_area.verticalScrollBar().value()
            previous.scroll_area.stop_scrolling()
        self.session.page_id = page_id
        index = self.pack.page_index(page_id)
        self.session.furthest_page = max(self.session.furthest_page, index)
        view = self.views[page_id]
        if isinstance(view, SummaryPage):
            view.refresh(self.session)
        view.scroll_area.verticalScrollBar().setValue(self.session.scroll.get(page_id, 0))
        w.pages.setCurrentWidget(view)
        self._shown_view = view
        w.progress.show_position(self.pack, index)
        w.footer.show_position(self.pack, index)
        w.footer.next.setIcon(icon(self._next_icon(), theme_for(self.session.high_contrast).on_primary, self._icon_size()))
        w.show_walkthrough()
        w.toolbar.show_languages(True)
        self._set_tab_order(view)
        focus = QApplication.focusWidget()
        frame = (w.progress, w.footer, w.toolbar)
        if previous is None or focus is None or not any(part.isAncestorOf(focus) for part in frame):
            w.footer.next.setFocus(Qt.FocusReason.OtherFocusReason)
        self.page_shown.emit(page_id)

    def start(self) -> None:
        self.show(self.pack.pages[0].id)

    def next(self) -> None:
        index = self.current_index
        if index is None:
            self.start()
        elif index + 1 < len(self.pack.pages):
            self.show(self.pack.pages[index + 1].id)
        else:
            self.done()

    def back(self) -> None:
        index = self.current_index
        if index is None:
            return
        self.show(self.pack.pages[index - 1].id if index > 0 else None)

    def start_over(self) -> None:
        """"Start over": a fresh start for whoever taps it, as "I'm done" gives the next
        person. With questions on the list it asks first, so a slip costs nothing."""
        if not self.session.ticked:
            self.reset_session()
            return
        self.start_over_sheet.open(self.pack, theme_for(self.session.high_contrast), len(self.session.ticked))
        self.speaker.say(" ".join(self.start_over_sheet.speech_parts()), self.session.language)

    def jump_to_section(self, section_id: str) -> None:
        self.show(self.pack.first_page_of(section_id).id)

    def done(self) -> None:
        """"I'm done": forget everything and return to the welcome screen."""
        self.reset_session()

    # ------------------------------------------------------------------ patient choices

    def toggle_question(self, question_id: str) -> None:
        ticked = self.session.toggle(question_id)
        view = self.views.get(self.session.page_id or "")
        if isinstance(view, ChecklistPage):
            view.show_ticked(question_id, ticked)
        if self.speaker.available:
            question = self.pack.question(question_id)
            self.speaker.say(f"{question.text} {self.pack.text('ticked' if ticked else 'not_ticked')}.", self.session.language)

    # ------------------------------------------------------------------ take-home

    def toggle_qr(self) -> None:
        self.session.qr_visible = not self.session.qr_visible
        view = self.views.get(self.session.page_id or "")
        if isinstance(view, SummaryPage):
            view.refresh(self.session)
            if self.session.qr_visible:  # scroll to the code once the layout has made room for it
                QTimer.singleShot(0, view, lambda: view.scroll_area.ensureWidgetVisible(view.qr, 0, 16))

    def handout(self) -> Handout:
        return build_handout(self.pack, self.session.ticked, self.settings.clinic_name, date.today())

    def print_questions(self) -> None:
        """Straight to the configured printer; a failure is a calm message, never a dialog."""
        view = self.views.get(self.session.page_id or "")
        if not isinstance(view, SummaryPage) or not self.settings.printer or not self.session.ticked:
            return
        view.show_status(self.pack.text("printing"))
        QApplication.processEvents()  # let "Printing…" show before the (blocking) print job
        try:
            self.printer(self.handout(), self.settings.printer)
        except Exception as exc:  # the printer's fault must never end the session
            log.warning("printing failed: %s", exc)
            view.show_status(self.pack.text("print_error"))
            self.speaker.say(self.pack.text("print_error"), self.session.language)
            return
        log.info("handout printed")
        view.show_status(self.pack.text("printed"))
        self.speaker.say(self.pack.text("printed"), self.session.language)

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
        self.set_text_scale(self.session.next_text_scale())

    def _refresh_speech(self) -> None:
        """Read aloud and Volume show only when there is a voice for the session's language."""
        self.window.toolbar.set_speech_available(self.speaker.has_voice(self.session.language))

    def _refresh_tools(self) -> None:
        s = self.session
        self.window.toolbar.show_state(self.pack, self.speaker.speaking, self.speaker.volume, s.text_scale, s.high_contrast)

    def set_language(self, language: str) -> None:
        if language not in self.library.packs or language == self.session.language:
            return
        self.session.language = language
        self._rebuild_keeping_position()

    def set_text_scale(self, scale: float) -> None:
        self.session.text_scale = scale
        self._rebuild_keeping_position()

    def set_high_contrast(self, on: bool) -> None:
        self.session.high_contrast = on
        self._rebuild_keeping_position()

    def _rebuild_keeping_position(self) -> None:
        self._build()
        self.show(self.session.page_id)  # saves the old page's scroll position and restores it

    def reset_session(self) -> None:
        """Replace the session with a fresh one and return to the welcome screen."""
        for view in self._all_views():
            view.scroll_area.stop_scrolling()
        self._close_staff_dialogs()
        self.overlay.hide()
        self.start_over_sheet.hide()
        self.speaker.reset()
        self._record_usage()
        self.session = Session(language=self.library.default_language)
        self._build()
        # Every language's pages, shown or not, forget the last patient: ticks, list, QR, scroll.
        for view in self._all_views():
            view.scroll_area.verticalScrollBar().setValue(0)
            view.sync(self.session)
        for welcome in self._welcomes.values():
            welcome.scroll_area.verticalScrollBar().setValue(0)
        self.show(None)
        self.idle.set_enabled(False)
        log.info("session reset")
        self.session_reset.emit()

    def is_fresh(self) -> bool:
        """The screen a new session starts on, untouched: the welcome screen in the default
        language, text size and contrast, nothing said, no sheet and no staff screen open."""
        if self.session != Session(language=self.library.default_language) or self.speaker.speaking:
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
            self.session = Session(language=self.library.default_language)
            try:
                self.rebuild()
            finally:
                self.overlay.hide()
                self.window.show_welcome()

    def _record_usage(self) -> None:
        """Add this session's anonymous counts to the statistics (if it did anything)."""
        s = self.session
        if self.stats is None or s.furthest_page < 0:
            return
        s.enter_page(None, self.clock(), s.page_id)
        pages = self.library.pack(s.language).pages
        record = SessionRecord(s.language, pages[s.furthest_page].id, dict(s.page_seconds), dict(s.page_views), list(s.ticked))
        try:
            self.stats.record(record)
        except Exception as exc:  # a full or read-only disk must never disturb a patient
            if not self.stats_problem:
                log.exception("could not record usage statistics")
            self.stats_problem = f"usage figures could not be recorded ({exc})"
        else:
            self.stats_problem = ""

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

    # ------------------------------------------------------------------ keyboard

    def _set_tab_order(self, view: PageView) -> None:
        """Tab follows reading order: sections, the page's controls, then the footer."""
        w = self.window
        chain: list[QWidget] = list(w.progress.buttons.values())
        chain += [b for b in view.findChildren(QAbstractButton) if b.focusPolicy() != 0]
        chain += [w.footer.back, w.footer.home, w.footer.next]
        chain += w.toolbar.buttons()
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _keep_focus_visible(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is None:
            return
        parent = new.parentWidget()
        while parent is not None and not isinstance(parent, KineticScrollArea):
            parent = parent.parentWidget()
        if isinstance(parent, KineticScrollArea):
            parent.ensureWidgetVisible(new, 20, 40)
