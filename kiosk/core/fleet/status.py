"""The status file IT reads: one small JSON file per kiosk, written atomically.

It says which kiosk this is, what it runs (app version, each topic's content version and
review state), since when, how many sessions today, the last error, the printer and
speech, and where a synced update stands. Never anything a patient chose: the sessions
are a count, the errors are the log's (which holds no patient data either).
"""

from __future__ import annotations

import json
import logging
import re
import socket
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kiosk.core.atomic import write_text_atomic
from kiosk.core.content import ContentLibrary
from kiosk.core.paths import data_dir
from kiosk.core.settings import Settings

FORMAT = "tmbb-kiosk status"
MAX_MESSAGE = 500  # a log message in the status file, at most (a traceback stays in the log)


def kiosk_name(settings: Settings) -> str:
    """``kiosk_id``, or this computer's host name made safe for a file name."""
    if settings.kiosk_id:
        return settings.kiosk_id
    host = re.sub(r"[^A-Za-z0-9._-]", "-", socket.gethostname()).strip(".-")[:63]
    return host or "kiosk"


def status_folder(settings: Settings) -> Path:
    """``status_dir``, or the data folder."""
    return Path(settings.status_dir) if settings.status_dir else data_dir()


def status_path(settings: Settings) -> Path:
    return status_folder(settings) / f"{kiosk_name(settings)}.status.json"


def topics_status(library: ContentLibrary, today: date) -> list[dict[str, Any]]:
    """Each topic and language served: its content version and review state."""
    return [{"topic": pack.topic, "language": pack.language, "version": pack.version,
             "review_status": pack.review.status, "reviewed_by": pack.review.reviewed_by,
             "review_date": pack.review.review_date, "next_review_due": pack.review.next_review_due,
             "review_overdue": pack.review.overdue(today)}
            for pack in library.all_packs()]


def write_status(path: Path, status: dict[str, Any]) -> None:
    """Write ``status`` to ``path`` atomically (IT's tools never read half a file)."""
    write_text_atomic(path, json.dumps({"format": FORMAT, "version": 1, **status}, indent=1, sort_keys=True, default=str) + "\n")


@dataclass(frozen=True)
class Event:
    time: str  # UTC, ISO 8601
    message: str


class LastEvents(logging.Handler):
    """A logging handler that remembers the kiosk's last error and its last print outcome
    (the first line of each, shortened), for the status file. Thread-safe: records come
    from worker threads too."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self._guard = threading.Lock()
        self.last_error: Event | None = None
        self.last_print: Event | None = None

    def emit(self, record: logging.LogRecord) -> None:
        try:
            lines = record.getMessage().splitlines()
        except Exception:  # a bad format string in someone's log call: not the status file's problem
            return
        text = lines[0][:MAX_MESSAGE] if lines else ""
        event_time = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(record.created))
        with self._guard:
            if record.name == "kiosk.ui.take_home" and "print" in text:
                self.last_print = Event(event_time, text)
            if record.levelno >= logging.ERROR:
                self.last_error = Event(event_time, f"{record.name}: {text}")

    def events(self) -> tuple[Event | None, Event | None]:
        """(last error, last print outcome)."""
        with self._guard:
            return self.last_error, self.last_print
