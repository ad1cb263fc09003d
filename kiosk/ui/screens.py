"""The screens: every language's welcome screen and walkthrough pages, built once and
restyled in place; which of them are in the window; their icons and keyboard order; the
page after the one on show made ready off screen, once that one is painted.

The controller decides what to show (from the walkthrough model's events); this module
owns the widgets that show it."""

from __future__ import annotations

import math
from itertools import pairwise

import shiboken6
from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from kiosk.core.content import ContentLibrary, ContentPack
from kiosk.core.session import motion_reduced
from kiosk.core.settings import Settings
from kiosk.core.walkthrough import Walkthrough
from kiosk.ui.frame import KioskWindow
from kiosk.ui.icons import icon
from kiosk.ui.pages.base import PageView
from kiosk.ui.pages.registry import PageContext, make_view
from kiosk.ui.pages.welcome import WelcomePage
from kiosk.ui.theme import FRAME_SCALE_CAP, Theme, style_sheet, theme_for
from kiosk.ui.widgets import KineticScrollArea, discard


class Screens(QObject):
    """``views`` (the session language's pages), ``welcome``, ``build()`` for the session's
    looks, ``rebuild()``; ``view_made`` hands each new page to the controller to wire its
    requests (a signal, not a callback: this object lives as long as the window, and must
    not keep the controller alive with it)."""

    view_made = Signal(object)  # PageView

    def __init__(self, window: KioskWindow, library: ContentLibrary, settings: Settings, model: Walkthrough) -> None:
        super().__init__(window)
        self.window = window
        self.library = library
        self.settings = settings
        self.model = model
        self.page_sets: dict[tuple[str, str], dict[str, PageView]] = {}  # (topic, language) -> page id -> page
        self.welcomes: dict[str, WelcomePage] = {}  # language -> welcome screen
        self.attached: tuple[str, str] | None = None  # the (topic, language) whose pages are in the window
        self.pages_style: tuple[float, bool, bool] | None = None
        self.welcome: WelcomePage | None = None
        self.built_for: tuple[str, str, float, bool, bool] | None = None
        # Screens of the languages not on show wait here: off the window, so restyling it
        # costs them nothing, yet never top-level windows of their own (a screen taken out
        # of the window just after being put in would otherwise show itself as one, when
        # Qt's queued "show if not hidden" arrives). They go when the window goes.
        self.shelf = QWidget()
        self.shelf.setObjectName("ParkedScreens")
        window.destroyed.connect(self.shelf.deleteLater)
        window.installEventFilter(self)  # builds the pages once the window has painted
        # The page on show, until it is painted; then the page after it gets ready.
        self.painting: PageView | None = None
        self.coming: str | None = None  # the id of the page after the one on show
        self.prepared: PageView | None = None

    @property
    def views(self) -> dict[str, PageView]:
        """The pages of the session's topic and language, by id (built when first needed)."""
        return self.attach_pages()

    def shown_pages(self) -> tuple[str, str]:
        """The (topic, language) whose pages the session shows."""
        return self.model.topic, self.model.session.language

    def build(self) -> bool:
        """Show the session's language, text size and contrast.

        Each language's screens are built once, when first needed, and restyled in place
        after that. (Rebuilding cost ~200 ms a change and leaked: every new flick-scroll
        area registers a Qt gesture type, which PySide keeps for good, ~70 KiB a rebuild.)
        Before the first paint only the welcome screen is built; the pages follow as soon
        as it is on the screen."""
        key = (*self.shown_pages(), self.model.session.text_scale, self.model.session.high_contrast, self.reduced_motion())
        if key == self.built_for:
            return False
        old = self.built_for
        self.built_for = key
        pack = self.model.pack
        theme = theme_for(self.model.session.high_contrast)
        w = self.window
        if old is None or old[2:4] != key[2:4]:
            w.setStyleSheet(style_sheet(theme, self.model.session.text_scale))
        if old is None or old[:2] != key[:2]:
            w.progress.set_pack(pack)
            w.footer.set_pack(pack)
            w.toolbar.set_languages(pack, {code: p.name for code, p in self.library.packs.items()})
            w.setWindowTitle(pack.text("app_title"))
        self.attach_welcome()
        if self.attached is not None and self.attached != key[:2]:
            # Another language or topic: its welcome screen shows now; its pages are built or
            # put back just after (at once if a page is shown: ``views`` attaches on demand).
            self.detach_pages()
            QTimer.singleShot(0, self, self.attach_pages)
        elif self.attached is not None:
            self.attach_pages()  # restyles the pages and sets every icon
        if self.attached is None:
            self.apply_icons(theme)
        w.toolbar.arrange(w.width() or 1920)
        return True

    def rebuild(self) -> None:
        """Build every screen anew (after a settings change, or to recover from an error)."""
        self.detach_pages()
        if self.welcome is not None:
            self.window.welcome_layout.removeWidget(self.welcome)
        for view in self.all_views():
            discard(view)
        for welcome in self.welcomes.values():
            discard(welcome)
        self.page_sets, self.welcomes, self.welcome = {}, {}, None
        self.built_for = None
        self.build()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # The window's first paint: the welcome screen is up, so build the pages next:
        # after this paint pass has been flushed to the screen (one turn of the event
        # loop), and after anything else already waiting (a second turn).
        if watched is self.window and event.type() == QEvent.Type.Paint:
            self.window.removeEventFilter(self)
            QTimer.singleShot(0, self, lambda: QTimer.singleShot(0, self, self.attach_pages))
        elif watched is self.painting and event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            self.painting = None
            QTimer.singleShot(0, self, self.prepare_coming)  # after this paint pass
        return False

    def prepare_after_paint(self, view: PageView, index: int) -> None:
        """Once ``view`` is on the screen, the page after it gets ready off screen (a stage
        page draws its opening frame), outside the turn the patient waits for."""
        if self.painting is not None and shiboken6.isValid(self.painting):
            self.painting.removeEventFilter(self)
        pages = self.model.pack.pages
        self.coming = pages[index + 1].id if index + 1 < len(pages) else None
        self.painting = view
        view.installEventFilter(self)

    def prepare_coming(self) -> None:
        views = self.page_sets.get(self.attached, {}) if self.attached else {}
        view = views.get(self.coming) if self.coming else None
        if view is not None and not view.isVisible():
            if view is not self.prepared:
                self.unprepare()
            view.prepare()
            self.prepared = view

    def unprepare(self) -> None:
        """The page made ready lets go of it (no turn to it is coming)."""
        if self.prepared is not None and shiboken6.isValid(self.prepared):
            self.prepared.prepare(False)
        self.prepared = None

    def attach_welcome(self) -> None:
        language, scale = self.model.session.language, self.model.session.text_scale
        welcome = self.welcomes.get(language)
        if welcome is None:
            minutes = math.ceil((self.settings.idle_seconds + self.settings.warning_seconds) / 60)
            welcome = WelcomePage(self.library, self.model.pack, minutes, self.settings.is_demo, scale)
            welcome.start_requested.connect(lambda topic: self.model.start(topic or None))
            welcome.language_requested.connect(self.model.set_language)
            self.welcomes[language] = welcome
        layout = self.window.welcome_layout
        if welcome is not self.welcome:
            if self.welcome is not None:
                layout.removeWidget(self.welcome)
                self.welcome.setParent(self.shelf)
            layout.addWidget(welcome)
            welcome.setVisible(True)
            self.welcome = welcome
        welcome.restyle(scale)

    def attach_pages(self) -> dict[str, PageView]:
        """Put the session's pages in the window, built and styled for the session."""
        shown, scale, contrast = self.shown_pages(), self.model.session.text_scale, self.model.session.high_contrast
        reduced = self.reduced_motion()
        if self.attached == shown and self.pages_style == (scale, contrast, reduced):
            return self.page_sets[shown]
        w = self.window
        theme = theme_for(contrast)
        views = self.page_sets.get(shown)
        if views is None:
            views = self.page_sets[shown] = self.make_pages(self.model.pack, theme)
        if self.attached != shown:
            self.detach_pages()
            for view in views.values():
                w.pages.addWidget(view)
                view.sync(self.model.session)
            self.attached = shown
        width = w.width() or 1920
        for view in views.values():
            view.restyle(theme, scale)
            view.apply_layout(width, scale)
            view.set_reduced_motion(reduced)
        self.pages_style = (scale, contrast, reduced)
        self.apply_icons(theme)
        return views

    def reduced_motion(self) -> bool:
        """Stage pictures stay still: the clinic's ``motion`` setting, or the patient's switch."""
        return motion_reduced(self.model.session, self.settings.motion == "reduced")

    def detach_pages(self) -> None:
        if self.attached is None:
            return
        for view in self.page_sets[self.attached].values():
            view.scroll_area.stop_scrolling()
            self.window.pages.removeWidget(view)
            view.setParent(self.shelf)
        self.attached = None
        self.pages_style = None

    def forget_session(self) -> None:
        """Every page of every topic and language, shown or not, shows the fresh session:
        no ticks, no list, no QR code, scrolled to the top."""
        for view in self.all_views():
            view.scroll_area.verticalScrollBar().setValue(0)
            view.sync(self.model.session)
        for welcome in self.welcomes.values():
            welcome.scroll_area.verticalScrollBar().setValue(0)

    def all_views(self) -> list[PageView]:
        """The pages of every language built so far, in the window or not."""
        return [view for views in self.page_sets.values() for view in views.values()]

    def make_pages(self, pack: ContentPack, theme: Theme) -> dict[str, PageView]:
        views: dict[str, PageView] = {}
        for page in pack.pages:
            view = make_view(PageContext(pack, page, self.model.session, theme, can_print=bool(self.settings.printer),
                                         settings=self.settings))
            self.view_made.emit(view)
            views[page.id] = view
        return views

    def apply_icons(self, theme: Theme) -> None:
        """Icons beside the words (never instead of them), drawn in the button's text colour."""
        w = self.window
        size = self.icon_size()
        plain, on_primary = theme.on_secondary, theme.on_primary
        pairs: list[tuple[QAbstractButton, str, str]] = [(w.footer.back, "back", plain), (w.footer.home, "home", plain), (w.footer.next, self.next_icon(), on_primary),
                 (w.toolbar.read, "speaker", plain), (w.toolbar.volume, "speaker", plain),
                 (w.toolbar.text_size, "text-size", plain), (w.toolbar.contrast, "contrast", plain)]
        pairs += [(b, "language", plain) for b in w.toolbar.languages.values()]
        for view in self.page_sets.get(self.attached, {}).values() if self.attached else ():
            pairs += [(button, name, on_primary if primary else plain) for button, name, primary in view.icon_buttons()]
        for button, name, colour in pairs:
            button.setIcon(icon(name, colour, size))
            button.setIconSize(QSize(size, size))

    def icon_size(self) -> int:
        return round(26 * min(self.model.session.text_scale, FRAME_SCALE_CAP))

    def next_icon(self) -> str:
        """An arrow for Next; a tick for "I'm done" on the last page (it goes nowhere)."""
        index = self.model.page_index
        return "check" if index is not None and index == len(self.model.pack.pages) - 1 else "next"

    def relayout(self) -> None:
        """Let pages and the toolbar re-arrange for a new window width."""
        for view in self.page_sets.get(self.attached, {}).values() if self.attached else ():
            view.apply_layout(self.window.width(), self.model.session.text_scale)
        self.window.toolbar.arrange(self.window.width())

    def show_welcome(self) -> None:
        if self.painting is not None and shiboken6.isValid(self.painting):
            self.painting.removeEventFilter(self)
        self.painting = self.coming = None
        self.unprepare()
        w = self.window
        w.show_welcome()
        w.toolbar.show_languages(self.welcome is None or not self.welcome.language_buttons)
        if self.welcome is not None:
            self.welcome.start.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_page(self, page_id: str, first: bool) -> PageView:
        """Put the session's page ``page_id`` on the screen, as the session has it: scrolled
        where the patient left it, the progress bar and footer at its place, focus on Next
        (unless the patient is moving through the frame's own buttons)."""
        w, model = self.window, self.model
        index = model.pack.page_index(page_id)
        view = self.views[page_id]
        back = model.session.check_return  # came from the check's "Show me the page" (cleared back at the check)
        view.show_check_return(model.pack.text("check_back") if back else "", back or "")
        view.shown(model.session)
        view.scroll_area.verticalScrollBar().setValue(model.scroll_of(page_id))
        w.pages.setCurrentWidget(view)
        w.progress.show_position(model.pack, index)
        w.footer.show_position(model.pack, index)
        w.footer.next.setIcon(icon(self.next_icon(), theme_for(model.session.high_contrast).on_primary, self.icon_size()))
        w.show_walkthrough()
        w.toolbar.show_languages(True)
        self.set_tab_order(view)
        self.prepare_after_paint(view, index)
        focus = QApplication.focusWidget()
        frame = (w.progress, w.footer, w.toolbar)
        if first or focus is None or not any(part.isAncestorOf(focus) for part in frame):
            w.footer.next.setFocus(Qt.FocusReason.OtherFocusReason)
        return view

    def set_tab_order(self, view: PageView) -> None:
        """Tab follows reading order: sections, the page's controls, then the footer."""
        w = self.window
        chain: list[QWidget] = list(w.progress.buttons.values())
        chain += view.focus_chain()
        chain += [w.footer.back, w.footer.home, w.footer.next]
        chain += w.toolbar.buttons()
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def keep_focus_visible(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is None:
            return
        parent = new.parentWidget()
        while parent is not None and not isinstance(parent, KineticScrollArea):
            parent = parent.parentWidget()
        if isinstance(parent, KineticScrollArea):
            parent.ensureWidgetVisible(new, 20, 40)
