"""Usage statistics: anonymous daily counters in SQLite WAL; CSV export."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from kiosk.core.stats import MIN_GROUP_SIZE, SessionRecord, StatsStore


def test_record_and_summarise(tmp_path: Path) -> None:
    store = StatsStore(tmp_path / "stats.sqlite3", known_ids={"en", "es", "intro", "risks", "q1", "q2"})
    day = date(2026, 11, 27)
    store.record(SessionRecord("en", "risks", {"intro": 30.4, "risks": 12}, {"intro": 1, "risks": 2}, ["q1"]), day)
    store.record(SessionRecord("es", "intro", {"intro": 10}, {"intro": 1}, ["q1", "q2"]), day)
    for _ in range(MIN_GROUP_SIZE - 2):  # enough sessions for figures beyond the count (see below)
        store.record(SessionRecord("en", None), day)
    s = store.summary(date(2026, 11, 21), day)
    assert s.sessions == MIN_GROUP_SIZE and not s.withheld
    assert s.languages == {"en": MIN_GROUP_SIZE - 1, "es": 1}
    # Pages and questions are named topic/id (a bare id is the store's default topic's).
    assert s.furthest_page == {"thoracic-mbb/risks": 1, "thoracic-mbb/intro": 1}
    assert s.question_ticks == {"thoracic-mbb/q1": 2, "thoracic-mbb/q2": 1}
    assert s.seconds_per_view["thoracic-mbb/intro"] == 20
    assert s.sessions_by_day == {"2026-11-27": MIN_GROUP_SIZE}
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
    c.model.start()
    c.next()
    c.show("questions")
    c.model.toggle(c.pack.questions[0].id)
    c.model.toggle(c.pack.questions[4].id)
    c.next()
    c.reset_session()
    qtbot.waitUntil(lambda: not c.usage.jobs.busy)  # the write runs on the statistics thread
    for _ in range(MIN_GROUP_SIZE - 1):  # others that day, so its figures may be shown
        c.usage.store.record(SessionRecord("es", None))
    result = subprocess.run([sys.executable, "-m", "kiosk", "stats", "--csv"], check=False, capture_output=True, text=True,
                            timeout=120, env={**os.environ})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "day,metric,key,value"
    rows = {tuple(line.split(",")[1:3]): int(line.split(",")[3]) for line in lines[1:]}
    assert rows[("sessions", "")] == MIN_GROUP_SIZE
    assert rows[("furthest_page", "thoracic-mbb/summary")] == 1
    assert rows[("question_ticked", "thoracic-mbb/" + c.pack.questions[0].id)] == 1
    assert rows[("language", "en")] == 1
    for q in c.pack.questions:
        assert q.text not in result.stdout
    summary = subprocess.run([sys.executable, "-m", "kiosk", "stats"], check=False, capture_output=True, text=True, timeout=120)
    assert f"sessions: {MIN_GROUP_SIZE}" in summary.stdout and c.pack.questions[0].id in summary.stdout


def test_statistics_switch_off_writes_nothing(qtbot, library) -> None:  # type: ignore[no-untyped-def]
    from kiosk.core.paths import stats_path
    from kiosk.core.settings import Settings
    from kiosk.ui.app import build_kiosk

    built = build_kiosk(Settings(statistics=False), library, size=(1280, 800))
    qtbot.addWidget(built.window)
    built.controller.model.start()
    built.controller.reset_session()
    assert built.controller.usage.store is None and not stats_path().exists()
    built.window.allow_close()


# --- No figure describes fewer than MIN_GROUP_SIZE sessions ------------------------------------


def _one_patient(store: StatsStore, day: date) -> None:
    store.record(SessionRecord("es", "risks", {"risks": 40}, {"risks": 1}, ["q2"]), day)


def _others(store: StatsStore, day: date, count: int) -> None:
    for _ in range(count):
        store.record(SessionRecord("en", "intro", {"intro": 10}, {"intro": 1}, ["q1"]), day)


def test_a_day_with_one_session_shows_its_count_only(tmp_path: Path) -> None:
    """Issue 19: on a day with one session the figures were exactly what that patient ticked."""
    store = StatsStore(tmp_path / "stats.sqlite3", known_ids={"en", "es", "intro", "risks", "q1", "q2"})
    day = date(2026, 11, 27)
    _one_patient(store, day)
    s = store.summary(day, day)
    assert s.withheld and s.sessions == 1 and s.sessions_by_day == {"2026-11-27": 1}
    assert s.question_ticks == {} and s.languages == {} and s.furthest_page == {}
    assert s.seconds_per_view == {} and s.page_views == {}
    _others(store, day, MIN_GROUP_SIZE - 2)
    assert store.summary(day, day).withheld  # 9
    _others(store, day, 1)
    s = store.summary(day, day)
    assert not s.withheld and s.question_ticks == {"thoracic-mbb/q1": MIN_GROUP_SIZE - 1, "thoracic-mbb/q2": 1}


def test_csv_gives_small_days_their_session_count_only(tmp_path: Path) -> None:
    store = StatsStore(tmp_path / "stats.sqlite3", known_ids={"en", "es", "intro", "risks", "q1", "q2"})
    busy, quiet = date(2026, 11, 26), date(2026, 11, 27)
    _others(store, busy, MIN_GROUP_SIZE)
    _one_patient(store, quiet)
    lines = store.export_csv().splitlines()
    assert lines[0] == "day,metric,key,value"
    quiet_rows = [line for line in lines[1:] if line.startswith("2026-11-27")]
    assert quiet_rows == ["2026-11-27,sessions,,1"]
    busy_rows = [line for line in lines[1:] if line.startswith("2026-11-26")]
    assert "2026-11-26,question_ticked,thoracic-mbb/q1,10" in busy_rows and "2026-11-26,language,en,10" in busy_rows


def test_kiosk_stats_hides_figures_for_a_short_period(capsys) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from kiosk.__main__ import main
    from kiosk.core.paths import stats_path

    store = StatsStore(stats_path())
    today = date.today()
    _one_patient(store, today)
    assert main(["stats", "--days", "1"]) == 0
    out = capsys.readouterr().out
    assert "sessions: 1" in out and "q2:" not in out and "languages:" not in out and "risks:" not in out
    assert "hidden: 1 session(s) is fewer than 10" in out
    _others(store, today - timedelta(days=1), MIN_GROUP_SIZE + 2)
    assert main(["stats", "--days", "1"]) == 0  # still just the one patient today
    assert "q2:" not in capsys.readouterr().out
    assert main(["stats", "--days", "2"]) == 0  # 13 sessions over the two days
    out = capsys.readouterr().out
    assert "sessions: 13" in out and "q2: 1" in out and "hidden" not in out


def test_staff_panel_hides_figures_for_a_quiet_week(qtbot, kiosk) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel

    from kiosk.ui.staff_panel import StaffPanel

    c = kiosk.controller
    c.model.start()
    c.show("questions")
    c.model.toggle(c.pack.questions[2].id)
    c.reset_session()
    qtbot.waitUntil(lambda: not c.usage.jobs.busy)  # the write runs on the statistics thread
    panel = StaffPanel(kiosk.window, c.staff.info(), date.today())
    qtbot.addWidget(panel)
    figures = next(w for w in panel.findChildren(QLabel) if w.objectName() == "staff-figures").text()
    assert "Today: 1 sessions. This week: 1 sessions." in figures
    assert "hidden" in figures and "Most-ticked" not in figures and c.pack.questions[2].text not in figures
