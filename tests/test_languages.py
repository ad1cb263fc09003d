"""Every shipped language is complete, and switching language mid-flow keeps the patient's place."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.core.content import HANDOUT_TEXT_KEYS, UI_KEYS, load_library
from kiosk.core.resources import assets_dir, content_dir
from kiosk.core.session import Session
from kiosk.ui.pages.checklist import ChecklistPage

SHIPPED = sorted(p.name for p in (content_dir() / "thoracic-mbb").iterdir() if (p / "pack.toml").is_file())
VALUES = {"clinic_name": "Sunrise Pain Clinic", "clinic_phone": "555-0142", "emergency_number": "911"}


def test_english_and_spanish_are_shipped() -> None:
    assert SHIPPED == ["en", "es"]


@pytest.fixture(scope="module")
def shipped():  # type: ignore[no-untyped-def]
    return load_library(content_dir(), SHIPPED, VALUES, assets_dir() / "illustrations")


def test_every_language_has_every_page_question_and_string(shipped) -> None:  # type: ignore[no-untyped-def]
    reference = shipped.pack("en")
    for code, pack in shipped.packs.items():
        assert [p.id for p in pack.pages] == [p.id for p in reference.pages], code
        assert [q.id for q in pack.questions] == [q.id for q in reference.questions], code
        assert [g.id for g in pack.groups] == [g.id for g in reference.groups], code
        assert [s.id for s in pack.sections] == [s.id for s in reference.sections], code
        assert set(pack.ui) == set(UI_KEYS), code
        assert all(value.strip() for value in pack.ui.values()), code
        for key in HANDOUT_TEXT_KEYS:
            assert getattr(pack.handout, key).strip(), (code, key)
        assert [(t.tier, len(t.signs)) for t in pack.warnings] == [(t.tier, len(t.signs)) for t in reference.warnings], code
        for page in pack.pages:
            assert page.title and (page.html or page.kind in ("checklist", "summary")), (code, page.id)
            if page.illustration is not None:
                assert page.illustration.alt and page.illustration.caption, (code, page.id)
        for q in pack.questions:
            assert q.text and q.why, (code, q.id)


def test_spanish_is_really_spanish(shipped) -> None:  # type: ignore[no-untyped-def]
    en, es = shipped.pack("en"), shipped.pack("es")
    assert es.name == "Español"
    same_ui = [k for k in UI_KEYS if en.ui[k] == es.ui[k] and not en.ui[k].startswith("{")]
    assert same_ui == [], same_ui
    assert all(a.text != b.text for a, b in zip(en.questions, es.questions, strict=True))
    assert all(a.title != b.title for a, b in zip(en.pages, es.pages, strict=True))


def test_a_missing_spanish_question_fails_the_check(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(content_dir(), tmp_path, dirs_exist_ok=True)
    manifest = tmp_path / "thoracic-mbb" / "es" / "pack.toml"
    text = manifest.read_text(encoding="utf-8")
    last = text.rindex("[[questions]]")
    manifest.write_text(text[:last], encoding="utf-8")
    with pytest.raises(Exception) as caught:
        load_library(tmp_path, SHIPPED, VALUES, assets_dir() / "illustrations")
    assert "question ids differ" in str(caught.value) and str(manifest) in str(caught.value)


def test_welcome_offers_each_language_in_its_own_name(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    buttons = kiosk.controller.welcome.language_buttons
    assert {code: b.text() for code, b in buttons.items()} == {"en": "English", "es": "Español"}


def test_switching_language_mid_flow_keeps_place_and_ticks(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c, w = kiosk.controller, kiosk.window
    c.model.start()
    c.show("questions")
    chosen = [c.pack.questions[2].id, c.pack.questions[6].id]
    for qid in chosen:
        c.model.toggle(qid)
    c.views["questions"].scroll_area.verticalScrollBar().setValue(150)
    qtbot.mouseClick(w.toolbar.languages["es"], __import__("PySide6.QtCore").QtCore.Qt.MouseButton.LeftButton)
    assert c.session.language == "es" and c.session.page_id == "questions"
    assert c.session.ticked == chosen
    checklist = c.views["questions"]
    assert isinstance(checklist, ChecklistPage)
    assert checklist.pack.language == "es"
    assert [qid for qid, b in checklist.buttons.items() if b.isChecked()] == chosen
    assert w.footer.next.text() == c.pack.text("next") != "Next"
    assert checklist.title.text() == c.pack.page("questions").title
    c.show("summary")
    es = c.library.pack("es")
    assert c.views["summary"].ticked_texts() == [es.question(q).text for q in chosen]
    # The choice lasts one session only.
    c.reset_session()
    assert c.session == Session(language="en") and c.pack.language == "en"


def test_the_toolbar_keeps_its_language_buttons_through_switches_and_resets(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    """One button per language, made once: a switch shows the old language's and hides the
    new one's; the reset back to English does the same. Only the other languages show."""
    from PySide6.QtWidgets import QPushButton

    c, bar = kiosk.controller, kiosk.window.toolbar
    c.model.start()
    made = {b.objectName(): b for b in bar.findChildren(QPushButton) if b.objectName().startswith("language-")}
    assert set(made) == {"language-en", "language-es"}

    def shown() -> set[str]:
        return {name for name, b in made.items() if b.isVisibleTo(bar)}

    assert shown() == {"language-es"} and bar.languages == {"es": made["language-es"]}
    c.model.set_language("es")
    assert shown() == {"language-en"} and bar.languages == {"en": made["language-en"]}
    assert made["language-en"] in bar.buttons() and made["language-es"] not in bar.buttons()
    c.reset_session()  # back to English, on the welcome screen (whose own buttons name the languages)
    assert shown() == set() and bar.languages == {"es": made["language-es"]}
    c.model.start()
    assert shown() == {"language-es"}
    assert {b.objectName(): b for b in bar.findChildren(QPushButton) if b.objectName().startswith("language-")} == made


def test_keyboard_walk_in_spanish(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    c, w = kiosk.controller, kiosk.window
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=3000)
    c.model.set_language("es")
    c.show(None)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    while c.session.page_id != "summary":
        for _ in range(80):
            if QApplication.focusWidget() is w.footer.next:
                break
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        qtbot.keyClick(w.footer.next, Qt.Key.Key_Return)
    assert w.footer.next.text() == c.library.pack("es").text("done")
    qtbot.keyClick(w.footer.next, Qt.Key.Key_Return)
    assert w.on_welcome() and c.session.language == "en"
