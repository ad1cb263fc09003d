"""The content the kiosk runs on: one loader for starting the kiosk and for
``check-content``, so that the checker never passes content the kiosk would refuse."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kiosk.core.content import ContentLibrary, load_library
from kiosk.core.content.cache import load_library_cached
from kiosk.core.resources import assets_dir
from kiosk.core.settings import Settings, ordered_languages


def load_kiosk_content(settings: Settings, root: Path, also: Iterable[str] = (), cache: Path | None = None) -> ContentLibrary:
    """Load and validate the configured languages (the default first) from ``root``, with
    the clinic's details filled in; ``also``: more languages to check with them (the
    checker's: every language folder present). Raises ContentError naming file and line.

    With ``cache`` (a file in the data folder), a library validated at an earlier start
    from exactly the same inputs is read back from it instead of being built again
    (:mod:`kiosk.core.content.cache`); the checker passes none, so it always validates."""
    languages = ordered_languages(settings)
    languages += [language for language in also if language not in languages]
    arguments = (Path(root), languages, settings.placeholder_values(), assets_dir() / "illustrations")
    if cache is None:
        return load_library(*arguments)
    return load_library_cached(*arguments, cache)
