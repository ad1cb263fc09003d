"""A stage picture that moves: its frames, and the player that steps through its beats.

Each moving part (an SVG element id named in the picture's ``.motion.toml``) is wrapped
once in a ``<g>`` of its own; a frame is the SVG with those wrappers' ``transform`` and
``opacity`` set from :func:`kiosk.core.content.motion.pose`. The picture is redrawn only
when a part has moved, so a beat that holds still costs nothing but the clock's tick, and
after the last beat (or while paused, or off screen) there is no timer at all."""

from __future__ import annotations

import time
import weakref
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QByteArray, QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QWidget

from kiosk.core.content.motion import Motion, PartPose, pose
from kiosk.ui.illustration import Illustration, shared_picture, sketching

SVG_NS = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")


class MotionFrames:
    """The SVG of any moment of a motion: parsed once, rewritten per frame."""

    def __init__(self, path: Path, motion: Motion) -> None:
        self.motion = motion
        self._tree = ET.parse(path)  # (the loader has checked the file is a small SVG in the content)
        root = self._tree.getroot()
        parents = {child: parent for parent in root.iter() for child in parent}
        self._wrappers: dict[str, ET.Element] = {}
        for part in motion.parts():
            element = next((e for e in root.iter() if e.get("id") == part), None)
            if element is None or element not in parents:
                continue
            parent = parents[element]
            wrapper = ET.Element(f"{{{SVG_NS}}}g")
            parent.insert(list(parent).index(element), wrapper)
            parent.remove(element)
            wrapper.append(element)
            self._wrappers[part] = wrapper
        bounds = QSvgRenderer(QByteArray(ET.tostring(root)))
        self._centres = {part: bounds.boundsOnElement(part).center() for part in self._wrappers}

    def svg_at(self, seconds: float) -> tuple[bytes, tuple[tuple[float, ...], ...]]:
        """The SVG at ``seconds``, and a key that is equal for two moments that look alike."""
        poses = pose(self.motion, seconds)
        key = []
        for part, wrapper in self._wrappers.items():
            p = poses[part]
            wrapper.attrib.clear()
            transform = self._transform(part, p)
            if transform:
                wrapper.set("transform", transform)
            if p.opacity < 0.999:
                wrapper.set("opacity", f"{max(0.0, p.opacity):.3f}")
            key.append((round(p.dx, 1), round(p.dy, 1), round(p.angle, 1), round(p.scale, 3), round(p.opacity, 3)))
        return ET.tostring(self._tree.getroot()), tuple(key)

    def _transform(self, part: str, p: PartPose) -> str:
        steps = []
        if p.dx or p.dy:
            steps.append(f"translate({p.dx:.2f},{p.dy:.2f})")
        if p.angle or p.scale != 1.0:
            centre = self._centres[part]
            cx, cy = p.pivot if p.pivot is not None else (centre.x(), centre.y())
            if p.angle:
                steps.append(f"rotate({p.angle:.2f} {cx:.2f} {cy:.2f})")
            if p.scale != 1.0:
                steps.append(f"translate({cx:.2f},{cy:.2f}) scale({p.scale:.4f}) translate({-cx:.2f},{-cy:.2f})")
        return " ".join(steps)


# Weak: a tree goes with the last picture drawn from it (content replaced by an update comes
# from a folder of its own, so a kiosk running for months would otherwise keep every one).
_FRAMES: weakref.WeakValueDictionary[tuple[str, Motion], MotionFrames] = weakref.WeakValueDictionary()


def motion_frames(path: Path, motion: Motion) -> MotionFrames:
    """One parsed tree per picture and movement, shared by every language's page (the
    languages differ only in captions, which frames do not show; a frame is written out
    whole by ``svg_at``, so sharing the tree holds no state between two callers)."""
    moves = motion.with_captions(("",) * len(motion.beats))
    key = (str(path), moves)
    frames = _FRAMES.get(key)
    if frames is None:
        frames = _FRAMES[key] = MotionFrames(path, moves)
    return frames


class MotionIllustration(Illustration):
    """An :class:`Illustration` whose drawing is a moment of its motion (``set_time``).

    The frames in between are drawn into one image of the picture's own, reused from frame
    to frame, and let go when the picture leaves the screen (its page opens at the first
    beat again, so that frame would be drawn anew anyway) or comes to rest. The resting
    frame, the last one, which is all reduced motion shows, is kept with the still
    pictures: shared by every language's page, and as bounded as they are. (Each page
    keeping its last frame held ~1.4 MB a stage page at 1080p, in every topic and
    language, for good.) So that opening its page stays a blit, the page after the one on
    show draws its opening frame ahead (``prepare``); only one picture off screen holds one."""

    def __init__(self, path: Path, motion: Motion, accessible_text: str, parent: QWidget | None = None) -> None:
        super().__init__(path, accessible_text, parent=parent)
        self.frames = motion_frames(path, motion)
        self._frame_key: tuple[tuple[float, ...], ...] | None = None
        self._frame_svg = b""  # the SVG of the frame on show, parsed only to draw it
        self._rest_key = self.frames.svg_at(motion.seconds)[1]
        self._drawn: tuple[object, ...] | None = None
        self._moving = QImage()  # a frame in between, or null
        self._resting = QPixmap()  # the last frame (shared), or null
        self.redraws = 0  # frames actually drawn (the rest were alike and reused)
        self.set_time(motion.seconds)

    def held_frames(self) -> int:
        """Frames this picture keeps for itself (not counting the shared resting frame): 0 or 1."""
        return 0 if self._moving.isNull() else 1

    def set_time(self, seconds: float) -> None:
        data, key = self.frames.svg_at(seconds)
        if key != self._frame_key:
            self._frame_key = key
            self._frame_svg = data
            self.update()

    def prepare(self, seconds: float) -> None:
        """Off screen: draw the frame at ``seconds`` now (at the size the picture had when last
        shown), so that showing it there costs a blit. The picture prepared before lets its
        frame go, unless it is on screen."""
        if self.isVisible():
            return
        if _PREPARED and _PREPARED[0] is not self:
            release_prepared()
        _PREPARED[:] = [self]
        self.set_time(seconds)
        self._frame(self.width(), self.height(), self.devicePixelRatioF())

    def release(self) -> None:
        """Let the frames go (they are drawn again when next needed)."""
        self._moving = QImage()
        self._resting = QPixmap()
        self._drawn = None

    def paintEvent(self, event: object) -> None:  # noqa: N802
        w, h = self.width(), self.height()
        if h < 100 or sketching():
            return
        self._frame(w, h, self.devicePixelRatioF())
        painter = QPainter(self)
        if self._moving.isNull():
            painter.drawPixmap(0, 0, self._resting)
        else:
            painter.drawImage(0, 0, self._moving)
        painter.end()

    def _frame(self, w: int, h: int, ratio: float) -> None:
        """Have the frame on show drawn at this size (unless it already is)."""
        if h < 100:
            return
        drawn = (w, h, ratio, self._frame_key)
        if drawn != self._drawn:
            self._drawn = drawn
            if self._frame_key == self._rest_key:
                self._moving = QImage()
                self._resting = shared_picture((f"{self._path}#rest", w, h, ratio),
                                               lambda: QPixmap.fromImage(self._draw_frame(QImage(), w, h, ratio)))
            else:
                self._resting = QPixmap()
                self._moving = self._draw_frame(self._moving, w, h, ratio)

    def _draw_frame(self, image: QImage, w: int, h: int, ratio: float) -> QImage:
        """The frame on show drawn into ``image`` (a new image if it is null or of another size)."""
        self.redraws += 1
        width, height = round(w * ratio), round(h * ratio)
        if image.width() != width or image.height() != height:
            image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(ratio)
        image.fill(Qt.GlobalColor.transparent)
        aspect = self._aspect
        draw_w, draw_h = (h * aspect, float(h)) if w / aspect > h else (float(w), w / aspect)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        QSvgRenderer(QByteArray(self._frame_svg)).render(painter, QRectF((w - draw_w) / 2, (h - draw_h) / 2, draw_w, draw_h))
        painter.end()
        return image

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        self.release()
        super().hideEvent(event)


_PREPARED: list[MotionIllustration] = []  # the one picture off screen that may hold a frame


def release_prepared() -> None:
    """The picture drawn ahead lets its frame go, unless it is on screen by now."""
    for picture in _PREPARED:
        if shiboken6.isValid(picture) and not picture.isVisible():
            picture.release()
    _PREPARED.clear()


class MotionPlayer(QObject):
    """Plays a motion once: ``play()``, ``pause()``, ``replay()``, ``stop()``, ``seek()``.

    ``clock`` (seconds, monotonic) and ``FRAME_MS`` are injectable so tests drive time
    themselves. ``hold`` is asked at the end of each beat: while it says True (the beat's
    caption is still being read aloud) the picture waits at the beat's end."""

    FRAME_MS = 33  # ~30 frames a second: calm movement needs no more
    time_changed = Signal(float)
    beat_started = Signal(int)
    state_changed = Signal()  # playing, paused or finished
    finished = Signal()

    def __init__(self, motion: Motion, parent: QObject | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.motion = motion
        self.clock = clock
        self.hold: Callable[[], bool] = lambda: False
        self.timer = QTimer(self)
        self.timer.setObjectName("motion-frame-timer")
        self.timer.setInterval(self.FRAME_MS)
        self.timer.timeout.connect(self.tick)
        self.position = motion.seconds  # shown: the last frame until it plays
        self.beat = len(motion.beats) - 1
        self._origin = 0.0  # clock time of position 0 while playing

    @property
    def playing(self) -> bool:
        return self.timer.isActive()

    @property
    def at_end(self) -> bool:
        return self.position >= self.motion.seconds

    def replay(self) -> None:
        """From the first beat (which is announced again, for its caption and its words)."""
        self.beat = -1
        self._seek(0.0)
        self.play()

    def play(self) -> None:
        if self.at_end:
            self._seek(0.0)
        self._origin = self.clock() - self.position
        self.timer.start()
        self.state_changed.emit()

    def pause(self) -> None:
        if self.timer.isActive():
            self.tick()
            self.timer.stop()
            self.state_changed.emit()

    def stop(self) -> None:
        """Off screen: no timer; the picture keeps where it was."""
        if self.timer.isActive():
            self.timer.stop()
            self.state_changed.emit()

    def seek(self, seconds: float) -> None:
        """Show ``seconds`` in, and stay there (paused)."""
        self.timer.stop()
        self._seek(min(max(0.0, seconds), self.motion.seconds))
        self.state_changed.emit()

    def tick(self) -> None:
        target = min(self.clock() - self._origin, self.motion.seconds)
        starts = [*self.motion.starts(), self.motion.seconds]
        boundary = starts[self.beat + 1]
        if target >= boundary and self.hold():
            target = boundary - 1e-6  # wait at the end of this beat until its words are said
            self._origin = self.clock() - target
        self._seek(target)
        if self.at_end:
            self.timer.stop()
            self.state_changed.emit()
            self.finished.emit()

    def _seek(self, seconds: float) -> None:
        self.position = seconds
        beat = self.motion.beat_at(seconds)
        self.time_changed.emit(seconds)
        if beat != self.beat:
            self.beat = beat
            self.beat_started.emit(beat)
