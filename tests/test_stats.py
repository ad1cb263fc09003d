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
