"""Commands that need no window never load Qt: they work where Qt cannot (a headless
server, a broken Qt install) and print no Qt start-up noise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BLOCKER = """\
import sys

class BlockQt:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6"):
            sys.stderr.write(f"QT-IMPORT-ATTEMPTED {name}\\n")
            raise ImportError(f"Qt is blocked in this test: {name}")
        return None

sys.meta_path.insert(0, BlockQt())
"""


def run_without_qt(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    blocker = tmp_path / "blocker"
    blocker.mkdir(exist_ok=True)
    (blocker / "sitecustomize.py").write_text(BLOCKER, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(blocker), os.environ.get("PYTHONPATH")])))
    return subprocess.run([sys.executable, "-m", "kiosk", *args], check=False, input=stdin, env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)


def test_the_blocker_blocks(tmp_path: Path) -> None:
    result = run_without_qt(tmp_path, "--self-test")
    assert result.returncode != 0 and "QT-IMPORT-ATTEMPTED PySide6" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("check-content",),
        ("--version",),
        ("stats",),
        ("stats", "--csv"),
    ],
)
def test_command_runs_without_qt(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = run_without_qt(tmp_path, *args)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "QT-IMPORT-ATTEMPTED" not in result.stderr
    assert "Traceback" not in result.stderr


def test_set_pin_runs_without_qt(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text('clinic_name = "Sunrise"\n', encoding="utf-8")
    result = run_without_qt(tmp_path, "--config", str(config), "set-pin", "--stdin", stdin="24681357\n24681357\n")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "QT-IMPORT-ATTEMPTED" not in result.stderr
    assert "pin_hash" in config.read_text(encoding="utf-8")
