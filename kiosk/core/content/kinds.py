"""Page kinds: what a pack's ``kind = "..."`` may name, and the rules each kind adds.

One table, read by the manifest checker; the screen side keeps its own table of the view
that shows each kind (``kiosk.ui.pages.registry``). A new kind of page is one view module
plus a line in each table."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageKind:
    name: str
    numbered: bool = False  # a step of the procedure: needs ``step = n`` (1, 2, 3... in page order)
    exactly_one: bool = False  # every pack has exactly one page of this kind


PAGE_KINDS: dict[str, PageKind] = {}


def register(kind: PageKind) -> None:
    PAGE_KINDS[kind.name] = kind


# An info page that also shows the pain diary's practice scale, where its text says
# {{practice_scale}}, and the button that prints the diary (kiosk.core.diary).
DIARY_KIND = "diary"
# The check of understanding (teach-back): its items are the pack's [[checks]]; at most one a
# pack, before the checklist (kiosk.core.content.checks).
CHECK_KIND = "check"

for _kind in (PageKind("info"), PageKind("stage", numbered=True), PageKind("checklist", exactly_one=True),
              PageKind("summary", exactly_one=True), PageKind(DIARY_KIND), PageKind(CHECK_KIND)):
    register(_kind)
