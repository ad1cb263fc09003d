"""The start-up log line names the system without starting a program to find out."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

PROBE = """
import subprocess

def refused(*args, **kwargs):
    raise RuntimeError("a child process at start-up")

subprocess.Popen = refused  # (platform.platform() runs "uname -p" to name the processor)
from kiosk.logs import setup_logging
setup_logging()
"""


def test_the_start_line_names_the_system_and_starts_no_child_process(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-c", PROBE], env=dict(os.environ, KIOSK_DATA_DIR=str(tmp_path)),
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    line = next(x for x in (tmp_path / "kiosk.log").read_text(encoding="utf-8").splitlines() if "starting on" in x)
    assert f"starting on {platform.system()}-{platform.release()}-{platform.machine()}" in line
    assert f"Python {platform.python_version()}" in line
