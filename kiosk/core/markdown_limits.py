"""Bounds a language's pages must keep before python-markdown is given them.

python-markdown recurses once per level of nesting (a list in a list, a quote in a
quote: ~500 levels raised RecursionError and the kiosk exited at start), and for every
link, emphasis, code span, entity or tag in a paragraph it does work in proportion to
the paragraph's length (10,000 ``[`` on one line took over a minute). So a paragraph's
length is bounded, which bounds the work per mark, and so are the marks, lines and bytes
of a page and of all of a language's pages together, which bounds their sum. Shipped
content is far inside every bound (per topic and language: 17 kB and 318 lines of pages, the
longest 3.5 kB; a 1,228-character list; nesting 1; 200 ``*`` and 5 ``[`` in all the pages).
A page that passes a bound is refused at the line that passes it, before python-markdown
sees it, so any pack loads in well under a second or not at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_PAGE_BYTES = 20_000  # ~3,000 words: several times the longest page a patient should read
MAX_PAGE_LINES = 300
MAX_BLOCK_CHARS = 2_000  # one paragraph, or a list with no blank line in it
MAX_NESTING = 4  # lists in lists and > quotes, counted together; shipped pages use 1
MAX_PACK_PAGE_BYTES = 60_000  # all of one language's pages together
MAX_PACK_PAGE_LINES = 1_000
# All of one language's pages together: how many of each character that starts inline
# markup python-markdown parses.
MAX_MARKS = {
    "[": 100,  # links: [text](#page)
    "(": 500,  # a link's target; also brackets in sentences
    "*": 1_500,  # *emphasis*, **bold**, bullets
    "_": 300,  # _emphasis_, __bold__
    "`": 100,  # `code`
    "<": 50,  # tags (refused anyway) and autolinks
    "&": 200,  # entities such as &amp;
    "\\": 200,  # escapes such as \*
}
_MARK_NAMES = {
    "[": "[ (links)", "(": "( (brackets)", "*": "* (bold, emphasis, bullets)", "_": "_ (emphasis)",
    "`": "` (code)", "<": "< (tags)", "&": "& (entities)", "\\": "\\ (escapes)",
}

# A line that is a thematic break ("- - -", "***"), not a list: python-markdown tests it first.
_RULE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
# One container marker: a quote, a bullet or a numbered item.
_MARKER = re.compile(r">|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)")


def nesting_depth(line: str) -> int:
    """How many lists and quotes deep ``line`` sits: one per marker at its start
    (``> - 1.``), and one per four columns of each run of indentation before or
    between them."""
    if not line or not (line[0] in " \t>-*+" or line[0].isdecimal()):
        return 0  # (the common case, decided without a pattern: no marker and no indentation)
    if _RULE.match(line):
        return 0
    depth = position = 0
    run = 0  # columns of the current run of spaces and tabs
    while position < len(line):
        char = line[position]
        if char in " \t":
            run += 1 if char == " " else 4 - run % 4
            position += 1
            continue
        depth += run // 4
        run = 0
        match = _MARKER.match(line, position)
        if match is None:
            return depth
        depth += 1
        position = match.end()
    return depth + run // 4


@dataclass
class MarkdownBudget:
    """What one language's pages have used of the bounds shared by all of them."""

    bytes: int = 0
    lines: int = 0
    marks: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MAX_MARKS, 0))
    spent: bool = False  # a shared bound was passed (and reported): render no more pages

    def check(self, text: str) -> list[tuple[int, str]]:
        """(line, message) for each bound the page ``text`` passes, counting it against
        the language's totals. Give python-markdown the page only when this is empty and
        the budget is not ``spent``. Each bound is reported once, at the first line that
        passes it; the scan is linear in the text."""
        if self.spent:
            return []
        size = len(text.encode("utf-8"))
        if size > MAX_PAGE_BYTES:  # the other checks would only repeat it
            return [(1, f"page is too long ({size:,} bytes; the limit is {MAX_PAGE_BYTES:,}); split it into two pages")]
        problems: list[tuple[int, str]] = []
        self.bytes += size
        if self.bytes > MAX_PACK_PAGE_BYTES:
            self.spent = True
            problems.append((1, (f"this language's pages are too long together (more than {MAX_PACK_PAGE_BYTES:,} "
                                 "bytes counting this page); shorten them")))
        lines = text.split("\n")
        if len(lines) > MAX_PAGE_LINES:
            problems.append((MAX_PAGE_LINES + 1, (f"page has {len(lines):,} lines (the limit is {MAX_PAGE_LINES}); "
                                                  "split it into two pages")))
        self.lines += len(lines)
        if self.lines > MAX_PACK_PAGE_LINES and not self.spent:
            self.spent = True
            problems.append((1, (f"this language's pages have too many lines together (more than "
                                 f"{MAX_PACK_PAGE_LINES:,} counting this page); shorten them")))
        block_start, block_chars = 1, 0
        deep = long_block = False
        # Marks counted line by line only when this page takes one past its limit: that is
        # the line to report. Otherwise the page's counts are simply added.
        counted = {mark: text.count(mark) for mark in MAX_MARKS}
        by_line = any(self.marks[mark] + counted[mark] > limit for mark, limit in MAX_MARKS.items())
        if not by_line:
            for mark in MAX_MARKS:
                self.marks[mark] += counted[mark]
        for number, line in enumerate(lines, start=1):
            if line.strip():
                if block_chars == 0:
                    block_start = number
                block_chars += len(line) + 1
                if block_chars > MAX_BLOCK_CHARS and not long_block:
                    long_block = True
                    problems.append((block_start, (f"paragraph or list is too long (more than {MAX_BLOCK_CHARS:,} "
                                                   "characters with no blank line); put blank lines between paragraphs")))
            else:
                block_chars = 0
            if not deep:
                depth = nesting_depth(line)
                if depth > MAX_NESTING:
                    deep = True
                    problems.append((number, (f"lists or > quotes nested {depth} deep (the limit is {MAX_NESTING}); "
                                              "use fewer levels and less indentation")))
            for mark, limit in MAX_MARKS.items() if by_line else ():
                if self.marks[mark] > limit:
                    continue  # reported already
                self.marks[mark] += line.count(mark)
                if self.marks[mark] > limit:
                    self.spent = True
                    problems.append((number, (f"too much Markdown: more than {limit:,} {_MARK_NAMES[mark]} in this "
                                              "language's pages, counting this line; simplify the pages")))
        return problems
