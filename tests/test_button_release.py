"""A pressed or released button is drawn in the event loop's next paint (with the screen its
click opens), not on its own at once."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt

from kiosk.ui.widgets import KioskButton


class Paints(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def test_next_is_drawn_pressed_as_soon_as_the_press_is_handled_and_released_with_the_next_page(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c, w = kiosk.controller, kiosk.window
    c.model.start()
    c.show(c.pack.pages[1].id)
    button = w.footer.next
    qtbot.waitUntil(lambda: not button.isDown() and button.updatesEnabled(), timeout=2000)
    paints = Paints()
    button.installEventFilter(paints)
    in_handler: list[bool] = []
    button.clicked.connect(lambda: in_handler.append(button.updatesEnabled()))
    qtbot.mousePress(button, Qt.MouseButton.LeftButton)
    assert paints.count == 0 and button.isDown() and button.updatesEnabled()
    qtbot.waitUntil(lambda: paints.count == 1, timeout=2000)  # the touch is seen: drawn pressed
    paints.count = 0
    qtbot.mouseRelease(button, Qt.MouseButton.LeftButton)
    assert paints.count == 0, "the released button was drawn alone, before the page it opens"
    assert c.session.page_id == c.pack.pages[2].id
    # Updates were back on before anything acted on the click (a handler may open a dialog).
    assert in_handler == [True] and button.updatesEnabled() and not button.isDown()
    qtbot.waitUntil(lambda: paints.count >= 1, timeout=2000)  # drawn released, with the new page


def test_a_release_off_the_button_is_no_click_and_draws_it_released(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c, w = kiosk.controller, kiosk.window
    c.model.start()
    button = w.footer.next
    page = c.session.page_id
    paints = Paints()
    button.installEventFilter(paints)
    qtbot.mousePress(button, Qt.MouseButton.LeftButton)
    qtbot.mouseRelease(button, Qt.MouseButton.LeftButton, pos=QPoint(-40, -40))
    assert c.session.page_id == page and not button.isDown() and button.updatesEnabled()
    paints.count = 0
    qtbot.waitUntil(lambda: paints.count >= 1, timeout=2000)


def test_every_button_of_the_kiosk_draws_its_release_this_way(kiosk) -> None:  # type: ignore[no-untyped-def]
    """Footer, sections, topic cards, answers, checklist rows: all are KioskButtons."""
    from PySide6.QtWidgets import QAbstractButton, QApplication

    buttons = [b for b in QApplication.allWidgets() if isinstance(b, QAbstractButton) and b.window() is kiosk.window]
    assert buttons and all(isinstance(b, KioskButton) for b in buttons), {type(b).__name__ for b in buttons if not isinstance(b, KioskButton)}
