"""Load, validate and render every language's pack up front.

A pack is a folder ``content/<lang>/`` holding ``pack.toml`` and one Markdown file per
page (format: ``content/README.md``). Loading collects every problem it finds, in every
language, and raises a single :class:`~kiosk.core.errors.ContentError` naming file and
line. Every language must have the same pages, questions, groups and sections.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path

from kiosk.core.content import tables
from kiosk.core.content.manifest import Entry, Filler, Manifest, read_manifest
from kiosk.core.content.model import CLINIC_PICTURES, MANIFEST, SHARED_TABLES, ContentLibrary, ContentPack
from kiosk.core.content.pages import read_pages
from kiosk.core.content.pictures import PictureFolder
from kiosk.core.errors import ContentError, Problem


@dataclass
class _PackResult:
    """What reading one pack gave: the pack when it has no problems, and always the
    manifest (when it could be parsed) with the ids it holds, so that languages can be
    compared while other problems remain."""

    folder: Path
    problems: list[Problem]
    manifest: Manifest | None = None
    pack: ContentPack | None = None


def _by_file_and_line(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (str(p.path), p.line))


def load_pack(folder: Path, values: dict[str, str], illustrations_dir: Path) -> ContentPack:
    """Load, validate and render the pack in ``folder``; raise ContentError listing all faults."""
    folder = Path(folder)
    result = _read_pack(folder, folder.parent, values, (PictureFolder(Path(illustrations_dir), Path(illustrations_dir)),))
    if result.pack is None:
        raise ContentError(_by_file_and_line(result.problems))
    return result.pack


def _read_pack(folder: Path, root: Path, values: dict[str, str], picture_dirs: tuple[PictureFolder, ...]) -> _PackResult:
    """Read, validate and render one pack in ``root`` (the content folder), collecting its
    problems instead of raising."""
    problems: list[Problem] = []
    result = _PackResult(folder, problems)
    parsed = read_manifest(folder, root, problems)
    if parsed is None:
        return result
    data, manifest = parsed
    result.manifest = manifest
    fill = Filler(manifest, values)
    # In the order of the tables in the shipped manifests (problems are sorted by line anyway).
    header = tables.read_pack_header(data, manifest, folder.name)
    review = tables.read_review(data, manifest)
    ui = tables.read_ui(data, manifest, fill)
    handout = tables.read_handout(data, manifest, fill)
    warnings = tables.read_warnings(data, manifest, fill)
    sections = tables.read_sections(data, manifest, fill)
    pages = read_pages(data, manifest, fill, folder, root, picture_dirs, {s.id for s in sections}, warnings)
    groups = tables.read_groups(data, manifest, fill)
    questions = tables.read_questions(data, manifest, fill, {g.id for g in groups})
    if not problems:
        result.pack = ContentPack(header.language, header.name, header.version, folder, review, ui, sections, pages,
                                  groups, questions, handout, warnings)
    return result


def load_library(content_root: Path, languages: list[str], values: dict[str, str], illustrations_dir: Path) -> ContentLibrary:
    """Load every language in ``languages``; check they share page, question and UI ids.

    A page's picture is looked up in ``<content_root>/illustrations`` (the clinic's own,
    added without a rebuild) before the bundled ``illustrations_dir``.

    Every problem of every language is reported in one go, sorted by file and line:
    the ids are compared even when a pack has other problems.
    """
    content_root = Path(content_root)
    picture_dirs = (PictureFolder(content_root / CLINIC_PICTURES, content_root),  # the clinic's own first
                    PictureFolder(Path(illustrations_dir), Path(illustrations_dir)))
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


# --------------------------------------------------------------------------- comparing languages


def _compare_packs(results: list[_PackResult]) -> list[Problem]:
    """Every language must have the same pages, questions, groups and sections, in order.

    Each difference is reported at the line of the entry it concerns, in the pack that
    differs from the first language whose manifest could be read.
    """
    readable = [(r.folder, r.manifest) for r in results if r.manifest is not None]
    if len(readable) < 2:
        return []
    (reference, ours), problems = readable[0], []
    for folder, theirs in readable[1:]:
        for table, label in SHARED_TABLES:
            if ours.ids[table] and theirs.ids[table]:  # an empty or malformed table is reported already
                problems.extend(_compare_ids(label, reference.name, ours.ids[table], theirs.ids[table], folder / MANIFEST))
        problems.extend(_compare_pages(reference.name, ours, theirs))
    return problems


def _compare_ids(label: str, reference: str, ours: list[Entry], theirs: list[Entry], path: Path) -> list[Problem]:
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


def _compare_pages(language: str, reference: Manifest, other: Manifest) -> list[Problem]:
    """A page shared by two languages must have the same kind, step, section and picture or none."""
    problems: list[Problem] = []
    path = other.path
    ours = {e.id: e for e in reference.ids["pages"]}
    for entry in other.ids["pages"]:
        mine = ours.get(entry.id)
        if mine is None:
            continue
        # (a step counts only on stage pages: a kind that differs says it all)
        keys = ("kind", "section") if entry.details.get("kind") != mine.details.get("kind") else ("kind", "step", "section")
        differ = [key for key in keys if entry.details.get(key) != mine.details.get(key)]
        if differ:
            detail = ", ".join(f"{key} {entry.details.get(key)!r} ({language}: {mine.details.get(key)!r})" for key in differ)
            problems.append(Problem(path, other.key_line(entry.start, differ[0]),
                                    f"page {entry.id!r} differs from {language!r}: {detail}"))
        if entry.details.get("illustration") != mine.details.get("illustration"):
            if entry.details.get("illustration"):
                line, has = other.key_line(entry.start, "illustration"), "has a picture here but not"
            else:
                line, has = entry.line, "has no picture here but one"
            problems.append(Problem(path, line, f"page {entry.id!r} {has} in {language!r}"))
    return problems
