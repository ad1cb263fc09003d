"""Never a crash loop: a data folder that cannot be created or written (a read-only
parent, a full disk, a file in the way) must not stop the kiosk. It starts in memory
only: the problem is logged and shown to staff, no usage figures are recorded, and the
PIN pad stays shut (fail closed, see PinGuard)."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kiosk.core.pin import hash_pin

BAD_FOLDERS = ["file-in-the-way", "is-a-file", pytest.param("read-only-parent", marks=pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="root may write a read-only folder; POSIX modes"))]


@pytest.fixture
def bad_data_dir(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """A data folder path that cannot be created."""
    kind = request.param
    if kind == "read-only-parent":
        parent = tmp_path / "state"
        parent.mkdir()
        parent.chmod(0o555)
        request.addfinalizer(lambda: parent.chmod(0o755))
        return parent / "tmbb-kiosk"
    blocker = tmp_path / "state"
    blocker.write_text("a file where a folder should be")
    return blocker / "tmbb-kiosk" if kind == "file-in-the-way" else blocker


@pytest.mark.parametrize("bad_data_dir", BAD_FOLDERS, indirect=True)
def test_the_kiosk_starts_in_memory_only(qtbot, settings, library, bad_data_dir, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from kiosk.ui.app import build_kiosk, install_crash_guard
    from kiosk.ui.staff import PinPad, StaffMessage

    monkeypatch.setenv("KIOSK_DATA_DIR", str(bad_data_dir))
    built = build_kiosk(replace(settings, pin_hash=hash_pin("24681357")), library, size=(1280, 800))
    qtbot.addWidget(built.window)
    guard = install_crash_guard(built)
    try:
        with qtbot.waitExposed(built.window):
            built.window.show()
        c = built.controller
        assert "running in memory only" in caplog.text and str(bad_data_dir) in caplog.text
        assert c.usage.store is None  # not recorded
        problems = c.staff.info().storage_problems
        assert problems and str(bad_data_dir) in problems[0]
        c.model.start()  # a patient's session works as ever
        c.show("questions")
        c.model.toggle(c.pack.questions[0].id)
        c.reset_session()
        assert built.window.on_welcome() and c.session.ticked == []
        messages: list[str] = []
        monkeypatch.setattr(StaffMessage, "ask", classmethod(lambda cls, parent, text: messages.append(text)))
        monkeypatch.setattr(PinPad, "ask", classmethod(lambda cls, parent, message="": "24681357"))
        c.staff.open()
        assert "cannot save its count of wrong PINs" in messages[0]  # fail closed (PinGuard)
        assert not bad_data_dir.is_dir()
    finally:
        guard.uninstall()
        built.window.allow_close()


def _environment(data: Path, how: str) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if how == "XDG_STATE_HOME":  # the Linux default location, under a folder that cannot be made
        env.pop("KIOSK_DATA_DIR", None)
        env["XDG_STATE_HOME"] = str(data)
    else:
        env["KIOSK_DATA_DIR"] = str(data)
    return env


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="XDG_STATE_HOME is the Linux data folder")
@pytest.mark.parametrize("how", ["KIOSK_DATA_DIR", "XDG_STATE_HOME"])
def test_self_test_and_stats_pass_without_a_data_folder(tmp_path: Path, how: str) -> None:
    blocker = tmp_path / "state"
    blocker.write_text("a file where a folder should be")
    env = _environment(blocker / "deeper", how)
    result = subprocess.run([sys.executable, "-m", "kiosk", "--self-test"], env=env, capture_output=True, text=True, check=False,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test OK" in result.stdout
    assert "Traceback" not in result.stderr and "running in memory only" in result.stderr
    stats = subprocess.run([sys.executable, "-m", "kiosk", "stats"], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert stats.returncode == 0 and "Traceback" not in stats.stderr, stats.stderr


def test_the_kiosk_process_keeps_running_without_a_data_folder(tmp_path: Path) -> None:
    """The real start (run(): crash guard, fullscreen window, event loop), as the supervisor
    starts it: it must come up and stay up, not exit with a traceback to be restarted."""
    blocker = tmp_path / "state"
    blocker.write_text("a file where a folder should be")
    proc = subprocess.Popen([sys.executable, "-m", "kiosk"], env=_environment(blocker / "tmbb-kiosk", "KIOSK_DATA_DIR"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.put(line)
        lines.put(None)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    seen: list[str] = []
    try:
        # The log goes to stderr when there is no folder for it; the crash guard's is the
        # last line of the start-up, after the window and controller are built.
        while not any("cannot open crash file" in line for line in seen):
            line = lines.get(timeout=120)
            assert line is not None, "the kiosk exited:\n" + "".join(seen)
            seen.append(line)
        assert proc.poll() is None, "".join(seen)  # what follows is showing the window (the self-test draws it)
    finally:
        proc.kill()
        proc.wait()
        reader.join(timeout=60)  # the pipe ends with the process
        assert proc.stderr is not None
        proc.stderr.close()
    text = "".join(seen)
    assert "running in memory only" in text and "Traceback" not in text


def test_a_statistics_file_that_cannot_be_opened_is_not_set_aside(tmp_path: Path) -> None:
    """Only a damaged database is moved aside; a locked, full or unopenable one is left as it is."""
    import sqlite3

    from kiosk.core.stats import StatsStore

    folder = tmp_path / "stats.sqlite3"
    folder.mkdir()  # sqlite: "unable to open database file", as for a read-only folder
    with pytest.raises(sqlite3.OperationalError):
        StatsStore(folder)
    assert folder.is_dir() and [p.name for p in tmp_path.iterdir()] == ["stats.sqlite3"]
