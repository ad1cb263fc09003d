"""The clinic's one configuration file (TOML), merged over built-in defaults.

An unreadable or invalid file never stops the kiosk: the problem is recorded in
``Settings.problems`` (logged, and shown to staff) and the defaults are used.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from kiosk.core.atomic import write_text_atomic
from kiosk.core.diary import (
    DEFAULT_DAILY_DAYS,
    DEFAULT_SCHEDULE,
    MAX_DAILY_DAYS,
    PAPER_SIZES,
    RETURN_WAYS,
    check_schedule,
    schedule_values,
)

DEMO_CLINIC_NAME = "Demo Pain Clinic"
DEMO_CLINIC_PHONE = "555-0100"  # 555-01xx numbers are reserved for fiction in North America


@dataclass(frozen=True)
class Settings:
    """Every config key, with its default. README.md documents each one."""

    clinic_name: str = DEMO_CLINIC_NAME
    clinic_phone: str = DEMO_CLINIC_PHONE
    emergency_number: str = "911"
    languages: tuple[str, ...] = ("en", "es")
    default_language: str = "en"
    topics: tuple[str, ...] = ()  # empty: every topic folder of the content, by name
    default_topic: str = ""  # empty: the first of topics
    idle_seconds: int = 90
    warning_seconds: int = 20
    content_dir: str = ""  # empty: the content bundled with the kiosk
    pin_hash: str = ""
    statistics: bool = True
    education_record: bool = True  # the printed handout's "Education viewed" box for the chart
    printer: str = ""
    hide_cursor: bool = False
    paper_size: str = "letter"  # or "a4": the handout and the diary
    diary_schedule: tuple[str, ...] = DEFAULT_SCHEDULE  # the pain diary's rows, "H:MM" after the block
    diary_daily_days: int = DEFAULT_DAILY_DAYS  # then one score a day for this many days (0: none)
    diary_return: str = "either"  # how the diary comes back: "bring", "phone" or "either"
    motion: str = "full"  # "reduced": stage pictures stay still (last frame, captions as a list)
    # Several kiosks (README, "Several kiosks"): what this kiosk is called in its status file
    # and statistics export ("" = the host name), where it writes them ("" = the data
    # folder), how often, and whether it follows a synced content folder and config file.
    kiosk_id: str = ""
    status_dir: str = ""
    status_minutes: int = 5
    stats_export_minutes: int = 0  # 0: no export from the kiosk ('kiosk stats export' still works)
    watch_changes: bool = False
    settle_seconds: int = 10  # a synced change counts once nothing has changed for this long
    syncthing_config: str = ""  # this kiosk's Syncthing config.xml: ask it whether a synced folder is complete
    # Not config keys. What went wrong reading the file (``file:line: key: ...``), for
    # the log, the staff panel, check-content and --self-test; where the file is.
    problems: tuple[str, ...] = field(default=(), compare=False)
    source: str = field(default="", compare=False)
    # True when the file may hold a PIN hash that could not be read (an unreadable file,
    # or a pin_hash line that is broken): staff must not be told "no PIN is set".
    pin_hash_lost: bool = field(default=False, compare=False)
    key_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_demo(self) -> bool:
        """True while the clinic name and phone are still the shipped examples."""
        return self.clinic_name == DEMO_CLINIC_NAME or self.clinic_phone == DEMO_CLINIC_PHONE

    def placeholder_values(self) -> dict[str, str]:
        return {
            "clinic_name": self.clinic_name,
            "clinic_phone": self.clinic_phone,
            "emergency_number": self.emergency_number,
            # Not placeholders a page may name: what {{diary_plan}} is made from (kiosk.core.diary).
            **schedule_values(self.diary_schedule, self.diary_daily_days),
        }

    def where(self, key: str) -> str:
        """``file:line: key`` for messages about one key (``file: key`` when the line is unknown)."""
        line = self.key_lines.get(key)
        return f"{self.source or 'config'}:{line}: {key}" if line else f"{self.source or 'config'}: {key}"


_NOT_KEYS = {"problems", "source", "pin_hash_lost", "key_lines"}
_KEYS = {f.name: f for f in fields(Settings) if f.name not in _NOT_KEYS}
_LIMITS = {"idle_seconds": (10, 3600), "warning_seconds": (5, 300), "diary_daily_days": (0, MAX_DAILY_DAYS),
           "status_minutes": (1, 1440), "stats_export_minutes": (0, 10080), "settle_seconds": (1, 3600)}
_CHOICES = {"paper_size": PAPER_SIZES, "diary_return": RETURN_WAYS, "motion": ("full", "reduced")}
_TOPIC_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")  # a topic folder's name (kiosk.core.content.model.ID_PATTERN)
KIOSK_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")  # it names files in the status folder
_KEY_LINE = re.compile(r"^[ \t]*([A-Za-z0-9_-]+)[ \t]*=")
PIN_HASH_PATTERN = re.compile(r"^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$")


def _coerce(key: str, value: Any, default: Any) -> Any:
    """Check one value's type against its default's; raise ValueError with a plain message."""
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("must be a whole number")
        low, high = _LIMITS.get(key, (0, 10**9))
        if not low <= value <= high:
            raise ValueError(f"must be between {low} and {high}")
        return value
    if key == "diary_schedule":
        return check_schedule(value)
    if key == "topics":
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and _TOPIC_ID.match(v) for v in value):
            raise ValueError('must be a list of topic folder names, like ["thoracic-mbb", "thoracic-rfa"]')
        if len(set(value)) != len(value):
            raise ValueError("names a topic twice")
        return tuple(value)
    if isinstance(default, tuple):
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
            raise ValueError('must be a list of language codes, like ["en", "es"]')
        return tuple(value)
    if not isinstance(value, str):
        raise ValueError("must be text in double quotes")
    if key == "default_topic" and not _TOPIC_ID.match(value):
        raise ValueError("must be a topic folder name, like \"thoracic-mbb\"")
    if key in _CHOICES and value not in _CHOICES[key]:
        choices = [f'"{choice}"' for choice in _CHOICES[key]]
        raise ValueError(f"must be {', '.join(choices[:-1])} or {choices[-1]}")
    if key == "kiosk_id" and value and not KIOSK_ID_PATTERN.match(value):
        raise ValueError('must be letters, digits, ".", "_" or "-" (up to 63), like "site2-waiting-room"')
    if key == "syncthing_config" and value and not (os.path.isabs(os.path.expanduser(value)) and value.endswith(".xml")):
        raise ValueError('must be the full path of this kiosk\'s Syncthing config.xml, like '
                         '"/home/kiosk/.config/syncthing/config.xml" (not asking Syncthing)')
    if key == "pin_hash" and value and not PIN_HASH_PATTERN.match(value):
        raise ValueError("is not a hash written by 'kiosk set-pin'")
    return value


def _toml_line(exc: tomllib.TOMLDecodeError) -> int:
    match = re.search(r"at line (\d+)", str(exc))
    return int(match.group(1)) if match else 1


def _key_chunks(text: str) -> list[tuple[str, int, str]]:
    """Each top-level ``key = value`` of ``text`` with its line, continuation lines included."""
    chunks: list[tuple[str, int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _KEY_LINE.match(line)
        if match:
            chunks.append((match.group(1), number, line))
        elif re.match(r"^[ \t]*\[", line) and not (chunks and chunks[-1][2].rstrip().endswith((",", "["))):
            break  # a [table]: nothing after it is a top-level key
        elif chunks:
            key, start, body = chunks[-1]
            chunks[-1] = (key, start, body + "\n" + line)
    return chunks


# Keys whose problem message says the default it falls back to, as it would be written in
# the config (the others' messages are matched as they were). For the diary's keys the
# clinic must know which schedule the kiosk prints instead of theirs.
_SAID_DEFAULTS = ("motion", "paper_size", "diary_schedule", "diary_daily_days", "diary_return")


def _said_default(key: str) -> str:
    """' "full"', ' ["0:15", "0:30"]', ' 14': the default of ``key`` after "using the default"."""
    if key not in _SAID_DEFAULTS:
        return ""
    default = _KEYS[key].default
    if isinstance(default, tuple):
        return " [" + ", ".join(f'"{v}"' for v in default) + "]"
    return f' "{default}"' if isinstance(default, str) else f" {default}"


def _read_values(text: str, source: str, problems: list[str]) -> tuple[dict[str, tuple[Any, int]], set[str]]:
    """Every top-level value with its line. A file that is not valid TOML as a whole is
    read key by key, so one broken line costs only its own key. Returns the values and
    the keys whose lines could not be read."""
    lines = {key: number for key, number, _ in _key_chunks(text)}
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as exc:  # tomllib recurses once per nesting level
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        line = _toml_line(exc) if isinstance(exc, tomllib.TOMLDecodeError) else 1
        problems.append(f"{source}:{line}: not valid TOML ({reason}); every line that can be read is used")
    else:
        return {key: (value, lines.get(key, 1)) for key, value in data.items()}, set()
    values: dict[str, tuple[Any, int]] = {}
    broken: set[str] = set()
    for key, number, chunk in _key_chunks(text):
        try:
            parsed = tomllib.loads(chunk)
        except (tomllib.TOMLDecodeError, RecursionError):
            broken.add(key)
            if key in _KEYS:
                problems.append(f"{source}:{number}: {key}: this line cannot be read; using the default{_said_default(key)}")
            continue
        for parsed_key, value in parsed.items():
            values[parsed_key] = (value, number)
    return values, broken


def parse_settings(text: str, source: str = "config") -> Settings:
    """Settings from TOML text; bad keys or values are skipped and recorded as problems
    naming file, line and key. Every other key keeps its value."""
    problems: list[str] = []
    raw, broken = _read_values(text, source, problems)
    values: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    for key, (value, line) in raw.items():
        spec = _KEYS.get(key)
        if spec is None:
            problems.append(f"{source}:{line}: unknown key {key!r} ignored (known: {', '.join(_KEYS)})")
            continue
        key_lines[key] = line
        try:
            values[key] = _coerce(key, value, spec.default)
        except ValueError as exc:
            problems.append(f"{source}:{line}: {key} {exc}; using the default{_said_default(key)}")
            if key == "pin_hash":
                broken.add(key)
    settings = Settings(**values, source=source, key_lines=key_lines, pin_hash_lost="pin_hash" in broken)
    if settings.default_language not in settings.languages:
        problems.append(f"{settings.where('default_language')}: {settings.default_language!r} is not in languages; "
                        f"using {settings.languages[0]!r}")
        settings = replace(settings, default_language=settings.languages[0])
    if settings.topics and settings.default_topic and settings.default_topic not in settings.topics:
        problems.append(f"{settings.where('default_topic')}: {settings.default_topic!r} is not in topics; "
                        f"using {settings.topics[0]!r}")
        settings = replace(settings, default_topic=settings.topics[0])
    if settings.warning_seconds >= settings.idle_seconds:
        problems.append(f"{settings.where('warning_seconds')}: must be less than idle_seconds; using defaults for both")
        settings = replace(settings, idle_seconds=Settings.idle_seconds, warning_seconds=Settings.warning_seconds)
    return replace(settings, problems=tuple(problems))


def load_settings(path: Path | None) -> Settings:
    """Read the config file at ``path``; a missing, unreadable or invalid file gives defaults."""
    if path is None:
        return Settings()
    source = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return Settings(problems=(f"{path}: config file not found; using defaults",), source=source)
    except OSError as exc:
        return Settings(problems=(f"{path}: cannot read config file ({exc.strerror or exc}); using defaults",),
                        source=source, pin_hash_lost=True)
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return Settings(problems=(f"{path}:{line}: config file is not UTF-8 text; using defaults",), source=source,
                        pin_hash_lost=True)
    return parse_settings(text, source)


def fit_to_content(settings: Settings, content_root: Path) -> Settings:
    """The settings as the content in ``content_root`` can serve them: topics
    (:func:`drop_missing_topics`), then languages (:func:`drop_missing_languages`)."""
    from kiosk.core.content.topics import topic_folders  # (not at import: the settings are read before any content)

    root = Path(content_root)
    return drop_missing_languages(drop_missing_topics(settings, topic_folders(root), root), root)


def drop_missing_languages(settings: Settings, content_root: Path) -> Settings:
    """Leave out configured languages that a served topic has no folder for, with a problem
    naming the config key; the others are served. With none left, nothing changes (the
    content loader then says what is missing)."""
    from kiosk.core.content.topics import topic_folders

    root = Path(content_root)
    topics = [root / topic for topic in (settings.topics or topic_folders(root))]
    present = [code for code in settings.languages if topics and all((topic / code).is_dir() for topic in topics)]
    missing = [code for code in settings.languages if code not in present]
    if not missing or not present:
        return settings
    where = root if len(topics) != 1 else topics[0]
    problems = [f"{settings.where('languages')}: no content for {', '.join(map(repr, missing))} in {where}; "
                f"left out (serving {', '.join(present)})"]
    default = settings.default_language
    if default not in present:
        problems.append(f"{settings.where('default_language')}: {default!r} has no content; using {present[0]!r}")
        default = present[0]
    return replace(settings, languages=tuple(present), default_language=default,
                   problems=settings.problems + tuple(problems))


def drop_missing_topics(settings: Settings, found: list[str], content_root: Path) -> Settings:
    """Resolve ``topics`` and ``default_topic`` against the topic folders ``found`` in the
    content: unset, every topic found and the first of them. A configured topic with no
    folder is left out, with a problem naming the config key (the others are served); a
    ``default_topic`` not served falls back to the first, reported the same way. With
    none left, nothing is dropped (the content loader then says what is missing)."""
    wanted = list(settings.topics) or list(found)
    present = [topic for topic in wanted if topic in found]
    problems: list[str] = []
    missing = [topic for topic in wanted if topic not in present]
    if missing and present:
        problems.append(f"{settings.where('topics')}: no topic folder {', '.join(map(repr, missing))} in {content_root}; "
                        f"left out (serving {', '.join(present)})")
        wanted = present
    default = settings.default_topic or (wanted[0] if wanted else "")
    if wanted and default not in wanted:
        problems.append(f"{settings.where('default_topic')}: {default!r} is not a topic served "
                        f"({', '.join(wanted)}); using {wanted[0]!r}")
        default = wanted[0]
    return replace(settings, topics=tuple(wanted), default_topic=default, problems=settings.problems + tuple(problems))


def ordered_languages(settings: Settings) -> list[str]:
    """Configured languages with the default first."""
    return [settings.default_language] + [lang for lang in settings.languages if lang != settings.default_language]


def env_config_path() -> Path | None:
    value = os.environ.get("KIOSK_CONFIG")
    return Path(value) if value else None


CONFIG_NAME = "kiosk.toml"


def find_config(cli: Path | None, executable_dir: Path | None, system_dir: Path) -> Path | None:
    """The config file to use, first match wins: ``--config`` > ``KIOSK_CONFIG`` >
    kiosk.toml next to the executable > the system config folder > none (defaults)."""
    if cli is not None:
        return cli
    env = env_config_path()
    if env is not None:
        return env
    for folder in (executable_dir, system_dir):
        if folder is not None and (folder / CONFIG_NAME).is_file():
            return folder / CONFIG_NAME
    return None


def set_config_value(path: Path, key: str, value: str) -> None:
    """Set one text key in the config file, keeping every other line; written atomically."""
    if key not in _KEYS:
        raise KeyError(key)
    path = Path(path)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    line = f"{key} = {json.dumps(value)}"  # a JSON string is a valid TOML basic string
    pattern = re.compile(rf"^[ \t]*{re.escape(key)}[ \t]*=.*$", re.MULTILINE)
    if pattern.search(text):
        text = pattern.sub(lambda _m: line, text, count=1)
    else:
        # Top-level keys must come before any [table] header.
        header = re.search(r"^\s*\[", text, re.MULTILINE)
        cut = header.start() if header else len(text)
        before = text[:cut]
        if before and not before.endswith("\n"):
            before += "\n"
        text = before + line + "\n" + text[cut:]
    # Never write a value the kiosk could not read back. Other broken lines do not stop
    # it (the kiosk reads around them, and a new PIN must be settable to recover).
    if getattr(parse_settings(text), key) != value:
        raise ValueError(f"{key} would not read back from {path}; fix the line ('kiosk check-content' names it)")
    write_text_atomic(path, text, create_folder=False)
