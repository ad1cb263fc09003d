"""A private X server (Xvfb) with openbox, for tests that need real windows and a real
window manager, and the real kiosk started in it as a process.

Missing tools skip the test on a developer's machine and fail it in CI (CI=true), where
.ci/run installs them."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILD_SPEC = ROOT / "build_spec"
SIZE = "1280x800"
T = TypeVar("T")

# Programs the stock openbox configuration starts from a key or its root menu. Stand-ins
# that leave a mark are put first on openbox's PATH, so a test sees whether one started.
LAUNCHED = ("scrot", "kfmclient", "x-terminal-emulator", "x-www-browser", "obconf")


def require(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must install {missing} (see .ci/run)")
        pytest.skip(f"needs {missing}")


def wait_for(predicate: Callable[[], T], timeout: float, what: str) -> T:
    """Poll another process's state until ``predicate`` returns something true."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


def stays_false(predicate: Callable[[], object], seconds: float) -> bool:
    """True when ``predicate`` stayed false for ``seconds`` (for "nothing happened")."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return False
        time.sleep(0.05)
    return not predicate()


def stop(proc: subprocess.Popen) -> None:  # type: ignore[type-arg]
    """Terminate, and kill what does not end within 10 s."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


@dataclass
class XSession:
    env: dict[str, str]
    tmp: Path
    have_wm: bool
    procs: list[subprocess.Popen] = field(default_factory=list)  # type: ignore[type-arg]
    wm: subprocess.Popen | None = None  # type: ignore[type-arg]  # (a test can pause it: SIGSTOP)

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(list(args), check=False, env=self.env, capture_output=True, text=True, timeout=30)

    def root_value(self, name: str) -> str:
        """The value of a root window property (``_NET_CURRENT_DESKTOP`` -> "0")."""
        out = self.run("xprop", "-root", name).stdout
        return out.split("=", 1)[1].strip() if "=" in out else ""

    def window_value(self, window: str, name: str) -> str:
        out = self.run("xprop", "-id", window, name).stdout
        return out.split("=", 1)[1].strip() if "=" in out else ""

    def viewable(self, window: str) -> bool:
        return "IsViewable" in self.run("xwininfo", "-id", window).stdout

    def geometry(self, window: str) -> str:
        return self.run("xdotool", "getwindowgeometry", window).stdout

    def covers_screen(self, window: str) -> bool:
        text = self.geometry(window)
        return SIZE in text and "Position: 0,0" in text

    def focused(self) -> str:
        return self.run("xdotool", "getwindowfocus").stdout.strip()

    def top_windows(self) -> set[str]:
        """The mapped children of the root window (a menu or a new program shows here)."""
        return set(self.run("xdotool", "search", "--onlyvisible", "--maxdepth", "1", "--name", "").stdout.split())

    def top_of(self, window: str) -> str:
        """The child of the root window that holds ``window`` (its frame, under a window
        manager), in xdotool's decimal form as ``top_windows`` gives it."""
        current = int(window)
        while True:
            text = self.run("xwininfo", "-children", "-id", str(current)).stdout
            ids = {line.split(":")[0].strip(): line.split(":")[1].split()[0]
                   for line in text.splitlines() if line.strip().startswith(("Root window id", "Parent window id"))}
            if "Parent window id" not in ids or ids["Parent window id"] == ids.get("Root window id"):
                return str(current)
            current = int(ids["Parent window id"], 16)

    def launched(self) -> list[str]:
        return sorted(p.name for p in (self.tmp / "launched").iterdir())

    def start_kiosk(self, *args: str, env: dict[str, str] | None = None) -> Kiosk:
        data = self.tmp / "data"
        output = open(self.tmp / "kiosk-output.txt", "wb")  # noqa: SIM115 (closed by stop_kiosk)
        proc = subprocess.Popen([sys.executable, "-m", "kiosk", *args], stdout=output, stderr=subprocess.STDOUT,
                                env={**self.env, "KIOSK_DATA_DIR": str(data), "QT_QPA_PLATFORM": "xcb", **(env or {})})
        output.close()
        self.procs.append(proc)
        kiosk = Kiosk(self, proc, data / "kiosk.log")
        kiosk.window = wait_for(kiosk.find_window, 30, "the kiosk window")
        wait_for(lambda: self.covers_screen(kiosk.window), 10, "a fullscreen kiosk window")
        return kiosk


@dataclass
class Kiosk:
    x: XSession
    proc: subprocess.Popen  # type: ignore[type-arg]
    log: Path
    window: str = ""

    def find_window(self) -> str:
        if self.proc.poll() is not None:
            raise AssertionError(f"the kiosk exited with {self.proc.returncode}: {self.output()!r}")
        found = self.x.run("xdotool", "search", "--onlyvisible", "--class", "tmbb-kiosk").stdout.split()
        return found[0] if found else ""

    def logged(self, text: str) -> bool:
        return self.log.exists() and text in self.log.read_text(encoding="utf-8", errors="replace")

    def output(self) -> str:
        return (self.x.tmp / "kiosk-output.txt").read_text(errors="replace")[-3000:]

    def on_screen(self) -> bool:
        """Mapped, covering the screen, and holding the keyboard focus."""
        return self.x.viewable(self.window) and self.x.covers_screen(self.window) and self.x.focused() == self.window


def _fake_launchers(folder: Path, marks: Path) -> None:
    folder.mkdir()
    marks.mkdir()
    for name in LAUNCHED:
        script = folder / name
        script.write_text(f'#!/bin/sh\ntouch "{marks / name}"\n')
        script.chmod(0o755)


@contextmanager
def x_session(tmp: Path, wm: str | None) -> Iterator[XSession]:
    """Xvfb, and ``wm``: "shipped" (openbox with build_spec's locked configuration, installed
    as the README says), "stock" (openbox with the distribution's configuration), or None
    (openbox's stock configuration when openbox is installed, else no window manager)."""
    require("Xvfb", "xdotool", "xprop", "xwininfo", *(["openbox"] if wm else []))
    # -displayfd: Xvfb picks a free display number and writes it to the pipe.
    read_fd, write_fd = os.pipe()
    # -noreset: otherwise the server resets when its last client leaves (the readiness probe
    # below), and a client connecting in that moment, as openbox did now and then, is refused.
    xvfb = subprocess.Popen(["Xvfb", "-noreset", "-displayfd", str(write_fd), "-screen", "0", f"{SIZE}x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(write_fd,))
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        display = ":" + pipe.readline().strip()
    env = {**os.environ, "DISPLAY": display}
    env.pop("QT_QPA_PLATFORM", None)
    # Openbox reads $XDG_CONFIG_HOME/openbox/ before /etc/xdg/openbox/: a folder of the
    # test's own, empty for "stock", so the developer's own configuration never counts.
    config_home = tmp / "config"
    (config_home / "openbox").mkdir(parents=True)
    if wm == "shipped":
        shutil.copy(BUILD_SPEC / "openbox-rc.xml", config_home / "openbox" / "rc.xml")
        shutil.copy(BUILD_SPEC / "openbox-menu.xml", config_home / "openbox" / "menu.xml")
    _fake_launchers(tmp / "bin", tmp / "launched")
    wm_env = {**env, "XDG_CONFIG_HOME": str(config_home), "PATH": f"{tmp / 'bin'}{os.pathsep}{env.get('PATH', '')}"}
    session = XSession(env, tmp, have_wm=False)
    wm_proc = None
    wm_log = tmp / "openbox.log"
    try:
        wait_for(lambda: session.run("xdotool", "getdisplaygeometry").returncode == 0, 20, "Xvfb")
        if wm or shutil.which("openbox"):
            # --startup runs once openbox has read its configuration and grabbed its keys:
            # a key pressed before that would slip past a binding the test wants to see.
            ready = tmp / "openbox-ready"
            with open(wm_log, "wb") as log:
                wm_proc = subprocess.Popen(["openbox", "--startup", f"touch {shlex.quote(str(ready))}"], env=wm_env,
                                           stdout=log, stderr=subprocess.STDOUT)
            try:
                wait_for(ready.exists, 20, "openbox")
            except AssertionError:
                said = wm_log.read_text(errors="replace")[-2000:]
                raise AssertionError(f"openbox did not take the screen (exit code {wm_proc.poll()}): {said!r}") from None
            session.have_wm = True
            session.wm = wm_proc
        yield session
    finally:
        # Also when start-up failed: a server left running outlives the test session.
        for proc in [*session.procs, wm_proc, xvfb]:
            if proc is not None:
                stop(proc)
