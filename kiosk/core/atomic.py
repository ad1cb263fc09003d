"""Durable file writes: a power cut leaves the old file or the new one, never a torn one."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import time
from pathlib import Path

# A writer killed between creating its temporary file and renaming it leaves the file
# behind (238 of them after a kill loop, some holding the PIN hash). Those are removed by
# ``remove_stale_temps`` when they are older than this and no writer holds their lock.
STALE_TEMP_SECONDS = 30.0


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

    The temp file is never readable by more people than the file it replaces: it is
    created 0600 when there is a file to replace (or ``private``), and only then given
    that file's owner and mode. While it exists a writer holds an exclusive lock on it
    (POSIX), so that ``remove_stale_temps`` never takes the temp of a write in flight.
    """
    path = Path(path)
    if create_folder:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        replaced: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        replaced = None
    fd, temp_name = _create_temp(path, 0o600 if private or replaced is not None else 0o666)
    try:
        _lock(fd)
        with os.fdopen(fd, "wb") as handle:
            if replaced is not None and not private:
                _keep_owner_and_mode(handle.fileno(), replaced)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            if os.name == "posix":
                os.replace(temp_name, path)  # still locked: the name is never a free-standing temp
        if os.name != "posix":
            os.replace(temp_name, path)  # Windows cannot rename a file that is open
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _fsync_dir(path.parent)


def _temp_pattern(path: Path) -> re.Pattern[str]:
    """Exactly the names ``_create_temp`` gives temps of ``path``, and nothing else."""
    return re.compile(rf"\.{re.escape(path.name)}\.[0-9a-f]{{8}}\.tmp")


def _create_temp(path: Path, mode: int) -> tuple[int, Path]:
    """A new, exclusive temp file beside ``path``. Not mkstemp: its mode is always 0600,
    whatever the umask; os.open with 0666 lets the umask decide, as for any new file."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        temp = path.parent / f".{path.name}.{os.urandom(4).hex()}.tmp"  # (not secrets: 9 ms to import at start-up)
        try:
            return os.open(temp, flags, mode), temp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")


def _lock(fd: int, wait: bool = True) -> bool:
    """An exclusive advisory lock on ``fd`` (POSIX flock; released when the file closes).
    False when ``wait`` is off and someone else holds it. Windows has no flock; there an
    open file cannot be deleted anyway, which protects a write in flight the same way."""
    try:
        import fcntl
    except ImportError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    except OSError:
        return wait  # a file system without locks: a writer goes on; a cleaner keeps its hands off
    return True


def remove_stale_temps(path: Path, older_than: float = STALE_TEMP_SECONDS) -> list[Path]:
    """Delete temp files of ``path`` left beside it by a writer that was killed; return the
    names of those that remain (stale, but not ours to delete, e.g. root's in /etc).

    Only names of exactly our pattern, only regular files (never a link), only those last
    written ``older_than`` seconds ago or more, and only when no writer holds their lock:
    a write in flight in another process keeps its temp. A missing or unreadable folder
    is nothing to clean."""
    path = Path(path)
    pattern = _temp_pattern(path)
    try:
        names = [entry for entry in os.scandir(path.parent) if pattern.fullmatch(entry.name)]
    except OSError:
        return []
    left: list[Path] = []
    now = time.time()
    for entry in names:
        temp = Path(entry.path)
        try:
            info = os.lstat(temp)
            if not stat.S_ISREG(info.st_mode) or now - info.st_mtime < older_than:
                continue
            if not _remove_if_unlocked(temp, info):
                continue
        except FileNotFoundError:
            continue  # renamed into place, or removed, since the listing
        except OSError:
            left.append(temp)
    return left


def _remove_if_unlocked(temp: Path, info: os.stat_result) -> bool:
    """Unlink ``temp`` while holding its lock, if it is still the file ``info`` describes."""
    if os.name != "posix":
        os.unlink(temp)  # Windows refuses to delete a file that any process has open: that is its lock
        return True
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(temp, flags)
    try:
        if not _lock(fd, wait=False):
            return False  # a writer is at work on it
        now = os.fstat(fd)
        if (now.st_dev, now.st_ino) != (info.st_dev, info.st_ino):
            return False
        os.unlink(temp)
        return True
    finally:
        os.close(fd)


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
                with contextlib.suppress(OSError):
                    os.fchown(fd, -1, replaced.st_gid)  # a member of the group may keep the group
    with contextlib.suppress(OSError):
        # After chown, which may clear set-id bits.
        os.fchmod(fd, stat.S_IMODE(replaced.st_mode))


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
