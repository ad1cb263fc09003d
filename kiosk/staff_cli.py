"""``kiosk set-pin`` and ``kiosk stats``: staff and IT tasks from a terminal."""

from __future__ import annotations

import getpass
import sqlite3
import sys
from datetime import date, timedelta
from pathlib import Path

from kiosk.core.atomic import remove_stale_temps
from kiosk.core.fleet.stats_files import (
    StatsFileError,
    as_csv,
    as_table,
    export_stats,
    find_stats_files,
    merge,
    read_stats_file,
    write_csv,
)
from kiosk.core.fleet.status import kiosk_name
from kiosk.core.paths import stats_path
from kiosk.core.pin import MAX_PIN_LENGTH, MIN_PIN_LENGTH, RECOMMENDED_PIN_LENGTH, PinFormatError, check_pin_format, hash_pin
from kiosk.core.settings import Settings, set_config_value
from kiosk.core.stats import StatsStore, withheld_note


def _read_pin_twice(from_stdin: bool) -> tuple[str, str]:
    if from_stdin:
        lines = sys.stdin.read().splitlines()
        first = lines[0].strip() if lines else ""
        second = lines[1].strip() if len(lines) > 1 else first
        return first, second
    prompt = f"New staff PIN ({MIN_PIN_LENGTH}-{MAX_PIN_LENGTH} digits, {RECOMMENDED_PIN_LENGTH} or more recommended): "
    return getpass.getpass(prompt), getpass.getpass("Type it again: ")


def set_pin(config: Path | None, from_stdin: bool) -> int:
    if config is None:
        print("Name the config file to store the PIN in: kiosk set-pin --config FILE", file=sys.stderr)
        return 1
    # Checked before asking for the PIN. A missing folder is most likely a typo in the
    # path: creating it would store the PIN where the kiosk never looks.
    if not config.parent.is_dir():
        print(f"Not set: folder {config.parent} does not exist; check the path, or create the folder first.", file=sys.stderr)
        return 1
    if config.is_dir():
        print(f"Not set: {config} is a folder; name the config file in it, e.g. {config / 'kiosk.toml'}.", file=sys.stderr)
        return 1
    try:
        first, second = _read_pin_twice(from_stdin)
    except (EOFError, KeyboardInterrupt):
        print("No PIN given; nothing changed.", file=sys.stderr)
        return 1
    if first != second:
        print("The two PINs differ; nothing changed.", file=sys.stderr)
        return 1
    try:
        check_pin_format(first)
    except PinFormatError as exc:
        print(f"Not set: {exc}.", file=sys.stderr)
        return 1
    # An earlier set-pin killed mid-write may have left a temporary copy of the file,
    # PIN hash and all, beside it.
    for stale in remove_stale_temps(config):
        print(f"Note: could not remove {stale}, left by an interrupted write; an administrator can delete it.",
              file=sys.stderr)
    try:
        set_config_value(config, "pin_hash", hash_pin(first))
    except PermissionError:
        print(f"Not set: no permission to write {config} (an administrator can: sudo, or an administrator prompt).", file=sys.stderr)
        return 1
    except (OSError, ValueError) as exc:
        print(f"Not set: could not write {config}: {getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
        return 1
    print(f"Staff PIN set in {config} (only a salted hash is stored).")
    return 0


def stats_store() -> StatsStore:
    return StatsStore(stats_path())


def print_stats(settings: Settings, as_csv: bool, days: int) -> int:
    if not stats_path().exists():
        print("No usage figures recorded yet." if settings.statistics else "Usage statistics are turned off (statistics = false).")
        return 0
    try:
        return _print_stats(stats_store(), as_csv, days)
    except (OSError, sqlite3.Error) as exc:  # a read-only or full data folder, or the kiosk holding a lock
        print(f"Cannot read the usage figures in {stats_path()}: {getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
        return 1


def _print_stats(store: StatsStore, as_csv: bool, days: int) -> int:
    if as_csv:
        sys.stdout.write(store.export_csv())
        return 0
    today = date.today()
    s = store.summary(today - timedelta(days=max(days, 1) - 1), today)
    print(f"Usage {s.since} to {s.until}")
    print(f"  sessions: {s.sessions}")
    for day, count in s.sessions_by_day.items():
        print(f"    {day}: {count}")
    if s.withheld:
        print(f"  {withheld_note(s.sessions)} A longer period (--days) may have enough.")
        return 0
    print("  languages: " + (", ".join(f"{k} {v}" for k, v in s.languages.items()) or "-"))
    print("  furthest page reached:")
    for page, count in sorted(s.furthest_page.items(), key=lambda kv: -kv[1]):
        print(f"    {page}: {count}")
    print("  average seconds per page view:")
    for page, seconds in s.seconds_per_view.items():
        print(f"    {page}: {seconds:.0f}")
    print("  most-ticked questions:")
    for question, count in list(s.question_ticks.items())[:10]:
        print(f"    {question}: {count}")
    print("  check items missed most (not right on the first try, of shown; skipped):")
    for item, missed, shown in s.most_missed(10):
        print(f"    {item}: {missed} of {shown}; skipped {s.check_items[item][2]}")
    if not s.most_missed(10):
        print("    -")
    return 0


def export_stats_file(settings: Settings, folder: Path) -> int:
    """``kiosk stats export --out DIR``: this kiosk's figures as ``DIR/<kiosk id>.stats.json``."""
    if not settings.statistics:
        print("Usage statistics are turned off (statistics = false); nothing to export.")
        return 0
    name = kiosk_name(settings)
    try:
        # No figures yet: an empty export (head office sees the kiosk), and no database created.
        path, changed = export_stats(stats_store() if stats_path().exists() else None, folder, name)
    except (OSError, sqlite3.Error) as exc:
        print(f"Not exported: {getattr(exc, 'strerror', None) or exc} ({folder})", file=sys.stderr)
        return 1
    print(f"{'Wrote' if changed else 'Unchanged:'} {path}")
    return 0


def merge_stats_files(folders: list[Path], by: str, csv_file: Path | None) -> int:
    """``kiosk stats merge DIR...``: add up the kiosks' exports; a file that cannot be used is
    named (and left out), and the command then exits 1."""
    try:
        paths = find_stats_files(folders)
    except StatsFileError as exc:
        print(f"kiosk stats merge: {exc}", file=sys.stderr)
        return 1
    figures, failed, seen = [], False, dict[str, Path]()
    for path in paths:
        try:
            kiosk = read_stats_file(path)
        except StatsFileError as exc:
            print(f"left out: {exc}", file=sys.stderr)
            failed = True
            continue
        if kiosk.kiosk_id in seen:
            print(f"left out: {path}: kiosk {kiosk.kiosk_id!r} is already counted from {seen[kiosk.kiosk_id]}", file=sys.stderr)
            failed = True
            continue
        seen[kiosk.kiosk_id] = path
        figures.append(kiosk)
    if not figures:
        print("kiosk stats merge: no statistics exports (*.stats.json) found in " + ", ".join(map(str, folders)), file=sys.stderr)
        return 1
    header, rows = merge(figures, by)
    if csv_file is not None and str(csv_file) == "-":
        sys.stdout.write(as_csv(header, rows))
    elif csv_file is not None:
        try:
            write_csv(csv_file, header, rows)
        except OSError as exc:
            print(f"Could not write {csv_file}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        print(f"Wrote {csv_file}: {len(rows)} rows from {len(figures)} kiosk(s).")
    else:
        print(f"{len(figures)} kiosk(s): {', '.join(sorted(seen))}")
        sys.stdout.write(as_table(header, rows))
    return 1 if failed else 0
