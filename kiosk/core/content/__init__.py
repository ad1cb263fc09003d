"""Content packs: the model, and the loader that reads, validates and renders them.

``model`` (the dataclasses and limits) · ``manifest`` (reading pack.toml) · ``tables``
and ``pages`` (one reader per TOML table) · ``markdown`` (Markdown -> safe HTML) ·
``pictures`` · ``topics`` (topic folders, the interface words, links between topics) · ``loader`` (``load_pack``, ``load_library``, comparing languages) ·
``cache`` (a validated library kept between starts). The names below are the ones the
rest of the kiosk uses.
"""

from typing import TYPE_CHECKING, Any

from kiosk.core.content.kinds import CHECK_KIND, DIARY_KIND
from kiosk.core.content.model import (
    CHECK_QUESTION_PREFIX,
    CLINIC_PICTURES,
    HANDOUT_MOVED_KEYS,
    HANDOUT_TEXT_KEYS,
    INTERFACE,
    INTERFACE_KEYS,
    LEGACY_TOPIC,
    MANIFEST,
    MAX_GROUPS,
    MAX_LABEL_CHARS,
    MAX_MANIFEST_BYTES,
    MAX_PAGES,
    MAX_PICTURE_BYTES,
    MAX_QUESTION_CHARS,
    MAX_QUESTIONS,
    MAX_QUESTIONS_PER_GROUP,
    MAX_SECTIONS,
    MAX_SIGNS_PER_TIER,
    MAX_TEXT_CHARS,
    MAX_TITLE_CHARS,
    PAGE_KINDS,
    PLACEHOLDER_KEYS,
    TOPIC_UI_KEYS,
    UI_KEYS,
    UI_NUMBERS,
    WARNING_TIERS,
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
    is_singular,
    warnings_html,
)
from kiosk.core.content.placeholders import substitute
from kiosk.core.content.topics import topic_folders

__all__ = [
    "CHECK_KIND", "CHECK_QUESTION_PREFIX", "CLINIC_PICTURES", "CheckItem", "DIARY_KIND", "HANDOUT_MOVED_KEYS", "HANDOUT_TEXT_KEYS", "INTERFACE", "INTERFACE_KEYS", "LEGACY_TOPIC", "MANIFEST", "MAX_GROUPS", "MAX_LABEL_CHARS",
    "MAX_MANIFEST_BYTES", "MAX_PAGES", "MAX_PICTURE_BYTES", "MAX_QUESTIONS", "MAX_QUESTIONS_PER_GROUP",
    "MAX_QUESTION_CHARS", "MAX_SECTIONS", "MAX_SIGNS_PER_TIER", "MAX_TEXT_CHARS", "MAX_TITLE_CHARS", "PAGE_KINDS",
    "PLACEHOLDER_KEYS", "TOPIC_UI_KEYS", "UI_KEYS", "UI_NUMBERS", "WARNING_TIERS", "ContentLibrary", "ContentPack", "HandoutText",
    "Illustration", "Page", "Question", "QuestionGroup", "Review", "Section", "TopicCard", "WarningTier", "is_singular",
    "load_library", "load_pack", "substitute", "topic_folders", "warnings_html",
]

if TYPE_CHECKING:
    from kiosk.core.content.loader import load_library, load_pack


def __getattr__(name: str) -> Any:
    """``load_library`` and ``load_pack``, imported when first asked for: a start served
    from the content cache reads, checks and renders nothing, and does not import the
    loader, the TOML readers and python-markdown's neighbours (~15 ms of imports)."""
    if name in ("load_library", "load_pack"):
        from kiosk.core.content import loader

        return getattr(loader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

