"""The out-of-order screen: shown instead of the kiosk when the content cannot be loaded.

Patients see a calm note and no error text. It is locked like the kiosk window (no close,
no un-fullscreen), and staff reach a panel the same way: hold the top-left corner for 3
seconds, type the PIN; the panel says what is broken and can exit to the desktop.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from kiosk.core.pin import PinGuard
from kiosk.core.settings import Settings
from kiosk.ui.corner import CornerHold
from kiosk.ui.input_guard import InputGuard
from kiosk.ui.locked import LockedWindow
from kiosk.ui.staff import OutOfOrderPanel, no_pin_message, unlock
from kiosk.ui.theme import FONT_FAMILY
from kiosk.ui.widgets import PlainLabel

log = logging.getLogger(__name__)

NOTICE = ("This screen is not working right now.\nPlease ask at the front desk.\n\n"
          "Esta pantalla no funciona ahora.\nPor favor, pregunte en la recepción.")


class OutOfOrder(LockedWindow):
    """A calm note for patients; the staff corner and PIN for staff."""

    def __init__(self, settings: Settings | None = None, problem: str = "", pin_guard: PinGuard | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings or Settings()
        self.problem = problem
        self.pin_guard = pin_guard
        self.staff_idle_ms = min(self.staff_idle_ms, self.settings.idle_seconds * 1000)
        self.setObjectName("OutOfOrder")
        self.setWindowTitle("Out of order")
        self.setStyleSheet(f'QWidget#OutOfOrder {{ background: #FBF7F0; }} QLabel#OutOfOrderNote {{ font-family: "{FONT_FAMILY}"; '
                           'font-size: 40px; color: #1F2328; }')
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        column = QVBoxLayout(self)
        label = PlainLabel(NOTICE)
        label.setObjectName("OutOfOrderNote")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(label)
        self.corner = CornerHold(self)
        self.corner.triggered.connect(self.open_staff)
        app = QApplication.instance()
        guard = InputGuard.of(app)
        if guard is not None:
            guard.listen(self.corner)
        elif app is not None:
            app.installEventFilter(self.corner)

    def open_staff(self) -> None:
        """The corner was held: PIN, then the out-of-order staff panel."""
        if not unlock(self, self.pin_guard, no_pin_message(self.settings)):
            return
        if OutOfOrderPanel.ask(self, self.problem, self.settings.problems) == "exit":
            log.info("staff exit to desktop from the out-of-order screen")
            self.allow_close()
            self.close()
            QApplication.quit()
