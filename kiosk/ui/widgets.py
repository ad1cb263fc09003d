"""Small building blocks shared by the pages: scrolling, rich text, buttons. (Illustrations
are in illustration.py, the input guard in input_guard.py.)"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QSize, Qt, Signal, Slot
from PySide6.QtGui import (
    QKeyEvent,
    QMouseEvent,
    QPalette,
)
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QScroller,
    QScrollerProperties,
    QSizePolicy,
    QWidget,
)


def discard(widget: QWidget) -> None:
    """Remove a widget from the screen now and delete it when the event loop next runs
    (deleteLater alone leaves it painted until then)."""
    widget.hide()
    widget.deleteLater()


def empty_layout(layout: QLayout) -> None:
    """Take every item out of ``layout`` (the widgets stay where they are parented).
    Qt leaves a taken item to the caller to delete; PySide does not, so it is done here
    (each forgotten spacer leaked ~0.5 KiB a toolbar update)."""
    while layout.count():
        item = layout.takeAt(0)
        if item is not None:
            shiboken6.delete(item)


def set_role(widget: QWidget, role: str) -> None:
    widget.setProperty("role", role)


def set_state(widget: QWidget, state: str) -> None:
    """Change a style-sheet state property and re-apply the style."""
    if widget.property("state") != state:
        widget.setProperty("state", state)
        widget.style().unpolish(widget)
        widget.style().polish(widget)


class KioskButton(QPushButton):
    """A push button whose accessible name always equals its label; Enter presses it too."""

    def __init__(self, text: str, object_name: str, role: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._label = ""
        self.setText(text)
        self.setObjectName(object_name)
        if role:
            set_role(self, role)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAutoDefault(False)
        self._releasing = False
        self.released.connect(self._draw_released)  # (a slot of its own: no Python receiver per button)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        """Qt draws a pressed button at once, alone, and sends it to the screen before the
        press is over; here it is drawn in the event loop's next paint, as soon as the
        press has been handled (nothing in the kiosk acts on a press). When the release
        already waits behind the press, that paint is the screen the click opens."""
        drawn_later = self.updatesEnabled()
        if drawn_later:
            self.setUpdatesEnabled(False)
        try:
            super().mousePressEvent(event)
        finally:
            if drawn_later:
                self.setUpdatesEnabled(True)  # (Qt asks for the button to be drawn, in the next paint)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        """Qt also draws a released button at once, before it says the button was clicked;
        a click that turns the page then draws the screen again. The release is drawn in
        that next paint with everything else: its updates are off while Qt would draw it,
        and back on (``released``) before any ``clicked`` handler runs."""
        self._releasing = self.isDown() and self.updatesEnabled()
        if self._releasing:
            self.setUpdatesEnabled(False)
        try:
            super().mouseReleaseEvent(event)
        finally:
            self._draw_released()  # (a release that was no click: no ``released``)

    @Slot()
    def _draw_released(self) -> None:
        if self._releasing:
            self._releasing = False
            self.setUpdatesEnabled(True)  # (and Qt asks for the button to be drawn, in the next paint)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt naming)
        # Shown as written: Qt takes "&" as a mark for the next letter's Alt shortcut and
        # hides it ("Q&A" showed "QA"); "&&" is its way of writing one "&".
        self._label = text
        super().setText(text.replace("&", "&&"))
        self.setAccessibleName(text)

    def text(self) -> str:
        """The label as written (Qt holds it with each "&" doubled)."""
        return self._label

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        # Keypads send Enter as often as Space; Qt buttons only take Space by default.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat():
            self.click()
            return
        super().keyPressEvent(event)



class SteadyButton(KioskButton):
    """A button whose label changes among a few (``keep_room_for``: Pause, Play, Play again)
    and whose width does not: as wide as its widest label, so neither it nor what is beside
    it moves when it is pressed."""

    def __init__(self, text: str, object_name: str, role: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, object_name, role, parent)
        self._labels: tuple[str, ...] = ()

    def keep_room_for(self, labels: list[str]) -> None:
        self._labels = tuple(labels)
        self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()
        if not self._labels:
            return hint
        metrics = self.fontMetrics()
        shown = metrics.horizontalAdvance(super().text())
        widest = max(metrics.horizontalAdvance(label.replace("&", "&&")) for label in self._labels)
        return QSize(hint.width() + max(0, widest - shown), hint.height())


class LaidOutButton(KioskButton):
    """A button whose contents are child widgets in its own layout (wrapping words, a picture,
    a mark): as big as that layout needs at the width it gets. A push button otherwise keeps
    to its one-line text's size, and wrapped lines were squeezed together."""

    def __init__(self, object_name: str, role: str, horizontal: QSizePolicy.Policy = QSizePolicy.Policy.Expanding,
                 parent: QWidget | None = None) -> None:
        super().__init__("", object_name, role, parent)
        policy = QSizePolicy(horizontal, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        layout = self.layout()
        return layout.heightForWidth(width) if layout is not None else super().heightForWidth(width)

    def sizeHint(self) -> QSize:  # noqa: N802
        layout = self.layout()
        return layout.sizeHint() if layout is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        layout = self.layout()
        return layout.minimumSize() if layout is not None else super().minimumSizeHint()


class KineticScrollArea(QScrollArea):
    """A scroll area that scrolls with a finger flick and with the arrow keys."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # A viewport of our own, made as Qt makes its own. Qt's is made in C++: the first time
        # Python is handed one (viewport() below), PySide looks for its type among every
        # QWidget class and makes them all (~30 ms of the first start, before the first paint).
        viewport = QWidget()
        viewport.setObjectName("qt_scrollarea_viewport")
        viewport.setBackgroundRole(QPalette.ColorRole.Base)
        viewport.setAutoFillBackground(True)
        self.setViewport(viewport)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        scroller = QScroller.scroller(self.viewport())
        props = scroller.scrollerProperties()
        props.setScrollMetric(QScrollerProperties.ScrollMetric.OvershootDragResistanceFactor, 0.3)
        props.setScrollMetric(QScrollerProperties.ScrollMetric.OvershootScrollDistanceFactor, 0.1)
        props.setScrollMetric(QScrollerProperties.ScrollMetric.MousePressEventDelay, 0.15)
        scroller.setScrollerProperties(props)

    def scroll_by_page(self, direction: int) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + direction * max(bar.pageStep() * 3 // 4, 40))

    def stop_scrolling(self) -> None:
        QScroller.scroller(self.viewport()).stop()


class ScrollBody(QWidget):
    """What a KineticScrollArea scrolls. Its height is what its words need at the width
    it has (height-for-width), not the height they would need squeezed to their narrowest:
    Qt's scroll area takes the larger of the two, which scrolled an empty margin into
    view (a scroll bar with nothing to scroll)."""

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(0, 0)


class PlainLabel(QLabel):
    """A label whose text is shown exactly as written, never as rich text. (A plain QLabel
    guesses: a pack.toml title of ``<img src=... width=50000>`` was drawn as a picture
    50,000 pixels wide, and ``<a href>`` as a link.) :class:`RichText` is the one label
    for HTML, and only ever holds page text sanitised at load."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text)



class SteadyLabel(PlainLabel):
    """A word-wrapped label that is as tall as the tallest of the texts it will show
    (``keep_room_for``), so what is under or beside it stays put as its text changes: a
    moving picture's caption changes with each beat, and its button must not move under a
    finger."""

    _texts: tuple[str, ...] = ()
    _heights: dict[int, int] | None = None  # height by width, for the texts

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)

    def keep_room_for(self, texts: list[str]) -> None:
        self._texts = tuple(texts)
        self._heights = {}
        self.updateGeometry()

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        if not self._texts or self._heights is None:
            return super().heightForWidth(width)
        tallest = self._heights.get(width)
        if tallest is None:
            # As QLabel lays out plain text: its font's metrics, wrapped at the width inside
            # its margins. (Measured here once per width: a layout asks many times a page turn.)
            margins = self.contentsMargins()
            extra = 2 * max(0, self.margin())
            inner = max(1, width - margins.left() - margins.right() - extra)
            metrics = self.fontMetrics()
            flags = int(self.alignment()) | int(Qt.TextFlag.TextWordWrap)
            tallest = max(metrics.boundingRect(0, 0, inner, 100_000, flags, text).height()
                          for text in {*self._texts, self.text()})
            tallest += margins.top() + margins.bottom() + extra
            self._heights[width] = tallest
        return tallest

    def setText(self, text: str) -> None:  # noqa: N802
        if self._heights and text not in self._texts:
            self._heights.clear()  # (a text it was not told of: measured with the rest)
        super().setText(text)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if self._heights and event.type() in _LAYOUT_CHANGES:
            self._heights.clear()
        super().changeEvent(event)


_LAYOUT_CHANGES = {QEvent.Type.FontChange, QEvent.Type.StyleChange, QEvent.Type.ContentsRectChange,
                   QEvent.Type.LayoutDirectionChange, QEvent.Type.PaletteChange}


class RichText(QLabel):
    """Word-wrapped rich text without selection; in-app links emit ``page_link``."""

    page_link = Signal(str)

    def __init__(self, html: str = "", css: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setOpenExternalLinks(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.linkActivated.connect(self._on_link)
        if html:
            self.set_html(html, css)

    def set_html(self, html: str, css: str = "") -> None:
        self.setText(f"<style>{css}</style>{html}" if css else html)

    # Heights for widths, kept until the text, font or style changes. QLabel lays its whole
    # text out again for every width a layout asks about, and again at its own width to
    # paint: with a page's layout asking at two or three widths each time the page is shown,
    # that was a tenth of a page turn.
    _hfw: dict[int, int] | None = None

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        cache = self._hfw
        if cache is None:
            cache = self._hfw = {}
        height = cache.get(width)
        if height is None:
            height = cache[width] = super().heightForWidth(width)
        return height

    def setText(self, text: str) -> None:  # noqa: N802
        self._hfw = None
        super().setText(text)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() in _LAYOUT_CHANGES:
            self._hfw = None
        super().changeEvent(event)

    def _on_link(self, href: str) -> None:
        # Only fragments ("#risks") ever survive sanitising; anything else is ignored.
        if href.startswith("#") and len(href) > 1:
            self.page_link.emit(href[1:])
