"""The remembered welcome picture: shown at start only when it is exactly what the kiosk will
draw, taken only from an untouched welcome screen, replaced when it no longer matches."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from kiosk.core.resources import content_root
from kiosk.core.settings import Settings
from kiosk.ui import first_frame
from kiosk.ui.app import application, build_kiosk, reveal_when_settled
from kiosk.ui.first_frame import (
    FrameReading,
    StartPicture,
    StartPictureKeeper,
    frame_key,
    frame_path,
    is_fresh,
    read_frame,
    remember,
    same_picture,
    screen_text,
    show_first_frame,
)
from kiosk.ui.speech import Speaker

REPO = Path(__file__).resolve().parents[1]


class SlowStart(Speaker):
    """A speaker whose engine is still starting, as a real one is for a moment at start-up."""

    still_starting = True

    @property
    def starting(self) -> bool:
        return self.still_starting


@pytest.fixture
def content(tmp_path: Path, settings: Settings) -> Path:
    """A copy of the shipped content that a test may change."""
    folder = tmp_path / "content"
    shutil.copytree(content_root(settings, None), folder)
    return folder


def a_picture(colour: int = 0xFF336699) -> QImage:
    image = QImage(64, 40, QImage.Format.Format_RGB32)
    image.fill(colour)
    return image


# ------------------------------------------------------------------ the key


def test_the_key_changes_with_every_byte_of_the_content_even_at_the_same_size_and_time(content: Path,
                                                                                         settings: Settings) -> None:
    before = frame_key(settings, content)
    page = next(content.glob("thoracic-mbb/en/*.md"))
    stat = page.stat()
    text = page.read_bytes()
    changed = text.replace(b"a", b"e", 1)
    assert changed != text and len(changed) == len(text)
    page.write_bytes(changed)
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert frame_key(settings, content) != before


def test_the_key_changes_with_the_config_and_with_a_file_added_or_removed(content: Path, settings: Settings) -> None:
    before = frame_key(settings, content)
    assert frame_key(settings, content) == before  # the same inputs give the same key
    assert frame_key(Settings(clinic_name="Other Clinic", clinic_phone="555-0142", languages=("en", "es")), content) != before
    extra = content / "thoracic-mbb" / "en" / "notes.txt"
    extra.write_text("x", encoding="utf-8")
    with_extra = frame_key(settings, content)
    assert with_extra != before
    extra.unlink()
    assert frame_key(settings, content) == before


def test_the_key_leaves_out_only_the_readme_pictures_among_the_assets(content: Path, settings: Settings,
                                                                     tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's screenshots draw nothing (and the frozen build has none): a start does not
    read them; any other asset is part of the key."""
    from kiosk.ui import first_frame

    assets = tmp_path / "assets"
    shutil.copytree(first_frame.assets_dir(), assets)
    monkeypatch.setattr(first_frame, "assets_dir", lambda: assets)
    before = frame_key(settings, content)
    (assets / "screenshots" / "new.png").write_bytes(b"not drawn")
    assert frame_key(settings, content) == before
    (assets / "icons" / "new.svg").write_bytes(b"<svg/>")
    assert frame_key(settings, content) != before


# ------------------------------------------------------------------ reading it back


def test_a_picture_is_read_back_only_for_its_own_key_and_screen(tmp_path: Path, qapp: QApplication) -> None:
    path = tmp_path / "first-frame.png"
    picture = a_picture()
    assert remember(picture, "key-1", "64x40@1", path)
    assert same_picture(read_frame(path, "key-1", "64x40@1"), picture)
    assert read_frame(path, "key-2", "64x40@1") is None  # other content, config or version
    assert read_frame(path, "key-1", "1920x1080@1") is None  # another screen
    assert read_frame(tmp_path / "missing.png", "key-1", "64x40@1") is None


def test_a_picture_read_on_its_own_thread_is_used_only_for_its_own_key_and_screen(tmp_path: Path, qapp: QApplication,
                                                                                  settings: Settings, content: Path,
                                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The start decodes the picture while Qt starts; the key and screen are checked after."""
    path = tmp_path / "elsewhere.png"  # not frame_path(): the reading given is the one used
    picture = a_picture(0xFF00AA00).scaled(qapp.primaryScreen().geometry().size())
    remember(picture, frame_key(settings, content), screen_text(qapp), path)
    assert same_picture(FrameReading(path).picture(frame_key(settings, content), screen_text(qapp)), picture)
    assert FrameReading(path).picture("another key", screen_text(qapp)) is None
    assert FrameReading(path).picture(frame_key(settings, content), "1x1@1") is None
    assert FrameReading(tmp_path / "missing.png").picture("key", "64x40@1") is None
    monkeypatch.setattr(first_frame, "SHOW_WAIT_MS", 50)
    start = show_first_frame(qapp, settings, content, FrameReading(path))
    assert start.window is not None and start.cover is not None and same_picture(start.cover.image, picture)
    start.window.allow_close()
    start.window.close()


@pytest.mark.parametrize("damage", ["truncated", "not a png", "empty", "folder"])
def test_a_damaged_picture_is_ignored_without_an_error(tmp_path: Path, qapp: QApplication, damage: str) -> None:
    path = tmp_path / "first-frame.png"
    remember(a_picture(), "key-1", "64x40@1", path)
    data = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "not a png":
        path.write_bytes(b"GIF89a" + data[6:])
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        path.unlink()
        path.mkdir()
    assert read_frame(path, "key-1", "64x40@1") is None
    assert FrameReading(path).picture("key-1", "64x40@1") is None  # (read on a thread: the same)


def test_a_huge_file_is_not_read(tmp_path: Path, qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "first-frame.png"
    remember(a_picture(), "key-1", "64x40@1", path)
    monkeypatch.setattr(first_frame, "MAX_FILE_BYTES", path.stat().st_size - 1)
    assert read_frame(path, "key-1", "64x40@1") is None


# ------------------------------------------------------------------ start-up with and without it


def test_without_a_picture_nothing_is_shown_before_the_kiosk(qapp: QApplication, settings: Settings, content: Path) -> None:
    start = show_first_frame(qapp, settings, content)
    assert start.window is None and start.cover is None and start.image is None
    assert start.key == frame_key(settings, content)
    assert start.screen == screen_text(qapp)


def test_the_picture_covers_the_kiosk_window_that_the_kiosk_is_then_built_in(qtbot, settings: Settings, library,
                                                                             content: Path) -> None:
    app = application()
    picture = a_picture(0xFF00FF00).scaled(app.primaryScreen().geometry().size())
    remember(picture, frame_key(settings, content), screen_text(app))
    start = show_first_frame(app, settings, content)
    assert start.window is not None and start.cover is not None
    qtbot.addWidget(start.window)
    assert start.window.isVisible() and start.cover.isVisible()
    assert same_picture(start.window.grab().toImage(), picture)  # on the screen: the picture, all of it

    kiosk = build_kiosk(settings, library, window=start.window)
    assert kiosk.window is start.window
    assert same_picture(kiosk.window.grab().toImage(), picture)  # still covered while it is built
    reveal_when_settled(kiosk, start)  # the mock speech engine has started at once
    qtbot.waitUntil(lambda: start.cover is None, timeout=3000)
    shown = kiosk.window.grab().toImage()
    assert not same_picture(shown, picture)  # the real welcome screen
    kiosk.window.allow_close()


def test_the_toolbar_comes_up_at_its_settled_size_behind_the_picture(qtbot, settings: Settings, library,
                                                                      content: Path) -> None:
    """The window, activated with the picture alone in it, gave the keyboard focus to the
    first button in the chain (Read aloud), which was then measured with the focus ring's
    wider border: the toolbar came up 4 px too wide and shifted 0.2 s after the picture went.
    The picture holds the focus until the welcome screen takes it."""
    app = application()
    remember(a_picture().scaled(app.primaryScreen().geometry().size()), frame_key(settings, content), screen_text(app))
    start = show_first_frame(app, settings, content)
    assert start.window is not None and start.cover is not None
    qtbot.addWidget(start.window)
    assert start.window.focusWidget() is start.cover  # (what an activated window gives the focus to)
    kiosk = build_kiosk(settings, library, window=start.window)
    toolbar = kiosk.window.toolbar
    assert not any(b.hasFocus() for b in toolbar.buttons())
    reveal_when_settled(kiosk, start)
    qtbot.waitUntil(lambda: start.cover is None, timeout=3000)
    QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    shown = [b.geometry() for b in toolbar.buttons()]
    for button in toolbar.buttons():
        button.setIcon(button.icon())  # (forgets the size each button measured, with or without focus)
    toolbar.arrange(kiosk.window.width())
    toolbar.layout().activate()
    assert [b.geometry() for b in toolbar.buttons()] == shown
    assert kiosk.controller.welcome is not None and kiosk.controller.welcome.start.hasFocus()
    kiosk.window.allow_close()


def test_the_real_screen_waits_for_speech_to_start_before_replacing_the_picture(qtbot, settings: Settings, library,
                                                                                content: Path) -> None:
    app = application()
    remember(a_picture().scaled(app.primaryScreen().geometry().size()), frame_key(settings, content), screen_text(app))
    start = show_first_frame(app, settings, content)
    assert start.window is not None and start.cover is not None
    qtbot.addWidget(start.window)
    speaker = SlowStart(engine="mock")
    kiosk = build_kiosk(settings, library, window=start.window, speaker=speaker)
    reveal_when_settled(kiosk, start)
    QCoreApplication.sendPostedEvents(None, 0)
    qtbot.wait(20)  # several turns of the loop: still covered
    assert start.cover is not None and start.cover.isVisible()
    speaker.still_starting = False
    speaker.availability_changed.emit(True)
    qtbot.waitUntil(lambda: start.cover is None, timeout=3000)
    kiosk.window.allow_close()


def test_an_out_of_order_start_closes_the_covered_window_once_its_own_is_up(qtbot, settings: Settings, content: Path) -> None:
    app = application()
    remember(a_picture().scaled(app.primaryScreen().geometry().size()), frame_key(settings, content), screen_text(app))
    start = show_first_frame(app, settings, content)
    covered = start.window
    assert covered is not None
    from kiosk.ui.out_of_order import OutOfOrder

    notice = OutOfOrder(settings, "content/en/pack.toml:1: broken", None)
    qtbot.addWidget(notice)
    notice.show()
    gone: list[bool] = []
    covered.destroyed.connect(lambda: gone.append(True))
    start.window_ready(notice)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert gone and start.window is None and start.cover is None


# ------------------------------------------------------------------ taking it


def keeper_for(kiosk, start: StartPicture) -> StartPictureKeeper:  # type: ignore[no-untyped-def]
    keeper = StartPictureKeeper(kiosk.controller, start)
    keeper.timer.setInterval(1)
    return keeper


def test_an_untouched_welcome_screen_is_taken_for_the_next_start(qtbot, kiosk, settings: Settings) -> None:
    start = StartPicture("key-1", screen_text(kiosk.app))
    keeper = keeper_for(kiosk, start)
    with qtbot.waitSignal(keeper.finished, timeout=5000) as outcome:
        pass
    assert outcome.args == ["saved"]
    saved = read_frame(frame_path(), "key-1", start.screen)
    assert same_picture(saved, kiosk.window.grab().toImage())


def test_a_picture_that_still_matches_is_not_written_again(qtbot, kiosk) -> None:
    shown = kiosk.window.grab().toImage()
    remember(shown, "key-1", screen_text(kiosk.app))
    before = frame_path().stat().st_mtime_ns
    keeper = keeper_for(kiosk, StartPicture("key-1", screen_text(kiosk.app), image=shown))
    with qtbot.waitSignal(keeper.finished, timeout=5000) as outcome:
        pass
    assert outcome.args == ["same"]
    assert frame_path().stat().st_mtime_ns == before


def test_a_picture_that_no_longer_matches_is_replaced(qtbot, kiosk) -> None:
    stale = a_picture().scaled(kiosk.window.size())
    remember(stale, "key-1", screen_text(kiosk.app))
    keeper = keeper_for(kiosk, StartPicture("key-1", screen_text(kiosk.app), image=stale))
    with qtbot.waitSignal(keeper.finished, timeout=5000) as outcome:
        pass
    assert outcome.args == ["saved"]
    assert same_picture(read_frame(frame_path(), "key-1", screen_text(kiosk.app)), kiosk.window.grab().toImage())


@pytest.mark.parametrize("touch", ["started", "language", "text size", "contrast", "ticked"])
def test_nothing_a_patient_chose_is_ever_in_the_picture(qtbot, kiosk, touch: str) -> None:
    c = kiosk.controller
    if touch == "started":
        c.model.start()
    elif touch == "language":
        c.model.set_language("es")
    elif touch == "text size":
        c.model.cycle_text_size()
    elif touch == "contrast":
        c.model.set_high_contrast(True)
    else:
        c.model.toggle(c.pack.questions[0].id)
    assert not is_fresh(c)
    keeper = keeper_for(kiosk, StartPicture("key-1", screen_text(kiosk.app)))
    qtbot.waitUntil(lambda: keeper.attempts >= 3, timeout=5000)
    assert not frame_path().exists()
    # After a reset the screen is the fresh one again, and that is what is taken.
    with qtbot.waitSignal(keeper.finished, timeout=5000) as outcome:
        c.reset_session()
    assert outcome.args == ["saved"]
    fresh = kiosk.window.grab().toImage()
    assert same_picture(read_frame(frame_path(), "key-1", screen_text(kiosk.app)), fresh)


def test_a_data_folder_that_cannot_be_written_costs_only_the_picture(qtbot, kiosk, tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("in the way", encoding="utf-8")
    keeper = StartPictureKeeper(kiosk.controller, StartPicture("key-1", screen_text(kiosk.app)), path=blocked / "first-frame.png")
    keeper.timer.setInterval(1)
    with qtbot.waitSignal(keeper.finished, timeout=5000) as outcome:
        pass
    assert outcome.args == ["not saved"]
    assert is_fresh(kiosk.controller)  # the patient's screen is untouched: no reset, no error


# ------------------------------------------------------------------ the real entry point


def test_the_kiosk_takes_the_picture_then_starts_with_it(tmp_path: Path) -> None:
    """Two real starts (``python -m kiosk``, fullscreen, offscreen): the first one writes the
    picture, the second shows it before building its screen. The settings are fitted to the
    content only after the picture is shown (a topic the content lacks is still left out,
    and said in the log)."""
    config = tmp_path / "kiosk.toml"
    config.write_text('clinic_name = "Sunrise Pain Clinic"\nclinic_phone = "555-0142"\n'
                      'topics = ["thoracic-mbb", "knee"]\n', encoding="utf-8")
    env = dict(os.environ, KIOSK_DATA_DIR=str(tmp_path / "data"), QT_QPA_PLATFORM="offscreen",
               KIOSK_SPEECH_ENGINE="mock", PYTHONPATH=str(REPO), KIOSK_CONFIG=str(config))
    script = (
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "import kiosk.ui.first_frame as ff\n"
        "shown = ff.show_first_frame\n"
        "def watched(app, settings, folder, *reading):\n"
        "    start = shown(app, settings, folder, *reading)\n"
        "    print('picture shown' if start.cover is not None else 'no picture', flush=True)\n"
        "    print('collector on at start-up:', __import__('gc').isenabled(), flush=True)\n"
        "    def done(outcome):\n"
        "        from kiosk.ui.input_guard import InputGuard\n"
        "        print('keeper:', outcome, flush=True)\n"
        "        print('input guard armed:', InputGuard.of(QApplication.instance()).armed, flush=True)\n"
        "        gc = __import__('gc')\n"
        "        print('collector on after:', gc.isenabled(), gc.get_freeze_count() > 10000, flush=True)\n"
        "        QApplication.instance().exit(0)\n"
        "    QTimer.singleShot(0, lambda: start.keeper.finished.connect(done))\n"
        "    return start\n"
        "ff.show_first_frame = watched\n"
        "from kiosk.__main__ import main\n"
        "sys.exit(main([]))\n"
    )
    runs = [subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60, cwd=REPO,
                           check=False)
            for _ in range(2)]
    # (The input guard waits for the first picture: armed by now, in both. Python's cyclic
    # collector is off until the first paint, then on, with what start-up made frozen.)
    after = ["input guard armed: True", "collector on after: True True"]
    assert runs[0].stdout.split("\n")[:5] == ["no picture", "collector on at start-up: False", "keeper: saved", *after], runs[0].stderr
    assert runs[1].stdout.split("\n")[:5] == ["picture shown", "collector on at start-up: False", "keeper: same", *after], runs[1].stderr
    log = (tmp_path / "data" / "kiosk.log").read_text(encoding="utf-8")
    assert log.count("topics: no topic folder 'knee'") == 2, log
