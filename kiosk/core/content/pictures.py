"""A page's picture: found in the clinic's ``illustrations/`` or the bundled ones, and
accepted only as a real SVG file inside its folder."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.content.model import MAX_PICTURE_BYTES
from kiosk.core.content_files import ContentFileError, link_problem, read_bounded

# The first element of an SVG file, after any <?xml ...?>, comments and <!DOCTYPE ...>.
_XML_PROLOG = re.compile(r"(?:\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*", re.DOTALL | re.IGNORECASE)
_SVG_ROOT = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?svg[\s/>]")


@dataclass(frozen=True)
class PictureFolder:
    """Where pictures are looked for, and the folder they must really be inside."""

    folder: Path
    root: Path  # the content folder for the clinic's own pictures; the folder itself for bundled ones


def base_name(name: str) -> str:
    """The last part of a name an editor may have written with a folder ("pictures/a.svg")."""
    return name.replace("\\", "/").rsplit("/", 1)[-1]


def find_picture(name: str, folders: tuple[PictureFolder, ...]) -> tuple[Path, Path] | None:
    """(path, root) of the picture ``name`` in the first of ``folders`` that has it (a plain name only)."""
    if "/" in name or "\\" in name:
        return None
    for place in folders:
        path = place.folder / name
        if path.is_file() or path.is_symlink():  # a link is found, to be refused as one
            return path, place.root
    return None


def picture_problem(path: Path, root: Path) -> str:
    """Why the picture at ``path`` cannot be shown, or "" when it is a readable SVG file really inside ``root``."""
    if path.suffix.lower() != ".svg":
        return f"({path}) is not an SVG file; pictures must be drawings saved as .svg"
    unsafe = link_problem(path, root)
    if unsafe:
        return f"({path}) {unsafe}"
    try:
        data = read_bounded(path, MAX_PICTURE_BYTES)
    except ContentFileError as exc:
        return f"({path}) {exc}" + ("; save it as plain SVG without embedded photos" if exc.too_large else "")
    text = data.decode("utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8", errors="replace")
    text = text.removeprefix("\ufeff")
    prolog = _XML_PROLOG.match(text)
    if not _SVG_ROOT.match(text, prolog.end() if prolog else 0):
        return f"({path}) is not an SVG drawing (it does not start with <svg>); save it again as SVG"
    return ""


def svg_names(folders: tuple[PictureFolder, ...]) -> list[str]:
    """Every SVG file name in ``folders``, for "did you mean" and "known:" lists."""
    names: set[str] = set()
    for place in folders:
        try:
            names.update(p.name for p in place.folder.iterdir() if p.suffix.lower() == ".svg")
        except OSError:  # a folder that does not exist (yet) has no pictures
            continue
    return sorted(names)
