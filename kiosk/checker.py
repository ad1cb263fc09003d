"""``kiosk check-content``: validate a content folder, score each page's reading level
and check its plain language (sentence length, medical jargon)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from kiosk.core.content import ContentLibrary
from kiosk.core.errors import ContentError, Problem
from kiosk.core.kiosk_content import load_kiosk_content
from kiosk.core.plain_language import check_pack
from kiosk.core.readability import ReadingLimits, score_html
from kiosk.core.settings import Settings


def check_content(folder: Path, settings: Settings, limits: ReadingLimits, out: TextIO | None = None) -> int:
    """Print problems (``file:line: message``) or per-page scores; return the exit code.

    Validates ``folder`` with the loader the kiosk starts with, for the languages it would
    serve, and every other language folder present as well: whatever the kiosk would
    refuse, this refuses. (It used to check only the folders holding a pack.toml, and
    passed an empty ``en/`` that the kiosk then refused.)
    """
    out = out or sys.stdout
    root = Path(folder)
    present = [p.name for p in sorted(root.iterdir()) if (p / "pack.toml").is_file()] if root.is_dir() else []
    try:
        library = load_kiosk_content(settings, root, also=present)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=out)
        print(f"{len(exc.problems)} problem(s) found.", file=out)
        return 1
    failures = report_scores(library, limits, out)
    wordy = report_plain_language(library, settings.placeholder_values(), limits, out)
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


def report_scores(library: ContentLibrary, limits: ReadingLimits, out: TextIO) -> int:
    failures = 0
    for language, pack in library.packs.items():
        scores = []
        for page in pack.pages:
            score = score_html(page.html, language)
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
                print(f"{page.source}:1: reading level {label} {score.value:.1f}, limit {limit}: use shorter sentences and simpler words", file=out)
            else:
                print(f"{language}/{page.source.name}: {label} {score.value:.1f} ({mark})", file=out)
        if not scores:
            continue
        average = sum(scores) / len(scores)
        if language.startswith("es"):
            ok, limit = average >= limits.min_huerta_average, f">= {limits.min_huerta_average:g}"
        else:
            ok, limit = average <= limits.max_grade_average, f"<= {limits.max_grade_average:g}"
        print(f"{language}: average {average:.1f} (limit {limit}) {'ok' if ok else 'TOO HARD'}", file=out)
        if not ok:
            failures += 1
    return failures


def report_plain_language(library: ContentLibrary, values: dict[str, str], limits: ReadingLimits, out: TextIO) -> int:
    """Print each sentence over the word limit and each jargon word; return how many."""
    problems: list[Problem] = []
    for pack in library.packs.values():
        problems.extend(check_pack(pack, values, limits.max_sentence_words))
    for problem in problems:
        print(problem, file=out)
    return len(problems)
