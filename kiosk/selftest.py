"""``kiosk --self-test``: what a frozen build's smoke test runs."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from kiosk.core.errors import ContentError
from kiosk.core.resources import ResourceError, asset
from kiosk.core.settings import Settings
from kiosk.ui.app import build_kiosk, load_content

ICONS = ("back", "next", "home", "speaker", "stop", "text-size", "contrast", "check", "language")


def self_test(settings: Settings, content: Path | None) -> int:
    """Load all content, build and render every page of every topic in every language; 0 when all is
    well. Config problems fail it too (after the rendering, which still runs): the kiosk
    would otherwise start on defaults for those keys without anyone noticing."""
    for problem in settings.problems:
        print(f"config problem: {problem}", file=sys.stderr)
    try:
        library = load_content(settings, content)
        for name in ICONS:
            asset("icons", f"{name}.svg")
        asset("illustrations", "welcome.svg")
    except (ContentError, ResourceError) as exc:
        print(f"self-test FAILED:\n{exc}", file=sys.stderr)
        return 1
    kiosk = build_kiosk(settings, library, size=(1280, 800))
    kiosk.window.show()
    rendered = 0
    for language in library.languages:
        kiosk.controller.reset_session()
        kiosk.controller.model.set_language(language)
        for topic in library.topics:  # every topic the kiosk offers; the welcome screen once
            kiosk.controller.model.start(topic)
            first = [None] if topic == library.topics[0] else []
            for page_id in first + [p.id for p in kiosk.controller.pack.pages]:
                kiosk.controller.show(page_id)
                # What the change posted (layout requests, queued calls), so the grab draws it laid
                # out; unlike processEvents(), no input and no timer runs in between. (A blank or
                # broken screen is what this looks for, not the last pixel: `kiosk screenshots`
                # still turns the event loop, for the focus ring and the settled layout.)
                QApplication.sendPostedEvents()
                image = kiosk.window.grab().toImage()
                if image.isNull() or _blank(image):
                    print(f"self-test FAILED: page {topic}/{page_id or 'welcome'} ({language}) rendered blank", file=sys.stderr)
                    return 1
                rendered += 1
    kiosk.window.allow_close()
    kiosk.window.close()
    # Delete the window now, not at interpreter exit: its background job queues (the
    # statistics write of the resets above) end their threads when it goes; a QThread
    # still running when Python tears the objects down aborts the process.
    kiosk.window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    screens = f"{len(library.topics)} topic(s), {len(library.languages)} language(s), {rendered} screens rendered"
    if settings.problems:
        print(f"self-test FAILED: {len(settings.problems)} config problem(s) (listed above); {screens}", file=sys.stderr)
        return 1
    print(f"self-test OK: {screens}")
    return 0


def _blank(image: QImage) -> bool:
    """True when a sample grid of pixels is all one colour."""
    first = QColor(image.pixel(0, 0))
    step_x, step_y = max(1, image.width() // 40), max(1, image.height() // 40)
    for y in range(0, image.height(), step_y):
        for x in range(0, image.width(), step_x):
            if QColor(image.pixel(x, y)) != first:
                return False
    return True
