"""Logging to a size-bounded rotating file in the per-machine data folder.

Log lines never hold patient choices: page ids and counts only.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import platform
import sys

from kiosk import __version__
from kiosk.core.paths import log_path

MAX_LOG_BYTES = 1_000_000
LOG_BACKUPS = 3


def setup_logging(verbose: bool = False) -> None:
    root = logging.getLogger()
    if any(getattr(h, "kiosk_handler", False) for h in root.handlers):
        return
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_path(), maxBytes=MAX_LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler()  # read-only disk: keep running, log to stderr
    handler.setFormatter(formatter)
    handler.kiosk_handler = True  # type: ignore[attr-defined]  # a marker that tells our handler from others
    root.addHandler(handler)
    logging.getLogger(__name__).info(
        "kiosk %s starting on %s, Python %s", __version__, describe_system(), platform.python_version()
    )


def describe_system() -> str:
    """The system, as ``platform.platform()`` gives it, without what that costs: it runs
    ``uname -p`` in a child process and reads the Python binary for the C library's version
    (~11 ms of every start here)."""
    parts = [platform.system(), platform.release(), platform.machine()]
    if sys.platform == "win32":
        version = sys.getwindowsversion()
        parts[1] = f"{parts[1]} ({version.major}.{version.minor}.{version.build})"
    described = "-".join(part for part in parts if part)
    try:
        libc = os.confstr("CS_GNU_LIBC_VERSION")
    except (AttributeError, ValueError, OSError):
        libc = None
    return f"{described}, {libc}" if libc else described


# QtMultimedia, which QtTextToSpeech loads, looks for PipeWire when its library is
# loaded and warns twice on every machine without it (most clinic machines), before
# any window exists. Noise for IT on every command; the kiosk does not use PipeWire.
QT_QUIET_RULES = "qt.multimedia.symbolsresolver=false"


def quiet_qt_logging() -> None:
    """Silence Qt's known start-up noise; call before the Qt modules beyond QtCore load.

    Qt applies rules set here before those of QT_LOGGING_CONF and QT_LOGGING_RULES, so
    a rule the user sets there (``qt.multimedia.*=true`` to debug audio) still wins."""
    from PySide6.QtCore import QLoggingCategory

    QLoggingCategory.setFilterRules(QT_QUIET_RULES)
