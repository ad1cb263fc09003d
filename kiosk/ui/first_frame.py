"""The welcome screen's picture, on the screen the moment the kiosk starts.

Building the real welcome screen takes most of a start-up (importing Qt's Python types,
the content, the widgets). This module, which imports next to nothing, shows the picture
the same kiosk last drew of that screen, while the real one is built behind it; the real
window then opens on top, drawn exactly the same, and the picture goes. Nothing on the
screen changes when the real one takes over; a tap meanwhile does nothing.

The picture is only ever the screen a fresh session starts on: it is taken a moment after
start-up, only while nobody has touched anything (welcome screen, default language, text
size and contrast, no sheet or staff screen open), so nothing a patient chose is in it.
It is used only when everything that could change that screen is the same as when it was
taken (this file's key: the app's and Qt's versions, every config value, every byte of
the content and of the bundled assets) and the screen has the same size; otherwise the
kiosk starts without it and takes a new one. After each start the real screen is compared
with the picture, and a picture that no longer matches is replaced.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QEventLoop, QIODevice, QObject, Qt, QThreadPool, QTimer, Signal, qVersion
from PySide6.QtGui import QGuiApplication, QImage, QImageReader, QPainter, QPaintEvent
from PySide6.QtWidgets import QApplication, QWidget

from kiosk import __version__
from kiosk.core.digest import blake2b
from kiosk.core.paths import data_dir
from kiosk.core.resources import assets_dir
from kiosk.core.settings import Settings

if TYPE_CHECKING:
    from kiosk.ui.controller import Controller
    from kiosk.ui.frame import KioskWindow

log = logging.getLogger(__name__)

APP_NAME = "tmbb-kiosk"  # also the X window class, which the openbox rule matches
FILE_NAME = "first-frame.png"
_KEY = "kiosk-key"  # PNG text chunks: what the picture was drawn from, and on what screen
_SCREEN = "kiosk-screen"
MAX_FILE_BYTES = 20_000_000  # a 4K screen's welcome picture is well under this
SHOW_WAIT_MS = 1000  # at most, for the picture to reach the screen
TAKE_AFTER_MS = 500  # after the real screen is up, and then while someone is using the
TAKE_ATTEMPTS = 120  # kiosk (or speech is still starting) this often, for about a minute
SPEECH_WAIT_ATTEMPTS = 10


def new_application(argv: list[str]) -> QApplication:
    """The QApplication, created as the kiosk needs it (before any other Qt object)."""
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication(argv)
    app.setApplicationName(APP_NAME)
    return app


def frame_path() -> Path:
    return data_dir() / FILE_NAME


# The assets' folders that draw nothing: the README's pictures (772 kB, not in the frozen
# build either: build_spec/kiosk.spec), which each start of a checkout read and hashed.
NOT_DRAWN = ("screenshots",)


def frame_key(settings: Settings, content_folder: Path) -> str:
    """Everything the welcome screen is drawn from, as one hash."""
    import PySide6

    digest = blake2b(digest_size=16)
    for part in (__version__, qVersion(), PySide6.__version__, sys.platform, repr(settings)):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    for folder, skipped in ((content_folder, ()), (assets_dir(), NOT_DRAWN)):
        digest.update(str(folder).encode("utf-8", "surrogateescape") + b"\0")
        for path in sorted(_files(folder, skipped)):
            digest.update(str(path.relative_to(folder)).encode("utf-8", "surrogateescape") + b"\0")
            try:
                digest.update(path.read_bytes())
            except OSError:
                digest.update(b"\1unreadable")
            digest.update(b"\0")
    return digest.hexdigest()


def _files(folder: Path, skipped: tuple[str, ...] = ()) -> list[Path]:
    """Every file under ``folder``, but for its sub-folders named in ``skipped``."""
    found = []
    for root, dirs, names in os.walk(folder):
        if root == str(folder):
            dirs[:] = [name for name in dirs if name not in skipped]
        dirs.sort()
        found += [Path(root) / name for name in names]
    return found


def screen_text(app: QGuiApplication) -> str:
    screen = app.primaryScreen()  # (never None once QGuiApplication exists, as Qt 6 documents)
    size = screen.geometry().size()
    return f"{size.width()}x{size.height()}@{screen.devicePixelRatio():g}"


class Cover(QWidget):
    """The picture, over everything else in the kiosk window until the real screen is ready."""

    painted = Signal()

    def __init__(self, image: QImage, parent: QWidget) -> None:
        super().__init__(parent)
        self.image = image
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        # It holds the keyboard focus until the welcome screen takes it. Otherwise the window,
        # activated with nothing focused, gave it to the first button in the chain, Read
        # aloud, whose size was then measured with the focus ring's wider border: the toolbar
        # came up 4 px too wide and shifted 0.2 s after the picture went (a flicker).
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.drawImage(event.rect(), self.image, event.rect())
        painter.end()
        self.painted.emit()


def read_frame(path: Path, key: str, screen: str) -> QImage | None:
    """The picture at ``path`` if it was drawn from ``key`` on a screen like ``screen``."""
    reader = _reader(path)
    if reader is None or reader.text(_KEY) != key or reader.text(_SCREEN) != screen:  # the header only: no decoding
        return None
    return _checked(path, reader.read(), reader.errorString())


def _reader(path: Path) -> QImageReader | None:
    try:
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            return None
    except OSError:
        return None
    return QImageReader(str(path), QByteArray(b"png"))


def _checked(path: Path, image: QImage, error: str) -> QImage | None:
    if image.isNull():
        log.warning("the start-up picture %s could not be read (%s); it will be replaced", path, error)
        return None
    return image


class FrameReading:
    """The remembered picture, read and decoded on a thread of its own while Qt starts (the
    QApplication, the key's hashing), so that the ~20 ms a 1080p picture takes to decode no
    longer come before it is on the screen (Qt lets go of Python's lock while it decodes).
    Whether it was drawn from this start's key, on a screen like this one, is checked when
    it is asked for: a picture that does not match is decoded for nothing, on the other core."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._found: tuple[str, str, QImage, str] | None = None
        self._thread = threading.Thread(target=self._read, name="kiosk-first-frame", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        with contextlib.suppress(Exception):  # (nothing to tell from here: the picture is then just not used)
            reader = _reader(self.path)
            if reader is not None:
                self._found = (reader.text(_KEY), reader.text(_SCREEN), reader.read(), reader.errorString())

    def picture(self, key: str, screen: str) -> QImage | None:
        self._thread.join()
        if self._found is None or self._found[:2] != (key, screen):
            return None
        return _checked(self.path, self._found[2], self._found[3])


@dataclass
class StartPicture:
    """This start's key and screen; and when the remembered picture is on the screen, the
    kiosk window it covers (the one the kiosk is then built in)."""

    key: str
    screen: str
    image: QImage | None = None
    window: KioskWindow | None = None
    cover: Cover | None = None
    keeper: QObject | None = field(default=None, repr=False)

    def reveal(self) -> None:
        """The real screen is built: it goes on show in one step, the same picture as before."""
        if self.cover is not None:
            self.cover.hide()
            self.cover.deleteLater()
            self.cover = None

    def window_ready(self, shown: QWidget) -> None:
        """``shown`` has been drawn. Had the kiosk gone out of order instead of building its
        screen in the covered window, that window goes now, under the one ``shown``."""
        self.reveal()
        if self.window is not None and self.window is not shown:
            self.window.allow_close()
            self.window.close()
            self.window.deleteLater()
        self.window = None


def show_first_frame(app: QApplication, settings: Settings, content_folder: Path,
                     reading: FrameReading | None = None) -> StartPicture:
    """Show the remembered welcome picture fullscreen, when it was drawn from what this start
    will draw and on a screen like this one; either way, the key to take a new one under.

    The picture is shown in the kiosk's own window, over everything in it, so the real
    screen appears in that same window with no new window mapped over it: a new window
    would first be drawn inactive (no focus ring on "Touch to start"), a visible flicker
    when it became active a moment later."""
    start = StartPicture(frame_key(settings, content_folder), screen_text(app))
    from kiosk.ui.frame import KioskWindow  # (imported while the picture is still being decoded)

    if reading is not None:
        start.image = reading.picture(start.key, start.screen)
    else:
        start.image = read_frame(frame_path(), start.key, start.screen)
    if start.image is None:
        return start

    screen = app.primaryScreen()
    window = start.window = KioskWindow()
    window.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
    window.setGeometry(screen.geometry())
    cover = start.cover = Cover(start.image, window)
    cover.setGeometry(0, 0, screen.geometry().width(), screen.geometry().height())
    window.resized.connect(lambda: cover.resize(window.size()))
    cover.setFocus(Qt.FocusReason.OtherFocusReason)
    if settings.hide_cursor:
        window.setCursor(Qt.CursorShape.BlankCursor)
    # Qt draws a window from its event loop, which the kiosk enters only once its real
    # screen is built: turn it here, until the picture has been drawn and sent to the
    # screen (the turn after the paint), or for at most a second. Nothing else is
    # waiting yet: no other window, timer or socket exists.
    loop = QEventLoop()
    cover.painted.connect(lambda: QTimer.singleShot(0, loop.quit), Qt.ConnectionType.SingleShotConnection)
    QTimer.singleShot(SHOW_WAIT_MS, loop.quit)
    window.showFullScreen()
    cover.raise_()
    loop.exec()
    return start


def is_fresh(controller: Controller) -> bool:
    """The screen a new session starts on, untouched: the welcome screen in the default
    language, text size and contrast, nothing said, no sheet and no staff screen open."""
    if not controller.model.is_fresh() or controller.speaker.speaking:
        return False
    if controller.overlay.isVisible() or controller.start_over_sheet.isVisible():
        return False
    return not any(w.isVisible() and w is not controller.window for w in QApplication.topLevelWidgets())


class StartPictureKeeper(QObject):
    """Takes the welcome screen's picture for the next start, once, when nobody is using the
    kiosk, unless the picture shown at this start already matches it."""

    finished = Signal(str)  # "same", "saved", "not saved", "busy": how it ended

    def __init__(self, controller: Controller, start: StartPicture, path: Path | None = None) -> None:
        super().__init__(controller.window)
        self.controller = controller
        self.start = start
        self.path = path
        self.attempts = 0
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.take)
        self.timer.start(TAKE_AFTER_MS)

    def take(self) -> None:
        # Read aloud shows whether speech works once its engine has started: wait for that
        # (a few seconds at most: an engine that never answers leaves the button as it is).
        settling = self.controller.speaker.starting and self.attempts < SPEECH_WAIT_ATTEMPTS
        # And once the start-up's own work is done (the pages made ahead): a picture taken in
        # the middle of it did not always match the settled screen at the next start.
        settling = settling or self.controller.screens.getting_ready
        if settling or not is_fresh(self.controller):
            self.attempts += 1
            if self.attempts < TAKE_ATTEMPTS:
                self.timer.start(TAKE_AFTER_MS)
            else:
                self.finished.emit("busy")
            return
        image = self.controller.window.grab().toImage()
        shown, self.start.image = self.start.image, None  # nothing more to compare with
        if same_picture(shown, image):
            self.finished.emit("same")
            return
        key, screen, path = self.start.key, self.start.screen, self.path

        def write() -> None:  # PNG encoding takes ~50 ms: not on the patient's screen's thread
            try:
                outcome = "saved" if remember(image, key, screen, path) else "not saved"
            except Exception:  # a nicety: never the crash guard's business (it would reset the session)
                log.exception("the start-up picture could not be saved")
                outcome = "not saved"
            with contextlib.suppress(RuntimeError):  # the kiosk closed meanwhile
                self.finished.emit(outcome)

        QThreadPool.globalInstance().start(write)


def encode(image: QImage, key: str, screen: str) -> bytes:
    """``image`` as PNG bytes carrying its key and screen."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    image.setText(_KEY, key)
    image.setText(_SCREEN, screen)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]  # (the stubs say bytes; only str works)
        raise OSError("PNG encoding failed")
    buffer.close()
    return bytes(data.data())


def same_picture(a: QImage | None, b: QImage) -> bool:
    if a is None:
        return False
    return a.convertToFormat(QImage.Format.Format_RGB32) == b.convertToFormat(QImage.Format.Format_RGB32)


def remember(image: QImage, key: str, screen: str, path: Path | None = None) -> bool:
    """Write the picture for the next start; False (and logged) when the folder cannot take it."""
    from kiosk.core.atomic import write_atomic

    target = path or frame_path()
    try:
        write_atomic(target, encode(image, key, screen))
    except OSError as exc:
        log.info("the start-up picture could not be saved to %s (%s); the kiosk starts a little slower", target, exc)
        return False
    return True
