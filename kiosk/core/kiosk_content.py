"""The content the kiosk runs on: one loader for starting the kiosk and for
``check-content``, so that the checker never passes content the kiosk would refuse."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from kiosk.core.content import ContentLibrary, topic_folders
from kiosk.core.content.cache import load_library, load_library_cached
from kiosk.core.resources import assets_dir
from kiosk.core.settings import Settings, ordered_languages


def load_kiosk_content(settings: Settings, root: Path, also: Iterable[str] = (), cache: Path | None = None,
                       also_topics: Iterable[str] = (),
                       store_later: Callable[[Callable[[], bool]], object] | None = None) -> ContentLibrary:
    """Load and validate the configured topics (``topics``; unset: every topic folder) in the
    configured languages (the default first) from ``root``, with the clinic's details filled
    in; ``also`` and ``also_topics``: more languages and topics to check with them (the
    checker's: every folder present; a link to a topic that only these hold is a warning).
    Raises ContentError naming file and line.

    With ``cache`` (a file in the data folder), a library validated at an earlier start
    from exactly the same inputs is read back from it instead of being built again
    (:mod:`kiosk.core.content.cache`); the checker passes none, so it always validates.
    ``store_later``: see :func:`~kiosk.core.content.cache.load_library_cached`."""
    languages = ordered_languages(settings)
    languages += [language for language in also if language not in languages]
    offered = list(settings.topics) or topic_folders(Path(root))
    topics = offered + [topic for topic in also_topics if topic not in offered]
    root, values, pictures, default = Path(root), settings.placeholder_values(), assets_dir() / "illustrations", settings.default_topic or None
    if cache is None:
        return load_library(root, languages, values, pictures, topics, default, offered=offered)
    return load_library_cached(root, languages, values, pictures, cache, topics, default, offered=offered,
                               store_later=store_later)
