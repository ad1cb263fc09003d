"""The status file for IT (README, "Several kiosks"): what it says, that nothing a patient
chose is in it, and that a folder it cannot be written to costs the file, not the kiosk."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.core.content import ContentLibrary
from kiosk.core.fleet.status import status_path
from kiosk.core.settings import Settings
from kiosk.ui.app import Kiosk, build_kiosk

WAIT_MS = 10_000


@pytest.fixture
def reporting(qtbot, library: ContentLibrary, tmp_path: Path) -> Iterator[Kiosk]:  # type: ignore[no-untyped-def]
    settings = Settings(clinic_name="Sunrise Pain Clinic", clinic_phone="555-0142", kiosk_id="site2-front",
                        status_dir=str(tmp_path / "outbox"), stats_export_minutes=60)
    kiosk = build_kiosk(settings, library, size=(1280, 800))
    qtbot.addWidget(kiosk.window)
    assert kiosk.status is not None and kiosk.updates is None  # no synced folder followed: a status file only
    kiosk.status.soon_timer.setInterval(20)
    with qtbot.waitExposed(kiosk.window):
        kiosk.window.show()
    yield kiosk
    kiosk.window.allow_close()


def read(path: Path) -> dict[str, object]:
    try:
        data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data


def test_the_status_file_says_what_it_runs_and_nothing_a_patient_chose(qtbot, reporting: Kiosk, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    c, status = reporting.controller, reporting.status
    assert status is not None
    path = tmp_path / "outbox" / "site2-front.status.json"
    assert status_path(c.settings) == path
    qtbot.waitUntil(lambda: read(path).get("kiosk_id") == "site2-front", timeout=WAIT_MS)
    c.model.start()
    c.show("questions")
    chosen = [q.id for q in c.pack.questions[:2]]
    for question in chosen:
        c.model.toggle(question)
    writes = status.writes
    status.write_status()  # while the patient's ticks are on the screen
    qtbot.waitUntil(lambda: status.writes > writes, timeout=WAIT_MS)
    during = path.read_text(encoding="utf-8")
    c.reset_session()
    qtbot.waitUntil(lambda: read(path).get("sessions_today") == 1, timeout=WAIT_MS)
    data = read(path)
    assert data["format"] == "tmbb-kiosk status" and data["app_version"]
    topics = data["topics"]
    assert isinstance(topics, list)
    assert {(t["topic"], t["language"], t["version"]) for t in topics} == {
        (p.topic, p.language, p.version) for p in c.library.all_packs()}
    assert all(t["review_status"] and "review_overdue" in t for t in topics)
    assert data["printer"] == {"name": "", "state": "not configured", "last": None}
    assert data["speech_available"] is True and data["content_update"] is None and data["started"]
    for text in (during, path.read_text(encoding="utf-8")):
        for question in chosen:  # neither the ids nor the words of what was ticked
            assert question not in text and c.pack.question(question).text not in text
    exported = tmp_path / "outbox" / "site2-front.stats.json"
    qtbot.waitUntil(exported.exists, timeout=WAIT_MS)  # the timed export ran once at start


def test_an_error_is_the_last_error_and_an_unwritable_folder_is_logged_once(qtbot, reporting: Kiosk, tmp_path: Path,
                                                                          caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    import logging

    c, status = reporting.controller, reporting.status
    assert status is not None
    path = tmp_path / "outbox" / "site2-front.status.json"
    logging.getLogger("kiosk.ui.take_home").error("printing failed: the printer is out of paper")
    status.write_status()
    qtbot.waitUntil(lambda: "out of paper" in str(read(path).get("last_error")), timeout=WAIT_MS)
    assert "out of paper" in str(read(path)["printer"])
    # The file is on disk before the write's outcome reaches this thread (and counts in
    # ``writes``): wait for that too, or a busy screen thread counts it after the next line.
    qtbot.waitUntil(lambda: not status.jobs.busy, timeout=WAIT_MS)
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    from dataclasses import replace

    c.settings = replace(c.settings, status_dir=str(blocked / "outbox"))
    writes = status.writes
    with caplog.at_level(logging.ERROR):
        for _ in range(3):
            status.write_status()
        qtbot.waitUntil(lambda: not status.jobs.busy, timeout=WAIT_MS)
    assert status.writes == writes and "status file could not be written" in status.write_problem
    assert sum("status file could not be written" in r.getMessage() for r in caplog.records) == 1
    c.model.start()
    c.reset_session()  # the kiosk goes on
    assert reporting.window.on_welcome()


def test_named_by_the_host_name_and_rewritten_every_status_minutes(qtbot, library: ContentLibrary, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import socket

    monkeypatch.setattr(socket, "gethostname", lambda: "site2 front.clinic.lan")
    settings = Settings(clinic_name="Sunrise Pain Clinic", clinic_phone="555-0142", status_dir=str(tmp_path / "outbox"),
                        status_minutes=3)  # no kiosk_id: the host name, made safe for a file name
    kiosk = build_kiosk(settings, library, size=(1280, 800))
    qtbot.addWidget(kiosk.window)
    status = kiosk.status
    assert status is not None
    path = tmp_path / "outbox" / "site2-front.clinic.lan.status.json"
    qtbot.waitUntil(lambda: read(path).get("kiosk_id") == "site2-front.clinic.lan", timeout=WAIT_MS)
    assert status.status_timer.isActive() and status.status_timer.interval() == 3 * 60_000
    status.status_timer.setInterval(30)  # (the timer's own work, sooner)
    writes = status.writes
    qtbot.waitUntil(lambda: status.writes >= writes + 2, timeout=WAIT_MS)  # with nothing changed: the periodic write
    kiosk.window.allow_close()
