"""One resolver for bundled data (assets, content) from a checkout, a wheel or a frozen app.

Search order, first hit wins:
1. a frozen PyInstaller app: folders next to the bundled package (``sys._MEIPASS``);
2. a source checkout or editable install: the repository root above ``kiosk/``;
3. an installed wheel: ``kiosk/_data/`` inside the package.
"""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


class ResourceError(LookupError):
    """A bundled resource is missing; the message lists what exists."""


def _candidates(name: str) -> list[Path]:
    roots: list[Path] = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        roots.append(Path(frozen))
    roots.append(_PACKAGE_DIR.parent)
    roots.append(_PACKAGE_DIR / "_data")
    return [root / name for root in roots]


def data_dir(name: str) -> Path:
    """The bundled top-level data folder ``name`` ("assets" or "content")."""
    tried = _candidates(name)
    for path in tried:
        if path.is_dir():
            return path
    raise ResourceError(f"bundled folder {name!r} not found; looked in: " + ", ".join(map(str, tried)))


def assets_dir() -> Path:
    return data_dir("assets")


def content_dir() -> Path:
    return data_dir("content")


def asset(*parts: str) -> Path:
    """Path of one bundled asset, e.g. ``asset("icons", "next.svg")``; fails with the valid names."""
    path = assets_dir().joinpath(*parts)
    if not path.is_file():
        folder = path.parent
        known = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
        raise ResourceError(f"asset {'/'.join(parts)!r} not found in {folder} (known: {', '.join(known)})")
    return path
