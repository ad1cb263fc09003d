"""Plain-language checks on patient text: long sentences and medical jargon.

``kiosk check-content`` runs these on a loaded library, after the reading scores. The
text checked is what a patient reads: each page's blocks (every paragraph, bullet and
heading; see :func:`kiosk.core.render.html_to_blocks`) split into sentences, and the
manifest's page titles, picture texts and questions. A problem names the line of the
Markdown page or pack.toml where the sentence starts, found by looking for the
sentence's first words in the source text.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from pathlib import Path

from kiosk.core.content import MANIFEST, MAX_MANIFEST_BYTES, ContentPack
from kiosk.core.content_files import ContentFileError, read_bounded
from kiosk.core.errors import Problem
from kiosk.core.jargon import JARGON
from kiosk.core.markdown_limits import MAX_PAGE_BYTES

# Letters and digits: the words compared when finding a sentence in its source.
_WORD = re.compile(r"[^\W_]+")
# A placeholder (filled in before the patient sees it) or a word of the source text.
_SOURCE_WORD = re.compile(r"\{\{\s*([A-Za-z0-9_]*)\s*\}\}|[^\W_]+")
# Source text a patient never reads: a link's target ("(#risks)") and HTML entities.
_UNREAD = re.compile(r"\]\([^)\n]*\)|&#?\w+;")
# A sentence ends at . ! ? or … (and any closing quote or bracket) followed by a space.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’»)\]]*\s+")
_PREVIEW_WORDS = 6


def fold(word: str) -> str:
    """``word`` without capitals or accents, for comparing ("Analgésico" -> "analgesico")."""
    decomposed = unicodedata.normalize("NFD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def sentences(block: str) -> list[str]:
    """The sentences of one block of text (a paragraph, bullet or heading)."""
    return [s.strip() for s in _SENTENCE_END.split(block) if s.strip()]


def word_count(sentence: str) -> int:
    """Words as a reader counts them: "X-ray" and "100.4°F" are one each, "—" none."""
    return sum(1 for token in sentence.split() if _WORD.search(token))


def jargon_words(language: str) -> dict[str, tuple[str, str]]:
    """Every form of each jargon word of ``language`` (folded) -> (the word, the plain word)."""
    forms: dict[str, tuple[str, str]] = {}
    code = language.split("-")[0].lower()
    for word, plain in JARGON.get(code, {}).items():
        base = fold(word)
        variants = {base, base + "s", base + "es"}
        if code == "es" and base.endswith("o"):  # contraindicado: -a, -os, -as
            variants |= {base[:-1] + "a", base[:-1] + "as"}
        for variant in variants:
            forms.setdefault(variant, (word, plain))
    return forms


class SourceText:
    """A source file's words as a patient reads them, each with its line: placeholders
    are filled in, link targets dropped. Finds where a rendered sentence came from."""

    def __init__(self, text: str, values: dict[str, str]) -> None:
        visible = _UNREAD.sub(lambda m: " " * len(m.group(0)), text)  # same length: offsets keep their lines
        newlines = [i for i, c in enumerate(visible) if c == "\n"]
        self.words: list[str] = []
        self.lines: list[int] = []
        self._at: dict[str, list[int]] = {}  # word -> its indexes, so a search skips to candidates
        for match in _SOURCE_WORD.finditer(visible):
            line = bisect_right(newlines, match.start()) + 1
            spoken = _WORD.findall(values.get(match.group(1), "")) if match.group(1) is not None else [match.group(0)]
            for word in spoken:
                self._at.setdefault(fold(word), []).append(len(self.words))
                self.words.append(fold(word))
                self.lines.append(line)

    def first_word_from(self, line: int) -> int:
        """Index of the first word on ``line`` or after it."""
        return bisect_right(self.lines, line - 1)

    def line_of(self, index: int) -> int:
        if not self.lines:
            return 1
        return self.lines[max(0, min(index, len(self.lines) - 1))]

    def find(self, sentence: str, start: int, wrap: bool = True) -> int | None:
        """Index of the word where ``sentence`` starts, searching from word ``start``
        (then from the top when ``wrap``); None when its first words are not there."""
        wanted = [fold(w) for w in _WORD.findall(sentence)[:_PREVIEW_WORDS]]
        if not wanted:
            return None
        candidates = self._at.get(wanted[0], [])
        for begin in (start, 0) if wrap else (start,):
            for i in candidates[bisect_left(candidates, begin):]:
                if self.words[i:i + len(wanted)] == wanted:
                    return i
        return None

    def find_word(self, folded: str, start: int) -> int | None:
        """Index of the first ``folded`` word from word ``start`` on, or None."""
        candidates = self._at.get(folded, [])
        index = bisect_left(candidates, start)
        return candidates[index] if index < len(candidates) else None


def _read(path: Path) -> str:
    try:  # (never a link, never more than a content file may hold: as the loader reads it)
        return read_bounded(path, max(MAX_PAGE_BYTES, MAX_MANIFEST_BYTES)).decode("utf-8-sig")
    except (ContentFileError, UnicodeError):  # the loader read it a moment ago; lines then fall back to 1
        return ""


def _preview(sentence: str) -> str:
    words = sentence.split()
    return " ".join(words[:_PREVIEW_WORDS]) + (" ..." if len(words) > _PREVIEW_WORDS else "")


class _Checker:
    def __init__(self, language: str, max_words: int) -> None:
        self.jargon = jargon_words(language)
        self.max_words = max_words
        self.problems: list[Problem] = []

    def check(self, text: str, path: Path, source: SourceText, cursor: int, wrap: bool = True) -> int:
        """Check each sentence of ``text``; return the word index after the last one found."""
        for sentence in sentences(text):
            index = source.find(sentence, cursor, wrap)
            at = cursor if index is None else index
            line = source.line_of(at)
            count = word_count(sentence)
            if count > self.max_words:
                self.problems.append(Problem(path, line, f'sentence has {count} words (limit {self.max_words}): '
                                                         f'"{_preview(sentence)}"; split it'))
            for word in _WORD.findall(sentence):
                hit = self.jargon.get(fold(word))
                if hit is not None:
                    found = source.find_word(fold(word), at)
                    self.problems.append(Problem(path, line if found is None else source.line_of(found),
                                                 f'"{word}" is medical jargon; say "{hit[1]}" instead'))
            if index is not None:
                cursor = index + len(_WORD.findall(sentence))
        return cursor


def check_pack(pack: ContentPack, values: dict[str, str], max_words: int) -> list[Problem]:
    """Sentences over ``max_words`` words and jargon words in ``pack``, by file and line."""
    checker = _Checker(pack.language, max_words)
    for page in pack.pages:
        source = SourceText(_read(page.source), values)
        cursor = 0
        for block in page.blocks:
            cursor = checker.check(block, page.source, source, cursor)
    manifest_path = pack.folder / MANIFEST
    manifest = SourceText(_read(manifest_path), values)
    entries: list[tuple[int, list[str]]] = []
    for page in pack.pages:
        picture = page.illustration
        entries.append((page.line, [page.title] + ([picture.alt, picture.caption] if picture else [])))
    entries.extend((q.line, [q.text, q.why]) for q in pack.questions)
    entries.extend((item.line, [item.question, *item.answers, item.why, item.go_over]) for item in pack.checks)
    for line, texts in entries:
        start = manifest.first_word_from(line)
        for text in texts:  # each from the entry's start: keys may come in any order
            checker.check(text, manifest_path, manifest, start, wrap=False)
    unique = dict.fromkeys(checker.problems)  # a word used twice in one sentence: one report
    return sorted(unique, key=lambda p: (str(p.path), p.line))
