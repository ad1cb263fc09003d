"""Reading a content pack's files: only real files inside their folder, and never more
than a limit.

A page file that was a symbolic link showed ``/etc/passwd`` to patients, and a link to
a 2 GB sparse file was read whole before its size was checked. Every file the loader
reads (manifest, pages, pictures) comes through here: a link anywhere on the way from
the content folder to it, or a path that resolves outside that folder, is refused; the
size is taken from the open file before reading, and no more than the limit + 1 bytes
are ever read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

# Open without following a final symbolic link (where the system can), and without
# blocking on a FIFO (it is then refused as not a regular file).
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_CHUNK = 65_536


class ContentFileError(Exception):
    """Why a content file cannot be read; the message completes "<file> ..."."""

    def __init__(self, message: str, too_large: bool = False) -> None:
        super().__init__(message)
        self.too_large = too_large


def link_problem(path: Path, root: Path) -> str:
    """Why ``path`` may not be read as part of the content in ``root``, or "": a symbolic
    link on the way from ``root`` to it (the file itself or a folder), or a real path
    outside ``root`` (which catches what a link check cannot see, such as a Windows junction)."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return f"is not inside the content folder {root}"
    current = root
    for part in parts:
        current = current / part
        if current.is_symlink():
            try:
                target = f" (to {os.readlink(current)})"
            except OSError:
                target = ""
            where = "is a link" if current == path else f"is in {current}, which is a link"
            return (f"{where}{target}; the kiosk reads only real files inside the content folder: "
                    "put the file itself there, not a link to it")
    if os.name == "posix" and ".." not in parts:
        # Nothing on the way from root redirects the path: on POSIX a symbolic link, checked
        # above, is the only thing that can, so its real path is inside root's. (Resolving
        # both, for every file a load reads, was ~5% of a full load.)
        return ""
    real, real_root = os.path.normcase(path.resolve()), os.path.normcase(root.resolve())
    try:
        inside = os.path.commonpath([real, real_root]) == real_root
    except ValueError:  # another drive
        inside = False
    return "" if inside else f"is really {path.resolve()}, outside the content folder {root}; put the file itself there"


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``, which must hold at most ``limit`` of them.
    Raises ContentFileError (a final symbolic link, not a regular file, too large,
    unreadable) without reading more than ``limit`` + 1 bytes."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise ContentFileError(f"cannot be read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ContentFileError("is not a regular file")
        if info.st_size > limit:
            raise ContentFileError(f"is too large ({info.st_size:,} bytes; the limit is {limit:,})", too_large=True)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:  # the size may have changed since fstat: stop one byte past the limit
            chunk = os.read(fd, min(_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise ContentFileError(f"cannot be read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if size > limit:
        raise ContentFileError(f"is too large (more than {limit:,} bytes)", too_large=True)
    return b"".join(chunks)


def read_content_file(path: Path, root: Path, limit: int) -> bytes:
    """:func:`read_bounded`, for a file that must be really inside ``root`` (see :func:`link_problem`)."""
    problem = link_problem(path, root)
    if problem:
        raise ContentFileError(problem)
    return read_bounded(path, limit)
