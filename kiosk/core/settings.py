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
    idle_seconds: int = 90
    warning_seconds: int = 20
    content_dir: str = ""  # empty: the content bundled with the kiosk
    pin_hash: str = ""
    statistics: bool = True
    printer: str = ""
    hide_cursor: bool = False
    # Not a config key: what went wrong reading the file, for the log and staff panel.
    problems: tuple[str, ...] = field(default=(), compare=False)

    @property
    def is_demo(self) -> bool:
        """True while the clinic name and phone are still the shipped examples."""
        return self.clinic_name == DEMO_CLINIC_NAME or self.clinic_phone == DEMO_CLINIC_PHONE

    def placeholder_values(self) -> dict[str, str]:
        return {
            "clinic_name": self.clinic_name,
            "clinic_phone": self.clinic_phone,
            "emergency_number": self.emergency_number,
        }


_KEYS = {f.name: f for f in fields(Settings) if f.name != "problems"}
_LIMITS = {"idle_seconds": (10, 3600), "warning_seconds": (5, 300)}


def _coerce(key: str, value: Any, default: Any) -> Any:
    """Check one value's type against its default's; raise ValueError with a plain message."""
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ValueError(f"{key} must be true or false")
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{key} must be a whole number")
        low, high = _LIMITS.get(key, (0, 10**9))
        if not low <= value <= high:
            raise ValueError(f"{key} must be between {low} and {high}")
        return value
    if isinstance(default, tuple):
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
            raise ValueError(f"{key} must be a list of language codes, like [\"en\", \"es\"]")
        return tuple(value)
    if not isinstance(value, str):
        raise ValueError(f"{key} must be text in double quotes")
    return value


def parse_settings(text: str, source: str = "config") -> Settings:
    """Settings from TOML text; bad keys or values are skipped and recorded as problems."""
    problems: list[str] = []
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return Settings(problems=(f"{source}: not valid TOML ({exc}); using defaults",))
    except RecursionError:  # tomllib recurses once per nesting level
        return Settings(problems=(f"{source}: not valid TOML (nested too deeply); using defaults",))
    values: dict[str, Any] = {}
    for key, value in data.items():
        spec = _KEYS.get(key)
        if spec is None:
            problems.append(f"{source}: unknown key {key!r} ignored")
            continue
        try:
            values[key] = _coerce(key, value, spec.default)
        except ValueError as exc:
            problems.append(f"{source}: {exc}; using the default")
    settings = Settings(**values)
    if settings.default_language not in settings.languages:
        problems.append(f"{source}: default_language {settings.default_language!r} is not in languages; using {settings.languages[0]!r}")
        settings = replace(settings, default_language=settings.languages[0])
    if settings.warning_seconds >= settings.idle_seconds:
        problems.append(f"{source}: warning_seconds must be less than idle_seconds; using defaults for both")
        settings = replace(settings, idle_seconds=Settings.idle_seconds, warning_seconds=Settings.warning_seconds)
    return replace(settings, problems=tuple(problems))


def load_settings(path: Path | None) -> Settings:
    """Read the config file at ``path``; a missing, unreadable or invalid file gives defaults."""
    if path is None:
        return Settings()
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return Settings(problems=(f"{path}: config file not found; using defaults",))
    except OSError as exc:
        return Settings(problems=(f"{path}: cannot read config file ({exc.strerror or exc}); using defaults",))
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return Settings(problems=(f"{path}: config file is not UTF-8 text; using defaults",))
    return parse_settings(text, str(path))


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
    tomllib.loads(text)  # never write a file the kiosk could not read back
    write_text_atomic(path, text)
