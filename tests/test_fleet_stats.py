"""Statistics from many kiosks: ``kiosk stats export`` and ``kiosk stats merge``."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from kiosk.__main__ import main
from kiosk.core.fleet.stats_files import export_stats, merge, read_stats_file
from kiosk.core.paths import stats_path
from kiosk.core.stats import MIN_GROUP_SIZE, SessionRecord, StatsStore

BUSY_DAY, QUIET_DAY = date(2026, 11, 30), date(2026, 12, 1)


def record(store: StatsStore, day: date, sessions: int, ticked: str = "thoracic-mbb/q-risk") -> None:
    for _ in range(sessions):
        store.record(SessionRecord("en", "thoracic-mbb/risks", {"thoracic-mbb/risks": 30.0}, {"thoracic-mbb/risks": 1}, [ticked]), day)


def kiosk_store(path: Path, busy: int, quiet: int) -> StatsStore:
    store = StatsStore(path)
    record(store, BUSY_DAY, busy)
    record(store, QUIET_DAY, quiet)
    return store


def test_an_export_is_the_same_file_for_the_same_figures(tmp_path: Path) -> None:
    store = kiosk_store(tmp_path / "a.sqlite3", busy=MIN_GROUP_SIZE, quiet=2)
    path, changed = export_stats(store, tmp_path / "out", "site1-a")
    assert changed and path.name == "site1-a.stats.json"
    first = path.read_bytes()
    stamp = path.stat().st_mtime_ns
    assert export_stats(store, tmp_path / "out", "site1-a") == (path, False)
    assert path.read_bytes() == first and path.stat().st_mtime_ns == stamp  # not rewritten, not sent again
    figures = read_stats_file(path)
    assert figures.kiosk_id == "site1-a"
    quiet = [row for row in figures.rows if row[0] == QUIET_DAY.isoformat()]
    assert quiet == [(QUIET_DAY.isoformat(), "sessions", "", 2)]  # two patients' choices never leave the kiosk
    assert (BUSY_DAY.isoformat(), "question_ticked", "thoracic-mbb/q-risk", MIN_GROUP_SIZE) in figures.rows
    record(store, QUIET_DAY, 1)
    assert export_stats(store, tmp_path / "out", "site1-a")[1]


def test_merge_adds_up_kiosks_by_day_kiosk_and_all(tmp_path: Path) -> None:
    out = tmp_path / "status"
    export_stats(kiosk_store(tmp_path / "a.sqlite3", busy=MIN_GROUP_SIZE, quiet=4), out / "a", "kiosk-a")
    export_stats(kiosk_store(tmp_path / "b.sqlite3", busy=MIN_GROUP_SIZE + 2, quiet=3), out / "b", "kiosk-b")
    figures = [read_stats_file(path) for path in sorted(out.rglob("*.stats.json"))]
    header, rows = merge(figures, "day")
    assert header == ["day", "metric", "key", "value"]
    assert (BUSY_DAY.isoformat(), "sessions", "", 2 * MIN_GROUP_SIZE + 2) in rows
    assert (QUIET_DAY.isoformat(), "sessions", "", 7) in rows
    assert (BUSY_DAY.isoformat(), "question_ticked", "thoracic-mbb/q-risk", 2 * MIN_GROUP_SIZE + 2) in rows
    _, by_kiosk = merge(figures, "kiosk")
    assert ("kiosk-a", "sessions", "", MIN_GROUP_SIZE + 4) in by_kiosk and ("kiosk-b", "sessions", "", MIN_GROUP_SIZE + 5) in by_kiosk
    header, total = merge(figures, "all")
    assert header == ["metric", "key", "value"] and ("sessions", "", 2 * MIN_GROUP_SIZE + 9) in total


def test_the_commands_export_and_merge(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kiosk_store(stats_path(), busy=MIN_GROUP_SIZE, quiet=1)
    config = tmp_path / "kiosk.toml"
    config.write_text('kiosk_id = "site2-front"\n', encoding="utf-8")
    folder = tmp_path / "outbox"
    assert main(["stats", "export", "--out", str(folder), "--config", str(config)]) == 0
    assert main(["--config", str(config), "stats", "export", "--out", str(folder)]) == 0
    assert "Unchanged" in capsys.readouterr().out
    other = tmp_path / "other"
    export_stats(kiosk_store(tmp_path / "b.sqlite3", busy=1, quiet=1), other, "site3-back")
    (other / "sub").mkdir()
    csv_file = tmp_path / "all.csv"
    assert main(["stats", "merge", str(folder), str(other), "--by", "kiosk", "--csv", str(csv_file)]) == 0
    rows = list(csv.reader(csv_file.read_text(encoding="utf-8").splitlines()))
    assert rows[0] == ["kiosk", "metric", "key", "value"]
    assert ["site2-front", "sessions", "", str(MIN_GROUP_SIZE + 1)] in rows and ["site3-back", "sessions", "", "2"] in rows
    assert not any(row[0] == "site3-back" and row[1] != "sessions" for row in rows)  # two sessions: counts only
    assert main(["stats", "merge", str(folder), str(other)]) == 0
    table = capsys.readouterr().out
    assert "2 kiosk(s): site2-front, site3-back" in table and "question_ticked" in table


def test_merge_names_a_bad_file_and_leaves_it_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export_stats(kiosk_store(tmp_path / "a.sqlite3", busy=2, quiet=0), tmp_path / "in", "good")
    (tmp_path / "in" / "torn.stats.json").write_text('{"format": "tmbb-kiosk statistics", "rows": [', encoding="utf-8")
    (tmp_path / "in" / "odd.stats.json").write_text(json.dumps(
        {"format": "tmbb-kiosk statistics", "version": 1, "kiosk_id": "odd", "rows": [["2026-12-01", "names", "x", 1]]}), encoding="utf-8")
    assert main(["stats", "merge", str(tmp_path / "in")]) == 1
    captured = capsys.readouterr()
    assert "torn.stats.json: not a statistics export" in captured.err
    assert "odd.stats.json: row 1: unknown metric 'names'" in captured.err
    assert "Traceback" not in captured.err and "1 kiosk(s): good" in captured.out
    assert main(["stats", "merge", str(tmp_path / "nowhere")]) == 1
    assert "nowhere: no such folder" in capsys.readouterr().err
