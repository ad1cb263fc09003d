"""The ``[[checks]]`` table: the items of the check of understanding (a page of kind
``check``), and the checks that keep them sound and the same in every language.

Each item is data, written in ``pack.toml``:

    [[checks]]
    id = "one-block"
    question = "One block eased your pain. What does that mean?"
    answers = ["The cause is proven.", "It may be the cause. A second block often checks."]
    right = 2                   # the number of the right answer: exactly one
    why = "One block alone can give a false result."
    page = "what-it-is"         # the page that explains it
    go_over = "Please go over: what my block result means."
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kiosk.core.content import manifest as fields
from kiosk.core.content.kinds import CHECK_KIND
from kiosk.core.content.manifest import Filler, Manifest
from kiosk.core.content.model import (
    CHECK_ANSWERS,
    ID_PATTERN,
    MAX_CHECK_ITEMS,
    MAX_QUESTION_CHARS,
    CheckItem,
    Page,
)
from kiosk.core.errors import Problem

KEYS = ("id", "question", "answers", "right", "why", "page", "go_over")


def read_checks(data: dict[str, Any], manifest: Manifest, fill: Filler, pages: tuple[Page, ...]) -> tuple[CheckItem, ...]:
    """[[checks]]: the check page's items, each linking to one of ``pages``. A pack has them
    exactly when it has a ``check`` page (at most one, before the checklist)."""
    check_pages = [p for p in pages if p.kind == CHECK_KIND]
    if len(check_pages) > 1:
        manifest.error(check_pages[1].line, f"the pack has more than one '{CHECK_KIND}' page; one check is enough")
    checklist = next((i for i, p in enumerate(pages) if p.kind == "checklist"), None)
    if check_pages and checklist is not None and pages.index(check_pages[0]) > checklist:
        manifest.error(check_pages[0].line, f"the '{CHECK_KIND}' page must come before the questions checklist, "
                                            "so that what it adds is on the list the patient reads next")
    if "checks" not in data:
        if check_pages:
            manifest.error(check_pages[0].line, f"a '{CHECK_KIND}' page needs its items: add [[checks]] blocks "
                                                "(see content/README.md)")
        return ()
    if not check_pages:
        manifest.error(manifest.header_line("checks"), f"[[checks]] items need a page of kind '{CHECK_KIND}' to show them")
    page_ids = {p.id: p.kind for p in pages}
    items: list[CheckItem] = []
    for entry, start in fields.table_list(data, "checks", manifest, MAX_CHECK_ITEMS):
        item = _read_item(entry, start, manifest, fill, page_ids)
        if item is not None:
            if any(i.id == item.id for i in items):
                manifest.error(manifest.key_line(start, "id"), f"duplicate check item id {item.id!r}")
            else:
                items.append(item)
    return tuple(items)


def _read_item(entry: dict[str, Any], start: int, manifest: Manifest, fill: Filler,
               page_ids: dict[str, str]) -> CheckItem | None:
    item_id = fields.string(entry, "id", manifest, start, "check item")
    where = f"check item {item_id!r}" if item_id else "check item"
    if item_id and not ID_PATTERN.match(item_id):
        manifest.error(manifest.key_line(start, "id"), f"{where}: id must be lower-case letters, digits and '-'")
    for key in entry:
        if key not in KEYS:
            manifest.error(manifest.key_line(start, key), f"{where} has unknown key '{key}' (known: {', '.join(KEYS)})")

    def text(key: str) -> str:
        return fill.plain(fields.text(entry, key, manifest, start, where, MAX_QUESTION_CHARS), manifest.key_line(start, key))

    question, why, go_over = text("question"), text("why"), text("go_over")
    answers = _read_answers(entry, start, manifest, fill, where)
    right = _read_right(entry, start, manifest, where, len(answers))
    page = fields.string(entry, "page", manifest, start, where)
    if page and page not in page_ids:
        manifest.error(manifest.key_line(start, "page"), f"{where}: page {page!r} not found{fields.did_you_mean(page, page_ids)}"
                                                         f" (known: {', '.join(sorted(page_ids))})")
    elif page and page_ids[page] in (CHECK_KIND, "checklist", "summary"):
        manifest.error(manifest.key_line(start, "page"), f"{where}: page {page!r} is a {page_ids[page]} page; "
                                                         "link the page that explains the answer")
    manifest.remember("checks", item_id, start, answers=len(answers), right=right, page=page)
    if not item_id:
        return None
    return CheckItem(item_id, question, answers, max(right, 0), why, page, go_over, line=start)


def _read_answers(entry: dict[str, Any], start: int, manifest: Manifest, fill: Filler, where: str) -> tuple[str, ...]:
    raw = entry.get("answers")
    line = manifest.key_line(start, "answers")
    low, high = CHECK_ANSWERS[0], CHECK_ANSWERS[-1]
    if not isinstance(raw, list) or not all(isinstance(a, str) and a.strip() for a in raw):
        manifest.error(line if "answers" in entry else start,
                       f'{where}: \'answers\' must be a list of {low} or {high} texts, like ["Yes.", "No."]')
        return ()
    if not low <= len(raw) <= high:
        manifest.error(line, f"{where}: has {len(raw)} answers; give {low} or {high} (large buttons, easy to choose from)")
    answers = []
    for answer in raw[:high]:
        problem = fields.plain_text_problem(answer.strip(), MAX_QUESTION_CHARS)
        if problem:
            manifest.error(line, f"{where}: the answer {fields.preview(answer)} {problem}")
        answers.append(fill.plain(answer.strip(), line))
    return tuple(answers)


def _read_right(entry: dict[str, Any], start: int, manifest: Manifest, where: str, count: int) -> int:
    """The right answer's index (0-based), or -1 after reporting why there is not exactly one."""
    raw = entry.get("right")
    line = manifest.key_line(start, "right")
    if raw is None:
        manifest.error(start, f"{where} needs exactly one right answer: add 'right = <its number>' (1 is the first answer)")
        return -1
    if isinstance(raw, list):
        manifest.error(line, f"{where}: an item has exactly one right answer: 'right' is one number, not a list")
        return -1
    if isinstance(raw, bool) or not isinstance(raw, int):
        manifest.error(line, f"{where}: 'right' must be the number of the right answer (1 is the first answer)")
        return -1
    if count and not 1 <= raw <= count:
        manifest.error(line, f"{where}: right = {raw}, but there are {count} answers (1 to {count})")
        return -1
    return raw - 1


def compare_checks(language: str, reference: Manifest, other: Manifest) -> list[Problem]:
    """An item shared by two languages must have as many answers, the same right one, and
    the same linked page (a translation keeps the answers in their order)."""
    problems: list[Problem] = []
    ours = {e.id: e for e in reference.ids["checks"]}
    path: Path = other.path
    for entry in other.ids["checks"]:
        mine = ours.get(entry.id)
        if mine is None:
            continue
        for key, label in (("answers", "number of answers"), ("right", "right answer"), ("page", "page")):
            theirs, wanted = entry.details.get(key), mine.details.get(key)
            if theirs != wanted:
                problems.append(Problem(path, other.key_line(entry.start, key),
                                        f"check item {entry.id!r} differs from {language!r}: {label} {_as_written(key, theirs)!r} "
                                        f"({language}: {_as_written(key, wanted)!r})"))
    return problems


def _as_written(key: str, value: object) -> object:
    """A detail as pack.toml writes it: the right answer counts from 1."""
    return value + 1 if key == "right" and isinstance(value, int) and value >= 0 else value
