"""``{{clinic_name}}``-style placeholders: filled in from the config at load, in the
manifest's texts and the pages' Markdown alike."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from kiosk.core.content.model import PLACEHOLDER, PLACEHOLDER_KEYS, WARNINGS_BLOCK
from kiosk.core.diary import PLAN_BLOCK, PRACTICE_BLOCK

# What a ``{{warning_signs}}`` line of a page becomes until the rendered page gets the tiers.
WARNINGS_TOKEN = "KIOSKWARNINGSIGNSBLOCK"
# What a ``{{practice_scale}}`` line becomes, and stays: a diary page's view puts its
# practice scale there (kiosk.ui.pages.diary_page).
PRACTICE_TOKEN = "KIOSKPRACTICESCALEBLOCK"
# Placeholders that stand alone on a line of a page and become more than words.
BLOCKS = (WARNINGS_BLOCK, PLAN_BLOCK, PRACTICE_BLOCK)

Report = Callable[[str, int], None]  # (message, offset in the text)


def substitute(text: str, values: dict[str, str], report: Report, escape: bool = False, block_ok: bool = False) -> str:
    """Replace ``{{name}}`` placeholders; ``report(message, offset)`` gets each problem.
    With ``block_ok`` (page text), ``{{warning_signs}}`` alone on its line becomes
    :data:`WARNINGS_TOKEN`, which :func:`kiosk.core.content.markdown.render_page` swaps
    for the warning signs; ``{{practice_scale}}`` becomes :data:`PRACTICE_TOKEN`; and
    ``{{diary_plan}}`` becomes the Markdown lines ``values["diary_plan"]`` holds."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in BLOCKS and block_ok:
            start = text.rfind("\n", 0, match.start()) + 1
            end = text.find("\n", match.end())
            line = text[start: end if end >= 0 else len(text)]
            if line.strip() != match.group(0):
                report(f"{match.group(0)} must stand alone on its own line", match.start())
                return match.group(0)
            if name == PLAN_BLOCK:
                plan = values.get(PLAN_BLOCK, "")
                return html.escape(plan, quote=False) if escape else plan
            return WARNINGS_TOKEN if name == WARNINGS_BLOCK else PRACTICE_TOKEN
        if name not in PLACEHOLDER_KEYS:
            known = [*PLACEHOLDER_KEYS, *BLOCKS] if block_ok else list(PLACEHOLDER_KEYS)
            report(f"unknown placeholder {match.group(0)} (known: " + ", ".join("{{" + k + "}}" for k in known) + ")",
                   match.start())
            return match.group(0)
        value = values.get(name, "").strip()
        if not value:
            report(f"placeholder {match.group(0)} has no value: set {name} in the config file", match.start())
            return match.group(0)
        return html.escape(value) if escape else value

    return PLACEHOLDER.sub(replace, text)
