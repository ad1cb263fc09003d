"""A 1280x800 panel: the toolbar keeps to one row at 100 % in every language, and a stage
page opens with its caption and its Pause / Play button in sight, at 100 % and 200 %."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from kiosk.core.settings import Settings
from kiosk.ui.app import build_kiosk
from kiosk.ui.speech import Speaker
from kiosk.ui.theme import MIN_TARGET_PX
from tests.fake_speech import FakeService
from tests.ui_helpers import tap

LANGUAGES = ("en", "es")


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def on_window(widget: QWidget) -> QRect:
    """``widget``'s rectangle in its window's coordinates."""
    return QRect(widget.mapTo(widget.window(), QPoint(0, 0)), widget.size())


def in_sight(widget: QWidget) -> bool:
    """All of ``widget`` is on show: no parent (a scroll area's viewport, the page, the
    window) cuts any of it off."""
    rect = on_window(widget)
    parent = widget.parentWidget()
    while parent is not None:
        if not on_window(parent).contains(rect):
            return False
        parent = parent.parentWidget()
    return widget.isVisible() and not rect.isEmpty()


@pytest.fixture
def demo_kiosk(qtbot, library):  # type: ignore[no-untyped-def]
    """At 1280x800, with speech (the longest toolbar) and the demo banner (the tallest welcome screen)."""
    built = build_kiosk(Settings(languages=LANGUAGES), library, size=(1280, 800), speaker=Speaker(factory=FakeService()))
    qtbot.addWidget(built.window)
    with qtbot.waitExposed(built.window):
        built.window.show()
    yield built
    built.window.allow_close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_toolbar_is_one_row_at_1280x800_and_100_percent(qtbot, demo_kiosk, language) -> None:  # type: ignore[no-untyped-def]
    c, w = demo_kiosk.controller, demo_kiosk.window
    c.model.set_language(language)
    toolbar = w.toolbar

    def check(screen: str | None) -> None:
        settle()
        shown = toolbar.buttons()
        assert toolbar.read in shown and toolbar.motion in shown
        tops = {on_window(button).top() for button in shown}
        assert len(tops) == 1, (language, screen, [(b.text(), on_window(b).top()) for b in shown])
        for button in shown:
            assert in_sight(button), (language, screen, button.text())
            assert button.width() >= button.sizeHint().width() and button.height() >= MIN_TARGET_PX, button.text()
        if screen is None:  # nothing of the welcome screen lies under the toolbar
            bar = on_window(toolbar)
            for button in c.welcome.findChildren(QAbstractButton):
                if button.isVisible():
                    assert not on_window(button).intersects(bar), (language, button.objectName())

    for screen in (None, "preparation"):
        c.show(screen)
        check(screen)
    # The widest labels: "Stop reading" while the volume is said, and the volume at 100 %.
    c.show("preparation")
    while toolbar.volume.text() != f"{c.pack.text('volume')} 100%":
        tap(qtbot, toolbar.volume)
    assert toolbar.read.text() == c.pack.text("stop_reading")
    check("preparation")
    c.show(None)
    check(None)


def stage_pages(kiosk):  # type: ignore[no-untyped-def]
    """(topic, page id) of every stage page whose picture moves, in every topic."""
    library = kiosk.controller.model.library
    return [(topic, page.id) for topic in library.topics for page in library.pack("en", topic).pages
            if page.kind == "stage" and page.illustration is not None and page.illustration.motion is not None]


@pytest.mark.parametrize(("size", "scale"), [((1280, 800), 1.0), ((1280, 800), 2.0), ((1920, 1080), 2.0)],
                         ids=["1280x800", "1280x800-200pct", "1920x1080-200pct"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_stage_page_opens_with_its_caption_and_button_in_sight(qtbot, demo_kiosk, language, size, scale) -> None:  # type: ignore[no-untyped-def]
    c, w = demo_kiosk.controller, demo_kiosk.window
    w.resize(*size)
    c.model.set_language(language)
    c.model.set_text_scale(scale)
    pages = stage_pages(demo_kiosk)
    assert len(pages) == 8  # four stages in each of the two topics
    for topic, page_id in pages:
        c.show(f"{topic}/{page_id}")
        settle()
        view = c.views[page_id]
        assert view.player.playing and view.caption.text() == view.motion.beats[0].caption
        assert in_sight(view.caption), (topic, page_id, on_window(view.caption), on_window(view.scroll_area.viewport()))
        assert in_sight(view.control), (topic, page_id, on_window(view.control), on_window(view.scroll_area.viewport()))
        assert in_sight(view.step_label) and in_sight(view.title)  # and the page still starts with its heading
        if size != (1280, 800) or scale == 1.0 or (language, topic) == ("en", "thoracic-mbb"):
            # Where there is room (1920x1080, or short captions) the picture is in sight too,
            # beside its words; the longest Spanish captions at 200 % on 1280x800 leave none.
            assert in_sight(view.picture), (topic, page_id, on_window(view.picture))
        # Every beat's caption takes the same room: the button never moves under a finger as the beats go by.
        place = on_window(view.control)
        for beat in range(1, len(view.motion.beats)):
            view.player.seek(sum(b.seconds for b in view.motion.beats[:beat]) + 0.01)
            settle()
            assert view.caption.text() == view.motion.beats[beat].caption
            assert on_window(view.control) == place and in_sight(view.caption), (topic, page_id, beat)


@pytest.mark.parametrize("language", LANGUAGES)
def test_with_less_motion_a_stage_page_opens_with_its_caption_in_sight_at_200_percent(qtbot, demo_kiosk, language) -> None:  # type: ignore[no-untyped-def]
    c = demo_kiosk.controller
    c.model.set_language(language)
    c.model.set_text_scale(2.0)
    c.model.toggle_reduced_motion()
    for topic, page_id in stage_pages(demo_kiosk):
        c.show(f"{topic}/{page_id}")
        settle()
        view = c.views[page_id]
        assert not view.control.isVisible() and view.beat_list.isVisible()
        assert view.caption.text() == view.page.illustration.caption
        assert in_sight(view.caption) and in_sight(view.title), (topic, page_id)
