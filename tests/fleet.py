"""Helpers for the clinic-group tests: a synced content folder (a copy of the bundled
content) and a kiosk built on it with the real build function."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from kiosk.core.resources import content_dir
from kiosk.core.settings import Settings, load_settings

EN_PACK = Path("thoracic-mbb") / "en" / "pack.toml"
FIRST_PAGE = "what-it-is"
FIRST_TITLE = "What the block is and why it is done"


def synced_copy(folder: Path) -> Path:
    """A content folder as Syncthing would deliver it: the bundled content, and its marker."""
    shutil.copytree(content_dir(), folder)
    (folder / ".stfolder").mkdir()
    return folder


def retitle(content: Path, title: str, version: str | None = None) -> None:
    """Give the first English page a new title (and the pack a new version): a visible change."""
    pack = content / EN_PACK
    text = pack.read_text(encoding="utf-8")
    lines = text.splitlines()
    start = lines.index(f'id = "{FIRST_PAGE}"')
    for i in range(start, start + 6):
        if lines[i].startswith("title = "):
            lines[i] = f'title = "{title}"'
            break
    if version is not None:
        lines = [f'version = "{version}"' if line.startswith("version = ") else line for line in lines]
    write_replacing(pack, "\n".join(lines) + "\n")


def break_pack(content: Path) -> None:
    """Content that fails the check: the English pack is not valid TOML any more."""
    write_replacing(content / EN_PACK, '[pack\nlanguage = "en"\n')


def write_replacing(path: Path, text: str) -> None:
    """Write as Syncthing does: a temporary file beside it, renamed into place."""
    temp = path.with_name(f".syncthing.{path.name}.tmp")
    temp.write_text(text, encoding="utf-8")
    temp.replace(path)


def fleet_config(path: Path, content: Path, **values: Any) -> Settings:
    """Write a config file for a kiosk that follows ``content``; return its settings."""
    chosen = {"clinic_name": "Sunrise Pain Clinic", "clinic_phone": "555-0142", "watch_changes": True,
              "content_dir": str(content), "settle_seconds": 1, **values}
    lines = [f"{key} = {json.dumps(value)}" for key, value in chosen.items()]  # JSON strings, numbers, booleans are TOML
    write_replacing(path, "\n".join(lines) + "\n")
    settings = load_settings(path)
    assert not settings.problems, settings.problems
    return settings
