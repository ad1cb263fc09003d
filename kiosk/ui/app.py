"""Start-up: the QApplication, fonts, content, the window and its controller."""

from __future__ import annotations

import logging
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import PySide6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, qVersion
from PySide6.QtGui import QCursor, QFontDatabase, QGuiApplication, QPixmapCache
from PySide6.QtWidgets import QApplication

from kiosk.core.atomic import remove_stale_temps
from kiosk.core.content import ContentLibrary
from kiosk.core.errors import ContentError
from kiosk.core.heap import forget_source_lines, start_up_over
from kiosk.core.kiosk_content import load_kiosk_content
from kiosk.core.paths import content_cache_path, crash_path, data_dir, lockout_path, pin_copy_path, prepare_data_dir, stats_path
from kiosk.core.pin import PinGuard, staff_pin_hash
from kiosk.core.resources import assets_dir, content_root
from kiosk.core.session import Session
from kiosk.core.settings import Settings
from kiosk.core.stats import StatsStore
from kiosk.crash import CrashGuard
from kiosk.ui.controller import Controller
from kiosk.ui.first_frame import StartPicture, StartPictureKeeper, new_application
from kiosk.ui.frame import KioskWindow
from kiosk.ui.heartbeat import Heartbeat
from kiosk.ui.input_guard import InputGuard
from kiosk.ui.locked import LockedWindow
from kiosk.ui.out_of_order import OutOfOrder
from kiosk.ui.screen_keeper import ScreenKeeper
from kiosk.ui.speech import Speaker
from kiosk.ui.take_home import Printer, print_to_printer
from kiosk.ui.theme import FONT_FAMILY

if TYPE_CHECKING:  # (imported when used: a kiosk on its own never loads them)
    from kiosk.ui.fleet_status import StatusReporter
    from kiosk.ui.jobs import JobQueue
    from kiosk.ui.updates import KioskUpdates

log = logging.getLogger(__name__)

# The exit status when another program destroyed the window: not 0, so the supervisor
# (systemd, Shell Launcher) counts a failure and starts a fresh kiosk.
EXIT_WINDOW_LOST = 3


def application(argv: list[str] | None = None, guard_input: bool = True) -> QApplication:
    """The one QApplication, with the bundled font, no context menus anywhere, and
    touches of several fingers ignored (from now on, or with ``guard_input=False`` once
    ``InputGuard.of(app).arm()`` is called: the kiosk does so after its first paint)."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else new_application(argv if argv is not None else sys.argv[:1])
    load_fonts()
    no_double_clicks()
    QPixmapCache.setCacheLimit(PIXMAP_CACHE_KIB)
    guard = InputGuard.of(app) or InputGuard(app)
    if guard_input:
        guard.arm()
    return app


# Qt's application-wide pixmap cache, in KiB (Qt's default: 10,240). Qt's own drawing keeps
# pieces there to draw them again (the style's buttons, frames and bars: one per size, state
# and colours), and the kiosk's many looks (three text sizes, two contrasts, two languages, two topics)
# filled it slowly for thousands of sessions: the 5,000-session soak's heap grew +3.8 to
# +4.6 MB from session 500 (+5.5 by 15,000), and +1.5 when the cache was emptied before
# each count. With 1 MB the same soak read -1.1 MB. The kiosk's own pictures have their own
# bounded cache (illustration.py) and its icons are drawn once (icons.py).
PIXMAP_CACHE_KIB = 1024


def no_double_clicks() -> None:
    """Every press is a press: the kiosk has no double-click action anywhere.

    Qt turns a press that comes within the double-click interval (400 ms) of the last one
    into a double click, and with touch it does so even when the two touches are far
    apart. The scroller only starts a flick from a press, so a swipe begun just after a
    tap ("Next", then a swipe to read) left the new page stuck. With no interval, a
    double tap is two taps, each one action."""
    QGuiApplication.styleHints().setMouseDoubleClickInterval(0)


def load_fonts() -> None:
    """Register the bundled Atkinson Hyperlegible so text looks the same on every machine."""
    if FONT_FAMILY in QFontDatabase.families():
        return
    for path in sorted((assets_dir() / "fonts").glob("*.ttf")):
        if QFontDatabase.addApplicationFont(str(path)) < 0:
            log.warning("could not load font %s", path.name)


def load_content(settings: Settings, override: Path | None,
                 store_later: Callable[[Callable[[], bool]], object] | None = None) -> ContentLibrary:
    """The content to run on (``--content`` > config > beside the executable > bundled),
    from the data folder's content cache when nothing it was built from has changed.
    With ``watch_changes`` (a synced folder), the last good copy of it in the data folder,
    or a fresh checked copy (``kiosk.core.fleet.good_copy.start_library``).

    ``store_later``: given the content cache's store after a full load, to run once the
    first screen is up (:func:`store_content_cache`); None writes the cache before returning."""
    root = content_root(settings, override)
    if settings.watch_changes:
        from kiosk.core.fleet.good_copy import start_library
        from kiosk.core.fleet.syncthing import completeness_check
        from kiosk.ui.updates import check_like_check_content, load_with_cache

        ready = completeness_check(settings.syncthing_config, root, Path(settings.source) if settings.source else None)
        return start_library(settings, root, data_dir(), check_like_check_content, load_with_cache, settings.settle_seconds,
                             ready=ready)
    return load_kiosk_content(settings, root, cache=content_cache_path(), store_later=store_later)


def store_content_cache(stores: list[Callable[[], bool]], parent: QObject) -> JobQueue | None:
    """Run the content cache's ``stores`` (from :func:`load_content`) on a worker thread: a
    first start does not wait for the file to be written. The queue lets a write already
    begun finish at exit; one cut short anyway leaves no cache that would be served."""
    if not stores:
        return None
    from kiosk.ui.jobs import JobQueue  # (after the first paint: not on the start path)

    queue = JobQueue("content-cache", parent)
    for store in stores:
        queue.submit(store).failed.connect(lambda exc: log.error("the content cache was not written: %s", exc))
    stores.clear()
    return queue


def staff_pin_guard(settings: Settings) -> PinGuard:
    """The PIN check and its lockout, shared by the kiosk and the out-of-order screen."""
    return PinGuard(staff_pin_hash(settings.pin_hash, settings.pin_hash_lost, settings.source, pin_copy_path()), lockout_path())


@dataclass
class Kiosk:
    app: QApplication
    window: KioskWindow
    controller: Controller
    updates: KioskUpdates | None = None  # with watch_changes: follows the synced content and config
    status: StatusReporter | None = None  # in a clinic group: the status file for IT


def build_kiosk(settings: Settings, library: ContentLibrary, size: tuple[int, int] | None = None,
                speaker: Speaker | None = None, guard_input: bool = True, on_top: bool = False,
                window: KioskWindow | None = None, content_override: Path | None = None, printer: Printer = print_to_printer,
                pin_guard: PinGuard | None = None, stats: StatsStore | None = None) -> Kiosk:
    """Create the window and controller (not yet shown); ``speaker`` defaults to the platform's.
    ``guard_input=False`` leaves arming the input guard to the caller (see ``application``);
    ``on_top`` keeps the window above others (set here, before the window has children:
    setting it later re-polishes every widget, ~25 ms). ``window``: the (empty) kiosk window
    to build in, when one is already on the screen (``first_frame``). ``content_override``:
    ``--content``, the folder followed with ``watch_changes`` (README, "Several kiosks").
    ``printer``, ``pin_guard`` and ``stats`` replace what the settings would give (tests:
    a printer to a PDF, a PIN, a store of their own)."""
    # The source lines PySide had Python cache while the kiosk's modules were imported
    # (~70,000 lines; see heap): let go before anything is built, which then reuses the memory
    # (let go after the pages are built, ~4 MB more stays resident).
    forget_source_lines()
    app = application(guard_input=guard_input)
    data_problem = prepare_data_dir()
    if data_problem:
        # Never a crash loop: run anyway, keeping nothing on disk. The PIN pad stays shut
        # meanwhile (PinGuard cannot record a guess); staff are told why at the corner.
        log.error("%s; running in memory only: usage figures are not recorded and the staff PIN pad stays "
                  "locked until the folder can be written (README, \"Privacy\")", data_problem)
    if settings.source:
        for stale in remove_stale_temps(Path(settings.source)):
            log.warning("%s was left by an interrupted 'kiosk set-pin' and may hold a PIN hash; this account "
                        "cannot remove it: an administrator can, or 'kiosk set-pin' does", stale)
    window = window or KioskWindow()
    if on_top and not window.windowFlags() & Qt.WindowType.WindowStaysOnTopHint:
        window.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
    if size is not None:
        window.resize(*size)
    problems = [data_problem] if data_problem else []
    if stats is None and settings.statistics and not data_problem:
        try:
            stats = StatsStore(stats_path(), library.statistics_ids(), library.default_topic)
        except (OSError, sqlite3.Error) as exc:  # an unwritable data folder costs the figures, never the kiosk
            log.error("usage statistics unavailable: %s", exc)
            problems.append(f"usage figures are not recorded: {stats_path()} cannot be opened ({exc})")
        except Exception:
            log.exception("usage statistics unavailable")
            problems.append(f"usage figures are not recorded: {stats_path()} cannot be opened")
    controller = Controller(library, settings, window, stats=stats, pin_guard=pin_guard or staff_pin_guard(settings),
                            speaker=speaker, start_problems=tuple(problems), printer=printer)
    if settings.hide_cursor:
        window.setCursor(Qt.CursorShape.BlankCursor)
        # Buttons ask for a pointing hand, which a widget's own cursor would show over
        # the window's blank one wherever a finger lands; an application override wins
        # over every widget, staff dialogs included, until the window goes.
        QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
        window.destroyed.connect(QGuiApplication.restoreOverrideCursor)
    return Kiosk(app, window, controller, *fleet_parts(controller, settings, content_override))


def fleet_parts(controller: Controller, settings: Settings,
                content_override: Path | None) -> tuple[KioskUpdates | None, StatusReporter | None]:
    """In a clinic group (``watch_changes``, or a ``status_dir``): follow the synced content
    and config file, and write the status file (README, "Several kiosks")."""
    if not (settings.watch_changes or settings.status_dir):
        return None, None
    from kiosk.ui.fleet_status import StatusReporter
    from kiosk.ui.updates import KioskUpdates

    updates = None
    if settings.watch_changes:
        config = Path(settings.source) if settings.source else None
        updates = KioskUpdates(controller, content_root(settings, content_override), config, data_dir(),
                               pin_guard=staff_pin_guard)
    return updates, StatusReporter(controller, updates)


def show_locked_fullscreen(window: LockedWindow, app: QApplication) -> ScreenKeeper:
    """Fullscreen, above other windows, on every desktop, and put back when something outside
    the app takes it off the screen; a window destroyed from outside ends the event loop with
    ``EXIT_WINDOW_LOST``."""
    window.setProperty("kiosk_fullscreen", True)
    if not window.windowFlags() & Qt.WindowType.WindowStaysOnTopHint:
        window.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
    # Cover the screen even in a bare X session with no window manager to honour
    # the fullscreen request (a common Linux kiosk set-up).
    screen = app.primaryScreen()
    if screen is not None:
        window.setGeometry(screen.geometry())
    keeper = ScreenKeeper(window)
    keeper.window_lost.connect(lambda: app.exit(EXIT_WINDOW_LOST))
    keeper.show()
    return keeper


def recover_from_error(controller: Controller) -> None:
    """After an unexpected error: a fresh session on the welcome screen, whatever it takes."""
    try:
        controller.reset_session()
    except Exception:
        log.exception("reset after an error failed; rebuilding the screens")
        controller.model.session = Session(language=controller.library.default_language)
        try:
            controller.rebuild()
        finally:
            controller.overlay.hide()
            controller.window.show_welcome()


def install_crash_guard(kiosk: Kiosk) -> CrashGuard:
    """Errors anywhere: log them and go back to the welcome screen."""
    controller = kiosk.controller
    guard = CrashGuard(crash_path(), lambda: recover_from_error(controller),
                       lambda call: QTimer.singleShot(0, kiosk.window, call))
    guard.install()
    return guard


def run(settings: Settings, content_override: Path | None, windowed: bool, start: StartPicture | None = None) -> int:
    """Run the kiosk until staff exit it. ``start``: the remembered welcome picture already
    on the screen (``first_frame``), if any, and the key a new one is taken under."""
    app = application(guard_input=False)  # armed once the first picture is up (_run_window)
    stores: list[Callable[[], bool]] = []  # the content cache's write, left for after the first paint
    try:
        library = load_content(settings, content_override, store_later=stores.append)
    except ContentError as exc:
        log.error("content failed to load; showing the out-of-order screen:\n%s", exc)
        print(str(exc), file=sys.stderr)
        try:
            guard: PinGuard | None = staff_pin_guard(settings)
        except OSError:  # no data folder for the lockout: the screen must still come up
            log.exception("staff PIN unavailable on the out-of-order screen")
            guard = None
        notice = OutOfOrder(settings, str(exc), guard)
        if windowed:
            notice.resize(1280, 800)
        return _run_window(app, notice, windowed, "out of order: the content could not be loaded (see the log)", start)
    kiosk = build_kiosk(settings, library, size=(1280, 800) if windowed else None, guard_input=False,
                        on_top=not windowed, window=start.window if start is not None else None,
                        content_override=content_override)
    log.info("Qt %s, PySide6 %s; content %s", qVersion(), PySide6.__version__,
             ", ".join(f"{pack.topic}/{pack.language} {pack.version} ({pack.review.status})" for pack in library.all_packs()))
    install_crash_guard(kiosk)
    if start is not None:
        start.keeper = StartPictureKeeper(kiosk.controller, start)
        reveal_when_settled(kiosk, start)
    return _run_window(app, kiosk.window, windowed, "showing the kiosk", start,
                       after_paint=lambda: store_content_cache(stores, kiosk.window))


REVEAL_WAIT_MS = 1500  # at most, for speech to start before the real screen replaces the picture
# Python's cyclic collector, off through start-up, is on again after the first paint, or by
# then at the latest (a window never painted must not leave it off for the kiosk's life).
COLLECTOR_BACK_MS = 30_000


def reveal_when_settled(kiosk: Kiosk, start: StartPicture) -> None:
    """Replace the picture with the real screen once it looks as it will stay: after a turn
    of the event loop (the welcome screen's queued show), and once speech has started
    (Read aloud and Volume show only with a voice), or after ``REVEAL_WAIT_MS``."""
    speaker = kiosk.controller.speaker
    if speaker.starting:
        speaker.availability_changed.connect(lambda _available: QTimer.singleShot(0, kiosk.window, start.reveal),
                                             Qt.ConnectionType.SingleShotConnection)
        QTimer.singleShot(REVEAL_WAIT_MS, kiosk.window, start.reveal)
    else:
        QTimer.singleShot(0, kiosk.window, start.reveal)


def _run_window(app: QApplication, window: LockedWindow, windowed: bool, status: str,
                start: StartPicture | None = None, after_paint: Callable[[], object] | None = None) -> int:
    """Show ``window`` (locked fullscreen unless ``windowed``), tell the supervisor once it is
    painted (and call ``after_paint``), keep the watchdog fed, and run the event loop until staff exit."""
    heartbeat = Heartbeat(window, status)
    heartbeat.ready.connect(start_up_over)
    QTimer.singleShot(COLLECTOR_BACK_MS, window, start_up_over)
    if after_paint is not None:
        heartbeat.ready.connect(after_paint)
    guard = InputGuard.of(app)
    if guard is not None:
        heartbeat.ready.connect(guard.arm)
    if start is not None:
        heartbeat.ready.connect(lambda: start.window_ready(window))
    if windowed:
        window.show()
    else:
        show_locked_fullscreen(window, app)
    code = app.exec()
    if code == 0:
        heartbeat.stopping()  # staff exit; any other code is a failure for systemd to see
    if code == EXIT_WINDOW_LOST:
        return code  # its X window is gone: nothing left to tear down cleanly
    # Tear the window down while Qt is still alive, not during interpreter shutdown.
    window.deleteLater()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return code
