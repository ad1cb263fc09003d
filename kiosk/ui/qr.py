"""A QR code of the patient's questions, drawn with segno: plain text, no web address."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

# A phone camera at about 40 cm reads modules of 1 mm or more without trouble; we aim
# for a code about 9 cm wide on a typical panel, so it is an easy target to frame.
MIN_MODULE_MM = 1.0
TARGET_SIDE_PX = 360
QUIET_ZONE = 4  # modules of white border the QR standard asks for


class QrCode(QWidget):
    """Draws one QR code, black on white whatever the theme (phones need that contrast)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.matrix: list[list[bool]] = []
        self.text = ""
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_text(self, text: str) -> None:
        self.text = text
        if text:
            import segno  # imported on first use: it adds ~70 ms to start-up otherwise

            code = segno.make(text, error="m", micro=False, boost_error=False)
            self.matrix = [[bool(v) for v in row] for row in code.matrix]
        else:
            self.matrix = []
        self.setFixedSize(self.sizeHint())
        self.update()

    def module_px(self) -> int:
        """Pixels per module so that one module is at least MIN_MODULE_MM on this screen."""
        screen = self.screen()
        dpi = screen.physicalDotsPerInch() if screen is not None else 96.0
        if not 50 <= dpi <= 600:  # virtual screens report nonsense; assume a typical panel
            dpi = 96.0
        side_modules = len(self.matrix) + 2 * QUIET_ZONE if self.matrix else 1
        return max(4, math.ceil(MIN_MODULE_MM * dpi / 25.4), TARGET_SIDE_PX // side_modules)

    def sizeHint(self) -> QSize:  # noqa: N802
        if not self.matrix:
            return QSize(0, 0)
        side = (len(self.matrix) + 2 * QUIET_ZONE) * self.module_px()
        return QSize(side, side)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        if not self.matrix:
            return
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#FFFFFF"))
        m = self.module_px()
        black = QColor("#000000")
        for y, row in enumerate(self.matrix):
            for x, dark in enumerate(row):
                if dark:
                    painter.fillRect(QRectF((x + QUIET_ZONE) * m, (y + QUIET_ZONE) * m, m, m), black)
        painter.end()
