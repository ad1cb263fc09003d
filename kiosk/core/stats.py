"""Anonymous usage counters in SQLite (WAL), bucketed by day.

What is counted, per day: sessions started, sessions by language, how far each
session got (the furthest page), seconds and views per page, how often each
question was ticked, and for each item of the check of understanding how often it was
shown, right on the first try and skipped. Pages, questions and check items are named ``<topic>/<id>`` ("thoracic-mbb/risks");
figures recorded before topics existed name them by id alone, and are read as
LEGACY_TOPIC's. No free text, no times finer than the day, nothing that
links one count to another or to a person. What is shown of them beyond the number of
sessions needs at least MIN_GROUP_SIZE sessions behind it.
"""

from __future__ import annotations

import csv
import io
import logging
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS counters (
    day TEXT NOT NULL,      -- YYYY-MM-DD
    metric TEXT NOT NULL,   -- one of METRICS
    key TEXT NOT NULL,      -- topic/page id, topic/question id or language code; '' for totals
    value INTEGER NOT NULL,
    PRIMARY KEY (day, metric, key)
) WITHOUT ROWID;
"""
# Statistics recorded before topics existed name pages and questions without one: they were this topic's.
LEGACY_TOPIC = "thoracic-mbb"
# The metrics whose keys are a topic's pages or questions.
TOPIC_METRICS = ("furthest_page", "page_seconds", "page_views", "question_ticked", "check_shown", "check_right_first",
                 "check_skipped")
METRICS = ("sessions", "language", "furthest_page", "page_seconds", "page_views", "question_ticked", "check_shown",
           "check_right_first", "check_skipped")
# The check of understanding's counters, per item (topic/item id): shown, right on the first try, skipped.
CHECK_METRICS = ("check_shown", "check_right_first", "check_skipped")

# The fewest sessions any figure beyond a count of sessions is shown for. On a day with one
# session, "most-ticked questions" was exactly what that patient ticked. Below this, a
# summary or a CSV day gives the number of sessions only (README, "Privacy").
MIN_GROUP_SIZE = 10


def qualified(key: str, topic: str = LEGACY_TOPIC) -> str:
    """``key`` as ``topic/key``, unless it names its topic already."""
    return key if "/" in key else f"{topic}/{key}"


def withheld_note(sessions: int) -> str:
    """Why a period's figures by language, page and question are not shown."""
    return (f"Figures by language, page and question are hidden: {sessions} session(s) is fewer than "
            f"{MIN_GROUP_SIZE}, and so few could show what one patient chose.")


@dataclass
class SessionRecord:
    """What one finished session contributes: counts only, gathered at reset. Page and
    question ids are ``topic/id``, or a bare id of ``topic`` ("" = the store's default topic)."""

    language: str
    furthest_page: str | None
    page_seconds: dict[str, float] = field(default_factory=dict)
    page_views: dict[str, int] = field(default_factory=dict)
    ticked: list[str] = field(default_factory=list)
    topic: str = ""
    # The check of understanding's items (topic/item id) shown, right on the first try, and skipped.
    check_shown: list[str] = field(default_factory=list)
    check_right_first: list[str] = field(default_factory=list)
    check_skipped: list[str] = field(default_factory=list)


@dataclass
class Summary:
    since: date
    until: date
    sessions: int
    languages: dict[str, int]
    furthest_page: dict[str, int]
    seconds_per_view: dict[str, float]
    page_views: dict[str, int]
    question_ticks: dict[str, int]
    sessions_by_day: dict[str, int]
    withheld: bool = False  # fewer than MIN_GROUP_SIZE sessions: every figure but the session counts is empty
    # Per check item (topic/item id): (shown, right on the first try, skipped).
    check_items: dict[str, tuple[int, int, int]] = field(default_factory=dict)

    def most_missed(self, count: int = 5) -> list[tuple[str, int, int]]:
        """The check items patients missed most: (item, not right on the first try, shown),
        the largest share first (then the most missed). Items never missed are left out."""
        missed = [(item, shown - right, shown) for item, (shown, right, _skipped) in self.check_items.items()
                  if shown and shown - right > 0]
        return sorted(missed, key=lambda m: (-m[1] / m[2], -m[1], m[0]))[:count]


class StatsStore:
    """Counters in ``path``. Every call opens, writes in one transaction and closes,
    so a kill at any moment leaves a consistent database."""

    def __init__(self, path: Path, known_ids: Iterable[str] = (), default_topic: str = LEGACY_TOPIC) -> None:
        self.path = Path(path)
        # Only ids the content defines may be stored: nothing typed, nothing free-form.
        # Pages and questions are known as topic/id (ContentLibrary.statistics_ids).
        self.known_ids = set(known_ids)
        self.default_topic = default_topic  # for a record whose ids name no topic
        try:
            self._create()
        except sqlite3.OperationalError:
            raise  # locked, full disk, read-only folder: the file is fine, the moment is not; never set it aside
        except sqlite3.DatabaseError as exc:
            # A damaged file (disk fault, power cut on old hardware): keep it for IT, start afresh.
            aside = self.path.with_name(f"{self.path.name}.damaged-{int(time.time())}")
            log.error("statistics database %s is damaged (%s); moved aside to %s", self.path, exc, aside.name)
            for suffix in ("", "-wal", "-shm"):
                part = Path(str(self.path) + suffix)
                if part.exists():
                    part.replace(Path(str(aside) + suffix))
            self._create()

    def _create(self) -> None:
        db = self._connect()
        try:
            db.executescript(SCHEMA)
            if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("quick_check failed")
        finally:
            db.close()

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=5, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    def _allowed(self, key: str) -> bool:
        """Whether ``key`` is an id the content defines. (A page or question of the default
        topic may be known by its bare id too, as before topics.)"""
        if not self.known_ids or key in self.known_ids:
            return True
        topic, _, bare = key.partition("/")
        return topic == self.default_topic and bare in self.known_ids

    def record(self, record: SessionRecord, day: date | None = None) -> None:
        day_text = (day or date.today()).isoformat()
        topic = record.topic or self.default_topic

        def ids(keys: Iterable[str]) -> list[str]:
            return [key for key in (qualified(k, topic) for k in keys) if self._allowed(key)]

        rows: list[tuple[str, str, int]] = [("sessions", "", 1)]
        if self._allowed(record.language):
            rows.append(("language", record.language, 1))
        rows += [("furthest_page", page, 1) for page in ids([record.furthest_page] if record.furthest_page else [])]
        seconds = {qualified(page, topic): value for page, value in record.page_seconds.items()}
        views = {qualified(page, topic): value for page, value in record.page_views.items()}
        rows += [("page_seconds", page, round(seconds[page])) for page in ids(seconds)]
        rows += [("page_views", page, views[page]) for page in ids(views)]
        rows += [("question_ticked", question, 1) for question in ids(record.ticked)]
        for metric, items in zip(CHECK_METRICS, (record.check_shown, record.check_right_first, record.check_skipped),
                                 strict=True):
            rows += [(metric, item, 1) for item in ids(dict.fromkeys(items))]
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            db.executemany(
                "INSERT INTO counters(day, metric, key, value) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(day, metric, key) DO UPDATE SET value = value + excluded.value",
                [(day_text, metric, key, value) for metric, key, value in rows],
            )
            db.execute("COMMIT")
        finally:
            db.close()

    def summary(self, since: date, until: date | None = None) -> Summary:
        until = until or date.today()
        db = self._connect()
        try:
            rows = db.execute(
                "SELECT day, metric, key, value FROM counters WHERE day BETWEEN ? AND ?",
                (since.isoformat(), until.isoformat()),
            ).fetchall()
        finally:
            db.close()
        totals: dict[str, dict[str, int]] = {m: {} for m in METRICS}
        by_day: dict[str, int] = {}
        for day, metric, stored_key, value in rows:
            if metric not in totals:
                continue
            # A page or question of a figure from before topics is LEGACY_TOPIC's.
            key = qualified(stored_key) if metric in TOPIC_METRICS else stored_key
            totals[metric][key] = totals[metric].get(key, 0) + value
            if metric == "sessions":
                by_day[day] = by_day.get(day, 0) + value
        sessions = totals["sessions"].get("", 0)
        withheld = sessions < MIN_GROUP_SIZE
        if withheld:  # counts of sessions only; nothing about what they chose
            totals = {metric: {} for metric in METRICS}
        views = totals["page_views"]
        return Summary(
            since=since,
            until=until,
            sessions=sessions,
            languages=totals["language"],
            furthest_page=totals["furthest_page"],
            seconds_per_view={p: totals["page_seconds"].get(p, 0) / v for p, v in views.items() if v},
            page_views=views,
            question_ticks=dict(sorted(totals["question_ticked"].items(), key=lambda kv: (-kv[1], kv[0]))),
            sessions_by_day=dict(sorted(by_day.items())),
            withheld=withheld,
            check_items={item: (shown, totals["check_right_first"].get(item, 0), totals["check_skipped"].get(item, 0))
                         for item, shown in sorted(totals["check_shown"].items())},
        )

    def export_csv(self) -> str:
        """Every daily counter (``shareable_rows``) as CSV."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["day", "metric", "key", "value"])
        writer.writerows(self.shareable_rows())
        return out.getvalue()

    def shareable_rows(self) -> list[tuple[str, str, str, int]]:
        """Every daily counter, sorted; a day with fewer than MIN_GROUP_SIZE sessions gives its
        session count only (its other rows would describe those few patients). Pages and
        questions are named topic/id, those from before topics too (and added to the same
        day's figure for the same id, if there is one)."""
        db = self._connect()
        try:
            stored = db.execute("SELECT day, metric, key, value FROM counters").fetchall()
        finally:
            db.close()
        merged: dict[tuple[str, str, str], int] = {}
        for day, metric, key, value in stored:
            name = (day, metric, qualified(key) if metric in TOPIC_METRICS else key)
            merged[name] = merged.get(name, 0) + value
        rows = sorted((day, metric, key, value) for (day, metric, key), value in merged.items())
        sessions = {day: value for day, metric, key, value in rows if metric == "sessions" and key == ""}
        return [row for row in rows if row[1] == "sessions" or sessions.get(row[0], 0) >= MIN_GROUP_SIZE]

    def integrity_ok(self) -> bool:
        db = self._connect()
        try:
            verdict: str = db.execute("PRAGMA integrity_check").fetchone()[0]
            return verdict == "ok"
        finally:
            db.close()


def week_start(today: date) -> date:
    return today - timedelta(days=6)
