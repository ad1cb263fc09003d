"""Idle reset, "I'm still here", reset means gone, nothing on disk, attract drift."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from kiosk.core.paths import data_dir
from kiosk.core.session import Session
from kiosk.ui.pages.check_page import CheckPage
from kiosk.ui.pages.checklist import ChecklistPage
from kiosk.ui.pages.diary_page import DiaryPage
from tests.ui_helpers import tap


@pytest.fixture
def fast_idle(kiosk):  # type: ignore[no-untyped-def]
    """Timers shrunk: idle after 100 ms, a 3-tick countdown of 30 ms a tick."""
    idle = kiosk.controller.idle
    idle.idle_timer.setInterval(100)
    idle.tick_timer.setInterval(30)
    idle.warning_seconds = 3
    return kiosk


def use_everything(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    """A patient who touched every control there is."""
    c = kiosk.controller
    qtbot.mouseClick(c.welcome.start, Qt.MouseButton.LeftButton)
    c.show("questions")
    checklist = c.views["questions"]
    assert isinstance(checklist, ChecklistPage)
    for q in c.pack.questions[:3]:
        tap(qtbot, checklist.buttons[q.id])
    qtbot.waitUntil(lambda: len(c.session.ticked) == 3, timeout=2000)
    qtbot.mouseClick(kiosk.window.toolbar.text_size, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(kiosk.window.toolbar.contrast, Qt.MouseButton.LeftButton)
    if kiosk.window.toolbar.volume.isVisible():
        qtbot.mouseClick(kiosk.window.toolbar.volume, Qt.MouseButton.LeftButton)
    c.show("risks")
    c.views["risks"].scroll_area.verticalScrollBar().setValue(200)
    c.show("after")
    practice = c.views["after"].practice  # the pain diary's practice scale, by keypad
    practice.buttons[7].setFocus()
    qtbot.keyClick(practice.buttons[7], Qt.Key.Key_Return)
    assert c.session.practice_score == 7
    c.show("check")  # the check of understanding: a missed item, its page, and back
    check = c.views["check"]
    assert isinstance(check, CheckPage)
    item = c.pack.checks[0]
    miss = next(i for i in range(len(item.answers)) if i != item.right)
    check.answer_buttons[miss].click()
    assert item.question_id in c.session.ticked
    check.show_page.click()
    assert c.session.check_return is not None
    if kiosk.window.toolbar.read.isVisible():
        qtbot.mouseClick(kiosk.window.toolbar.read, Qt.MouseButton.LeftButton)


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_warning_then_reset_at_zero(qtbot, fast_idle) -> None:  # type: ignore[no-untyped-def]
    c = fast_idle.controller
    use_everything(qtbot, fast_idle)
    with qtbot.waitSignal(c.idle.warning_started, timeout=3000):
        pass
    assert c.overlay.isVisible()
    assert c.overlay.button.text() == c.pack.text("still_here")
    with qtbot.waitSignal(c.session_reset, timeout=3000):
        pass
    assert fast_idle.window.on_welcome()
    assert not c.overlay.isVisible()
    assert c.session == Session(language=c.library.default_language)


def test_still_here_continues_ten_times(qtbot, fast_idle) -> None:  # type: ignore[no-untyped-def]
    c = fast_idle.controller
    qtbot.mouseClick(c.welcome.start, Qt.MouseButton.LeftButton)
    c.show("imaging")
    c.views["questions"]  # looking it up builds the page
    c.session.toggle(c.pack.questions[0].id)
    resets: list[bool] = []
    c.session_reset.connect(lambda: resets.append(True))
    for _ in range(10):
        with qtbot.waitSignal(c.idle.warning_started, timeout=3000):
            pass
        assert c.overlay.isVisible()
        qtbot.mouseClick(c.overlay.button, Qt.MouseButton.LeftButton)
        assert not c.overlay.isVisible()
        assert c.session.page_id == "imaging"
    assert resets == []
    assert c.session.ticked == [c.pack.questions[0].id]


def test_welcome_says_the_kiosk_clears_itself(kiosk) -> None:  # type: ignore[no-untyped-def]
    pack = kiosk.controller.pack
    assert "{minutes}" in pack.ui["idle_note"]
    # 90 s idle + 20 s warning, rounded up to whole minutes
    assert kiosk.controller.welcome.idle_note.text() == pack.text("idle_note", minutes=2)


def test_full_session_then_reset_equals_fresh_field_by_field(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    use_everything(qtbot, kiosk)
    assert c.session != Session(language=c.library.default_language)
    c.reset_session()
    fresh = Session(language=c.library.default_language)
    for name in fresh.__dataclass_fields__:
        assert getattr(c.session, name) == getattr(fresh, name), name
    # And what is on screen matches: no ticks, default text size and theme, top of pages.
    checklist = c.views["questions"]
    assert isinstance(checklist, ChecklistPage)
    assert not any(b.isChecked() for b in checklist.buttons.values())
    assert checklist.added == {}  # no "Please go over" row from the check
    check = c.views["check"]
    assert isinstance(check, CheckPage) and check.item() is c.pack.checks[0] and not check.feedback.isVisibleTo(check)
    after = c.views["after"]
    assert isinstance(after, DiaryPage)
    assert not any(b.isChecked() for b in after.practice.buttons) and after.practice.sample_score.text() == "__"
    assert kiosk.window.toolbar.text_size.text().endswith("100%")
    assert not kiosk.window.toolbar.contrast.isChecked()
    assert all(v.scroll_area.verticalScrollBar().value() == 0 for v in c.views.values())
    assert not c.speaker.speaking and c.speaker.history == []
    assert not c.overlay.isVisible()
    assert kiosk.window.on_welcome()
    c.show(c.pack.checks[0].page)  # the page the check had opened: no way back to a check of the last patient
    explained = c.current_view()
    assert explained is not None and explained.check_return is not None and not explained.check_return.isVisible()


def test_no_patient_choice_reaches_disk(qtbot, make_kiosk, settings) -> None:  # type: ignore[no-untyped-def]
    folder = data_dir()
    kiosk = make_kiosk(settings=replace(settings, statistics=False))  # the data folder must not change at all
    c = kiosk.controller
    before = snapshot(folder)
    use_everything(qtbot, kiosk)
    c.reset_session()
    after = snapshot(folder)
    changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    assert changed <= {"kiosk.log"}, changed  # only the log (when logging is set up)
    for name in changed:
        text = (folder / name).read_text(encoding="utf-8")
        for q in c.pack.questions:
            assert q.text not in text and q.id not in text


def test_statistics_hold_only_counters(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    assert c.usage.store is not None
    use_everything(qtbot, kiosk)
    ticked_ids = list(c.session.ticked)
    c.reset_session()
    qtbot.waitUntil(lambda: not c.usage.jobs.busy)  # the write runs on the statistics thread
    from kiosk.core.stats import MIN_GROUP_SIZE, SessionRecord

    for _ in range(MIN_GROUP_SIZE - 1):  # a day's rows beyond its session count need this many sessions
        c.usage.store.record(SessionRecord("en", None))
    csv_text = c.usage.store.export_csv()
    rows = [line.split(",") for line in csv_text.splitlines()[1:]]
    assert {r[1] for r in rows} <= {"sessions", "language", "furthest_page", "page_seconds", "page_views", "question_ticked",
                                    "check_shown", "check_right_first", "check_skipped"}
    # The checklist's ticks as topic/id; what the check added is counted by the check's own counters.
    assert {r[2] for r in rows if r[1] == "question_ticked"} == {f"{c.pack.topic}/{q}" for q in ticked_ids if ":" not in q}
    item = c.pack.checks[0]
    assert {(r[1], r[2]) for r in rows if r[1].startswith("check_")} == {("check_shown", f"{c.pack.topic}/{item.id}")}
    for q in c.pack.questions:
        assert q.text not in csv_text
    for text in (item.question, *item.answers, item.go_over):
        assert text not in csv_text  # never which answer
    assert all(len(r[0]) == 10 for r in rows)  # a date, nothing finer


def test_attract_screen_drifts_slowly(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    welcome = kiosk.controller.welcome
    assert welcome.drift_timer.isActive()
    assert welcome.drift_timer.interval() >= 1000  # a step every few seconds: next to no CPU
    welcome.drift_timer.setInterval(20)
    start = welcome.drift_offset()
    qtbot.waitUntil(lambda: welcome.drift_offset() != start, timeout=2000)
    qtbot.mouseClick(welcome.start, Qt.MouseButton.LeftButton)
    assert not welcome.drift_timer.isActive()


def test_idle_is_off_on_a_fresh_welcome_screen(kiosk) -> None:  # type: ignore[no-untyped-def]
    assert not kiosk.controller.idle.enabled
