"""Usage statistics: anonymous daily counters in SQLite WAL; CSV export."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from kiosk.core.stats import SessionRecord, StatsStore


def test_record_and_summarise(tmp_path: Path) -> None:
    store = StatsStore(tmp_path / "stats.sqlite3", known_ids={"en", "es", "intro", "risks", "q1", "q2"})
    day = date(2026, 11, 27)
    store.record(SessionRecord("en", "risks", {"intro": 30.4, "risks": 12}, {"intro": 1, "risks": 2}, ["q1"]), day)
    store.record(SessionRecord("es", "intro", {"intro": 10}, {"intro": 1}, ["q1", "q2"]), day)
    s = store.summary(date(2026, 11, 21), day)
    assert s.sessions == 2
    assert s.languages == {"en": 1, "es": 1}
    assert s.furthest_page == {"risks": 1, "intro": 1}
    assert s.question_ticks == {"q1": 2, "q2": 1}
    assert s.seconds_per_view["intro"] == 20
    assert s.sessions_by_day == {"2026-11-27": 2}
    with sqlite3.connect(tmp_path / "stats.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.integrity_ok()


def test_unknown_ids_are_never_stored(tmp_path: Path) -> None:
    store = StatsStore(tmp_path / "stats.sqlite3", known_ids={"en", "intro", "q1"})
    store.record(SessionRecord("en", "Jane Doe", {"My secret": 3}, {"My secret": 1}, ["I am worried about my heart"]))
    csv_text = store.export_csv()
    assert "Jane" not in csv_text and "secret" not in csv_text and "heart" not in csv_text
    assert csv_text.splitlines()[0] == "day,metric,key,value"


def test_kiosk_stats_csv_after_a_scripted_session(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys

    c = kiosk.controller
    c.start()
    c.next()
    c.show("questions")
    c.toggle_question(c.pack.questions[0].id)
    c.toggle_question(c.pack.questions[4].id)
    c.next()
    c.done()
    result = subprocess.run([sys.executable, "-m", "kiosk", "stats", "--csv"], capture_output=True, text=True,
                            timeout=120, env={**os.environ})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "day,metric,key,value"
    rows = {tuple(line.split(",")[1:3]): int(line.split(",")[3]) for line in lines[1:]}
    assert rows[("sessions", "")] == 1
    assert rows[("furthest_page", "summary")] == 1
    assert rows[("question_ticked", c.pack.questions[0].id)] == 1
    assert rows[("language", "en")] == 1
    for q in c.pack.questions:
        assert q.text not in result.stdout
    summary = subprocess.run([sys.executable, "-m", "kiosk", "stats"], capture_output=True, text=True, timeout=120)
    assert "sessions: 1" in summary.stdout


def test_statistics_switch_off_writes_nothing(qtbot, library) -> None:  # type: ignore[no-untyped-def]
    from kiosk.core.paths import stats_path
    from kiosk.core.settings import Settings
    from kiosk.ui.app import build_kiosk

    built = build_kiosk(Settings(statistics=False), library, size=(1280, 800))
    qtbot.addWidget(built.window)
    built.controller.start()
    built.controller.done()
    assert built.controller.stats is None and not stats_path().exists()
    built.window.allow_close()
