"""HTML -> plain text, for reading scores and speech, and escaping plain text for rich-text
widgets. (Markdown -> sanitised HTML is :mod:`kiosk.core.content.markdown`.)"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser


class _TextExtractor(HTMLParser):
    """Collects text, ending every block (paragraph, item, heading) as a sentence."""

    BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "blockquote", "br", "div"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        self._current.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        self._current = []
        if text:
            self.blocks.append(text)

    def close(self) -> None:
        super().close()
        self._flush()


def html_to_blocks(fragment: str) -> list[str]:
    """The text of each block of an HTML fragment, in reading order."""
    parser = _TextExtractor()
    parser.feed(fragment)
    parser.close()
    return parser.blocks


# A tag as the sanitiser writes it (nh3: html5ever's serialiser): a name, then attributes
# whose values are in double quotes. The text between tags has every "<" escaped (&lt;).
_SANITISED_TAG = re.compile(r'</?([A-Za-z][A-Za-z0-9]*)(?:\s+[^\s"\'=<>/]+(?:="[^"]*")?)*\s*/?>')


def sanitised_html_to_blocks(fragment: str) -> list[str]:
    """:func:`html_to_blocks` of the sanitiser's output
    (:func:`kiosk.core.content.markdown.sanitise`), the same blocks without HTMLParser's
    cost (~1 ms a language at every full content load). Not for any other HTML."""
    blocks: list[str] = []
    current: list[str] = []
    pieces = _SANITISED_TAG.split(fragment)  # text, tag name, text, tag name, ..., text
    for index in range(0, len(pieces), 2):
        text = pieces[index]
        if text:
            current.append(html.unescape(text) if "&" in text else text)
        ends_block = index + 1 == len(pieces) or pieces[index + 1].lower() in _TextExtractor.BLOCKS
        if ends_block and current:
            joined = " ".join("".join(current).split())
            current = []
            if joined:
                blocks.append(joined)
    return blocks


def html_to_sentences(fragment: str) -> str:
    """Plain text in which every block ends with sentence punctuation.

    Headings and bullet items rarely end with a full stop; without one a reading
    formula would count a whole list as one long sentence.
    """
    out = []
    for block in html_to_blocks(fragment):
        out.append(block if block[-1] in ".!?:;" else block + ".")
    return " ".join(out)


def escape(text: str) -> str:
    """HTML-escape plain text (clinic names, question text) for rich-text widgets."""
    return html.escape(text, quote=True)
