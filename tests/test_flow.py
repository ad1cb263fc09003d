"""Click the real buttons through the whole walkthrough, as a patient would."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton

from kiosk.core.session import Session
from kiosk.ui.pages.checklist import ChecklistPage
from kiosk.ui.pages.summary import SummaryPage
from tests.ui_helpers import tap

EXPECTED_ORDER = ["what-it-is", "benefits", "preparation", "imaging", "injection", "monitoring", "after", "risks", "check", "questions",
                  "summary"]


def click(qtbot, button: QAbstractButton) -> None:  # type: ignore[no-untyped-def]
    tap(qtbot, button)


def current(kiosk) -> str:  # type: ignore[no-untyped-def]
    return kiosk.controller.session.page_id or ""


def test_walk_tick_summary_and_done(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    w, c = kiosk.window, kiosk.controller
    assert w.on_welcome()
    click(qtbot, c.welcome.start)
    seen = [current(kiosk)]
    while current(kiosk) != "summary":
        click(qtbot, w.footer.next)
        seen.append(current(kiosk))
    assert seen == EXPECTED_ORDER

    # Stage pages say "Step N of 4" and show their picture.
    for n, page_id in enumerate(["preparation", "imaging", "injection", "monitoring"], start=1):
        view = c.views[page_id]
        assert view.step_label is not None and view.step_label.text() == c.pack.text("step_of", n=n, total=4)
        assert view.picture is not None

    # Tick two questions on the checklist.
    c.show("questions")
    checklist = c.views["questions"]
    assert isinstance(checklist, ChecklistPage)
    chosen = [c.pack.questions[1], c.pack.questions[5]]
    for q in chosen:
        click(qtbot, checklist.buttons[q.id])
        qtbot.waitUntil(lambda q=q: checklist.buttons[q.id].isChecked(), timeout=2000)
    assert c.session.ticked == [q.id for q in chosen]
    # Untick and re-tick one: still exactly those two.
    click(qtbot, checklist.buttons[chosen[0].id])
    qtbot.waitUntil(lambda: not checklist.buttons[chosen[0].id].isChecked(), timeout=2000)
    click(qtbot, checklist.buttons[chosen[0].id])
    qtbot.waitUntil(checklist.buttons[chosen[0].id].isChecked, timeout=2000)

    click(qtbot, w.footer.next)
    assert current(kiosk) == "summary"
    summary = c.views["summary"]
    assert isinstance(summary, SummaryPage)
    assert sorted(summary.ticked_texts()) == sorted(q.text for q in chosen)
    assert summary.count.text() == c.pack.text("summary_count", n=2)

    # Back goes to the checklist with the ticks still there.
    click(qtbot, w.footer.back)
    assert current(kiosk) == "questions"
    assert all(checklist.buttons[q.id].isChecked() for q in chosen)

    # Jump with the progress bar.
    click(qtbot, w.progress.buttons["steps"])
    assert current(kiosk) == "preparation"
    assert w.progress.buttons["steps"].property("state") == "current"
    assert w.progress.buttons["about"].property("state") == "done"
    click(qtbot, w.progress.buttons["risks"])
    assert current(kiosk) == "risks"
    click(qtbot, w.progress.buttons["about"])
    assert current(kiosk) == "what-it-is"

    # "I'm done" on the summary: welcome screen, nothing ticked.
    click(qtbot, w.progress.buttons["questions"])
    c.show("summary")
    assert w.footer.next.text() == c.pack.text("done")
    click(qtbot, w.footer.next)
    assert w.on_welcome()
    assert c.session == Session(language=c.library.default_language)
    checklist = c.views["questions"]
    assert isinstance(checklist, ChecklistPage)
    assert not any(b.isChecked() for b in checklist.buttons.values())
    click(qtbot, c.welcome.start)
    c.show("summary")
    summary = c.views["summary"]
    assert isinstance(summary, SummaryPage)
    assert summary.ticked_texts() == []


def test_back_from_first_page_returns_to_welcome(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    click(qtbot, kiosk.controller.welcome.start)
    click(qtbot, kiosk.window.footer.back)
    assert kiosk.window.on_welcome()


def test_touch_anywhere_on_welcome_starts(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    welcome = kiosk.controller.welcome
    # A plain line of text, not a button: with one topic, the welcome screen's; with several,
    # the first card's one line (the whole card is the button).
    words = next(iter(welcome.cards.values())).summary if welcome.cards else welcome.body
    qtbot.mouseClick(words, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: current(kiosk) == "what-it-is", timeout=2000)


def test_in_page_link_navigates(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    c.show("what-it-is")
    c.views["what-it-is"].text.linkActivated.emit("#risks")
    assert current(kiosk) == "risks"
    c.views["risks"].text.linkActivated.emit("https://example.org")
    assert current(kiosk) == "risks"


def test_home_returns_to_welcome(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    click(qtbot, kiosk.controller.welcome.start)
    click(qtbot, kiosk.window.footer.home)
    assert kiosk.window.on_welcome()


def test_window_refuses_to_close(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    assert kiosk.window.close() is False
    assert kiosk.window.isVisible()
    for key in (Qt.Key.Key_Escape, Qt.Key.Key_F11, Qt.Key.Key_F4):
        qtbot.keyClick(kiosk.window, key, Qt.KeyboardModifier.AltModifier if key == Qt.Key.Key_F4 else Qt.KeyboardModifier.NoModifier)
    for letter in (Qt.Key.Key_W, Qt.Key.Key_Q, Qt.Key.Key_N, Qt.Key.Key_P, Qt.Key.Key_S, Qt.Key.Key_O):
        qtbot.keyClick(kiosk.window, letter, Qt.KeyboardModifier.ControlModifier)
    assert kiosk.window.isVisible()
    kiosk.window.allow_close()
    assert kiosk.window.close() is True


def test_a_summary_is_made_again_only_when_what_it_shows_changes(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    """Every reset syncs every topic's and language's summary: one already showing the
    fresh session is left as it is; one that showed the patient's ticks is emptied."""
    c = kiosk.controller
    qtbot.waitUntil(lambda: not c.screens.getting_ready, timeout=30000)  # every topic and language made
    c.model.start()
    summary = c.views["summary"]
    assert isinstance(summary, SummaryPage)
    question = c.pack.questions[0]
    c.model.toggle(question.id)
    summary.sync(c.session)
    labels = list(summary.item_labels)
    assert [label.property("question_id") for label in labels] == [question.id]
    count = summary.count.text()
    summary.sync(c.session)  # the same: nothing made again
    assert summary.item_labels == labels and summary.count.text() == count
    c.model.toggle_qr()
    summary.sync(c.session)  # the QR code asked for: shown
    assert summary.qr.isVisibleTo(summary) and summary.item_labels != labels
    c.reset_session()
    assert summary.item_labels == [] and summary.count.text() == c.pack.text("summary_empty")
    assert not summary.qr.isVisibleTo(summary)
    others = [v for v in c.screens.all_views() if isinstance(v, SummaryPage)]
    assert len(others) >= 4 and all(v.item_labels == [] for v in others)
