"""One resolver for bundled data (assets, content) from a checkout, a wheel or a frozen app.

Search order, first hit wins:
1. a frozen PyInstaller app: folders next to the bundled package (``sys._MEIPASS``);
2. an installed wheel: ``kiosk/_data/<name>`` inside the package (pyproject.toml maps the
   top-level folders there);
3. a source checkout or editable install: the repository root above ``kiosk/``.

The wheel comes before the checkout so an installed kiosk never picks up an unrelated
top-level ``assets/`` or ``content/`` folder that happens to sit in site-packages.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.core.paths import executable_dir

if TYPE_CHECKING:
    from kiosk.core.settings import Settings

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


class ResourceError(LookupError):
    """A bundled resource is missing; the message lists what exists."""


def _packaged_root() -> Path:
    """``kiosk/_data`` of an installed package. (The package is always a real folder: Qt
    needs real file names for fonts and SVGs; and not ``importlib.resources``, whose import
    costs ~5 ms of every start.)"""
    return _PACKAGE_DIR / "_data"


def _candidates(name: str) -> list[Path]:
    roots: list[Path] = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        roots.append(Path(frozen))
    roots.append(_packaged_root())
    roots.append(_PACKAGE_DIR.parent)
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


def content_root(settings: Settings, override: Path | None) -> Path:
    """``--content`` > config ``content_dir`` > content/ next to the executable > bundled."""
    if override is not None:
        return override
    if settings.content_dir:
        return Path(settings.content_dir)
    beside = executable_dir()
    if beside is not None and (beside / "content").is_dir():
        return beside / "content"
    return content_dir()


def asset(*parts: str) -> Path:
    """Path of one bundled asset, e.g. ``asset("icons", "next.svg")``; fails with the valid names."""
    path = assets_dir().joinpath(*parts)
    if not path.is_file():
        folder = path.parent
        known = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
        raise ResourceError(f"asset {'/'.join(parts)!r} not found in {folder} (known: {', '.join(known)})")
    return path
