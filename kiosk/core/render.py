"""Markdown -> sanitised HTML, and HTML -> plain text for reading scores and speech."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import markdown
import nh3

# Only what patient pages need. No <img>, no <a> outside the app, no tables, no style.
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li",
    "h2", "h3", "h4", "a", "blockquote", "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
# In-app links are fragments ("#risks"); nh3 keeps relative URLs, and we drop
# every scheme, so "javascript:", "file:", "data:" and "https:" all go.
ALLOWED_URL_SCHEMES: set[str] = set()


def markdown_to_html(text: str) -> str:
    """Render Markdown to HTML (unsanitised: call :func:`sanitise` on the result)."""
    return markdown.markdown(text, extensions=["sane_lists"], output_format="html")


def sanitise(raw_html: str) -> str:
    """Keep only the allowlisted tags, attributes and in-app links."""
    cleaned = nh3.clean(
        raw_html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    # A relative link that is not a fragment could still name a file: drop the href.
    return re.sub(r'<a href="(?!#)[^"]*"', "<a", cleaned)


def render(text: str) -> str:
    """Markdown to safe HTML in one step."""
    return sanitise(markdown_to_html(text))


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
