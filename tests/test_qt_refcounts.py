"""Guards against a Qt-binding fault that would end a long-running kiosk.

PySide6 6.12.0 on CPython 3.11 drops a reference to ``True`` (and ``None``) on every
signal emit; after a few thousand taps Python aborts ("deallocating True"). A kiosk
that runs for months must never ship a binding with that fault, so this test runs
the emits in a child process (the abort must not take the test runner with it).
"""

from __future__ import annotations

import subprocess
import sys

PROBE = r"""
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal
app = QCoreApplication([])
class Source(QObject):
    text = Signal(str)
    flag = Signal(bool)
    plain = Signal()
source = Source()
source.text.connect(lambda value: None)
source.flag.connect(lambda value: None)
source.plain.connect(lambda: None)
before = sys.getrefcount(True), sys.getrefcount(None)
for _ in range(20000):
    source.text.emit("page")
    source.flag.emit(True)
    source.plain.emit()
after = sys.getrefcount(True), sys.getrefcount(None)
print(after[0] - before[0], after[1] - before[1])
"""


def test_signal_emits_keep_true_and_none_alive() -> None:
    result = subprocess.run([sys.executable, "-c", PROBE], check=False, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"the Qt binding crashed Python:\n{result.stderr[-2000:]}"
    drift_true, drift_none = (int(part) for part in result.stdout.split())
    assert abs(drift_true) < 100 and abs(drift_none) < 100, result.stdout
