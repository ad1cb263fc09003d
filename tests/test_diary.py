"""The pain diary (issue 15): the clinic's schedule in config, the page text made from it in
both languages, and the one-page printed diary (read back from the PDF with pypdf, so no
system tool is needed)."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pypdf
import pytest

from kiosk.core.content import ContentLibrary
from kiosk.core.diary import DEFAULT_DAILY_DAYS, DEFAULT_SCHEDULE, MAX_DAILY_DAYS, MAX_ROWS, build_diary
from kiosk.core.handout import build_handout
from kiosk.core.kiosk_content import load_kiosk_content
from kiosk.core.resources import content_dir
from kiosk.core.settings import Settings, parse_settings
from kiosk.ui.printing import print_sample, print_to_pdf


@pytest.fixture(autouse=True)
def kiosk_fonts(qapp) -> None:  # type: ignore[no-untyped-def]
    """The kiosk's own font, as the kiosk prints with (without it Qt falls back to another,
    whose other widths would make the one-page checks pass or fail by chance)."""
    from kiosk.ui.app import load_fonts

    load_fonts()


def pdf_pages(path: Path) -> list[str]:
    """Each page's text, spaces made single and ligatures ("ﬁ") split again."""
    return [" ".join(unicodedata.normalize("NFKC", page.extract_text()).split()) for page in pypdf.PdfReader(str(path)).pages]


def library_for(settings: Settings) -> ContentLibrary:
    return load_kiosk_content(settings, content_dir())


def plan(library: ContentLibrary, language: str) -> list[str]:
    """The after-care page's words about the schedule (the bullets the plan placeholder made)."""
    blocks = library.pack(language).page("after").blocks
    start = next(i for i, b in enumerate(blocks) if b.startswith(("Your diary has a row", "Su diario tiene una fila")))
    return list(blocks[start + 1: start + 4])


# ----------------------------------------------------------------------------- config


def test_the_default_schedule_is_the_common_plan() -> None:
    s = Settings()
    assert s.diary_schedule == DEFAULT_SCHEDULE == ("0:15", "0:30", "0:45", "1:00", "2:00", "3:00", "4:00", "5:00", "6:00", "7:00", "8:00")
    assert (s.diary_daily_days, s.diary_return, s.paper_size) == (14, "either", "letter")


# What the report says is used instead, as it would be written in the config.
COMMON_PLAN = 'the default ["0:15", "0:30", "0:45", "1:00", "2:00", "3:00", "4:00", "5:00", "6:00", "7:00", "8:00"]'


@pytest.mark.parametrize(("line", "key", "why", "used"), [
    ('diary_schedule = ["0:30", "0:15"]', "diary_schedule", "not later than the time before it", COMMON_PLAN),
    ('diary_schedule = ["0:15", "half past"]', "diary_schedule", "not a time like", COMMON_PLAN),
    ('diary_schedule = ["0:00", "1:00"]', "diary_schedule", "must be after the block", COMMON_PLAN),
    ('diary_schedule = "0:15, 0:30"', "diary_schedule", "must be a list of times", COMMON_PLAN),
    ('diary_schedule = []', "diary_schedule", "must be a list of times", COMMON_PLAN),
    ("diary_schedule = [" + ", ".join(f'"{h}:00"' for h in range(1, MAX_ROWS + 2)) + "]", "diary_schedule",
     "fit on the printed page", COMMON_PLAN),
    ('diary_schedule = ["1:00", "49:00"]', "diary_schedule", "more than 48 hours", COMMON_PLAN),
    (f"diary_daily_days = {MAX_DAILY_DAYS + 1}", "diary_daily_days", f"between 0 and {MAX_DAILY_DAYS}", "the default 14"),
    ('diary_daily_days = "14"', "diary_daily_days", "whole number", "the default 14"),
    ('diary_return = "post"', "diary_return", '"either", "bring" or "phone"', 'the default "either"'),
    ('paper_size = "A5"', "paper_size", '"letter" or "a4"', 'the default "letter"'),
])
def test_a_bad_value_is_reported_with_its_key_and_the_default_is_used(line: str, key: str, why: str, used: str) -> None:
    """The report names the key, what is wrong, and which value the kiosk uses instead (the
    clinic must know which schedule its patients get on paper)."""
    s = parse_settings(f'clinic_name = "Elm Clinic"\n{line}\n', "kiosk.toml")
    assert len(s.problems) == 1, s.problems
    assert s.problems[0].startswith(f"kiosk.toml:2: {key} ") and why in s.problems[0], s.problems[0]
    assert s.problems[0].endswith(f"; using {used}"), s.problems[0]
    assert getattr(s, key) == getattr(Settings(), key)
    assert s.clinic_name == "Elm Clinic"  # every other key keeps its value


def test_an_unreadable_diary_line_names_the_default_used() -> None:
    s = parse_settings('clinic_name = "Elm Clinic"\ndiary_schedule = ["0:15", "0:30"\ndiary_daily_days = 7\n', "kiosk.toml")
    assert f"kiosk.toml:2: diary_schedule: this line cannot be read; using {COMMON_PLAN}" in s.problems, s.problems
    assert (s.diary_schedule, s.diary_daily_days, s.clinic_name) == (DEFAULT_SCHEDULE, 7, "Elm Clinic")


def test_good_values_are_taken() -> None:
    s = parse_settings('diary_schedule = ["0:30", "1:00", "1:30", "4:00"]\ndiary_daily_days = 0\n'
                       'diary_return = "phone"\npaper_size = "a4"\n')
    assert not s.problems
    assert (s.diary_schedule, s.diary_daily_days, s.diary_return, s.paper_size) == (("0:30", "1:00", "1:30", "4:00"), 0, "phone", "a4")


# ----------------------------------------------------------------------------- the page text


def test_the_after_care_page_describes_the_default_schedule(library: ContentLibrary) -> None:
    assert plan(library, "en") == ["Until 1 hour after the block, rate your pain every 15 minutes.",
                                   "Then rate it every hour until 8 hours after the block.",
                                   "Then rate it once a day for 14 days."]
    assert plan(library, "es") == ["Hasta 1 hora después del bloqueo, anote cuánto le duele cada 15 minutos.",
                                   "Luego anótelo cada hora hasta 8 horas después del bloqueo.",
                                   "Luego anótelo una vez al día por 14 días."]


def test_a_changed_schedule_changes_the_page_text_in_both_languages() -> None:
    library = library_for(Settings(diary_schedule=("0:30", "1:00", "3:00", "5:00", "6:00"), diary_daily_days=1))
    assert plan(library, "en") == ["Until 1 hour after the block, rate your pain every 30 minutes.",
                                   "Then rate it every 2 hours until 5 hours after the block.",
                                   "Then rate it again 6 hours after the block."]
    assert "Then rate it once more the next day." in library.pack("en").page("after").blocks
    assert plan(library, "es")[1] == "Luego anótelo cada 2 horas hasta 5 horas después del bloqueo."
    assert "Luego anótelo una vez más al día siguiente." in library.pack("es").page("after").blocks


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_advice_after_the_plan_says_which_hours_it_means(language: str) -> None:
    """The plan's last line is the daily one: advice under it that said "during these hours"
    read as the days. It has a lead-in of its own, with any schedule."""
    lead, nap, medicine = {"en": ("In the hours after the block:", "Try not to nap.",
                                  "Ask your clinic if you should take your usual pain medicine."),
                           "es": ("En las horas después del bloqueo:", "Trate de no dormir siesta.",
                                  "Pregunte a su clínica si debe tomar su medicina de siempre para el dolor.")}[language]
    last = {("en", 14): "Then rate it once a day for 14 days.", ("es", 14): "Luego anótelo una vez al día por 14 días.",
            ("en", 0): "Then rate it every hour until 8 hours after the block.",
            ("es", 0): "Luego anótelo cada hora hasta 8 horas después del bloqueo."}
    for days in (14, 0):
        blocks = list(library_for(Settings(diary_daily_days=days)).pack(language).page("after").blocks)
        assert blocks[blocks.index(lead) - 1] == last[language, days]  # the plan's last line, then the lead-in
        assert blocks.index(lead) < blocks.index(nap) < blocks.index(medicine)
        assert not any(("these hours" in b or "this time" in b or "esas horas" in b or "ese tiempo" in b) for b in blocks)


# ----------------------------------------------------------------------------- the printed page


def test_the_diary_pdf_has_a_row_for_each_time_of_the_schedule(qapp, tmp_path: Path, library: ContentLibrary,
                                                                settings: Settings) -> None:
    path = tmp_path / "diary.pdf"
    print_to_pdf(build_diary(library.pack("en"), settings), path)
    pages = pdf_pages(path)
    assert len(pages) == 1
    text = pages[0]
    rows = ["15 minutes", "30 minutes", "45 minutes", "1 hour"] + [f"{h} hours" for h in range(2, 9)]
    positions = [text.index(row) for row in rows]
    assert positions == sorted(positions)  # in the schedule's order
    # The score just before the block is the table's first row, under the column headings.
    assert text.index("Time after the block") < text.index("Just before the block") < positions[0]
    assert "9 hours" not in text
    for words in ("My pain diary", "Just before the block", "Clock time", "Pain score (0 to 10)", "What I did",
                  "Time my usual pain came back:", "Did you take pain medicine? When?", "Rate only your usual pain",
                  "No pain", "Medium pain", "Worst pain you can imagine", "Day 1", "Day 14",
                  "Bring this diary back, or phone in your scores to Sunrise Pain Clinic at 555-0142", "Name:"):
        assert words in text, words
    assert "Day 15" not in text
    assert all(str(n) in text for n in range(11))


def test_a_changed_schedule_changes_the_rows(qapp, tmp_path: Path) -> None:
    settings = Settings(clinic_name="Elm Clinic", clinic_phone="555-0199", diary_schedule=("0:20", "0:40", "1:00", "1:30", "6:00"),
                        diary_daily_days=0, diary_return="phone")
    path = tmp_path / "diary.pdf"
    print_to_pdf(build_diary(library_for(settings).pack("en"), settings), path)
    text = pdf_pages(path)[0]
    for row in ("20 minutes", "40 minutes", "1 hour", "90 minutes", "6 hours"):
        assert row in text, row
    for gone in ("15 minutes", "2 hours", "8 hours", "Then once a day", "Day 1"):
        assert gone not in text, gone
    assert "Phone in your scores to Elm Clinic at 555-0199." in text


def test_the_spanish_diary(qapp, tmp_path: Path, library: ContentLibrary, settings: Settings) -> None:
    path = tmp_path / "diario.pdf"
    print_to_pdf(build_diary(library.pack("es"), settings), path)
    text = pdf_pages(path)[0]
    for words in ("Mi diario del dolor", "Justo antes del bloqueo", "15 minutos", "1 hora", "8 horas", "Hora del reloj",
                  "Califique solo su dolor de siempre", "Nada de dolor", "El peor dolor que se pueda imaginar",
                  "¿Tomó medicina para el dolor?", "Día 14", "Sunrise Pain Clinic al 555-0142"):
        assert words in text, words
    assert "minutes" not in text and "My pain diary" not in text


LONGEST = ("0:10", "0:20", "0:30", "0:40", "0:50", "1:00", "1:30", "2:00", "3:00", "4:00", "6:00", "8:00", "12:00", "24:00")


@pytest.mark.parametrize(("times", "days"), [(LONGEST, MAX_DAILY_DAYS), (DEFAULT_SCHEDULE, MAX_DAILY_DAYS),
                                             (DEFAULT_SCHEDULE, DEFAULT_DAILY_DAYS)], ids=["longest", "default-4-weeks", "default"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_fullest_diary_still_fits_one_a4_and_one_letter_page(qapp, tmp_path: Path, language: str,
                                                                 times: tuple[str, ...], days: int) -> None:
    """The most rows, or the default rows (which get more room each), with the most daily
    boxes or the default ones, and a long clinic name and phone."""
    assert len(LONGEST) == MAX_ROWS
    for paper in ("letter", "a4"):
        settings = Settings(clinic_name="Saint Bartholomew's Regional Interventional Pain Management Center",
                            clinic_phone="(555) 010-0199 ext. 1234", diary_schedule=times, diary_daily_days=days,
                            paper_size=paper)
        path = tmp_path / f"{paper}.pdf"
        print_to_pdf(build_diary(library_for(settings).pack(language), settings), path)
        reader = pypdf.PdfReader(str(path))
        assert len(reader.pages) == 1, paper
        width = round(float(reader.pages[0].mediabox.width))
        assert width == {"letter": 612, "a4": 595}[paper]
        assert {"en": f"Day {days}", "es": f"Día {days}"}[language] in pdf_pages(path)[0]


@pytest.mark.parametrize("way", ["either", "bring", "phone"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_clinic_name_and_phone_are_on_it_whatever_the_way_back(qapp, tmp_path: Path, way: str, language: str) -> None:
    settings = Settings(clinic_name="Elm Clinic", clinic_phone="555-0199", diary_return=way)
    path = tmp_path / "diary.pdf"
    print_to_pdf(build_diary(library_for(settings).pack(language), settings), path)
    text = pdf_pages(path)[0]
    assert text.count("Elm Clinic") == 2, text  # at the top, and with the phone at the bottom
    assert text.count("555-0199") == 1, text
    said = {("en", "either"): "Bring this diary back, or phone in your scores to Elm Clinic at 555-0199.",
            ("en", "bring"): "Bring this diary with you to your next visit. Questions? Call Elm Clinic at 555-0199.",
            ("en", "phone"): "Phone in your scores to Elm Clinic at 555-0199.",
            ("es", "either"): "Traiga este diario, o llame a Elm Clinic al 555-0199 para dar sus números.",
            ("es", "bring"): "Traiga este diario a su próxima cita. ¿Preguntas? Llame a Elm Clinic al 555-0199.",
            ("es", "phone"): "Llame a Elm Clinic al 555-0199 para dar sus números."}
    assert said[language, way] in text, text


def laid_out(html: str, width: float) -> dict[str, tuple[float, float]]:
    """(left, right) of the first line of each paragraph's text, as the printout lays it
    out (the kiosk's font at 12 pt) ``width`` points wide."""
    from PySide6.QtGui import QFont, QTextDocument

    from kiosk.ui.theme import FONT_FAMILY

    document = QTextDocument()
    font = QFont(FONT_FAMILY)
    font.setPointSizeF(12)
    document.setDefaultFont(font)
    document.setHtml(html)
    document.setTextWidth(width)
    layout = document.documentLayout()
    found: dict[str, tuple[float, float]] = {}
    block = document.begin()
    while block.isValid():
        at = layout.blockBoundingRect(block).x()
        line = block.layout().lineAt(0).naturalTextRect() if block.layout().lineCount() else None
        if line is not None:
            found.setdefault(block.text(), (at + line.left(), at + line.right()))
        block = block.next()
    return found


@pytest.mark.parametrize("width", [470.0, 640.0], ids=["paper", "wide"])  # 470 pt: Letter's and A4's text width
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_scales_words_stand_under_0_5_and_10(qapp, library: ContentLibrary, settings: Settings, language: str,
                                                  width: float) -> None:
    from kiosk.ui.diary_sheet import diary_html

    diary = build_diary(library.pack(language), settings)
    at = laid_out(diary_html(diary), width)
    low, middle, high = (at[word] for word in diary.scale_words)
    zero, five, ten = at["0"], at["5"], at["10"]
    assert abs((middle[0] + middle[1]) / 2 - (five[0] + five[1]) / 2) <= 4, (middle, five)
    assert low[0] <= zero[0] and low[1] < five[0], (low, zero)  # starts under 0, ends well before 5
    assert high[1] >= ten[1] and high[0] > five[1], (high, ten)  # ends under 10


@pytest.mark.parametrize(("days", "lines"), [(DEFAULT_DAILY_DAYS, 4.5), (MAX_DAILY_DAYS, 3.5)], ids=["two-weeks", "four-weeks"])
def test_each_daily_box_has_room_to_write_a_score(qapp, library: ContentLibrary, days: int, lines: float) -> None:
    """Under "Day 1" a box must leave room for a handwritten number. Measured in lines of its
    8 pt text: with the common plan (the page has room) a box is 4.5 lines tall, about 12 mm
    printed (it was 3.7, leaving some 5 mm under the day's name); with four weeks, 3.5."""
    from PySide6.QtGui import QFont, QTextDocument

    from kiosk.ui.diary_sheet import diary_html
    from kiosk.ui.theme import FONT_FAMILY

    settings = Settings(diary_daily_days=days)
    document = QTextDocument()
    font = QFont(FONT_FAMILY)
    font.setPointSizeF(12)
    document.setDefaultFont(font)
    document.setHtml(diary_html(build_diary(library.pack("en"), settings)))
    document.setTextWidth(470)
    day = document.find("Day 1")
    table = day.currentTable()
    assert table is not None and table.rows() == days // 14
    row = document.documentLayout().frameBoundingRect(table).height() / table.rows()
    line = day.block().layout().lineAt(0).height()  # (the blank lines are in the same paragraph)
    assert row >= lines * line, (row, line)


def test_nothing_about_the_patient_is_printed(qapp, tmp_path: Path, library: ContentLibrary, settings: Settings) -> None:
    """Not a name, not a date, not a score picked on the practice scale: the same page for everyone."""
    diary = build_diary(library.pack("en"), settings)
    path = tmp_path / "diary.pdf"
    print_to_pdf(diary, path)
    text = pdf_pages(path)[0]
    assert date.today().isoformat() not in text
    after_name = text.split("Name:", 1)[1].lstrip()
    assert after_name.startswith("_")  # a blank line to write on


def test_printed_with_the_questions_as_a_second_page(qapp, tmp_path: Path, library: ContentLibrary, settings: Settings) -> None:
    pack = library.pack("en")
    handout = build_handout(pack, [pack.questions[0].id], settings.clinic_name, date.today(), "a4", build_diary(pack, settings))
    path = tmp_path / "both.pdf"
    print_to_pdf(handout, path)
    pages = pdf_pages(path)
    assert len(pages) == 2
    assert pack.questions[0].text in pages[0] and "My pain diary" not in pages[0]
    assert "My pain diary" in pages[1] and "45 minutes" in pages[1]
    assert round(float(pypdf.PdfReader(str(path)).pages[1].mediabox.width)) == 595


def test_print_test_pdf_includes_the_diary(qapp, tmp_path: Path, library: ContentLibrary, capsys) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(clinic_name="Elm Clinic", clinic_phone="555-0199", diary_schedule=("0:30", "2:00"))
    path = tmp_path / "sample.pdf"
    assert print_sample(library_for(settings).pack("en"), settings, path) == 0
    pages = pdf_pages(path)
    assert len(pages) == 2 and "My pain diary" in pages[1]
    assert "30 minutes" in pages[1] and "2 hours" in pages[1] and "15 minutes" not in pages[1]


# ----------------------------------------------------------------------------- the checker


def test_the_checker_places_the_practice_scale_on_diary_pages_only(tmp_path: Path) -> None:
    from kiosk.core.content import load_pack
    from kiosk.core.errors import ContentError
    from tests.packmaker import VALUES, make_pack

    folder, pictures = make_pack(tmp_path)
    toml = folder / "pack.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('kind = "info"\ntitle = "Risks"', 'kind = "diary"\ntitle = "Risks"'),
                    encoding="utf-8")
    (folder / "intro.md").write_text("Your back has small joints.\n\n{{practice_scale}}\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_pack(folder, VALUES, pictures)
    problems = [str(p) for p in caught.value.problems]
    assert any(p.startswith(str(folder / "risks.md") + ":1:") and "a 'diary' page shows the practice scale once" in p
               for p in problems), problems
    assert any(p.startswith(str(folder / "intro.md") + ":3:") and "can only be on a page of kind 'diary'" in p
               for p in problems), problems
    # Put right: the diary page has it, with the plan, and loads.
    (folder / "intro.md").write_text("Your back has small joints. See the [risks](#risks).\n", encoding="utf-8")
    (folder / "risks.md").write_text("Most people feel fine.\n\n{{diary_plan}}\n\n{{practice_scale}}\n\nCall us.\n", encoding="utf-8")
    page = load_pack(folder, {**VALUES, "diary_schedule": "0:30 1:00", "diary_daily_days": "0"}, pictures).page("risks")
    assert page.html.count("<p>KIOSKPRACTICESCALEBLOCK</p>") == 1
    assert "KIOSKPRACTICESCALEBLOCK" not in " ".join(page.blocks)  # never read aloud or scored
    assert len(page.blocks) == 3  # the sentence, one plan line (every 30 minutes until 1 hour), "Call us."


def test_the_print_test_command_writes_the_clinics_diary(tmp_path: Path) -> None:
    """``kiosk print-test --pdf FILE``, as IT runs it: the sample handout, then the diary for
    the config's schedule, paper and language."""
    import subprocess
    import sys

    config = tmp_path / "kiosk.toml"
    config.write_text('clinic_name = "Elm Clinic"\nclinic_phone = "555-0199"\npaper_size = "a4"\n'
                      'diary_schedule = ["0:20", "0:40", "3:00"]\ndiary_daily_days = 3\n', encoding="utf-8")
    pdf = tmp_path / "sample.pdf"
    result = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(config), "print-test", "--pdf", str(pdf),
                             "--lang", "es"], check=False, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    pages = pdf_pages(pdf)
    diary = pages[-1]
    assert "Mi diario del dolor" in diary and not any("Mi diario del dolor" in page for page in pages[:-1])
    for row in ("20 minutos", "40 minutos", "3 horas", "Día 3", "Elm Clinic al 555-0199"):
        assert row in diary, row
    for gone in ("15 minutos", "8 horas", "Día 4"):
        assert gone not in diary, gone
    assert {round(float(page.mediabox.width)) for page in pypdf.PdfReader(str(pdf)).pages} == {595}
