"""``kiosk check-content``: validate a content folder, score each page's reading level
and check its plain language (sentence length, medical jargon)."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import TextIO

from kiosk.core.content import CHECK_KIND, MANIFEST, ContentLibrary, topic_folders
from kiosk.core.errors import ContentError, Problem
from kiosk.core.kiosk_content import load_kiosk_content
from kiosk.core.plain_language import check_pack
from kiosk.core.readability import ReadingLimits, score_html
from kiosk.core.settings import Settings
from kiosk.core.teach_back import scored_html


def check_content(folder: Path, settings: Settings, limits: ReadingLimits, out: TextIO | None = None,
                  failed: list[str] | None = None) -> int:
    """Print problems (``file:line: message``) or per-page scores; return the exit code.
    ``failed``, when given, receives every line that fails the check (a kiosk that follows a
    synced folder refuses an update with these: ``content_problems``).

    Validates ``folder`` with the loader the kiosk starts with, for the topics and languages
    it would serve, and every other topic and language folder present as well: whatever the
    kiosk would refuse, this refuses. (It used to check only the folders holding a pack.toml,
    and passed an empty ``en/`` that the kiosk then refused.) Warnings (a link to a topic the
    config leaves out) are printed but do not fail the check.
    """
    out = out or sys.stdout
    failed = [] if failed is None else failed
    root = Path(folder)
    topics = topic_folders(root)
    present = sorted({p.name for topic in topics for p in (root / topic).iterdir() if (p / MANIFEST).is_file()})
    try:
        library = load_kiosk_content(settings, root, also=present, also_topics=topics)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=out)
            failed.append(str(problem))
        print(f"{len(exc.problems)} problem(s) found.", file=out)
        return 1
    for warning in library.warnings:
        print(warning, file=out)
    failures = report_scores(library, limits, out, failed)
    wordy = report_plain_language(library, settings.placeholder_values(), limits, out, failed)
    if settings.is_demo:
        print("note: clinic_name/clinic_phone are the demo values; set them in the config file.", file=out)
    if failures:
        print(f"{failures} reading-level problem(s) found.", file=out)
    if wordy:
        print(f"{wordy} plain-language problem(s) found.", file=out)
    if failures or wordy:
        return 1
    print("OK", file=out)
    return 0


def content_problems(folder: Path, settings: Settings, limits: ReadingLimits | None = None) -> list[str]:
    """What ``kiosk check-content`` fails ``folder`` on, one line each; none when it passes."""
    failed: list[str] = []
    if check_content(folder, settings, limits or ReadingLimits(), out=io.StringIO(), failed=failed) and not failed:
        failed.append(f"{folder}: the content check failed")  # (never silently passed)
    return failed


def report_scores(library: ContentLibrary, limits: ReadingLimits, out: TextIO, failed: list[str] | None = None) -> int:
    failed = [] if failed is None else failed
    failures = 0
    for pack in library.all_packs():
        language = pack.language
        scores = []
        for page in pack.pages:
            score = score_html(scored_html(pack, page.html) if page.kind == CHECK_KIND else page.html, language)
            scores.append(score.value)
            if score.higher_is_easier:
                ok = score.value >= limits.min_huerta_page
                label, limit = "Fernández-Huerta", f">= {limits.min_huerta_page:g}"
            else:
                ok = score.value <= limits.max_grade_page
                label, limit = "grade", f"<= {limits.max_grade_page:g}"
            mark = "ok" if ok else "TOO HARD"
            if not ok:
                failures += 1
                line = f"{page.source}:1: reading level {label} {score.value:.1f}, limit {limit}: use shorter sentences and simpler words"
                print(line, file=out)
                failed.append(line)
            else:
                print(f"{pack.topic}/{language}/{page.source.name}: {label} {score.value:.1f} ({mark})", file=out)
        if not scores:
            continue
        average = sum(scores) / len(scores)
        if language.startswith("es"):
            ok, limit = average >= limits.min_huerta_average, f">= {limits.min_huerta_average:g}"
        else:
            ok, limit = average <= limits.max_grade_average, f"<= {limits.max_grade_average:g}"
        line = f"{pack.topic}/{language}: average {average:.1f} (limit {limit}) {'ok' if ok else 'TOO HARD'}"
        print(line, file=out)
        if not ok:
            failures += 1
            failed.append(line)
    return failures


def report_plain_language(library: ContentLibrary, values: dict[str, str], limits: ReadingLimits, out: TextIO,
                          failed: list[str] | None = None) -> int:
    """Print each sentence over the word limit and each jargon word; return how many."""
    problems: list[Problem] = []
    for pack in library.all_packs():
        problems.extend(check_pack(pack, values, limits.max_sentence_words))
    for problem in problems:
        print(problem, file=out)
        if failed is not None:
            failed.append(str(problem))
    return len(problems)
