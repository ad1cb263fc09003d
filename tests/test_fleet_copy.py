"""The Qt-free half of following a synced folder: when it has settled, and the checked copy
that becomes the last good content (kiosk/core/fleet)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk.core.content import ContentLibrary
from kiosk.core.fleet.folder import Settler, Snapshot, is_sync_temp, snapshot
from kiosk.core.fleet.good_copy import (
    COPIES,
    UpdateInterruptedError,
    UpdateRefusedError,
    copy_settled,
    prepare_update,
    read_good,
)
from kiosk.core.settings import Settings
from tests.fleet import EN_PACK, break_pack, synced_copy

SETTINGS = Settings(clinic_name="Sunrise Pain Clinic", clinic_phone="555-0142")


def no_check(_folder: Path, _settings: Settings) -> list[str]:
    return []


def loader(settings: Settings, root: Path) -> ContentLibrary:
    from kiosk.core.kiosk_content import load_kiosk_content

    return load_kiosk_content(settings, root)


def test_a_folder_with_a_syncthing_temp_file_is_busy(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("a", encoding="utf-8")
    assert not snapshot(tmp_path).busy
    (tmp_path / ".syncthing.b.md.tmp").write_text("b", encoding="utf-8")
    assert snapshot(tmp_path).busy and is_sync_temp("~syncthing~b.md.tmp")
    assert snapshot(tmp_path / "gone").missing


def test_the_settler_waits_for_a_quiet_folder() -> None:
    settler = Settler(settle_seconds=5)
    one, two, busy = Snapshot("1"), Snapshot("2"), Snapshot("2", busy=True)
    assert not settler.feed(one, 0) and not settler.feed(one, 4.9) and settler.feed(one, 5)
    assert not settler.feed(two, 6) and not settler.feed(two, 10.9)  # changed: the clock starts again
    assert not settler.feed(busy, 11) and not settler.feed(busy, 100)  # a file still being written
    assert not settler.feed(two, 101) and settler.feed(two, 106)


def test_a_folder_that_changed_while_copied_leaves_no_copy(tmp_path: Path) -> None:
    synced = synced_copy(tmp_path / "synced")
    before = snapshot(synced)
    (synced / "CHANGES.md").write_text("edited meanwhile\n", encoding="utf-8")
    with pytest.raises(UpdateInterruptedError):
        copy_settled(synced, None, tmp_path / "data", before)
    assert list((tmp_path / "data" / COPIES).iterdir()) == []
    copy = copy_settled(synced, None, tmp_path / "data", snapshot(synced))
    assert (copy / EN_PACK).read_bytes() == (synced / EN_PACK).read_bytes()
    assert not (copy / ".stfolder").exists()  # Syncthing's marker is not content


def test_a_refused_update_records_nothing_and_names_the_synced_files(tmp_path: Path) -> None:
    synced, data = synced_copy(tmp_path / "synced"), tmp_path / "data"
    good = prepare_update(synced, None, data, snapshot(synced), SETTINGS, no_check, loader)
    assert read_good(data) == good.copy and good.copy.folder.parent == data / COPIES
    break_pack(synced)
    with pytest.raises(UpdateRefusedError) as refused:
        prepare_update(synced, None, data, snapshot(synced), SETTINGS, no_check, loader)
    assert all(str(data) not in line for line in refused.value.problems)
    assert any(line.startswith(str(synced / EN_PACK)) for line in refused.value.problems)
    assert read_good(data) == good.copy and list((data / COPIES).iterdir()) == [good.copy.folder]


def test_the_check_decides(tmp_path: Path) -> None:
    synced, data = synced_copy(tmp_path / "synced"), tmp_path / "data"

    def too_hard(folder: Path, _settings: Settings) -> list[str]:
        return [f"{folder / EN_PACK}:1: reading level grade 9.0, limit <= 7"]

    with pytest.raises(UpdateRefusedError) as refused:
        prepare_update(synced, None, data, snapshot(synced), SETTINGS, too_hard, loader)
    assert refused.value.problems == [f"{synced / EN_PACK}:1: reading level grade 9.0, limit <= 7"]
    assert read_good(data) is None


def test_the_clinic_group_keys_are_checked_like_every_other() -> None:
    from kiosk.core.settings import parse_settings

    settings = parse_settings('kiosk_id = "front desk/1"\nsettle_seconds = 0\nstatus_minutes = 5\nwatch_changes = "yes"\n', "k.toml")
    assert settings.kiosk_id == "" and settings.settle_seconds == 10 and not settings.watch_changes
    assert [problem.split(": ")[1].split(" ")[0] for problem in settings.problems] == ["kiosk_id", "settle_seconds", "watch_changes"]
    assert all(problem.startswith("k.toml:") and "using the default" in problem for problem in settings.problems)


def test_a_folder_deleted_while_copied_leaves_no_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    synced = synced_copy(tmp_path / "synced")
    before = snapshot(synced)
    real_copytree = shutil.copytree

    def deleted_meanwhile(src: Path, dst: Path, *args: object, **kwargs: object) -> object:
        if Path(src) == synced:  # (shutil's own calls for the folders below go straight through)
            monkeypatch.setattr(shutil, "copytree", real_copytree)
            real_copytree(synced / "thoracic-mbb", Path(dst) / "thoracic-mbb")
            shutil.rmtree(synced)  # head office removed the folder half-way through
        return real_copytree(src, dst, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("kiosk.core.fleet.good_copy.shutil.copytree", deleted_meanwhile)
    with pytest.raises(UpdateInterruptedError):
        prepare_update(synced, None, tmp_path / "data", before, SETTINGS, no_check, loader)
    assert list((tmp_path / "data" / COPIES).iterdir()) == [] and read_good(tmp_path / "data") is None


def test_a_first_start_waits_for_a_quiet_folder_but_not_for_ever(tmp_path: Path) -> None:
    from kiosk.core.fleet.good_copy import START_WAIT_SECONDS, wait_until_settled

    synced = synced_copy(tmp_path / "synced")
    now = [0.0]

    def sleep_while_it_changes(seconds: float) -> None:
        (synced / "CHANGES.md").write_text(f"edit at {now[0]}\n", encoding="utf-8")
        now[0] += seconds

    snap, _ = wait_until_settled(synced, None, 5, START_WAIT_SECONDS, lambda: now[0], sleep_while_it_changes)
    assert now[0] == pytest.approx(START_WAIT_SECONDS, abs=1) and snap == snapshot(synced)

    def quiet(seconds: float) -> None:
        now[0] += seconds

    now[0] = 0.0
    wait_until_settled(synced, None, 5, START_WAIT_SECONDS, lambda: now[0], quiet)
    assert now[0] == pytest.approx(5, abs=0.5)  # a quiet folder: the settle time, no more
    service = (Path(__file__).resolve().parent.parent / "build_spec" / "tmbb-kiosk.service").read_text(encoding="utf-8")
    (timeout,) = re.findall(r"^TimeoutStartSec=(\d+)$", service, re.MULTILINE)
    assert int(timeout) / 2 >= START_WAIT_SECONDS  # the first screen still comes up in time after the check and load
