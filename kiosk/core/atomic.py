"""Durable file writes: a power cut leaves the old file or the new one, never a torn one."""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, create_folder: bool = True, private: bool = False) -> None:
    """Write ``data`` to a temp file beside ``path``, fsync it, then ``os.replace`` it in.

    The new file keeps the mode of the file it replaces, and its owner and group where
    this process may set them (as root): ``sudo kiosk set-pin`` must not make the config
    unreadable for the kiosk user. A new file gets the usual mode for the umask
    (0666 & ~umask), as ``open()`` would give it. ``create_folder=False`` makes a missing
    folder an error (FileNotFoundError) instead of creating it, for files an
    administrator names, where a missing folder is a typo; data-folder writers keep the
    default. ``private``: the file is for this account only (mode 0600), e.g. the PIN
    lockout and the copy of the PIN hash.
    """
    path = Path(path)
    if create_folder:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        replaced: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        replaced = None
    fd, temp_name = _create_temp(path, 0o600 if private else 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            if replaced is not None and not private:
                _keep_owner_and_mode(handle.fileno(), replaced)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        try:
            os.unlink(temp_name)
        except OSError:
            pass
        raise
    _fsync_dir(path.parent)


def _create_temp(path: Path, mode: int) -> tuple[int, Path]:
    """A new, exclusive temp file beside ``path``. Not mkstemp: its mode is always 0600,
    whatever the umask; os.open with 0666 lets the umask decide, as for any new file."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        temp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(temp, flags, mode), temp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")


def _keep_owner_and_mode(fd: int, replaced: os.stat_result) -> None:
    """Give the temp file the replaced file's owner, group and mode, as far as allowed.
    Best effort: a file system without owners (FAT) or a non-root process keeps what it can."""
    if os.name != "posix":
        return  # Windows: the new file inherits the folder's ACL; there is no mode to copy
    temp = os.fstat(fd)
    if (temp.st_uid, temp.st_gid) != (replaced.st_uid, replaced.st_gid):
        try:
            os.fchown(fd, replaced.st_uid, replaced.st_gid)
        except OSError:
            if temp.st_gid != replaced.st_gid:
                try:
                    os.fchown(fd, -1, replaced.st_gid)  # a member of the group may keep the group
                except OSError:
                    pass
    try:
        # After chown, which may clear set-id bits.
        os.fchmod(fd, stat.S_IMODE(replaced.st_mode))
    except OSError:
        pass


def write_text_atomic(path: Path, text: str, *, create_folder: bool = True, private: bool = False) -> None:
    write_atomic(path, text.encode("utf-8"), create_folder=create_folder, private=private)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows has no directory handles for this."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
