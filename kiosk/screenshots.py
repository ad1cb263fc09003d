"""``kiosk screenshots``: one PNG per page of every topic, rendered offscreen, for review and docs.

Files are named ``<language>-<nn>-<page>-<size>.png`` for the default topic (and the
welcome screen, ``<language>-00-welcome-...``), ``<language>-<topic>-<nn>-<page>-...`` for
the others.

A stage picture that moves is shown at its last frame, or ``at`` seconds in: the same
picture every time (nothing plays while the screenshots are taken)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.core.content import ContentLibrary
from kiosk.core.settings import Settings
from kiosk.ui.app import build_kiosk
from kiosk.ui.controller import Controller
from kiosk.ui.frame import KioskWindow
from kiosk.ui.pages.base import PageView
from kiosk.ui.pages.check_page import CheckPage
from kiosk.ui.pages.diary_page import DiaryPage

PRACTICE_SCORE = 7


def take_screenshots(library: ContentLibrary, settings: Settings, out: Path, size: tuple[int, int],
                     languages: list[str], text_scale: float = 1.0, high_contrast: bool = False,
                     at: float | None = None, topics: list[str] | None = None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    kiosk = build_kiosk(settings, library, size=size)
    controller = kiosk.controller
    window = kiosk.window
    window.show()
    written: list[Path] = []
    suffix = f"{size[0]}x{size[1]}" + (f"-{round(text_scale * 100)}pct" if text_scale != 1.0 else "") + ("-contrast" if high_contrast else "") + ("" if at is None else f"-at{at:g}s")
    for language in languages:
        controller.reset_session()
        controller.model.set_language(language)
        if text_scale != 1.0:
            controller.model.set_text_scale(text_scale)
        if high_contrast:
            controller.model.set_high_contrast(True)
        for topic in topics or library.topics:
            written += _topic_screenshots(controller, window, out, language, topic, topic == library.default_topic,
                                          suffix, at)
    window.close()
    window.allow_close()
    window.close()
    window.deleteLater()
    return written


def _topic_screenshots(controller: Controller, window: KioskWindow, out: Path, language: str, topic: str,
                       default: bool, suffix: str, at: float | None) -> list[Path]:
    """The welcome screen (default topic only) and every page of ``topic``, in ``language``."""
    written: list[Path] = []
    controller.model.start(topic)
    pack = controller.pack
    prefix = f"{language}-" if default else f"{language}-{topic}-"
    # Tick two questions so the checklist and summary show real state.
    # (Into the session directly, not through the model: a tick there is also spoken.)
    for question in pack.questions[:2]:
        if question.id not in controller.session.ticked:
            controller.session.toggle(question.id)
    controller.session.practice_score = PRACTICE_SCORE  # (and a score on the diary's practice scale)
    for view in controller.views.values():
        view.sync(controller.session)
    targets: list[tuple[str, str | None]] = [("00-welcome", None)] if default else []
    targets += [(f"{i + 1:02d}-{page.id}", page.id) for i, page in enumerate(pack.pages)]
    for name, page_id in targets:
        controller.show(page_id)
        if page_id is not None:
            controller.views[page_id].show_moment(at)
        QApplication.processEvents()
        path = out / f"{prefix}{name}-{suffix}.png"
        window.grab().save(str(path))
        written.append(path)
        shown = controller.views.get(page_id or "")
        if isinstance(shown, DiaryPage):  # the practice scale is below the fold: a second picture of it
            written.append(_grab_at(window, shown, shown.practice, out / f"{prefix}{name}-practice-{suffix}.png"))
        if isinstance(shown, CheckPage) and pack.checks:  # and the feedback after an answer that was not quite right
            item = pack.checks[0]
            miss = next(i for i in range(len(item.answers)) if i != item.right)
            controller.session.check_answers[f"{pack.topic}/{item.id}"] = miss  # (directly: no speech)
            controller.session.ticked.insert(0, item.question_id)
            shown.sync(controller.session)
            QApplication.processEvents()
            written.append(_grab_at(window, shown, shown.question, out / f"{prefix}{name}-feedback-{suffix}.png", shown.feedback))
            if len(pack.checks) > 1:  # and the next item answered right (its feedback says why)
                item = pack.checks[1]
                controller.session.check_answers[f"{pack.topic}/{item.id}"] = item.right
                controller.session.check_at[pack.topic] = 1
                shown.sync(controller.session)
                QApplication.processEvents()
                written.append(_grab_at(window, shown, shown.question, out / f"{prefix}{name}-right-{suffix}.png", shown.feedback))
    return written


def _grab_at(window: KioskWindow, page: PageView, part: QWidget, path: Path, then: QWidget | None = None) -> Path:
    """A picture of ``window`` with ``page`` scrolled to show ``part`` at the top, and then, as
    the page does after an answer, scrolled on as far as it takes to show ``then`` whole (at
    200 % on a small panel the feedback is below the answers); the page is scrolled back after."""
    bar = page.scroll_area.verticalScrollBar()
    bar.setValue(part.mapTo(page.body, QPoint(0, 0)).y() - 16)
    QApplication.processEvents()
    if then is not None:
        page.scroll_area.ensureWidgetVisible(then, 0, 24)
        QApplication.processEvents()
    window.grab().save(str(path))
    bar.setValue(0)
    return path
