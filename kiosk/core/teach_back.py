"""The check of understanding (teach-back), without Qt: what an answer means, the words of
its feedback, the anonymous counts a session adds, and the "Education viewed" box of the
printed handout.

The items are data (``[[checks]]`` in pack.toml, :mod:`kiosk.core.content.checks`); the
session keeps the patient's answers (:class:`~kiosk.core.session.Session`), keyed
``topic/item id``; the walkthrough model changes them (``Walkthrough.check``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape

from kiosk.core.content import CHECK_KIND, CHECK_QUESTION_PREFIX, CheckItem, ContentPack
from kiosk.core.session import Session

# What a check page asks the model to do (``Walkthrough.check``): an item is on screen, an
# answer was picked, the patient skips it or goes on, or asks for the page that explains it.
ACTIONS = ("show", "answer", "skip", "next", "explain")


def item_key(topic: str, item_id: str) -> str:
    return f"{topic}/{item_id}"


def is_check_question(question_id: str) -> bool:
    """A question the check added to the list (not one of the checklist's)."""
    return question_id.startswith(CHECK_QUESTION_PREFIX)


def check_page_id(pack: ContentPack) -> str | None:
    return next((p.id for p in pack.pages if p.kind == CHECK_KIND), None)


def scored_html(pack: ContentPack, html: str) -> str:
    """A check page's text with its items (each question, answer, reason and added question
    a paragraph), as check-content scores its reading level."""
    texts = [text for item in pack.checks for text in (item.question, *item.answers, item.why, item.go_over)]
    return html + "".join(f"<p>{escape(text)}</p>" for text in texts)


def feedback(pack: ContentPack, item: CheckItem, answer: int) -> str:
    """The words shown (and spoken) after an answer: right, one sentence why; not quite,
    the right answer and why, and that it is now on the patient's list. Never a grade."""
    if answer == item.right:
        return f"{pack.text('check_right')} {item.why}"
    return f"{pack.text('check_not_quite')} {item.answers[item.right]} {item.why} {pack.text('check_added')}"


@dataclass(frozen=True)
class CheckCounts:
    """What one session adds to the anonymous per-item counters, as ``topic/item id``."""

    shown: tuple[str, ...]
    right_first: tuple[str, ...]
    skipped: tuple[str, ...]  # shown, never answered (the Skip button, or the patient moved on)


def check_counts(session: Session, item_of: dict[str, CheckItem]) -> CheckCounts:
    """The counts of ``session``; ``item_of``: every item served, by ``topic/item id``."""
    shown = [key for key in session.check_shown if key in item_of]
    right = [key for key in shown if session.check_answers.get(key) == item_of[key].right]
    skipped = [key for key in shown if key not in session.check_answers]
    return CheckCounts(tuple(shown), tuple(right), tuple(skipped))


def missed_items(pack: ContentPack, session: Session) -> list[CheckItem]:
    """The items of ``pack``'s check whose first answer was not right, in check order."""
    answers = session.check_answers
    return [item for item in pack.checks
            if item_key(pack.topic, item.id) in answers and answers[item_key(pack.topic, item.id)] != item.right]


# --------------------------------------------------------------------------- the handout's box


@dataclass(frozen=True)
class EducationRecord:
    """The "Education viewed" box for the chart: what was shown, never who to."""

    title: str
    rows: tuple[tuple[str, str], ...]  # (label, value)


def education_record(pack: ContentPack, session: Session, now: datetime) -> EducationRecord:
    """Topic, content version and review status, date and time, the sections whose pages
    were opened, and how many of the check's items were right on the first try. No name,
    nothing typed, nothing the patient ticked."""
    viewed = {key.split("/", 1)[1] for key, views in session.page_views.items()
              if views and key.split("/", 1)[0] == pack.topic}
    sections = [s.label for s in pack.sections if any(p.section == s.id and p.id in viewed for p in pack.pages)]
    answers = session.check_answers
    right = sum(1 for item in pack.checks if answers.get(item_key(pack.topic, item.id), -1) == item.right)
    check = (pack.text("record_check_value", n=right, total=len(pack.checks))
             if any(item_key(pack.topic, item.id) in session.check_shown for item in pack.checks)
             else pack.text("record_check_none"))
    topic = pack.card.title if pack.card is not None else pack.text("app_title")
    rows = [
        (pack.text("record_topic"), topic),
        (pack.text("record_version"), f"{pack.version} ({pack.review.status})"),
        (pack.text("record_time"), now.strftime("%Y-%m-%d %H:%M")),
        (pack.text("record_sections"), ", ".join(sections) or "-"),
    ]
    if pack.checks:
        rows.append((pack.text("record_check"), check))
    return EducationRecord(pack.text("record_title"), tuple(rows))
