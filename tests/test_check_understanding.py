"""The check of understanding (issue 16): its items as data, the feedback, the page that
explains an item and the way back, the questions it adds to the list (and their end at
reset), the handout's Education viewed box, the anonymous counters, the checker's rules,
and a patient with a keypad, read-aloud or 200 % text."""

from __future__ import annotations

import contextlib
import re
import sqlite3
import unicodedata
from datetime import date, datetime
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QLabel
from pytestqt.exceptions import TimeoutError

from kiosk.core.content import CHECK_KIND, ContentLibrary, load_library
from kiosk.core.errors import ContentError
from kiosk.core.handout import build_handout, qr_text
from kiosk.core.settings import Settings
from kiosk.core.stats import MIN_GROUP_SIZE, StatsStore
from kiosk.core.teach_back import education_record, feedback
from kiosk.core.walkthrough import Walkthrough
from kiosk.ui.app import build_kiosk
from kiosk.ui.pages.check_page import CheckPage
from kiosk.ui.printing import print_to_pdf
from kiosk.ui.speech import Speaker
from tests.fake_speech import FakeService
from tests.packmaker import make_pack

TOPICS = ("thoracic-mbb", "thoracic-rfa")


def wrong(item) -> int:  # type: ignore[no-untyped-def]
    return next(i for i in range(len(item.answers)) if i != item.right)


# --------------------------------------------------------------------------- the shipped content


@pytest.mark.parametrize("topic", TOPICS)
def test_each_topic_has_a_check_before_its_checklist_with_the_same_items_in_both_languages(library: ContentLibrary,
                                                                                            topic: str) -> None:
    packs = library.topic_packs(topic)
    assert set(packs) == {"en", "es"}
    shapes = []
    for pack in packs.values():
        kinds = [p.kind for p in pack.pages]
        assert kinds.count(CHECK_KIND) == 1 and kinds.index(CHECK_KIND) == kinds.index("checklist") - 1
        assert 4 <= len(pack.checks) <= 6
        page_ids = {p.id for p in pack.pages}
        for item in pack.checks:
            assert 2 <= len(item.answers) <= 3 and 0 <= item.right < len(item.answers)
            assert item.page in page_ids and item.question and item.why and item.go_over
        shapes.append([(i.id, len(i.answers), i.right, i.page) for i in pack.checks])
        for item in pack.checks:  # the issue: "right: one sentence why"
            assert len(re.findall(r"[.!?](?:\s|$)", item.why)) == 1, (pack.language, item.id, item.why)
    assert shapes[0] == shapes[1]


# --------------------------------------------------------------------------- the model


@pytest.fixture
def model(library: ContentLibrary) -> Walkthrough:
    walkthrough = Walkthrough(library)
    walkthrough.go("check")
    return walkthrough


def test_a_right_first_answer_says_why_and_adds_nothing_to_the_list(model: Walkthrough) -> None:
    item = model.pack.checks[0]
    heard: list[tuple[str, bool]] = []
    model.check_answered.connect(lambda item_id, right: heard.append((item_id, right)))
    model.check("show", item.id)
    model.check("answer", item.id, item.right)
    assert heard == [(item.id, True)]
    said = feedback(model.pack, item, item.right)
    assert said == f"{model.pack.text('check_right')} {item.why}"
    assert model.session.ticked == [] and model.missed_items() == []


def test_a_missed_item_adds_its_please_go_over_question_which_can_be_unticked_and_goes_at_reset(model: Walkthrough) -> None:
    pack = model.pack
    item = pack.checks[1]
    toggled: list[tuple[str, bool]] = []
    model.question_toggled.connect(lambda qid, ticked: toggled.append((qid, ticked)))
    model.check("show", item.id)
    model.check("answer", item.id, wrong(item))
    said = feedback(pack, item, wrong(item))
    assert pack.text("check_not_quite") in said and item.answers[item.right] in said and item.why in said
    assert toggled == [(item.question_id, True)] and model.session.ticked == [item.question_id]
    model.check("answer", item.id, item.right)  # only the first try counts
    assert model.session.check_answers[f"{model.topic}/{item.id}"] == wrong(item)
    # On the summary's list, the handout and the QR code, marked as added by the check.
    marked = f"{item.go_over} {pack.text('check_added_mark')}"
    handout = build_handout(pack, model.session.ticked, "Sunrise", date(2026, 12, 2))
    assert handout.questions == (marked,)
    assert marked in qr_text(pack, model.session.ticked)
    assert model.toggle(item.question_id) is False and model.session.ticked == []  # the patient may untick it
    assert model.toggle(item.question_id) is True  # and tick it again
    with pytest.raises(KeyError):
        model.toggle(pack.checks[0].question_id)  # one the check never added
    model.reset()
    assert model.session.ticked == [] and model.session.check_answers == {} and model.session.check_shown == []
    with pytest.raises(KeyError):
        model.toggle(item.question_id)


def test_show_me_the_page_opens_the_page_that_explains_it_and_the_way_back_leads_to_the_same_item(model: Walkthrough) -> None:
    item = model.pack.checks[2]
    model.check("show", item.id)
    model.check("answer", item.id, wrong(item))
    model.check("explain", item.id)
    assert model.page_id == item.page
    assert model.session.check_return == f"{model.topic}/check"
    model.back()  # reading around keeps the way back
    assert model.session.check_return == f"{model.topic}/check"
    assert model.follow(model.session.check_return)
    assert model.page_id == "check" and model.session.check_return is None
    assert model.session.check_at[model.topic] == 2


# --------------------------------------------------------------------------- the chart


def text_of_pdf(path: Path) -> str:
    return " ".join(" ".join(unicodedata.normalize("NFKC", page.extract_text()).split()) for page in pypdf.PdfReader(str(path)).pages)


def test_the_handout_has_an_education_viewed_box_with_no_patient_data(qapp, tmp_path: Path, model: Walkthrough) -> None:  # type: ignore[no-untyped-def]
    pack = model.pack
    for page_id in ("what-it-is", "risks", "check"):
        model.go(page_id)
    for number, item in enumerate(pack.checks):
        model.check("show", item.id)
        model.check("answer", item.id, wrong(item) if number == 0 else item.right)
    record = education_record(pack, model.session, datetime(2026, 12, 2, 14, 5))
    path = tmp_path / "handout.pdf"
    print_to_pdf(build_handout(pack, model.session.ticked, "Sunrise Pain Clinic", date(2026, 12, 2), record=record), path)
    text = text_of_pdf(path)
    total = len(pack.checks)
    for words in ("Education viewed", "Thoracic medial branch block", f"{pack.version} ({pack.review.status})",
                  "2026-12-02 14:05", "About, Risks, Questions", f"{total - 1} of {total}", pack.checks[0].go_over):
        assert words in text
    assert "The 4 steps" not in text.split("Education viewed")[1]  # not viewed: not listed
    labels = [label for label, _ in record.rows]
    assert labels == [pack.text(k) for k in ("record_topic", "record_version", "record_time", "record_sections", "record_check")]


def test_the_box_is_left_out_with_education_record_false(kiosk, settings: Settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    c.model.start()
    assert c.take_home.handout().record is not None
    c.settings = Settings(clinic_name="Sunrise Pain Clinic", clinic_phone="555-0142", education_record=False)
    handout = c.take_home.handout()
    assert handout.record is None
    print_to_pdf(handout, tmp_path / "off.pdf")
    assert "Education viewed" not in text_of_pdf(tmp_path / "off.pdf")


# --------------------------------------------------------------------------- the counters


def test_each_item_is_counted_shown_right_first_or_skipped_and_the_most_missed_come_first(library: ContentLibrary,
                                                                                          tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    store = StatsStore(tmp_path / "stats.sqlite3", library.statistics_ids(), library.default_topic)
    model = Walkthrough(library)
    items = model.pack.checks
    today = date.today()
    for session in range(MIN_GROUP_SIZE):
        model.go("check")
        model.check("show", items[0].id)
        model.check("answer", items[0].id, items[0].right if session < 8 else wrong(items[0]))  # 2 of 10 missed
        model.check("show", items[1].id)
        model.check("answer", items[1].id, wrong(items[1]) if session < 5 else items[1].right)  # 5 of 10 missed
        model.check("show", items[2].id)  # shown, then skipped
        model.check("skip", items[2].id)
        model.check("show", items[3].id)
        model.check("answer", items[3].id, items[3].right)  # always right: never among the missed
        record = model.usage(model.session)
        assert record is not None and not any("check:" in q for q in record.ticked)
        store.record(record, today)
        model.reset()
    summary = store.summary(today, today)
    key = [f"thoracic-mbb/{item.id}" for item in items]
    assert summary.check_items[key[0]] == (10, 8, 0)
    assert summary.check_items[key[1]] == (10, 5, 0)
    assert summary.check_items[key[2]] == (10, 0, 10)
    assert [m[0] for m in summary.most_missed()] == [key[2], key[1], key[0]]
    assert summary.check_items[key[3]] == (10, 10, 0)
    assert key[4] not in summary.check_items  # never shown
    # One row a day per item and counter, added to: ten sessions leave no row of their own.
    with contextlib.closing(sqlite3.connect(tmp_path / "stats.sqlite3")) as db:
        rows = db.execute("SELECT metric, key, value FROM counters WHERE metric LIKE 'check_%'").fetchall()
    assert sorted(rows) == sorted([("check_shown", k, 10) for k in key[:4]] + [("check_right_first", key[0], 8),
                                  ("check_right_first", key[1], 5), ("check_right_first", key[3], 10), ("check_skipped", key[2], 10)])
    assert store.summary(today, today).check_items and not StatsStore(tmp_path / "few.sqlite3").summary(today, today).check_items
    from kiosk.staff_cli import _print_stats

    _print_stats(store, False, 7)
    printed = capsys.readouterr().out
    assert "check items missed most" in printed
    assert printed.index(f"{key[1]}: 5 of 10; skipped 0") < printed.index(f"{key[0]}: 2 of 10; skipped 0")


def test_fewer_than_the_group_size_shows_no_item_figures(library: ContentLibrary, tmp_path: Path) -> None:
    store = StatsStore(tmp_path / "stats.sqlite3", library.statistics_ids(), library.default_topic)
    model = Walkthrough(library)
    item = model.pack.checks[0]
    model.go("check")
    model.check("show", item.id)
    model.check("answer", item.id, wrong(item))
    record = model.usage(model.session)
    assert record is not None
    store.record(record)
    assert store.summary(date.today()).check_items == {} and store.summary(date.today()).most_missed() == []


def test_the_staff_panel_names_the_most_missed_items_for_the_week(kiosk, library: ContentLibrary) -> None:  # type: ignore[no-untyped-def]
    from kiosk.ui.staff_panel import StaffPanel

    c = kiosk.controller
    store = StatsStore(Path(c.usage.store.path) if c.usage.store else Path("unused"), library.statistics_ids())
    item = c.pack.checks[3]
    model = Walkthrough(library)
    for _ in range(MIN_GROUP_SIZE):
        model.go("check")
        model.check("show", item.id)
        model.check("answer", item.id, wrong(item))
        record = model.usage(model.session)
        assert record is not None
        store.record(record)
        model.reset()
    c.usage.store = store
    info = c.staff.info()
    text = StaffPanel._figures(info)
    assert f"Check items missed most on the first try (this week): {item.question} (10 of 10)" in text


# --------------------------------------------------------------------------- the checker

CHECK_PAGE = '''[[pages]]
id = "check"
section = "steps"
kind = "check"
title = "Check"
file = "check.md"

'''


def item_block(item_id: str = "one", right: str = "2", page: str = "risks", answers: str = '["No.", "Yes."]') -> str:
    return (f'\n[[checks]]\nid = "{item_id}"\nquestion = "Is it so?"\nanswers = {answers}\nright = {right}\n'
            f'why = "Because."\npage = "{page}"\ngo_over = "Please go over: it."\n')


def pack_with_check(root: Path, language: str = "en", items: str = "", page: bool = True) -> Path:
    folder, _ = make_pack(root, language)
    manifest = folder / "pack.toml"
    text = manifest.read_text(encoding="utf-8")
    if page:
        text = text.replace('[[pages]]\nid = "questions"', CHECK_PAGE + '[[pages]]\nid = "questions"')
    manifest.write_text(text + (items if items else item_block()), encoding="utf-8")
    (folder / "check.md").write_text("Not a test.\n", encoding="utf-8")
    return manifest


def problems_of(root: Path, languages: list[str]) -> str:
    with pytest.raises(ContentError) as refused:
        load_library(root / "content", languages, {"clinic_name": "S", "clinic_phone": "5", "emergency_number": "911"},
                     root / "illustrations")
    return str(refused.value)


def line_of(manifest: Path, text: str, after: str = "[[checks]]") -> int:
    lines = manifest.read_text(encoding="utf-8").splitlines()
    start = lines.index(after) if after else 0
    return next(i for i, line in enumerate(lines) if i >= start and line.startswith(text)) + 1


def test_a_sound_check_loads(tmp_path: Path) -> None:
    pack_with_check(tmp_path)
    library = load_library(tmp_path / "content", ["en"], {"clinic_name": "S", "clinic_phone": "5", "emergency_number": "911"},
                           tmp_path / "illustrations")
    (item,) = library.pack("en").checks
    assert (item.id, item.answers, item.right, item.page) == ("one", ("No.", "Yes."), 1, "risks")


@pytest.mark.parametrize(("block", "key", "message"), [
    (item_block(right="3"), "right", "right = 3, but there are 2 answers"),
    (item_block(right="[1, 2]"), "right", "exactly one right answer"),
    (item_block(page="risk"), "page", "page 'risk' not found; did you mean 'risks'?"),
    (item_block(page="summary"), "page", "is a summary page"),
    (item_block(answers='["Only one."]'), "answers", "has 1 answers; give 2 or 3"),
])
def test_the_checker_names_the_line_of_a_broken_item(tmp_path: Path, block: str, key: str, message: str) -> None:
    manifest = pack_with_check(tmp_path, items=block)
    problems = problems_of(tmp_path, ["en"])
    assert f"{manifest}:{line_of(manifest, key)}: check item 'one'" in problems and message in problems


def test_a_missing_right_answer_and_items_without_a_page_are_named(tmp_path: Path) -> None:
    manifest = pack_with_check(tmp_path, items=item_block().replace("right = 2\n", ""), page=False)
    problems = problems_of(tmp_path, ["en"])
    assert f"{manifest}:{line_of(manifest, '[[checks]]', '')}: check item 'one' needs exactly one right answer" in problems
    assert "[[checks]] items need a page of kind 'check'" in problems


def test_the_check_page_must_come_before_the_checklist_once_and_with_its_items(tmp_path: Path) -> None:
    manifest = pack_with_check(tmp_path, page=False)
    text = manifest.read_text(encoding="utf-8")
    # After the checklist, twice over, then with no items at all: each named at its page's line.
    manifest.write_text(text.replace('[[pages]]\nid = "summary"', CHECK_PAGE + CHECK_PAGE.replace('"check"', '"check-2"', 1)
                                     + '[[pages]]\nid = "summary"'), encoding="utf-8")
    problems = problems_of(tmp_path, ["en"])
    assert "more than one 'check' page" in problems
    lines = manifest.read_text(encoding="utf-8").splitlines()
    page_line = lines.index('id = "check"')  # (0-based: the [[pages]] line above it, 1-based)
    assert f"{manifest}:{page_line}: the 'check' page must come before the questions checklist" in problems
    manifest.write_text(text.split("\n[[checks]]")[0].replace('[[pages]]\nid = "questions"', CHECK_PAGE + '[[pages]]\nid = "questions"'),
                        encoding="utf-8")
    assert "a 'check' page needs its items: add [[checks]] blocks" in problems_of(tmp_path, ["en"])


def test_spanish_parity_same_ids_and_the_same_right_answer(tmp_path: Path) -> None:
    pack_with_check(tmp_path, "en", items=item_block() + item_block("two") + item_block("three"))
    spanish = pack_with_check(tmp_path, "es", items=item_block(right="1") + item_block("dos")
                              + item_block("three", answers='["No.", "Yes.", "Maybe."]'))
    problems = problems_of(tmp_path, ["en", "es"])
    assert (f"{spanish}:{line_of(spanish, 'right')}: check item 'one' differs from 'en': right answer 1 (en: 2)") in problems
    dos = line_of(spanish, 'id = "dos"')
    assert f"{spanish}:{dos}: check item ids differ from 'en': 'dos' is not in 'en'" in problems
    assert "check item ids differ from 'en': 'two' is missing" in problems  # an item the translation left out
    three = line_of(spanish, "answers", 'id = "three"')
    assert f"{spanish}:{three}: check item 'three' differs from 'en': number of answers 3 (en: 2)" in problems


# --------------------------------------------------------------------------- on the screen


def check_view(c) -> CheckPage:  # type: ignore[no-untyped-def]
    c.show("check")
    view = c.current_view()
    assert isinstance(view, CheckPage)
    return view


def press(qtbot, key: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    focus = QApplication.focusWidget()
    assert focus is not None
    qtbot.keyClick(focus, key)


def test_keypad_only_answers_goes_on_skips_and_finishes(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    view = check_view(c)
    items = c.pack.checks
    first = view.answer_buttons[0]
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    # Tab reaches every answer, then Skip; Enter answers.
    press(qtbot, Qt.Key.Key_Tab)
    assert view.answer_buttons[1].hasFocus()
    press(qtbot, Qt.Key.Key_Return)
    assert view.feedback.isVisible() and view.next_button.hasFocus()
    assert feedback(c.pack, items[0], 1) == view.feedback_text.text()
    assert not any(b.focusPolicy() & Qt.FocusPolicy.TabFocus for b in view.answer_buttons if b.isVisible())
    view.answer_buttons[0].click()  # a second answer changes nothing: the first counts
    assert view.feedback_text.text() == feedback(c.pack, items[0], 1)
    assert view.answer_buttons[items[0].right].isChecked()  # the right answer carries the tick
    press(qtbot, Qt.Key.Key_Space)
    assert view.question.text() == items[1].question and view.skip.isVisible()
    view.skip.setFocus()
    qtbot.waitUntil(view.skip.hasFocus)
    press(qtbot, Qt.Key.Key_Return)
    assert view.question.text() == items[2].question
    assert f"thoracic-mbb/{items[1].id}" in c.session.check_shown and f"thoracic-mbb/{items[1].id}" not in c.session.check_answers
    for item in items[2:]:  # not right: the keypad goes on from the feedback too, not from the way to the page
        view.answer_buttons[wrong(item)].setFocus()
        press(qtbot, Qt.Key.Key_Return)
        assert view.show_page.isVisible() and view.next_button.hasFocus()
        press(qtbot, Qt.Key.Key_Return)
    assert view.done.isVisible() and not view.question.isVisible()
    assert [q for q in c.session.ticked] == [item.question_id for item in items[2:]]
    c.next()
    assert c.session.page_id == "questions"


def test_a_reset_leaves_every_check_page_at_its_first_item_unanswered(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    """In the language on show and in the one switched away from (hidden, kept): no feedback,
    no tick, the answers open to the next patient; and again after a second session."""
    c = kiosk.controller
    c.model.start()
    english = check_view(c)
    item = c.pack.checks[0]
    english.answer_buttons[wrong(item)].click()
    english.next_button.click()
    c.model.set_language("es")
    spanish = check_view(c)
    spanish.answer_buttons[c.pack.checks[1].right].click()
    assert spanish.feedback.isVisibleTo(spanish)

    def fresh(view: CheckPage) -> None:
        first = view.pack.checks[0]
        assert view.question.text() == first.question and view.counter.text() == view.pack.text("check_of", n=1, total=len(view.pack.checks))
        assert not view.feedback.isVisibleTo(view) and not view.next_button.isVisibleTo(view) and view.skip.isVisibleTo(view)
        assert not any(b.isChecked() for b in view.answer_buttons)
        assert all(b.focusPolicy() & Qt.FocusPolicy.TabFocus for b in view.answer_buttons if b.isVisibleTo(view))

    for _ in range(2):
        c.reset_session()
        fresh(english)
        fresh(spanish)
        c.model.start()
        check_view(c).answer_buttons[wrong(item)].click()
    assert check_view(c) is english and english.feedback.isVisibleTo(english)


def test_the_way_to_the_page_and_back_on_screen_and_the_added_row_on_the_checklist(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    view = check_view(c)
    item = c.pack.checks[0]
    qtbot.mouseClick(view.answer_buttons[wrong(item)], Qt.MouseButton.LeftButton)
    assert view.show_page.isVisible()
    assert view.answer_buttons[wrong(item)].chosen.text() == c.pack.text("check_chosen")
    qtbot.mouseClick(view.show_page, Qt.MouseButton.LeftButton)
    explained = c.current_view()
    assert c.session.page_id == item.page and explained is not None
    back = explained.check_return
    assert back is not None and back.isVisible() and back.text() == c.pack.text("check_back")
    assert c.pack.text("check_back") in c.reader.speech_text()
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    assert c.current_view() is view and view.question.text() == item.question and view.feedback.isVisible()
    c.show(item.page)
    assert not back.isVisible()  # back at the check once: the way back is gone
    c.show("questions")
    checklist = c.current_view()
    row = checklist.findChild(QAbstractButton, f"question-{item.question_id}")
    assert row is not None and row.isChecked() and row.isVisible()
    qtbot.mouseClick(row, Qt.MouseButton.LeftButton)
    assert not row.isChecked() and item.question_id not in c.session.ticked
    qtbot.mouseClick(row, Qt.MouseButton.LeftButton)
    c.show("summary")
    summary = c.current_view()
    listed = summary.findChild(QLabel, f"ticked-{item.question_id}")
    assert listed is not None and c.pack.text("check_added_mark") in listed.text()
    # The count is of the list, not of what the patient picked: the check added this one.
    assert summary.count.text() == c.pack.text("summary_count_one")
    for language in c.library.languages:
        pack = c.library.pack(language)
        assert not {"picked", "chose", "eligió"} & set(pack.text("summary_count", n=2).lower().split()), language
    c.reset_session()
    assert checklist.added == {} and not checklist.added_heading.isVisibleTo(checklist)
    assert summary.item_labels == []
    assert check_view(c).question.text() == c.pack.checks[0].question and not view.feedback.isVisible()


def on_screen(page, widget) -> bool:  # type: ignore[no-untyped-def]
    """Whether all of ``widget`` is in ``page``'s view (not scrolled off, not cut by an edge)."""
    viewport = page.scroll_area.viewport()
    return viewport.rect().contains(QRect(widget.mapTo(viewport, widget.rect().topLeft()), widget.size()))


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_keypad_only_to_the_page_that_explains_it_and_back(qtbot, kiosk, scale: float) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    c.model.set_text_scale(scale)
    item = c.pack.checks[2]
    c.show(item.page)  # the patient had read down that page before
    bar = c.current_view().scroll_area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 600)
    bar.setValue(bar.maximum())
    view = check_view(c)
    for _ in range(2):
        view.skip.click()
    assert view.item() is item
    view.answer_buttons[wrong(item)].setFocus()
    qtbot.waitUntil(view.answer_buttons[wrong(item)].hasFocus)
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_Backtab)  # from Next question back up to Show me the page
    assert view.show_page.hasFocus()
    press(qtbot, Qt.Key.Key_Return)
    explained = c.current_view()
    assert c.session.page_id == item.page and explained is not None
    back = explained.check_return
    # One key press away, and on the screen: not twelve Tabs through the toolbar and sections.
    assert back is not None and back.hasFocus()
    qtbot.waitUntil(lambda: on_screen(explained, back))
    press(qtbot, Qt.Key.Key_Return)
    assert c.current_view() is view and view.item() is item and view.next_button.hasFocus()
    qtbot.waitUntil(lambda: on_screen(view, view.next_button))  # all of it, not cut by the bottom edge
    press(qtbot, Qt.Key.Key_Return)
    assert view.item() is c.pack.checks[3]


@pytest.mark.parametrize("language", ["en", "es"])
def test_read_aloud_says_the_item_its_answers_and_the_feedback(qtbot, settings, library, language: str) -> None:  # type: ignore[no-untyped-def]
    service = FakeService()
    built = build_kiosk(settings, library, size=(1280, 800), speaker=Speaker(factory=service))
    qtbot.addWidget(built.window)
    built.window.show()
    c = built.controller
    c.model.set_language(language)
    view = check_view(c)
    item = c.pack.checks[0]
    c.reader.read()
    said = service.current.spoken[-1][0]
    assert item.question in said and all(answer in said for answer in item.answers)
    assert c.pack.text("check_of", n=1, total=len(c.pack.checks)) in said
    qtbot.mouseClick(view.answer_buttons[wrong(item)], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: service.current.spoken[-1][0] == feedback(c.pack, item, wrong(item)))
    assert service.current.spoken[-1][1].startswith(language)
    built.window.allow_close()


def clipped(view: CheckPage, item) -> list[str]:  # type: ignore[no-untyped-def]
    """Each widget of the item on show that is cut off: shorter than its words need, or past the right edge."""
    right_edge = view.scroll_area.viewport().width()
    problems = []
    labels = [view.question, view.feedback_text, *(b.words for b in view.answer_buttons[:len(item.answers)])]
    for label in labels:
        if label.height() < label.heightForWidth(label.width()):
            problems.append(f"{label.objectName()} {label.text()!r}: {label.height()} < {label.heightForWidth(label.width())}")
    for widget in [*view.answer_buttons[:len(item.answers)], view.feedback, view.question, view.show_page, view.next_button]:
        if not widget.isVisible() or widget.mapTo(view.body, widget.rect().topRight()).x() > right_edge:
            problems.append(f"{widget.objectName()} hidden or past the edge")
        if widget.height() < widget.minimumSizeHint().height():
            problems.append(f"{widget.objectName()}: {widget.height()} < {widget.minimumSizeHint().height()}")
    return problems


@pytest.mark.parametrize(("language", "contrast"), [("en", False), ("es", True)])
def test_200_percent_text_at_1280x800_fits_without_clipping(qtbot, kiosk, language: str, contrast: bool) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    c.model.set_language(language)
    c.model.set_text_scale(2.0)
    c.model.set_high_contrast(contrast)
    for topic in TOPICS:
        c.show(f"{topic}/check")
        view = check_view(c) if topic == TOPICS[0] else c.current_view()
        assert isinstance(view, CheckPage)
        for index in range(len(c.pack.checks)):
            item = view.item()
            assert item is not None and item is c.pack.checks[index]
            button = view.answer_buttons[wrong(item)]
            view.scroll_area.ensureWidgetVisible(button)  # (a finger taps what is on the screen)
            qtbot.waitUntil(lambda b=button, v=view: b.visibleRegion().contains(b.rect().center()))
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda v=view: v.feedback.isVisible())
            with contextlib.suppress(TimeoutError):  # (the layout settles over a few turns of the event loop)
                qtbot.waitUntil(lambda v=view, i=item: not clipped(v, i), timeout=3000)
            assert clipped(view, item) == []
            view.next_button.click()


# --------------------------------------------------------------------------- never red alone, never a grade


def reddish(image) -> int:  # type: ignore[no-untyped-def]
    """How many pixels of ``image`` (a QImage, sampled every 2 px) are red: the colour that
    would say "wrong" to some and nothing to a patient who cannot tell red from green."""
    count = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            colour = image.pixelColor(x, y)
            if colour.red() > 150 and colour.green() < 110 and colour.blue() < 110:
                count += 1
    return count


@pytest.mark.parametrize(("language", "contrast"), [("en", False), ("es", True)])
def test_feedback_is_words_and_a_mark_in_the_same_calm_colours_never_red_and_never_a_score(qtbot, kiosk, language: str,
                                                                                           contrast: bool) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    c.model.set_language(language)
    c.model.set_high_contrast(contrast)
    view = check_view(c)
    pack = c.pack
    seen = []
    for item, pick in ((pack.checks[0], wrong(pack.checks[0])), (pack.checks[1], pack.checks[1].right)):
        assert view.question.text() == item.question
        view.answer_buttons[pick].click()
        assert view.feedback.isVisible() and view.feedback_icon.isVisible()
        said = view.feedback_text.text()
        assert said.startswith(pack.text("check_right" if pick == item.right else "check_not_quite"))
        chosen = view.answer_buttons[pick]
        assert chosen.chosen.text() == pack.text("check_chosen")  # "Your answer" in words, not a colour
        for part in (view.feedback, chosen):
            assert reddish(part.grab().toImage()) == 0, (part.objectName(), pick == item.right)
        seen.append((view.feedback_icon.pixmap().toImage(), view.feedback.styleSheet(), view.feedback.palette().window().color().name()))
        view.next_button.click()
    (missed_icon, *missed_look), (right_icon, *right_look) = seen
    assert not missed_icon.isNull() and not right_icon.isNull()
    assert missed_icon != right_icon  # a different mark: a tick, or an "i" for "not quite"
    assert missed_look == right_look  # on the same colours either way
    for item in pack.checks[2:]:
        view.answer_buttons[wrong(item)].click()
        view.next_button.click()
    assert view.done.isVisible()
    right = sum(1 for item in pack.checks if c.session.check_answers.get(f"{pack.topic}/{item.id}") == item.right)
    score = pack.text("record_check_value", n=right, total=len(pack.checks))
    shown = " ".join(label.text() for label in view.findChildren(QLabel) if label.isVisibleTo(view))
    assert score not in shown and "%" not in shown and not re.search(r"\b\d+\s*/\s*\d+\b", shown)
