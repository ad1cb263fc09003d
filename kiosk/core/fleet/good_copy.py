"""The last good content, kept in the data folder, and the checked copy an update becomes.

A synced folder is never loaded where it lies: it can change at any moment. A settled
folder is copied into ``content-copies/`` in the data folder; the listing is taken again
after the copy, and a copy of a folder that changed meanwhile is thrown away. The copy is
checked as ``kiosk check-content`` checks (the check is passed in: it lives outside the
core) and loaded; only then is it recorded, atomically, in ``content-good.json`` as the
last good content. A kiosk runs on that copy, so a synced folder that breaks later, even
across a restart, never takes the kiosk down. A copy is never renamed: the library loaded
from it names its files.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from kiosk.core.atomic import write_text_atomic
from kiosk.core.content import ContentLibrary
from kiosk.core.errors import ContentError, Problem
from kiosk.core.fleet.folder import SYNC_METADATA, Settler, Snapshot, is_sync_temp, snapshot
from kiosk.core.settings import Settings, fit_to_content, load_settings

log = logging.getLogger(__name__)

GOOD_RECORD = "content-good.json"
COPIES = "content-copies"

# The content check (``kiosk.checker.content_problems``): the lines it fails on, none if it passes.
Check = Callable[[Path, Settings], list[str]]
# The kiosk's loader (``kiosk.core.kiosk_content.load_kiosk_content`` with the content cache).
Load = Callable[[Settings, Path], ContentLibrary]


@dataclass(frozen=True)
class GoodCopy:
    """A checked copy of the synced content. ``fingerprint``: the synced folder's (and the
    config file's) listing it was copied from (``folder.snapshot``)."""

    folder: Path
    fingerprint: str
    copied: str  # when, UTC, ISO 8601


class UpdateRefusedError(Exception):
    """The synced content or config fails the check; ``problems`` says where and why."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class UpdateInterruptedError(Exception):
    """The synced folder changed while it was being copied: try again once it settles."""


@dataclass(frozen=True)
class Candidate:
    """Checked content and settings, ready to replace the ones in use at the next reset."""

    library: ContentLibrary
    settings: Settings
    copy: GoodCopy
    config_problem: str = ""  # the config file was refused: ``settings`` are the ones in use


def utc_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def read_good(data: Path) -> GoodCopy | None:
    """The last good copy recorded in the data folder ``data``, if any (a damaged record is none)."""
    try:
        raw = json.loads((Path(data) / GOOD_RECORD).read_text(encoding="utf-8"))
        good = GoodCopy(Path(data) / COPIES / str(raw["folder"]), str(raw["fingerprint"]), str(raw["copied"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if Path(raw["folder"]).name != raw["folder"] or not good.folder.is_dir():
        return None  # only a folder of content-copies/, and one that is there
    return good


def write_good(data: Path, good: GoodCopy) -> None:
    record = {"folder": good.folder.name, "fingerprint": good.fingerprint, "copied": good.copied}
    write_text_atomic(Path(data) / GOOD_RECORD, json.dumps(record, indent=1) + "\n")


def prune_copies(data: Path, keep: set[Path]) -> None:
    """Remove the copies in the data folder that are neither recorded as good nor in ``keep``."""
    good = read_good(data)
    wanted = {path.resolve() for path in keep} | ({good.folder.resolve()} if good else set())
    try:
        folders = list((Path(data) / COPIES).iterdir())
    except OSError:
        return
    for folder in folders:
        if folder.resolve() not in wanted:
            shutil.rmtree(folder, ignore_errors=True)


def _ignore(_folder: str, names: list[str]) -> set[str]:
    return {name for name in names if name in SYNC_METADATA or is_sync_temp(name)}


def copy_settled(root: Path, config: Path | None, data: Path, expected: Snapshot) -> Path:
    """Copy ``root`` into the data folder; raise UpdateInterruptedError (and keep no copy) if it
    changed meanwhile, so that no copy ever mixes two versions of the content."""
    copies = Path(data) / COPIES
    copies.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    dest = Path(tempfile.mkdtemp(prefix=f"{stamp}-{expected.fingerprint[:8]}-", dir=copies))
    try:
        shutil.copytree(root, dest, symlinks=True, ignore=_ignore, dirs_exist_ok=True)
    except (OSError, shutil.Error) as exc:
        shutil.rmtree(dest, ignore_errors=True)
        if not Path(root).is_dir():
            raise UpdateInterruptedError(f"{root} went away while it was being copied") from exc
        raise
    after = snapshot(root, config)
    if after.busy or after.fingerprint != expected.fingerprint:
        shutil.rmtree(dest, ignore_errors=True)
        raise UpdateInterruptedError(f"{root} changed while it was being copied")
    return dest


def _relocated(lines: list[str], copy: Path, root: Path) -> list[str]:
    """Problems name the synced folder, where IT edits, not the kiosk's private copy."""
    return [line.replace(str(copy), str(root)) for line in lines]


def read_config(config: Path | None, in_use: Settings) -> tuple[Settings, str]:
    """The settings from the synced ``config`` file, or, when it has any problem, the
    settings ``in_use`` and why the file was refused."""
    if config is None:
        return in_use, ""
    fresh = load_settings(config)
    if not fresh.problems:
        return fresh, ""
    more = f" (and {len(fresh.problems) - 1} more)" if len(fresh.problems) > 1 else ""
    return in_use, f"config not applied, the settings in use are kept: {fresh.problems[0]}{more}"


def prepare_update(root: Path, config: Path | None, data: Path, expected: Snapshot, in_use: Settings,
                   check: Check, load: Load, reread_config: bool = True) -> Candidate:
    """Copy the settled synced folder ``root``, check and load the copy with the synced
    ``config`` (or the settings ``in_use`` when that is refused, or not ``reread_config``),
    and record the copy as the last good content. Raises UpdateRefusedError, UpdateInterruptedError or
    OSError; records nothing then."""
    settings, config_problem = read_config(config, in_use) if reread_config else (in_use, "")
    copy = copy_settled(root, config, data, expected)
    try:
        fitted = fit_to_content(settings, copy)
        problems = check(copy, fitted)
        if problems:
            raise UpdateRefusedError(_relocated(problems, copy, root))
        try:
            library = load(fitted, copy)
        except ContentError as exc:
            raise UpdateRefusedError(_relocated([str(p) for p in exc.problems], copy, root)) from exc
        good = GoodCopy(copy, expected.fingerprint, utc_now())
        write_good(data, good)
    except BaseException:
        shutil.rmtree(copy, ignore_errors=True)
        raise
    return Candidate(library, replace(fitted, problems=tuple(_relocated(list(fitted.problems), copy, root))), good,
                     config_problem)


START_WAIT_SECONDS = 30.0  # a first start waits at most this long for a quiet folder (it must paint
# within the service's TimeoutStartSec=60, build_spec/tmbb-kiosk.service, after the check and load too)
LOOK_SECONDS = 0.25  # how often a first start lists the folder while it waits


# Asks Syncthing whether the synced folder is complete: "" if it is, else why not
# (``kiosk.core.fleet.syncthing.completeness_check``).
Ready = Callable[[], str]


def wait_until_settled(root: Path, config: Path | None, settle_seconds: float, until: float,
                       clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
                       ready: Ready | None = None) -> tuple[Snapshot, str]:
    """Watch ``root`` (and ``config``) until their listing has not changed for ``settle_seconds``
    and holds no half-written file (and, with ``ready``, Syncthing says it is complete), or
    ``clock()`` reaches ``until``. Returns the last listing (a copy is still never made of a
    folder that changes or is half-written meanwhile) and Syncthing's last answer: "" when it
    vouches for the folder or is not asked, else why not (asked once a look, never twice). A
    file's modification time cannot say it: Syncthing gives it the time it had at head office."""
    settler = Settler(settle_seconds)
    while True:
        snap = snapshot(root, config)
        now = clock()
        settled = settler.feed(snap, now)
        if settled or now >= until:
            not_ready = ready() if ready is not None and not snap.missing else ""
            if not not_ready or now >= until:
                return snap, not_ready
        sleep(LOOK_SECONDS)


def start_library(settings: Settings, root: Path, data: Path, check: Check, load: Load, settle_seconds: float,
                  clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
                  ready: Ready | None = None) -> ContentLibrary:
    """The content a kiosk that follows a synced folder starts on: the last good copy, when
    there is one (a synced folder that differs from it is checked by ``KioskUpdates`` once it
    has been seen to settle, and shown on the welcome screen: a folder nobody watched settle
    may be half-synced); at a first start, a checked copy of the synced folder once it has
    settled (and, with ``ready``, once Syncthing says it is complete: never a folder it cannot
    vouch for). Raises ContentError only when there is no good content at all."""
    config = Path(settings.source) if settings.source else None
    good = read_good(data)
    if good is not None:
        prune_copies(data, set())  # copies a kiosk stopped in the middle of a check left behind
        try:
            library = load(fit_to_content(settings, good.folder), good.folder)
        except ContentError:  # the copy was damaged on disk: a first start, below
            log.exception("the last good content copy %s no longer loads", good.folder)
        else:
            if snapshot(root, config).fingerprint != good.fingerprint:
                log.info("starting on the last good content (copied %s); the synced folder %s has changed since "
                         "and is checked once it settles", good.copied, root)
            return library
    problems: list[str] = []
    until = clock() + START_WAIT_SECONDS
    for _attempt in range(3):  # a folder that changed while it was copied: wait for it again
        snap, not_ready = wait_until_settled(root, config, settle_seconds, until, clock, sleep, ready)
        if snap.missing:
            problems = [f"{root}: the content folder is missing"]
            break
        if not_ready:  # still syncing, or Syncthing cannot be asked: nothing is loaded
            problems = [f"{root}: {not_ready}"]
            break
        try:
            candidate = prepare_update(root, config, data, snap, settings, check, load, reread_config=False)
        except OSError as exc:  # a read-only or full data folder: run on the folder itself, as a kiosk of its own does
            log.error("the synced content cannot be copied into the data folder (%s); using %s as it is", exc, root)
            return load(fit_to_content(settings, root), root)
        except UpdateInterruptedError as exc:  # still arriving (a copy is never made of a half-written folder)
            problems = [f"{root}: {exc}"]
        except UpdateRefusedError as exc:
            problems = exc.problems
            break
        else:
            prune_copies(data, set())
            return candidate.library
    raise ContentError([_as_problem(line, Path(root)) for line in problems])


def _as_problem(line: str, root: Path) -> Problem:
    """A ``file:line: message`` line back as a Problem (other lines: about ``root``)."""
    match = re.match(r"^(.+?):(\d+): (.*)$", line, re.DOTALL)
    return Problem(Path(match.group(1)), int(match.group(2)), match.group(3)) if match else Problem(root, 1, line)
