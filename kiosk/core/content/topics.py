"""Topics (one folder per procedure) and the interface words they share.

A content folder holds ``<topic>/<language>/`` packs, ``interface/<language>.toml`` (the
interface words, read once per language and given to every topic's pack) and the clinic's
``illustrations/``. This module finds the topics, recognises the layout from before topics
(language folders directly in the content folder), reads the interface words, and checks
the links from one topic's page to another's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.core.content.model import ID_PATTERN, INTERFACE, INTERFACE_KEYS, MANIFEST, RESERVED_FOLDERS, TOPIC_UI_KEYS
from kiosk.core.errors import Problem

if TYPE_CHECKING:
    from kiosk.core.content.manifest import Manifest


def bundled_interface() -> Path:
    """The interface words shipped with the kiosk (``content/interface``)."""
    from kiosk.core.resources import content_dir  # (not at import: resources needs the settings module)

    return content_dir() / INTERFACE


def topic_folders(root: Path) -> list[str]:
    """The topic folders of the content folder ``root``, by name (a stable order): every
    folder but ``interface/``, ``illustrations/`` and hidden ones."""
    try:
        return sorted(p.name for p in Path(root).iterdir()
                      if p.is_dir() and p.name not in RESERVED_FOLDERS and not p.name.startswith("."))
    except OSError:
        return []


def old_layout_problems(root: Path) -> list[Problem]:
    """One problem per language folder lying directly in ``root`` (the layout before topics),
    saying how to move it; none for a content folder in the topic layout."""
    old = [name for name in topic_folders(root) if (root / name / MANIFEST).is_file()]
    if not old:
        return []
    example = f"{root / '<topic>' / old[0]}"
    return [Problem(root / name / MANIFEST, 1,
                    f"this content folder has the layout from before topics: the language folder {name!r} is directly "
                    f"in {root}. Each procedure (topic) now has its own folder: make one, named for the procedure "
                    f"(for example 'thoracic-mbb'), and move {', '.join(old)} into it ({example}); the interface words "
                    f"of [ui] go to {root / INTERFACE / (name + '.toml')} (see content/README.md, \"Topics\")")
            for name in old]


def interface_file(language: str, root: Path, fallback: Path | None) -> tuple[Path, Path]:
    """(file, the folder it must be inside) of ``language``'s interface words: the content
    folder's own ``interface/<language>.toml``, else the one in ``fallback`` (the bundled
    ``interface/``), so that a clinic's content folder need not carry them."""
    own = root / INTERFACE / f"{language}.toml"
    if fallback is None or own.exists() or own.is_symlink():
        return own, root
    return fallback / f"{language}.toml", fallback


def read_interface(language: str, root: Path, fallback: Path | None, values: dict[str, str],
                   problems: list[Problem], warnings: list[Problem] | None = None) -> dict[str, str] | None:
    """``language``'s interface words (every one of INTERFACE_KEYS), or None with the problems added.

    A clinic's own interface file written for an older version lacks the words added since:
    each missing one is taken from the bundled file (``fallback``) with a warning, so that an
    update of the kiosk does not refuse the clinic's content."""
    # (Here, not at import: a start from the content cache finds the topics and the bundled
    # interface words through this module, and reads no TOML.)
    from kiosk.core.content import tables
    from kiosk.core.content.manifest import Filler, read_toml

    path, inside = interface_file(language, root, fallback)
    if not path.exists() and not path.is_symlink():
        problems.append(Problem(path, 1, f"the interface words for {language!r} are missing: {path} not found "
                                         "(see content/README.md, \"The interface words\")"))
        return None
    before = len(problems)
    parsed = read_toml(path, inside, problems)
    if parsed is None:
        return None
    data, manifest = parsed
    if fallback is not None and inside != fallback and isinstance(data.get("ui"), dict):
        _fill_from_bundled(data["ui"], fallback / f"{language}.toml", fallback, manifest, warnings)
    ui = tables.read_ui(data, manifest, Filler(manifest, values), INTERFACE_KEYS,
                        (TOPIC_UI_KEYS, f"a topic's own word: it belongs in each topic's {MANIFEST} [ui], not here"))
    for table in data:
        if table != "ui":
            manifest.error(manifest.header_line(table), f"unknown table [{table}]: the interface words go in [ui]")
    return ui if len(problems) == before else None


def _fill_from_bundled(ui: dict[str, object], bundled: Path, inside: Path, manifest: Manifest,
                       warnings: list[Problem] | None) -> None:
    """Add to the clinic's ``ui`` table the interface words it lacks, from the ``bundled`` file."""
    from kiosk.core.content.manifest import read_toml

    missing = [key for key in INTERFACE_KEYS if key not in ui]
    if not missing:
        return
    ignored: list[Problem] = []  # the bundled file's own faults are the build's tests' business
    parsed = read_toml(bundled, inside, ignored)
    bundled_ui = parsed[0].get("ui") if parsed is not None else None
    if not isinstance(bundled_ui, dict):
        return
    line = manifest.header_line("ui")
    for key in missing:
        if isinstance(bundled_ui.get(key), str):
            ui[key] = bundled_ui[key]
            if warnings is not None:
                warnings.append(Problem(manifest.path, line, f"warning: [ui] lacks {key!r} (a word added in a newer "
                                                             f"version): the kiosk uses the bundled {bundled_ui[key]!r} "
                                                             "until you add your own"))


@dataclass(frozen=True)
class CrossLink:
    """A link on a page of one topic to a page of another: ``(topic#page)`` in Markdown."""

    path: Path
    line: int
    topic: str
    page: str


def check_cross_links(links: list[CrossLink], page_ids: dict[str, set[str]], found: list[str],
                      offered: list[str]) -> tuple[list[Problem], list[Problem]]:
    """(problems, warnings) of ``links``. ``page_ids``: the page ids of each topic read;
    ``found``: every topic folder; ``offered``: the topics the kiosk serves. A link to an
    unknown topic or page is a problem; one to a topic the config leaves out is a warning
    (the kiosk shows its words without the link)."""
    from kiosk.core.content import manifest as fields

    problems: list[Problem] = []
    warnings: list[Problem] = []
    for link in links:
        written = f"({link.topic}#{link.page})"
        if link.topic not in page_ids and link.topic not in found:
            known = [t for t in found if ID_PATTERN.match(t)]
            problems.append(Problem(link.path, link.line, f"link {written} to unknown topic {link.topic!r}"
                                    f"{fields.did_you_mean(link.topic, known)} (topics: {', '.join(known) or 'none'})"))
            continue
        ids = page_ids.get(link.topic)
        if ids is not None and link.page not in ids:
            problems.append(Problem(link.path, link.line, f"link {written} to unknown page {link.page!r} of topic "
                                    f"{link.topic!r}{fields.did_you_mean(link.page, ids, link.topic + '#')} "
                                    f"(its pages: {', '.join(sorted(ids))})"))
        elif link.topic not in offered:
            warnings.append(Problem(link.path, link.line, f"warning: link {written} to topic {link.topic!r}, which the "
                                    "config's topics leave out: the kiosk shows its words without the link"))
    return problems, warnings


def unlink_topics(html: str, topics: set[str]) -> str:
    """``html`` with each link to a page of ``topics`` turned into plain words (an ``<a>`` with no href)."""
    for topic in topics:
        start = f'<a href="#{topic}/'
        while start in html:
            i = html.index(start)
            end = html.index('"', i + len(start))
            html = html[:i] + "<a" + html[end + 1:]
    return html
