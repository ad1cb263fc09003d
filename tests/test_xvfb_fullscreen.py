"""The real app, fullscreen on a real X server with a window manager: it covers the
screen, and Escape or Alt+F4 do not close it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.xvfb
TOOLS = ("Xvfb", "xdotool")


def _wait(predicate, timeout: float, what: str):  # type: ignore[no-untyped-def]
    """Poll an external process's state (no Qt event loop to wait on here)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _stop(proc: subprocess.Popen) -> None:  # type: ignore[type-arg]
    """Terminate, and kill what does not end within 10 s."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


@pytest.fixture
def xserver(tmp_path: Path):  # type: ignore[no-untyped-def]
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must install {missing} (see .ci/run)")
        pytest.skip(f"needs {missing}")
    # -displayfd: Xvfb picks a free display number and writes it to the pipe.
    read_fd, write_fd = os.pipe()
    # -noreset: otherwise the server resets when its last client leaves (the readiness probe
    # below), and a client connecting in that moment, as openbox did now and then, is refused.
    xvfb = subprocess.Popen(["Xvfb", "-noreset", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(write_fd,))
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        display = ":" + pipe.readline().strip()
    env = {**os.environ, "DISPLAY": display}
    env.pop("QT_QPA_PLATFORM", None)
    wm = None
    wm_log = tmp_path / "openbox.log"
    try:
        _wait(lambda: subprocess.run(["xdotool", "getdisplaygeometry"], env=env, capture_output=True).returncode == 0,
              20, "Xvfb")
        if shutil.which("openbox"):
            with open(wm_log, "wb") as log:
                wm = subprocess.Popen(["openbox"], env=env, stdout=log, stderr=subprocess.STDOUT)
            if shutil.which("xprop"):  # wait until the window manager has taken the screen
                try:
                    _wait(lambda: "window id" in subprocess.run(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], env=env,
                                                                 capture_output=True, text=True).stdout, 20, "openbox")
                except AssertionError:
                    said = wm_log.read_text(errors="replace")[-2000:]
                    raise AssertionError(f"openbox did not take the screen (exit code {wm.poll()}): {said!r}") from None
        yield env, wm is not None
    finally:
        # Also when start-up failed: a server left running outlives the test session.
        for proc in (wm, xvfb):
            if proc is not None:
                _stop(proc)


def test_fullscreen_and_unclosable(xserver, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    env, have_wm = xserver
    env = {**env, "KIOSK_DATA_DIR": str(tmp_path / "data"), "QT_QPA_PLATFORM": "xcb"}
    output = open(tmp_path / "kiosk-output.txt", "wb")  # noqa: SIM115 (closed in finally)
    app = subprocess.Popen([sys.executable, "-m", "kiosk"], env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        def window_id() -> str:
            found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "thoracic"], env=env, capture_output=True, text=True)
            return found.stdout.split()[0] if found.stdout.split() else ""

        wid = _wait(window_id, 30, "the kiosk window")

        def geometry() -> str:
            out = subprocess.run(["xdotool", "getwindowgeometry", wid], env=env, capture_output=True, text=True).stdout
            return out

        _wait(lambda: "1280x800" in geometry(), 10, "a fullscreen window")
        assert "Position: 0,0" in geometry()
        subprocess.run(["xdotool", "windowactivate", "--sync", wid], env=env, capture_output=True)
        subprocess.run(["xdotool", "key", "Escape", "F11", "ctrl+w", "ctrl+q", "alt+F4"], env=env, check=True)
        if not have_wm:  # no window manager to turn Alt+F4 into a close request: ask directly
            subprocess.run(["xdotool", "windowclose", wid], env=env, capture_output=True)
        log = tmp_path / "data" / "kiosk.log"
        _wait(lambda: log.exists() and "close request refused" in log.read_text(), 15, "the refused close in the log")
        assert app.poll() is None, "the kiosk exited"
        assert window_id() == wid
        assert "1280x800" in geometry() and "Position: 0,0" in geometry()
    finally:
        _stop(app)
        output.close()
