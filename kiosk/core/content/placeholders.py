"""``{{clinic_name}}``-style placeholders: filled in from the config at load, in the
manifest's texts and the pages' Markdown alike."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from kiosk.core.content.model import PLACEHOLDER, PLACEHOLDER_KEYS, WARNINGS_BLOCK

# What a ``{{warning_signs}}`` line of a page becomes until the rendered page gets the tiers.
WARNINGS_TOKEN = "KIOSKWARNINGSIGNSBLOCK"

Report = Callable[[str, int], None]  # (message, offset in the text)


def substitute(text: str, values: dict[str, str], report: Report, escape: bool = False, block_ok: bool = False) -> str:
    """Replace ``{{name}}`` placeholders; ``report(message, offset)`` gets each problem.
    With ``block_ok`` (page text), ``{{warning_signs}}`` alone on its line becomes
    :data:`WARNINGS_TOKEN`, which :func:`kiosk.core.content.markdown.render_page` swaps
    for the warning signs."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == WARNINGS_BLOCK and block_ok:
            start = text.rfind("\n", 0, match.start()) + 1
            end = text.find("\n", match.end())
            line = text[start: end if end >= 0 else len(text)]
            if line.strip() == match.group(0):
                return WARNINGS_TOKEN
            report(f"{match.group(0)} must stand alone on its own line", match.start())
            return match.group(0)
        if name not in PLACEHOLDER_KEYS:
            known = [*PLACEHOLDER_KEYS, WARNINGS_BLOCK] if block_ok else list(PLACEHOLDER_KEYS)
            report(f"unknown placeholder {match.group(0)} (known: " + ", ".join("{{" + k + "}}" for k in known) + ")",
                   match.start())
            return match.group(0)
        value = values.get(name, "").strip()
        if not value:
            report(f"placeholder {match.group(0)} has no value: set {name} in the config file", match.start())
            return match.group(0)
        return html.escape(value) if escape else value

    return PLACEHOLDER.sub(replace, text)
