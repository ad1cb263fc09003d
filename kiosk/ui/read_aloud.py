"""The toolbar's speech buttons: Read aloud (the page on show, or stop) and Volume; and
the state the toolbar shows (text size, contrast, motion), with the motion switch."""

from __future__ import annotations

from PySide6.QtCore import QObject

from kiosk.core.session import motion_reduced
from kiosk.core.teach_back import feedback, item_key
from kiosk.core.walkthrough import Walkthrough
from kiosk.ui.frame import Toolbar
from kiosk.ui.pages.base import PageView
from kiosk.ui.screens import Screens
from kiosk.ui.speech import DEFAULT_VOLUME, Speaker


class ReadAloud(QObject):
    """``read()`` speaks the screen on show, ``cycle_volume()``; ``refresh()`` shows the
    buttons as they are (only when there is a voice for the session's language)."""

    VOLUMES = (0.4, 0.6, DEFAULT_VOLUME, 1.0)

    def __init__(self, toolbar: Toolbar, speaker: Speaker, model: Walkthrough, screens: Screens) -> None:
        super().__init__(toolbar)
        self.toolbar = toolbar
        self.speaker = speaker
        self.model = model
        self.screens = screens
        toolbar.read_requested.connect(self.read)
        toolbar.volume_requested.connect(self.cycle_volume)
        speaker.availability_changed.connect(lambda _available: self.refresh())
        speaker.started.connect(self.refresh_state)
        speaker.stopped.connect(self.refresh_state)
        model.question_toggled.connect(self.say_tick)
        model.check_answered.connect(self.say_feedback)
        # (Here rather than in the controller: this is where the toolbar's state is shown.)
        toolbar.motion_requested.connect(model.toggle_reduced_motion)
        self._narrated: PageView | None = None  # the view whose moving picture Read aloud follows

    def speech_text(self) -> str:
        """What Read aloud says: the page's words, each part ending as a sentence."""
        page_id, welcome = self.model.page_id, self.screens.welcome
        parts = self.screens.views[page_id].speech_parts() if page_id is not None else (welcome.speech_parts() if welcome else [])
        return " ".join(p if p.rstrip()[-1:] in ".!?:" else p + "." for p in parts if p.strip())

    def read(self) -> None:
        """Speak the page; pressed while the page is being read, it stops. A page whose
        picture moves is read in step with it, beat by beat (``PageView.narrate``)."""
        text = self.speech_text()
        page_id = self.model.page_id
        view = self.screens.views.get(page_id) if page_id is not None else None
        narrated = self._narrated
        self._narrated = None
        if narrated is not None and narrated is view and (self.speaker.speaking or narrated.narrating):
            narrated.stop_narration()
            self.speaker.stop()
        elif self.speaker.speaking and self.speaker.history[-1:] == [text]:
            self.speaker.stop()
        elif view is not None and self.speaker.available and view.narrate(self._say, lambda: self.speaker.speaking):
            self._narrated = view
        else:
            self.speaker.say(text, self.model.session.language)
        self.refresh_state()

    def _say(self, text: str) -> None:
        self.speaker.say(text, self.model.session.language)

    def say_tick(self, question_id: str, ticked: bool) -> None:
        """A tick or untick, confirmed aloud (where there is a voice)."""
        if self.speaker.available:
            pack = self.model.pack
            self.speaker.say(f"{pack.question(question_id).text} {pack.text('ticked' if ticked else 'not_ticked')}.",
                             self.model.session.language)

    def say_feedback(self, item_id: str, _right: bool) -> None:
        """The check's feedback, said as soon as an answer is picked (where there is a voice)."""
        if self.speaker.available:
            pack, session = self.model.pack, self.model.session
            answer = session.check_answers[item_key(pack.topic, item_id)]
            self.speaker.say(feedback(pack, pack.check_item(item_id), answer), session.language)

    def cycle_volume(self) -> None:
        current = min(self.VOLUMES, key=lambda v: abs(v - self.speaker.volume))
        self.speaker.set_volume(self.VOLUMES[(self.VOLUMES.index(current) + 1) % len(self.VOLUMES)])
        self.refresh_state()
        self.speaker.say(self.toolbar.volume.text(), self.model.session.language)

    def refresh(self) -> None:
        """Read aloud and Volume show only when there is a voice for the session's language."""
        self.toolbar.set_speech_available(self.speaker.has_voice(self.model.session.language))
        self.refresh_state()

    def refresh_state(self) -> None:
        s = self.model.session
        reduced = motion_reduced(s, self.screens.settings.motion == "reduced")
        self.toolbar.show_state(self.model.pack, self.speaker.speaking, self.speaker.volume, s.text_scale, s.high_contrast,
                                reduced)
