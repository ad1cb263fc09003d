"""Touching widgets as a patient would: only what is on screen can be tapped."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from kiosk.ui.widgets import KineticScrollArea


def tap(qtbot, widget: QWidget) -> None:  # type: ignore[no-untyped-def]
    """Scroll ``widget`` into view (as a patient would by flicking), then click it."""
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, KineticScrollArea):
        parent = parent.parentWidget()
    if isinstance(parent, KineticScrollArea):
        parent.ensureWidgetVisible(widget, 0, 0)
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
