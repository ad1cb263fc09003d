"""Content and settings that arrive while the kiosk runs (a Syncthing-synced folder).

A named timer takes a cheap listing of the content folder and config file every
``poll_ms``; once it has not changed for the settle time and holds no half-written file
(``kiosk.core.fleet.folder``), the folder is copied into the data folder, checked as
``kiosk check-content`` checks and loaded, all on a worker thread
(``kiosk.core.fleet.good_copy``). A good copy waits for the next session reset, or is
applied at once while the kiosk stands untouched on its welcome screen: never in front of
a patient on a page. A refused update leaves the content and settings in use as they are;
why is logged, shown to staff (a config problem line) and written to the status file.
Several changes in a row are one update: nothing is looked at until they stop.

With ``syncthing_config`` set, a folder that has settled is copied only once this kiosk's
Syncthing says it is complete (``kiosk.core.fleet.syncthing``; asked on the worker thread
too): a link that dropped between two files leaves a still folder that is half new, half
old. While Syncthing says otherwise, or cannot be asked, the content in use is kept and
why is shown as for a refused update (state "waiting"), logged once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from kiosk.core.content import ContentLibrary
from kiosk.core.fleet.folder import Settler, Snapshot, snapshot
from kiosk.core.fleet.good_copy import (
    Candidate,
    Check,
    Load,
    UpdateInterruptedError,
    UpdateRefusedError,
    prepare_update,
    prune_copies,
    read_good,
)
from kiosk.core.fleet.syncthing import completeness_check
from kiosk.core.kiosk_content import load_kiosk_content
from kiosk.core.paths import content_cache_path
from kiosk.core.pin import PinGuard
from kiosk.core.session import Session
from kiosk.core.settings import Settings
from kiosk.ui.controller import Controller, staff_idle_ms
from kiosk.ui.first_frame import is_fresh
from kiosk.ui.jobs import JobQueue

log = logging.getLogger(__name__)

POLL_MS = 2000  # how often the synced folder is listed (a few dozen stat calls)


def check_like_check_content(folder: Path, settings: Settings) -> list[str]:
    """``kiosk check-content``'s verdict on ``folder`` (imported when first needed: the
    reading-level checks load a dictionary)."""
    from kiosk.checker import content_problems

    return content_problems(folder, settings)


def load_with_cache(settings: Settings, root: Path) -> ContentLibrary:
    """The kiosk's own loader, with the content cache (the next start reads it back)."""
    return load_kiosk_content(settings, root, cache=content_cache_path())


class KioskUpdates(QObject):
    """Follows the synced content folder ``root`` and ``config`` file of one kiosk."""

    update_ready = Signal()  # a checked update waits for the next reset
    update_applied = Signal()  # the kiosk now shows it
    update_refused = Signal(str)  # why (the content and settings in use are kept)
    not_vouched = Signal(str)  # Syncthing does not say the settled folder is complete: why (kept out)
    state_changed = Signal()  # anything the status file shows about updates

    def __init__(self, controller: Controller, root: Path, config: Path | None, data: Path, *,
                 settle_ms: int | None = None, poll_ms: int = POLL_MS, check: Check = check_like_check_content,
                 load: Load = load_with_cache, pin_guard: Callable[[Settings], PinGuard] | None = None) -> None:
        super().__init__(controller.window)
        self.controller = controller
        self.root, self.config, self.data = Path(root), config, Path(data)
        self.check, self.load, self.make_pin_guard = check, load, pin_guard
        settle = settle_ms if settle_ms is not None else controller.settings.settle_seconds * 1000
        self.settler = Settler(settle / 1000)
        self.clock: Callable[[], float] = time.monotonic
        # Asks this kiosk's Syncthing whether the folder is complete (None: not asked).
        self.ready = completeness_check(controller.settings.syncthing_config, self.root, config)
        self.asking = False  # Syncthing is being asked (on the worker thread)
        self.asks = 0  # answers (or failures to answer) from Syncthing
        self.not_vouched_reason = ""  # Syncthing's last reason not to copy the settled folder
        good = read_good(self.data)
        self.in_use = good.fingerprint if good is not None else ""  # the listing the content in use came from
        self.in_use_copied = good.copied if good is not None else ""
        self.attempted = ""  # the listing last checked, good or refused: not checked again
        self.pending: Candidate | None = None
        self.problem = ""  # why the synced content is not what the kiosk shows ("" = it is)
        self.config_problem = ""  # why the synced config file is not in use
        self.base_settings = controller.settings  # the settings in use, without the lines above
        self.checking = False  # a copy is being made and checked
        self.looks = 0  # listings taken
        self.checks_started = 0  # copies begun (one a folder changed under is begun again)
        self.checks = 0  # copies checked (several changes in a row are one)
        self.applied = 0
        self.jobs = JobQueue("updates", controller.window)
        self.poll_timer = QTimer(self)
        self.poll_timer.setObjectName("update_poll_timer")
        self.poll_timer.setInterval(poll_ms)
        self.poll_timer.timeout.connect(self.poll)
        # Queued: the swap happens on the next turn of the event loop, once the reset that
        # emitted this is complete and the welcome screen is up.
        controller.session_reset.connect(self.apply_if_between_patients, Qt.ConnectionType.QueuedConnection)
        self.poll_timer.start()

    @property
    def state(self) -> str:
        """For the status file: "current", "pending" (applies at the next reset), "checking",
        "refused", "missing" or "waiting" (Syncthing does not say the folder is complete)."""
        if self.pending is not None:
            return "pending"
        if self.checking:
            return "checking"
        if self.problem and self.problem == self.not_vouched_reason:
            return "waiting"
        if self.problem:
            return "missing" if not self.root.is_dir() else "refused"
        return "current"

    def poll(self) -> None:
        """One look at the folder; start a check once it has settled on something new."""
        snap = snapshot(self.root, self.config)
        self.looks += 1
        settled = self.settler.feed(snap, self.clock())
        if snap.missing:
            if self.settler.missing_for(self.clock()) >= self.settler.settle_seconds:
                self._set_problem(f"{self.root}: the synced content folder is missing; the content in use is kept")
            return
        if not settled or self.checking or self.asking or snap.fingerprint in (self.attempted, self.in_use):
            if settled and snap.fingerprint == self.in_use and self.problem and self.pending is None:
                self._set_problem("")  # back to what is shown (a refused change undone, a folder restored)
            return
        if self.ready is not None:
            self._ask_syncthing(snap)
        else:
            self._start_check(snap)

    def _ask_syncthing(self, snap: Snapshot) -> None:
        """Ask Syncthing off the GUI thread; the check starts only if it vouches for the folder."""
        ready = self.ready
        assert ready is not None
        self.asking = True
        job = self.jobs.submit(ready)
        job.finished.connect(lambda reason: self._answered(snap, str(reason)))
        job.failed.connect(lambda error: self._answered(snap, f"Syncthing cannot vouch for the synced folder: {error}"))

    def _answered(self, snap: Snapshot, reason: str) -> None:
        self.asking = False
        self.asks += 1
        if not reason:
            if self.problem and self.problem == self.not_vouched_reason:
                self._set_problem("")
            self.not_vouched_reason = ""
            self._start_check(snap)
            return
        problem = f"synced content not applied, the content in use is kept: {reason}"
        if problem != self.not_vouched_reason:  # once, not at every look while it lasts
            log.error("%s", problem)
        self.not_vouched_reason = problem
        self._set_problem(problem)
        self.not_vouched.emit(problem)

    def _start_check(self, snap: Snapshot) -> None:
        root, config, data, settings, check, load = self.root, self.config, self.data, self.base_settings, self.check, self.load
        job = self.jobs.submit(lambda: prepare_update(root, config, data, snap, settings, check, load))
        job.finished.connect(lambda candidate: self._checked(snap, candidate))
        job.failed.connect(lambda error: self._not_checked(snap, error))
        self.checking = True
        self.checks_started += 1
        self.state_changed.emit()

    def _checked(self, snap: Snapshot, candidate: object) -> None:
        assert isinstance(candidate, Candidate)
        self.checking = False
        self.checks += 1
        self.attempted = snap.fingerprint
        self.pending = candidate
        self.config_problem = candidate.config_problem
        if candidate.config_problem:
            log.error("%s", candidate.config_problem)
        log.info("content update checked (%s); it applies at the next session reset", candidate.copy.folder.name)
        self.problem = ""
        self._show_problems()  # staff see a refused config file now, not only once the update applies
        self.update_ready.emit()
        self.state_changed.emit()
        self.apply_if_between_patients()

    def _not_checked(self, snap: Snapshot, error: object) -> None:
        self.checking = False
        if isinstance(error, UpdateInterruptedError):
            log.info("%s; checking again once it settles", error)
            return
        self.checks += 1
        self.attempted = snap.fingerprint
        if isinstance(error, UpdateRefusedError):
            log.error("synced content update refused, the content in use is kept:\n%s", error)
            first = error.problems[0] if error.problems else str(error)
            more = f" (and {len(error.problems) - 1} more: see the log)" if len(error.problems) > 1 else ""
            reason = f"synced content not applied, the content in use is kept: {first}{more}"
        else:  # a full or read-only data folder: the copy could not be made
            log.error("synced content update could not be copied: %s", error)
            reason = f"synced content not applied, the content in use is kept: the copy failed ({error})"
        # A good update checked earlier still applies: it is the last good content now.
        self._set_problem(reason)
        self.update_refused.emit(reason)

    def _set_problem(self, problem: str) -> None:
        if problem == self.problem:
            return
        if not problem:
            self.not_vouched_reason = ""  # a later wait is logged again
        self.problem = problem
        self._show_problems()
        self.state_changed.emit()

    def _show_problems(self) -> None:
        """The staff panel lists the settings' problems: add ours to the settings in use."""
        extra = tuple(line for line in (self.config_problem, self.problem) if line)
        self.controller.settings = replace(self.base_settings, problems=self.base_settings.problems + extra)

    def apply_if_between_patients(self) -> None:
        """Apply a checked update when no patient is using the kiosk: just after a reset, or
        on an untouched welcome screen. Otherwise it waits for the next reset."""
        if self.pending is None or not is_fresh(self.controller):
            return
        candidate, self.pending = self.pending, None
        c = self.controller
        self.base_settings = candidate.settings
        extra = tuple(line for line in (self.config_problem, self.problem) if line)
        serve(c, candidate.library, replace(candidate.settings, problems=candidate.settings.problems + extra))
        store = c.usage.store
        if store is not None:  # the figures may name the new content's pages and questions
            store.known_ids = set(candidate.library.statistics_ids())
            store.default_topic = candidate.library.default_topic
            if not candidate.settings.statistics:
                c.usage.store = None
        if self.make_pin_guard is not None:
            c.staff.pin_guard = self.make_pin_guard(candidate.settings)
        self.in_use, self.in_use_copied = candidate.copy.fingerprint, candidate.copy.copied
        self.applied += 1
        data, keep = self.data, {candidate.copy.folder}
        self.jobs.submit(lambda: prune_copies(data, keep))
        log.info("content update applied: %s", ", ".join(f"{p.topic}/{p.language} {p.version}" for p in candidate.library.all_packs()))
        self.update_applied.emit()
        self.state_changed.emit()


def serve(controller: Controller, library: ContentLibrary, settings: Settings) -> None:
    """Serve new content and settings (a checked synced update) from a fresh session on the
    welcome screen. Only between patients: while the screen is fresh."""
    controller.library = controller.model.library = controller.screens.library = controller.staff.library = library
    controller.settings = settings
    controller.window.staff_idle_ms = staff_idle_ms(settings)
    controller.idle.idle_timer.setInterval(settings.idle_seconds * 1000)
    controller.idle.warning_seconds = settings.warning_seconds
    controller.model.session = Session(language=library.default_language)
    controller.rebuild()
    controller.show(None)
