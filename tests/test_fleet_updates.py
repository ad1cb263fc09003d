"""A kiosk that follows a synced content folder and config file (README, "Several kiosks"):
changes are checked on a settled copy off the GUI thread and applied between patients;
half-written, vanished or broken folders and bad config never reach the screen."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.__main__ import main
from kiosk.core.content import ContentLibrary
from kiosk.core.errors import ContentError
from kiosk.core.fleet.good_copy import read_good, start_library
from kiosk.core.fleet.status import status_path
from kiosk.core.paths import data_dir
from kiosk.core.resources import content_dir
from kiosk.core.settings import Settings
from kiosk.ui.app import Kiosk, build_kiosk, load_content
from kiosk.ui.first_frame import is_fresh
from kiosk.ui.updates import check_like_check_content, load_with_cache
from tests.fleet import EN_PACK, FIRST_PAGE, FIRST_TITLE, break_pack, fleet_config, retitle, synced_copy, write_replacing

POLL_MS = 20
SETTLE_MS = 200
WAIT_MS = 20_000  # a check copies and checks the whole content (about a second; more on a busy machine)


@pytest.fixture
def synced(tmp_path: Path) -> Path:
    return synced_copy(tmp_path / "synced")


@pytest.fixture
def settings(synced: Path) -> Settings:  # (this module's: a kiosk that follows ``synced``)
    return Settings(clinic_name="Sunrise Pain Clinic", clinic_phone="555-0142", watch_changes=True, content_dir=str(synced),
                    settle_seconds=1)  # (a first start watches the folder settle for this long)


@pytest.fixture
def built(qtbot, settings: Settings) -> Iterator[Kiosk]:  # type: ignore[no-untyped-def]
    yield from _build(qtbot, settings)


def _build(qtbot, settings: Settings) -> Iterator[Kiosk]:  # type: ignore[no-untyped-def]
    kiosk = build_kiosk(settings, load_content(settings, None), size=(1280, 800))
    qtbot.addWidget(kiosk.window)
    assert kiosk.updates is not None and kiosk.status is not None
    kiosk.updates.settler.settle_seconds = SETTLE_MS / 1000
    kiosk.updates.poll_timer.setInterval(POLL_MS)
    kiosk.status.soon_timer.setInterval(50)
    with qtbot.waitExposed(kiosk.window):
        kiosk.window.show()
    yield kiosk
    kiosk.window.allow_close()


def on_a_page(kiosk: Kiosk) -> None:
    """A patient is reading the first page."""
    kiosk.controller.model.start()
    kiosk.controller.show(FIRST_PAGE)
    assert not is_fresh(kiosk.controller)


def shown_title(kiosk: Kiosk) -> str:
    return kiosk.controller.views[FIRST_PAGE].title.text()


def test_a_change_waits_for_the_next_reset(qtbot, built: Kiosk, synced: Path) -> None:  # type: ignore[no-untyped-def]
    c, updates = built.controller, built.updates
    assert updates is not None
    on_a_page(built)
    retitle(synced, "The block, in short", version="2027.01.01")
    with qtbot.waitSignal(updates.update_ready, timeout=WAIT_MS):
        pass
    assert updates.state == "pending"
    assert c.session.page_id == FIRST_PAGE and shown_title(built) == FIRST_TITLE  # never in front of the patient
    with qtbot.waitSignal(updates.update_applied, timeout=WAIT_MS):
        c.reset_session()
    assert built.window.on_welcome() and is_fresh(c)
    assert c.library.pack("en").version == "2027.01.01"
    c.show(FIRST_PAGE)
    assert shown_title(built) == "The block, in short"
    assert updates.checks == 1 and updates.applied == 1 and updates.state == "current"


def test_an_untouched_welcome_screen_takes_it_at_once(qtbot, built: Kiosk, synced: Path) -> None:  # type: ignore[no-untyped-def]
    assert built.updates is not None
    retitle(synced, "Now", version="2027.02.02")
    with qtbot.waitSignal(built.updates.update_applied, timeout=WAIT_MS):
        pass
    assert built.controller.library.pack("en").version == "2027.02.02"


def test_a_half_written_folder_is_not_checked(qtbot, built: Kiosk, synced: Path) -> None:  # type: ignore[no-untyped-def]
    updates = built.updates
    assert updates is not None
    temp = synced / EN_PACK.parent / ".syncthing.what-it-is.md.tmp"
    temp.write_text("half a page", encoding="utf-8")  # Syncthing is still writing this file
    retitle(synced, "Half", version="2027.03.03")
    start = updates.looks
    qtbot.waitUntil(lambda: updates.looks >= start + 3 * SETTLE_MS // POLL_MS, timeout=WAIT_MS)
    assert updates.checks == 0 and updates.pending is None and updates.state == "current"
    temp.unlink()  # renamed into place: the folder is complete
    with qtbot.waitSignal(updates.update_applied, timeout=WAIT_MS):
        pass
    assert built.controller.library.pack("en").version == "2027.03.03"


def test_a_folder_still_changing_is_not_checked(qtbot, built: Kiosk, synced: Path) -> None:  # type: ignore[no-untyped-def]
    updates = built.updates
    assert updates is not None
    growing = synced / "CHANGES.md"

    def grow() -> None:
        with growing.open("a", encoding="utf-8") as handle:
            handle.write("more\n")

    updates.poll_timer.timeout.connect(grow)  # a change between every two looks
    start = updates.looks
    qtbot.waitUntil(lambda: updates.looks >= start + 3 * SETTLE_MS // POLL_MS, timeout=WAIT_MS)
    assert updates.checks == 0
    updates.poll_timer.timeout.disconnect(grow)
    with qtbot.waitSignal(updates.update_applied, timeout=WAIT_MS):
        pass
    assert updates.checks == 1


def test_rapid_changes_are_one_update(qtbot, built: Kiosk, synced: Path) -> None:  # type: ignore[no-untyped-def]
    updates = built.updates
    assert updates is not None
    on_a_page(built)
    done: list[int] = []

    def next_change() -> None:  # five edits, two looks apart: far less than the settle time
        if len(done) < 5 and updates.looks % 2 == 0:
            done.append(1)
            retitle(synced, f"Title {len(done)}", version=f"2027.04.0{len(done)}")

    updates.poll_timer.timeout.connect(next_change)
    with qtbot.waitSignal(updates.update_ready, timeout=WAIT_MS):
        pass
    assert len(done) == 5
    with qtbot.waitSignal(updates.update_applied, timeout=WAIT_MS):
        built.controller.reset_session()
    assert updates.checks_started == 1 and updates.checks == 1 and updates.applied == 1  # nothing begun before the last edit
    assert built.controller.library.pack("en").version == "2027.04.05"
    built.controller.show(FIRST_PAGE)
    assert shown_title(built) == "Title 5"


def test_the_check_runs_off_the_screens_thread(qtbot, built: Kiosk, synced: Path) -> None:  # type: ignore[no-untyped-def]
    updates = built.updates
    assert updates is not None
    threads: list[bool] = []
    check, load = updates.check, updates.load

    def watched_check(folder: Path, s: Settings) -> list[str]:
        threads.append(threading.current_thread() is threading.main_thread())
        return check(folder, s)

    def watched_load(s: Settings, root: Path) -> ContentLibrary:
        threads.append(threading.current_thread() is threading.main_thread())
        return load(s, root)

    updates.check, updates.load = watched_check, watched_load
    retitle(synced, "Checked elsewhere", version="2027.10.10")
    with qtbot.waitSignal(updates.update_applied, timeout=WAIT_MS):
        pass
    assert threads == [False, False]  # the copy's check and load: never on the GUI thread


def test_content_that_loads_but_fails_check_content_is_refused(qtbot, built: Kiosk, synced: Path) -> None:  # type: ignore[no-untyped-def]
    """The same verdict as ``kiosk check-content``, not only the loader's: a page too hard to
    read loads, but the check refuses it, and so does the kiosk."""
    c, updates = built.controller, built.updates
    assert updates is not None
    page = synced / EN_PACK.parent / "what-it-is.md"
    hard = ("Notwithstanding considerable interindividual physiological variability, electrophysiological "
            "characterisation of zygapophyseal articulations necessitates comprehensive multidisciplinary "
            "consideration of contraindications, pharmacological interactions and anticoagulation management. ")
    write_replacing(page, page.read_text(encoding="utf-8") + "\n" + "\n\n".join([hard] * 4) + "\n")
    assert load_with_cache(c.settings, synced).pack("en")  # the loader alone takes it
    assert main(["check-content", str(synced)]) == 1  # the check refuses it
    with qtbot.waitSignal(updates.update_refused, timeout=WAIT_MS) as refused:
        pass
    assert "reading level" in refused.args[0] and str(page) in refused.args[0]
    assert c.library.pack("en").version == built.controller.library.pack("en").version
    assert updates.pending is None and updates.applied == 0 and updates.state == "refused"


def read_status(kiosk: Kiosk) -> dict[str, object]:
    try:
        data: dict[str, object] = json.loads(status_path(kiosk.controller.settings).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data


def update_state(kiosk: Kiosk) -> str:
    update = read_status(kiosk).get("content_update")
    return str(update.get("state")) if isinstance(update, dict) else ""


def test_broken_content_is_kept_out_and_reported(qtbot, built: Kiosk, synced: Path) -> None:  # type: ignore[no-untyped-def]
    c, updates = built.controller, built.updates
    assert updates is not None
    version = c.library.pack("en").version
    break_pack(synced)
    with qtbot.waitSignal(updates.update_refused, timeout=WAIT_MS) as refused:
        pass
    assert str(synced / EN_PACK) in refused.args[0]  # the synced file, where IT edits it, not the kiosk's copy
    c.model.start()
    c.reset_session()
    qtbot.waitUntil(lambda: update_state(built) == "refused", timeout=WAIT_MS)
    assert c.library.pack("en").version == version
    assert any("synced content not applied" in problem for problem in c.settings.problems)  # the staff panel's lines
    status = read_status(built)
    assert "pack.toml" in str(status["content_update"]) and status["topics"]
    assert "synced content update refused" in str(status["last_error"])
    shutil.copy(content_dir() / EN_PACK, synced / EN_PACK)  # mended at head office
    retitle(synced, "Fixed", version="2027.05.05")
    with qtbot.waitSignal(updates.update_applied, timeout=WAIT_MS):
        pass
    assert c.library.pack("en").version == "2027.05.05" and updates.problem == ""
    assert not any("synced content not applied" in problem for problem in c.settings.problems)


def test_a_deleted_folder_keeps_the_content(qtbot, built: Kiosk, synced: Path) -> None:  # type: ignore[no-untyped-def]
    c, updates = built.controller, built.updates
    assert updates is not None
    shutil.rmtree(synced)
    qtbot.waitUntil(lambda: updates.state == "missing", timeout=WAIT_MS)
    assert "missing" in c.settings.problems[-1]
    c.model.start()
    c.reset_session()
    assert c.library.pack("en").pages[0].title == FIRST_TITLE and updates.checks == 0
    synced_copy(synced)  # back again
    qtbot.waitUntil(lambda: updates.problem == "", timeout=WAIT_MS)
    assert not any("missing" in problem for problem in c.settings.problems)


def test_a_restart_with_a_broken_synced_folder_starts_on_the_last_good_copy(qtbot, settings: Settings,
                                                                             synced: Path) -> None:  # type: ignore[no-untyped-def]
    first = load_content(settings, None)
    good = read_good(data_dir())
    assert good is not None and good.folder.is_dir() and good.folder.parent.parent == data_dir()
    break_pack(synced)
    again = load_content(settings, None)  # the next start
    assert again.pack("en").version == first.pack("en").version
    assert read_good(data_dir()) == good
    kiosk = next(_build(qtbot, settings))
    assert kiosk.updates is not None
    with qtbot.waitSignal(kiosk.updates.update_refused, timeout=WAIT_MS):
        pass  # and says so
    kiosk.window.allow_close()


def as_synced_long_ago(path: Path) -> None:
    """Syncthing gives a file the modification time it had at head office (maybe an hour
    ago), and the file arrived a while ago (the link dropped half-way through an update)."""
    for each in (path, path.parent):
        os.utime(each, (time.time() - 3600, time.time() - 3600))


def test_a_restart_never_loads_a_folder_it_has_not_seen_settle(qtbot, settings: Settings,
                                                                synced: Path) -> None:  # type: ignore[no-untyped-def]
    """A kiosk that starts while Syncthing is mid-way through an update cannot tell from the
    files' times (they are head office's): it starts on the last good copy, and the watcher
    checks the folder once it has been seen to settle and shows it on the welcome screen."""
    first = load_content(settings, None)
    retitle(synced, "Half of an update", version="2027.08.08")  # the English pack has arrived, Spanish not yet
    as_synced_long_ago(synced / EN_PACK)
    again = load_content(settings, None)  # the next start
    assert again.pack("en").version == first.pack("en").version
    kiosk = next(_build(qtbot, settings))
    assert kiosk.updates is not None
    with qtbot.waitSignal(kiosk.updates.update_applied, timeout=WAIT_MS):
        pass  # once the folder has stood still, on the untouched welcome screen
    assert kiosk.controller.library.pack("en").version == "2027.08.08"
    kiosk.window.allow_close()


def test_a_first_start_waits_for_the_folder_to_settle(settings: Settings, synced: Path) -> None:
    """No good copy yet: the folder is watched until it has stood still for the settle time
    (a half-synced folder is never copied or loaded), however old its files' times are."""
    spanish = synced / "thoracic-mbb" / "es" / "pack.toml"
    final = re.sub(r'^version = ".*"$', 'version = "2027.09.09"', spanish.read_text(encoding="utf-8"), count=1, flags=re.M)
    retitle(synced, "First", version="2027.09.09")  # English has arrived; Spanish is still the old one
    as_synced_long_ago(synced / EN_PACK)
    now = [1000.0]
    loaded: list[set[str]] = []

    def sleep(seconds: float) -> None:
        if now[0] == 1000.0:  # Syncthing delivers the Spanish pack while the kiosk waits
            write_replacing(spanish, final)
            as_synced_long_ago(spanish)
        now[0] += seconds

    def load(s: Settings, root: Path) -> ContentLibrary:
        library = load_with_cache(s, root)
        loaded.append({pack.version for pack in library.all_packs() if pack.topic == "thoracic-mbb"})
        return library

    library = start_library(settings, synced, data_dir(), check_like_check_content, load, 1, clock=lambda: now[0], sleep=sleep)
    assert {library.pack("en").version, library.pack("es").version} == {"2027.09.09"}
    assert loaded == [{"2027.09.09"}]  # the mixed folder was never loaded
    assert now[0] - 1000.0 >= 1  # watched for the settle time


def test_a_first_start_with_a_broken_synced_folder_is_out_of_order(settings: Settings, synced: Path) -> None:
    break_pack(synced)
    with pytest.raises(ContentError) as error:
        load_content(settings, None)
    assert str(synced / EN_PACK) in str(error.value)
    assert read_good(data_dir()) is None


def test_a_config_change_applies_at_the_next_reset(qtbot, tmp_path: Path, synced: Path) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "kiosk.toml"
    kiosk = next(_build(qtbot, fleet_config(config, synced)))
    c, updates = kiosk.controller, kiosk.updates
    assert updates is not None
    on_a_page(kiosk)
    fleet_config(config, synced, clinic_name="Hilltop Pain Clinic", idle_seconds=120)
    with qtbot.waitSignal(updates.update_ready, timeout=WAIT_MS):
        pass
    assert c.settings.clinic_name == "Sunrise Pain Clinic"
    with qtbot.waitSignal(updates.update_applied, timeout=WAIT_MS):
        c.reset_session()
    assert c.settings.clinic_name == "Hilltop Pain Clinic" and c.settings.idle_seconds == 120
    assert c.idle.idle_timer.interval() == 120_000
    assert "Hilltop Pain Clinic" in c.library.pack("en").pages[-1].html or any(
        "Hilltop Pain Clinic" in page.html for page in c.library.pack("en").pages)
    kiosk.window.allow_close()


def test_a_bad_config_keeps_the_settings_in_use(qtbot, tmp_path: Path, synced: Path,
                                                caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO)
    config = tmp_path / "kiosk.toml"
    kiosk = next(_build(qtbot, fleet_config(config, synced)))
    c, updates = kiosk.controller, kiosk.updates
    assert updates is not None
    good = config.read_text(encoding="utf-8")
    on_a_page(kiosk)
    write_replacing(config, good.replace("Sunrise", "Broken") + 'idle_seconds = "soon"\n')
    with qtbot.waitSignal(updates.update_ready, timeout=WAIT_MS):
        pass
    assert any("config not applied" in problem for problem in c.settings.problems)  # told to staff at once
    assert any("config not applied" in r.getMessage() and r.levelno == logging.ERROR for r in caplog.records)  # logged
    qtbot.waitUntil(lambda: "idle_seconds" in str(read_status(kiosk).get("content_update")), timeout=WAIT_MS)
    assert "config not applied" in str(read_status(kiosk)["content_update"])  # and in the status file for IT
    with qtbot.waitSignal(updates.update_applied, timeout=WAIT_MS):
        c.reset_session()
    assert c.settings.clinic_name == "Sunrise Pain Clinic" and c.settings.idle_seconds == 90
    assert any("config not applied" in problem and "idle_seconds" in problem for problem in c.settings.problems)
    write_replacing(config, good.replace("Sunrise", "Mended"))
    with qtbot.waitSignal(updates.update_applied, timeout=WAIT_MS):
        pass
    assert c.settings.clinic_name == "Mended Pain Clinic"
    assert not any("config not applied" in problem for problem in c.settings.problems)
    kiosk.window.allow_close()


def test_a_data_folder_that_cannot_be_written_runs_on_the_synced_folder(settings: Settings, synced: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """As a kiosk of its own does (README, "Privacy"): a full or read-only data folder never
    takes it out of service; there is just no last good copy to fall back on."""
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("KIOSK_DATA_DIR", str(in_the_way / "data"))
    library = load_content(settings, None)
    assert library.pack("en").pages[0].title == FIRST_TITLE
    assert read_good(data_dir()) is None
