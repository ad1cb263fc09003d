"""pack.toml texts are shown exactly as written, never as rich text (issue 19).

A title of ``<img src=... width=50000>`` was drawn as a picture 50,000 pixels wide and
``<a href=...>`` as a link: a QLabel guesses rich text from a tag at the start. The loader
now refuses such texts (tests/test_hostile_content.py); these tests put them straight
into a loaded pack, as a defence behind it, and look at every place that shows one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from kiosk.core.content import UI_NUMBERS, ContentLibrary, ContentPack, HandoutText, Illustration, WarningTier, load_pack
from kiosk.core.handout import build_handout
from kiosk.core.resources import asset, assets_dir
from kiosk.core.settings import Settings
from kiosk.core.stats import Summary
from kiosk.ui.staff_panel import StaffPanel
from kiosk.ui.widgets import RichText
from tests.packmaker import VALUES, make_pack

PICTURE = asset("illustrations", "welcome.svg")
HOSTILE = f'<img src="{PICTURE}" width="50000" height="50000"><a href="https://example.test/">tap</a> Q&A'
SIZE = (1280, 800)
TOO_BIG = 5_000  # px: a rich-text picture asked for 50,000; the longest plain text here needs far less


def hostile_pack(tmp_path: Path) -> ContentPack:
    """The test pack with HOSTILE in every text a patient or staff member reads."""
    folder, _ = make_pack(tmp_path, picture="spine-facets.svg")
    pack = load_pack(folder, VALUES, assets_dir() / "illustrations")
    ui = {key: HOSTILE + "".join(f" {{{name}}}" for name in UI_NUMBERS.get(key, ())) for key in pack.ui}
    pages = []
    for page in pack.pages:
        picture = page.illustration
        if picture is not None:
            picture = Illustration(picture.file, picture.path, HOSTILE, HOSTILE)
        pages.append(replace(page, title=HOSTILE, illustration=picture))
    return replace(
        pack, name=HOSTILE, version=HOSTILE, ui=ui, pages=tuple(pages),
        review=replace(pack.review, status=HOSTILE, reviewed_by=HOSTILE),
        sections=tuple(replace(s, label=HOSTILE) for s in pack.sections),
        groups=tuple(replace(g, title=HOSTILE) for g in pack.groups),
        questions=tuple(replace(q, text=HOSTILE, why=HOSTILE) for q in pack.questions),
        handout=HandoutText(*[HOSTILE] * len(HandoutText.__dataclass_fields__)),
        warnings=tuple(WarningTier(t.tier, HOSTILE, (HOSTILE,)) for t in pack.warnings),
    )


@pytest.fixture
def hostile(qtbot, tmp_path: Path) -> Iterator:  # type: ignore[no-untyped-def]
    from kiosk.ui.app import build_kiosk

    pack = hostile_pack(tmp_path)
    library = ContentLibrary({"en": pack, "es": replace(pack, language="es")}, "en")
    settings = Settings(languages=("en", "es"), printer="")  # the demo clinic: the banner shows too
    built = build_kiosk(settings, library, size=SIZE)
    qtbot.addWidget(built.window)
    with qtbot.waitExposed(built.window):
        built.window.show()
    yield built
    built.window.allow_close()


def open_page(kind: str) -> Callable:  # type: ignore[type-arg]
    def go(kiosk) -> QWidget:  # type: ignore[no-untyped-def]
        controller = kiosk.controller
        page = next(p for p in controller.pack.pages if p.kind == kind)
        if kind == "summary":
            for question in controller.pack.questions:
                controller.model.toggle(question.id)
            controller.show(page.id)
            controller.model.toggle_qr()
            controller.views[page.id].show_status(controller.pack.text("printing"))
        else:
            controller.show(page.id)
        return kiosk.window
    return go


def welcome(kiosk) -> QWidget:  # type: ignore[no-untyped-def]
    kiosk.controller.show(None)
    return kiosk.window


def idle_overlay(kiosk) -> QWidget:  # type: ignore[no-untyped-def]
    kiosk.controller.model.start()
    kiosk.controller.idle.warning_started.emit(20)
    return kiosk.controller.overlay


def start_over(kiosk) -> QWidget:  # type: ignore[no-untyped-def]
    controller = kiosk.controller
    controller.model.start()
    controller.model.toggle(controller.pack.questions[0].id)
    controller.start_over()
    return controller.start_over_sheet


def staff_panel(kiosk) -> QWidget:  # type: ignore[no-untyped-def]
    info = kiosk.controller.staff.info()
    pack = kiosk.controller.pack  # the figures name pages and questions topic/id
    week = Summary(date(2026, 1, 5), date(2026, 1, 11), 30, {"en": 30}, {f"{pack.topic}/{p.id}": 3 for p in pack.pages},
                   {f"{pack.topic}/{p.id}": 20.0 for p in pack.pages}, {}, {f"{pack.topic}/{q.id}": 12 for q in pack.questions},
                   {"2026-01-05": 30})
    panel = StaffPanel(kiosk.window, replace(info, today=week, week=week, statistics_on=True), date(2030, 1, 1))
    panel.place(1100, 760)
    panel.show()
    return panel


# Each place a pack.toml text is shown, and the labels there that show one.
PLACES = {
    "welcome": (welcome, ["welcome-title", "welcome-body", "idle-note", "demo-banner"]),
    "info page": (open_page("info"), ["page-title", "caption", "disclaimer"]),
    "stage page": (open_page("stage"), ["page-title", "step-label"]),
    "checklist": (open_page("checklist"), ["page-title", "checklist-hint", "group-benefits"]),  # rows: the next test
    "summary": (open_page("summary"), ["page-title", "show-nurse", "summary-count", "ticked-q-one", "qr-hint", "print-status"]),
    "idle overlay": (idle_overlay, ["idle-title", "idle-body"]),
    "start over": (start_over, ["start-over-title", "start-over-body"]),
    "staff panel": (staff_panel, ["staff-content-info", "staff-figures"]),
}


@pytest.mark.parametrize("place", list(PLACES))
def test_a_manifest_text_full_of_html_shows_as_written(qtbot, hostile, place: str) -> None:  # type: ignore[no-untyped-def]
    open_place, names = PLACES[place]
    root = open_place(hostile)

    def shown(name: str) -> QLabel | None:
        return next((w for w in root.findChildren(QLabel, name) if w.isVisible()), None)

    for name in names:
        qtbot.waitUntil(lambda name=name: shown(name) is not None, timeout=2000)  # (a label added to a shown page shows a turn later)
        label = shown(name)
        assert label is not None
        assert label.textFormat() == Qt.TextFormat.PlainText, name
        assert "<img src=" in label.text() and "<a href=" in label.text(), (name, label.text())
        hint = label.sizeHint()
        assert hint.width() < TOO_BIG and hint.height() < TOO_BIG, (name, hint)
    assert hostile.window.size().toTuple() == SIZE  # nothing grew the window


def test_a_checklist_row_draws_its_words_as_written(qtbot, hostile) -> None:  # type: ignore[no-untyped-def]
    """A row draws its question and why as plain text (QPainter.drawText reads no markup):
    no 50,000 px picture, no link, every row as tall as its literal words wrapped."""
    from kiosk.ui.pages.checklist import QuestionButton

    open_page("checklist")(hostile)
    qtbot.waitUntil(lambda: any(r.isVisible() for r in hostile.window.findChildren(QuestionButton)), timeout=2000)
    rows = [r for r in hostile.window.findChildren(QuestionButton) if r.isVisible()]
    qtbot.waitUntil(lambda: all(r.height() >= r.heightForWidth(r.width()) for r in rows), timeout=2000)  # (laid out a turn later)
    for row in rows:
        assert row.question.text == HOSTILE and row.why.endswith(HOSTILE) and row.accessibleName() == HOSTILE
        assert row.sizeHint().height() < TOO_BIG and row.heightForWidth(row.width()) < TOO_BIG
    assert hostile.window.size().toTuple() == SIZE


def test_every_label_in_every_screen_is_plain_text_or_sanitised_page_text(qtbot, hostile) -> None:  # type: ignore[no-untyped-def]
    labels: list[QLabel] = []
    for language in ("en", "es"):
        for open_place, _names in PLACES.values():
            hostile.controller.reset_session()
            hostile.controller.model.set_language(language)
            labels += open_place(hostile).findChildren(QLabel)
    assert len(labels) > 100
    for label in labels:
        if isinstance(label, RichText):
            assert "<img" not in label.text() and "example.test" not in label.text()  # sanitised at load
        else:
            assert label.textFormat() == Qt.TextFormat.PlainText, (label.objectName(), label.text())


def test_buttons_show_their_words_as_written(qtbot, hostile) -> None:  # type: ignore[no-untyped-def]
    open_page("summary")(hostile)
    buttons = [b for b in hostile.window.findChildren(QAbstractButton) if b.text()]
    assert {b.objectName() for b in buttons} >= {"section-about", "section-steps", "back", "home", "done", "language-es", "qr"}
    for button in buttons:
        if button.objectName().startswith(("section-", "language-")) or button.objectName() in ("back", "home", "done", "qr"):
            assert button.text().startswith(HOSTILE), button.objectName()
            assert button.accessibleName() == button.text()
            assert button.sizeHint().width() < TOO_BIG


def test_an_ampersand_on_a_button_is_shown_not_taken_as_a_shortcut(qtbot) -> None:  # type: ignore[no-untyped-def]
    from kiosk.ui.widgets import KioskButton

    button = KioskButton("Q&A", "qa")
    qtbot.addWidget(button)
    assert button.text() == "Q&A" and button.accessibleName() == "Q&A"
    assert QAbstractButton.text(button) == "Q&&A"  # what Qt draws: one "&", no Alt+A shortcut
    button.setText("Tom & Jerry")
    assert button.text() == "Tom & Jerry"


def test_the_printed_handout_escapes_every_text(tmp_path: Path) -> None:
    from kiosk.ui.printing import handout_html

    pack = hostile_pack(tmp_path)
    html = handout_html(build_handout(pack, [q.id for q in pack.questions], HOSTILE, date(2026, 1, 5)))
    assert "<img" not in html and "<a " not in html
    assert html.count("&lt;img src=") >= 10  # clinic, title, intro, questions, labels, warning tiers, disclaimer


def test_the_warning_signs_block_escapes_every_text(tmp_path: Path) -> None:
    from kiosk.core.content import warnings_html

    html = warnings_html(hostile_pack(tmp_path).warnings)
    assert "<img" not in html and "<a " not in html and html.count("&lt;img src=") == 6
