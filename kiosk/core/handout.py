"""What a patient can take home: the printed handout and the QR code's text.

Built only from the session's ticked question ids and the content pack; it holds
no name, no date of birth, nothing that identifies the patient.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kiosk.core.content import ContentPack, WarningTier
from kiosk.core.diary import Diary
from kiosk.core.teach_back import EducationRecord

QR_MAX_CHARS = 1200  # what still scans easily at the size the kiosk shows (QR version <= ~25)
SHORT_QUESTION_CHARS = 48


@dataclass(frozen=True)
class Handout:
    language: str
    clinic_name: str
    title: str
    intro: str
    questions: tuple[str, ...]
    answer_label: str
    warning_title: str
    warnings: tuple[WarningTier, ...]  # the same tiers the risks page shows
    date_line: str
    disclaimer: str
    paper_size: str = "letter"  # or "a4" (config paper_size)
    diary: Diary | None = None  # the pain diary, printed with the questions as a second page
    record: EducationRecord | None = None  # the "Education viewed" box (config education_record)


def ticked_questions(pack: ContentPack, ticked_ids: list[str]) -> list[str]:
    """Question texts: first those the check of understanding added ("Please go over: ...",
    marked as added by the check), in the check's order, then the checklist's, in the order
    the patient saw them."""
    wanted = set(ticked_ids)
    mark = pack.ui.get("check_added_mark", "")
    added = [f"{item.go_over} {mark}".rstrip() for item in pack.checks if item.question_id in wanted]
    return added + [q.text for q in pack.questions if q.id in wanted]


def build_handout(pack: ContentPack, ticked_ids: list[str], clinic_name: str, today: date,
                  paper_size: str = "letter", diary: Diary | None = None, record: EducationRecord | None = None) -> Handout:
    h = pack.handout
    return Handout(
        language=pack.language,
        clinic_name=clinic_name,
        title=h.title,
        intro=h.intro,
        questions=tuple(ticked_questions(pack, ticked_ids)),
        answer_label=h.answer_label,
        warning_title=h.warning_title,
        warnings=pack.warnings,
        date_line=f"{h.date_label} {today.isoformat()}",
        disclaimer=h.disclaimer,
        paper_size=paper_size,
        diary=diary,
        record=record,
    )


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def qr_text(pack: ContentPack, ticked_ids: list[str], max_chars: int = QR_MAX_CHARS) -> str:
    """Plain text for the QR code: a heading and the numbered questions. No web address.

    When the full list is too long to scan comfortably, each question is shortened.
    """
    questions = ticked_questions(pack, ticked_ids)
    heading = pack.handout.qr_heading

    def compose(items: list[str]) -> str:
        return "\n".join([heading] + [f"{n}. {text}" for n, text in enumerate(items, start=1)])

    text = compose(questions)
    if len(text) <= max_chars:
        return text
    limit = SHORT_QUESTION_CHARS
    while limit > 12:
        text = compose([_shorten(q, limit) for q in questions])
        if len(text) <= max_chars:
            return text
        limit -= 8
    return text[: max_chars - 1] + "…"
