"""Markdown -> sanitised HTML: the one place python-markdown and nh3 are set up.

Both are imported only when a page is rendered: a start served from the content cache
(:mod:`kiosk.core.content.cache`) renders nothing and does not pay for them (markdown
alone took ~12 ms to import on the development machine).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.core.content.model import MANIFEST, WarningTier, warnings_html
from kiosk.core.content.placeholders import PRACTICE_TOKEN, WARNINGS_TOKEN, substitute
from kiosk.core.errors import Problem
from kiosk.core.markdown_limits import MarkdownBudget

if TYPE_CHECKING:
    import markdown
    from markdown.util import Registry

# Only what patient pages need. No <img>, no <a> outside the app, no tables, no style.
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li",
    "h2", "h3", "h4", "a", "blockquote", "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
# In-app links are fragments ("#risks"); nh3 keeps relative URLs, and we drop
# every scheme, so "javascript:", "file:", "data:" and "https:" all go.
ALLOWED_URL_SCHEMES: set[str] = set()
# A link to another topic's page, as written in Markdown: (topic-id#page-id). It is rendered
# as the fragment "#topic-id/page-id", which the sanitiser keeps like any in-app link.
CROSS_TOPIC_LINK = re.compile(r"^([a-z0-9][a-z0-9-]*)#([a-z0-9][a-z0-9-]*)$")


def new_converter() -> markdown.Markdown:
    """A python-markdown converter as every page is rendered with. Building one costs more
    than converting a page: reuse it (``reset()`` between pages).

    The extensions are given as objects, not names: python-markdown looks a name up among
    every installed package's entry points first (~50 ms the first time in a process, on
    each start without the content cache and each ``kiosk check-content``)."""
    import markdown
    from markdown.extensions.sane_lists import SaneListExtension

    return markdown.Markdown(extensions=[SaneListExtension()], output_format="html")


# python-markdown's inline patterns, and the text without which a page can never match
# one: every group named, and in each group one of its strings. Each text of a paragraph,
# item or heading is searched with every pattern in turn, which was half the rendering
# time, though pages have no code, images, tags, entities or references. Every inline
# text comes from the page's own characters (the block parser only removes markers at the
# start of lines and joins lines, and its placeholders are letters and control
# characters; python-markdown drops the control characters it uses for those, \x02 and
# \x03, from the page first), so leaving out a pattern whose text the page lacks changes
# nothing. A page with a "<" (raw HTML, refused anyway) keeps every pattern. A
# reference ([text][id], [id]) is drawn only when the page defines it ("[id]: #page"):
# without a definition the pattern draws nothing. A pattern not named here (a new
# python-markdown's) is always kept.
INLINE_PATTERN_NEEDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "backtick": (("`",),), "escape": (("\\",),),
    "link": (("[",),), "image_link": (("![",),),
    "reference": (("[",), ("]:",)), "short_reference": (("[",), ("]:",)),
    "image_reference": (("![",), ("]:",)), "short_image_ref": (("![",), ("]:",)),
    "autolink": (("<",),), "automail": (("<",),), "html": (("<",),), "entity": (("&",),),
    "em_strong": (("*", "_"),),
    # Two spaces at a line's end (a tab or a carriage return may become them first).
    "linebreak": (("  \n", "  \r", "\t"),),
}


# python-markdown's other steps that do nothing to a page without one of these characters,
# as (registry, name): needs, read as for INLINE_PATTERN_NEEDS. The block processors search
# each block of a page for their marker ("#", ">", "[id]:") before the paragraph takes it;
# the raw HTML preprocessor runs HTMLParser over the whole page; the unescape step turns
# back what a backslash escape stored. Together ~12 % of rendering the shipped pages.
STEP_NEEDS: dict[tuple[str, str], tuple[tuple[str, ...], ...]] = {
    ("blockprocessors", "hashheader"): (("#",),),
    ("blockprocessors", "quote"): ((">",),),
    ("blockprocessors", "reference"): (("]:",),),
    ("preprocessors", "html_block"): (("<",),),
    ("treeprocessors", "unescape"): (("\\",),),
}


def _lacks(text: str, groups: tuple[tuple[str, ...], ...]) -> bool:
    return not all(any(needed in text for needed in group) for group in groups)


class Converters:
    """The converters for one language's pages: each page gets one without the inline
    patterns (:data:`INLINE_PATTERN_NEEDS`) and other steps (:data:`STEP_NEEDS`) that
    cannot act on it; pages that lack the same characters share one."""

    def __init__(self) -> None:
        self._made: dict[tuple[tuple[str, ...], tuple[tuple[str, str], ...]], markdown.Markdown] = {}

    def for_text(self, text: str) -> markdown.Markdown:
        text = text.replace("\x02", "").replace("\x03", "")
        if "<" in text:
            unused: tuple[str, ...] = ()
            steps: tuple[tuple[str, str], ...] = ()
        else:
            unused = tuple(name for name, groups in INLINE_PATTERN_NEEDS.items() if _lacks(text, groups))
            steps = tuple(step for step, groups in STEP_NEEDS.items() if _lacks(text, groups))
        md = self._made.get((unused, steps))
        if md is None:
            md = self._made[unused, steps] = new_converter()
            for name in unused:
                if name in md.inlinePatterns:
                    md.inlinePatterns.deregister(name)
            registries: dict[str, Registry[Any]] = {
                "blockprocessors": md.parser.blockprocessors, "preprocessors": md.preprocessors,
                "treeprocessors": md.treeprocessors}
            for registry, name in steps:
                if name in registries[registry]:
                    registries[registry].deregister(name)
        return md


def markdown_to_html(text: str) -> str:
    """Render Markdown to HTML (unsanitised: call :func:`sanitise` on the result)."""
    return new_converter().convert(text)


def sanitise(raw_html: str) -> str:
    """Keep only the allowlisted tags, attributes and in-app links."""
    import nh3

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


# Every <a> and <img> start tag of a page's HTML, to give the collector below only those:
# HTMLParser over a whole page was ~5 % of a full content load. HTMLParser takes a tag name
# straight after "<", in any case, and ends the tag at the first ">" outside quotes; a
# superset ("<abbr ...>" too) is fine, as the collector looks at the tag's name.
_MAY_LINK = re.compile(r"""<(?:a|img)(?:[^>"']|"[^"]*"|'[^']*')*>""", re.IGNORECASE)


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a":
            self.links.append(values.get("href") or "")
        elif tag == "img":
            self.images.append(values.get("src") or "")


def line_containing(text: str, needle: str, default: int = 1) -> int:
    """The line of ``text`` where ``needle`` first occurs (``default`` when it does not)."""
    if needle:
        index = text.find(needle)
        if index >= 0:
            return text.count("\n", 0, index) + 1
    return default


def _first_tag_line(text: str) -> int:
    match = re.search(r"<[A-Za-z!/?]", text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def render_page(path: Path, text: str, values: dict[str, str], problems: list[Problem],
                converters: Converters, budget: MarkdownBudget,
                warnings: tuple[WarningTier, ...] = ()) -> tuple[str, list[str], bool]:
    """Render one page's Markdown with one of ``converters``; returns
    (sanitised html, in-app link targets ("page-id", or "topic-id/page-id" for another topic's), whether it shows the warning signs). A
    ``{{warning_signs}}`` line becomes the pack's warning tiers. A page past the Markdown
    bounds (``budget``) is refused before python-markdown sees it."""

    def report(message: str, offset: int) -> None:
        problems.append(Problem(path, text.count("\n", 0, offset) + 1, message))

    body = substitute(text, values, report, escape=True, block_ok=True)
    if not body.strip():
        problems.append(Problem(path, 1, "page is empty"))
        return "", [], False
    too_much = budget.check(body)
    problems.extend(Problem(path, line, message) for line, message in too_much)
    if too_much or budget.spent:  # (not rendered, but it would have shown the warning signs)
        return "", [], WARNINGS_TOKEN in body
    md = converters.for_text(body)
    md.reset()
    try:
        raw = md.convert(body)
    except RecursionError:  # the nesting bound should make this unreachable; never a crash
        problems.append(Problem(path, 1, "Markdown nested too deeply: use fewer levels of lists and > quotes"))
        return "", [], False
    html_lines: set[int] = set()
    for block in md.htmlStash.rawHtmlBlocks:
        snippet = str(block).strip()
        if snippet.startswith("<"):  # (entities such as &amp; are stashed too, and are fine)
            first = snippet.splitlines()[0][:40]
            line = line_containing(body, first, default=_first_tag_line(body))
            if line not in html_lines:  # one report per line, not one per tag
                html_lines.add(line)
                problems.append(Problem(path, line, f"raw HTML is not allowed ({first!r}); write plain Markdown"))
    collector = _LinkCollector()
    tags = _MAY_LINK.findall(raw)
    if tags:  # (most pages have no link: not parsed again for nothing)
        collector.feed("".join(tags))
        collector.close()
    targets: list[str] = []
    for src in collector.images:
        problems.append(Problem(path, line_containing(body, src), f"pictures are not allowed in page text ({src!r}); name the page's picture in {MANIFEST}"))
    for href in collector.links:
        cross = CROSS_TOPIC_LINK.match(href)
        if href.startswith("#") and len(href) > 1:
            targets.append(href[1:])
        elif cross:  # another topic's page: (thoracic-rfa#what-it-is) -> href="#thoracic-rfa/what-it-is"
            targets.append(f"{cross[1]}/{cross[2]}")
            raw = raw.replace(f'href="{href}"', f'href="#{cross[1]}/{cross[2]}"')
        else:
            problems.append(Problem(path, line_containing(body, href), f"link {href!r} leaves the kiosk; link only to pages, "
                                                                       "like (#risks), or another topic's, like (thoracic-rfa#what-it-is)"))
    block = f"<p>{WARNINGS_TOKEN}</p>"
    shows_warnings = block in raw
    if shows_warnings:
        raw = raw.replace(block, warnings_html(warnings))
    if WARNINGS_TOKEN in raw:  # e.g. indented into a code block: never show the token itself
        problems.append(Problem(path, line_containing(text, "{{"), "{{warning_signs}} must stand alone on its own line, not indented"))
    if raw.count(PRACTICE_TOKEN) != raw.count(f"<p>{PRACTICE_TOKEN}</p>"):  # the view looks for it as a paragraph
        problems.append(Problem(path, line_containing(text, "{{practice_scale}}"),
                                "{{practice_scale}} must stand alone on its own line, not indented"))
    return sanitise(raw), targets, shows_warnings
