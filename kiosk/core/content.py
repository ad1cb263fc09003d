"""Content packs: load, validate and render every language's pages up front.

A pack is a folder ``content/<lang>/`` holding ``pack.toml`` and one Markdown file
per page (format: ``content/README.md``). Loading collects every problem it finds
and raises a single :class:`~kiosk.core.errors.ContentError` naming file and line.
"""

from __future__ import annotations

import html
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from difflib import get_close_matches
from html.parser import HTMLParser
from pathlib import Path
from string import Formatter
from typing import Any

import markdown

from kiosk.core.content_files import ContentFileError, link_problem, read_bounded, read_content_file
from kiosk.core.errors import ContentError, Problem
from kiosk.core.markdown_limits import MAX_PAGE_BYTES, MarkdownBudget
from kiosk.core.render import html_to_blocks, sanitise

MANIFEST = "pack.toml"
PAGE_KINDS = ("info", "stage", "checklist", "summary")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_]*)\s*\}\}")
PLACEHOLDER_KEYS = ("clinic_name", "clinic_phone", "emergency_number")

# Every interface string a language must provide (values: content/<lang>/pack.toml [ui]).
UI_KEYS = (
    "app_title", "welcome_title", "welcome_body", "start", "language", "idle_note",
    "next", "back", "home", "done", "step_of", "page_of", "disclaimer",
    "checklist_hint", "ticked", "not_ticked", "why_label", "summary_count",
    "summary_count_one", "summary_empty", "show_nurse", "idle_title", "idle_body",
    "still_here", "read_aloud", "stop_reading", "text_size", "contrast", "progress",
    "picture", "goodbye", "volume", "print", "printing", "printed", "print_error",
    "qr_show", "qr_hide", "qr_hint", "demo_banner", "start_over_title", "start_over_body", "start_over_yes",
    "start_over_no", "idle_note_one", "idle_body_one", "start_over_body_one",
)
# The {numbers} each interface string may hold; any other {field} is an error.
UI_NUMBERS = {
    "step_of": ("n", "total"), "page_of": ("n", "total"), "summary_count": ("n",),
    "idle_note": ("minutes",), "idle_body": ("seconds",), "start_over_body": ("n",),
    "idle_note_one": ("minutes",), "idle_body_one": ("seconds",), "start_over_body_one": ("n",),
}
MAX_MANIFEST_BYTES = 200_000  # the shipped manifests: 13 kB
# How much a pack may hold. 2,000 questions took 21.7 s in --self-test and 6.2 s from a tap
# to the first page. Shipped packs: 10 pages, 5 sections, 6 groups, 25 questions (12 in
# the largest group), 7 signs in the largest warning tier; the longest title has 46
# characters, section label 11, question 80, "why" 91, any other text 153.
MAX_PAGES = 25
MAX_SECTIONS = 8
MAX_GROUPS = 12
MAX_QUESTIONS = 60
MAX_QUESTIONS_PER_GROUP = 25
MAX_SIGNS_PER_TIER = 12
MAX_LABEL_CHARS = 40  # a section's label (a button in the progress bar), a language's name
MAX_TITLE_CHARS = 120  # a page's or a question group's title
MAX_QUESTION_CHARS = 200  # a question's text, and why to ask it
MAX_TEXT_CHARS = 400  # any other text: [ui], [handout], alt texts, captions, warning signs
# Text that would be a tag if it were rich text. pack.toml texts are shown as plain text.
_TAG = re.compile(r"<[A-Za-z!/?]")
# A clinic may add its own pictures in <content root>/illustrations, beside the language folders.
CLINIC_PICTURES = "illustrations"
MAX_PICTURE_BYTES = 2_000_000
# The first element of an SVG file, after any <?xml ...?>, comments and <!DOCTYPE ...>.
_XML_PROLOG = re.compile(r"(?:\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*", re.DOTALL | re.IGNORECASE)
_SVG_ROOT = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?svg[\s/>]")


def _format_problem(text: str, allowed: tuple[str, ...]) -> str:
    """Why ``text`` cannot be filled in with ``allowed`` numbers, or "" when it can.

    Only plain ``{name}`` fields: a format spec or conversion (``{n:>300000000}``,
    ``{n:zz}``, ``{n!r}``) hung or crashed the screen that showed it, and an attribute
    or index (``{n.real}``, ``{n[0]}``) is not a name the kiosk fills in."""
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in Formatter().parse(text) if name is not None]
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


def is_singular(language: str, count: int) -> bool:
    """The plural rule: does ``language`` say ``count`` things in the singular? (CLDR
    "one": exactly 1 in English and Spanish; 0 and 1 in French and Portuguese.)"""
    if language.split("-")[0] in ("fr", "pt"):
        return count in (0, 1)
    return count == 1


@dataclass(frozen=True)
class Illustration:
    file: str
    path: Path
    alt: str
    caption: str


@dataclass(frozen=True)
class Section:
    id: str
    label: str


@dataclass(frozen=True)
class Page:
    id: str
    section: str
    kind: str
    title: str
    html: str
    blocks: tuple[str, ...]  # plain text of each paragraph/item, for speech and scoring
    source: Path
    step: int | None = None
    illustration: Illustration | None = None
    line: int = field(default=1, compare=False)  # its [[pages]] header in pack.toml


@dataclass(frozen=True)
class QuestionGroup:
    id: str
    title: str


@dataclass(frozen=True)
class Question:
    id: str
    group: str
    text: str
    why: str
    line: int = field(default=1, compare=False)  # its [[questions]] header in pack.toml


@dataclass(frozen=True)
class Review:
    status: str
    reviewed_by: str
    review_date: str
    next_review_due: date | None

    def overdue(self, today: date) -> bool:
        return self.next_review_due is not None and today > self.next_review_due


@dataclass(frozen=True)
class HandoutText:
    """The printed handout's fixed words (``[handout]`` in pack.toml)."""

    title: str
    intro: str
    answer_label: str
    warning_title: str
    date_label: str
    qr_heading: str
    disclaimer: str


HANDOUT_TEXT_KEYS = ("title", "intro", "answer_label", "warning_title", "date_label", "qr_heading", "disclaimer")
# Keys the [handout] table used to have, and where their words went.
HANDOUT_MOVED_KEYS = ("warning_signs", "call_line", "emergency_line")

# The warning signs, written once per language as [[warnings]] tiers, in this order:
# shown on the page that holds {{warning_signs}}, printed on the handout, read aloud.
WARNING_TIERS = ("emergency", "same-day", "after-hours")
WARNINGS_BLOCK = "warning_signs"  # {{warning_signs}}, alone on a line of a page
_WARNINGS_TOKEN = "KIOSKWARNINGSIGNSBLOCK"


@dataclass(frozen=True)
class WarningTier:
    """One tier of warning signs: what to do ("Call 911 now if you have:") and the signs."""

    tier: str
    heading: str
    signs: tuple[str, ...]


def warnings_html(tiers: tuple[WarningTier, ...]) -> str:
    """The tiers as the page and the handout show them: a heading and a list each."""
    e = html.escape
    return "".join(f"<h3>{e(t.heading)}</h3><ul>" + "".join(f"<li>{e(s)}</li>" for s in t.signs) + "</ul>" for t in tiers)


@dataclass(frozen=True)
class ContentPack:
    language: str
    name: str
    version: str
    folder: Path
    review: Review
    ui: dict[str, str]
    sections: tuple[Section, ...]
    pages: tuple[Page, ...]
    groups: tuple[QuestionGroup, ...]
    questions: tuple[Question, ...]
    handout: HandoutText
    warnings: tuple[WarningTier, ...]

    def page(self, page_id: str) -> Page:
        return self.pages[self.page_index(page_id)]

    def page_index(self, page_id: str) -> int:
        for i, page in enumerate(self.pages):
            if page.id == page_id:
                return i
        raise KeyError(page_id)

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    @property
    def stage_count(self) -> int:
        return sum(1 for p in self.pages if p.kind == "stage")

    def first_page_of(self, section_id: str) -> Page:
        return next(p for p in self.pages if p.section == section_id)

    def text(self, key: str, **numbers: int) -> str:
        """An interface string with its ``{n}``-style numbers filled in. For a count that
        the language says in the singular ("1 minute"), ``<key>_one`` is used when the
        pack has it."""
        if len(numbers) == 1 and f"{key}_one" in self.ui and is_singular(self.language, next(iter(numbers.values()))):
            key = f"{key}_one"
        # Every [ui] string is a format string (checked at load: plain {name} fields only),
        # so "{{" shows as "{" whether or not the string has numbers.
        return self.ui[key].format(**numbers)


@dataclass(frozen=True)
class ContentLibrary:
    """Every language's pack, checked to share page ids, question ids and UI keys."""

    packs: dict[str, ContentPack]
    default_language: str

    @property
    def languages(self) -> list[str]:
        return list(self.packs)

    def pack(self, language: str) -> ContentPack:
        return self.packs.get(language) or self.packs[self.default_language]


# --------------------------------------------------------------------------- helpers


@dataclass
class _Manifest:
    """The manifest's text, for turning a table entry or key into a line number."""

    path: Path
    lines: list[str]
    problems: list[Problem] = field(default_factory=list)
    _keys: dict[int, dict[str, int]] = field(default_factory=dict, repr=False)  # start -> key -> line

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def header_lines(self, header: str) -> list[int]:
        """Line numbers (1-based) of each ``[header]`` or ``[[header]]`` line."""
        pattern = re.compile(r"^\s*\[\[?\s*" + re.escape(header) + r"\s*\]\]?\s*(#.*)?$")
        return [i + 1 for i, text in enumerate(self.lines) if pattern.match(text)]

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


_TABLE_START = re.compile(r"\s*\[")
_KEY = re.compile(r"\s*([A-Za-z0-9_-]+)\s*=")


def _decode(path: Path, root: Path, limit: int, problems: list[Problem], advice: str = "") -> str | None:
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


def _toml_error_line(exc: tomllib.TOMLDecodeError) -> tuple[int, str]:
    match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
    if match:
        return int(match.group(1)), str(exc)[: match.start()].strip()
    match = re.search(r"\(at end of document\)", str(exc))
    return (0, str(exc)[: match.start()].strip()) if match else (1, str(exc))


def substitute(text: str, values: dict[str, str], report: Any, escape: bool = False, block_ok: bool = False) -> str:
    """Replace ``{{name}}`` placeholders; ``report(message, offset)`` gets each problem.
    With ``block_ok`` (page text), ``{{warning_signs}}`` alone on its line becomes a token
    that :func:`_render_page` swaps for the warning signs."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == WARNINGS_BLOCK and block_ok:
            start = text.rfind("\n", 0, match.start()) + 1
            end = text.find("\n", match.end())
            line = text[start: end if end >= 0 else len(text)]
            if line.strip() == match.group(0):
                return _WARNINGS_TOKEN
            report(f"{match.group(0)} must stand alone on its own line", match.start())
            return match.group(0)
        if name not in PLACEHOLDER_KEYS:
            known = [*PLACEHOLDER_KEYS, WARNINGS_BLOCK] if block_ok else list(PLACEHOLDER_KEYS)
            report(f"unknown placeholder {match.group(0)} (known: " + ", ".join("{{" + k + "}}" for k in known) + ")",
                   match.start())
            return match.group(0)
        value = values.get(name, "").strip()
        if not value:
            report(f"placeholder {match.group(0)} has no value: set {name} in the config file", match.start())
            return match.group(0)
        return html.escape(value) if escape else value

    return PLACEHOLDER.sub(replace, text)


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a":
            self.links.append(values.get("href") or "")
        elif tag == "img":
            self.images.append(values.get("src") or "")


def did_you_mean(name: str, candidates: Iterable[str], prefix: str = "") -> str:
    """``"; did you mean 'x'?"`` naming the closest candidate (ignoring case), or ""."""
    by_folded: dict[str, str] = {}
    for candidate in candidates:
        by_folded.setdefault(candidate.casefold(), candidate)
    match = get_close_matches(name.casefold(), list(by_folded), n=1, cutoff=0.6)
    return f"; did you mean '{prefix}{by_folded[match[0]]}'?" if match else ""


def _markdown_files(folder: Path) -> list[str]:
    try:
        return sorted(p.name for p in folder.iterdir() if p.suffix.lower() == ".md" and p.is_file())
    except OSError:
        return []


def _line_containing(text: str, needle: str, default: int = 1) -> int:
    if needle:
        index = text.find(needle)
        if index >= 0:
            return text.count("\n", 0, index) + 1
    return default


def _render_page(path: Path, text: str, values: dict[str, str], problems: list[Problem],
                 md: markdown.Markdown, budget: MarkdownBudget,
                 warnings: tuple[WarningTier, ...] = ()) -> tuple[str, list[str], bool]:
    """Render one page's Markdown; returns (sanitised html, in-app link targets, whether it
    shows the warning signs). A ``{{warning_signs}}`` line becomes the pack's warning tiers.
    A page past the Markdown bounds (``budget``) is refused before python-markdown sees it."""

    def report(message: str, offset: int) -> None:
        problems.append(Problem(path, text.count("\n", 0, offset) + 1, message))

    body = substitute(text, values, report, escape=True, block_ok=True)
    if not body.strip():
        problems.append(Problem(path, 1, "page is empty"))
        return "", [], False
    too_much = budget.check(body)
    problems.extend(Problem(path, line, message) for line, message in too_much)
    if too_much or budget.spent:  # (not rendered, but it would have shown the warning signs)
        return "", [], _WARNINGS_TOKEN in body
    md.reset()  # one converter per pack: building one costs more than converting a page
    try:
        raw = md.convert(body)
    except RecursionError:  # the nesting bound should make this unreachable; never a crash
        problems.append(Problem(path, 1, "Markdown nested too deeply: use fewer levels of lists and > quotes"))
        return "", [], False
    html_lines: set[int] = set()
    for block in md.htmlStash.rawHtmlBlocks:
        snippet = str(block).strip()
        if snippet.startswith("<"):  # (entities such as &amp; are stashed too, and are fine)
            first = snippet.splitlines()[0][:40]
            line = _line_containing(body, first, default=_first_tag_line(body))
            if line not in html_lines:  # one report per line, not one per tag
                html_lines.add(line)
                problems.append(Problem(path, line, f"raw HTML is not allowed ({first!r}); write plain Markdown"))
    collector = _LinkCollector()
    collector.feed(raw)
    targets: list[str] = []
    for src in collector.images:
        problems.append(Problem(path, _line_containing(body, src), f"pictures are not allowed in page text ({src!r}); name the page's picture in {MANIFEST}"))
    for href in collector.links:
        if href.startswith("#") and len(href) > 1:
            targets.append(href[1:])
        else:
            problems.append(Problem(path, _line_containing(body, href), f"link {href!r} leaves the kiosk; link only to pages, like (#risks)"))
    block = f"<p>{_WARNINGS_TOKEN}</p>"
    shows_warnings = block in raw
    raw = raw.replace(block, warnings_html(warnings))
    if _WARNINGS_TOKEN in raw:  # e.g. indented into a code block: never show the token itself
        problems.append(Problem(path, _line_containing(text, "{{"), "{{warning_signs}} must stand alone on its own line, not indented"))
    return sanitise(raw), targets, shows_warnings


def _read_warnings(data: dict[str, Any], manifest: _Manifest, subst_plain: Any) -> tuple[WarningTier, ...]:
    """The [[warnings]] tiers: emergency, same-day, after-hours, each with a heading and signs."""
    tiers: list[WarningTier] = []
    entries = _table_list(data, "warnings", manifest, len(WARNING_TIERS))
    for entry, start in entries:
        tier = _string(entry, "tier", manifest, start, "warning tier")
        where = f"warning tier {tier!r}" if tier else "warning tier"
        heading = subst_plain(_text(entry, "heading", manifest, start, where), manifest.key_line(start, "heading"))
        signs = entry.get("signs")
        line = manifest.key_line(start, "signs")
        if not isinstance(signs, list) or not signs or not all(isinstance(sign, str) and sign.strip() for sign in signs):
            manifest.error(line, f'{where}: \'signs\' must be a list of texts, like ["Trouble breathing."], and not empty')
            signs = []
        if len(signs) > MAX_SIGNS_PER_TIER:
            manifest.error(line, f"{where}: too many signs ({len(signs):,}; the limit is {MAX_SIGNS_PER_TIER}); "
                                 "keep the ones that need action")
            signs = signs[:MAX_SIGNS_PER_TIER]
        for sign in signs:
            problem = _plain_text_problem(sign.strip(), MAX_TEXT_CHARS)
            if problem:
                manifest.error(line, f"{where}: the sign {_preview(sign)} {problem}")
        tiers.append(WarningTier(tier, heading, tuple(subst_plain(sign.strip(), line) for sign in signs)))
    found = [t.tier for t in tiers]
    if entries and found != list(WARNING_TIERS):
        manifest.error(entries[0][1], f"the warning signs need three [[warnings]] tiers, in this order: "
                                      f"{', '.join(WARNING_TIERS)} (found: {', '.join(found) or 'none'})")
    return tuple(tiers)


def _base_name(name: str) -> str:
    """The last part of a name an editor may have written with a folder ("pictures/a.svg")."""
    return name.replace("\\", "/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class _PictureFolder:
    """Where pictures are looked for, and the folder they must really be inside."""

    folder: Path
    root: Path  # the content folder for the clinic's own pictures; the folder itself for bundled ones


def _find_picture(name: str, folders: tuple[_PictureFolder, ...]) -> tuple[Path, Path] | None:
    """(path, root) of the picture ``name`` in the first of ``folders`` that has it (a plain name only)."""
    if "/" in name or "\\" in name:
        return None
    for place in folders:
        path = place.folder / name
        if path.is_file() or path.is_symlink():  # a link is found, to be refused as one
            return path, place.root
    return None


def _picture_problem(path: Path, root: Path) -> str:
    """Why the picture at ``path`` cannot be shown, or "" when it is a readable SVG file really inside ``root``."""
    if path.suffix.lower() != ".svg":
        return f"({path}) is not an SVG file; pictures must be drawings saved as .svg"
    unsafe = link_problem(path, root)
    if unsafe:
        return f"({path}) {unsafe}"
    try:
        data = read_bounded(path, MAX_PICTURE_BYTES)
    except ContentFileError as exc:
        return f"({path}) {exc}" + ("; save it as plain SVG without embedded photos" if exc.too_large else "")
    text = data.decode("utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8", errors="replace")
    text = text.removeprefix("\ufeff")
    prolog = _XML_PROLOG.match(text)
    if not _SVG_ROOT.match(text, prolog.end() if prolog else 0):
        return f"({path}) is not an SVG drawing (it does not start with <svg>); save it again as SVG"
    return ""


def _svg_names(folders: tuple[_PictureFolder, ...]) -> list[str]:
    names: set[str] = set()
    for place in folders:
        try:
            names.update(p.name for p in place.folder.iterdir() if p.suffix.lower() == ".svg")
        except OSError:  # a folder that does not exist (yet) has no pictures
            continue
    return sorted(names)


def _first_tag_line(text: str) -> int:
    match = re.search(r"<[A-Za-z!/?]", text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _preview(text: str, length: int = 40) -> str:
    return repr(text[:length] + ("…" if len(text) > length else ""))


def _plain_text_problem(text: str, limit: int) -> str:
    """Why ``text`` cannot be shown as it is (too long, or holding HTML), or ""."""
    if len(text) > limit:
        return f"is too long ({len(text):,} characters; the limit is {limit:,}); say it in fewer words"
    tag = _TAG.search(text)
    if tag:
        return (f"holds HTML ({_preview(text[tag.start():], 30)}); texts in {MANIFEST} are shown exactly as "
                "written: leave the tags out")
    return ""


def _text(entry: dict[str, Any], key: str, manifest: _Manifest, start: int, where: str, limit: int = MAX_TEXT_CHARS,
          required: bool = True) -> str:
    """A text a patient (or staff) reads: :func:`_string`, plain text of at most ``limit`` characters."""
    value = _string(entry, key, manifest, start, where, required)
    problem = _plain_text_problem(value, limit)
    if problem:
        label = f"{where} {key}" if where.startswith("[") else f"{where}: {key}"
        manifest.error(manifest.key_line(start, key), f"{label} {problem}")
    return value


def _table(data: dict[str, Any], name: str) -> dict[str, Any]:
    """The manifest's table `name`, or an empty one when it is missing or not a table."""
    value = data.get(name)
    return value if isinstance(value, dict) else {}


def _string(entry: dict[str, Any], key: str, manifest: _Manifest, start: int, where: str, required: bool = True) -> str:
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


def _table_list(data: dict[str, Any], key: str, manifest: _Manifest, limit: int) -> list[tuple[dict[str, Any], int]]:
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


# --------------------------------------------------------------------------- loading

# The id tables every language must share, with the words problems name them by.
SHARED_TABLES = (("pages", "page ids"), ("questions", "question ids"), ("groups", "group ids"),
                 ("sections", "section ids"))


@dataclass(frozen=True)
class _Entry:
    """One id'd entry of a manifest table and where it is, for comparing languages."""

    id: str
    line: int  # its ``id = "..."`` line
    start: int  # its [[table]] header line
    details: dict[str, Any] = field(default_factory=dict)  # pages: kind, step, section, illustration


@dataclass
class _PackResult:
    """What reading one pack gave: the pack when it has no problems, and always the ids
    it could parse, so that languages can be compared while other problems remain."""

    folder: Path
    problems: list[Problem]
    manifest: _Manifest | None = None
    pack: ContentPack | None = None
    entries: dict[str, list[_Entry]] = field(default_factory=lambda: {table: [] for table, _ in SHARED_TABLES})

    def remember(self, table: str, entry_id: str, start: int, **details: Any) -> None:
        """Note an entry's id (the first of duplicates; those are reported already)."""
        if self.manifest is None or not entry_id or any(e.id == entry_id for e in self.entries[table]):
            return
        self.entries[table].append(_Entry(entry_id, self.manifest.key_line(start, "id"), start, details))


def _by_file_and_line(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (str(p.path), p.line))


def load_pack(folder: Path, values: dict[str, str], illustrations_dir: Path) -> ContentPack:
    """Load, validate and render the pack in ``folder``; raise ContentError listing all faults."""
    folder = Path(folder)
    result = _read_pack(folder, folder.parent, values, (_PictureFolder(Path(illustrations_dir), Path(illustrations_dir)),))
    if result.pack is None:
        raise ContentError(_by_file_and_line(result.problems))
    return result.pack


def _read_pack(folder: Path, root: Path, values: dict[str, str], picture_dirs: tuple[_PictureFolder, ...]) -> _PackResult:
    """Read, validate and render one pack in ``root`` (the content folder), collecting its
    problems instead of raising."""
    manifest_path = folder / MANIFEST
    problems: list[Problem] = []
    result = _PackResult(folder, problems)
    if not manifest_path.exists() and not manifest_path.is_symlink():
        problems.append(Problem(manifest_path, 1, f"manifest {MANIFEST} not found in {folder}"))
        return result
    text = _decode(manifest_path, root, MAX_MANIFEST_BYTES, problems)
    if text is None:
        return result
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, message = _toml_error_line(exc)
        problems.append(Problem(manifest_path, line or text.count("\n") + 1, f"bad TOML: {message}"))
        return result
    except RecursionError:  # tomllib recurses once per nesting level
        problems.append(Problem(manifest_path, 1, "bad TOML: lists or tables nested too deeply"))
        return result
    manifest = _Manifest(manifest_path, text.splitlines(), problems)
    result.manifest = manifest

    def subst_plain(value: str, line: int) -> str:
        return substitute(value, values, lambda message, _offset: manifest.error(line, message))

    # A [ui] string is a format string: a clinic detail put into one keeps its braces.
    ui_values = {key: value.replace("{", "{{").replace("}", "}}") for key, value in values.items()}

    def subst_ui(value: str, line: int) -> str:
        return substitute(value, ui_values, lambda message, _offset: manifest.error(line, message))

    # [pack]
    pack_table = _table(data, "pack")
    pack_line = (manifest.header_lines("pack") or [1])[0]
    if "pack" not in data:
        manifest.error(1, "missing [pack] table (language, name, version)")
    language = _string(pack_table, "language", manifest, pack_line, "[pack]")
    if language and language != folder.name:
        manifest.error(manifest.key_line(pack_line, "language"), f"[pack] language {language!r} does not match the folder name {folder.name!r}")
    name = _text(pack_table, "name", manifest, pack_line, "[pack]", MAX_LABEL_CHARS)
    version = _string(pack_table, "version", manifest, pack_line, "[pack]")

    # [review]
    review_table = _table(data, "review")
    review_line = (manifest.header_lines("review") or [1])[0]
    if "review" not in data:
        manifest.error(1, "missing [review] table (status, reviewed_by, review_date, next_review_due)")
    due: date | None = None
    for key in ("review_date", "next_review_due"):
        raw_value = review_table.get(key, "")
        if isinstance(raw_value, datetime):  # a TOML date-time: the day is what matters
            raw_value = raw_value.date()
        if isinstance(raw_value, date):
            if key == "next_review_due":
                due = raw_value
            continue
        if raw_value:
            try:
                parsed = date.fromisoformat(str(raw_value))
            except ValueError:
                manifest.error(manifest.key_line(review_line, key), f"[review] {key} {raw_value!r} is not a date like 2027-05-31")
                continue
            if key == "next_review_due":
                due = parsed
    review = Review(
        status=_string(review_table, "status", manifest, review_line, "[review]") or "pending clinical review",
        reviewed_by=str(review_table.get("reviewed_by", "")),
        review_date=str(review_table.get("review_date", "")),
        next_review_due=due,
    )

    # [ui]
    ui_table = _table(data, "ui")
    ui_line = (manifest.header_lines("ui") or [1])[0]
    if "ui" not in data:
        manifest.error(1, "missing [ui] table (the interface words)")
    ui: dict[str, str] = {}
    for key in UI_KEYS:
        if key not in ui_table:
            if "ui" in data:
                manifest.error(ui_line, f"[ui] is missing '{key}'")
            continue
        ui[key] = subst_ui(_text(ui_table, key, manifest, ui_line, "[ui]"), manifest.key_line(ui_line, key))
        problem = _format_problem(ui[key], UI_NUMBERS.get(key, ()))
        if problem:
            manifest.error(manifest.key_line(ui_line, key), f"[ui] {key}: {problem}")
    for key in ui_table:
        if key not in UI_KEYS:
            manifest.error(manifest.key_line(ui_line, key), f"[ui] has unknown key '{key}' (known: {', '.join(UI_KEYS)})")

    # [handout]
    handout_table = _table(data, "handout")
    handout_line = (manifest.header_lines("handout") or [1])[0]
    if "handout" not in data:
        manifest.error(1, "missing [handout] table (the printed handout's words)")
    handout_values = {
        key: subst_plain(_text(handout_table, key, manifest, handout_line, "[handout]", required="handout" in data),
                         manifest.key_line(handout_line, key))
        for key in HANDOUT_TEXT_KEYS
    }
    for key in handout_table:
        if key in HANDOUT_MOVED_KEYS:
            manifest.error(manifest.key_line(handout_line, key),
                           f"[handout] {key} has moved: the warning signs are written once, as three [[warnings]] "
                           "tiers (emergency, same-day, after-hours) that the risks page and the handout share; "
                           "see content/README.md")
        elif key not in HANDOUT_TEXT_KEYS:
            manifest.error(manifest.key_line(handout_line, key),
                           f"[handout] has unknown key '{key}' (known: {', '.join(HANDOUT_TEXT_KEYS)})")
    handout = HandoutText(**handout_values)
    warnings = _read_warnings(data, manifest, subst_plain)

    # [[sections]]
    sections: list[Section] = []
    for entry, start in _table_list(data, "sections", manifest, MAX_SECTIONS):
        sid = _string(entry, "id", manifest, start, "section")
        if sid and any(s.id == sid for s in sections):
            manifest.error(manifest.key_line(start, "id"), f"duplicate section id {sid!r}")
        result.remember("sections", sid, start)
        label = _text(entry, "label", manifest, start, f"section {sid!r}", MAX_LABEL_CHARS)
        sections.append(Section(sid, subst_plain(label, start)))
    section_ids = {s.id for s in sections}

    # [[pages]]
    converter = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    budget = MarkdownBudget()
    shows_warnings = False
    pages: list[Page] = []
    link_targets: list[tuple[Path, str]] = []
    bodies: dict[Path, str] = {}  # each page's text, read once
    for entry, start in _table_list(data, "pages", manifest, MAX_PAGES):
        pid = _string(entry, "id", manifest, start, "page")
        where = f"page {pid!r}" if pid else "page"
        if pid and not ID_PATTERN.match(pid):
            manifest.error(manifest.key_line(start, "id"), f"{where}: id must be lower-case letters, digits and '-'")
        if pid and any(p.id == pid for p in pages):
            manifest.error(manifest.key_line(start, "id"), f"duplicate page id {pid!r}")
        kind = _string(entry, "kind", manifest, start, where)
        if kind and kind not in PAGE_KINDS:
            manifest.error(manifest.key_line(start, "kind"), f"{where}: kind {kind!r} is not one of {', '.join(PAGE_KINDS)}")
        section = _string(entry, "section", manifest, start, where)
        if section and section not in section_ids:
            manifest.error(manifest.key_line(start, "section"), f"{where}: unknown section {section!r} (known: {', '.join(sorted(section_ids))})")
        title = subst_plain(_text(entry, "title", manifest, start, where, MAX_TITLE_CHARS), manifest.key_line(start, "title"))
        step = entry.get("step")
        if kind == "stage" and (isinstance(step, bool) or not isinstance(step, int)):
            manifest.error(manifest.key_line(start, "step"), f"{where}: a stage page needs 'step = <number>'")
            step = None
        elif kind != "stage":
            step = None
        illustration = None
        picture = _string(entry, "illustration", manifest, start, where, required=False)
        if picture:
            found = _find_picture(picture, picture_dirs)
            if found is None:
                known = _svg_names(picture_dirs)
                manifest.error(manifest.key_line(start, "illustration"),
                               f"{where}: illustration {picture!r} not found in "
                               f"{' or '.join(str(place.folder) for place in picture_dirs)}"
                               f"{did_you_mean(_base_name(picture), known)} (known: {', '.join(known)})")
                picture_path = picture_dirs[-1].folder / picture
            else:
                picture_path, picture_root = found
                unusable = _picture_problem(picture_path, picture_root)
                if unusable:
                    manifest.error(manifest.key_line(start, "illustration"), f"{where}: illustration {picture!r} {unusable}")
            alt = subst_plain(_text(entry, "alt", manifest, start, where), manifest.key_line(start, "alt"))
            caption = subst_plain(_text(entry, "caption", manifest, start, where), manifest.key_line(start, "caption"))
            illustration = Illustration(picture, picture_path, alt, caption)
        file_name = _string(entry, "file", manifest, start, where)
        page_html = ""
        blocks: tuple[str, ...] = ()
        page_path = folder / file_name
        if file_name:
            if "/" in file_name or "\\" in file_name or not (page_path.exists() or page_path.is_symlink()):
                manifest.error(manifest.key_line(start, "file"), f"{where}: page file {file_name!r} not found in {folder}"
                                                                 + did_you_mean(_base_name(file_name), _markdown_files(folder)))
            else:
                body = _decode(page_path, root, MAX_PAGE_BYTES, problems, advice="split it into two pages")
                if body is not None:
                    bodies[page_path] = body
                    page_html, targets, shown = _render_page(page_path, body, values, problems, converter, budget, warnings)
                    shows_warnings = shows_warnings or shown
                    blocks = tuple(html_to_blocks(page_html))
                    link_targets.extend((page_path, t) for t in targets)
        pages.append(Page(pid, section, kind, title, page_html, tuple(blocks), page_path, step, illustration, line=start))
        result.remember("pages", pid, start, kind=kind, step=step, section=section, illustration=bool(picture))

    page_ids = {p.id for p in pages}
    for path, target in link_targets:
        if target not in page_ids:
            problems.append(Problem(path, _line_containing(bodies[path], "#" + target),
                                    f"link to unknown page '#{target}'{did_you_mean(target, page_ids, '#')}"
                                    f" (known: {', '.join(sorted(page_ids))})"))
    if pages and warnings and not shows_warnings:
        manifest.error((manifest.header_lines("pages") or [1])[0],
                       "no page shows the warning signs: put {{warning_signs}} on a line of its own in the risks page")
    for kind in ("checklist", "summary"):
        count = sum(1 for p in pages if p.kind == kind)
        if count != 1:
            manifest.error((manifest.header_lines("pages") or [1])[0], f"the pack needs exactly one '{kind}' page (found {count})")
    steps = [p.step for p in pages if p.kind == "stage"]
    if steps != list(range(1, len(steps) + 1)):
        manifest.error((manifest.header_lines("pages") or [1])[0], f"stage steps must be numbered 1, 2, 3... in order (found {steps})")

    # [[groups]] and [[questions]]
    groups: list[QuestionGroup] = []
    for entry, start in _table_list(data, "groups", manifest, MAX_GROUPS):
        gid = _string(entry, "id", manifest, start, "group")
        if gid and any(g.id == gid for g in groups):
            manifest.error(manifest.key_line(start, "id"), f"duplicate group id {gid!r}")
        result.remember("groups", gid, start)
        title = _text(entry, "title", manifest, start, f"group {gid!r}", MAX_TITLE_CHARS)
        groups.append(QuestionGroup(gid, subst_plain(title, start)))
    group_ids = {g.id for g in groups}
    questions: list[Question] = []
    per_group: dict[str, int] = {}
    for entry, start in _table_list(data, "questions", manifest, MAX_QUESTIONS):
        qid = _string(entry, "id", manifest, start, "question")
        where = f"question {qid!r}" if qid else "question"
        if qid and not ID_PATTERN.match(qid):
            manifest.error(manifest.key_line(start, "id"), f"{where}: id must be lower-case letters, digits and '-'")
        if qid and any(q.id == qid for q in questions):
            manifest.error(manifest.key_line(start, "id"), f"duplicate question id {qid!r}")
        result.remember("questions", qid, start)
        group = _string(entry, "group", manifest, start, where)
        if group and group not in group_ids:
            manifest.error(manifest.key_line(start, "group"), f"{where}: unknown group {group!r} (known: {', '.join(sorted(group_ids))})")
        per_group[group] = per_group.get(group, 0) + 1
        if group and per_group[group] == MAX_QUESTIONS_PER_GROUP + 1:
            manifest.error(manifest.key_line(start, "group"), f"{where}: group {group!r} has more than "
                                                              f"{MAX_QUESTIONS_PER_GROUP} questions; split it into two groups")
        questions.append(Question(
            qid, group,
            subst_plain(_text(entry, "text", manifest, start, where, MAX_QUESTION_CHARS), manifest.key_line(start, "text")),
            subst_plain(_text(entry, "why", manifest, start, where, MAX_QUESTION_CHARS), manifest.key_line(start, "why")),
            line=start,
        ))

    if not problems:
        result.pack = ContentPack(language, name, version, folder, review, ui, tuple(sections), tuple(pages),
                                  tuple(groups), tuple(questions), handout, warnings)
    return result


def load_library(content_root: Path, languages: list[str], values: dict[str, str], illustrations_dir: Path) -> ContentLibrary:
    """Load every language in ``languages``; check they share page, question and UI ids.

    A page's picture is looked up in ``<content_root>/illustrations`` (the clinic's own,
    added without a rebuild) before the bundled ``illustrations_dir``.

    Every problem of every language is reported in one go, sorted by file and line:
    the ids are compared even when a pack has other problems.
    """
    content_root = Path(content_root)
    picture_dirs = (_PictureFolder(content_root / CLINIC_PICTURES, content_root),  # the clinic's own first
                    _PictureFolder(Path(illustrations_dir), Path(illustrations_dir)))
    problems: list[Problem] = []
    results: dict[str, _PackResult] = {}
    for language in languages:
        folder = content_root / language
        if not folder.is_dir():
            problems.append(Problem(folder, 1, f"language folder {language!r} not found in {content_root}"))
            continue
        results[language] = _read_pack(folder, content_root, values, picture_dirs)
        problems.extend(results[language].problems)
    if not results and not problems:
        problems.append(Problem(content_root, 1, "no languages configured"))
    problems.extend(_compare_packs(list(results.values())))
    if problems:
        raise ContentError(_by_file_and_line(problems))
    return ContentLibrary({language: result.pack for language, result in results.items() if result.pack is not None},
                          languages[0])


def _compare_packs(results: list[_PackResult]) -> list[Problem]:
    """Every language must have the same pages, questions, groups and sections, in order.

    Each difference is reported at the line of the entry it concerns, in the pack that
    differs from the first language whose manifest could be read.
    """
    readable = [r for r in results if r.manifest is not None]
    if len(readable) < 2:
        return []
    reference = readable[0]
    problems: list[Problem] = []
    for other in readable[1:]:
        for table, label in SHARED_TABLES:
            ours, theirs = reference.entries[table], other.entries[table]
            if ours and theirs:  # an empty or malformed table is reported already
                problems.extend(_compare_ids(label, reference.folder.name, ours, theirs, other.folder / MANIFEST))
        problems.extend(_compare_pages(reference, other))
    return problems


def _compare_ids(label: str, reference: str, ours: list[_Entry], theirs: list[_Entry], path: Path) -> list[Problem]:
    """Ids ``theirs`` has and ``ours`` lacks (with the closest id), ids it lacks, and order."""
    problems: list[Problem] = []
    our_ids = [e.id for e in ours]
    known = set(our_ids)
    their_lines = {e.id: e.line for e in theirs}
    missing = [i for i in our_ids if i not in their_lines]
    explained: set[str] = set()
    for entry in theirs:
        if entry.id in known:
            continue
        # A misspelt id is usually the one this pack lacks: suggest those first.
        guess = get_close_matches(entry.id, missing, n=1) or get_close_matches(entry.id, our_ids, n=1)
        if guess:
            explained.add(guess[0])
            advice = f"did you mean {guess[0]!r}" + (" (which is missing here)?" if guess[0] in missing else "?")
        else:
            advice = "every language needs the same ids"
        problems.append(Problem(path, entry.line, f"{label} differ from {reference!r}: {entry.id!r} is not in {reference!r}; {advice}"))
    for index, missing_id in enumerate(our_ids):
        if missing_id in their_lines or missing_id in explained:
            continue
        before = next((i for i in reversed(our_ids[:index]) if i in their_lines), None)
        after = next((i for i in our_ids[index + 1:] if i in their_lines), None)
        if before is not None:
            line, place = their_lines[before], f"after {before!r}"
        elif after is not None:
            line, place = their_lines[after], f"before {after!r}"
        else:
            line, place = theirs[0].start, "here"
        problems.append(Problem(path, line, f"{label} differ from {reference!r}: {missing_id!r} is missing; add it {place}, as in {reference!r}"))
    common_ours = [i for i in our_ids if i in their_lines]
    common_theirs = [e.id for e in theirs if e.id in known]
    for expected, found in zip(common_ours, common_theirs, strict=False):
        if expected != found:
            problems.append(Problem(path, their_lines[found], f"{label} differ from {reference!r}: different order; "
                                                             f"{reference!r} has {expected!r} here, not {found!r}"))
            break
    return problems


def _compare_pages(reference: _PackResult, other: _PackResult) -> list[Problem]:
    """A page shared by two languages must have the same kind, step, section and picture or none."""
    assert other.manifest is not None
    problems: list[Problem] = []
    path = other.folder / MANIFEST
    ours = {e.id: e for e in reference.entries["pages"]}
    for entry in other.entries["pages"]:
        mine = ours.get(entry.id)
        if mine is None:
            continue
        language = reference.folder.name
        # (a step counts only on stage pages: a kind that differs says it all)
        keys = ("kind", "section") if entry.details.get("kind") != mine.details.get("kind") else ("kind", "step", "section")
        differ = [key for key in keys if entry.details.get(key) != mine.details.get(key)]
        if differ:
            detail = ", ".join(f"{key} {entry.details.get(key)!r} ({language}: {mine.details.get(key)!r})" for key in differ)
            problems.append(Problem(path, other.manifest.key_line(entry.start, differ[0]),
                                    f"page {entry.id!r} differs from {language!r}: {detail}"))
        if entry.details.get("illustration") != mine.details.get("illustration"):
            if entry.details.get("illustration"):
                line, has = other.manifest.key_line(entry.start, "illustration"), "has a picture here but not"
            else:
                line, has = entry.line, "has no picture here but one"
            problems.append(Problem(path, line, f"page {entry.id!r} {has} in {language!r}"))
    return problems
