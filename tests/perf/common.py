"""Shared by the benchmark, its probe subprocesses and the soak: environment, memory, content."""

from __future__ import annotations

import math
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def prepare_env(platform: str | None = None, speech: str | None = None) -> None:
    """Environment a probe needs before Qt is imported: platform, quiet multimedia, own data folder."""
    os.environ["QT_QPA_PLATFORM"] = platform or os.environ.get("QT_QPA_PLATFORM") or "offscreen"
    os.environ.setdefault("QT_ACCESSIBILITY", "0")
    os.environ["QT_LOGGING_RULES"] = "qt.multimedia.*=false"
    if speech is not None:
        os.environ["KIOSK_SPEECH_ENGINE"] = speech
    if not os.environ.get("KIOSK_DATA_DIR"):
        os.environ["KIOSK_DATA_DIR"] = tempfile.mkdtemp(prefix="kiosk-perf-data-")
    os.environ.pop("KIOSK_CONFIG", None)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def content_languages() -> list[str]:
    """The languages the shipped content actually has (a folder with a pack.toml, in any topic)."""
    from kiosk.core.resources import content_dir

    root = content_dir()
    found = sorted({p.parent.name for p in root.glob("*/*/pack.toml")})
    return sorted(found, key=lambda code: code != "en")  # English first: the usual default


def bench_settings():  # type: ignore[no-untyped-def]
    """A configured clinic (no demo banner) offering every shipped language."""
    from kiosk.core.settings import Settings

    langs = tuple(content_languages()) or ("en",)
    return Settings(clinic_name="Sunrise Pain Clinic", clinic_phone="555-0142", languages=langs, default_language=langs[0])


def pss_kib(pid: int | str = "self") -> int | None:
    """Proportional set size of one process, in KiB (None when /proc has no smaps_rollup)."""
    return smaps_kib("Pss", pid)


def smaps_kib(key: str, pid: int | str = "self") -> int | None:
    """One figure of /proc/PID/smaps_rollup in KiB: "Pss", or "Anonymous" (the process's
    own heap and stacks, which other processes sharing Qt's libraries do not change)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def process_tree(root_pid: int) -> list[int]:
    """``root_pid`` and all its descendants (from /proc/*/stat parent ids)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def tree_pss_kib(root_pid: int) -> tuple[int, int]:
    """(total PSS in KiB, number of processes) over a process tree."""
    total = count = 0
    for pid in process_tree(root_pid):
        value = pss_kib(pid)
        if value is not None:
            total += value
            count += 1
    return total, count


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    # (imported here: the probes import this module, and ``statistics`` with its ``decimal``
    # and ``fractions``, ~0.9 MB, would be counted in the kiosk's memory they measure)
    import statistics

    return statistics.median(values) if values else float("nan")
