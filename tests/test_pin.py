"""Staff PIN: OWASP-strength salted hash, lockout after 5 wrong that survives a restart."""

from __future__ import annotations

import logging
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from kiosk.core.pin import BASE_LOCKOUT_SECONDS, PinFormatError, PinGuard, hash_pin, verify_pin


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def stored() -> str:
    return hash_pin("24681357")


def test_hash_is_salted_scrypt_at_owasp_strength(stored: str) -> None:
    scheme, n, r, p, salt, digest = stored.split("$")
    assert (scheme, int(n), int(r), int(p)) == ("scrypt", 2**17, 8, 1)
    assert "24681357" not in stored
    assert verify_pin("24681357", stored) and not verify_pin("24681358", stored)
    assert hash_pin("24681357") != stored  # a fresh salt every time


@pytest.mark.parametrize("bad", ["12", "2468", "13579", "abcdef", "1234567890123", ""])
def test_pin_format(bad: str) -> None:
    with pytest.raises(PinFormatError, match="6 to 12 digits"):
        hash_pin(bad)


def legacy_hash(pin: str) -> str:
    """A hash as set-pin wrote it before 6 digits were required (it cannot be made now)."""
    import base64
    import hashlib
    import os

    salt = os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=2**17, r=8, p=1, maxmem=256 * 1024 * 1024, dklen=32)
    return f"scrypt${2**17}$8$1${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def test_a_short_pin_set_before_the_rule_still_opens(tmp_path: Path) -> None:
    """A hash cannot tell its PIN's length: refusing it would lock staff out of a working kiosk."""
    from kiosk.core.pin import is_short

    guard = PinGuard(legacy_hash("2468"), tmp_path / "lockout.json", Clock())
    assert guard.check("2468") and is_short("2468") and not is_short("246813")


def test_malformed_hash_never_matches() -> None:
    assert not verify_pin("24681357", "scrypt$x$y")
    assert not verify_pin("24681357", "")


def test_five_wrong_lock_and_lock_survives_restart(tmp_path: Path, stored: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    clock = Clock()
    state = tmp_path / "lockout.json"
    guard = PinGuard(stored, state, clock)
    for _ in range(5):
        assert not guard.check("11111111")
    assert guard.seconds_locked() == BASE_LOCKOUT_SECONDS
    assert not guard.check("24681357")  # even the right PIN is refused while locked
    # "Restart": a new guard reading the same state file.
    clock.now += 60
    again = PinGuard(stored, state, clock)
    assert again.seconds_locked() == BASE_LOCKOUT_SECONDS - 60
    assert not again.check("24681357")
    clock.now += BASE_LOCKOUT_SECONDS
    assert again.check("24681357")
    assert "24681357" not in caplog.text and "11111111" not in caplog.text
    assert "24681357" not in state.read_text()


def test_lockout_doubles(tmp_path: Path, stored: str) -> None:
    clock = Clock()
    guard = PinGuard(stored, tmp_path / "lockout.json", clock)
    for _ in range(5):
        guard.check("00000000")
    clock.now += BASE_LOCKOUT_SECONDS
    for _ in range(5):
        guard.check("00000000")
    assert guard.seconds_locked() == 2 * BASE_LOCKOUT_SECONDS


def test_damaged_state_file_stays_locked(tmp_path: Path, stored: str) -> None:
    state = tmp_path / "lockout.json"
    state.write_text("{not json")
    guard = PinGuard(stored, state, Clock())
    assert guard.seconds_locked() > 0


def test_set_pin_from_stdin_writes_only_a_hash(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text('clinic_name = "Sunrise Pain Clinic"\n\n[notes]\n')
    result = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(config), "set-pin", "--stdin"], check=False,
                            input="97531864\n97531864\n", capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    text = config.read_text()
    assert "97531864" not in text and "97531864" not in result.stdout + result.stderr
    data = tomllib.loads(text)
    assert data["clinic_name"] == "Sunrise Pain Clinic"
    assert verify_pin("97531864", data["pin_hash"])


def test_set_pin_refuses_mismatch_and_bad_format(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    for given in ("12345678\n87654321\n", "12\n12\n", "2468\n2468\n", "13579\n13579\n"):
        result = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(config), "set-pin", "--stdin"], check=False,
                                input=given, capture_output=True, text=True, timeout=120)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "differ" in result.stderr or "6 to 12 digits (8 or more recommended)" in result.stderr
    assert not config.exists()


def test_a_config_whose_pin_cannot_be_read_keeps_the_last_good_pin(tmp_path, caplog) -> None:  # type: ignore[no-untyped-def]
    from kiosk.core.pin import staff_pin_hash

    copy = tmp_path / "staff-pin.json"
    good = hash_pin("135790")
    assert staff_pin_hash(good, False, "/etc/kiosk.toml", copy) == good  # read fine: a copy is kept
    with caplog.at_level("ERROR"):
        assert staff_pin_hash("", True, "/etc/kiosk.toml", copy) == good  # unreadable later: staff still get in
    assert "kiosk --config /etc/kiosk.toml set-pin" in caplog.text
    assert staff_pin_hash("", False, "/etc/kiosk.toml", copy) == ""  # the clinic removed the PIN on purpose
    assert not copy.exists()
    assert staff_pin_hash("", True, "/etc/kiosk.toml", copy) == ""  # nothing to fall back on


def test_set_pin_recovers_a_config_with_another_broken_line(tmp_path: Path) -> None:
    """The way out the kiosk names for a lost PIN must work on the file that lost it."""
    from kiosk.core.settings import load_settings

    config = tmp_path / "kiosk.toml"
    config.write_text('clinic_name = "Sunrise\nclinic_phone = "555-0142"\npin_hash = "scrypt$1\n')
    assert load_settings(config).pin_hash_lost
    result = subprocess.run([sys.executable, "-m", "kiosk", "set-pin", "--stdin", "--config", str(config)], check=False,
                            input="246813\n246813\n", capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    settings = load_settings(config)
    assert not settings.pin_hash_lost and verify_pin("246813", settings.pin_hash)
    assert settings.clinic_phone == "555-0142"  # the other lines are as they were


def test_pin_files_in_the_data_folder_are_private(tmp_path: Path) -> None:
    import stat

    from kiosk.core.pin import remember_pin_hash

    guard = PinGuard(hash_pin("24681357"), tmp_path / "lockout.json")
    guard.check("11111111")
    remember_pin_hash(tmp_path / "staff-pin.json", hash_pin("24681357"))
    for name in ("lockout.json", "staff-pin.json"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name


# --- Fail closed: a lockout that cannot be saved never lets a restart in ---------------------


class Disk:
    """The lockout writer's disk, which the test can fill up and free again."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import errno

        from kiosk.core import pin as pin_module

        self.full = False
        real = pin_module.write_text_atomic

        def write(path: Path, text: str, **kwargs: bool) -> None:
            if self.full:
                raise OSError(errno.ENOSPC, "No space left on device")
            real(path, text, **kwargs)

        monkeypatch.setattr(pin_module, "write_text_atomic", write)


def test_a_full_disk_cannot_be_used_to_bypass_the_lockout(tmp_path: Path, stored: str, monkeypatch: pytest.MonkeyPatch,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    """Issue 19: with the data folder full, the lockout was not saved and after a restart
    the PIN worked at once. Every guess the kiosk answers must be on disk first."""
    from kiosk.core import pin as pin_module

    disk, clock, state = Disk(monkeypatch), Clock(), tmp_path / "lockout.json"
    answered: list[str] = []
    real_verify = pin_module.verify_pin
    monkeypatch.setattr(pin_module, "verify_pin", lambda pin, stored: answered.append(pin) or real_verify(pin, stored))
    guard = PinGuard(stored, state, clock)
    for _ in range(3):
        assert not guard.check("11111111")
    disk.full = True
    for _ in range(3):  # not recorded, so not even checked: no answer to learn from
        assert not guard.check("22222222")
    assert not guard.check("24681357") and guard.storage_problem and "No space left" in guard.storage_problem
    assert len(answered) == 3 and not guard.ready()
    assert "cannot save the PIN lockout record" in caplog.text
    restarted = PinGuard(stored, state, clock)  # a restart while the disk is still full
    assert not restarted.check("24681357") and restarted.storage_problem
    disk.full = False  # IT frees the disk: no restart needed
    assert restarted.ready() and restarted.storage_problem == ""
    for _ in range(2):
        assert not restarted.check("33333333")
    assert restarted.seconds_locked() == BASE_LOCKOUT_SECONDS  # 3 + 2 guesses answered, across the restart
    assert len(answered) == 5
    assert not PinGuard(stored, state, clock).check("24681357")  # and the lockout is on disk


def test_each_guess_is_recorded_before_it_is_answered(tmp_path: Path, stored: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A kill (or power cut) the moment an answer is known must not forget the guess."""
    import json

    from kiosk.core import pin as pin_module

    state = tmp_path / "lockout.json"
    on_disk: list[dict[str, float]] = []
    real_verify = pin_module.verify_pin

    def verify(pin: str, stored: str) -> bool:
        on_disk.append(json.loads(state.read_text()))
        return real_verify(pin, stored)

    monkeypatch.setattr(pin_module, "verify_pin", verify)
    guard = PinGuard(stored, state, Clock())
    for _ in range(4):
        guard.check("11111111")
    assert [s["failures"] for s in on_disk] == [1, 2, 3, 4]
    guard.check("11111111")  # the fifth: its lockout is saved before the answer
    assert on_disk[-1]["failures"] == 0 and on_disk[-1]["lockouts"] == 1 and on_disk[-1]["locked_until"] > 0
    assert guard.seconds_locked() == BASE_LOCKOUT_SECONDS
    clock = Clock()
    clock.now += BASE_LOCKOUT_SECONDS + 1
    guard.clock = clock
    assert guard.check("24681357")
    assert json.loads(state.read_text()) == {"failures": 0, "lockouts": 0, "locked_until": 0.0}


def test_a_data_folder_that_cannot_exist_keeps_the_pad_shut_until_it_can(tmp_path: Path, stored: str) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be")
    state = blocker / "lockout.json"
    guard = PinGuard(stored, state, Clock())
    assert not guard.ready() and not guard.check("24681357")
    assert str(state) in guard.storage_problem
    blocker.unlink()
    assert guard.ready() and guard.check("24681357")
