"""Crash containment: a Python error anywhere is logged and the kiosk goes back to its
welcome screen; a hard crash (segfault) is written by faulthandler to a crash file
that the next start reports in the log. A patient never sees a traceback."""

from __future__ import annotations

import faulthandler
import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO

log = logging.getLogger("kiosk.crash")


class CrashGuard:
    """Owns ``sys.excepthook``, ``threading.excepthook`` and ``faulthandler``."""

    def __init__(self, crash_file: Path, recover: Callable[[], None], call_in_gui: Callable[[Callable[[], None]], None]) -> None:
        self.crash_file = Path(crash_file)
        self.recover = recover
        self.call_in_gui = call_in_gui
        self._fault_stream: IO[str] | None = None
        self._recovering = False
        self.errors = 0

    def install(self) -> None:
        self.report_previous_crash()
        try:
            self._fault_stream = open(self.crash_file, "w", encoding="utf-8")  # noqa: SIM115 (kept open for faulthandler)
            faulthandler.enable(self._fault_stream, all_threads=True)
        except OSError as exc:
            log.error("cannot open crash file %s: %s", self.crash_file, exc)
        sys.excepthook = self._excepthook
        threading.excepthook = self._thread_excepthook

    def uninstall(self) -> None:
        sys.excepthook = sys.__excepthook__
        threading.excepthook = threading.__excepthook__
        if self._fault_stream is not None:
            faulthandler.disable()
            self._fault_stream.close()
            self._fault_stream = None

    def report_previous_crash(self) -> None:
        """A non-empty crash file means the last run died hard: log what it said."""
        try:
            text = self.crash_file.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            return
        if text:
            log.error("the previous run crashed hard; faulthandler wrote:\n%s", text[:20_000])

    def _excepthook(self, kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        self.errors += 1
        log.error("unhandled error; returning to the welcome screen", exc_info=(kind, value, tb))
        self._back_to_start()

    def _thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        self.errors += 1
        log.error("unhandled error in thread %s; returning to the welcome screen",
                  getattr(args.thread, "name", "?"), exc_info=(args.exc_type, args.exc_value, args.exc_traceback))  # type: ignore[arg-type]  # exc_value is Optional in the stubs; never None for a raised error
        self.call_in_gui(self._back_to_start)

    def _back_to_start(self) -> None:
        if self._recovering:  # an error while recovering must not loop
            return
        self._recovering = True
        try:
            self.recover()
        except Exception:
            log.exception("recovery after an error failed")
        finally:
            self._recovering = False
