"""The session around the app, on a real X server with openbox (issue 19).

The window-manager escapes are tried twice: under openbox's stock configuration, where
each must get out (so the probe is known to work, and the hole is on record), and under
the configuration build_spec ships, where none may."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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


def _desktop_changed(x: XSession, _kiosk: Kiosk | None) -> bool:
    return x.root_value("_NET_CURRENT_DESKTOP") not in ("", "0")


def _new_window(before: set[str]) -> Callable[[XSession, Kiosk | None], bool]:
    return lambda x, _kiosk: bool(x.top_windows() - before)


def _launched(name: str) -> Callable[[XSession, Kiosk | None], bool]:
    return lambda x, _kiosk: name in x.launched()


def _desktop_escapes(before: set[str]) -> list[Escape]:
    """On the bare desktop, before the kiosk covers it (or after it was hidden)."""
    return [
        Escape("right-click: root menu", ["mousemove", "600", "400", "click", "3"], _new_window(before)),
        Escape("middle-click: window list menu", ["mousemove", "600", "400", "click", "2"], _new_window(before)),
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
    assert x.run("xdotool", *escape.xdotool).returncode == 0, escape.name
    if config == "shipped":
        return not stays_false(lambda: escape.escaped(x, kiosk), NOTHING_HAPPENS_S)
    try:
        wait_for(lambda: escape.escaped(x, kiosk), 5, escape.name)
    except AssertionError:
        return False
    _back_to_start(x, kiosk)
    return True
