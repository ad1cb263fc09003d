"""The screens: every language's welcome screen and walkthrough pages, built once and
restyled in place; which of them are in the window; their icons and keyboard order; the
page after the one on show made ready off screen, once that one is painted.

The controller decides what to show (from the walkthrough model's events); this module owns the widgets that show it."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from kiosk.core.content import ContentLibrary, ContentPack, Page
from kiosk.core.heap import start_up_may_go
from kiosk.core.session import motion_reduced
from kiosk.core.settings import Settings
from kiosk.core.walkthrough import Walkthrough
from kiosk.ui.frame import KioskWindow
from kiosk.ui.icons import icon
from kiosk.ui.next_page import NextPage
from kiosk.ui.pages.base import PageView
from kiosk.ui.pages.registry import PageContext, make_view
from kiosk.ui.pages.welcome import WelcomePage
from kiosk.ui.pages_ahead import PagesAhead
from kiosk.ui.theme import FRAME_SCALE_CAP, Theme, style_sheet, theme_for
from kiosk.ui.widgets import discard

DEFAULT_LOOKS = (1.0, False)  # (text scale, high contrast): every session starts so


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
        self.attached: tuple[str, str] | None = None  # the (topic, language) whose pages are on show
        self.welcome: WelcomePage | None = None
        self.built_for: tuple[str, str, float, bool, bool] | None = None
        # The style sheet of the session's looks, set on each part of the screen (its
        # chrome, each welcome screen, each page) rather than on the window: Qt restyles
        # every widget under a widget whose style sheet changes, shown or not, and a
        # widget moved to another parent too (~20-30 ms a page on the 2-core box). The
        # window keeps the default looks' sheet for good; "" on a part means those.
        self.sheet = ""
        self.chrome_sheet = ""  # the sheet the toolbar, progress bar, footer and covering sheets have
        self.styled: dict[QWidget, tuple[object, ...]] = {}  # page or welcome -> the looks it shows
        self._restyle_queued = False
        # One turn of the event loop between steps. (A timer of its own, not singleShot: a
        # step still waiting when the window was deleted kept this object, and through it
        # the window's Python wrapper, alive.)
        self._restyle_timer = QTimer(self)
        self._restyle_timer.setSingleShot(True)
        self._restyle_timer.setInterval(0)
        self._restyle_timer.timeout.connect(self._restyle_step)
        # Every language's screens, once built, stay in the window (hidden while another
        # shows): a language switch, or the reset back to the default language, only
        # swaps which one is on show.
        window.installEventFilter(self)  # builds the pages once the window has painted
        # The page on show, once painted: the page after it gets ready off screen.
        self.next_page = NextPage(self)
        self.ahead = PagesAhead(self)  # every other topic's and language's pages, after start-up

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
        as it is on the screen. On the welcome screen, pages that need restyling for new
        looks are restyled one a turn of the event loop once it has painted (at once when
        one is asked for)."""
        key = (*self.shown_pages(), self.model.session.text_scale, self.model.session.high_contrast, self.reduced_motion())
        if key == self.built_for:
            return False
        old = self.built_for
        self.built_for = key
        pack = self.model.pack
        theme = theme_for(self.model.session.high_contrast)
        w = self.window
        if old is None:
            w.setStyleSheet(style_sheet(theme_for(DEFAULT_LOOKS[1]), DEFAULT_LOOKS[0]))  # for good
        if old is None or old[2:4] != key[2:4]:
            looks = key[2:4]
            self.sheet = "" if looks == DEFAULT_LOOKS else style_sheet(theme, self.model.session.text_scale)
            w.set_background(theme.background)
            self.style_chrome(on_welcome=self.model.page_id is None)
        if old is None or old[:2] != key[:2]:
            w.progress.set_pack(pack)
            w.footer.set_pack(pack)
            w.toolbar.set_languages(pack, {code: p.name for code, p in self.library.packs.items()})
            w.setWindowTitle(pack.text("app_title"))
        self.attach_welcome()
        if self.attached is not None:
            if self.model.page_id is None:
                # The welcome screen is on show: another language's pages are put on
                # show, or built, just after it has painted; restyling waits till then too.
                self.attached = None
                self.restyle_later()
            else:
                self.attach_pages()  # restyles the pages and sets every icon
        if self.attached is None:
            self.apply_icons(theme)
        w.toolbar.arrange(w.width() or 1920)
        return True

    def style_chrome(self, on_welcome: bool = False) -> None:
        """The session's looks on the toolbar, and (unless the welcome screen is on show,
        which hides them: then once it has painted, or when a page is asked for) on the
        progress bar, footer and covering sheets."""
        toolbar = self.window.toolbar
        if on_welcome:
            if toolbar.styleSheet() != self.sheet:
                toolbar.setStyleSheet(self.sheet)
            return
        if self.chrome_sheet == self.sheet and toolbar.styleSheet() == self.sheet:
            return
        for part in self.chrome():
            if part.styleSheet() != self.sheet:
                part.setStyleSheet(self.sheet)
        self.chrome_sheet = self.sheet

    def chrome(self) -> list[QWidget]:
        """The parts of the window that follow the looks besides the screens: the toolbar,
        progress bar and footer, and the sheets that cover the window."""
        w = self.window
        parts: list[QWidget] = [w.toolbar, w.progress, w.footer]
        parts += [c for c in w.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly) if c.property("follows_looks")]
        return parts

    def rebuild(self) -> None:
        """Build every screen anew (after a settings change, or to recover from an error)."""
        start_up_may_go()  # (the welcome screen made before the first paint is replaced)
        self.next_page.cancel()
        self.ahead.discard_all()
        self.attached = None
        if self.welcome is not None:
            self.window.welcome_layout.removeWidget(self.welcome)
        for view in self.all_views():
            self.window.pages.removeWidget(view)
            discard(view)
        for welcome in self.welcomes.values():
            discard(welcome)
        self.page_sets, self.welcomes, self.welcome = {}, {}, None
        self.window.progress.forget()
        self.styled = {}
        self.built_for = None
        self.build()
        self.build_ahead()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # The window's first paint: the welcome screen is up, so build the pages next:
        # after this paint pass has been flushed to the screen (one turn of the event
        # loop), and after anything else already waiting (a second turn). Later paints of
        # the welcome screen: restyle what waits, one page a turn.
        if event.type() == QEvent.Type.Paint:
            if watched is self.window:
                self.window.removeEventFilter(self)
                QTimer.singleShot(0, self, lambda: QTimer.singleShot(0, self, self.attach_pages))
            else:
                watched.removeEventFilter(self)
                self._restyle_timer.start()
        return False

    @property
    def getting_ready(self) -> bool:
        """Work for the welcome screen's idle time is still to do: pages to restyle for new
        looks, or to make, lay out and draw ahead."""
        return self._restyle_queued or self._restyle_timer.isActive() or self.ahead.working

    def restyle_later(self) -> None:
        """Once the welcome screen has painted, bring the pages up to the session's looks
        and language, one page a turn of the event loop."""
        if not self._restyle_queued and self.welcome is not None:
            self._restyle_queued = True
            self.welcome.installEventFilter(self)

    def _restyle_step(self) -> None:
        self._restyle_queued = False
        if self.attached is not None or self.model.page_id is not None or not self.page_sets:
            return  # done already (a page was asked for), or nothing built to restyle
        self.ahead.start()  # (what is restyled is then laid out and drawn ahead again)
        shown = self.shown_pages()
        if self.chrome_sheet != self.sheet:
            self.style_chrome()
            self._restyle_timer.start()
            return
        views = self.page_sets.get(shown)
        if views is None:
            self.attach_pages()  # another language's first visit: built in one go
            return
        stale = next((v for v in views.values() if self.styled.get(v) != self.view_looks()), None)
        if stale is None:
            self.attach_pages()  # nothing left to restyle: the icons, and it is on show
            return
        self.style_view(stale)
        self._restyle_timer.start()

    def attach_welcome(self) -> None:
        language, scale = self.model.session.language, self.model.session.text_scale
        welcome = self.welcomes.get(language)
        layout = self.window.welcome_layout
        if welcome is None:
            minutes = math.ceil((self.settings.idle_seconds + self.settings.warning_seconds) / 60)
            welcome = WelcomePage(self.library, self.model.pack, minutes, self.settings.is_demo, scale)
            welcome.start_requested.connect(lambda topic: self.model.start(topic or None))
            welcome.language_requested.connect(self.model.set_language)
            self.welcomes[language] = welcome
            welcome.setStyleSheet(self.sheet)
            layout.addWidget(welcome)
        if self.styled.get(welcome) != (self.sheet, scale):
            if welcome.styleSheet() != self.sheet:
                welcome.setStyleSheet(self.sheet)
            welcome.restyle(scale)
            self.styled[welcome] = (self.sheet, scale)
        if welcome is not self.welcome:
            if self.welcome is not None:  # (hidden first: side by side, each was laid out at half height)
                self.welcome.setVisible(False)
                if self._restyle_queued:  # (the restyle waits for the welcome screen on show to paint)
                    self.welcome.removeEventFilter(self)
                    welcome.installEventFilter(self)
            welcome.setVisible(True)
            self.welcome = welcome
            layout.activate()  # its place now, not at the next turn of the event loop (a tap may come first)

    def view_looks(self) -> tuple[object, ...]:
        """What a page must show for the session: style sheet, theme, text size, motion, width."""
        session = self.model.session
        return self.sheet, session.high_contrast, session.text_scale, self.reduced_motion(), self.window.width() or 1920

    def style_view(self, view: PageView) -> None:
        """Bring one page up to the session's looks (nothing if it is already)."""
        looks = self.view_looks()
        if self.styled.get(view) == looks:
            return
        scale = self.model.session.text_scale
        if view.styleSheet() != self.sheet:
            view.setStyleSheet(self.sheet)
        view.restyle(theme_for(self.model.session.high_contrast), scale)
        view.apply_layout(self.window.width() or 1920, scale)
        view.set_reduced_motion(self.reduced_motion())
        self.styled[view] = looks

    def attach_pages(self) -> dict[str, PageView]:
        """Put the session's pages on show, built and styled for the session."""
        shown = self.shown_pages()
        views = self.page_sets.get(shown)
        self.style_chrome()
        if self.attached == shown and views is not None:
            looks = self.view_looks()
            if all(self.styled.get(v) == looks for v in views.values()):
                return views
        theme = theme_for(self.model.session.high_contrast)
        if views is None:
            views = self.page_sets[shown] = self.make_pages(self.model.pack, self.ahead.take(shown))
        if self.attached != shown:
            for view in views.values():
                view.sync(self.model.session)  # (ticks may have changed while another language showed)
        for view in views.values():
            self.style_view(view)
        self.attached = shown
        self.apply_icons(theme)
        return views

    def reduced_motion(self) -> bool:
        """Stage pictures stay still: the clinic's ``motion`` setting, or the patient's switch."""
        return motion_reduced(self.model.session, self.settings.motion == "reduced")

    def forget_session(self) -> None:
        """Every page of every topic and language shows the fresh session: no ticks, list or QR code, at the top."""
        for view in self.all_views():
            view.scroll_area.verticalScrollBar().setValue(0)
            view.sync(self.model.session)
        for welcome in self.welcomes.values():
            welcome.scroll_area.verticalScrollBar().setValue(0)

    def all_views(self) -> list[PageView]:
        """The pages of every language built so far, in the window or not."""
        return [view for views in self.page_sets.values() for view in views.values()]

    def make_pages(self, pack: ContentPack, made: dict[str, PageView]) -> dict[str, PageView]:
        """Every page of ``pack``: those already ``made`` (ahead), the rest built now."""
        return {page.id: made.get(page.id) or self.make_one(pack, page) for page in pack.pages}

    def make_one(self, pack: ContentPack, page: Page) -> PageView:
        """A page, wired by the controller and put in the window, hidden."""
        theme = theme_for(self.model.session.high_contrast)
        view = make_view(PageContext(pack, page, self.model.session, theme, can_print=bool(self.settings.printer),
                                     settings=self.settings))
        self.view_made.emit(view)
        view.setStyleSheet(self.sheet)
        self.window.pages.addWidget(view)
        return view

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
            self.style_view(view)  # (the width is part of its looks: other languages' pages follow when shown)
        self.window.toolbar.arrange(self.window.width())

    def leave_walkthrough(self) -> None:
        """Every page's flick stopped and the walkthrough hidden, before a reset changes it for
        the next patient (``show_welcome`` follows): each button shown in a frame on show lays
        the window out again (another topic's or language's five section buttons: five times)."""
        for view in self.all_views():
            view.scroll_area.stop_scrolling()
        focus, walkthrough = QApplication.focusWidget(), self.window.walkthrough
        if focus is not None and walkthrough.isAncestorOf(focus):
            focus.clearFocus()  # (hidden with the focus in it, Qt would pass it on to the toolbar)
        walkthrough.setVisible(False)

    def show_welcome(self) -> None:
        self.next_page.cancel()
        w = self.window
        w.show_welcome()
        w.toolbar.show_languages(self.welcome is None or not self.welcome.language_buttons)
        if self.welcome is not None:
            self.welcome.start.setFocus(Qt.FocusReason.OtherFocusReason)
        self.build_ahead()

    def build_ahead(self) -> None:
        """Pages still to build are made once the welcome screen has painted (nobody is reading one)."""
        if self.welcome is not None:
            self.ahead.after_paint(self.welcome)

    def show_page(self, page_id: str, first: bool) -> PageView:
        """Put the session's page ``page_id`` on the screen, as the session has it: scrolled
        where the patient left it, the progress bar and footer at its place, focus on Next
        (unless the patient is moving through the frame's own buttons)."""
        w, model = self.window, self.model
        index = model.pack.page_index(page_id)
        views = self.views
        view = views[page_id]
        back = model.session.check_return  # came from the check's "Show me the page" (cleared back at the check)
        view.show_check_return(model.pack.text("check_back") if back else "", back or "")
        view.shown(model.session)
        view.scroll_area.verticalScrollBar().setValue(model.scroll_of(page_id))
        w.pages.setCurrentWidget(view)
        w.progress.show_position(model.pack, index)
        w.footer.show_position(model.pack, index)
        next_icon = icon(self.next_icon(), theme_for(model.session.high_contrast).on_primary, self.icon_size())
        if w.footer.next.icon().cacheKey() != next_icon.cacheKey():  # (set again, it lays the footer out again)
            w.footer.next.setIcon(next_icon)
        w.show_walkthrough()
        w.toolbar.show_languages(True)
        w.set_tab_order(view.focus_chain())
        pages = model.pack.pages
        self.next_page.after_paint(view, views.get(pages[index + 1].id) if index + 1 < len(pages) else None)
        focus = QApplication.focusWidget()
        frame = (w.progress, w.footer, w.toolbar)
        if first or focus is None or not any(part.isAncestorOf(focus) for part in frame):
            start = view.focus_first()  # (on the way to or from the check: its own button, whole on the screen)
            if start is not None:
                view.bring_into_view(start)
            (start or w.footer.next).setFocus(Qt.FocusReason.OtherFocusReason)
        return view
