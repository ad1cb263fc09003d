"""A stage of the procedure: its text, and its picture, which moves through a few beats
with a caption for each (``kiosk.core.content.motion``).

It plays once when the page opens; one large button pauses, plays on, or plays it again.
With reduced motion (the clinic's ``motion = "reduced"`` or the toolbar's switch) the
picture shows its last frame and the beats' captions stand under it as a numbered list.
Nothing runs while the page is not on show, and nothing after the last beat.

Where the picture goes above the text (a narrow panel, or large text) the caption and the
button come first, side by side, and the picture under them: at 200 % on a 1280x800 panel
the page's heading and a picture above them filled the view, and a patient had to scroll
to find what the picture was saying and how to pause it. The caption keeps the room of its
longest beat, so the button never moves as the beats go by."""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QHideEvent, QPaintEvent
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from kiosk.core.content import ContentPack, Page
from kiosk.core.content import Illustration as IllustrationData
from kiosk.core.content.motion import Motion
from kiosk.core.session import Session
from kiosk.ui.illustration import Illustration
from kiosk.ui.motion_picture import MotionIllustration, MotionPlayer
from kiosk.ui.pages.content_page import ContentPage
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import PlainLabel, SteadyButton, set_role

Say = Callable[[str], None]
NARROW_PICTURE_PX = 260  # the picture's height above the text (as ``ContentPage``'s)
BESIDE_MIN_PX = 160  # a picture smaller than this beside its words is not worth it: the words go first
BESIDE_GAP_PX = 32
QWIDGETSIZE_MAX = (1 << 24) - 1
log = logging.getLogger(__name__)


class StagePage(ContentPage):
    def __init__(self, pack: ContentPack, page: Page, theme: Theme, scale: float, reduced: bool,
                 parent: QWidget | None = None) -> None:
        self.motion: Motion | None = page.illustration.motion if page.illustration else None
        self.reduced = reduced
        self.player: MotionPlayer | None = None
        self.control: SteadyButton | None = None
        self.beat_list: PlainLabel | None = None
        self.words: QWidget | None = None  # the caption and the button, under or above the picture
        self._words_box: QBoxLayout | None = None
        self._figure_box: QBoxLayout | None = None
        self._arranged: tuple[str, int, int] | None = None  # how the figure is laid out (``_fit``)
        self._fitted_for: tuple[int, int, float, bool, bool] | None = None  # and for what view
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
        self.control = SteadyButton(self.pack.text("replay"), "motion-control", "primary")
        self.control.keep_room_for([self.pack.text(key) for key in ("pause", "play", "replay")])
        self.control.setMinimumSize(200, 64)
        self.control.clicked.connect(self.press)
        self.words = QWidget()
        self.words.setObjectName("beat-words")
        self._words_box = QBoxLayout(QBoxLayout.Direction.TopToBottom, self.words)
        self._words_box.setContentsMargins(0, 0, 0, 0)
        column.removeWidget(self.caption)
        self._words_box.addWidget(self.caption)
        self._words_box.addWidget(self.control)
        column.addWidget(self.words)
        self._figure_box = column
        self.scroll_area.viewport().installEventFilter(self)
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
        still = self.page.illustration.caption if self.page.illustration else ""
        self.caption.keep_room_for([still] if self.reduced else [beat.caption for beat in self.motion.beats])
        self._arranged = self._fitted_for = None
        self._fit()
        if self.reduced:
            self._cancel_start()
            self._say = None
            if self.player is not None:
                self.player.seek(self.motion.seconds)  # the last frame, and no timer
            self._set_caption(still)
        else:
            self._set_caption(self.motion.beats[-1].caption)
            self._show_state()

    def apply_layout(self, width: int, scale: float) -> None:
        super().apply_layout(width, scale)
        self._fit()

    def show_check_return(self, label: str, target: str) -> None:
        super().show_check_return(label, target)
        self._fit()  # ("Back to the check" above the heading takes some of the view)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # The view's size is known only once the page is laid out on the screen.
        if event.type() == QEvent.Type.Resize and watched is self.scroll_area.viewport():
            self._fit()
        return False

    def _fit(self) -> None:
        """Wide: the picture, its caption and the button in a column beside the text. Narrow
        (or large text): above the text, the picture beside its caption and button when all
        of them fit in the view under the heading; else the caption and the button first,
        side by side, and the picture under them."""
        words_widget, picture = self.words, self.picture
        if self.caption is None or self.control is None or self._words_box is None or self._figure_box is None:
            return
        if words_widget is None or picture is None or self._wide is None:
            return
        if self._wide:
            arrangement: tuple[str, int, int] = ("wide", 0, 0)
        else:
            viewport = self.scroll_area.viewport()
            back = self.check_return is not None and self.check_return.isVisibleTo(self)
            inputs = (viewport.width(), viewport.height(), self.scale, self.reduced, back)
            if inputs == self._fitted_for and self._arranged is not None and self._arranged[0] != "wide":
                return  # (a page turn shows the page at the size it had: nothing to work out)
            self._fitted_for = inputs
            margins = self.column.contentsMargins()
            width = viewport.width() - margins.left() - margins.right()
            beside = self._beside(width, viewport.height() - self._above_figure(width))
            arrangement = ("beside", *beside) if beside is not None else ("first", 0, 0)
        if arrangement == self._arranged:
            return
        self._arranged = arrangement
        words, figure = self._words_box, self._figure_box
        kind, picture_width, picture_height = arrangement
        picture.setMinimumWidth(picture_width)
        picture.setMaximumWidth(picture_width or QWIDGETSIZE_MAX)
        figure.setContentsMargins(0, 18 if kind == "wide" else 0, 0, 0)
        if kind == "first":  # the caption and the button side by side, then the picture
            figure.setDirection(QBoxLayout.Direction.BottomToTop)
            figure.setSpacing(6)
            words.setDirection(QBoxLayout.Direction.LeftToRight)
            words.setSpacing(24)
            words.setAlignment(self.control, Qt.AlignmentFlag.AlignVCenter)
            self.caption.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            picture.set_max_height(NARROW_PICTURE_PX)
        else:  # a column of picture, caption and button; or the picture, and beside it caption and button
            figure.setDirection(QBoxLayout.Direction.TopToBottom if kind == "wide" else QBoxLayout.Direction.LeftToRight)
            figure.setSpacing(6 if kind == "wide" else BESIDE_GAP_PX)
            words.setDirection(QBoxLayout.Direction.TopToBottom)
            words.setSpacing(6 if kind == "wide" else 14)
            centre = kind == "wide"
            words.setAlignment(self.control, Qt.AlignmentFlag.AlignHCenter if centre else Qt.AlignmentFlag.AlignLeft)
            self.caption.setAlignment(Qt.AlignmentFlag.AlignHCenter if centre else Qt.AlignmentFlag.AlignLeft)
            if kind == "beside":
                picture.set_max_height(picture_height)
        # Beside the picture its words take the rest of the row (not the figure's closing
        # stretch), and the two are centred on each other.
        aside = kind == "beside"
        figure.setStretch(figure.indexOf(words_widget), 1 if aside else 0)
        figure.setStretch(figure.count() - 1, 0 if aside else 1)
        middle = Qt.AlignmentFlag.AlignVCenter if aside else Qt.AlignmentFlag(0)
        figure.setAlignment(words_widget, middle)
        figure.setAlignment(picture, middle)
        words.setStretchFactor(self.caption, 1 if kind == "first" else 0)

    def _above_figure(self, width: int) -> int:
        """How far down the page the picture (or its words) starts, at ``width``: the heading."""
        index = self.column.indexOf(self.figure) if self.figure is not None else -1
        top = self.column.contentsMargins().top()
        for i in range(max(0, index)):
            item = self.column.itemAt(i)
            if item is None or item.isEmpty():
                continue
            top += (item.heightForWidth(width) if item.hasHeightForWidth() else item.sizeHint().height()) + self.column.spacing()
        return top

    def _beside(self, width: int, room: int) -> tuple[int, int] | None:
        """The largest picture (width, height) that leaves its caption and button beside it
        in ``room`` pixels of height; None when even a small picture leaves too little."""
        if self.picture is None or self.caption is None or self.control is None:
            return None
        button = self.control.sizeHint().height() + 14 if self.control.isVisibleTo(self) else 0
        height = min(NARROW_PICTURE_PX, room)
        while height >= BESIDE_MIN_PX:
            picture_width = round(height * self.picture.aspect)
            words_width = width - BESIDE_GAP_PX - picture_width
            if words_width >= self.control.sizeHint().width() and self.caption.heightForWidth(words_width) + button <= room:
                return picture_width, height
            height -= 10
        return None

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

    def prepare(self, ready: bool = True) -> None:
        """It opens at the first beat: draw that frame ahead (or let it go); a still picture
        (less motion) is drawn ahead as on any page."""
        if not isinstance(self.picture, MotionIllustration) or self.isVisible():
            super().prepare(ready)
            return
        if ready and self.moving:
            self.picture.prepare(0.0)
        elif not ready:
            self.picture.release()

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
