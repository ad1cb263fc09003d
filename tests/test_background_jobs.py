"""Printing and the statistics write run off the GUI thread (issue 13, item 5): the screen
stays alive while a printer hangs, a tap during a job starts nothing, a reset never shows
the last patient's result, and statistics land in order, from the worker thread."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import QThread, QTimer
from PySide6.QtWidgets import QApplication

from kiosk.core.paths import stats_path
from kiosk.core.stats import SessionRecord, StatsStore
from kiosk.ui.jobs import JobQueue
from kiosk.ui.pages.summary import SummaryPage
from kiosk.ui.printing import PrintError
from tests.ui_helpers import tap

WAIT_S = 10  # a bound for a worker to reach a point it reaches at once; never a delay


class HangingPrinter:
    """A printer that takes each job and holds it until ``release`` is set (a CUPS server that
    does not answer); ``fail`` makes it raise once released."""

    def __init__(self, fail: bool = False) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        self.fail = fail
        self.jobs: list[tuple[str, ...]] = []  # the questions of each job, in the order printed
        self.threads: list[int] = []

    def __call__(self, handout, name: str) -> None:  # type: ignore[no-untyped-def]
        self.threads.append(threading.get_ident())
        self.jobs.append(handout.questions)
        self.started.set()
        assert self.release.wait(WAIT_S), "the test never released the printer"
        if self.fail:
            raise PrintError("paper jam")


@pytest.fixture
def hanging() -> HangingPrinter:
    return HangingPrinter()


@pytest.fixture
def kiosk(make_kiosk, settings, hanging):  # type: ignore[no-untyped-def]
    """A kiosk with a printer set, whose pages go to ``hanging`` (handed in at construction)."""
    return make_kiosk(settings=replace(settings, printer="Front desk"), printer=hanging)


@pytest.fixture
def printer(kiosk, hanging) -> Iterator[HangingPrinter]:  # type: ignore[no-untyped-def]
    yield hanging
    hanging.release.set()  # never leave a worker hanging past its test
    kiosk.controller.take_home.jobs.wait(WAIT_S)


def on_summary(kiosk, questions: list[int]) -> SummaryPage:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    c.model.start()
    c.show("questions")
    for i in questions:
        c.model.toggle(c.pack.questions[i].id)
    c.show("summary")
    summary = c.views["summary"]
    assert isinstance(summary, SummaryPage)
    return summary


def test_the_screen_stays_alive_while_the_printer_hangs(qtbot, kiosk, printer: HangingPrinter) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    summary = on_summary(kiosk, [0, 2])
    tap(qtbot, summary.print_button)
    assert printer.started.wait(WAIT_S)
    assert summary.print_button.text() == c.pack.text("printing") and not summary.status.isVisible()
    # The printer still holds the job: timers fire and pages turn meanwhile.
    timer = QTimer()
    timer.setInterval(10)
    with qtbot.waitSignal(timer.timeout, timeout=2000):
        timer.start()
    timer.stop()
    with qtbot.waitSignal(c.page_shown, timeout=2000) as shown:
        c.model.back()
    assert shown.args == ["questions"]
    c.next()
    assert c.session.page_id == "summary" and summary.print_button.text() == c.pack.text("printing")
    assert not printer.release.is_set()
    printer.release.set()
    qtbot.waitUntil(lambda: summary.status.text() == c.pack.text("printed"))
    assert summary.status.isVisible() and summary.print_button.text() == c.pack.text("print")
    assert c.speaker.history[-1] == c.pack.text("printed")
    assert printer.jobs == [(c.pack.questions[0].text, c.pack.questions[2].text)]
    assert printer.threads[0] != threading.get_ident()


def test_a_second_tap_during_a_job_starts_no_second_job(qtbot, kiosk, printer: HangingPrinter) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    summary = on_summary(kiosk, [1])
    tap(qtbot, summary.print_button)
    assert printer.started.wait(WAIT_S)
    tap(qtbot, summary.print_button)  # still enabled (a keypad user's focus stays), and ignored
    c.take_home.print_questions()  # and however else the intent arrives
    printer.release.set()
    qtbot.waitUntil(lambda: summary.status.text() == c.pack.text("printed"))
    qtbot.waitUntil(lambda: not c.take_home.jobs.busy)
    assert len(printer.jobs) == 1
    tap(qtbot, summary.print_button)  # once it is done, a new tap prints again
    qtbot.waitUntil(lambda: len(printer.jobs) == 2)


def test_a_failed_job_shows_the_failure_message(qtbot, kiosk, printer: HangingPrinter, caplog) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    printer.fail = True
    summary = on_summary(kiosk, [0])
    tap(qtbot, summary.print_button)
    assert printer.started.wait(WAIT_S)
    printer.release.set()
    qtbot.waitUntil(lambda: summary.status.text() == c.pack.text("print_error"))
    assert summary.print_button.text() == c.pack.text("print")
    assert c.speaker.history[-1] == c.pack.text("print_error")
    assert "printing failed: paper jam" in caplog.text
    assert c.session.page_id == "summary" and len(c.session.ticked) == 1


def test_reset_during_a_job_shows_the_next_patient_nothing(qtbot, kiosk, printer: HangingPrinter) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    summary = on_summary(kiosk, [0])
    tap(qtbot, summary.print_button)
    assert printer.started.wait(WAIT_S)
    c.reset_session()  # "I'm done" (or the idle timeout) while the printer holds the job
    assert kiosk.window.on_welcome()
    printer.release.set()
    qtbot.waitUntil(lambda: not c.take_home.jobs.busy)  # the old job's outcome has arrived, and was dropped
    assert c.speaker.history == []
    summary = on_summary(kiosk, [3])
    assert not summary.status.isVisible() and summary.status.text() == ""
    assert summary.print_button.text() == c.pack.text("print")
    # The next patient's own print is not blocked by the last one's.
    printer.started.clear()
    tap(qtbot, summary.print_button)
    assert printer.started.wait(WAIT_S)
    qtbot.waitUntil(lambda: summary.status.text() == c.pack.text("printed"))
    assert printer.jobs == [(c.pack.questions[0].text,), (c.pack.questions[3].text,)]


def test_a_job_still_waiting_at_reset_never_prints(qtbot, kiosk, printer: HangingPrinter) -> None:  # type: ignore[no-untyped-def]
    """The printer holds the first patient's job; the second patient's waits behind it and
    they leave: their questions must not come out of the printer for someone else."""
    c = kiosk.controller
    tap(qtbot, on_summary(kiosk, [0]).print_button)
    assert printer.started.wait(WAIT_S)
    c.reset_session()
    tap(qtbot, on_summary(kiosk, [4]).print_button)  # queued behind the held job
    c.reset_session()
    printer.release.set()
    qtbot.waitUntil(lambda: not c.take_home.jobs.busy)
    assert c.take_home.jobs.wait(WAIT_S)
    assert printer.jobs == [(c.pack.questions[0].text,)]
    assert c.speaker.history == []


# --- Statistics ------------------------------------------------------------------------------


class ThreadNotingStore(StatsStore):
    """The real store, noting the thread each write runs on, and what it wrote, in order."""

    def __init__(self, *args, fail: bool = False, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fail = fail
        self.writes: list[tuple[int, str]] = []

    def record(self, record: SessionRecord, day: date | None = None) -> None:
        self.writes.append((threading.get_ident(), record.language))
        if self.fail:
            raise sqlite3.OperationalError("disk I/O error")
        super().record(record, day)


def one_session(kiosk, language: str) -> None:  # type: ignore[no-untyped-def]
    c = kiosk.controller
    c.model.set_language(language)
    c.model.start()
    c.show("questions")
    c.model.toggle(c.pack.questions[1].id)
    c.reset_session()


def test_statistics_are_written_off_the_gui_thread_in_order(qtbot, make_kiosk) -> None:  # type: ignore[no-untyped-def]
    store = ThreadNotingStore(stats_path())
    kiosk = make_kiosk(stats=store)
    c = kiosk.controller
    gui = threading.get_ident()
    for language in ("en", "es", "en", "es", "en"):
        one_session(kiosk, language)
    assert kiosk.window.on_welcome()
    qtbot.waitUntil(lambda: not c.usage.jobs.busy)
    assert [language for _, language in store.writes] == ["en", "es", "en", "es", "en"]
    assert all(thread != gui for thread, _ in store.writes)
    summary = store.summary(date.today(), date.today())
    assert summary.sessions == 5 and summary.sessions_by_day == {date.today().isoformat(): 5}
    assert c.usage.problem == ""


def test_a_failed_statistics_write_is_logged_and_never_shown(qtbot, make_kiosk, caplog) -> None:  # type: ignore[no-untyped-def]
    store = ThreadNotingStore(stats_path(), fail=True)
    kiosk = make_kiosk(stats=store)
    c = kiosk.controller
    with caplog.at_level(logging.ERROR):
        one_session(kiosk, "en")
        assert kiosk.window.on_welcome() and c.session.ticked == []
        qtbot.waitUntil(lambda: not c.usage.jobs.busy)
    assert store.writes and store.writes[0][0] != threading.get_ident()
    assert "could not record usage statistics" in caplog.text and "disk I/O error" in caplog.text
    assert any("usage figures could not be recorded (disk I/O error)" in p for p in c.staff.storage_problems())
    assert kiosk.window.on_welcome()
    # The kiosk carries on: the next patient starts as usual, and a write that works clears the problem.
    store.fail = False
    one_session(kiosk, "es")
    qtbot.waitUntil(lambda: not c.usage.jobs.busy)
    assert c.usage.problem == "" and store.summary(date.today(), date.today()).sessions == 1


# --- The queue itself ------------------------------------------------------------------------


def test_jobs_run_in_order_off_the_gui_thread_and_report_on_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    jobs = JobQueue("test")
    ran: list[tuple[int, QThread | None]] = []
    outcomes: list[tuple[str, object, bool]] = []
    gui = QApplication.instance().thread()  # type: ignore[union-attr]

    def work(n: int) -> int:
        ran.append((n, QThread.currentThread()))
        if n == 2:
            raise ValueError("two")
        return n * 10

    for n in range(4):
        job = jobs.submit(lambda n=n: work(n))
        job.finished.connect(lambda result: outcomes.append(("ok", result, QThread.currentThread() is gui)))
        job.failed.connect(lambda error: outcomes.append(("failed", str(error), QThread.currentThread() is gui)))
    assert jobs.busy
    with qtbot.waitSignal(jobs.idle, timeout=WAIT_S * 1000):
        pass
    assert [n for n, _ in ran] == [0, 1, 2, 3]
    assert all(thread is not gui for _, thread in ran)
    assert outcomes == [("ok", 0, True), ("ok", 10, True), ("failed", "two", True), ("ok", 30, True)]
    jobs.close()


def test_close_lets_given_jobs_finish_and_bounds_a_hung_one(qtbot, caplog) -> None:  # type: ignore[no-untyped-def]
    """What the application's exit does: writes already given land; a hung job is waited
    for no longer than the bound, and the log says so."""
    jobs = JobQueue("test", close_wait_seconds=WAIT_S)
    done: list[int] = []
    for n in range(3):
        jobs.submit(lambda n=n: done.append(n))
    jobs.close()  # with no event loop turning in between
    assert done == [0, 1, 2]

    hung = JobQueue("hung", close_wait_seconds=0.05)
    release = threading.Event()
    hung.submit(lambda: release.wait(WAIT_S))
    with caplog.at_level(logging.WARNING):
        hung.close()
    assert "1 hung job(s) still unfinished" in caplog.text and hung.thread_running
    caplog.clear()
    hung.close()  # (at exit the window's going closes it again: the bound is not waited twice)
    assert caplog.text == ""
    release.set()
    qtbot.waitUntil(lambda: not hung.thread_running, timeout=WAIT_S * 1000)  # it ends once its job returns
    assert not jobs.thread_running
    with pytest.raises(RuntimeError, match="closed"):
        hung.submit(lambda: None)
