"""The kiosk's status file for IT, and its statistics export, on timers.

Both are written off the GUI thread (a full disk or a slow network share never delays a
patient's tap), into ``status_dir`` (the data folder when unset): in a clinic group that is
the kiosk's send-only Syncthing folder, which carries them to head office. The status
file is written at start, every ``status_minutes``, and soon after every change (a
session ended, an update checked, applied or refused); several changes in a second are
one write.
"""

from __future__ import annotations

import logging
import time
from datetime import date
from typing import Any

from PySide6.QtCore import QObject, QTimer

from kiosk import __version__
from kiosk.core.fleet.stats_files import export_stats
from kiosk.core.fleet.status import LastEvents, kiosk_name, status_folder, status_path, topics_status, write_status
from kiosk.core.stats import StatsStore
from kiosk.ui.controller import Controller
from kiosk.ui.jobs import JobQueue
from kiosk.ui.updates import KioskUpdates

log = logging.getLogger(__name__)

SOON_MS = 1000  # a change is written this long after it, with any that follow it


class StatusReporter(QObject):
    """Writes ``<kiosk id>.status.json`` (and, with ``stats_export_minutes``, the statistics
    export ``<kiosk id>.stats.json``) for one kiosk."""

    def __init__(self, controller: Controller, updates: KioskUpdates | None = None, soon_ms: int = SOON_MS) -> None:
        super().__init__(controller.window)
        self.controller = controller
        self.updates = updates
        self.started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        self.events = LastEvents()
        events, kiosk_logger = self.events, logging.getLogger("kiosk")
        kiosk_logger.addHandler(events)
        controller.window.destroyed.connect(lambda: kiosk_logger.removeHandler(events))
        self.jobs = JobQueue("status", controller.window)
        self.writes = 0  # status files written (tests wait on it)
        self.write_problem = ""
        settings = controller.settings
        self.status_timer = QTimer(self)
        self.status_timer.setObjectName("status_timer")
        self.status_timer.setInterval(settings.status_minutes * 60_000)
        self.status_timer.timeout.connect(self.write_status)
        self.soon_timer = QTimer(self)
        self.soon_timer.setObjectName("status_soon_timer")
        self.soon_timer.setSingleShot(True)
        self.soon_timer.setInterval(soon_ms)
        self.soon_timer.timeout.connect(self.write_status)
        self.export_timer = QTimer(self)
        self.export_timer.setObjectName("stats_export_timer")
        self.export_timer.setInterval(max(settings.stats_export_minutes, 1) * 60_000)
        self.export_timer.timeout.connect(self.export_statistics)
        controller.session_reset.connect(self.soon_timer.start)
        controller.usage.jobs.idle.connect(self.soon_timer.start)  # the finished session is counted now
        if updates is not None:
            updates.state_changed.connect(self.soon_timer.start)
        self.status_timer.start()
        self.soon_timer.start()
        if settings.stats_export_minutes:
            self.export_timer.start()
            QTimer.singleShot(0, self, self.export_statistics)

    def status(self) -> dict[str, Any]:
        """What the status file says, from the GUI thread's side (the day's sessions are
        counted on the worker). No patient data: counts, versions, states, log messages."""
        c, settings = self.controller, self.controller.settings
        last_error, last_print = self.events.events()
        updates = self.updates
        return {
            "kiosk_id": kiosk_name(settings),
            "app_version": __version__,
            "started": self.started,
            "written": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "topics": topics_status(c.library, date.today()),
            "config_problems": list(settings.problems),
            "storage_problems": list(c.staff.storage_problems()),
            "content_update": None if updates is None else {
                "folder": str(updates.root), "state": updates.state, "problem": updates.problem,
                "config_problem": updates.config_problem, "in_use_copied": updates.in_use_copied,
                "updates_applied": updates.applied},
            "last_error": None if last_error is None else {"time": last_error.time, "message": last_error.message},
            "printer": {"name": settings.printer, "state": self._printer_state(settings.printer),
                        "last": None if last_print is None else {"time": last_print.time, "message": last_print.message}},
            "speech_available": c.speaker.available,
            "statistics": settings.statistics,
        }

    @staticmethod
    def _printer_state(name: str) -> str:
        if not name:
            return "not configured"
        from PySide6.QtPrintSupport import QPrinterInfo

        return "not found" if QPrinterInfo.printerInfo(name).isNull() else "found"

    def write_status(self) -> None:
        self.soon_timer.stop()
        try:
            status = self.status()
        except Exception:  # the status file must never take the kiosk down
            log.exception("could not gather the kiosk status")
            return
        path, store = status_path(self.controller.settings), self.controller.usage.store

        def write() -> None:
            status["sessions_today"] = _sessions_today(store)
            write_status(path, status)

        job = self.jobs.submit(write)
        job.finished.connect(self._written)
        job.failed.connect(self._not_written)

    def _written(self, _result: object) -> None:
        self.writes += 1
        self.write_problem = ""

    def _not_written(self, error: object) -> None:
        problem = f"the status file could not be written ({error})"
        if problem != self.write_problem:  # once, not every few minutes
            log.error("%s", problem)
        self.write_problem = problem

    def export_statistics(self) -> None:
        """The statistics export into the status folder (unchanged figures: no write)."""
        store, settings = self.controller.usage.store, self.controller.settings
        if store is None:
            return
        folder, name = status_folder(settings), kiosk_name(settings)
        job = self.jobs.submit(lambda: export_stats(store, folder, name))
        job.finished.connect(lambda result: log.info("statistics exported to %s", result[0]) if result[1] else None)
        job.failed.connect(lambda error: log.error("statistics export to %s failed: %s", folder, error))


def _sessions_today(store: StatsStore | None) -> int | None:
    if store is None:
        return None
    today = date.today()
    try:
        return store.summary(today, today).sessions
    except Exception:  # a locked or damaged database costs this figure, not the status file
        log.exception("could not count today's sessions for the status file")
        return None
