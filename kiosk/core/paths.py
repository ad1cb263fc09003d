"""Per-machine folders for the log and (later) statistics. No patient data goes here."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from kiosk.core.atomic import remove_stale_temps

APP_DIR_NAME = "tmbb-kiosk"


def executable_dir() -> Path | None:
    """The frozen app's folder (where a clinic may put kiosk.toml and content/); None from source."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return None


def system_config_dir() -> Path:
    """Machine-wide config folder (``KIOSK_SYSTEM_CONFIG_DIR`` overrides, for tests)."""
    override = os.environ.get("KIOSK_SYSTEM_CONFIG_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / APP_DIR_NAME
    return Path("/etc") / APP_DIR_NAME


def data_dir() -> Path:
    """The per-machine data folder (``KIOSK_DATA_DIR`` overrides), created when it can be.

    Never raises: a folder that cannot be created (read-only parent, full disk, a file in
    the way) made the kiosk exit at start and the supervisor restart it in a loop. Each
    writer reports its own failure; ``prepare_data_dir`` says what is wrong, once."""
    override = os.environ.get("KIOSK_DATA_DIR")
    if override:
        path = Path(override)
    elif sys.platform == "win32":
        path = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")) / APP_DIR_NAME
    elif sys.platform == "darwin":
        path = Path.home() / "Library" / "Application Support" / APP_DIR_NAME
    else:
        path = Path(os.environ.get("XDG_STATE_HOME", Path.home() / ".local" / "state")) / APP_DIR_NAME
    with contextlib.suppress(OSError):
        path.mkdir(parents=True, exist_ok=True)
    return path


def prepare_data_dir() -> str:
    """Make the data folder ready at start: create it, and remove temporary files that a
    writer killed mid-write left beside our files there. Returns why the folder cannot be
    written ("" when it can); the kiosk then runs in memory only (README, "Privacy")."""
    folder = data_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"the data folder {folder} cannot be created ({exc.strerror or exc})"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"the data folder {folder} cannot be written (read-only, or no permission)"
    for path in (lockout_path(), pin_copy_path(), content_cache_path()):
        remove_stale_temps(path)
    return ""


def log_path() -> Path:
    return data_dir() / "kiosk.log"


def stats_path() -> Path:
    return data_dir() / "stats.sqlite3"


def lockout_path() -> Path:
    return data_dir() / "lockout.json"


def pin_copy_path() -> Path:
    return data_dir() / "staff-pin.json"


def crash_path() -> Path:
    return data_dir() / "crash.txt"


def content_cache_path() -> Path:
    """The validated content kept between starts (content only: kiosk/core/content/cache.py)."""
    return data_dir() / "content-cache.json"
