"""The ``[[pages]]`` table: each page's entry, its picture and its rendered Markdown, and
the checks that need all of a pack's pages (links between them, one checklist, one
summary, stage steps in order, the warning signs shown somewhere)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kiosk.core.content import manifest as fields
from kiosk.core.content.kinds import DIARY_KIND
from kiosk.core.content.manifest import Filler, Manifest, plain_text_problem
from kiosk.core.content.markdown import Converters, line_containing, render_page
from kiosk.core.content.model import (
    ID_PATTERN,
    MAX_BEAT_CAPTION_CHARS,
    MAX_PAGES,
    MAX_TITLE_CHARS,
    PAGE_KINDS,
    Illustration,
    Page,
    WarningTier,
)
from kiosk.core.content.motion import Motion, motion_file, read_motion, svg_ids
from kiosk.core.content.pictures import PictureFolder, base_name, find_picture, picture_problem, svg_names
from kiosk.core.content.placeholders import PRACTICE_TOKEN
from kiosk.core.errors import Problem
from kiosk.core.markdown_limits import MAX_PAGE_BYTES, MarkdownBudget
from kiosk.core.render import sanitised_html_to_blocks


def _markdown_files(folder: Path) -> list[str]:
    try:
        return sorted(p.name for p in folder.iterdir() if p.suffix.lower() == ".md" and p.is_file())
    except OSError:
        return []


class SharedReads:
    """What all the packs of one load share: each picture's check and its motion file, read
    once (every language's pack names the same pictures, and each was read once per
    language), and the Markdown converters (building one costs more than a page).
    Every load makes a new one, so a file changed since the last load is read again."""

    def __init__(self) -> None:
        self.converters = Converters()
        self._problems: dict[tuple[Path, Path], str] = {}
        self._motions: dict[Path, tuple[Motion | None, tuple[Problem, ...]]] = {}

    def problem(self, path: Path, root: Path) -> str:
        """:func:`~kiosk.core.content.pictures.picture_problem`."""
        key = (path, root)
        if key not in self._problems:
            self._problems[key] = picture_problem(path, root)
        return self._problems[key]

    def motion(self, picture_path: Path) -> tuple[Motion | None, tuple[Problem, ...]]:
        """:func:`~kiosk.core.content.motion.read_motion` of the picture's motion file."""
        if picture_path not in self._motions:
            motion, problems = read_motion(motion_file(picture_path), svg_ids(picture_path))
            self._motions[picture_path] = motion, tuple(problems)
        return self._motions[picture_path]


def _read_picture(entry: dict[str, Any], manifest: Manifest, fill: Filler, start: int, where: str,
                  picture_dirs: tuple[PictureFolder, ...], reads: SharedReads) -> Illustration | None:
    """The page's ``illustration`` (with its ``alt`` and ``caption``), or None when it has none."""
    picture = fields.string(entry, "illustration", manifest, start, where, required=False)
    if not picture:
        return None
    found = find_picture(picture, picture_dirs)
    if found is None:
        known = svg_names(picture_dirs)
        manifest.error(manifest.key_line(start, "illustration"),
                       f"{where}: illustration {picture!r} not found in "
                       f"{' or '.join(str(place.folder) for place in picture_dirs)}"
                       f"{fields.did_you_mean(base_name(picture), known)} (known: {', '.join(known)})")
        picture_path = picture_dirs[-1].folder / picture
    else:
        picture_path, picture_root = found
        unusable = reads.problem(picture_path, picture_root)
        if unusable:
            manifest.error(manifest.key_line(start, "illustration"), f"{where}: illustration {picture!r} {unusable}")
    alt = fill.plain(fields.text(entry, "alt", manifest, start, where), manifest.key_line(start, "alt"))
    caption = fill.plain(fields.text(entry, "caption", manifest, start, where), manifest.key_line(start, "caption"))
    motion = _read_motion(entry, manifest, fill, start, where, picture_path if found is not None else None, reads)
    return Illustration(picture, picture_path, alt, caption, motion)


def _read_motion(entry: dict[str, Any], manifest: Manifest, fill: Filler, start: int, where: str,
                 picture_path: Path | None, reads: SharedReads) -> Motion | None:
    """The picture's beats (from ``<picture>.motion.toml`` beside it) with this pack's
    ``beats = [...]`` captions: one caption per beat, in every language."""
    captions = entry.get("beats")
    path = None if picture_path is None else motion_file(picture_path)
    if path is None or picture_path is None or not path.is_file():
        if captions is not None and picture_path is not None:
            manifest.error(manifest.key_line(start, "beats"),
                           f"{where}: 'beats' given, but {picture_path.name} has no {motion_file(picture_path).name} beside it")
        return None
    motion, problems = reads.motion(picture_path)
    manifest.problems.extend(problems)
    line = manifest.key_line(start, "beats") if captions is not None else start
    if not isinstance(captions, list) or not all(isinstance(c, str) and c.strip() for c in captions):
        manifest.error(line, f"{where}: its picture moves, so it needs beats = [\"caption of beat 1\", ...] "
                             f"(one short caption for each beat in {path.name})")
        return None
    if motion is None:
        return None
    if len(captions) != len(motion.beats):
        manifest.error(line, f"{where}: {len(captions)} beat captions for the {len(motion.beats)} beats in {path.name}: "
                             "give exactly one caption per beat, in the same order, in every language")
        return None
    texts = []
    for caption in captions:
        problem = plain_text_problem(caption.strip(), MAX_BEAT_CAPTION_CHARS)
        if problem:
            manifest.error(line, f"{where}: beats caption {problem}")
        texts.append(fill.plain(caption.strip(), line))
    return motion.with_captions(tuple(texts))


def _check_practice_scale(page_html: str, kind: str, body: str, path: Path, problems: list[Problem]) -> None:
    """A diary page shows the practice scale once, where it says ``{{practice_scale}}``; no other page does."""
    shown = page_html.count(PRACTICE_TOKEN)
    if kind == DIARY_KIND and shown != 1:
        problems.append(Problem(path, 1 if not shown else line_containing(body, "{{practice_scale}}"),
                                f"a '{DIARY_KIND}' page shows the practice scale once: put {{{{practice_scale}}}} on a line "
                                f"of its own where it goes (found {shown})"))
    elif kind != DIARY_KIND and shown:
        problems.append(Problem(path, line_containing(body, "{{practice_scale}}"),
                                f"{{{{practice_scale}}}} can only be on a page of kind '{DIARY_KIND}' (this page is '{kind}')"))


def read_pages(data: dict[str, Any], manifest: Manifest, fill: Filler, folder: Path, root: Path,
               picture_dirs: tuple[PictureFolder, ...], section_ids: set[str],
               warnings: tuple[WarningTier, ...], reads: SharedReads | None = None) -> tuple[Page, ...]:
    """[[pages]]: every page of the pack in ``folder`` (inside the content folder ``root``),
    rendered, with the pack's ``warnings`` where a page asks for them. ``reads``: the
    pictures already read by this load's other packs."""
    reads = reads or SharedReads()
    problems = manifest.problems
    budget = MarkdownBudget()
    shows_warnings = False
    pages: list[Page] = []
    link_targets: list[tuple[Path, str]] = []
    bodies: dict[Path, str] = {}  # each page's text, read once
    for entry, start in fields.table_list(data, "pages", manifest, MAX_PAGES):
        pid = fields.string(entry, "id", manifest, start, "page")
        where = f"page {pid!r}" if pid else "page"
        if pid and not ID_PATTERN.match(pid):
            manifest.error(manifest.key_line(start, "id"), f"{where}: id must be lower-case letters, digits and '-'")
        if pid and any(p.id == pid for p in pages):
            manifest.error(manifest.key_line(start, "id"), f"duplicate page id {pid!r}")
        kind = fields.string(entry, "kind", manifest, start, where)
        if kind and kind not in PAGE_KINDS:
            manifest.error(manifest.key_line(start, "kind"), f"{where}: kind {kind!r} is not one of {', '.join(PAGE_KINDS)}")
        section = fields.string(entry, "section", manifest, start, where)
        if section and section not in section_ids:
            manifest.error(manifest.key_line(start, "section"), f"{where}: unknown section {section!r} (known: {', '.join(sorted(section_ids))})")
        title = fill.plain(fields.text(entry, "title", manifest, start, where, MAX_TITLE_CHARS), manifest.key_line(start, "title"))
        step = entry.get("step")
        numbered = kind in PAGE_KINDS and PAGE_KINDS[kind].numbered
        if numbered and (isinstance(step, bool) or not isinstance(step, int)):
            manifest.error(manifest.key_line(start, "step"), f"{where}: a {kind} page needs 'step = <number>'")
            step = None
        elif not numbered:
            step = None
        illustration = _read_picture(entry, manifest, fill, start, where, picture_dirs, reads)
        file_name = fields.string(entry, "file", manifest, start, where)
        page_html = ""
        blocks: tuple[str, ...] = ()
        page_path = folder / file_name
        if file_name:
            if "/" in file_name or "\\" in file_name or not (page_path.exists() or page_path.is_symlink()):
                manifest.error(manifest.key_line(start, "file"), f"{where}: page file {file_name!r} not found in {folder}"
                                                                 + fields.did_you_mean(base_name(file_name), _markdown_files(folder)))
            else:
                body = fields.decode(page_path, root, MAX_PAGE_BYTES, problems, advice="split it into two pages")
                if body is not None:
                    bodies[page_path] = body
                    page_html, targets, shown = render_page(page_path, body, fill.values, problems, reads.converters, budget, warnings)
                    shows_warnings = shows_warnings or shown
                    blocks = tuple(b for b in sanitised_html_to_blocks(page_html) if b != PRACTICE_TOKEN)
                    if page_html:
                        _check_practice_scale(page_html, kind, body, page_path, problems)
                    link_targets.extend((page_path, t) for t in targets)
        pages.append(Page(pid, section, kind, title, page_html, tuple(blocks), page_path, step, illustration, line=start))
        manifest.remember("pages", pid, start, kind=kind, step=step, section=section, illustration=illustration is not None)

    page_ids = {p.id for p in pages}
    for path, target in link_targets:
        if "/" in target:  # another topic's page: the library checks it, once every topic is read
            topic, page_id = target.split("/", 1)
            manifest.cross_links.append((path, line_containing(bodies[path], f"{topic}#{page_id}"), topic, page_id))
        elif target not in page_ids:
            problems.append(Problem(path, line_containing(bodies[path], "#" + target),
                                    f"link to unknown page '#{target}'{fields.did_you_mean(target, page_ids, '#')}"
                                    f" (known: {', '.join(sorted(page_ids))})"))
    first_line = manifest.header_line("pages")
    if pages and warnings and not shows_warnings:
        manifest.error(first_line, "no page shows the warning signs: put {{warning_signs}} on a line of its own in the risks page")
    for kind in (k.name for k in PAGE_KINDS.values() if k.exactly_one):
        count = sum(1 for p in pages if p.kind == kind)
        if count != 1:
            manifest.error(first_line, f"the pack needs exactly one '{kind}' page (found {count})")
    steps = [p.step for p in pages if p.kind in PAGE_KINDS and PAGE_KINDS[p.kind].numbered]
    if steps != list(range(1, len(steps) + 1)):
        manifest.error(first_line, f"stage steps must be numbered 1, 2, 3... in order (found {steps})")
    return tuple(pages)
