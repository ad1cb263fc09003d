"""The anonymous usage figures of each finished session, written off the GUI thread."""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import QObject

from kiosk.core.stats import SessionRecord, StatsStore
from kiosk.ui.jobs import JobQueue

log = logging.getLogger(__name__)


class UsageRecorder(QObject):
    """``record(record)`` adds a session's counts to ``store`` (None: statistics off) on its
    own thread: the store opens its own SQLite connection there for each write, so a full
    disk never delays a reset. ``problem`` says why the last write failed, for staff."""

    def __init__(self, store: StatsStore | None, parent: QObject) -> None:
        super().__init__(parent)
        self.store = store
        self.problem = ""
        self.jobs = JobQueue("statistics", parent)  # one writer thread: writes land in order

    def record(self, record: SessionRecord) -> None:
        store, day = self.store, date.today()  # the day the session ended, however long the write waits
        if store is None:
            return
        job = self.jobs.submit(lambda: store.record(record, day))
        job.finished.connect(self._recorded)
        job.failed.connect(self._not_recorded)

    def _recorded(self, _result: object) -> None:
        self.problem = ""

    def _not_recorded(self, error: object) -> None:
        """A full or read-only disk must never disturb a patient: logged, and told to staff."""
        if not self.problem:
            log.error("could not record usage statistics", exc_info=error if isinstance(error, BaseException) else None)
        self.problem = f"usage figures could not be recorded ({error})"
