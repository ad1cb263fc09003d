"""Crash containment: an error in a slot is logged and the kiosk is back on the welcome screen."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest

from kiosk.core.session import Session
from kiosk.crash import CrashGuard
from kiosk.ui.app import install_crash_guard


@pytest.mark.qt_no_exception_capture
def test_exception_in_a_slot_returns_to_welcome(qtbot, kiosk, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO)
    guard = install_crash_guard(kiosk)
    try:
        c = kiosk.controller
        c.model.start()
        c.show("questions")
        c.model.toggle(c.pack.questions[0].id)

        def broken_slot(page_id: str) -> None:
            if page_id == "risks":
                raise RuntimeError("deliberate failure in a slot")

        c.page_shown.connect(broken_slot)
        c.show("risks")  # the slot raises inside Qt's signal delivery
        qtbot.waitUntil(kiosk.window.on_welcome, timeout=2000)
        assert c.session == Session(language=c.library.default_language)
        assert guard.errors == 1
        assert "deliberate failure in a slot" in caplog.text and "Traceback" in caplog.text
        assert c.pack.questions[0].text not in caplog.text
    finally:
        guard.uninstall()


@pytest.mark.qt_no_exception_capture
def test_exception_in_a_thread_returns_to_welcome(qtbot, kiosk, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    guard = install_crash_guard(kiosk)
    try:
        kiosk.controller.model.start()

        def work() -> None:
            raise ValueError("deliberate failure in a thread")

        thread = threading.Thread(target=work, name="worker")
        thread.start()
        thread.join()
        qtbot.waitUntil(kiosk.window.on_welcome, timeout=2000)
        assert "deliberate failure in a thread" in caplog.text
    finally:
        guard.uninstall()


def test_previous_hard_crash_is_reported(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    crash = tmp_path / "crash.txt"
    crash.write_text("Fatal Python error: Segmentation fault\n\nCurrent thread 0x1 (most recent call first):\n")
    guard = CrashGuard(crash, lambda: None, lambda call: call())
    guard.install()
    try:
        assert "previous run crashed hard" in caplog.text and "Segmentation fault" in caplog.text
        assert crash.read_text() == ""  # reopened empty for this run
    finally:
        guard.uninstall()


def test_hard_crash_is_written_to_the_crash_file(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    code = (
        "import ctypes, pathlib\n"
        "from kiosk.crash import CrashGuard\n"
        f"CrashGuard(pathlib.Path({str(tmp_path / 'crash.txt')!r}), lambda: None, lambda c: c()).install()\n"
        "ctypes.string_at(0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=60, env={**os.environ})
    assert result.returncode != 0
    assert "Segmentation fault" in (tmp_path / "crash.txt").read_text()
