"""Blocking work (a print job, a statistics write) off the GUI thread: one worker thread
per queue runs the jobs one at a time, in the order they were given, and each job's
outcome comes back on the GUI thread.

A job runs on a QThread, not a plain Python thread: printing lays text out, and Qt's
per-thread font cache starts timers, which need the event dispatcher a QThread has
(a Python thread gets "QBasicTimer::start: current thread's event dispatcher has
already been destroyed").

Only plain data goes into a job: it must not touch widgets, QPixmaps or any other
object of the GUI thread. A QTextDocument and a QPrinter it makes itself are fine
(Qt, "Thread-Support in Qt Modules": QPainter may paint on a QPrinter or a QImage in
any thread; QTextDocument is reentrant).
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal

log = logging.getLogger(__name__)

CLOSE_WAIT_SECONDS = 10.0  # at exit, how long jobs already given may still take


class Job(QObject):
    """One submitted callable. Exactly one of ``finished(result)`` or ``failed(error)`` is
    emitted, on the GUI thread, unless the job was cancelled first."""

    finished = Signal(object)  # what the callable returned
    failed = Signal(object)  # the exception it raised

    def __init__(self, work: Callable[[], object], queue: JobQueue) -> None:
        super().__init__(queue)
        self.work: Callable[[], object] | None = work  # None once the worker took it, or it was cancelled
        self.cancelled = False
        self._owner = queue

    def cancel(self) -> None:
        """Emit no outcome. A job not started yet never runs, and what it holds is let go
        now; one already running runs to its end."""
        self._owner.cancel(self)


class _WorkerThread(QThread):
    def __init__(self, loop: Callable[[], None], name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self._loop = loop

    def run(self) -> None:
        self._loop()


class JobQueue(QObject):
    """Runs callables on a worker thread of its own, one after another, in submission order.

    The thread starts with the first job and ends at ``close``: when the parent goes, or
    when the application quits. Jobs already given still run then (a statistics write is
    not lost), for at most ``close_wait_seconds``."""

    idle = Signal()  # every submitted job's outcome has been delivered (GUI thread)
    _done = Signal(object, bool, object)  # (job, ok, result or error), emitted on the worker thread

    def __init__(self, name: str, parent: QObject | None = None, close_wait_seconds: float = CLOSE_WAIT_SECONDS) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}-jobs")
        self.name = name
        self.close_wait_seconds = close_wait_seconds
        self._lock = threading.Condition()  # guards everything the worker thread reads
        self._queue: deque[Job] = deque()  # not started yet
        self._running = False
        self._stopping = False
        self._closed = False  # no outcome is delivered any more
        self._thread: _WorkerThread | None = None
        self._gave_up = False  # close() already waited its bound for a hung job
        self._pending: set[Job] = set()  # outcome not yet delivered (GUI thread only)
        self._done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        if parent is not None:
            # Emitted before the parent's children (this queue) are deleted.
            parent.destroyed.connect(self.close)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.close)

    @property
    def busy(self) -> bool:
        """Some submitted job has not had its outcome delivered yet."""
        return bool(self._pending)

    @property
    def thread_running(self) -> bool:
        """The worker thread has started and not yet ended."""
        return self._thread is not None and self._thread.isRunning()

    def submit(self, work: Callable[[], object]) -> Job:
        """Queue ``work`` to run on the worker thread. Connect to the job's signals straight
        away: its outcome is delivered by the event loop, never sooner."""
        if self._closed:
            raise RuntimeError(f"the {self.name} job queue is closed")
        job = Job(work, self)
        self._pending.add(job)
        with self._lock:
            self._queue.append(job)
            self._lock.notify_all()
        if self._thread is None:
            self._thread = _WorkerThread(self._run, f"kiosk-{self.name}")
            self._thread.start()
        return job

    def cancel(self, job: Job) -> None:
        """See ``Job.cancel``."""
        with self._lock:
            job.cancelled = True
            queued = job.work is not None
            if queued:
                job.work = None
                self._queue.remove(job)
        if queued:  # else the worker has it: its outcome is dropped when it arrives
            self._pending.discard(job)
            job.deleteLater()
            self._idle_check()

    def wait(self, timeout: float) -> bool:
        """Block until every submitted job has run (their outcomes are delivered later, by
        the event loop); False if some had not after ``timeout`` seconds."""
        with self._lock:
            return self._lock.wait_for(lambda: not self._queue and not self._running, timeout)

    def close(self) -> None:
        """Deliver no more outcomes, let the jobs already given finish (for a while), and end
        the worker thread."""
        with self._lock:
            self._closed = self._stopping = True
            left = len(self._queue) + self._running
            self._lock.notify_all()
        thread = self._thread
        if thread is None or self._gave_up:  # (at exit: once at aboutToQuit, not again when the window goes)
            return
        if thread.wait(round(self.close_wait_seconds * 1000)):
            return
        # Qt aborts the process if a running QThread is destroyed: should the job ever
        # return, the thread ends by itself; until then it is left alone.
        self._gave_up = True
        log.warning("%d %s job(s) still unfinished after %.0f s; left running", left, self.name, self.close_wait_seconds)

    def _run(self) -> None:
        """The worker thread: run each job as it comes, until closed and none is left."""
        while True:
            with self._lock:
                self._running = False
                self._lock.notify_all()
                self._lock.wait_for(lambda: bool(self._queue) or self._stopping)
                if not self._queue:
                    return
                job = self._queue.popleft()
                work, job.work = job.work, None
                self._running = True
            ok = True
            result: object = None
            try:
                result = work() if work is not None else None
            except Exception as exc:  # a failure is the caller's to report, never the worker's end
                ok, result = False, exc
            del work  # let go of what the job held (a patient's questions) as soon as it is done
            with self._lock:
                if not self._closed:  # (the receiving side may be going: touch nothing of it)
                    self._done.emit(job, ok, result)
            del job, result

    def _deliver(self, job: Job, ok: bool, result: object) -> None:
        """On the GUI thread: the job's outcome, unless it was cancelled meanwhile."""
        self._pending.discard(job)
        if not job.cancelled:
            (job.finished if ok else job.failed).emit(result)
        job.deleteLater()
        self._idle_check()

    def _idle_check(self) -> None:
        if not self._pending:
            self.idle.emit()
