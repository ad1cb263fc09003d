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
import sys, pathlib, itertools, json
from kiosk.core.atomic import write_text_atomic
from kiosk.core.settings import set_config_value
from kiosk.core.stats import SessionRecord, StatsStore
config, db = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
lockout = db.with_name("lockout.json")
store = StatsStore(db)
print("ready", flush=True)
for i in itertools.count():
    set_config_value(config, "clinic_name", f"Clinic {i} " + "x" * (i % 500))
    write_text_atomic(lockout, json.dumps({"failures": i % 5, "lockouts": 0, "locked_until": 0}), private=True)
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
    # What the kills left behind goes at the next start (once old enough not to be a
    # write in flight); nothing else in the folder is touched.
    from kiosk.core.atomic import remove_stale_temps

    _age(_temps(tmp_path))
    for target in (config, db.with_name("lockout.json")):
        assert remove_stale_temps(target) == []
    assert _temps(tmp_path) == []
    assert {p.name for p in tmp_path.iterdir()} <= {"kiosk.toml", "lockout.json", "stats.sqlite3", "stats.sqlite3-wal",
                                                     "stats.sqlite3-shm"}


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
    info = built.controller.staff.info()
    assert info.config_problems and "not valid TOML" in info.config_problems[0]
    assert built.controller.usage.store is not None
    built.controller.model.start()
    built.controller.reset_session()
    built.window.allow_close()


# --- Temporary files a killed writer leaves behind ----------------------------------------

STUCK_WRITER = r"""
import os, sys, pathlib, time
from kiosk.core import atomic

target, where, private = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3] == "private"
real = getattr(os, where)

def stuck(*args, **kwargs):
    if where == "fdopen" or str(args[0]).endswith(".tmp"):
        print("stuck", flush=True)
        while True:  # the write stops here until the test kills this process
            time.sleep(60)
    return real(*args, **kwargs)

setattr(os, where, stuck)
atomic.write_text_atomic(target, 'pin_hash = "scrypt$131072$8$1$c2FsdA==$aGFzaA=="\n', private=private)
"""


def _stuck_writer(target: Path, where: str, private: bool) -> subprocess.Popen[str]:
    """A writer of ``target`` held at ``where``: just after creating its temp ("fdopen")
    or with the temp written, before the rename ("replace"). Killing it is a power cut there."""
    proc = subprocess.Popen([sys.executable, "-c", STUCK_WRITER, str(target), where, "private" if private else "shared"],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "stuck"
    return proc


def _temps(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.endswith(".tmp"))


def _age(paths: list[Path], seconds: float = 3600) -> None:
    """Make files look as old as a leftover from an earlier run (rather than waiting)."""
    import time

    for path in paths:
        os.utime(path, (time.time() - seconds, time.time() - seconds))


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes and flock")
def test_temps_of_a_killed_writer_are_no_more_readable_than_their_file_and_are_cleaned(tmp_path: Path) -> None:
    import stat

    from kiosk.core.atomic import remove_stale_temps
    from kiosk.core.paths import data_dir, lockout_path, prepare_data_dir

    config = tmp_path / "kiosk.toml"
    config.write_text('clinic_name = "Sunrise"\n')
    config.chmod(0o640)
    lockout = lockout_path()
    lockout.write_text('{"failures": 0, "lockouts": 0, "locked_until": 0}')
    lockout.chmod(0o600)
    for target, private in ((config, False), (lockout, True)):
        for where in ("fdopen", "replace"):
            proc = _stuck_writer(target, where, private)
            proc.kill()  # SIGKILL: no clean-up code runs
            proc.wait()
            proc.stdout.close()  # type: ignore[union-attr]
        left = _temps(target.parent)
        assert len(left) == 2, left
        for temp in left:  # never readable by anyone the file itself is not readable by
            assert stat.S_IMODE(temp.stat().st_mode) & ~stat.S_IMODE(target.stat().st_mode) == 0, temp
    # A write in flight in another process, as old as the leftovers, must keep its temp.
    in_flight = _stuck_writer(lockout, "replace", True)
    leftovers = _temps(tmp_path) + _temps(data_dir())
    assert len(leftovers) == 5
    fresh = [t for t in leftovers if t.parent == tmp_path][:1]
    _age([t for t in leftovers if t not in fresh])
    try:
        prepare_data_dir()  # what the kiosk does at start
        assert len(_temps(data_dir())) == 1  # only the live writer's
        result = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(config), "set-pin", "--stdin"],
                                input="24681357\n24681357\n", capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode == 0, result.stderr
        assert _temps(tmp_path) == fresh  # a temp a few seconds old may be a write about to finish
    finally:
        in_flight.kill()
        in_flight.wait()
        in_flight.stdout.close()  # type: ignore[union-attr]
    _age(_temps(data_dir()) + fresh)
    assert remove_stale_temps(lockout) == [] and remove_stale_temps(config) == []
    assert _temps(tmp_path) == [] and _temps(data_dir()) == []
    assert stat.S_IMODE(config.stat().st_mode) == 0o640 and "pin_hash" in config.read_text()
    assert stat.S_IMODE(lockout.stat().st_mode) == 0o600


def test_only_our_own_stale_temps_are_removed(tmp_path: Path) -> None:
    from kiosk.core.atomic import remove_stale_temps

    target = tmp_path / "kiosk.toml"
    ours = tmp_path / ".kiosk.toml.0a1b2c3d.tmp"
    others = [tmp_path / name for name in (".kiosk.toml.0a1b2c3.tmp", ".kiosk.toml.0A1B2C3D.tmp", "kiosk.toml.0a1b2c3d.tmp",
                                           ".other.toml.0a1b2c3d.tmp", ".kiosk.toml.0a1b2c3d.tmp.bak", "notes.tmp")]
    for path in [ours, *others]:
        path.write_text("x")
    _age([ours, *others])
    assert remove_stale_temps(target) == []
    assert not ours.exists() and all(p.exists() for p in others)
