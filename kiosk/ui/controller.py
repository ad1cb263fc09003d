"""The controller: owns the session and navigation; pages and the frame only emit intents."""

from __future__ import annotations

import logging
import math

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from kiosk.core.content import ContentLibrary, ContentPack
from kiosk.core.session import Session
from kiosk.core.settings import Settings
from kiosk.ui.frame import KioskWindow
from kiosk.ui.pages.base import PageView
from kiosk.ui.pages.checklist import ChecklistPage
from kiosk.ui.pages.content_page import ContentPage
from kiosk.ui.pages.summary import SummaryPage
from kiosk.ui.pages.welcome import WelcomePage
from kiosk.ui.theme import style_sheet, theme_for
from kiosk.ui.widgets import KineticScrollArea

log = logging.getLogger(__name__)


class Controller(QObject):
    """``show(page_id)`` / ``next()`` / ``back()`` / ``reset_session()``; one per window."""

    page_shown = Signal(str)  # page id, or "" for the welcome screen
    session_reset = Signal()

    def __init__(self, library: ContentLibrary, settings: Settings, window: KioskWindow | None = None) -> None:
        super().__init__()
        self.library = library
        self.settings = settings
        self.window = window or KioskWindow()
        self.session = Session(language=library.default_language)
        self.views: dict[str, PageView] = {}
        self.welcome: WelcomePage | None = None
        self._built_for: tuple[str, float, bool] | None = None
        w = self.window
        w.progress.section_requested.connect(self.jump_to_section)
        w.footer.back_requested.connect(self.back)
        w.footer.home_requested.connect(self.home)
        w.footer.next_requested.connect(self.next)
        w.back_requested.connect(self.back)
        w.resized.connect(self.relayout)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._keep_focus_visible)
        self._build()
        self.show(None)

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

    def _build(self) -> None:
        """(Re)build every page for the session's language, text size and contrast."""
        key = (self.session.language, self.session.text_scale, self.session.high_contrast)
        if key == self._built_for:
            return
        self._built_for = key
        pack = self.pack
        theme = theme_for(self.session.high_contrast)
        w = self.window
        w.setStyleSheet(style_sheet(theme, self.session.text_scale))
        w.progress.set_pack(pack)
        w.footer.set_pack(pack)
        w.setWindowTitle(pack.text("app_title"))
        for view in self.views.values():
            w.pages.removeWidget(view)
            view.deleteLater()
        self.views = {}
        for page in pack.pages:
            view: PageView
            if page.kind == "checklist":
                checklist = ChecklistPage(pack, page, self.session, theme)
                checklist.toggle_requested.connect(self.toggle_question)
                view = checklist
            elif page.kind == "summary":
                view = SummaryPage(pack, page, self.session, theme)
            else:
                view = ContentPage(pack, page, theme)
            view.navigate.connect(self.show)
            view.apply_layout(w.width() or 1920, self.session.text_scale)
            w.pages.addWidget(view)
            self.views[page.id] = view
        if self.welcome is not None:
            w.welcome_layout.removeWidget(self.welcome)
            self.welcome.deleteLater()
        minutes = math.ceil((self.settings.idle_seconds + self.settings.warning_seconds) / 60)
        self.welcome = WelcomePage(self.library, pack, minutes, self.settings.is_demo)
        self.welcome.start_requested.connect(self.start)
        self.welcome.language_requested.connect(self.set_language)
        w.welcome_layout.addWidget(self.welcome)

    def relayout(self) -> None:
        """Let pages re-arrange for a new window width."""
        for view in self.views.values():
            view.apply_layout(self.window.width(), self.session.text_scale)

    # ------------------------------------------------------------------ navigation

    def show(self, page_id: str | None) -> None:
        """Show a page by id, or the welcome screen for ``None``."""
        w = self.window
        if page_id is None:
            self.session.page_id = None
            w.show_welcome()
            self.page_shown.emit("")
            return
        if page_id not in self.views:
            log.warning("ignored navigation to unknown page %r", page_id)
            return
        previous = self.current_view()
        if previous is not None:
            self.session.scroll[previous.page.id] = previous.scroll.verticalScrollBar().value()
            previous.scroll.stop_scrolling()
        self.session.page_id = page_id
        index = self.pack.page_index(page_id)
        self.session.furthest_page = max(self.session.furthest_page, index)
        view = self.views[page_id]
        if isinstance(view, SummaryPage):
            view.refresh(self.session)
        view.scroll.verticalScrollBar().setValue(self.session.scroll.get(page_id, 0))
        w.pages.setCurrentWidget(view)
        w.progress.show_position(self.pack, index)
        w.footer.show_position(self.pack, index)
        w.footer.back.setEnabled(True)
        w.show_walkthrough()
        self._set_tab_order(view)
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

    def home(self) -> None:
        """Back to the welcome screen. The session (ticks, language) is kept until reset."""
        self.show(None)

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
        page_id = self.session.page_id
        view = self.current_view()
        if view is not None:
            self.session.scroll[view.page.id] = view.scroll.verticalScrollBar().value()
        self._build()
        self.show(page_id)

    def reset_session(self) -> None:
        """Replace the session with a fresh one and return to the welcome screen."""
        for view in self.views.values():
            view.scroll.stop_scrolling()
        self.session = Session(language=self.library.default_language)
        self._build()
        for view in self.views.values():
            view.scroll.verticalScrollBar().setValue(0)
            if isinstance(view, ChecklistPage):
                for button in view.buttons.values():
                    button.setChecked(False)
        self.show(None)
        self.session_reset.emit()

    # ------------------------------------------------------------------ keyboard

    def _set_tab_order(self, view: PageView) -> None:
        """Tab follows reading order: sections, the page's controls, then the footer."""
        w = self.window
        chain: list[QWidget] = list(w.progress.buttons.values())
        chain += [b for b in view.findChildren(QAbstractButton) if b.focusPolicy() != 0]
        chain += [w.footer.back, w.footer.home, w.footer.next]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    def _keep_focus_visible(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is None:
            return
        parent = new.parentWidget()
        while parent is not None and not isinstance(parent, KineticScrollArea):
            parent = parent.parentWidget()
        if isinstance(parent, KineticScrollArea):
            parent.ensureWidgetVisible(new, 20, 40)
