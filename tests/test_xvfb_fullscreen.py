"""The real app, fullscreen on a real X server with a window manager: it covers the
screen, and Escape or Alt+F4 do not close it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.xsession import stays_false, wait_for, x_session

pytestmark = pytest.mark.xvfb


def test_fullscreen_and_unclosable(tmp_path: Path) -> None:
    with x_session(tmp_path, None) as x:
        kiosk = x.start_kiosk()
        wid = kiosk.window
        x.run("xdotool", "windowactivate", "--sync", wid)
        assert x.run("xdotool", "key", "Escape", "F11", "ctrl+w", "ctrl+q", "alt+F4").returncode == 0
        if x.have_wm:  # the window manager turns Alt+F4 into a close request, which is refused
            wait_for(lambda: kiosk.logged("close request refused"), 15, "the refused close in the log")
        else:  # no window manager: the keys reach the app alone, which swallows them
            assert stays_false(lambda: kiosk.proc.poll() is not None, 1.0)
        assert kiosk.proc.poll() is None, "the kiosk exited"
        assert kiosk.find_window() == wid
        assert x.covers_screen(wid)
