"""Every test runs offscreen, with its own empty data folder and no clinic config."""

from __future__ import annotations

import os
from collections.abc import Iterator

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_ACCESSIBILITY", "0")
# Qt Multimedia (under QtTextToSpeech) warns when PipeWire is absent; that is not ours.
os.environ["QT_LOGGING_RULES"] = "qt.multimedia.*=false"
os.environ["KIOSK_SPEECH_ENGINE"] = "mock"

import pytest

from kiosk.core.content import ContentLibrary
from kiosk.core.settings import Settings


@pytest.fixture(autouse=True)
def isolated_machine(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh per-machine data folder; no KIOSK_CONFIG from the developer's shell."""
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    monkeypatch.setenv("KIOSK_SYSTEM_CONFIG_DIR", str(tmp_path_factory.mktemp("etc")))


@pytest.fixture(autouse=True)
def destroy_what_the_test_left(request: pytest.FixtureRequest) -> Iterator[None]:
    """Delete the widgets a test leaves behind at the end of that test, not in a later one.

    pytest-qt closes each registered window and calls deleteLater() on it, outside any
    event loop. Qt runs those deletions only when some later event loop turns: the first
    qtbot.wait of a later test then spent seconds destroying the windows of dozens of
    earlier tests before delivering its own window's first paint (a test waiting 3 s for
    that paint failed in every full run, never alone)."""
    yield
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(clinic_name="Sunrise Pain Clinic", clinic_phone="555-0142", languages=("en", "es"))


@pytest.fixture(scope="session")
def library(settings: Settings) -> ContentLibrary:
    from pathlib import Path

    from kiosk.ui.app import load_content

    override = os.environ.get("KIOSK_TEST_CONTENT")  # to try a content draft against the tests
    return load_content(settings, Path(override) if override else None)


@pytest.fixture
def kiosk(qtbot, settings: Settings, library: ContentLibrary):  # type: ignore[no-untyped-def]
    """The real window and controller at 1280x800, shown offscreen."""
    from kiosk.ui.app import build_kiosk

    built = build_kiosk(settings, library, size=(1280, 800))
    qtbot.addWidget(built.window)
    with qtbot.waitExposed(built.window):
        built.window.show()
    yield built
    built.window.allow_close()


@pytest.fixture
def make_kiosk(qtbot, settings: Settings, library: ContentLibrary):  # type: ignore[no-untyped-def]
    """Build and show a kiosk as ``kiosk`` does, with collaborators of the test's own:
    ``make_kiosk(printer=..., pin_guard=..., stats=..., settings=...)`` (build_kiosk's)."""
    from kiosk.ui.app import build_kiosk

    built_ones = []

    def make(**options):  # type: ignore[no-untyped-def]
        built = build_kiosk(options.pop("settings", settings), options.pop("library", library), size=(1280, 800), **options)
        qtbot.addWidget(built.window)
        with qtbot.waitExposed(built.window):
            built.window.show()
        built_ones.append(built)
        return built

    yield make
    for built in built_ones:
        built.window.allow_close()
