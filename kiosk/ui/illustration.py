"""Illustrations: an SVG drawn crisply at any size, and the small cache of drawn pictures
that the still and the moving pictures share."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QHideEvent, QImage, QPainter, QPixmap, QResizeEvent
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget

# Drawn illustrations, most recently used last: (file, width, height, pixel ratio) -> pixels.
# Enough for every picture of the walkthrough at one window size (about 1.4 MB each at 1080p).
PICTURE_CACHE_SIZE = 10
_PICTURES: OrderedDict[tuple[str, int, int, float], QPixmap] = OrderedDict()
_SKETCHING: list[bool] = []  # non-empty: pages are being drawn ahead, without their pictures


@contextmanager
def without_pictures() -> Iterator[None]:
    """Pictures paint nothing meanwhile: a page drawn ahead, off screen, lays out its words
    and warms the glyph caches, but draws no picture it would then keep hidden (the shared
    cache holds only the few most recent, and a moving picture's frame is 1-3 MB)."""
    _SKETCHING.append(True)
    try:
        yield
    finally:
        _SKETCHING.pop()


def sketching() -> bool:
    return bool(_SKETCHING)


_ASPECTS: dict[str, float] = {}  # file -> width over height of its drawing


def svg_aspect(path: str) -> float:
    """Width over height of the SVG's drawing (read once per file)."""
    aspect = _ASPECTS.get(path)
    if aspect is None:
        size = QSvgRenderer(path).defaultSize()
        aspect = _ASPECTS[path] = size.width() / size.height() if size.height() > 0 else 4 / 3
    return aspect


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
        self._max_height = max_height
        self._fit_height = fit_height
        self._cache = QPixmap()
        self._cache_key: tuple[str, int, int, float] | None = None
        self.setAccessibleName(accessible_text)
        # No parsed SVG is kept: it is parsed again (~1 ms) only to draw pixels that are not
        # in the shared cache. Each picture of each language's pages kept its own parsed tree,
        # with the outlines Qt made from it for drawing: ~4.6 MB in all after a walk.
        self._aspect = svg_aspect(self._path)
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
        if h < 100 or sketching():  # a sliver of a picture helps nobody
            return
        ratio = self.devicePixelRatioF()
        key = (self._path, w, h, ratio)
        if self._cache_key != key:
            self._cache = shared_picture(key, lambda: self._draw(w, h, ratio))
            self._cache_key = key
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._cache)
        painter.end()

    def draw_ahead(self) -> bool:
        """Off screen, at the size it was laid out at: have its pixels in the shared cache
        (drawn if they are not, a few milliseconds), kept there as the most recently used,
        and nothing held by this widget itself. True if it drew them."""
        w, h, ratio = self.width(), self.height(), self.devicePixelRatioF()
        if h < 100 or self.isVisible():
            return False
        key = (self._path, w, h, ratio)
        drawn = key not in _PICTURES
        shared_picture(key, lambda: self._draw(w, h, ratio))
        return drawn

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
        QSvgRenderer(self._path).render(painter, QRectF((w - draw_w) / 2, (h - draw_h) / 2, draw_w, draw_h))
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
