"""The pain diary on the screen (issue 15): the practice scale on the after-care page, by
touch and by keypad, spoken, forgotten at reset; and "Print my pain diary" only where a
printer is set."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from kiosk.core.diary import Diary, build_diary
from kiosk.core.handout import Handout
from kiosk.ui.app import build_kiosk
from kiosk.ui.first_frame import is_fresh
from kiosk.ui.pages.diary_page import DiaryPage
from kiosk.ui.pages.summary import SummaryPage
from kiosk.ui.printing import print_to_pdf
from kiosk.ui.speech import Speaker
from kiosk.ui.theme import MIN_TARGET_PX
from tests.fake_speech import FakeService
from tests.touch import Finger


def diary_page(kiosk) -> DiaryPage:  # type: ignore[no-untyped-def]
    """The after-care page (in the 1280x800 window: the offscreen screen is 800 px square, so
    a finger reaches the numbers on its left, the keypad all of them)."""
    c = kiosk.controller
    c.model.start()
    c.show("after")
    view = c.views["after"]
    assert isinstance(view, DiaryPage)
    return view


def tap(qtbot, kiosk, widget: QWidget) -> None:  # type: ignore[no-untyped-def]
    """A finger's tap, where a patient would have swiped the page to (with the margin the
    kiosk keeps around a focused control, so the page does not move under the finger)."""
    view = kiosk.controller.current_view()
    view.scroll_area.ensureWidgetVisible(widget, 0, 40)
    qtbot.waitUntil(lambda: not widget.visibleRegion().isEmpty(), timeout=2000)
    Finger(qtbot, kiosk.window).tap(widget)


def picked(view: DiaryPage) -> list[int]:
    return [b.score for b in view.practice.buttons if b.isChecked()]


@pytest.fixture
def active(qtbot, kiosk):  # type: ignore[no-untyped-def]
    kiosk.window.activateWindow()
    qtbot.waitUntil(kiosk.window.isActiveWindow, timeout=3000)
    return kiosk


def test_eleven_large_targets_with_words_at_0_5_and_10(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    view = diary_page(kiosk)
    scale = view.practice
    assert [b.text() for b in scale.buttons] == [str(n) for n in range(11)]
    for button in scale.buttons:
        assert button.isVisible() and button.accessibleName() == button.text()
        assert button.width() >= MIN_TARGET_PX and button.height() >= MIN_TARGET_PX, button.size()
    assert [w.text() for w in scale.words] == ["No pain", "Medium pain", "Worst pain you can imagine"]
    # Each word sits under its number: "No pain" starts under 0, "Worst..." ends under 10.
    left = scale.buttons[0].mapTo(scale, scale.buttons[0].rect().topLeft()).x()
    right = scale.buttons[10].mapTo(scale, scale.buttons[10].rect().topRight()).x()
    assert abs(scale.words[0].mapTo(scale, scale.words[0].rect().topLeft()).x() - left) <= 10
    assert abs(scale.words[2].mapTo(scale, scale.words[2].rect().topRight()).x() - right) <= 10
    # The sample diary row waits for a number.
    assert scale.sample_score.text() == "__" and picked(view) == []


def test_a_tap_picks_a_score_and_shows_the_diary_row(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    view = diary_page(kiosk)
    c = kiosk.controller
    tap(qtbot, kiosk, view.practice.buttons[1])
    qtbot.waitUntil(lambda: c.session.practice_score == 1, timeout=2000)
    assert picked(view) == [1] and view.practice.sample_score.text() == "1"
    assert view.practice.sample_values[0].text() == "15 minutes"  # the schedule's first row
    tap(qtbot, kiosk, view.practice.buttons[0])
    qtbot.waitUntil(lambda: c.session.practice_score == 0, timeout=2000)
    assert picked(view) == [0] and view.practice.sample_score.text() == "0"
    # Tapping the picked number again keeps it picked (a scale, not an on/off switch).
    tap(qtbot, kiosk, view.practice.buttons[0])
    assert picked(view) == [0] and c.session.practice_score == 0


def test_the_keypad_picks_a_score(qtbot, active) -> None:  # type: ignore[no-untyped-def]
    view = diary_page(active)
    c = active.controller
    buttons = view.practice.buttons
    buttons[0].setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is buttons[0], timeout=2000)
    for _ in range(4):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)
    assert QApplication.focusWidget() is buttons[4]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Left)
    assert QApplication.focusWidget() is buttons[3]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert c.session.practice_score == 3 and picked(view) == [3]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)  # the keypad's down arrow moves on, as everywhere
    assert QApplication.focusWidget() is buttons[4]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert c.session.practice_score == 4
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_8)  # a digit picks its number at once
    assert c.session.practice_score == 8 and picked(view) == [8]
    # Tab reaches every number, in order, from the page's other controls.
    chain = view.focus_chain()
    assert [chain.index(b) for b in buttons] == sorted(chain.index(b) for b in buttons)


@pytest.fixture
def spoken(qtbot, settings, library) -> Iterator:  # type: ignore[no-untyped-def, type-arg]
    service = FakeService()
    built = build_kiosk(settings, library, size=(1280, 800), speaker=Speaker(factory=service))
    qtbot.addWidget(built.window)
    with qtbot.waitExposed(built.window):
        built.window.show()
    qtbot.waitUntil(lambda: bool(service.engines) and built.controller.speaker.available, timeout=3000)
    built.service = service
    yield built
    built.window.allow_close()


def test_read_aloud_says_the_picked_score(qtbot, spoken) -> None:  # type: ignore[no-untyped-def]
    view = diary_page(spoken)
    c = spoken.controller
    tap(qtbot, spoken, view.practice.buttons[1])
    qtbot.waitUntil(lambda: any(text == "You picked 1." for text, _ in spoken.service.current.spoken), timeout=2000)
    view.practice.buttons[10].setFocus()
    qtbot.keyClick(view.practice.buttons[10], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: spoken.service.current.spoken[-1][0] == "You picked 10. Worst pain you can imagine.",
                    timeout=2000)
    # Read aloud says the scale with the page, where it stands in the text, and the number picked.
    text = c.reader.speech_text()
    assert "How bad is your usual pain right now?" in text and "10: Worst pain you can imagine." in text
    assert text.index("Here is the plan") < text.index("Try it now") < text.index("What you may feel")
    c.model.set_language("es")
    es = c.views["after"]
    assert isinstance(es, DiaryPage) and [b.score for b in es.practice.buttons if b.isChecked()] == [10]
    tap(qtbot, spoken, es.practice.buttons[0])
    qtbot.waitUntil(lambda: spoken.service.current.spoken[-1] == ("Usted eligió 0. Nada de dolor.", "es_MX"), timeout=2000)


def test_nothing_of_the_practice_scale_survives_a_reset(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    view = diary_page(kiosk)
    c = kiosk.controller
    tap(qtbot, kiosk, view.practice.buttons[1])
    qtbot.waitUntil(lambda: c.session.practice_score == 1, timeout=2000)
    c.model.set_language("es")
    assert c.session.practice_score == 1
    with qtbot.waitSignal(c.session_reset, timeout=3000):
        c.reset_session()
    assert c.session.practice_score is None and is_fresh(c)
    for page in c.screens.all_views():  # every language's after-care page, shown or not
        if isinstance(page, DiaryPage):
            assert [b.score for b in page.practice.buttons if b.isChecked()] == [] and page.practice.sample_score.text() == "__"
    assert kiosk.controller.reader.speech_text().find("You picked") < 0


@pytest.fixture
def printing(make_kiosk, settings, tmp_path: Path):  # type: ignore[no-untyped-def]
    """(a kiosk with a printer configured, the PDFs it printed): "printing" writes a PDF, on
    the print thread."""
    written: list[Path] = []

    def fake_printer(printout: Handout | Diary, name: str) -> None:
        path = tmp_path / f"job{len(written)}.pdf"
        print_to_pdf(printout, path)
        written.append(path)

    return make_kiosk(settings=replace(settings, printer="Front desk"), printer=fake_printer), written


def text_of(path: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(str(path)).pages]


def test_no_printer_no_diary_button(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    view = diary_page(kiosk)
    assert not view.print_diary_button.isVisible()
    kiosk.controller.show("summary")
    summary = kiosk.controller.views["summary"]
    assert isinstance(summary, SummaryPage) and not summary.print_diary_button.isVisible()


def test_print_my_pain_diary_from_the_after_care_page_and_the_summary(qtbot, printing) -> None:  # type: ignore[no-untyped-def]
    kiosk, jobs = printing
    c = kiosk.controller
    view = diary_page(kiosk)
    tap(qtbot, kiosk, view.practice.buttons[0])
    qtbot.keyClick(view.practice.buttons[0], Qt.Key.Key_7)  # (a finger reaches only the left of the scale here)
    assert c.session.practice_score == 7 and picked(view) == [7]
    assert view.print_diary_button.isVisible() and view.print_diary_button.text() == "Print my pain diary"
    tap(qtbot, kiosk, view.print_diary_button)
    qtbot.waitUntil(lambda: len(jobs) == 1 and view.status.isVisible(), timeout=5000)
    pages = text_of(jobs[0])
    assert len(pages) == 1 and "My pain diary" in pages[0] and "45 minutes" in pages[0]
    # The practice score is never printed: the page is the one any patient gets, word for word.
    blank = jobs[0].with_name("blank.pdf")
    print_to_pdf(build_diary(c.pack, c.take_home.settings), blank)
    assert pages == text_of(blank)
    # On the summary, with no question ticked: the diary prints, the questions cannot.
    c.show("summary")
    summary = c.views["summary"]
    assert isinstance(summary, SummaryPage)
    assert summary.print_diary_button.isVisible() and not summary.print_button.isEnabled()
    tap(qtbot, kiosk, summary.print_diary_button)
    qtbot.waitUntil(lambda: len(jobs) == 2 and summary.status.isVisible(), timeout=5000)
    assert summary.print_diary_button.text() == "Print my pain diary"
    # "Print my questions" prints the diary with them, as its second page.
    c.show("questions")
    c.model.toggle(c.pack.questions[0].id)
    c.show("summary")
    tap(qtbot, kiosk, summary.print_button)
    qtbot.waitUntil(lambda: len(jobs) == 3, timeout=5000)
    pages = text_of(jobs[2])
    assert len(pages) == 2 and "My pain diary" in pages[1]


@pytest.mark.parametrize("language", ["en", "es"])
def test_with_a_printer_nothing_is_clipped_at_200_percent(qtbot, printing, language: str) -> None:  # type: ignore[no-untyped-def]
    kiosk, jobs = printing
    """The print buttons beside the others would cut their words off on a small panel at
    200 %: they go one under another there."""
    c, w = kiosk.controller, kiosk.window
    c.model.set_language(language)
    c.model.set_text_scale(2.0)
    for page_id in ("after", "summary"):
        c.show(page_id)
        QApplication.processEvents()
        view = c.views[page_id]
        buttons = [b for b in view.findChildren(QAbstractButton) if b.isVisibleTo(w)]
        assert any(b.objectName() == "print-diary" for b in buttons), page_id
        for button in buttons:
            assert button.width() >= button.sizeHint().width(), (page_id, button.text(), button.width(), button.sizeHint())
            assert button.geometry().right() <= view.body.width(), (page_id, button.text())


@pytest.mark.parametrize("text_scale", [1.0, 1.5, 2.0])
@pytest.mark.parametrize("size", [(1920, 1080), (1280, 800)], ids=["1920x1080", "1280x800"])
def test_every_number_is_a_large_target_at_every_size(qtbot, settings, library, size: tuple[int, int],
                                                      text_scale: float) -> None:  # type: ignore[no-untyped-def]
    """Issue 15: eleven targets, each at least 48 px and 8 px apart, with the words at 0, 5
    and 10 whole under them, in both languages, at every window size and text size
    (1280x800 at 200 % is the tightest)."""
    built = build_kiosk(settings, library, size=size)
    qtbot.addWidget(built.window)
    with qtbot.waitExposed(built.window):
        built.window.show()
    try:
        c = built.controller
        c.model.set_text_scale(text_scale)
        for language in ("en", "es"):
            c.model.set_language(language)
            view = diary_page(built)
            QApplication.processEvents()
            scale = view.practice
            assert scale.width() <= view.body.width()
            boxes = [b.geometry() for b in scale.buttons]
            for button, box in zip(scale.buttons, boxes, strict=True):
                assert button.isVisibleTo(built.window), (language, button.text())
                assert box.width() >= MIN_TARGET_PX and box.height() >= MIN_TARGET_PX, (language, button.text(), box)
                assert button.width() >= button.sizeHint().width(), (language, button.text())  # its number not cut off
                inside = button.mapTo(scale, button.rect().topRight()).x()
                assert inside <= scale.width(), (language, button.text())
            for one, other in zip(boxes, boxes[1:], strict=False):
                if one.top() == other.top():  # side by side (a second row starts again at the left)
                    assert other.left() - one.right() - 1 >= 8, (language, one, other)
            for word in scale.words:
                assert word.isVisibleTo(built.window) and word.text()
                assert word.height() >= word.heightForWidth(word.width()), (language, word.text())  # no line cut off
    finally:
        built.window.allow_close()


def test_the_screen_and_the_paper_follow_the_same_schedule(qtbot, make_kiosk, settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The after-care page's plan, the practice scale's sample row and the printed diary
    come from one config: at start, and after a synced config changes the schedule."""
    from kiosk.core.kiosk_content import load_kiosk_content
    from kiosk.core.resources import content_dir
    from kiosk.ui.updates import serve

    written: list[Path] = []

    def fake_printer(printout: Handout | Diary, name: str) -> None:
        path = tmp_path / f"job{len(written)}.pdf"
        print_to_pdf(printout, path)
        written.append(path)

    def check(kiosk, plan: list[str], rows: list[str], gone: list[str]) -> None:  # type: ignore[no-untyped-def]
        view = diary_page(kiosk)
        blocks = view.page.blocks
        start = blocks.index("Your diary has a row for each time. Here is the plan:") + 1
        assert list(blocks[start: start + len(plan)]) == plan
        assert view.practice.sample_values[0].text() == rows[0]
        view.print_diary_button.click()
        # The file is written on the print thread; wait for the job's outcome too, or the next
        # click lands while the job is still in flight (and is rightly not printed twice).
        qtbot.waitUntil(lambda: len(written) == jobs + 1 and not kiosk.controller.take_home.jobs.busy, timeout=5000)
        text = text_of(written[-1])[0]
        positions = [text.index(row) for row in rows]
        assert positions == sorted(positions), text
        assert not any(row in text for row in gone), text

    first = replace(settings, printer="Front desk", diary_schedule=("0:30", "1:00", "2:00", "4:00"), diary_daily_days=0)
    kiosk = make_kiosk(settings=first, library=load_kiosk_content(first, content_dir()), printer=fake_printer)
    jobs = 0
    check(kiosk, ["Until 1 hour after the block, rate your pain every 30 minutes.",
                  "Then rate it again 2 hours after the block.", "Then rate it again 4 hours after the block."],
          ["30 minutes", "1 hour", "2 hours", "4 hours"], ["15 minutes", "45 minutes", "8 hours", "Day 1"])
    second = replace(first, diary_schedule=("0:20", "0:40", "1:00", "1:20"), diary_daily_days=3)
    serve(kiosk.controller, load_kiosk_content(second, content_dir()), second)
    jobs = 1
    check(kiosk, ["Until 80 minutes after the block, rate your pain every 20 minutes.", "Then rate it once a day for 3 days."],
          ["20 minutes", "40 minutes", "1 hour", "80 minutes", "Day 3"], ["30 minutes", "2 hours", "4 hours", "Day 4"])
