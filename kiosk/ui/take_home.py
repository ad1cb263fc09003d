"""The patient's list to take away, printed: the handout is made here from the session and
printed on a worker thread, so a slow or hung printer never freezes the screen (nor starves
the watchdog). Taps while this session's job runs are ignored; the outcome is shown on the
page and spoken; at reset no result of the last patient's job reaches the next one."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject

from kiosk.core.handout import Handout, build_handout
from kiosk.core.settings import Settings
from kiosk.core.walkthrough import Walkthrough
from kiosk.ui.jobs import Job, JobQueue
from kiosk.ui.pages.base import PageView
from kiosk.ui.screens import Screens
from kiosk.ui.speech import Speaker

log = logging.getLogger(__name__)

Printer = Callable[[Handout, str], None]  # (handout, printer name), called on the print thread


def print_to_printer(handout: Handout, printer_name: str) -> None:
    """Qt's print support loads on first use, not at start-up."""
    from kiosk.ui.printing import print_to_printer as send

    send(handout, printer_name)


class TakeHome(QObject):
    """``print_questions()``; ``forget()`` at reset. ``printer`` may be replaced (tests), and
    ``settings`` (the controller passes new ones on). It holds nothing of the controller: it
    lives as long as the window, which must not keep the controller alive."""

    def __init__(self, model: Walkthrough, screens: Screens, speaker: Speaker, settings: Settings) -> None:
        super().__init__(screens.window)
        self.model = model
        self.screens = screens
        self.speaker = speaker
        self.settings = settings
        self.printer: Printer = print_to_printer
        self.jobs = JobQueue("print", screens.window)
        self.job: Job | None = None  # this session's job, until its outcome is shown

    def current_view(self) -> PageView | None:
        page_id = self.model.page_id
        return None if page_id is None else self.screens.views[page_id]

    def handout(self) -> Handout:
        return build_handout(self.model.pack, self.model.session.ticked, self.settings.clinic_name, date.today())

    def print_questions(self) -> None:
        """Straight to the configured printer; a failure is a calm message, never a dialog."""
        view, printer_name = self.current_view(), self.settings.printer
        if view is None or not printer_name or not self.model.session.ticked:
            return
        if self.job is not None:
            view.set_printing(True)  # (a page built since the job began, in another language)
            return
        # The handout is plain data, made here from the session: the worker never sees the
        # session, and lays out and prints its own QTextDocument on its own QPrinter.
        printer, handout = self.printer, self.handout()
        job = self.jobs.submit(lambda: printer(handout, printer_name))
        job.finished.connect(lambda _result: self._done("printed"))
        job.failed.connect(self._failed)
        self.job = job
        self._show_printing(True)

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

    def _show_printing(self, busy: bool) -> None:
        for view in self.screens.all_views():
            view.set_printing(busy)

    def forget(self) -> None:
        """At reset: the next patient never sees the last one's print result. A job not yet
        started never prints (its patient has gone); one the printer has runs to its end, unseen."""
        if self.job is not None:
            self.job.cancel()
            self.job = None
        self._show_printing(False)
