"""Page kinds on the screen: one table from a kind's name to the view that shows it.

The content side checks what each kind needs (``kiosk.core.content.kinds``); this table
says how it looks. A new kind of page is one view module (a ``PageView`` built from a
``PageContext``) and one line here (or ``register`` from a plug-in or a test): nothing
else in the kiosk names page kinds. Views share one small interface (``PageView``): they
ask for changes through its signals and are told what changed through its hooks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kiosk.core.content import ContentPack, Page
from kiosk.core.session import Session
from kiosk.core.settings import Settings
from kiosk.ui.pages.base import PageView
from kiosk.ui.theme import Theme


@dataclass(frozen=True)
class PageContext:
    """Everything a view is built from."""

    pack: ContentPack
    page: Page
    session: Session
    theme: Theme
    can_print: bool = False
    settings: Settings | None = None  # the clinic's (None: the defaults)


ViewFactory = Callable[[PageContext], PageView]


def _content(context: PageContext) -> PageView:
    from kiosk.ui.pages.content_page import ContentPage

    return ContentPage(context.pack, context.page, context.theme, context.session.text_scale)


def _stage(context: PageContext) -> PageView:
    from kiosk.core.session import motion_reduced
    from kiosk.ui.pages.stage_page import StagePage

    settings = context.settings or Settings()
    reduced = motion_reduced(context.session, settings.motion == "reduced")
    return StagePage(context.pack, context.page, context.theme, context.session.text_scale, reduced)


def _checklist(context: PageContext) -> PageView:
    from kiosk.ui.pages.checklist import ChecklistPage

    return ChecklistPage(context.pack, context.page, context.session, context.theme)


def _summary(context: PageContext) -> PageView:
    from kiosk.ui.pages.summary import SummaryPage

    return SummaryPage(context.pack, context.page, context.session, context.theme, can_print=context.can_print)


def _diary(context: PageContext) -> PageView:
    from kiosk.ui.pages.diary_page import DiaryPage

    settings = context.settings or Settings()
    return DiaryPage(context.pack, context.page, context.theme, context.session.text_scale, context.session,
                     schedule=settings.diary_schedule, can_print=context.can_print)


def _check(context: PageContext) -> PageView:
    from kiosk.ui.pages.check_page import CheckPage

    return CheckPage(context)


VIEWS: dict[str, ViewFactory] = {
    "info": _content,
    "stage": _stage,
    "checklist": _checklist,
    "summary": _summary,
    "diary": _diary,
    "check": _check,
}


def register(kind: str, factory: ViewFactory) -> None:
    VIEWS[kind] = factory


def make_view(context: PageContext) -> PageView:
    """The view for ``context.page``'s kind (the loader only lets known kinds through)."""
    return VIEWS[context.page.kind](context)
