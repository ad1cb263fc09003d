"""Whether a synced folder has settled: nothing changed for a while, no file half-written.

Syncthing writes each incoming file to a temporary file beside it (``.syncthing.NAME.tmp``;
``~syncthing~NAME.tmp`` on Windows) and renames it into place, one file at a time: a folder
with such a file in it, or one whose listing still changes, is in the middle of an update
and must not be loaded. A listing is cheap (names, kinds, sizes, modification times; no
file is read), so a kiosk can take one every few seconds.
"""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.digest import sha256

# Syncthing's own files in a shared folder: its marker, its old versions, its ignore
# patterns. They are not content: never copied, never part of the listing.
SYNC_METADATA = frozenset({".stfolder", ".stversions", ".stignore", ".stglobalignore"})
MAX_ENTRIES = 20_000  # a content folder holds dozens of files; far more is not one


def is_sync_temp(name: str) -> bool:
    """A file Syncthing is still writing (it renames it into place when complete)."""
    return (name.startswith(".syncthing.") or name.startswith("~syncthing~")) and name.endswith(".tmp")


@dataclass(frozen=True)
class Snapshot:
    """One look at the watched folder and config file. ``fingerprint`` changes whenever a
    file is added, removed, resized or rewritten; ``busy`` while Syncthing is writing."""

    fingerprint: str
    busy: bool = False
    missing: bool = False  # the content folder is not there (deleted, or its disk is gone)
    newest: float = 0.0  # the latest modification time seen (seconds since the epoch)


def _entries(root: Path) -> tuple[list[str], bool, float]:
    lines: list[str] = []
    busy = False
    newest = 0.0
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in SYNC_METADATA)
        relative = os.path.relpath(folder, root)
        for name in sorted(files + dirs):
            if name in SYNC_METADATA:
                continue
            if is_sync_temp(name):
                busy = True
                continue
            try:
                info = os.lstat(os.path.join(folder, name))
            except OSError:  # gone since the listing: the folder is changing
                busy = True
                continue
            kind = "d" if stat.S_ISDIR(info.st_mode) else "l" if stat.S_ISLNK(info.st_mode) else "f"
            size = 0 if kind == "d" else info.st_size
            lines.append(f"{kind} {os.path.join(relative, name)} {size} {info.st_mtime_ns}")
            newest = max(newest, info.st_mtime)
        if len(lines) > MAX_ENTRIES:
            break
    return lines, busy, newest


def snapshot(content_root: Path, config: Path | None = None) -> Snapshot:
    """Look at ``content_root`` and the ``config`` file (either may be synced)."""
    root = Path(content_root)
    digest = sha256()
    if not root.is_dir():
        return Snapshot("missing", missing=True)
    lines, busy, newest = _entries(root)
    if config is not None:
        config = Path(config)
        try:
            info = config.stat()
            lines.append(f"config {info.st_size} {info.st_mtime_ns}")
            newest = max(newest, info.st_mtime)
        except OSError:
            lines.append("config none")
        with contextlib.suppress(OSError):
            busy = busy or any(is_sync_temp(name) and config.name in name for name in os.listdir(config.parent))
    for line in lines:
        digest.update(line.encode("utf-8", "surrogateescape") + b"\n")
    return Snapshot(digest.hexdigest(), busy=busy, newest=newest)


class Settler:
    """Says when the watched folder has settled: the same listing for ``settle_seconds``,
    with no half-written file in it. Feed it a snapshot at each look."""

    def __init__(self, settle_seconds: float) -> None:
        self.settle_seconds = settle_seconds
        self._last: Snapshot | None = None
        self._since = 0.0

    def feed(self, snap: Snapshot, now: float) -> bool:
        """True when ``snap`` describes a settled folder (``now``: a monotonic clock)."""
        if snap != self._last:
            self._last, self._since = snap, now
            return False
        return not snap.busy and not snap.missing and now - self._since >= self.settle_seconds

    def missing_for(self, now: float) -> float:
        """How long the folder has been missing (0 while it is there)."""
        return now - self._since if self._last is not None and self._last.missing else 0.0
