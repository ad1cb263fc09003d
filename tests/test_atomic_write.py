"""write_atomic keeps what an administrator set on the file it replaces: its mode (so
'sudo kiosk set-pin' leaves /etc/tmbb-kiosk/kiosk.toml readable by the kiosk user) and,
where the process may set them, its owner and group."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kiosk.core.atomic import write_atomic, write_text_atomic

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
@pytest.mark.parametrize("kept", [0o644, 0o640, 0o600, 0o664])
def test_existing_file_keeps_its_mode(tmp_path: Path, kept: int) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text("old\n")
    path.chmod(kept)
    write_text_atomic(path, "new\n")
    assert path.read_text() == "new\n"
    assert mode(path) == kept


@posix_only
@pytest.mark.parametrize(("umask", "expected"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_new_file_gets_the_usual_mode_for_the_umask(tmp_path: Path, umask: int, expected: int) -> None:
    old = os.umask(umask)
    try:
        write_atomic(tmp_path / "new.toml", b"x = 1\n")
    finally:
        os.umask(old)
    assert mode(tmp_path / "new.toml") == expected


@posix_only
@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="only root may give a file to another user")
def test_root_keeps_the_owner_and_group(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text("old\n")
    os.chown(path, 65534, 65534)
    path.chmod(0o640)
    write_text_atomic(path, "new\n")
    info = path.stat()
    assert (info.st_uid, info.st_gid, mode(path)) == (65534, 65534, 0o640)


def test_missing_folder_is_created_only_when_the_caller_asks(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "missing" / "kiosk.toml", b"", create_folder=False)
    assert not (tmp_path / "missing").exists()
    write_atomic(tmp_path / "data" / "lockout.json", b"{}")  # data-folder writers rely on this
    assert (tmp_path / "data" / "lockout.json").read_bytes() == b"{}"


def test_no_temp_file_is_left_behind(tmp_path: Path) -> None:
    for text in ("one", "two"):
        write_text_atomic(tmp_path / "kiosk.toml", text)
    assert [p.name for p in tmp_path.iterdir()] == ["kiosk.toml"]
