"""Monochrome SVG icons, recoloured to the current theme."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from kiosk.core.resources import asset


@lru_cache(maxsize=128)
def icon(name: str, colour: str, size: int = 48) -> QIcon:
    """Icon ``assets/icons/<name>.svg`` drawn in ``colour`` (icons are drawn in #000000).

    Kept once drawn: a new QIcon per text-size or contrast change grew the process by
    ~44 KiB each time (Qt caches the pixmaps of every icon it has painted)."""
    svg = asset("icons", f"{name}.svg").read_text(encoding="utf-8").replace("#000000", colour)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    result = QIcon()
    for scale in (1, 2):
        image = QImage(QSize(size * scale, size * scale), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter, QRectF(0, 0, size * scale, size * scale))
        painter.end()
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(scale)
        result.addPixmap(pixmap)
    return result
