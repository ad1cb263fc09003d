"""Authored HTML never reaches a page: scripts, remote/file images, outside links."""

from __future__ import annotations

import pytest

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
