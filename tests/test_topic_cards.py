"""More than one procedure: the welcome screen's topic cards, a walk through the second topic,
links between topics, and what a session that crossed topics keeps and counts."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QPoint, Qt

from kiosk.core.content import ContentLibrary, load_library
from kiosk.core.resources import assets_dir
from kiosk.core.session import Session
from kiosk.core.settings import Settings
from kiosk.core.stats import StatsStore
from kiosk.core.walkthrough import Walkthrough
from kiosk.ui.app import Kiosk, build_kiosk
from kiosk.ui.pages.checklist import ChecklistPage
from kiosk.ui.pages.summary import SummaryPage
from kiosk.ui.pages.welcome import TopicCardButton
from kiosk.ui.widgets import KioskButton
from tests.packmaker import SECOND_TOPIC, TOPIC, VALUES, make_pack, make_second_topic

SETTINGS = Settings(clinic_name="Sunrise Pain Clinic", clinic_phone="555-0142", languages=("en", "es"))


@pytest.fixture(scope="module")
def two_topics(tmp_path_factory: pytest.TempPathFactory) -> ContentLibrary:
    root = tmp_path_factory.mktemp("two-topics")
    for language in ("en", "es"):
        make_pack(root, language, picture="spine-facets.svg")
        make_second_topic(root, language, picture="spine-facets.svg")
    return load_library(root / "content", ["en", "es"], VALUES, assets_dir() / "illustrations")


@pytest.fixture
def shown(qtbot, two_topics: ContentLibrary, tmp_path: Path):  # type: ignore[no-untyped-def]
    built = build_kiosk(SETTINGS, two_topics, size=(1280, 800), stats=StatsStore(tmp_path / "stats.sqlite3", two_topics.statistics_ids()))
    qtbot.addWidget(built.window)
    with qtbot.waitExposed(built.window):
        built.window.show()
    yield built
    built.window.allow_close()


def cards(kiosk: Kiosk) -> dict[str, TopicCardButton]:
    welcome = kiosk.controller.welcome
    assert welcome is not None
    return welcome.cards


# ---------------------------------------------------------------------------- the model


def test_a_link_to_another_topic_switches_topic_and_keeps_each_topics_ticks(two_topics: ContentLibrary) -> None:
    model = Walkthrough(two_topics)
    switches: list[str] = []
    model.topic_changed.connect(lambda: switches.append(model.topic))
    model.start()
    first_question = model.pack.questions[0].id
    model.toggle(first_question)
    assert model.follow(f"{SECOND_TOPIC}/what-it-is")
    assert (model.topic, model.page_id, model.pack.topic) == (SECOND_TOPIC, "what-it-is", SECOND_TOPIC)
    assert switches == [SECOND_TOPIC] and model.session.ticked == []  # this topic's list starts empty
    second_question = model.pack.questions[1].id
    model.toggle(second_question)
    assert model.session.all_ticked() == {SECOND_TOPIC: [second_question], "": [first_question]}
    assert model.follow(f"{TOPIC}/intro")  # and back: the first topic's ticks are there again
    assert model.topic == TOPIC and model.session.ticked == [first_question]
    assert not model.follow("no-such-topic/intro") and not model.follow(f"{SECOND_TOPIC}/no-such-page")
    assert model.topic == TOPIC and model.page_id == "intro"


def test_a_session_across_topics_is_counted_by_topic_and_reset_returns_to_the_default(two_topics: ContentLibrary) -> None:
    now = [0.0]
    model = Walkthrough(two_topics, clock=lambda: now[0])
    finished: list[Session] = []
    model.finished.connect(finished.append)
    switches: list[str] = []
    model.topic_changed.connect(lambda: switches.append(model.topic))
    model.start(SECOND_TOPIC)
    model.toggle(model.pack.questions[0].id)
    now[0] += 20
    model.follow(f"{TOPIC}/intro")
    now[0] += 10
    model.reset()
    assert model.topic == TOPIC and model.is_fresh() and switches == [SECOND_TOPIC, TOPIC]
    record = model.usage(finished[0])
    assert record is not None
    assert record.page_seconds == {f"{SECOND_TOPIC}/what-it-is": 20, f"{TOPIC}/intro": 10}
    assert record.ticked == [f"{SECOND_TOPIC}/{two_topics.pack('en', SECOND_TOPIC).questions[0].id}"]
    assert record.furthest_page == f"{TOPIC}/intro"


# ---------------------------------------------------------------------------- the screen


def test_the_welcome_screen_offers_one_large_picture_card_per_topic(shown: Kiosk, two_topics: ContentLibrary) -> None:
    found = cards(shown)
    assert list(found) == [TOPIC, SECOND_TOPIC]
    rfa = found[SECOND_TOPIC]
    assert (rfa.title.text(), rfa.summary.text()) == ("Nerve ablation", "Heat calms the nerves for longer.")
    assert rfa.accessibleName() == "Nerve ablation. Heat calms the nerves for longer."
    assert rfa.picture.isVisible() and rfa.height() >= 200 and rfa.width() >= 400
    welcome = shown.controller.welcome
    assert welcome is not None and welcome.title.text() == shown.controller.pack.text("topics_title")
    assert not welcome.picture.isVisible()  # the cards bring their own pictures
    assert rfa.geometry().top() == found[TOPIC].geometry().top()  # side by side at 1280 px
    assert "Nerve ablation. Heat calms the nerves for longer." in shown.controller.reader.speech_text()


def test_a_tap_on_the_background_chooses_no_topic_when_there_are_several(qtbot, shown: Kiosk) -> None:
    welcome = shown.controller.welcome
    assert welcome is not None
    qtbot.mouseClick(welcome.content, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert shown.window.on_welcome() and shown.controller.session.page_id is None


def test_the_second_topics_card_walks_end_to_end(qtbot, shown: Kiosk, two_topics: ContentLibrary) -> None:
    c = shown.controller
    qtbot.mouseClick(cards(shown)[SECOND_TOPIC], Qt.MouseButton.LeftButton)
    rfa = two_topics.pack("en", SECOND_TOPIC)
    assert c.session.page_id == rfa.pages[0].id and c.pack is rfa and not shown.window.on_welcome()
    assert shown.window.windowTitle() == rfa.text("app_title")
    seen = [c.session.page_id]
    while not c.model.on_last_page:
        qtbot.mouseClick(shown.window.footer.next, Qt.MouseButton.LeftButton)
        seen.append(c.session.page_id)
        view = c.current_view()
        assert view is not None and view.pack is rfa and view.isVisible()
        if isinstance(view, ChecklistPage):
            button = view.buttons[rfa.questions[0].id]
            view.scroll_area.ensureWidgetVisible(button)  # as a patient scrolls to it
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert seen == [p.id for p in rfa.pages]
    summary = c.current_view()
    assert isinstance(summary, SummaryPage) and summary.ticked_texts() == [rfa.questions[0].text]
    qtbot.mouseClick(shown.window.footer.next, Qt.MouseButton.LeftButton)  # "I'm done"
    assert shown.window.on_welcome() and c.model.topic == TOPIC and c.session == Session(language="en")
    qtbot.waitUntil(lambda: not c.usage.jobs.busy, timeout=5000)
    store = c.usage.store
    assert store is not None
    with sqlite3.connect(store.path) as db:
        rows = {(metric, key): value for metric, key, value in db.execute("SELECT metric, key, value FROM counters")}
    assert rows[("sessions", "")] == 1 and rows[("furthest_page", f"{SECOND_TOPIC}/summary")] == 1
    assert rows[("question_ticked", f"{SECOND_TOPIC}/{rfa.questions[0].id}")] == 1
    assert not any(key.startswith(f"{TOPIC}/") for _, key in rows)  # the block was never opened


def test_the_keyboard_reaches_every_card(qtbot, shown: Kiosk, two_topics: ContentLibrary) -> None:
    first, second = cards(shown).values()
    assert first.hasFocus()  # where the keyboard starts on the welcome screen
    qtbot.keyClick(shown.window.focusWidget(), Qt.Key.Key_Tab)
    assert second.hasFocus()
    qtbot.keyClick(second, Qt.Key.Key_Return)
    assert shown.controller.model.topic == SECOND_TOPIC and shown.controller.session.page_id == "what-it-is"


def test_a_link_to_the_other_topic_in_a_page_opens_it_and_the_list_survives_the_trip(qtbot, shown: Kiosk,
                                                                                     two_topics: ContentLibrary) -> None:
    c = shown.controller
    c.model.start(SECOND_TOPIC)
    rfa_question = c.pack.questions[0].id
    c.model.toggle(rfa_question)
    view = c.current_view()
    assert view is not None and f"#{TOPIC}/intro" in view.text.text()  # type: ignore[attr-defined]
    view.text.linkActivated.emit(f"#{TOPIC}/intro")  # type: ignore[attr-defined]
    block = two_topics.pack("en", TOPIC)
    assert c.model.topic == TOPIC and c.session.page_id == "intro" and c.pack is block
    assert c.current_view() is c.views["intro"] and c.views["intro"].isVisible()
    assert shown.window.progress.buttons.keys() == {s.id for s in block.sections}
    c.show(f"{SECOND_TOPIC}/summary")
    summary = c.current_view()
    assert isinstance(summary, SummaryPage) and summary.ticked_texts() == [c.pack.question(rfa_question).text]


def test_a_language_change_keeps_the_topic(qtbot, shown: Kiosk, two_topics: ContentLibrary) -> None:
    c = shown.controller
    c.model.start(SECOND_TOPIC)
    c.model.set_language("es")
    assert c.pack is two_topics.pack("es", SECOND_TOPIC) and c.current_view() is c.views["what-it-is"]
    assert c.current_view().pack.language == "es"  # type: ignore[union-attr]
    c.reset_session()
    welcome = c.welcome
    assert welcome is not None and welcome.cards[SECOND_TOPIC].title.text() == two_topics.card(SECOND_TOPIC, "en").title


def test_at_200_percent_the_cards_stack_and_lose_their_pictures(qtbot, shown: Kiosk) -> None:
    shown.controller.model.set_text_scale(2.0)
    first, second = cards(shown).values()
    qtbot.waitUntil(lambda: second.geometry().top() > first.geometry().bottom(), timeout=2000)
    assert not first.picture.isVisible() and not second.picture.isVisible()
    assert first.title.width() <= first.width()


def test_with_one_topic_the_welcome_screen_is_as_before(qtbot, tmp_path: Path) -> None:
    for language in ("en", "es"):
        make_pack(tmp_path, language, picture="spine-facets.svg")
    one = load_library(tmp_path / "content", ["en", "es"], VALUES, assets_dir() / "illustrations")
    built = build_kiosk(SETTINGS, one, size=(1280, 800))
    qtbot.addWidget(built.window)
    with qtbot.waitExposed(built.window):
        built.window.show()
    welcome = built.controller.welcome
    assert welcome is not None and welcome.cards == {} and welcome.start.text() == one.pack("en").text("start")
    assert welcome.title.text() == one.pack("en").text("welcome_title") and welcome.picture.isVisible()
    qtbot.mouseClick(welcome.content, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))  # a touch anywhere starts
    assert built.controller.session.page_id == one.pack("en").pages[0].id
    built.window.allow_close()


def test_each_topics_section_buttons_are_made_once_and_only_its_own_show(qtbot, shown: Kiosk, two_topics: ContentLibrary) -> None:
    """A change of topic (the reset back to the first, too) swaps which buttons show: making
    them anew each time cost part of the turn."""
    c, progress = shown.controller, shown.window.progress
    c.model.start(TOPIC)
    first = dict(progress.buttons)
    c.reset_session()
    c.model.start(SECOND_TOPIC)
    second = dict(progress.buttons)
    assert second.keys() == {s.id for s in two_topics.pack("en", SECOND_TOPIC).sections}
    assert all(b.isVisible() for b in second.values()) and not any(b.isVisible() for b in first.values())
    c.reset_session()
    c.model.start(TOPIC)
    assert progress.buttons == first and all(progress.buttons[k] is b for k, b in first.items())  # the same buttons
    assert all(b.isVisible() for b in first.values()) and not any(b.isVisible() for b in second.values())
    assert [b.objectName() for b in progress.findChildren(KioskButton) if b.isVisible()] == [f"section-{s}" for s in first]
    # Their taps still go to their own sections.
    qtbot.mouseClick(first[list(first)[-1]], Qt.MouseButton.LeftButton)
    assert c.session.page_id in {p.id for p in c.pack.pages if p.section == list(first)[-1]}
    c.rebuild()  # new content: the old buttons go
    qtbot.waitUntil(lambda: all(not shiboken6.isValid(b) for b in [*first.values(), *second.values()]), timeout=3000)
