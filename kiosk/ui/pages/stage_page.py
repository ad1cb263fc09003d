"""A stage of the procedure: its text, and its picture, which moves through a few beats
with a caption for each (``kiosk.core.content.motion``).

It plays once when the page opens; one large button pauses, plays on, or plays it again.
With reduced motion (the clinic's ``motion = "reduced"`` or the toolbar's switch) the
picture shows its last frame and the beats' captions stand under it as a numbered list.
Nothing runs while the page is not on show, and nothing after the last beat."""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QHideEvent, QPaintEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.core.content import ContentPack, Page
from kiosk.core.content import Illustration as IllustrationData
from kiosk.core.content.motion import Motion
from kiosk.core.session import Session
from kiosk.ui.motion_picture import MotionIllustration, MotionPlayer
from kiosk.ui.pages.content_page import ContentPage
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import Illustration, KioskButton, PlainLabel, set_role

Say = Callable[[str], None]
log = logging.getLogger(__name__)


class StagePage(ContentPage):
    def __init__(self, pack: ContentPack, page: Page, theme: Theme, scale: float, reduced: bool,
                 parent: QWidget | None = None) -> None:
        self.motion: Motion | None = page.illustration.motion if page.illustration else None
        self.reduced = reduced
        self.player: MotionPlayer | None = None
        self.control: KioskButton | None = None
        self.beat_list: PlainLabel | None = None
        self._say: Say | None = None  # while read aloud follows the beats
        self._intro = ""  # said with the first beat's caption
        self._play_when_painted = False  # the page is opening: it plays once it is on the screen
        self._start_due = False  # ... painted: it starts on the next turn of the event loop
        super().__init__(pack, page, theme, scale, parent)

    @property
    def moving(self) -> bool:
        """The picture moves (it has beats, and motion is not reduced)."""
        return self.motion is not None and not self.reduced

    def make_picture(self, picture: IllustrationData) -> Illustration:
        if self.motion is None:
            return super().make_picture(picture)
        try:
            shown = MotionIllustration(picture.path, self.motion, picture.alt)
        except (ET.ParseError, OSError) as exc:  # the loader let it through; Qt can still draw it still
            log.warning("stage picture %s cannot move (%s); shown still", picture.file, exc)
            self.motion = None
            return super().make_picture(picture)
        self.player = MotionPlayer(self.motion, self)
        self.player.time_changed.connect(shown.set_time)
        self.player.beat_started.connect(self._beat_started)
        self.player.state_changed.connect(self._show_state)
        self.player.finished.connect(self._finished)
        return shown

    def add_below_picture(self, column: QVBoxLayout) -> None:
        if self.motion is None or self.caption is None:
            return
        # Moving: the caption of the beat on show, and the button. Still: every beat's
        # caption, in order, under the last frame.
        self.control = KioskButton(self.pack.text("replay"), "motion-control", "primary")
        self.control.setMinimumSize(200, 64)
        self.control.clicked.connect(self.press)
        column.addWidget(self.control, 0, Qt.AlignmentFlag.AlignHCenter)
        # The list goes with the text, which scrolls: five captions at 200 % do not fit
        # under a picture that stays put.
        items = [f"{i}. {beat.caption}" for i, beat in enumerate(self.motion.beats, 1)]
        self.beat_list = PlainLabel("\n".join([self.pack.text("picture_steps"), *items]))
        self.beat_list.setObjectName("beat-list")
        self.beat_list.setWordWrap(True)
        set_role(self.beat_list, "beat-list")
        set_role(self.caption, "beat-caption")
        self.column.insertWidget(1, self.beat_list)  # after the heading (a narrow screen puts the picture first)
        self._apply_reduced()

    def set_reduced_motion(self, reduced: bool) -> None:
        if reduced != self.reduced:
            self.reduced = reduced
            self._apply_reduced()

    def _apply_reduced(self) -> None:
        if self.motion is None or self.caption is None or self.control is None or self.beat_list is None:
            return
        self.control.setVisible(not self.reduced)
        self.beat_list.setVisible(self.reduced)
        if self.reduced:
            self._cancel_start()
            self._say = None
            if self.player is not None:
                self.player.seek(self.motion.seconds)  # the last frame, and no timer
            self._set_caption(self.page.illustration.caption if self.page.illustration else "")
        else:
            self._set_caption(self.motion.beats[-1].caption)
            self._show_state()

    def _set_caption(self, text: str) -> None:
        if self.caption is not None:
            self.caption.setText(text)
            self.caption.setAccessibleName(text)

    # ------------------------------------------------------------------ playing

    def shown(self, session: Session) -> None:
        """The page opens: its picture plays once, from the first beat, as soon as the
        page has been painted. (Started here, its first frame's SVG was parsed and drawn
        and its clock ran inside the page turn, before the page was on the screen.)"""
        if self.moving and self.player is not None:
            self.player.stop()
            self._play_when_painted = True
            self._start_due = False

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if self._play_when_painted:
            self._play_when_painted, self._start_due = False, True
            # After this paint pass is over (the picture, a child, paints after the page).
            QTimer.singleShot(0, self, self._play_from_start)

    def _play_from_start(self) -> None:
        if self._start_due and self.moving and self.player is not None and self.isVisible():
            self.player.replay()
        self._start_due = False

    def _cancel_start(self) -> None:
        """Something else chose what the picture does (the button, a screenshot's moment,
        read aloud, less motion): the opening's start, if still to come, is dropped."""
        self._play_when_painted = self._start_due = False

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        # Another page (or the welcome screen) took its place: no timer keeps running.
        self._cancel_start()
        if self.player is not None:
            self.player.stop()
        self._say = None
        super().hideEvent(event)

    def press(self) -> None:
        """The big button: pause while playing, play on while paused, replay at the end."""
        if self.player is None:
            return
        self._cancel_start()
        if self.player.playing:
            self.player.pause()
        elif self.player.at_end:
            self.player.replay()
        else:
            self.player.play()

    def show_moment(self, seconds: float | None) -> None:
        """Hold the picture at ``seconds`` in (None: its last frame), for screenshots."""
        if self.player is not None and self.moving:
            self._cancel_start()
            self.player.seek(self.player.motion.seconds if seconds is None else seconds)

    def _beat_started(self, index: int) -> None:
        if self.motion is None or self.caption is None:
            return
        caption = self.motion.beats[index].caption
        self._set_caption(caption)
        if self._say is not None:
            self._say(f"{self._intro} {caption}".strip())
            self._intro = ""

    def _finished(self) -> None:
        if self._say is not None:
            say, self._say = self._say, None
            rest = [*self.page.blocks]
            if rest:
                say(" ".join(rest))

    def _show_state(self) -> None:
        if self.control is None or self.player is None:
            return
        key = "pause" if self.player.playing else ("replay" if self.player.at_end else "play")
        self.control.setText(self.pack.text(key))

    # ------------------------------------------------------------------ read aloud

    def narrate(self, say: Say, busy: Callable[[], bool]) -> bool:
        """Read the page aloud in step with its picture: the picture starts again, each
        beat's caption is said as it begins, and a beat waits at its end while ``busy()``
        (its words are still being said). Then the page's text. False: nothing moves here."""
        if not self.moving or self.player is None:
            return False
        first = [self.step_label.text()] if self.step_label is not None else []
        picture = [f"{self.pack.text('picture')}: {self.page.illustration.alt}"] if self.page.illustration else []
        self._intro = " ".join(_sentence(p) for p in [*first, self.page.title, *picture])
        self._cancel_start()
        self._say = say
        self.player.hold = busy
        self.player.replay()
        return True

    def stop_narration(self) -> None:
        self._say = None
        if self.player is not None:
            self.player.hold = lambda: False

    @property
    def narrating(self) -> bool:
        return self._say is not None

    def speech_parts(self) -> list[str]:
        parts = super().speech_parts()
        if self.motion is not None and self.page.illustration is not None:
            # The picture's words are its beats, in order, not the one still caption.
            still = f"{self.pack.text('picture')}: {self.page.illustration.alt} {self.page.illustration.caption}"
            beats = [f"{self.pack.text('picture')}: {self.page.illustration.alt}", *(b.caption for b in self.motion.beats)]
            index = parts.index(still)
            parts[index:index + 1] = beats
        return parts


def _sentence(text: str) -> str:
    return text if text.rstrip()[-1:] in ".!?:" else text + "."
