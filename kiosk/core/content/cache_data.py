"""The content library as plain JSON data and back, for the content cache (cache.py).

Every value read back is checked for its type and shape: a damaged cache file raises
ValueError, TypeError, KeyError or IndexError, which the cache treats as a miss."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kiosk.core.content.model import (
    CheckItem,
    ContentLibrary,
    ContentPack,
    HandoutText,
    Illustration,
    Page,
    Question,
    QuestionGroup,
    Review,
    Section,
    TopicCard,
    WarningTier,
)
from kiosk.core.content.motion import Beat, Motion, Move


def library_to_data(library: ContentLibrary) -> dict[str, object]:
    return {"default_language": library.default_language, "default_topic": library.default_topic,
            "warnings": list(library.warnings),
            "topics": [[topic, [_pack_to_data(p) for p in packs.values()]] for topic, packs in library.topic_map.items()]}


def _pack_to_data(pack: ContentPack) -> dict[str, object]:
    review = pack.review
    return {
        "language": pack.language, "name": pack.name, "version": pack.version, "folder": str(pack.folder),
        "review": [review.status, review.reviewed_by, review.review_date,
                   review.next_review_due.isoformat() if review.next_review_due else None],
        "ui": pack.ui,
        "sections": [[s.id, s.label] for s in pack.sections],
        "pages": [_page_to_data(p) for p in pack.pages],
        "groups": [[g.id, g.title] for g in pack.groups],
        "questions": [[q.id, q.group, q.text, q.why, q.line] for q in pack.questions],
        "handout": [getattr(pack.handout, key) for key in _HANDOUT_FIELDS],
        "warnings": [[t.tier, t.heading, list(t.signs)] for t in pack.warnings],
        "topic": pack.topic,
        "card": None if pack.card is None else [pack.card.title, pack.card.summary, _picture_to_data(pack.card.picture)],
        "checks": [[c.id, c.question, list(c.answers), c.right, c.why, c.page, c.go_over, c.line] for c in pack.checks],
    }


def _picture_to_data(picture: Illustration | None) -> list[object] | None:
    if picture is None:
        return None
    return [picture.file, str(picture.path), picture.alt, picture.caption, _motion_to_data(picture.motion)]


def _picture_from_data(data: object) -> Illustration | None:
    if data is None:
        return None
    file, path, alt, caption, motion = _list(data, 5)
    return Illustration(_str(file), Path(_str(path)), _str(alt), _str(caption), _motion_from_data(motion))


def _motion_to_data(motion: Motion | None) -> list[object] | None:
    if motion is None:
        return None
    return [list(motion.hidden), [[b.seconds, b.caption, [[m.verb, m.part, m.x, m.y, m.amount, m.around, m.arrive] for m in b.moves]]
                                  for b in motion.beats]]


def _motion_from_data(data: object) -> Motion | None:
    if data is None:
        return None
    hidden, beats = _list(data, 2)
    out = []
    for beat in _list(beats):
        seconds, caption, moves = _list(beat, 3)
        out.append(Beat(_float(seconds), _str(caption), tuple(
            Move(_str(verb), _str(part), _float(x), _float(y), _float(amount), around is True, arrive is True)
            for verb, part, x, y, amount, around, arrive in (_list(m, 7) for m in _list(moves)))))
    return Motion(tuple(_strs(hidden)), tuple(out))


def _float(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"not a number: {value!r}")
    return float(value)


_HANDOUT_FIELDS = tuple(HandoutText.__dataclass_fields__)


def _page_to_data(page: Page) -> list[object]:
    picture = page.illustration
    return [page.id, page.section, page.kind, page.title, page.html, list(page.blocks), str(page.source), page.step,
            _picture_to_data(picture), page.line]


def library_from_data(data: object) -> ContentLibrary:
    """The library :func:`library_to_data` gave ``data``; raises ValueError (or
    KeyError, TypeError, IndexError) for anything else."""
    top = _dict(data)
    topic_map: dict[str, dict[str, ContentPack]] = {}
    for item in _list(top["topics"]):
        topic, packs = _list(item, 2)
        topic_map[_str(topic)] = {pack.language: pack for pack in (_pack_from_data(p) for p in _list(packs))}
    default_topic = _str(top["default_topic"])
    if not topic_map.get(default_topic):
        raise ValueError("no packs")
    return ContentLibrary(topic_map[default_topic], _str(top["default_language"]), topic_map, default_topic,
                          tuple(_strs(top["warnings"])))


def _pack_from_data(data: object) -> ContentPack:
    d = _dict(data)
    status, reviewed_by, review_date, due = _list(d["review"], 4)
    return ContentPack(
        language=_str(d["language"]), name=_str(d["name"]), version=_str(d["version"]), folder=Path(_str(d["folder"])),
        review=Review(_str(status), _str(reviewed_by), _str(review_date), None if due is None else date.fromisoformat(_str(due))),
        ui={_str(key): _str(value) for key, value in _dict(d["ui"]).items()},
        sections=tuple(Section(*_strs(item, 2)) for item in _list(d["sections"])),
        pages=tuple(_page_from_data(item) for item in _list(d["pages"])),
        groups=tuple(QuestionGroup(*_strs(item, 2)) for item in _list(d["groups"])),
        questions=tuple(_question_from_data(item) for item in _list(d["questions"])),
        handout=HandoutText(*_strs(d["handout"], len(_HANDOUT_FIELDS))),
        warnings=tuple(WarningTier(_str(tier), _str(heading), tuple(_strs(signs)))
                       for tier, heading, signs in (_list(item, 3) for item in _list(d["warnings"]))),
        topic=_str(d["topic"]),
        card=None if d["card"] is None else _card_from_data(d["card"]),
        checks=tuple(_check_from_data(item) for item in _list(d["checks"])),
    )


def _check_from_data(data: object) -> CheckItem:
    item_id, question, answers, right, why, page, go_over, line = _list(data, 8)
    return CheckItem(_str(item_id), _str(question), tuple(_strs(answers)), _int(right), _str(why), _str(page), _str(go_over),
                     line=_int(line))


def _card_from_data(data: object) -> TopicCard:
    title, summary, picture = _list(data, 3)
    return TopicCard(_str(title), _str(summary), _picture_from_data(picture))


def _page_from_data(data: object) -> Page:
    page_id, section, kind, title, html, blocks, source, step, picture, line = _list(data, 10)
    illustration = _picture_from_data(picture)
    return Page(_str(page_id), _str(section), _str(kind), _str(title), _str(html), tuple(_strs(blocks)), Path(_str(source)),
                None if step is None else _int(step), illustration, line=_int(line))


def _question_from_data(data: object) -> Question:
    question_id, group, text, why, line = _list(data, 5)
    return Question(_str(question_id), _str(group), _str(text), _str(why), line=_int(line))


def _dict(value: object) -> dict[str, object]:
    if not isinstance(value, dict):
        raise TypeError("not an object")
    return value


def _list(value: object, length: int | None = None) -> list[object]:
    if not isinstance(value, list) or (length is not None and len(value) != length):
        raise TypeError("not a list of the right length")
    return value


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("not text")
    return value


def _strs(value: object, length: int | None = None) -> list[str]:
    return [_str(item) for item in _list(value, length)]


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("not a whole number")
    return value
