"""What every page in the walkthrough has: a title row and a flick-scrolling body."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QAbstractButton, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from kiosk.core.content import ContentPack, Page
from kiosk.core.session import Session
from kiosk.ui.theme import Theme, rich_text_css
from kiosk.ui.widgets import KineticScrollArea, KioskButton, PlainLabel, RichText, ScrollBody, set_role


class PageView(QWidget):
    """Base for walkthrough pages: the interface every kind of page shares.

    Signals ask for a change (the controller passes them to the walkthrough model):
    ``navigate(page_id)``, ``toggle_requested(question_id)``, ``print_requested()``,
    ``qr_requested()``, ``diary_print_requested()``, ``practice_rated(score)``,
    ``check_requested(action, item_id, answer)``. Hooks say
    what changed (each a no-op here; a kind overrides what it shows): ``shown``, ``sync``,
    ``question_toggled``, ``qr_changed``, ``set_printing``, ``set_diary_printing``,
    ``practice_changed``, ``show_status``, ``narrate``, ``show_moment``, ``prepare``; plus ``restyle``, ``apply_layout``, ``speech_parts``, ``focus_chain``,
    ``icon_buttons`` and the ``scroll_area`` whose position the model keeps."""

    navigate = Signal(str)
    toggle_requested = Signal(str)
    print_requested = Signal()
    qr_requested = Signal()
    diary_print_requested = Signal()  # "Print my pain diary"
    practice_rated = Signal(int)  # a score picked on the pain diary's practice scale
    check_requested = Signal(str, str, int)  # the check of understanding: (action, item id, answer); Walkthrough.check

    def __init__(self, pack: ContentPack, page: Page, theme: Theme, scale: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pack = pack
        self.theme = theme
        self.scale = scale
        self.page = page
        self._rich: list[tuple[RichText, str]] = []
        self.setObjectName(f"page-{page.id}")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 0, 24, 0)
        outer.setSpacing(0)
        # The scroll area and what stays beside it (a page may keep its picture there).
        self.frame_row = QHBoxLayout()
        self.frame_row.setSpacing(32)
        outer.addLayout(self.frame_row, 1)
        self.scroll_area = KineticScrollArea()
        self.body = ScrollBody()
        self.body.setObjectName("PageBody")
        self.scroll_area.setWidget(self.body)
        self.frame_row.addWidget(self.scroll_area, 3)
        # The body's column: the heading scrolls with the text, so no line is ever cut
        # in half under a fixed title, and a small panel with large text keeps its room.
        self.column = QVBoxLayout(self.body)
        self.column.setContentsMargins(0, 18, 16, 0)  # no bottom margin: it alone could call up a scroll bar
        self.column.setSpacing(14)
        heading = QVBoxLayout()
        heading.setSpacing(2)
        if page.kind == "stage" and page.step is not None:
            self.step_label: QLabel | None = PlainLabel(pack.text("step_of", n=page.step, total=pack.stage_count))
            self.step_label.setObjectName("step-label")
            set_role(self.step_label, "step")
            heading.addWidget(self.step_label)
        else:
            self.step_label = None
        self.title = PlainLabel(page.title)
        self.title.setObjectName("page-title")
        self.title.setWordWrap(True)
        set_role(self.title, "page-title")
        heading.addWidget(self.title)
        self.column.addLayout(heading)
        self.check_return: KioskButton | None = None  # "Back to the check", made when first needed

    def show_check_return(self, label: str, target: str) -> None:
        """Above the title, "Back to the check" (to ``target``, "topic/page id") while the patient
        came here from the check's "Show me the page"; ``label`` "" hides it."""
        if self.check_return is None:
            if not label:
                return
            self.check_return = KioskButton(label, "check-return", "primary")
            self.check_return.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            self.check_return.clicked.connect(lambda: self.navigate.emit(str(self.check_return.property("target"))))
            self.column.insertWidget(0, self.check_return)
        self.check_return.setText(label or self.check_return.text())
        self.check_return.setProperty("target", target)
        self.check_return.setVisible(bool(label))

    def focus_first(self) -> QWidget | None:
        """Where a keypad starts when the page is turned to (None: the footer's Next): "Back to
        the check" while the patient came here from the check."""
        if self.check_return is not None and self.check_return.isVisibleTo(self):
            return self.check_return
        return None

    def bring_into_view(self, widget: QWidget) -> None:
        """Scroll so that all of ``widget`` is on the screen, once the page is laid out as it is
        now drawn (a turn to the page changes what it shows, and so where ``widget`` is)."""
        QTimer.singleShot(0, self, lambda: self.scroll_area.ensureWidgetVisible(widget, 0, 16))

    def rich_text(self, html: str, object_name: str = "page-text") -> RichText:
        label = RichText(html, rich_text_css(self.theme, self.scale))
        label.setObjectName(object_name)
        self._rich.append((label, html))
        label.page_link.connect(self.navigate)
        return label

    def restyle(self, theme: Theme, scale: float) -> None:
        """Take a new theme and text size in place. The window's style sheet restyles
        the widgets; what is drawn or carries its own CSS is done here."""
        if (theme, scale) == (self.theme, self.scale):
            return
        self.theme, self.scale = theme, scale
        css = rich_text_css(theme, scale)
        for label, html in self._rich:
            label.set_html(html, css)

    def sync(self, session: Session) -> None:
        """Show what ``session`` holds (ticks, the patient's list); pages without state ignore it."""

    def shown(self, session: Session) -> None:
        """The patient is turning to this page."""

    def prepare(self, ready: bool = True) -> None:
        """The patient may turn to this page next: get ready off screen, so the turn is quick
        (``ready=False``: not any more; let go of what was made ready). Here: its still
        pictures drawn into the shared picture cache, unless they are there (a walk through
        a topic pushes the first pages' pictures out of it; drawing one in the turn was
        ~3 ms of it). The cache keeps the few most recent, so nothing is let go of."""
        if ready:
            self.draw_pictures_ahead()

    def draw_pictures_ahead(self) -> bool:
        """Off screen: the page's still pictures (not moving ones: a frame is 1-3 MB) drawn
        into the shared picture cache at the size laid out. True if one was drawn."""
        if self.isVisible():
            return False
        from kiosk.ui.illustration import Illustration
        from kiosk.ui.motion_picture import MotionIllustration

        drawn = [picture.draw_ahead() for picture in self.findChildren(Illustration)
                 if not isinstance(picture, MotionIllustration)]
        return any(drawn)

    def question_toggled(self, question_id: str, ticked: bool) -> None:
        """A question was ticked or unticked (on this page or another)."""

    def qr_changed(self, session: Session) -> None:
        """The QR code of the ticked questions was asked for or put away."""

    def set_printing(self, busy: bool) -> None:
        """A print job of this session started (True) or ended (False)."""

    def set_diary_printing(self, busy: bool) -> None:
        """A print job of the pain diary alone started (True) or ended (False)."""

    def practice_changed(self, score: int | None) -> None:
        """A score was picked on the practice scale (on this page or in another language's)."""

    def show_status(self, text: str) -> None:
        """The outcome of the last print job, in words."""

    def narrate(self, say: Callable[[str], None], busy: Callable[[], bool]) -> bool:
        """Read the page aloud in step with something that moves on it (its words given to
        ``say`` as it goes); False when nothing moves here and the page is read as a whole."""
        return False

    def stop_narration(self) -> None:
        """Read aloud was stopped: stop following the page."""

    @property
    def narrating(self) -> bool:
        """Read aloud is following something that moves on this page."""
        return False

    def set_reduced_motion(self, reduced: bool) -> None:
        """Still pictures (True) or moving ones: the clinic's setting or the patient's switch."""

    def show_moment(self, seconds: float | None) -> None:
        """Hold what moves at ``seconds`` in (None: its end), for screenshots."""

    def icon_buttons(self) -> list[tuple[QAbstractButton, str, bool]]:
        """This page's buttons that carry an icon: (button, icon name, on the primary colour)."""
        return []

    def focus_chain(self) -> list[QWidget]:
        """This page's controls in reading order, for Tab and the keypad."""
        return [b for b in self.findChildren(QAbstractButton) if b.focusPolicy() != Qt.FocusPolicy.NoFocus]

    def speech_parts(self) -> list[str]:
        """What "Read aloud" says on this page, in reading order."""
        parts = []
        if self.check_return is not None and self.check_return.isVisibleTo(self):
            parts.append(self.check_return.text())
        if self.step_label is not None:
            parts.append(self.step_label.text())
        parts.append(self.page.title)
        if self.page.illustration is not None:
            parts.append(f"{self.pack.text('picture')}: {self.page.illustration.alt} {self.page.illustration.caption}")
        parts.extend(self.page.blocks)
        return parts

    def apply_layout(self, width: int, scale: float) -> None:
        """Re-arrange for a window width and text scale (pages with pictures override)."""
