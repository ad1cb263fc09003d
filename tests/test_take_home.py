"""Take the questions home: printed handout (here: to PDF) and an offline QR code."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pypdf
import pytest
import zxingcpp
from PySide6.QtCore import Qt

from kiosk.core.handout import QR_MAX_CHARS, build_handout, qr_text
from kiosk.ui.pages.summary import SummaryPage
from kiosk.ui.printing import PrintError, print_to_pdf


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)


def squash(text: str) -> str:
    """Spaces made single, and ligatures (a PDF may hold "ﬀ" for "ff") split again."""
    import unicodedata

    return " ".join(unicodedata.normalize("NFKC", text).split())


def pdf_halves(path: Path) -> tuple[str, str]:
    """The text of the left and the right half of each page, top to bottom (the warning
    signs are printed in two columns, whose lines plain extraction interleaves)."""
    halves: tuple[list[str], list[str]] = ([], [])
    for page in pypdf.PdfReader(str(path)).pages:
        middle = float(page.mediabox.width) / 2
        pieces: list[tuple[float, float, str]] = []

        def visit(text, cm, tm, font, size, pieces=pieces) -> None:  # type: ignore[no-untyped-def]
            if text.strip():
                pieces.append((tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5], text))

        page.extract_text(visitor_text=visit)
        for x, _y, text in sorted(pieces, key=lambda p: -p[1]):
            halves[0 if x < middle else 1].append(text)
    return squash(" ".join(halves[0])), squash(" ".join(halves[1]))


@pytest.fixture
def with_printer(make_kiosk, settings, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The kiosk with a printer configured; "printing" writes a PDF into ``tmp_path``, on the
    print worker thread (so it also checks that the handout may be laid out there)."""
    jobs: list[Path] = []
    broken: list[str] = []  # a message here: the printer fails with it

    def fake_printer(handout, name):  # type: ignore[no-untyped-def]
        if broken:
            raise PrintError(broken[0])
        path = tmp_path / f"job{len(jobs)}.pdf"
        print_to_pdf(handout, path)
        jobs.append(path)

    kiosk = make_kiosk(settings=replace(settings, printer="Front desk"), printer=fake_printer)
    kiosk.jobs = jobs
    kiosk.broken = broken
    return kiosk


def tick_and_summarise(kiosk, indexes: list[int]) -> list[str]:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    c.model.start()
    c.show("questions")
    for i in indexes:
        c.model.toggle(c.pack.questions[i].id)
    c.show("summary")
    return [c.pack.questions[i].text for i in sorted(indexes)]


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_a_few_questions_and_the_education_record_fit_one_page(qapp, tmp_path: Path, library, language: str, paper: str) -> None:  # type: ignore[no-untyped-def]
    """"One page for a few questions": the three longest questions of every topic, with the
    "Education viewed" box of a patient who saw every section, on one sheet (with the box
    as six rows and 25 mm margins, three spilled onto a second page in Spanish, and two
    questions in the ablation's Spanish did)."""
    from datetime import datetime

    from kiosk.core.session import Session
    from kiosk.core.teach_back import education_record
    from kiosk.ui.app import load_fonts

    load_fonts()  # as the kiosk prints (alone, a test would lay it out in Qt's fallback font)
    for topic in library.topics:
        pack = library.pack(language, topic)
        session = Session(language=language)
        session.page_views = {f"{topic}/{page.id}": 1 for page in pack.pages}
        record = education_record(pack, session, datetime(2026, 12, 2, 13, 29))
        longest = sorted(pack.questions, key=lambda q: len(q.text), reverse=True)[:3]
        handout = build_handout(pack, [q.id for q in longest], "Sunrise Pain Clinic", date(2026, 12, 2), paper, None, record)
        path = tmp_path / f"{topic}.pdf"
        print_to_pdf(handout, path)
        assert len(pypdf.PdfReader(str(path)).pages) == 1, topic
        text = squash(pdf_text(path))
        assert all(squash(value) in text for _label, value in record.rows), topic  # the box is whole
        assert squash(longest[0].text) in text


@pytest.mark.parametrize("language", ["en", "es"])
def test_handout_pdf_holds_exactly_the_ticked_questions(qapp, tmp_path: Path, library, language: str) -> None:  # type: ignore[no-untyped-def]
    pack = library.pack(language)
    ticked = [pack.questions[3].id, pack.questions[0].id]
    handout = build_handout(pack, ticked, "Sunrise Pain Clinic", date(2026, 11, 27))
    path = tmp_path / "handout.pdf"
    print_to_pdf(handout, path)
    reader = pypdf.PdfReader(str(path))
    assert len(reader.pages) == 1
    text = squash(pdf_text(path))
    for q in pack.questions:
        assert (squash(q.text) in text) == (q.id in ticked), q.text
    assert "555-0142" in text and "Sunrise Pain Clinic" in text
    left, right = pdf_halves(path)
    for tier, column in zip(pack.warnings, (left, right, right), strict=True):  # the risks page's three tiers, every sign
        assert squash(tier.heading) in column, tier.heading
        assert all(squash(sign) in column for sign in tier.signs), tier.tier
    assert "2026-11-27" in text
    assert text.index(squash(pack.questions[0].text)) < text.index(squash(pack.questions[3].text))


def test_print_button_only_with_a_printer(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    tick_and_summarise(kiosk, [0])
    summary = kiosk.controller.views["summary"]
    assert isinstance(summary, SummaryPage)
    assert not summary.print_button.isVisible()


def test_print_from_summary(qtbot, with_printer) -> None:  # type: ignore[no-untyped-def]
    expected = tick_and_summarise(with_printer, [1, 2])
    c = with_printer.controller
    summary = c.views["summary"]
    assert isinstance(summary, SummaryPage) and summary.print_button.isVisible()
    qtbot.mouseClick(summary.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: summary.status.text() == c.pack.text("printed"))
    assert summary.print_button.text() == c.pack.text("print")
    [job] = with_printer.jobs
    text = squash(pdf_text(job))
    assert all(squash(q) in text for q in expected)


def test_printer_failure_leaves_the_session_usable(qtbot, with_printer) -> None:  # type: ignore[no-untyped-def]
    tick_and_summarise(with_printer, [0])
    c = with_printer.controller
    with_printer.broken.append("paper jam")
    summary = c.views["summary"]
    assert isinstance(summary, SummaryPage)
    qtbot.mouseClick(summary.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: summary.status.text() == c.pack.text("print_error"))
    assert summary.status.isVisible() and summary.print_button.text() == c.pack.text("print")
    assert c.session.page_id == "summary" and len(c.session.ticked) == 1
    c.model.back()
    assert c.session.page_id == "questions"


def test_real_print_to_a_missing_printer_is_a_print_error(qapp, library) -> None:  # type: ignore[no-untyped-def]
    from kiosk.ui.printing import print_to_printer

    handout = build_handout(library.pack("en"), [], "Sunrise", date(2026, 1, 1))
    with pytest.raises(PrintError, match="not found"):
        print_to_printer(handout, "No Such Printer 123")


def decode(widget) -> str:  # type: ignore[no-untyped-def]
    image = widget.grab().toImage()
    results = zxingcpp.read_barcodes(_to_array(image))
    assert results, "no QR code found"
    return results[0].text


def _to_array(image):  # type: ignore[no-untyped-def]
    import numpy as np
    from PySide6.QtGui import QImage

    image = image.convertToFormat(QImage.Format.Format_Grayscale8)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    data = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(height, stride)[:, :width]
    return data.copy()  # own the pixels: the QImage is freed when this function returns


def test_qr_code_decodes_to_exactly_the_questions(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    expected = tick_and_summarise(kiosk, [0, 5, 2])
    c = kiosk.controller
    summary = c.views["summary"]
    assert isinstance(summary, SummaryPage)
    assert not summary.qr.isVisible()
    qtbot.mouseClick(summary.qr_button, Qt.MouseButton.LeftButton)
    assert summary.qr.isVisible()
    text = decode(summary.qr)
    assert text == "\n".join([c.pack.handout.qr_heading] + [f"{n}. {q}" for n, q in enumerate(expected, start=1)])
    assert "http" not in text and "www" not in text
    assert summary.qr.width() >= (len(summary.qr.matrix) + 8) * 4  # at least 4 px (about 1 mm) a module


def test_long_lists_use_short_forms_that_still_decode(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    everything = [q.id for q in c.pack.questions]
    text = qr_text(c.pack, everything, max_chars=500)
    assert len(text) <= 500 and "…" in text
    assert text.count("\n") == len(everything)
    full = qr_text(c.pack, everything)
    assert len(full) <= QR_MAX_CHARS
    tick_and_summarise(kiosk, list(range(len(c.pack.questions))))
    c.model.toggle_qr()
    summary = c.views["summary"]
    assert isinstance(summary, SummaryPage)
    assert decode(summary.qr) == full


def test_reset_clears_qr_and_print_status(qtbot, with_printer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tick_and_summarise(with_printer, [0])
    c = with_printer.controller
    c.model.toggle_qr()
    c.take_home.print_questions()
    summary = c.views["summary"]
    assert isinstance(summary, SummaryPage)
    qtbot.waitUntil(summary.status.isVisible)
    assert summary.qr.isVisible() and summary.status.isVisible()
    c.reset_session()
    assert not c.session.qr_visible
    c.model.start()
    c.show("summary")
    assert not summary.qr.isVisible() and summary.qr.text == "" and not summary.status.isVisible()
    assert [p.name for p in tmp_path.iterdir()] == ["job0.pdf"]  # only the print job itself


def test_print_test_pdf_command(tmp_path: Path) -> None:
    import subprocess
    import sys

    config = tmp_path / "kiosk.toml"
    config.write_text('clinic_name = "Sunrise Pain Clinic"\nclinic_phone = "555-0142"\n')
    pdf = tmp_path / "sample.pdf"
    result = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(config), "print-test", "--pdf", str(pdf)], check=False,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    text = squash(pdf_text(pdf))
    assert "Sunrise Pain Clinic" in text and "555-0142" in text


def test_staff_test_print(qtbot, with_printer) -> None:  # type: ignore[no-untyped-def]
    assert with_printer.controller.staff.print_test_page() == "A test page was sent to Front desk."
    assert len(with_printer.jobs) == 1
