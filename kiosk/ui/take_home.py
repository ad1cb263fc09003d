"""What a patient takes away, printed: the list of questions (with the pain diary as its
second page) or the pain diary alone, made here from the session and the config and printed
on a worker thread, so a slow or hung printer never freezes the screen (nor starves the
watchdog). Taps while this session's job runs are ignored; the outcome is shown on the page
and spoken; at reset no result of the last patient's job reaches the next one.

Also the diary's practice scale: a score picked there is drawn on every page and spoken."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QObject

from kiosk.core.content import DIARY_KIND
from kiosk.core.diary import Diary, build_diary
from kiosk.core.handout import Handout, build_handout
from kiosk.core.settings import Settings
from kiosk.core.teach_back import education_record
from kiosk.core.walkthrough import Walkthrough
from kiosk.ui.jobs import Job, JobQueue
from kiosk.ui.pages.base import PageView
from kiosk.ui.practice_scale import spoken_score
from kiosk.ui.screens import Screens
from kiosk.ui.speech import Speaker

log = logging.getLogger(__name__)

# (the questions with the diary, or the diary alone; printer name), called on the print thread
Printer = Callable[[Handout | Diary, str], None]


def print_to_printer(handout: Handout | Diary, printer_name: str) -> None:
    """Qt's print support loads on first use, not at start-up."""
    from kiosk.ui.printing import print_to_printer as send

    send(handout, printer_name)


class TakeHome(QObject):
    """``print_questions()``, ``print_diary()``; ``forget()`` at reset. ``printer`` sends a
    page (the platform's printing; tests give their own), ``settings`` are replaced when the
    controller's are. It holds nothing of the controller: it lives as long as the window,
    which must not keep the controller alive."""

    def __init__(self, model: Walkthrough, screens: Screens, speaker: Speaker, settings: Settings,
                 printer: Printer = print_to_printer) -> None:
        super().__init__(screens.window)
        self.model = model
        self.screens = screens
        self.speaker = speaker
        self.settings = settings
        self.printer = printer
        self.jobs = JobQueue("print", screens.window)
        self.job: Job | None = None  # this session's job, until its outcome is shown
        self.job_is_diary = False  # which button says "Printing…"
        model.practice_rated.connect(self._practice_rated)

    def current_view(self) -> PageView | None:
        page_id = self.model.page_id
        return None if page_id is None else self.screens.views[page_id]

    def diary(self) -> Diary | None:
        """The pain diary for the clinic's schedule, when the topic has one (a "diary" page)."""
        pack = self.model.pack
        return build_diary(pack, self.settings) if any(p.kind == DIARY_KIND for p in pack.pages) else None

    def handout(self) -> Handout:
        pack, session = self.model.pack, self.model.session
        record = education_record(pack, session, datetime.now()) if self.settings.education_record else None
        return build_handout(pack, session.ticked, self.settings.clinic_name, date.today(), self.settings.paper_size,
                             self.diary(), record)

    def print_questions(self) -> None:
        """Straight to the configured printer; a failure is a calm message, never a dialog."""
        if self.model.session.ticked:
            self._print(self.handout, diary=False)

    def print_diary(self) -> None:
        """The pain diary on its own (no question needs to be ticked)."""
        self._print(self.diary, diary=True)

    def _print(self, make: Callable[[], Handout | Diary | None], diary: bool) -> None:
        view, printer_name = self.current_view(), self.settings.printer
        if view is None or not printer_name:
            return
        if self.job is not None:
            self._show_printing(True, view)  # (a page built since the job began, in another language)
            return
        # The printout is plain data, made here from the session and the config: the worker
        # never sees the session, and lays out and prints its own QTextDocument on its own QPrinter.
        printer, printout = self.printer, make()
        if printout is None:
            return
        job = self.jobs.submit(lambda: printer(printout, printer_name))
        job.finished.connect(lambda _result: self._done("printed"))
        job.failed.connect(self._failed)
        self.job, self.job_is_diary = job, diary
        self._show_printing(True)

    def _practice_rated(self, score: int) -> None:
        """Draw the picked score on every page of the session's language, and say it."""
        for view in self.screens.views.values():
            view.practice_changed(score)
        if self.speaker.available:
            self.speaker.say(spoken_score(self.model.pack, score), self.model.session.language)

    def _failed(self, error: object) -> None:
        log.warning("printing failed: %s", error)  # the printer's fault must never end the session
        self._done("print_error")

    def _done(self, message: str) -> None:
        if message == "printed":
            log.info("handout printed")
        self.job = None
        self._show_printing(False)
        pack = self.model.pack
        view = self.current_view()
        if view is not None:
            view.show_status(pack.text(message))
        self.speaker.say(pack.text(message), self.model.session.language)

    def _show_printing(self, busy: bool, view: PageView | None = None) -> None:
        for each in [view] if view is not None else self.screens.all_views():
            if not busy or self.job_is_diary:
                each.set_diary_printing(busy)
            if not busy or not self.job_is_diary:
                each.set_printing(busy)

    def forget(self) -> None:
        """At reset: the next patient never sees the last one's print result. A job not yet
        started never prints (its patient has gone); one the printer has runs to its end, unseen."""
        if self.job is not None:
            self.job.cancel()
            self.job = None
        self._show_printing(False)
