"""Power cut / kill -9 in the middle of writes: files are old or new, never torn.
Corrupt files are logged and replaced by defaults, never a crash."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from kiosk.core.pin import PinGuard
from kiosk.core.settings import Settings, load_settings
from kiosk.core.stats import StatsStore

WRITER = r"""
import sys, pathlib, itertools
from kiosk.core.settings import set_config_value
from kiosk.core.stats import SessionRecord, StatsStore
config, db = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
store = StatsStore(db)
print("ready", flush=True)
for i in itertools.count():
    set_config_value(config, "clinic_name", f"Clinic {i} " + "x" * (i % 500))
    store.record(SessionRecord("en", "risks", {"intro": i % 60}, {"intro": 1}, [f"q{i % 7}"]))
"""


def test_sigkill_mid_write_never_tears_files(tmp_path: Path) -> None:
    config, db = tmp_path / "kiosk.toml", tmp_path / "stats.sqlite3"
    config.write_text('clinic_name = "Start"\nidle_seconds = 90\n')
    rng = random.Random(7)
    kills = 0
    for _ in range(25):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(config), str(db)], stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        try:
            # Let it write for a random moment, then cut it off as a power cut would.
            proc.wait(timeout=rng.uniform(0.01, 0.25))
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait()
        proc.stdout.close()
        data = tomllib.loads(config.read_text(encoding="utf-8"))
        assert data["idle_seconds"] == 90 and data["clinic_name"].startswith(("Start", "Clinic"))
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert kills >= 20
    assert StatsStore(db).summary(__import__("datetime").date(2000, 1, 1)).sessions > 0


def test_corrupt_config_gives_defaults(tmp_path: Path) -> None:
    for content in (b"\x00\xff\xfe garbage", b'clinic_name = "unterminated', b"", b"[[[["):
        path = tmp_path / "kiosk.toml"
        path.write_bytes(content)
        settings = load_settings(path)
        assert settings.idle_seconds == Settings().idle_seconds
        if content:
            assert settings.problems


def test_unreadable_config_gives_defaults(tmp_path: Path) -> None:
    folder = tmp_path / "kiosk.toml"
    folder.mkdir()  # a directory where the file should be: reading fails
    settings = load_settings(folder)
    assert settings == Settings() and "cannot read" in settings.problems[0]


def test_corrupt_statistics_database_is_set_aside(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "stats.sqlite3"
    db.write_bytes(b"this is not a database" * 100)
    store = StatsStore(db)
    assert store.integrity_ok()
    assert "damaged" in caplog.text
    assert any(p.name.startswith("stats.sqlite3.damaged-") for p in tmp_path.iterdir())


def test_corrupt_lockout_state_stays_locked(tmp_path: Path) -> None:
    state = tmp_path / "lockout.json"
    state.write_bytes(b"\x00\x01")
    assert PinGuard("scrypt$1$1$1$AA==$AA==", state).seconds_locked() > 0


def test_kiosk_starts_with_a_corrupt_config_and_shows_it_to_staff(qtbot, library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from kiosk.core.paths import stats_path
    from kiosk.ui.app import build_kiosk

    stats_path().write_bytes(b"garbage" * 50)
    path = tmp_path / "kiosk.toml"
    path.write_text("idle_seconds = [oops\n")
    settings = load_settings(path)
    built = build_kiosk(settings, library, size=(1280, 800))
    qtbot.addWidget(built.window)
    built.window.show()
    info = built.controller.staff_info()
    assert info.config_problems and "not valid TOML" in info.config_problems[0]
    assert built.controller.stats is not None
    built.controller.start()
    built.controller.done()
    built.window.allow_close()
