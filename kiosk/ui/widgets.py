"""Small building blocks shared by the pages: scrolling, rich text, illustrations, buttons."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QHideEvent,
    QImage,
    QInputEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPixmap,
    QResizeEvent,
    QTouchEvent,
    QWindow,
)
from PySide6.QtSvg import QSvgRenderer
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


# Drawn illustrations, most recently used last: (file, width, height, pixel ratio) -> pixels.
# Enough for every picture of the walkthrough at one window size (about 1.4 MB each at 1080p).
PICTURE_CACHE_SIZE = 10
_PICTURES: OrderedDict[tuple[str, int, int, float], QPixmap] = OrderedDict()


def shared_picture(key: tuple[str, int, int, float], draw: Callable[[], QPixmap]) -> QPixmap:
    """The pixels kept for ``key`` (drawn by ``draw`` if none are), now the most recently used."""
    pixmap = _PICTURES.pop(key, None)
    if pixmap is None:
        pixmap = draw()
    _PICTURES[key] = pixmap
    while len(_PICTURES) > PICTURE_CACHE_SIZE:
        _PICTURES.popitem(last=False)
    return pixmap


class Illustration(QWidget):
    """An SVG drawn crisply at any size, keeping its aspect ratio."""

    def __init__(self, path: Path, accessible_text: str, max_height: int = 420, fit_height: bool = False,
                 parent: QWidget | None = None) -> None:
        """``fit_height``: take whatever height the layout leaves (up to ``max_height``),
        down to none, instead of the height the width asks for."""
        super().__init__(parent)
        self._path = str(path)
        self._renderer = QSvgRenderer(self._path, self)
        self._max_height = max_height
        self._fit_height = fit_height
        self._cache = QPixmap()
        self._cache_key: tuple[str, int, int, float] | None = None
        self.setAccessibleName(accessible_text)
        size = self._renderer.defaultSize()
        self._aspect = size.width() / size.height() if size.height() else 4 / 3
        vertical = QSizePolicy.Policy.Ignored if fit_height else QSizePolicy.Policy.Preferred
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, vertical)
        policy.setHeightForWidth(not fit_height)
        self.setSizePolicy(policy)
        if fit_height:
            self.setMaximumHeight(max_height)

    @property
    def aspect(self) -> float:
        """Width over height of the drawing."""
        return self._aspect

    def set_max_height(self, value: int) -> None:
        self._max_height = value
        if self._fit_height:
            self.setMaximumHeight(value)
        self.updateGeometry()

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return not self._fit_height

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return min(self._max_height, round(width / self._aspect))

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(round(self._max_height * self._aspect), self._max_height)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(160, 0 if self._fit_height else 120)

    def paintEvent(self, event: QEvent) -> None:  # noqa: N802
        # Drawing the SVG takes milliseconds; do it once per size and reuse the pixels,
        # so a page turn costs a blit (the drawing stays crisp: it is redone on resize).
        # The pixels are shared by every Illustration of the same file and size (each
        # language's pages show the same pictures), and the few most recent are kept.
        w, h = self.width(), self.height()
        if h < 100:  # a sliver of a picture helps nobody
            return
        ratio = self.devicePixelRatioF()
        key = (self._path, w, h, ratio)
        if self._cache_key != key:
            self._cache = shared_picture(key, lambda: self._draw(w, h, ratio))
            self._cache_key = key
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._cache)
        painter.end()

    def _draw(self, w: int, h: int, ratio: float) -> QPixmap:
        image = QImage(round(w * ratio), round(h * ratio), QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(ratio)
        image.fill(Qt.GlobalColor.transparent)
        if w / self._aspect > h:
            draw_w, draw_h = h * self._aspect, float(h)
        else:
            draw_w, draw_h = float(w), w / self._aspect
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._renderer.render(painter, QRectF((w - draw_w) / 2, (h - draw_h) / 2, draw_w, draw_h))
        painter.end()
        return QPixmap.fromImage(image)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.update()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        # Off screen, hold no pixels of our own; the shared cache keeps the recent ones.
        self._cache = QPixmap()
        self._cache_key = None
        super().hideEvent(event)


# Far outside any widget: a release here lets go of whatever was pressed without clicking it.
_NOWHERE = QPointF(-16777215.0, -16777215.0)
_GUARD_PROPERTY = "kiosk_input_guard"
_SYNTHESIZED_MOUSE = {QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseMove}


class InputGuard(QObject):
    """Application-wide: no context menu ever, and a touch of more than one finger (a
    pinch, a palm, a hand leaning on the glass) does nothing.

    Qt makes mouse events from the first finger of a touch, whatever other fingers do, so
    a palm whose first point lands on a question would tick it and a pinch would scroll.
    Once a second finger is down, the rest of that touch's mouse events are dropped, and
    its lift becomes a release far away from everything: the control under the first
    finger is let go without being clicked, and any scrolling it began is stopped."""

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self.several_fingers = False
        self._listeners: dict[int, QObject] = {}
        self.armed = False
        app.setProperty(_GUARD_PROPERTY, self)

    def arm(self) -> None:
        """Start filtering (once). ``application()`` arms at once unless told to wait: the
        kiosk arms after its first paint, because Qt hands a Python application filter
        every object an event goes to, and the first few of Qt's own private classes
        (a scroll area's scroll-bar container, ...) cost PySide ~50 ms of type set-up
        before anything is on the screen (measured: the first QScrollArea took 0.2 ms
        with no Python filter, 60 ms with one). No one touches a screen not yet drawn."""
        if not self.armed:
            parent = self.parent()
            if parent is not None:
                parent.installEventFilter(self)
                self.armed = True

    def listen(self, listener: QObject) -> None:
        """``listener.eventFilter(watched, event)`` sees every input event (and only
        those), before any widget and before this guard drops any, until the listener is
        destroyed. One application filter for all: each Python filter costs a call on
        every event Qt delivers (paints, layouts, timers...), and a page turn delivers
        about 200 (measured: three filters were 10-20 % of a turn)."""
        key = id(listener)
        self._listeners[key] = listener
        listener.destroyed.connect(lambda: self._listeners.pop(key, None))

    @staticmethod
    def of(app: QCoreApplication | None) -> InputGuard | None:
        """The guard ``application()`` installed on ``app``, if any. (A property, not
        ``findChild``: that wraps every child of the application in Python, Qt's private
        ones too, ~25 ms at start-up.)"""
        guard = app.property(_GUARD_PROPERTY) if app is not None else None
        return guard if isinstance(guard, InputGuard) else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if not isinstance(event, QInputEvent):  # the cheap test first: most events are not input
            return False
        for listener in list(self._listeners.values()):
            if listener.eventFilter(watched, event):
                return True
        kind = event.type()
        if kind == QEvent.Type.ContextMenu:
            return True
        if not isinstance(watched, QWindow):  # each input event is seen first on its window
            return False
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate) and isinstance(event, QTouchEvent):
            if kind == QEvent.Type.TouchBegin:
                self.several_fingers = False
            if len(event.points()) > 1:
                self.several_fingers = True
            return False
        if not self.several_fingers or not isinstance(event, QMouseEvent):
            return False
        if event.source() != Qt.MouseEventSource.MouseEventSynthesizedByQt:
            return False
        if kind in _SYNTHESIZED_MOUSE:
            return True
        if kind == QEvent.Type.MouseButtonRelease:
            self.several_fingers = False
            for scroller in QScroller.activeScrollers():  # first, or the far release would fling
                scroller.stop()
            release = QMouseEvent(QEvent.Type.MouseButtonRelease, _NOWHERE, _NOWHERE, _NOWHERE,
                                  event.button(), Qt.MouseButton.NoButton, event.modifiers())
            QCoreApplication.sendEvent(watched, release)
            return True
        return False
