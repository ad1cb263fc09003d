"""The content model: what a loaded pack holds, and the limits it is held to.

Plain frozen dataclasses, built only by :mod:`kiosk.core.content.loader` (or read back
from the content cache); the UI draws from them. The limits are named here so that the
README, the checker and the tests can name them too.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kiosk.core.content.kinds import PAGE_KINDS as PAGE_KINDS  # re-exported: the kinds' table
from kiosk.core.content.motion import Motion

MANIFEST = "pack.toml"
# A content folder holds one folder per topic (procedure), each with one folder per language,
# beside ``interface/`` (the interface words, <language>.toml) and ``illustrations/``.
INTERFACE = "interface"
# Statistics recorded before topics existed name their pages and questions without one:
# they were all this topic's.
LEGACY_TOPIC = "thoracic-mbb"
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_]*)\s*\}\}")
PLACEHOLDER_KEYS = ("clinic_name", "clinic_phone", "emergency_number")

# Every string ``ContentPack.text`` answers. Most are interface words, shared by every topic
# (content/interface/<lang>.toml [ui]); TOPIC_UI_KEYS are each topic's own (its pack.toml [ui]).
UI_KEYS = (
    "app_title", "welcome_title", "welcome_body", "start", "language", "idle_note",
    "next", "back", "home", "done", "step_of", "page_of", "disclaimer",
    "checklist_hint", "ticked", "not_ticked", "why_label", "summary_count",
    "summary_count_one", "summary_empty", "show_nurse", "idle_title", "idle_body",
    "still_here", "read_aloud", "stop_reading", "text_size", "contrast", "progress",
    "picture", "goodbye", "volume", "print", "printing", "printed", "print_error",
    "qr_show", "qr_hide", "qr_hint", "demo_banner", "start_over_title", "start_over_body", "start_over_yes",
    "start_over_no", "idle_note_one", "idle_body_one", "start_over_body_one", "topics_title", "topics_body",
    # The pain diary: its print button, the practice scale, the printed page, and the words
    # its schedule is described in (kiosk.core.diary).
    "print_diary", "printing_diary", "practice_title", "practice_prompt", "practice_row", "practice_chosen",
    "practice_note", "scale_0", "scale_5", "scale_10", "diary_example_clock", "diary_example_activity",
    "diary_title", "diary_intro", "diary_name", "diary_before", "diary_col_after", "diary_col_clock",
    "diary_col_score", "diary_col_activity", "diary_relief", "diary_medicine", "diary_daily_title", "diary_day",
    "diary_scale_title", "diary_return_either", "diary_return_bring", "diary_return_phone", "diary_contact",
    "diary_minutes", "diary_minutes_one", "diary_hours", "diary_hours_one", "diary_every_minutes",
    "diary_every_minutes_one", "diary_every_hours", "diary_every_hours_one", "diary_plan_first", "diary_plan_next",
    "diary_plan_at_first", "diary_plan_at_next", "diary_plan_daily", "diary_plan_daily_one",
    # The check of understanding (a "check" page), the questions it adds to the list, and the
    # "Education viewed" box of the printed handout (kiosk.core.teach_back).
    "check_of", "check_right", "check_not_quite", "check_show_page", "check_back", "check_next", "check_finish",
    "check_skip", "check_done", "check_added", "check_added_title", "check_added_mark", "check_chosen",
    "record_title", "record_topic", "record_version", "record_time", "record_sections", "record_check",
    "record_check_value", "record_check_none",
    # A stage picture that moves: its button, the toolbar's motion switch, the list of its beats.
    "pause", "play", "replay", "less_motion", "picture_steps",
)
TOPIC_UI_KEYS = ("app_title", "welcome_title", "welcome_body")
INTERFACE_KEYS = tuple(key for key in UI_KEYS if key not in TOPIC_UI_KEYS)
# The {numbers} each interface string may hold; any other {field} is an error.
UI_NUMBERS = {
    "step_of": ("n", "total"), "page_of": ("n", "total"), "summary_count": ("n",),
    "idle_note": ("minutes",), "idle_body": ("seconds",), "start_over_body": ("n",),
    "idle_note_one": ("minutes",), "idle_body_one": ("seconds",), "start_over_body_one": ("n",),
    "practice_chosen": ("n",), "diary_day": ("n",), "diary_minutes": ("n",), "diary_minutes_one": ("n",),
    "diary_hours": ("n",), "diary_hours_one": ("n",), "diary_every_minutes": ("n",), "diary_every_minutes_one": ("n",),
    "diary_every_hours": ("n",), "diary_every_hours_one": ("n",), "diary_plan_daily": ("n",), "diary_plan_daily_one": ("n",),
    "diary_plan_first": ("end", "every"), "diary_plan_next": ("end", "every"), "diary_plan_at_first": ("end", "every"),
    "diary_plan_at_next": ("end", "every"),
    "check_of": ("n", "total"), "record_check_value": ("n", "total"),
}
MAX_MANIFEST_BYTES = 200_000  # the shipped manifests: 13 kB
# How much a pack may hold. 2,000 questions took 21.7 s in --self-test and 6.2 s from a tap
# to the first page. Shipped packs (both topics): 10 pages, 5 sections, 6 groups, up to 25
# questions (12 in the largest group), 7 signs in the largest warning tier; the longest title
# has 61 characters, section label 11, question 98, "why" 110, any other text 197.
MAX_PAGES = 25
MAX_SECTIONS = 8
MAX_GROUPS = 12
MAX_QUESTIONS = 60
MAX_QUESTIONS_PER_GROUP = 25
MAX_SIGNS_PER_TIER = 12
MAX_LABEL_CHARS = 40  # a section's label (a button in the progress bar), a language's name
MAX_TITLE_CHARS = 120  # a page's or a question group's title
MAX_QUESTION_CHARS = 200  # a question's text, and why to ask it
MAX_BEAT_CAPTION_CHARS = 140  # a beat's caption is read while the picture moves: one short sentence or two
MAX_TEXT_CHARS = 400  # any other text: [ui], [handout], alt texts, captions, warning signs
# A clinic may add its own pictures in <content root>/illustrations, beside the topic folders.
CLINIC_PICTURES = "illustrations"
# Folder names in a content root that are not topics.
RESERVED_FOLDERS = (INTERFACE, CLINIC_PICTURES)
MAX_PICTURE_BYTES = 2_000_000
# The id tables every language must share, with the words problems name them by.
SHARED_TABLES = (("pages", "page ids"), ("questions", "question ids"), ("groups", "group ids"),
                 ("sections", "section ids"), ("checks", "check item ids"))
# The check of understanding: 2 or 3 answers an item, at most MAX_CHECK_ITEMS items a pack.
MAX_CHECK_ITEMS = 6
CHECK_ANSWERS = (2, 3)
# A question the check added to the patient's list is named "check:<item id>" among the ticks.
CHECK_QUESTION_PREFIX = "check:"


def is_singular(language: str, count: int) -> bool:
    """The plural rule: does ``language`` say ``count`` things in the singular? (CLDR
    "one": exactly 1 in English and Spanish; 0 and 1 in French and Portuguese.)"""
    if language.split("-")[0] in ("fr", "pt"):
        return count in (0, 1)
    return count == 1


@dataclass(frozen=True)
class Illustration:
    file: str
    path: Path
    alt: str
    caption: str
    motion: Motion | None = None  # a stage picture that moves (kiosk.core.content.motion), its captions filled in


@dataclass(frozen=True)
class Section:
    id: str
    label: str


@dataclass(frozen=True)
class Page:
    id: str
    section: str
    kind: str
    title: str
    html: str
    blocks: tuple[str, ...]  # plain text of each paragraph/item, for speech and scoring
    source: Path
    step: int | None = None
    illustration: Illustration | None = None
    line: int = field(default=1, compare=False)  # its [[pages]] header in pack.toml


@dataclass(frozen=True)
class QuestionGroup:
    id: str
    title: str


@dataclass(frozen=True)
class Question:
    id: str
    group: str
    text: str
    why: str
    line: int = field(default=1, compare=False)  # its [[questions]] header in pack.toml


@dataclass(frozen=True)
class CheckItem:
    """One item of the check of understanding (``[[checks]]`` in pack.toml)."""

    id: str
    question: str
    answers: tuple[str, ...]
    right: int  # the right answer's index in ``answers`` (pack.toml says ``right = 1`` for the first)
    why: str  # one sentence: why that answer is right
    page: str  # the id of the page that explains it
    go_over: str  # the question added to the patient's list when the first answer was not right
    line: int = field(default=1, compare=False)  # its [[checks]] header in pack.toml

    @property
    def question_id(self) -> str:
        """The id of the question this item adds to the list ("check:<item id>")."""
        return CHECK_QUESTION_PREFIX + self.id


@dataclass(frozen=True)
class Review:
    status: str
    reviewed_by: str
    review_date: str
    next_review_due: date | None

    def overdue(self, today: date) -> bool:
        return self.next_review_due is not None and today > self.next_review_due


@dataclass(frozen=True)
class HandoutText:
    """The printed handout's fixed words (``[handout]`` in pack.toml)."""

    title: str
    intro: str
    answer_label: str
    warning_title: str
    date_label: str
    qr_heading: str
    disclaimer: str


HANDOUT_TEXT_KEYS = ("title", "intro", "answer_label", "warning_title", "date_label", "qr_heading", "disclaimer")
# Keys the [handout] table used to have, and where their words went.
HANDOUT_MOVED_KEYS = ("warning_signs", "call_line", "emergency_line")

# The warning signs, written once per language as [[warnings]] tiers, in this order:
# shown on the page that holds {{warning_signs}}, printed on the handout, read aloud.
WARNING_TIERS = ("emergency", "same-day", "after-hours")
WARNINGS_BLOCK = "warning_signs"  # {{warning_signs}}, alone on a line of a page


@dataclass(frozen=True)
class WarningTier:
    """One tier of warning signs: what to do ("Call 911 now if you have:") and the signs."""

    tier: str
    heading: str
    signs: tuple[str, ...]


def warnings_html(tiers: tuple[WarningTier, ...]) -> str:
    """The tiers as the page and the handout show them: a heading and a list each."""
    e = html.escape
    return "".join(f"<h3>{e(t.heading)}</h3><ul>" + "".join(f"<li>{e(s)}</li>" for s in t.signs) + "</ul>" for t in tiers)


@dataclass(frozen=True)
class TopicCard:
    """What the welcome screen's card for a topic shows: ``[topic]`` in pack.toml, or, where
    that is left out, the pack's ``app_title``, its ``welcome_title`` and its first picture."""

    title: str
    summary: str  # one line under the title
    picture: Illustration | None


@dataclass(frozen=True)
class ContentPack:
    language: str
    name: str
    version: str
    folder: Path
    review: Review
    ui: dict[str, str]
    sections: tuple[Section, ...]
    pages: tuple[Page, ...]
    groups: tuple[QuestionGroup, ...]
    questions: tuple[Question, ...]
    handout: HandoutText
    warnings: tuple[WarningTier, ...]
    topic: str = LEGACY_TOPIC  # the topic folder's name
    card: TopicCard | None = None  # None only for packs built by hand (tests)
    checks: tuple[CheckItem, ...] = ()  # the check of understanding's items, in order

    def page(self, page_id: str) -> Page:
        return self.pages[self.page_index(page_id)]

    def page_index(self, page_id: str) -> int:
        for i, page in enumerate(self.pages):
            if page.id == page_id:
                return i
        raise KeyError(page_id)

    def question(self, question_id: str) -> Question:
        """A checklist question, or one the check adds to the list ("check:<item id>")."""
        if question_id.startswith(CHECK_QUESTION_PREFIX):
            item = self.check_item(question_id.removeprefix(CHECK_QUESTION_PREFIX))
            return Question(item.question_id, CHECK_QUESTION_PREFIX, item.go_over, item.why, line=item.line)
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def check_item(self, item_id: str) -> CheckItem:
        for item in self.checks:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    @property
    def stage_count(self) -> int:
        return sum(1 for p in self.pages if p.kind == "stage")

    def first_page_of(self, section_id: str) -> Page:
        return next(p for p in self.pages if p.section == section_id)

    def text(self, key: str, **numbers: int) -> str:
        """An interface string with its ``{n}``-style numbers filled in. For a count that
        the language says in the singular ("1 minute"), ``<key>_one`` is used when the
        pack has it."""
        if len(numbers) == 1 and f"{key}_one" in self.ui and is_singular(self.language, next(iter(numbers.values()))):
            key = f"{key}_one"
        # Every [ui] string is a format string (checked at load: plain {name} fields only),
        # so "{{" shows as "{" whether or not the string has numbers.
        return self.ui[key].format(**numbers)


@dataclass(frozen=True)
class ContentLibrary:
    """Every topic's packs, one per language, checked to share page ids, question ids and
    UI keys within a topic. ``packs``, ``languages`` and ``pack(language)`` are the default
    topic's, as before topics existed."""

    packs: dict[str, ContentPack]  # the default topic's: language -> pack
    default_language: str
    topic_map: dict[str, dict[str, ContentPack]] = field(default_factory=dict)  # every topic, in order
    default_topic: str = ""
    # check-content's warnings (file:line: ...), such as a link to a topic the config leaves out.
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        # A library built from one topic's packs (tests, older callers) is that topic alone.
        if not self.default_topic:
            first = next(iter(self.packs.values()), None)
            object.__setattr__(self, "default_topic", first.topic if first is not None else LEGACY_TOPIC)
        if not self.topic_map:
            object.__setattr__(self, "topic_map", {self.default_topic: self.packs})

    @property
    def languages(self) -> list[str]:
        return list(self.packs)

    @property
    def topics(self) -> list[str]:
        """Topic ids in the order the welcome screen offers them."""
        return list(self.topic_map)

    def topic_packs(self, topic: str) -> dict[str, ContentPack]:
        """Language -> pack of ``topic``; KeyError for a topic not served."""
        return self.topic_map[topic]

    def pack(self, language: str, topic: str | None = None) -> ContentPack:
        """The pack of ``topic`` (None: the default topic) in ``language``, or in the default
        language when ``language`` is not served."""
        packs = self.packs if topic is None else self.topic_map[topic]
        return packs.get(language) or packs[self.default_language]

    def card(self, topic: str, language: str | None = None) -> TopicCard:
        """The welcome screen's card for ``topic`` in ``language`` (None: the default language)."""
        pack = self.pack(language or self.default_language, topic)
        return pack.card or TopicCard(pack.text("app_title"), pack.text("welcome_title"), None)

    def all_packs(self) -> list[ContentPack]:
        """Every pack of every topic, topic by topic."""
        return [pack for packs in self.topic_map.values() for pack in packs.values()]

    def statistics_ids(self) -> set[str]:
        """What the usage figures may name: languages, and every topic's pages and questions as ``topic/id``."""
        ids = set(self.languages)
        for pack in self.all_packs():
            ids.add(pack.language)
            ids |= {f"{pack.topic}/{p.id}" for p in pack.pages} | {f"{pack.topic}/{q.id}" for q in pack.questions}
            ids |= {f"{pack.topic}/{item.id}" for item in pack.checks}
        return ids

    def check_texts(self, language: str) -> dict[str, str]:
        """Each topic's check items' questions in ``language``, keyed ``topic/item id`` as the figures name them."""
        return {f"{topic}/{item.id}": item.question for topic in self.topics for item in self.pack(language, topic).checks}

    def titles_for_statistics(self, language: str) -> tuple[dict[str, str], dict[str, str]]:
        """(page titles, question texts) in ``language``, keyed ``topic/id`` as the figures name them."""
        pages: dict[str, str] = {}
        questions: dict[str, str] = {}
        for topic in self.topics:
            pack = self.pack(language, topic)
            pages.update({f"{topic}/{p.id}": p.title for p in pack.pages})
            questions.update({f"{topic}/{q.id}": q.text for q in pack.questions})
        return pages, questions
