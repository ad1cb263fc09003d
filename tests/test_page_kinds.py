"""A new kind of page is one module plus a line in each table: proved with a kind that exists
only in this test ("note": a short message in a box), shown in the real kiosk window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from kiosk.core.content import load_library
from kiosk.core.content.kinds import PAGE_KINDS, PageKind
from kiosk.core.content.kinds import register as register_kind
from kiosk.core.errors import ContentError
from kiosk.core.settings import Settings
from kiosk.ui.app import build_kiosk
from kiosk.ui.pages import registry
from kiosk.ui.pages.base import PageView
from tests.packmaker import make_pack

VALUES = {"clinic_name": "Sunrise Pain Clinic", "clinic_phone": "555-0142", "emergency_number": "911"}


class NotePage(PageView):
    """The whole of the new kind: the page's text in a label, and one hook."""

    def __init__(self, context: registry.PageContext) -> None:
        super().__init__(context.pack, context.page, context.theme, context.session.text_scale)
        self.column.addWidget(self.rich_text(context.page.html, "note-text"))
        self.times_shown = 0

    def shown(self, session: object) -> None:
        self.times_shown += 1


NOTE_PAGE = '''
[[pages]]
id = "note"
section = "about"
kind = "note"
title = "A note"
file = "note.md"
'''


@pytest.fixture
def note_kind() -> Iterator[None]:
    register_kind(PageKind("note"))
    registry.register("note", NotePage)
    yield
    del PAGE_KINDS["note"]
    del registry.VIEWS["note"]


def pack_with_a_note(tmp_path: Path) -> tuple[Path, Path]:
    folder, pictures = make_pack(tmp_path)
    manifest = folder / "pack.toml"
    text = manifest.read_text(encoding="utf-8")
    first_step = text.index('[[pages]]\nid = "step-one"')
    manifest.write_text(text[:first_step] + NOTE_PAGE.lstrip() + "\n" + text[first_step:], encoding="utf-8")
    (folder / "note.md").write_text("Bring your glasses.\n", encoding="utf-8")
    return folder, pictures


def test_an_unknown_kind_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    folder, pictures = pack_with_a_note(tmp_path)
    with pytest.raises(ContentError) as refused:
        load_library(folder.parent.parent, ["en"], VALUES, pictures)
    assert "kind 'note' is not one of info, stage, checklist, summary" in str(refused.value)


def test_a_registered_kind_loads_and_shows_in_the_walkthrough(qtbot, tmp_path: Path, note_kind: None) -> None:
    folder, pictures = pack_with_a_note(tmp_path)
    library = load_library(folder.parent.parent, ["en"], VALUES, pictures)
    assert [p.kind for p in library.pack("en").pages][:2] == ["info", "note"]
    kiosk = build_kiosk(Settings(clinic_name="Sunrise Pain Clinic", clinic_phone="555-0142", languages=("en",)), library,
                        size=(1280, 800))
    qtbot.addWidget(kiosk.window)
    kiosk.window.show()
    c = kiosk.controller
    c.next()
    c.next()
    view = c.current_view()
    assert isinstance(view, NotePage) and view.times_shown == 1
    assert c.window.pages.currentWidget() is view
    text = view.findChild(QLabel, "note-text")
    assert text is not None and "Bring your glasses." in text.text()
    assert "Bring your glasses." in c.reader.speech_text()  # read aloud works for it through the shared interface
    c.next()
    assert c.session.page_id == "step-one"
    kiosk.window.allow_close()
