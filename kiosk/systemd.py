"""systemd's service notification protocol (sd_notify(3)) in the standard library.

One datagram per message to the AF_UNIX socket named in ``$NOTIFY_SOCKET`` (a leading "@"
means Linux's abstract namespace). No Qt here: the event-loop side is kiosk/ui/heartbeat.py.
The PyPI packages for this are either unmaintained (sdnotify: last release 2017) or bind
libsystemd (systemd-python, cysystemd), which the offline build would have to carry; the
protocol is a few lines.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger(__name__)


def _address(environ: Mapping[str, str]) -> str | None:
    address = environ.get("NOTIFY_SOCKET", "")
    if address.startswith("@"):
        return "\0" + address[1:]
    if address.startswith("/"):
        return address
    return None  # unset, or a kind this does not speak (vsock:): not under systemd's notify


def notify(message: str, environ: Mapping[str, str] | None = None) -> bool:
    """Send ``message`` (e.g. "READY=1") to systemd; False when not run as a notify service
    or when the socket cannot be reached (which must never stop the kiosk)."""
    address = _address(os.environ if environ is None else environ)
    if address is None or not hasattr(socket, "AF_UNIX"):
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | getattr(socket, "SOCK_CLOEXEC", 0)) as sock:
            sock.connect(address)
            sock.sendall(message.encode("utf-8"))
    except OSError as exc:
        log.warning("could not notify systemd (%s): %s", message.split("\n")[0], exc)
        return False
    return True


def watchdog_interval_ms(environ: Mapping[str, str] | None = None) -> int | None:
    """How often to send WATCHDOG=1: half of systemd's ``WatchdogSec=`` (``$WATCHDOG_USEC``),
    as sd_watchdog_enabled(3) advises; None when no watchdog is set for this process."""
    env = os.environ if environ is None else environ
    try:
        usec = int(env.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    pid = env.get("WATCHDOG_PID", "")
    if usec <= 0 or (pid and pid != str(os.getpid())):
        return None  # meant for another process (a wrapper that started us)
    return max(1, usec // 2000)
