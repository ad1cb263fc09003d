"""One function per table of ``pack.toml`` (``[[pages]]``: :mod:`kiosk.core.content.pages`).

Each reads its table, reports every problem at its line through the
:class:`~kiosk.core.content.manifest.Manifest`, and returns what it could read, so that
one load names every fault of a pack.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from kiosk.core.content import manifest as fields
from kiosk.core.content.manifest import Filler, Manifest
from kiosk.core.content.model import (
    HANDOUT_MOVED_KEYS,
    HANDOUT_TEXT_KEYS,
    ID_PATTERN,
    INTERFACE_KEYS,
    MAX_GROUPS,
    MAX_LABEL_CHARS,
    MAX_QUESTION_CHARS,
    MAX_QUESTIONS,
    MAX_QUESTIONS_PER_GROUP,
    MAX_SECTIONS,
    MAX_SIGNS_PER_TIER,
    MAX_TEXT_CHARS,
    MAX_TITLE_CHARS,
    TOPIC_UI_KEYS,
    UI_NUMBERS,
    WARNING_TIERS,
    HandoutText,
    Page,
    Question,
    QuestionGroup,
    Review,
    Section,
    TopicCard,
    WarningTier,
)


@dataclass(frozen=True)
class PackHeader:
    """The ``[pack]`` table."""

    language: str
    name: str
    version: str


def read_pack_header(data: dict[str, Any], manifest: Manifest, folder_name: str) -> PackHeader:
    """``[pack]``: language (the folder's name), name, version."""
    pack_table = fields.table(data, "pack")
    line = manifest.header_line("pack")
    if "pack" not in data:
        manifest.error(1, "missing [pack] table (language, name, version)")
    language = fields.string(pack_table, "language", manifest, line, "[pack]")
    if language and language != folder_name:
        manifest.error(manifest.key_line(line, "language"), f"[pack] language {language!r} does not match the folder name {folder_name!r}")
    name = fields.text(pack_table, "name", manifest, line, "[pack]", MAX_LABEL_CHARS)
    version = fields.string(pack_table, "version", manifest, line, "[pack]")
    return PackHeader(language, name, version)


def read_review(data: dict[str, Any], manifest: Manifest) -> Review:
    """``[review]``: status, who reviewed it and when, when the next review is due."""
    review_table = fields.table(data, "review")
    line = manifest.header_line("review")
    if "review" not in data:
        manifest.error(1, "missing [review] table (status, reviewed_by, review_date, next_review_due)")
    due: date | None = None
    for key in ("review_date", "next_review_due"):
        raw_value = review_table.get(key, "")
        if isinstance(raw_value, datetime):  # a TOML date-time: the day is what matters
            raw_value = raw_value.date()
        if isinstance(raw_value, date):
            if key == "next_review_due":
                due = raw_value
            continue
        if raw_value:
            try:
                parsed = date.fromisoformat(str(raw_value))
            except ValueError:
                manifest.error(manifest.key_line(line, key), f"[review] {key} {raw_value!r} is not a date like 2027-05-31")
                continue
            if key == "next_review_due":
                due = parsed
    return Review(
        status=fields.string(review_table, "status", manifest, line, "[review]") or "pending clinical review",
        reviewed_by=str(review_table.get("reviewed_by", "")),
        review_date=str(review_table.get("review_date", "")),
        next_review_due=due,
    )


def read_ui(data: dict[str, Any], manifest: Manifest, fill: Filler, keys: tuple[str, ...] = TOPIC_UI_KEYS,
            elsewhere: tuple[tuple[str, ...], str] = (INTERFACE_KEYS, "an interface word, shared by every topic: "
                                                        "it is in interface/<language>.toml now; remove it here")) -> dict[str, str]:
    """``[ui]``: the words ``keys`` (a topic's own, or the interface words), each a format string
    with only its own ``{numbers}``. A key of ``elsewhere[0]`` is reported with ``elsewhere[1]``."""
    ui_table = fields.table(data, "ui")
    line = manifest.header_line("ui")
    if "ui" not in data:
        manifest.error(1, f"missing [ui] table ({', '.join(keys)})")
    ui: dict[str, str] = {}
    for key in keys:
        if key not in ui_table:
            if "ui" in data:
                manifest.error(line, f"[ui] is missing '{key}'")
            continue
        ui[key] = fill.ui(fields.text(ui_table, key, manifest, line, "[ui]"), manifest.key_line(line, key))
        problem = fields.format_problem(ui[key], UI_NUMBERS.get(key, ()))
        if problem:
            manifest.error(manifest.key_line(line, key), f"[ui] {key}: {problem}")
    misplaced, advice = elsewhere
    for key in ui_table:
        if key in misplaced:
            manifest.error(manifest.key_line(line, key), f"[ui] {key!r} is {advice}".replace("<language>", manifest.path.parent.name))
        elif key not in keys:
            manifest.error(manifest.key_line(line, key), f"[ui] has unknown key '{key}' (known: {', '.join(keys)})")
    return ui


def read_topic_card(data: dict[str, Any], manifest: Manifest, fill: Filler, ui: dict[str, str],
                    pages: tuple[Page, ...]) -> TopicCard:
    """``[topic]`` (optional): the welcome screen's card, with ``title``, ``summary`` and
    ``illustration`` (a page's picture, with its alt and caption); each one left out is
    the pack's ``app_title``, ``welcome_title`` and first picture."""
    topic_table = fields.table(data, "topic")
    line = manifest.header_line("topic")
    for key in topic_table:
        if key not in ("title", "summary", "illustration"):
            manifest.error(manifest.key_line(line, key), f"[topic] has unknown key '{key}' (known: title, summary, illustration)")
    title = fill.plain(fields.text(topic_table, "title", manifest, line, "[topic]", MAX_TITLE_CHARS, required=False),
                       manifest.key_line(line, "title")) or ui.get("app_title", "").replace("{{", "{").replace("}}", "}")
    summary = fill.plain(fields.text(topic_table, "summary", manifest, line, "[topic]", required=False),
                         manifest.key_line(line, "summary")) or ui.get("welcome_title", "").replace("{{", "{").replace("}}", "}")
    pictures = [p.illustration for p in pages if p.illustration is not None]
    wanted = fields.string(topic_table, "illustration", manifest, line, "[topic]", required=False)
    picture = next((p for p in pictures if p.file == wanted), None) if wanted else (pictures[0] if pictures else None)
    if wanted and picture is None:
        manifest.error(manifest.key_line(line, "illustration"),
                       f"[topic] illustration {wanted!r} is not the picture of any page here "
                       f"(the card shows one of: {', '.join(sorted({p.file for p in pictures})) or 'none'})")
    return TopicCard(title, summary, picture)


def read_handout(data: dict[str, Any], manifest: Manifest, fill: Filler) -> HandoutText:
    """``[handout]``: the printed handout's fixed words."""
    handout_table = fields.table(data, "handout")
    line = manifest.header_line("handout")
    if "handout" not in data:
        manifest.error(1, "missing [handout] table (the printed handout's words)")
    values = {
        key: fill.plain(fields.text(handout_table, key, manifest, line, "[handout]", required="handout" in data),
                        manifest.key_line(line, key))
        for key in HANDOUT_TEXT_KEYS
    }
    for key in handout_table:
        if key in HANDOUT_MOVED_KEYS:
            manifest.error(manifest.key_line(line, key),
                           f"[handout] {key} has moved: the warning signs are written once, as three [[warnings]] "
                           "tiers (emergency, same-day, after-hours) that the risks page and the handout share; "
                           "see content/README.md")
        elif key not in HANDOUT_TEXT_KEYS:
            manifest.error(manifest.key_line(line, key),
                           f"[handout] has unknown key '{key}' (known: {', '.join(HANDOUT_TEXT_KEYS)})")
    return HandoutText(**values)


def read_warnings(data: dict[str, Any], manifest: Manifest, fill: Filler) -> tuple[WarningTier, ...]:
    """The [[warnings]] tiers: emergency, same-day, after-hours, each with a heading and signs."""
    tiers: list[WarningTier] = []
    entries = fields.table_list(data, "warnings", manifest, len(WARNING_TIERS))
    for entry, start in entries:
        tier = fields.string(entry, "tier", manifest, start, "warning tier")
        where = f"warning tier {tier!r}" if tier else "warning tier"
        heading = fill.plain(fields.text(entry, "heading", manifest, start, where), manifest.key_line(start, "heading"))
        signs = entry.get("signs")
        line = manifest.key_line(start, "signs")
        if not isinstance(signs, list) or not signs or not all(isinstance(sign, str) and sign.strip() for sign in signs):
            manifest.error(line, f'{where}: \'signs\' must be a list of texts, like ["Trouble breathing."], and not empty')
            signs = []
        if len(signs) > MAX_SIGNS_PER_TIER:
            manifest.error(line, f"{where}: too many signs ({len(signs):,}; the limit is {MAX_SIGNS_PER_TIER}); "
                                 "keep the ones that need action")
            signs = signs[:MAX_SIGNS_PER_TIER]
        for sign in signs:
            problem = fields.plain_text_problem(sign.strip(), MAX_TEXT_CHARS)
            if problem:
                manifest.error(line, f"{where}: the sign {fields.preview(sign)} {problem}")
        tiers.append(WarningTier(tier, heading, tuple(fill.plain(sign.strip(), line) for sign in signs)))
    found = [t.tier for t in tiers]
    if entries and found != list(WARNING_TIERS):
        manifest.error(entries[0][1], f"the warning signs need three [[warnings]] tiers, in this order: "
                                      f"{', '.join(WARNING_TIERS)} (found: {', '.join(found) or 'none'})")
    return tuple(tiers)


def read_sections(data: dict[str, Any], manifest: Manifest, fill: Filler) -> tuple[Section, ...]:
    """[[sections]]: the progress bar's buttons."""
    sections: list[Section] = []
    for entry, start in fields.table_list(data, "sections", manifest, MAX_SECTIONS):
        sid = fields.string(entry, "id", manifest, start, "section")
        if sid and any(s.id == sid for s in sections):
            manifest.error(manifest.key_line(start, "id"), f"duplicate section id {sid!r}")
        manifest.remember("sections", sid, start)
        label = fields.text(entry, "label", manifest, start, f"section {sid!r}", MAX_LABEL_CHARS)
        sections.append(Section(sid, fill.plain(label, start)))
    return tuple(sections)


def read_groups(data: dict[str, Any], manifest: Manifest, fill: Filler) -> tuple[QuestionGroup, ...]:
    """[[groups]]: the headings the checklist's questions are grouped under."""
    groups: list[QuestionGroup] = []
    for entry, start in fields.table_list(data, "groups", manifest, MAX_GROUPS):
        gid = fields.string(entry, "id", manifest, start, "group")
        if gid and any(g.id == gid for g in groups):
            manifest.error(manifest.key_line(start, "id"), f"duplicate group id {gid!r}")
        manifest.remember("groups", gid, start)
        title = fields.text(entry, "title", manifest, start, f"group {gid!r}", MAX_TITLE_CHARS)
        groups.append(QuestionGroup(gid, fill.plain(title, start)))
    return tuple(groups)


def read_questions(data: dict[str, Any], manifest: Manifest, fill: Filler, group_ids: set[str]) -> tuple[Question, ...]:
    """[[questions]]: the checklist, each question in one of ``group_ids``."""
    questions: list[Question] = []
    per_group: dict[str, int] = {}
    for entry, start in fields.table_list(data, "questions", manifest, MAX_QUESTIONS):
        qid = fields.string(entry, "id", manifest, start, "question")
        where = f"question {qid!r}" if qid else "question"
        if qid and not ID_PATTERN.match(qid):
            manifest.error(manifest.key_line(start, "id"), f"{where}: id must be lower-case letters, digits and '-'")
        if qid and any(q.id == qid for q in questions):
            manifest.error(manifest.key_line(start, "id"), f"duplicate question id {qid!r}")
        manifest.remember("questions", qid, start)
        group = fields.string(entry, "group", manifest, start, where)
        if group and group not in group_ids:
            manifest.error(manifest.key_line(start, "group"), f"{where}: unknown group {group!r} (known: {', '.join(sorted(group_ids))})")
        per_group[group] = per_group.get(group, 0) + 1
        if group and per_group[group] == MAX_QUESTIONS_PER_GROUP + 1:
            manifest.error(manifest.key_line(start, "group"), f"{where}: group {group!r} has more than "
                                                              f"{MAX_QUESTIONS_PER_GROUP} questions; split it into two groups")
        questions.append(Question(
            qid, group,
            fill.plain(fields.text(entry, "text", manifest, start, where, MAX_QUESTION_CHARS), manifest.key_line(start, "text")),
            fill.plain(fields.text(entry, "why", manifest, start, where, MAX_QUESTION_CHARS), manifest.key_line(start, "why")),
            line=start,
        ))
    return tuple(questions)
