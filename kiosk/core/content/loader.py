"""Load, validate and render every topic's packs up front.

A content folder holds one folder per topic, ``<topic>/<language>/``, each a pack:
``pack.toml`` and one Markdown file per page (format: ``content/README.md``); the
interface words shared by every topic are in ``interface/<language>.toml``
(:mod:`kiosk.core.content.topics`). Loading collects every problem it finds, in every
topic and language, and raises a single :class:`~kiosk.core.errors.ContentError` naming
file and line. Within a topic every language must have the same pages, questions, groups
and sections.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from difflib import get_close_matches
from pathlib import Path

from kiosk.core.content import tables
from kiosk.core.content.checks import compare_checks, read_checks
from kiosk.core.content.manifest import Entry, Filler, Manifest, read_manifest
from kiosk.core.content.model import (
    CLINIC_PICTURES,
    MANIFEST,
    SHARED_TABLES,
    ContentLibrary,
    ContentPack,
    is_singular,
)
from kiosk.core.content.pages import SharedReads, read_pages
from kiosk.core.content.pictures import PictureFolder
from kiosk.core.content.topics import (
    CrossLink,
    bundled_interface,
    check_cross_links,
    old_layout_problems,
    read_interface,
    topic_folders,
    unlink_topics,
)
from kiosk.core.diary import PLAN_BLOCK, plan_markdown
from kiosk.core.errors import ContentError, Problem
from kiosk.core.heap import gc_paused


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
    return sorted(dict.fromkeys(problems), key=lambda p: (str(p.path), p.line))  # (a picture shared by packs: once)


def load_pack(folder: Path, values: dict[str, str], illustrations_dir: Path, interface_dir: Path | None = None) -> ContentPack:
    """Load, validate and render the pack in ``folder`` (``<content>/<topic>/<language>``),
    with the interface words of ``<content>/interface`` (else of ``interface_dir``, by
    default the bundled ones); raise ContentError listing all faults."""
    folder = Path(folder)
    problems: list[Problem] = []
    interface = read_interface(folder.name, folder.parent.parent, interface_dir or bundled_interface(), values, problems)
    result = _read_pack(folder, folder.parent, values, (PictureFolder(Path(illustrations_dir), Path(illustrations_dir)),),
                        interface or {})
    problems.extend(result.problems)
    # (Links to another topic's pages are checked by load_library, which reads every topic.)
    if result.pack is None or problems:
        raise ContentError(_by_file_and_line(problems))
    return result.pack


def _read_pack(folder: Path, root: Path, values: dict[str, str], picture_dirs: tuple[PictureFolder, ...],
               interface: dict[str, str], reads: SharedReads | None = None) -> _PackResult:
    """Read, validate and render one pack in ``root`` (the folder it must be inside), with
    the ``interface`` words, collecting its problems instead of raising. ``reads``: the
    pictures the load's other packs read already."""
    problems: list[Problem] = []
    result = _PackResult(folder, problems)
    parsed = read_manifest(folder, root, problems)
    if parsed is None:
        return result
    data, manifest = parsed
    result.manifest = manifest
    if interface:  # the schedule's words for {{diary_plan}}, in this pack's language
        language = folder.name
        values = {**values, PLAN_BLOCK: plan_markdown(values, interface, lambda n: is_singular(language, n))}
    fill = Filler(manifest, values)
    # In the order of the tables in the shipped manifests (problems are sorted by line anyway).
    header = tables.read_pack_header(data, manifest, folder.name)
    review = tables.read_review(data, manifest)
    ui = tables.read_ui(data, manifest, fill)
    handout = tables.read_handout(data, manifest, fill)
    warnings = tables.read_warnings(data, manifest, fill)
    sections = tables.read_sections(data, manifest, fill)
    pages = read_pages(data, manifest, fill, folder, root, picture_dirs, {s.id for s in sections}, warnings, reads)
    groups = tables.read_groups(data, manifest, fill)
    questions = tables.read_questions(data, manifest, fill, {g.id for g in groups})
    card = tables.read_topic_card(data, manifest, fill, ui, pages)
    checks = read_checks(data, manifest, fill, pages)
    if not problems and interface:
        result.pack = ContentPack(header.language, header.name, header.version, folder, review, {**interface, **ui},
                                  sections, pages, groups, questions, handout, warnings, topic=folder.parent.name, card=card,
                                  checks=checks)
    return result


def _cross_links_of(result: _PackResult) -> list[CrossLink]:
    if result.manifest is None:
        return []
    return [CrossLink(*link) for link in result.manifest.cross_links]


@gc_paused()
def load_library(content_root: Path, languages: list[str], values: dict[str, str], illustrations_dir: Path,
                 topics: list[str] | None = None, default_topic: str | None = None, interface_dir: Path | None = None,
                 offered: list[str] | None = None) -> ContentLibrary:
    """Load ``topics`` (None: every topic folder, by name) in every language of ``languages``
    (the first is the default); within a topic, check they share page, question and UI ids.

    The interface words are read once per language, from ``<content_root>/interface``, else
    from ``interface_dir`` (None: the bundled ones). A page's picture is looked up in
    ``<content_root>/illustrations`` (the clinic's own, added without a rebuild) before the
    bundled ``illustrations_dir``. ``offered``: the topics the kiosk serves (None: ``topics``);
    a link to another topic is shown as plain words, and is a warning, when that topic is
    not offered.

    Every problem of every topic and language is reported in one go, sorted by file and
    line: the ids are compared even when a pack has other problems.
    """
    content_root = Path(content_root)
    problems = old_layout_problems(content_root)
    if problems:
        raise ContentError(problems)
    found = topic_folders(content_root)
    topics = list(found if topics is None else topics)
    picture_dirs = (PictureFolder(content_root / CLINIC_PICTURES, content_root),  # the clinic's own first
                    PictureFolder(Path(illustrations_dir), Path(illustrations_dir)))
    fallback = interface_dir or bundled_interface()
    interface_warnings: list[Problem] = []
    interfaces = {language: read_interface(language, content_root, fallback, values, problems, interface_warnings)
                  for language in languages}
    by_topic: dict[str, dict[str, _PackResult]] = {}
    reads = SharedReads()  # (every language and topic names the same pictures)
    for topic in topics:
        topic_root = content_root / topic
        if not topic_root.is_dir():
            problems.append(Problem(topic_root, 1, f"topic folder {topic!r} not found in {content_root}"
                                                   f" (topics: {', '.join(found) or 'none'})"))
            continue
        results = by_topic[topic] = {}
        for language in languages:
            folder = topic_root / language
            if not folder.is_dir():
                problems.append(Problem(folder, 1, f"language folder {language!r} not found in {topic_root}"))
                continue
            results[language] = _read_pack(folder, content_root, values, picture_dirs, interfaces[language] or {}, reads)
            problems.extend(results[language].problems)
        problems.extend(_compare_packs(list(results.values())))
    if not content_root.is_dir():
        problems.append(Problem(content_root, 1, f"content folder {content_root} not found"))
    elif not topics:
        problems.append(Problem(content_root, 1, f"no topic folders in {content_root}: each procedure needs its own "
                                                 "folder of language folders, such as thoracic-mbb/en/"))
    elif not languages:
        problems.append(Problem(content_root, 1, "no languages configured"))
    page_ids = {topic: {e.id for r in results.values() if r.manifest for e in r.manifest.ids["pages"]}
                for topic, results in by_topic.items()}
    links = [link for results in by_topic.values() for r in results.values() for link in _cross_links_of(r)]
    offered = topics if offered is None else offered
    link_problems, link_warnings = check_cross_links(links, page_ids, found, offered)
    problems.extend(link_problems)
    if problems:
        raise ContentError(_by_file_and_line(problems))
    left_out = {link.topic for link in links} - set(offered)
    topic_map = {topic: {language: _unlinked(r.pack, left_out) for language, r in results.items() if r.pack is not None}
                 for topic, results in by_topic.items()}
    default = default_topic if default_topic in topic_map else topics[0]
    return ContentLibrary(topic_map[default], languages[0], topic_map, default,
                          tuple(str(w) for w in _by_file_and_line(interface_warnings + link_warnings)))


def _unlinked(pack: ContentPack, topics: set[str]) -> ContentPack:
    """``pack`` with its links to ``topics`` (left out by the config) shown as plain words."""
    if not topics:
        return pack
    return replace(pack, pages=tuple(replace(page, html=unlink_topics(page.html, topics)) for page in pack.pages))


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
        problems.extend(compare_checks(reference.name, ours, theirs))
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
