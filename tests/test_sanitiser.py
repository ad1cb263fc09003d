"""Authored HTML never reaches a page: scripts, remote/file images, outside links."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.core.content.markdown import render, sanitise


@pytest.mark.parametrize(
    "markdown_text, forbidden",
    [
        ("Hi <script>alert(1)</script> there", ["<script", "alert(1)"]),
        ('<img src="http://evil.example/x.png">', ["<img", "evil.example"]),
        ('<img src="file:///etc/passwd">', ["<img", "/etc/passwd"]),
        ("[x](javascript:alert(1))", ["javascript:", "href"]),
        ("[x](https://example.org)", ["https:", "href"]),
        ("[x](file:///etc/passwd)", ["file:", "href"]),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", ["data:", "href"]),
        ("<a href=\"https://example.org\" onclick=\"x()\">a</a>", ["https:", "onclick"]),
        ("<iframe src=\"https://example.org\"></iframe>", ["<iframe"]),
        ('<p style="color:red">x</p>', ["style"]),
    ],
)
def test_dangerous_input_is_removed(markdown_text: str, forbidden: list[str]) -> None:
    html = render(markdown_text)
    for fragment in forbidden:
        assert fragment not in html


def test_in_app_links_and_plain_markup_survive() -> None:
    html = render("## Heading\n\n- **Bold** item\n- See [risks](#risks)\n")
    assert "<h2>Heading</h2>" in html
    assert "<strong>Bold</strong>" in html
    assert '<a href="#risks">risks</a>' in html


def test_sanitise_drops_relative_file_links() -> None:
    assert sanitise('<a href="notes.md">x</a>') == "<a>x</a>"


# --------------------------------------------------------------------------- converters without unused inline patterns

MARKDOWN_SAMPLES = [
    "Plain words only.\n\n- an item\n- another\n",
    "**bold** and *em* and __b__ and _e_\n",
    "See [risks](#risks) and [ref][1].\n\n[1]: #risks\n",
    "![a picture](x.svg) and ![ref][p]\n\n[p]: y.svg\n",
    "`code` and \\*escaped\\* and &amp; &#169; &copy;\n",
    "<http://example.org> and <someone@example.org> and <b>tag</b>\n",
    "Line with a break  \nnext line\n",
    "Windows line ends with a break  \r\nnext line\r\n",
    "Tab before newline\t\nnext\n> quoted *em*\n>\n> - in a list with [link](#x)\n",
    "!\n[not an image](#a)\n\n!> [x](#y)\n",
    "!\x02[an image after all](#a) and [r]\x03: #b then [r]\n",
    "[ref][r] and [r] and ![pic][r]\n\n[r]: #risks\n",
    "[ref][r] with no definition, ![pic][r] ]:\n",
]


def _pages() -> list[str]:
    from kiosk.core.resources import content_dir

    return [p.read_text(encoding="utf-8") for p in sorted(content_dir().glob("*/*/*.md"))]


@pytest.mark.parametrize("text", MARKDOWN_SAMPLES + _pages())
def test_a_converter_without_the_patterns_a_page_cannot_use_renders_it_the_same(text: str) -> None:
    from kiosk.core.content.markdown import Converters, new_converter

    assert Converters().for_text(text).convert(text) == new_converter().convert(text)


def test_patterns_are_left_out_only_when_their_characters_are_missing() -> None:
    from kiosk.core.content.markdown import Converters

    converters = Converters()
    plain = converters.for_text("Words, and more words.")
    assert "link" not in plain.inlinePatterns and "em_strong" not in plain.inlinePatterns
    assert "linebreak" not in plain.inlinePatterns
    assert "linebreak" in converters.for_text("A line  \nbroken").inlinePatterns
    assert "linebreak" in converters.for_text("A tab\t\nmay become spaces").inlinePatterns
    assert converters.for_text("Other words.") is plain  # shared by pages that lack the same characters
    marked = converters.for_text("**Bold** [link](#x)")
    assert "link" in marked.inlinePatterns and "em_strong" in marked.inlinePatterns and "html" not in marked.inlinePatterns


def test_block_and_tree_steps_are_left_out_only_when_their_characters_are_missing() -> None:
    from kiosk.core.content.markdown import Converters

    converters = Converters()
    plain = converters.for_text("Words, and more words.\n\n- an item\n")
    for name in ("hashheader", "quote", "reference"):
        assert name not in plain.parser.blockprocessors
    assert "html_block" not in plain.preprocessors and "unescape" not in plain.treeprocessors
    assert "ulist" in plain.parser.blockprocessors and "paragraph" in plain.parser.blockprocessors
    marked = converters.for_text("## Heading\n\n> quoted \\* [r]\n\n[r]: #risks\n")
    for name in ("hashheader", "quote", "reference"):
        assert name in marked.parser.blockprocessors
    assert "unescape" in marked.treeprocessors and "html_block" not in marked.preprocessors
    tagged = converters.for_text("Some <b>bold</b>")
    assert "html_block" in tagged.preprocessors and "hashheader" in tagged.parser.blockprocessors


@given(st.text(alphabet="ab *_[]()!<>&#;`\\\n\r\t-:/@.1=\x02\x03", max_size=80))
@settings(max_examples=300, deadline=None)
def test_left_out_patterns_never_change_what_a_page_renders_to(text: str) -> None:
    from kiosk.core.content.markdown import Converters, new_converter

    assert Converters().for_text(text).convert(text) == new_converter().convert(text)


@pytest.mark.parametrize("text", MARKDOWN_SAMPLES + _pages() + ["a &amp; b &lt;c&gt; &nbsp;x\u00a0y", "[x](#a>b) y", "x  \ny\n\n---\n\n> q"])
def test_blocks_of_sanitised_html_are_those_htmlparser_finds(text: str) -> None:
    from kiosk.core.render import html_to_blocks, sanitised_html_to_blocks

    html = render(text)
    assert sanitised_html_to_blocks(html) == html_to_blocks(html)


@given(st.text(alphabet="ab *_[]()!<>&#;`\\\n\t-:/@.1\u00a0\"'=", max_size=80))
@settings(max_examples=300, deadline=None)
def test_blocks_of_any_sanitised_page_are_those_htmlparser_finds(text: str) -> None:
    from kiosk.core.render import html_to_blocks, sanitised_html_to_blocks

    html = render(text)
    assert sanitised_html_to_blocks(html) == html_to_blocks(html)
