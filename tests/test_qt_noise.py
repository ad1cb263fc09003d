"""Commands print no Qt start-up noise: QtMultimedia (under QtTextToSpeech) warns twice
about PipeWire on a machine without it. tests/conftest.py hides those warnings for the
test process with QT_LOGGING_RULES; these subprocesses run without that variable, as
the kiosk does at a clinic."""

from __future__ import annotations

import ctypes.util
import os
import subprocess
import sys

import pytest


def self_test(rules: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "QT_LOGGING_RULES"}
    if rules is not None:
        env["QT_LOGGING_RULES"] = rules
    return subprocess.run([sys.executable, "-m", "kiosk", "--self-test"], check=False, env=env, capture_output=True, text=True, timeout=300)


def test_self_test_prints_no_pipewire_warning() -> None:
    result = self_test(None)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "pipewire" not in result.stderr.lower(), result.stderr
    assert "qt.multimedia" not in result.stderr


@pytest.mark.skipif(sys.platform != "linux" or bool(ctypes.util.find_library("pipewire-0.3")),
                    reason="only a Linux machine without PipeWire gets the warning")
def test_rules_the_user_sets_still_win() -> None:
    result = self_test("qt.multimedia.symbolsresolver=true")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "pipewire" in result.stderr.lower()
