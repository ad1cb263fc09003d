"""Reading ``pack.toml``: its bytes, its TOML, and the line of every table and key, so
that each problem is reported as ``file:line: what is wrong``.

The tables themselves are read by :mod:`kiosk.core.content.tables` (and ``[[pages]]``
by :mod:`kiosk.core.content.pages`), with the field readers below.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path
from string import Formatter
from typing import Any

from kiosk.core.content import toml_text
from kiosk.core.content.model import MANIFEST, MAX_MANIFEST_BYTES, MAX_TEXT_CHARS, SHARED_TABLES
from kiosk.core.content.placeholders import substitute
from kiosk.core.content_files import ContentFileError, read_content_file
from kiosk.core.errors import Problem

_TABLE_START = re.compile(r"\s*\[")
_KEY = re.compile(r"\s*([A-Za-z0-9_-]+)\s*=")
# Text that would be a tag if it were rich text. pack.toml texts are shown as plain text.
_TAG = re.compile(r"<[A-Za-z!/?]")


@dataclass(frozen=True)
class Entry:
    """One id'd entry of a manifest table and where it is, for comparing languages."""

    id: str
    line: int  # its ``id = "..."`` line
    start: int  # its [[table]] header line
    details: dict[str, Any] = field(default_factory=dict)  # pages: kind, step, section, illustration


@dataclass
class Manifest:
    """The manifest's text, for turning a table entry or key into a line number; the
    problems found in it; and the ids of its shared tables, in order."""

    path: Path
    lines: list[str]
    problems: list[Problem] = field(default_factory=list)
    ids: dict[str, list[Entry]] = field(default_factory=lambda: {table: [] for table, _ in SHARED_TABLES})
    # Links to another topic's page: (page file, line, topic, page id), checked once every topic is read.
    cross_links: list[tuple[Path, int, str, str]] = field(default_factory=list)
    _keys: dict[int, dict[str, int]] = field(default_factory=dict, repr=False)  # start -> key -> line
    _tables: list[tuple[int, str]] | None = field(default=None, repr=False)

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def header_lines(self, header: str) -> list[int]:
        """Line numbers (1-based) of each ``[header]`` or ``[[header]]`` line."""
        pattern = re.compile(r"^\s*\[\[?\s*" + re.escape(header) + r"\s*\]\]?\s*(#.*)?$")
        return [number for number, text in self._table_lines() if pattern.match(text)]

    def _table_lines(self) -> list[tuple[int, str]]:
        """(line number, text) of the lines that start a table: the few that header_lines
        need to look at (a load asks for dozens of headers, and pack.toml has ~600 lines)."""
        if self._tables is None:
            self._tables = [(i + 1, text) for i, text in enumerate(self.lines) if _TABLE_START.match(text)]
        return self._tables

    def header_line(self, header: str) -> int:
        """The line of the first ``[header]`` (1 when there is none)."""
        return (self.header_lines(header) or [1])[0]

    def key_line(self, start: int, key: str) -> int:
        """Line of ``key = ...`` in the table that starts at ``start`` (else ``start``).
        Each table is scanned once: a table of thousands of keys took seconds, one scan a key."""
        keys = self._keys.get(start)
        if keys is None:
            keys = self._keys[start] = {}
            for i in range(start, len(self.lines)):  # ``start`` is 1-based: index ``start`` is the next line
                text = self.lines[i]
                if _TABLE_START.match(text):
                    break
                match = _KEY.match(text)
                if match:
                    keys.setdefault(match.group(1), i + 1)
        return keys.get(key, max(start, 1))

    def remember(self, table: str, entry_id: str, start: int, **details: Any) -> None:
        """Note an entry's id (the first of duplicates; those are reported already)."""
        if not entry_id or any(e.id == entry_id for e in self.ids[table]):
            return
        self.ids[table].append(Entry(entry_id, self.key_line(start, "id"), start, details))


def decode(path: Path, root: Path, limit: int, problems: list[Problem], advice: str = "") -> str | None:
    """The text of the content file ``path`` (a real file inside ``root``, at most ``limit``
    bytes); ``advice`` follows the message when it is too large."""
    try:
        data = read_content_file(path, root, limit)
    except ContentFileError as exc:
        problems.append(Problem(path, 1, f"this file {exc}" + (f"; {advice}" if exc.too_large and advice else "")))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(Problem(path, line, f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8"))
        return None
    return text.removeprefix("\ufeff")


def toml_error_line(exc: toml_text.TOMLDecodeError) -> tuple[int, str]:
    """(line, message) of a TOML error; line 0 means the end of the document."""
    match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
    if match:
        return int(match.group(1)), str(exc)[: match.start()].strip()
    match = re.search(r"\(at end of document\)", str(exc))
    return (0, str(exc)[: match.start()].strip()) if match else (1, str(exc))


def read_manifest(folder: Path, root: Path, problems: list[Problem]) -> tuple[dict[str, Any], Manifest] | None:
    """The TOML of ``folder``'s manifest and its :class:`Manifest`, or None (with the
    problem added to ``problems``) when it is missing, unreadable or not TOML."""
    path = folder / MANIFEST
    if not path.exists() and not path.is_symlink():
        problems.append(Problem(path, 1, f"manifest {MANIFEST} not found in {folder}"))
        return None
    return read_toml(path, root, problems)


def read_toml(path: Path, root: Path, problems: list[Problem]) -> tuple[dict[str, Any], Manifest] | None:
    """The TOML of the content file ``path`` (inside ``root``) and its :class:`Manifest`, or
    None (with the problem added to ``problems``) when it is unreadable or not TOML."""
    text = decode(path, root, MAX_MANIFEST_BYTES, problems)
    if text is None:
        return None
    try:
        data = toml_text.loads(text)
    except toml_text.TOMLDecodeError as exc:
        line, message = toml_error_line(exc)
        problems.append(Problem(path, line or text.count("\n") + 1, f"bad TOML: {message}"))
        return None
    except RecursionError:  # tomllib recurses once per nesting level
        problems.append(Problem(path, 1, "bad TOML: lists or tables nested too deeply"))
        return None
    return data, Manifest(path, text.splitlines(), problems)


@dataclass(frozen=True)
class Filler:
    """Fills the clinic's details into the manifest's texts; a problem goes to the line given."""

    manifest: Manifest
    values: dict[str, str]

    def plain(self, value: str, line: int) -> str:
        return substitute(value, self.values, lambda message, _offset: self.manifest.error(line, message))

    def ui(self, value: str, line: int) -> str:
        """For a [ui] string, which is a format string: a clinic detail put into one keeps its braces."""
        escaped = {key: detail.replace("{", "{{").replace("}", "}}") for key, detail in self.values.items()}
        return substitute(value, escaped, lambda message, _offset: self.manifest.error(line, message))


# --------------------------------------------------------------------------- field readers


def table(data: dict[str, Any], name: str) -> dict[str, Any]:
    """The manifest's table `name`, or an empty one when it is missing or not a table."""
    value = data.get(name)
    return value if isinstance(value, dict) else {}


def string(entry: dict[str, Any], key: str, manifest: Manifest, start: int, where: str, required: bool = True) -> str:
    """The text ``entry[key]``, stripped; "" (and a problem) when it is missing, empty or not text."""
    value = entry.get(key)
    if value is None:
        if required:
            manifest.error(start, f"{where} is missing '{key}'")
        return ""
    if not isinstance(value, str):
        manifest.error(manifest.key_line(start, key), f"{where}: '{key}' must be text in double quotes")
        return ""
    if required and not value.strip():
        manifest.error(manifest.key_line(start, key), f"{where}: '{key}' is empty")
    return value.strip()


def text(entry: dict[str, Any], key: str, manifest: Manifest, start: int, where: str, limit: int = MAX_TEXT_CHARS,
         required: bool = True) -> str:
    """A text a patient (or staff) reads: :func:`string`, plain text of at most ``limit`` characters."""
    value = string(entry, key, manifest, start, where, required)
    problem = plain_text_problem(value, limit)
    if problem:
        label = f"{where} {key}" if where.startswith("[") else f"{where}: {key}"
        manifest.error(manifest.key_line(start, key), f"{label} {problem}")
    return value


def table_list(data: dict[str, Any], key: str, manifest: Manifest, limit: int) -> list[tuple[dict[str, Any], int]]:
    """The ``[[key]]`` blocks with their header lines: at most ``limit`` of them (more are
    reported, at the first one too many, and not read)."""
    raw = data.get(key, [])
    starts = manifest.header_lines(key)
    if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
        manifest.error(starts[0] if starts else 1, f"'{key}' must be written as [[{key}]] blocks")
        return []
    if not raw:
        manifest.error(1, f"no [[{key}]] blocks")
    if len(raw) > limit:
        manifest.error(starts[limit] if limit < len(starts) else 1,
                       f"too many [[{key}]] blocks ({len(raw):,}; the limit is {limit})")
        raw = raw[:limit]
    return [(entry, starts[i] if i < len(starts) else 1) for i, entry in enumerate(raw)]


def preview(value: str, length: int = 40) -> str:
    return repr(value[:length] + ("…" if len(value) > length else ""))


def plain_text_problem(value: str, limit: int) -> str:
    """Why ``value`` cannot be shown as it is (too long, or holding HTML), or ""."""
    if len(value) > limit:
        return f"is too long ({len(value):,} characters; the limit is {limit:,}); say it in fewer words"
    tag = _TAG.search(value)
    if tag:
        return (f"holds HTML ({preview(value[tag.start():], 30)}); texts in {MANIFEST} are shown exactly as "
                "written: leave the tags out")
    return ""


def format_problem(value: str, allowed: tuple[str, ...]) -> str:
    """Why ``value`` cannot be filled in with ``allowed`` numbers, or "" when it can.

    Only plain ``{name}`` fields: a format spec or conversion (``{n:>300000000}``,
    ``{n:zz}``, ``{n!r}``) hung or crashed the screen that showed it, and an attribute
    or index (``{n.real}``, ``{n[0]}``) is not a name the kiosk fills in."""
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in Formatter().parse(value) if name is not None]
    except ValueError as exc:
        return f"a {{ or }} is not matched ({exc}); write {{{{ or }}}} for a plain brace"
    for name, spec, conversion in fields:
        written = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        if name not in allowed:
            may = ", ".join("{" + a + "}" for a in allowed) or "no {…} numbers"
            return f"unknown {written}; this text may use {may}"
        if spec or conversion:
            return f"{written} is not allowed: write just {{{name}}} (the kiosk fills in the number as it is)"
    return ""


def did_you_mean(name: str, candidates: Iterable[str], prefix: str = "") -> str:
    """``"; did you mean 'x'?"`` naming the closest candidate (ignoring case), or ""."""
    by_folded: dict[str, str] = {}
    for candidate in candidates:
        by_folded.setdefault(candidate.casefold(), candidate)
    match = get_close_matches(name.casefold(), list(by_folded), n=1, cutoff=0.6)
    return f"; did you mean '{prefix}{by_folded[match[0]]}'?" if match else ""
