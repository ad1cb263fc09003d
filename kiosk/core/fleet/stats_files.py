"""Statistics from many kiosks: one file per kiosk, added up at head office.

``kiosk stats export`` writes ``<kiosk id>.stats.json``: this kiosk's daily counters as
``kiosk stats --csv`` gives them (a day with fewer than MIN_GROUP_SIZE sessions gives its
session count only), and nothing else: no time of export, so the same figures give the
same bytes and a file that has not changed is not rewritten (nor sent again by Syncthing).
``kiosk stats merge`` reads any number of them and adds them up by day, by kiosk or in all.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.core.atomic import write_text_atomic
from kiosk.core.stats import METRICS, MIN_GROUP_SIZE, StatsStore

FORMAT = "tmbb-kiosk statistics"
SUFFIX = ".stats.json"
BY = ("day", "kiosk", "all")
MAX_FILE_BYTES = 50_000_000
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Row = tuple[str, str, str, int]


class StatsFileError(ValueError):
    """A statistics file that cannot be used; the message names it and says why."""


@dataclass(frozen=True)
class KioskFigures:
    kiosk_id: str
    path: Path
    rows: list[Row]  # (day, metric, key, value)


def export_text(kiosk_id: str, rows: list[Row]) -> str:
    data = {"format": FORMAT, "version": 1, "kiosk_id": kiosk_id, "min_group_size": MIN_GROUP_SIZE,
            "columns": ["day", "metric", "key", "value"], "rows": [list(row) for row in sorted(rows)]}
    return json.dumps(data, indent=0, sort_keys=True) + "\n"


def export_stats(store: StatsStore | None, folder: Path, kiosk_id: str) -> tuple[Path, bool]:
    """Write ``folder/<kiosk_id>.stats.json`` atomically from ``store`` (None: no figures
    yet); return it and whether it changed (an unchanged file is left alone)."""
    path = Path(folder) / f"{kiosk_id}{SUFFIX}"
    text = export_text(kiosk_id, store.shareable_rows() if store is not None else [])
    try:
        if path.read_text(encoding="utf-8") == text:
            return path, False
    except (OSError, UnicodeDecodeError):
        pass
    write_text_atomic(path, text)
    return path, True


def find_stats_files(folders: list[Path]) -> list[Path]:
    """Every ``*.stats.json`` in ``folders`` and below, skipping hidden folders
    (Syncthing's ``.stversions``). A folder that does not exist is an error."""
    found: list[Path] = []
    for given in folders:
        folder = Path(given)
        if folder.is_file():
            found.append(folder)
            continue
        if not folder.is_dir():
            raise StatsFileError(f"{folder}: no such folder")
        for parent, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            found += [Path(parent) / name for name in sorted(files) if name.endswith(SUFFIX) and not name.startswith(".")]
    return found


def _row(path: Path, index: int, raw: Any) -> Row:
    if not (isinstance(raw, list) and len(raw) == 4):
        raise StatsFileError(f"{path}: row {index + 1} is not [day, metric, key, value]")
    day, metric, key, value = raw
    if not (isinstance(day, str) and _DAY.match(day)):
        raise StatsFileError(f"{path}: row {index + 1}: day {day!r} is not YYYY-MM-DD")
    if metric not in METRICS:
        raise StatsFileError(f"{path}: row {index + 1}: unknown metric {metric!r} (known: {', '.join(METRICS)})")
    if not (isinstance(key, str) and len(key) <= 200):
        raise StatsFileError(f"{path}: row {index + 1}: key must be text")
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise StatsFileError(f"{path}: row {index + 1}: value must be a whole number, 0 or more")
    return day, metric, key, value


def read_stats_file(path: Path) -> KioskFigures:
    """One kiosk's exported figures; StatsFileError says what is wrong with the file."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise StatsFileError(f"{path}: larger than {MAX_FILE_BYTES:,} bytes; not a statistics export")
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise StatsFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise StatsFileError(f"{path}: not a statistics export (not JSON text: {exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StatsFileError(f"{path}: not a statistics export ('format' is not {FORMAT!r})")
    if data.get("version") != 1:
        raise StatsFileError(f"{path}: statistics format version {data.get('version')!r}; this kiosk reads version 1")
    kiosk_id, rows = data.get("kiosk_id"), data.get("rows")
    if not isinstance(kiosk_id, str) or not kiosk_id or not isinstance(rows, list):
        raise StatsFileError(f"{path}: 'kiosk_id' or 'rows' is missing")
    return KioskFigures(kiosk_id, path, [_row(path, i, raw) for i, raw in enumerate(rows)])


def merge(figures: list[KioskFigures], by: str = "day") -> tuple[list[str], list[tuple[Any, ...]]]:
    """Add up the kiosks' counters ``by`` day, kiosk or all; return the header and the rows.
    A group (a day, a kiosk, or all) with fewer than MIN_GROUP_SIZE sessions gives its
    session count only, as each kiosk's own export does."""
    if by not in BY:
        raise ValueError(f"by must be one of {', '.join(BY)}")
    totals: dict[tuple[str, ...], int] = {}
    sessions: dict[tuple[str, ...], int] = {}
    for kiosk in figures:
        for day, metric, key, value in kiosk.rows:
            group: tuple[str, ...] = (day,) if by == "day" else (kiosk.kiosk_id,) if by == "kiosk" else ()
            name = (*group, metric, key)
            totals[name] = totals.get(name, 0) + value
            if metric == "sessions" and key == "":
                sessions[group] = sessions.get(group, 0) + value
    width = 0 if by == "all" else 1
    rows = [(*name, value) for name, value in sorted(totals.items())
            if name[width] == "sessions" or sessions.get(name[:width], 0) >= MIN_GROUP_SIZE]
    header = ([] if by == "all" else [by]) + ["metric", "key", "value"]
    return header, rows


def as_csv(header: list[str], rows: list[tuple[Any, ...]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def as_table(header: list[str], rows: list[tuple[Any, ...]]) -> str:
    cells = [header] + [[str(cell) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(cell.rjust(w) if i == len(header) - 1 else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))).rstrip()
             for row in cells]
    return "\n".join(lines) + "\n"


def write_csv(path: Path, header: list[str], rows: list[tuple[Any, ...]]) -> None:
    write_text_atomic(path, as_csv(header, rows), create_folder=False)
