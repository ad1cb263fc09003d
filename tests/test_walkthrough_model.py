"""The walkthrough model on its own: every patient action and what it announces, no Qt."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kiosk.core.content import ContentLibrary
from kiosk.core.events import Event
from kiosk.core.session import Session
from kiosk.core.walkthrough import Walkthrough


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def model(library: ContentLibrary) -> Walkthrough:
    return Walkthrough(library, clock=Clock())


def recorder(event: Event) -> list[tuple]:  # type: ignore[type-arg]
    seen: list[tuple] = []
    event.connect(lambda *args: seen.append(args))
    return seen


def test_an_event_calls_each_callback_in_order_and_forgets_one_on_request() -> None:
    event: Event[[int]] = Event()
    calls: list[str] = []

    def first(n: int) -> None:
        calls.append(f"first {n}")

    event.connect(first)
    event.connect(lambda n: calls.append(f"second {n}"))
    event.emit(1)
    event.disconnect(first)
    event.emit(2)
    assert calls == ["first 1", "second 1", "second 2"]


def test_start_next_back_walk_the_pages_and_announce_each_move(model: Walkthrough) -> None:
    moves = recorder(model.page_changed)
    pages = [p.id for p in model.pack.pages]
    model.next()  # from the welcome screen: the first page
    model.next()
    model.back()
    model.back()  # from the first page: the welcome screen
    model.back()  # on the welcome screen: nowhere to go
    assert moves == [(None, pages[0]), (pages[0], pages[1]), (pages[1], pages[0]), (pages[0], None)]
    assert model.page_id is None and model.session.furthest_page == 1


def test_a_jump_to_an_unknown_page_does_nothing(model: Walkthrough) -> None:
    moves = recorder(model.page_changed)
    assert not model.go("no-such-page")
    assert moves == [] and model.page_id is None


def test_a_section_jump_lands_on_its_first_page(model: Walkthrough) -> None:
    section = model.pack.sections[-1]
    model.jump_to_section(section.id)
    assert model.page_id == model.pack.first_page_of(section.id).id


def test_next_on_the_last_page_ends_the_session(model: Walkthrough) -> None:
    clock = model.clock
    assert isinstance(clock, Clock)
    finished = recorder(model.finished)
    moves = recorder(model.page_changed)
    last = model.pack.pages[-1].id
    model.go(last)
    model.toggle(model.pack.questions[0].id)
    clock.now += 30
    model.next()
    assert len(finished) == 1
    (old,) = finished[0]
    assert old.ticked == [model.pack.questions[0].id] and old.page_seconds == {model.page_key(last): 30}
    assert moves[-1] == (last, None)
    assert model.session == Session(language=model.library.default_language) and model.is_fresh()


def test_toggling_a_question_announces_it_and_an_unknown_one_is_refused(model: Walkthrough) -> None:
    toggles = recorder(model.question_toggled)
    question = model.pack.questions[2].id
    assert model.toggle(question) is True
    assert model.toggle(question) is False
    assert toggles == [(question, True), (question, False)]
    with pytest.raises(KeyError):
        model.toggle("no-such-question")
    assert toggles == [(question, True), (question, False)]


def test_looks_change_only_when_something_changes(model: Walkthrough) -> None:
    looks = recorder(model.looks_changed)
    model.set_language(model.library.default_language)  # already
    model.set_language("xx")  # not offered
    assert looks == []
    other = next(code for code in model.library.languages if code != model.library.default_language)
    model.set_language(other)
    model.cycle_text_size()
    model.set_high_contrast(True)
    model.set_high_contrast(True)
    assert len(looks) == 3
    assert (model.session.language, model.session.text_scale, model.session.high_contrast) == (other, 1.5, True)
    assert model.pack.language == other


def test_reset_forgets_everything_and_restores_the_default_looks(model: Walkthrough) -> None:
    looks = recorder(model.looks_changed)
    other = next(code for code in model.library.languages if code != model.library.default_language)
    model.set_language(other)
    model.start()
    model.toggle(model.pack.questions[0].id)
    model.toggle_qr()
    model.remember_scroll(model.pack.pages[0].id, 400)
    model.reset()
    assert model.is_fresh() and model.scroll_of(model.pack.pages[0].id) == 0
    assert len(looks) == 2  # the language, then back to the default at reset


def test_the_model_runs_without_qt() -> None:
    code = ("import sys, kiosk.core.walkthrough, kiosk.core.events; "
            "assert not [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))], 'Qt was imported'")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_a_subscriber_that_goes_away_is_dropped_not_kept_alive() -> None:
    import gc
    import weakref

    class View:
        def __init__(self) -> None:
            self.seen: list[int] = []

        def on(self, n: int) -> None:
            self.seen.append(n)

    event: Event[[int]] = Event()
    view = View()
    event.connect(view.on)
    event.emit(1)
    assert view.seen == [1] and len(event) == 1
    gone = weakref.ref(view)
    del view
    gc.collect()
    assert gone() is None  # the event did not keep it
    event.emit(2)  # and calling it does not fail
    assert len(event) == 0


def test_the_practice_score_is_the_sessions_until_reset(model: Walkthrough) -> None:
    """The pain diary's practice scale: announced, kept in the session only, gone at reset."""
    seen = recorder(model.practice_rated)
    model.start()
    model.rate_practice(7)
    model.rate_practice(0)
    assert seen == [(7,), (0,)] and model.session.practice_score == 0
    assert not model.is_fresh()
    with pytest.raises(ValueError):
        model.rate_practice(11)
    finished = recorder(model.finished)
    model.reset()
    assert finished[0][0].practice_score == 0  # (the ended session, which statistics read: they take no score)
    assert model.session.practice_score is None and model.is_fresh()
