"""The session around the app, on a real X server with openbox (issue 19).

The window-manager escapes are tried twice: under openbox's stock configuration, where
each must get out (so the probe is known to work, and the hole is on record), and under
the configuration build_spec ships, where none may. Then what the kiosk does by itself,
whatever the window manager: it stays on every desktop, comes back when unmapped or sent
away, and ends (for the supervisor to restart it) when its window is destroyed."""

from __future__ import annotations

import contextlib
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.xsession import Kiosk, XSession, stays_false, wait_for, x_session

pytestmark = pytest.mark.xvfb

NOTHING_HAPPENS_S = 0.75  # the stock run shows a real escape within ~0.1 s


@dataclass
class Escape:
    name: str
    xdotool: list[str]
    escaped: Callable[[XSession, Kiosk | None], object]
    after: list[str] = field(default_factory=list)  # xdotool, once the outcome is seen (e.g. let go of a button)


def _desktop_changed(x: XSession, _kiosk: Kiosk | None) -> bool:
    return x.root_value("_NET_CURRENT_DESKTOP") not in ("", "0")


def _new_window(before: set[str]) -> Callable[[XSession, Kiosk | None], bool]:
    return lambda x, _kiosk: bool(x.top_windows() - before)


def _launched(name: str) -> Callable[[XSession, Kiosk | None], bool]:
    return lambda x, _kiosk: name in x.launched()


def _sent_away(x: XSession, kiosk: Kiosk | None) -> bool:
    return kiosk is not None and x.window_value(kiosk.window, "_NET_WM_DESKTOP") != str(0xFFFFFFFF)


def _desktop_escapes(before: set[str]) -> list[Escape]:
    """On the bare desktop, before the kiosk covers it (or after it was hidden)."""
    return [
        # The button is held while the outcome is looked for: openbox shows these menus on the press
        # and, when it gets the release late (a busy machine), hides them again at once. Escape closes
        # the menu before the release, which could otherwise choose the entry under the pointer.
        Escape("right-click: root menu", ["mousemove", "600", "400", "mousedown", "3"], _new_window(before),
               ["key", "Escape", "mouseup", "3"]),
        Escape("middle-click: window list menu", ["mousemove", "600", "400", "mousedown", "2"], _new_window(before),
               ["key", "Escape", "mouseup", "2"]),
        Escape("wheel: next desktop", ["mousemove", "600", "400", "click", "5"], _desktop_changed),
        Escape("Alt+wheel: next desktop", ["mousemove", "600", "400", "keydown", "alt", "click", "5", "keyup", "alt"],
               _desktop_changed),
    ]


def _kiosk_escapes(before: set[str]) -> list[Escape]:
    """With the kiosk on the screen and focused, as a patient at its keyboard."""
    return [
        Escape("Ctrl+Alt+Right: next desktop", ["key", "ctrl+alt+Right"], _desktop_changed),
        Escape("Super+F2: desktop 2", ["key", "super+F2"], _desktop_changed),
        Escape("Alt+Space: window menu", ["key", "alt+space"], _new_window(before)),
        Escape("Print: scrot", ["key", "Print"], _launched("scrot")),
        Escape("Super+E: file manager", ["key", "super+e"], _launched("kfmclient")),
        Escape("Shift+Alt+Right: kiosk sent to the next desktop", ["key", "shift+alt+Right"], _sent_away),
        Escape("Ctrl+Alt+wheel over the kiosk: next desktop",
               ["mousemove", "640", "400", "keydown", "ctrl+alt", "click", "5", "keyup", "ctrl+alt"], _desktop_changed),
    ]


def _back_to_start(x: XSession, kiosk: Kiosk | None) -> None:
    x.run("xdotool", "key", "Escape")  # closes an open menu (the kiosk takes it as Back: harmless)
    x.run("wmctrl", "-s", "0")
    wait_for(lambda: x.root_value("_NET_CURRENT_DESKTOP") == "0", 5, "desktop 1 again")
    if kiosk is not None:
        x.run("xdotool", "windowactivate", "--sync", kiosk.window)
        wait_for(kiosk.on_screen, 5, "the kiosk back on the screen")


@pytest.mark.parametrize("config", ["stock", "shipped"])
def test_window_manager_shortcuts(tmp_path: Path, config: str) -> None:
    """Stock openbox: every probe gets out. The shipped configuration: none does."""
    with x_session(tmp_path, config) as x:
        x.run("xdotool", "mousemove", "10", "790")  # where neither menu nor kiosk corner is
        assert x.root_value("_NET_NUMBER_OF_DESKTOPS") == ("4" if config == "stock" else "1")
        outcomes: dict[str, bool] = {}
        before = x.top_windows()
        for escape in _desktop_escapes(before):
            outcomes[escape.name] = _try(x, None, escape, config)
        kiosk = x.start_kiosk()
        before = x.top_windows()
        for escape in _kiosk_escapes(before):
            outcomes[escape.name] = _try(x, kiosk, escape, config)
        if config == "stock":
            assert all(outcomes.values()), {name: got for name, got in outcomes.items() if not got}
        else:
            assert not any(outcomes.values()), [name for name, got in outcomes.items() if got]
            assert x.launched() == [] and x.top_windows() == before
            assert kiosk.on_screen() and kiosk.proc.poll() is None


def _try(x: XSession, kiosk: Kiosk | None, escape: Escape, config: str) -> bool:
    """Make the move; True when it got out (it is then undone for the next one)."""
    windows = x.top_windows()
    assert x.run("xdotool", *escape.xdotool).returncode == 0, escape.name
    try:
        if config == "shipped":
            return not stays_false(lambda: escape.escaped(x, kiosk), NOTHING_HAPPENS_S)
        try:
            wait_for(lambda: escape.escaped(x, kiosk), 5, escape.name)
        except AssertionError:
            return False
    finally:
        if escape.after:
            assert x.run("xdotool", *escape.after).returncode == 0, escape.name
    _back_to_start(x, kiosk)
    wait_for(lambda: not _opened(x, kiosk, windows), 5, f"the menu closed after {escape.name!r}")  # before the next move lands on it
    return True


def _opened(x: XSession, kiosk: Kiosk | None, windows: set[str]) -> set[str]:
    """Windows on top of the root that were not there before: a menu or a popup still open.
    The kiosk's own frame does not count: put back after it was sent to another desktop, the
    kiosk's window is mapped again, and the window manager frames it anew."""
    return x.top_windows() - windows - ({x.top_of(kiosk.window)} if kiosk is not None else set())


def test_kiosk_is_on_every_desktop_and_above_others(tmp_path: Path) -> None:
    """Under stock openbox (four desktops): switching desktops does not leave a bare one, and
    a window sent to another desktop comes back."""
    with x_session(tmp_path, "stock") as x:
        kiosk = x.start_kiosk()
        assert x.window_value(kiosk.window, "_NET_WM_DESKTOP") == str(0xFFFFFFFF)
        assert "_NET_WM_STATE_ABOVE" in x.window_value(kiosk.window, "_NET_WM_STATE")
        for desktop in ("1", "3", "0"):
            x.run("wmctrl", "-s", desktop)
            wait_for(lambda wanted=desktop: x.root_value("_NET_CURRENT_DESKTOP") == wanted, 5, f"desktop {desktop}")
            assert x.viewable(kiosk.window) and x.covers_screen(kiosk.window), f"a bare desktop {desktop}"
        assert not kiosk.logged("taken off the screen")  # it never left: it is on every desktop
        x.run("wmctrl", "-i", "-r", kiosk.window, "-t", "2")  # another program sends it away
        wait_for(lambda: kiosk.logged("taken off the screen"), 5, "the kiosk to notice")
        wait_for(kiosk.on_screen, 5, "the kiosk back on the screen")
        wait_for(lambda: x.window_value(kiosk.window, "_NET_WM_DESKTOP") == str(0xFFFFFFFF), 15, "every desktop again")  # (slow under load: the WM sets it after the map)
        assert x.root_value("_NET_CURRENT_DESKTOP") == "0"


def test_restored_kiosk_is_on_every_desktop_even_when_the_window_manager_lags(tmp_path: Path) -> None:
    """A busy window manager handles the kiosk's hide-and-show late: openbox lets the hidden window
    go (erasing its _NET_WM_DESKTOP) after the kiosk asked for every desktop again, and then maps
    it on the current desktop only. The kiosk asks again once it is back on the screen. (CI once
    saw the restored kiosk stay on one desktop for 15 s; pausing openbox makes that order sure.)"""
    with x_session(tmp_path, "stock") as x:
        kiosk = x.start_kiosk()
        assert x.wm is not None
        x.run("wmctrl", "-i", "-r", kiosk.window, "-t", "2")
        wait_for(lambda: not x.viewable(kiosk.window), 5, "the kiosk sent to desktop 2")
        x.wm.send_signal(signal.SIGSTOP)  # before the keeper's 250 ms are up
        try:
            wait_for(lambda: kiosk.logged("taken off the screen"), 5, "the kiosk to notice")
        finally:
            x.wm.send_signal(signal.SIGCONT)
        wait_for(kiosk.on_screen, 5, "the kiosk back on the screen")
        wait_for(lambda: x.window_value(kiosk.window, "_NET_WM_DESKTOP") == str(0xFFFFFFFF), 5, "every desktop again")
        for desktop in ("1", "0"):
            x.run("wmctrl", "-s", desktop)
            wait_for(lambda wanted=desktop: x.root_value("_NET_CURRENT_DESKTOP") == wanted, 5, f"desktop {desktop}")
            assert x.viewable(kiosk.window), f"a bare desktop {desktop}"


def test_unmapped_kiosk_comes_back(tmp_path: Path) -> None:
    with x_session(tmp_path, "shipped") as x:
        kiosk = x.start_kiosk()
        seconds = []
        for _ in range(3):  # every time, not only the first
            x.run("xdotool", "windowunmap", "--sync", kiosk.window)
            gone = time.monotonic()
            wait_for(kiosk.on_screen, 5, "the kiosk back on the screen")
            seconds.append(time.monotonic() - gone)
        print(f"unmapped kiosk back on the screen after {', '.join(f'{s:.2f}' for s in seconds)} s")
        assert kiosk.proc.poll() is None
        assert kiosk.find_window() == kiosk.window


def test_destroyed_window_ends_the_process_for_the_supervisor(tmp_path: Path) -> None:
    with x_session(tmp_path, "shipped") as x:
        kiosk = x.start_kiosk()
        x.run("xdotool", "windowclose", kiosk.window)  # XDestroyWindow: nothing to put back
        started = time.monotonic()
        code = kiosk.proc.wait(15)
        print(f"kiosk exited {time.monotonic() - started:.2f} s after its window was destroyed")
        assert code == 3, kiosk.output()  # not 0: systemd's Restart=always starts a fresh one
        assert kiosk.logged("destroyed by another program")


def test_out_of_order_screen_is_locked_like_the_kiosk(tmp_path: Path) -> None:
    """Broken content shows the out-of-order screen: stock openbox's Alt+F4 and an unmap do
    not take it away (before, Alt+F4 closed it and left the bare desktop)."""
    empty = tmp_path / "no-content"
    empty.mkdir()
    with x_session(tmp_path, "stock") as x:
        kiosk = x.start_kiosk("--content", str(empty))
        assert "no topic folders in" in kiosk.output()  # the out-of-order screen it is
        x.run("xdotool", "windowactivate", "--sync", kiosk.window)
        # Active is not yet focused: a key pressed before openbox gives the window the
        # keyboard closes nothing (the key was lost once in six CI runs, and once in ten under load).
        wait_for(kiosk.on_screen, 5, "the out-of-order screen focused")
        # Even focused, a key sent at once was still lost now and then under load (once in
        # a full run beside a 5,000-session soak): press again, up to three times, until
        # a close request arrives. Each one that arrives must be refused.
        for _attempt in range(3):
            x.run("xdotool", "key", "alt+F4")
            with contextlib.suppress(AssertionError):
                wait_for(lambda: kiosk.logged("close request refused"), 3, "the refused close in the log")
                break
        assert kiosk.logged("close request refused"), "no close request reached the out-of-order screen"
        assert kiosk.proc.poll() is None and kiosk.on_screen()
        x.run("xdotool", "windowunmap", "--sync", kiosk.window)
        wait_for(kiosk.on_screen, 5, "the out-of-order screen back")
        assert kiosk.proc.poll() is None
