"""The systemd watchdog: READY=1 once the first screen is painted, then WATCHDOG=1 while the
event loop turns, and none while it is blocked. The test plays systemd: it owns a real
AF_UNIX datagram socket and passes its name in $NOTIFY_SOCKET."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.systemd import notify, watchdog_interval_ms
from tests.test_frozen_build import BUILD_SPEC, unit_file

README = BUILD_SPEC.parent / "README.md"


@pytest.fixture(params=["path", "abstract"])
def systemd(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[socket.socket, str]]:
    """A notify socket as systemd makes it: a file path, or "@name" in the abstract namespace."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    if request.param == "path":
        address = str(tmp_path / "notify")
        sock.bind(address)
    else:
        address = f"@tmbb-kiosk-test-{os.getpid()}-{time.monotonic_ns()}"
        sock.bind("\0" + address[1:])
    sock.setblocking(False)
    yield sock, address
    sock.close()


def _drain(sock: socket.socket) -> list[str]:
    messages = []
    while True:
        try:
            messages.append(sock.recv(4096).decode())
        except BlockingIOError:
            return messages


def test_notify_speaks_the_protocol(systemd) -> None:  # type: ignore[no-untyped-def]
    sock, address = systemd
    assert notify("READY=1\nSTATUS=up", {"NOTIFY_SOCKET": address})
    assert _drain(sock) == ["READY=1\nSTATUS=up"]


def test_without_systemd_nothing_is_sent(tmp_path: Path) -> None:
    assert not notify("READY=1", {})
    assert not notify("READY=1", {"NOTIFY_SOCKET": "vsock:2:1234"})
    assert not notify("READY=1", {"NOTIFY_SOCKET": str(tmp_path / "nobody-listens")})  # logged, never raised


def test_watchdog_interval_is_half_of_watchdog_usec() -> None:
    assert watchdog_interval_ms({"WATCHDOG_USEC": "30000000"}) == 15000
    assert watchdog_interval_ms({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(os.getpid())}) == 15000
    assert watchdog_interval_ms({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"}) is None  # for another process
    assert watchdog_interval_ms({}) is None
    assert watchdog_interval_ms({"WATCHDOG_USEC": "soon"}) is None


def test_ready_after_the_first_paint_then_watchdog_while_the_loop_turns(qtbot, settings, library, systemd) -> None:  # type: ignore[no-untyped-def]
    from kiosk.ui.app import build_kiosk
    from kiosk.ui.heartbeat import Heartbeat

    sock, address = systemd
    built = build_kiosk(settings, library, size=(1280, 800))
    qtbot.addWidget(built.window)
    heartbeat = Heartbeat(built.window, "showing the kiosk", {"NOTIFY_SOCKET": address, "WATCHDOG_USEC": "200000",
                                                              "WATCHDOG_PID": str(os.getpid())})
    assert heartbeat.watchdog_timer.interval() == 100
    messages: list[str] = []

    def received(check) -> bool:  # type: ignore[no-untyped-def]
        messages.extend(_drain(sock))
        return bool(check(messages))

    assert not received(lambda m: m)  # nothing before the window is on the screen
    with qtbot.waitSignal(heartbeat.ready, timeout=5000):
        built.window.show()
    qtbot.waitUntil(lambda: received(lambda m: m and m[0] == "READY=1\nSTATUS=showing the kiosk"), timeout=2000)
    qtbot.waitUntil(lambda: received(lambda m: m.count("WATCHDOG=1") >= 3), timeout=5000)
    # The event loop blocked: this test holds the GUI thread in recv() for five intervals.
    _drain(sock)
    sock.settimeout(0.5)
    with pytest.raises(TimeoutError):
        sock.recv(4096)
    sock.setblocking(False)
    # Turning again, it feeds the watchdog again.
    messages.clear()
    qtbot.waitUntil(lambda: received(lambda m: "WATCHDOG=1" in m), timeout=2000)
    heartbeat.stopping()
    qtbot.waitUntil(lambda: received(lambda m: "STOPPING=1" in m), timeout=2000)
    built.window.allow_close()


@pytest.mark.parametrize("content", ["bundled", "broken"])
def test_the_real_kiosk_reports_to_systemd(tmp_path: Path, systemd, content: str) -> None:  # type: ignore[no-untyped-def]
    """``kiosk`` as systemd starts it: READY=1 once its first screen (the welcome screen,
    or the out-of-order screen for broken content) is painted, then the watchdog pings."""
    sock, address = systemd
    args = [sys.executable, "-m", "kiosk"]
    if content == "broken":
        (tmp_path / "empty").mkdir()
        args += ["--content", str(tmp_path / "empty")]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_DATA_DIR": str(tmp_path / "data"),
           "NOTIFY_SOCKET": address, "WATCHDOG_USEC": "300000"}
    started = time.monotonic()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    messages: list[str] = []
    ready_after = None
    try:
        sock.settimeout(1.0)
        deadline = started + 30
        while messages.count("WATCHDOG=1") < 2 and time.monotonic() < deadline:
            try:
                messages.append(sock.recv(4096).decode())
            except TimeoutError:
                assert proc.poll() is None, f"the kiosk exited with {proc.returncode}"
                continue
            if ready_after is None and messages[-1].startswith("READY=1"):
                ready_after = time.monotonic() - started
    finally:
        proc.terminate()
        proc.wait(10)
    assert messages and messages[0].startswith("READY=1"), messages
    assert messages.count("WATCHDOG=1") >= 2, messages
    expected = "out of order" if content == "broken" else "showing the kiosk"
    assert f"STATUS={expected}" in messages[0]
    print(f"{content}: READY=1 {ready_after:.2f} s after start")


def test_unit_file_is_a_notify_service_with_a_watchdog() -> None:
    service = unit_file(BUILD_SPEC / "tmbb-kiosk.service")["Service"]
    assert service["Type"] == ["notify"]
    assert service["NotifyAccess"] == ["main"]
    seconds = int(service["WatchdogSec"][0])
    assert 10 <= seconds <= 120
    # cage runs the kiosk as its child: the README's cage recipe must let the child report.
    readme = README.read_text(encoding="utf-8")
    cage = readme[readme.index("ExecStart=/usr/bin/cage"):]
    assert "NotifyAccess=all" in cage[:cage.index("```")]
