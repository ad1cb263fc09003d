"""The content the kiosk runs on: one loader for starting the kiosk and for
``check-content``, so that the checker never passes content the kiosk would refuse."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kiosk.core.content import ContentLibrary, load_library
from kiosk.core.resources import assets_dir
from kiosk.core.settings import Settings, ordered_languages


def load_kiosk_content(settings: Settings, root: Path, also: Iterable[str] = ()) -> ContentLibrary:
    """Load and validate the configured languages (the default first) from ``root``, with
    the clinic's details filled in; ``also``: more languages to check with them (the
    checker's: every language folder present). Raises ContentError naming file and line."""
    languages = ordered_languages(settings)
    languages += [language for language in also if language not in languages]
    return load_library(Path(root), languages, settings.placeholder_values(), assets_dir() / "illustrations")
