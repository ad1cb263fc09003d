"""The staff PIN: salted scrypt hash (OWASP parameters), constant-time check, lockout.

The PIN itself is never stored, logged or kept longer than the check needs.
"""

from __future__ import annotations

import base64
import json
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.atomic import write_text_atomic

log = logging.getLogger(__name__)

SCRYPT_N = 2**17  # OWASP Password Storage Cheat Sheet: N=2^17, r=8, p=1
SCRYPT_R = 8
SCRYPT_P = 1
# A 4-digit PIN fell to an offline search of the config file's hash in about 1.5 h on one
# core (10,000 guesses at ~0.5 s of scrypt each); 6 digits take about 6 days, 8 digits
# about 1.6 years (README recommends 8). Hashes of shorter PINs set before this rule
# still verify: a hash cannot tell its PIN's length, so only set-pin refuses them, and
# the staff panel warns once a short PIN has been typed (see ``is_short``).
MIN_PIN_LENGTH = 6
RECOMMENDED_PIN_LENGTH = 8
MAX_PIN_LENGTH = 12
MAX_FAILURES = 5
BASE_LOCKOUT_SECONDS = 600  # 10 minutes, doubling with each lockout


class PinFormatError(ValueError):
    pass


def check_pin_format(pin: str) -> None:
    """Refuse a new PIN that is not MIN_PIN_LENGTH to MAX_PIN_LENGTH digits."""
    if not pin.isdigit() or not (MIN_PIN_LENGTH <= len(pin) <= MAX_PIN_LENGTH):
        raise PinFormatError(f"the PIN must be {MIN_PIN_LENGTH} to {MAX_PIN_LENGTH} digits "
                             f"({RECOMMENDED_PIN_LENGTH} or more recommended)")


def is_short(pin: str) -> bool:
    """True for a PIN that opens the pad but would no longer be accepted by set-pin
    (one set before 6 digits were required)."""
    return len(pin) < MIN_PIN_LENGTH


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    import hashlib  # OpenSSL loads when a PIN is first checked: ~3 MB and ~3 ms kept off start-up

    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=32)


def hash_pin(pin: str) -> str:
    """``scrypt$<n>$<r>$<p>$<salt>$<hash>`` with a fresh 16-byte salt."""
    check_pin_format(pin)
    import secrets

    salt = secrets.token_bytes(16)
    digest = _scrypt(pin, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    b64 = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_pin(pin: str, stored: str) -> bool:
    """Constant-time comparison against a stored hash; a malformed hash never matches."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest, validate=True)
        actual = _scrypt(pin, base64.b64decode(salt, validate=True), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    import hmac

    return hmac.compare_digest(actual, expected)


def remember_pin_hash(path: Path, stored: str) -> None:
    """Keep a copy of the config's PIN hash in the data folder (only a salted hash, like
    the config), so that a config file that later cannot be read does not lock staff out.
    An empty ``stored`` (the clinic removed the PIN on purpose) removes the copy."""
    path = Path(path)
    try:
        if not stored:
            path.unlink(missing_ok=True)
            return
        if last_good_pin_hash(path) != stored:
            write_text_atomic(path, json.dumps({"pin_hash": stored, "saved": time.strftime("%Y-%m-%d")}), private=True)
    except OSError as exc:
        log.warning("could not keep a copy of the staff PIN hash: %s", exc.strerror or exc)


def last_good_pin_hash(path: Path) -> str:
    """The copy kept by :func:`remember_pin_hash`, or "" when there is none."""
    try:
        value = json.loads(Path(path).read_text(encoding="utf-8")).get("pin_hash", "")
    except (OSError, ValueError, AttributeError):
        return ""
    return value if isinstance(value, str) else ""


def staff_pin_hash(pin_hash: str, pin_hash_lost: bool, config: str, copy_path: Path) -> str:
    """The hash staff PINs are checked against: the config's, or, when the config's could
    not be read, the copy kept from the last config that could (logged, with the way out)."""
    if not pin_hash_lost:
        remember_pin_hash(copy_path, pin_hash)
        return pin_hash
    saved = last_good_pin_hash(copy_path)
    fix = f"fix {config} ('kiosk check-content' names the problem) or set a new PIN as an administrator: kiosk --config {config} set-pin"
    if saved:
        log.error("the staff PIN in %s could not be read; the PIN last read from it still opens the staff panel. To recover: %s",
                  config, fix)
    else:
        log.error("the staff PIN in %s could not be read and no earlier copy exists: the staff panel cannot open. To recover: %s",
                  config, fix)
    return saved


@dataclass
class LockoutState:
    failures: int = 0
    lockouts: int = 0
    locked_until: float = 0.0


class PinGuard:
    """Checks PINs against the configured hash and enforces the lockout, kept on disk.

    Fail closed, so that neither a restart nor a disk that cannot be written gives an
    attacker more than MAX_FAILURES guesses per lockout. Before a PIN is checked, the
    state it would leave if it is wrong (one more failure, or the next lockout) is saved;
    only then is the PIN checked, and a right one clears the record again. So every guess
    the kiosk ever answered is on disk before its answer is known: a restart (a power cut,
    a kill at any moment) finds at least as many failures as were answered. A guess that
    cannot be recorded (full or read-only disk, no data folder at all) is not checked: the
    pad stays shut, whatever the clock says, until the record can be written again; each
    attempt tries again, so freeing the disk is enough, no restart needed. While it
    cannot, ``storage_problem`` says why (logged, and shown to staff).

    ``clock`` is injectable so tests need not wait ten minutes.
    """

    def __init__(self, stored_hash: str, state_path: Path, clock: Callable[[], float] = time.time) -> None:
        self.stored_hash = stored_hash
        self.state_path = Path(state_path)
        self.clock = clock
        self.storage_problem = ""  # why the lockout record cannot be saved; "" while it can
        self.state = self._load()

    @property
    def configured(self) -> bool:
        return bool(self.stored_hash)

    def _load(self) -> LockoutState:
        try:
            data = json.loads(self.state_path.read_text(encoding="utf-8"))
            return LockoutState(int(data["failures"]), int(data["lockouts"]), float(data["locked_until"]))
        except (FileNotFoundError, NotADirectoryError):
            # Nothing recorded (no data folder yet, or a file in its way). Safe, because
            # the first guess is recorded before it is checked.
            return LockoutState()
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            # A damaged or unreadable state file must not unlock the pad: treat it as one lockout.
            log.warning("lockout state %s unreadable; starting a fresh lockout to be safe", self.state_path)
            state = LockoutState(0, 1, self.clock() + BASE_LOCKOUT_SECONDS)
            self._save(state)
            return state

    def _save(self, state: LockoutState) -> bool:
        try:
            write_text_atomic(self.state_path, json.dumps(state.__dict__), private=True)
        except OSError as exc:
            problem = f"cannot save the PIN lockout record {self.state_path} ({exc.strerror or exc})"
            if problem != self.storage_problem:
                log.error("%s: the PIN pad stays locked until it can", problem)
            self.storage_problem = problem
            return False
        if self.storage_problem:
            log.warning("the PIN lockout record can be saved again: the PIN pad is open")
            self.storage_problem = ""
        return True

    def ready(self) -> bool:
        """True when a guess could be recorded now. Tries to save the current record, so a
        disk that has been fixed opens the pad at once."""
        return self._save(self.state)

    def seconds_locked(self) -> int:
        return max(0, int(self.state.locked_until - self.clock() + 0.999))

    def _if_wrong(self) -> LockoutState:
        """The state after one more wrong PIN: a failure more, or, at MAX_FAILURES, the next
        lockout (10 minutes, doubling each time)."""
        failures = self.state.failures + 1
        if failures < MAX_FAILURES:
            return LockoutState(failures, self.state.lockouts, self.state.locked_until)
        duration = BASE_LOCKOUT_SECONDS * 2 ** self.state.lockouts
        return LockoutState(0, self.state.lockouts + 1, self.clock() + duration)

    def check(self, pin: str) -> bool:
        """True when ``pin`` is right, the pad is not locked and the guess could be recorded
        first. Never logs the PIN."""
        if not self.configured or self.seconds_locked() > 0:
            return False
        failures = self.state.failures + 1
        if_wrong = self._if_wrong()
        if not self._save(if_wrong):
            return False  # not recorded, so not checked (see the class docstring)
        if verify_pin(pin, self.stored_hash):
            self.state = LockoutState()
            self._save(self.state)  # if this fails, the record holds one failure too many: the safe side
            log.info("staff PIN accepted")
            return True
        self.state = if_wrong
        log.warning("wrong staff PIN (%d of %d)", failures, MAX_FAILURES)
        if self.seconds_locked() > 0:
            log.warning("staff PIN pad locked for %d minutes", math.ceil(self.seconds_locked() / 60))
        return False
