"""Read aloud through QtTextToSpeech. With no engine or no voice, ``available`` is
False: the frame hides its button and every call here is a no-op.

The voice follows the content's language, never the machine's locale: under
``LANG=C.UTF-8`` (Debian's default, and what a systemd unit gets) the engine's current
locale has no voices, yet it offers English and Spanish ones. If the speech service dies
while the kiosk runs, the engine is started again (speech-dispatcher restarts on demand);
if that fails, speech is reported unavailable and the frame hides its buttons.

The platform's engine starts on a thread of its own: speech-dispatcher's takes 2-3 s to
list its 13,000 espeak-ng voices (and blocks for ever when the service is wedged), which
used to hold the first picture back. Until it is ready the speaker counts as available
(the buttons a clinic's machine will have are drawn from the start), and a request made
meanwhile is spoken when it is."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QLocale, QObject, Signal

from kiosk.ui.speech_engine import ThreadedEngine, dispose, threaded_qt_engine

log = logging.getLogger(__name__)

DEFAULT_VOLUME = 0.8
MAX_RESTARTS = 2  # engine restarts in a row before speech is given up until the next reset
ENGINE_ENV = "KIOSK_SPEECH_ENGINE"  # e.g. "mock" in tests; empty: the platform's default

# Makes an engine by name ("" = the platform's default), parented to the speaker; None
# when there is none (the reason is logged). Tests pass their own.
EngineFactory = Callable[[str, QObject], Any]


class Speaker(QObject):
    """Speaks one text at a time; ``history`` records each utterance (for tests and logs)."""

    started = Signal(str)
    stopped = Signal()
    availability_changed = Signal(bool)

    def __init__(self, engine: str | None = None, parent: QObject | None = None, factory: EngineFactory | None = None) -> None:
        super().__init__(parent)
        self.history: list[str] = []
        self.volume = DEFAULT_VOLUME
        self._name = engine if engine is not None else os.environ.get(ENGINE_ENV, "")
        self._factory = factory or threaded_qt_engine
        self._tts: Any = None
        self._starting: Any = None  # an engine still starting on its thread
        self._pending: tuple[str, str] | None = None  # asked for while it starts
        self._voices: dict[QLocale.Language, QLocale] = {}  # language -> the locale to speak it in
        self._missing_logged: set[str] = set()
        self._lost = False  # it worked once, then the engine failed and could not be restarted
        self._last: tuple[str, str] | None = None  # what was last said, and in which language
        self._failures = 0  # engine failures since speech last finished well
        # Something was handed to the engine since it was last told to stop. Without it,
        # a stop is not sent: every page turn and reset stops speech, and each stop is a
        # round trip to speech-dispatcher (its process and the engine's thread woke on
        # every turn, taking CPU from the window being painted). Calls reach the engine in
        # order, so after a stop with nothing said since, it has nothing to say.
        self._said = False
        self._start_engine()

    def _start_engine(self) -> bool:
        """Start an engine; True when one is working or still starting."""
        tts = self._factory(self._name, self)
        if tts is None:
            return False
        if isinstance(tts, ThreadedEngine):
            self._starting = tts
            tts.ready.connect(lambda: self._engine_ready(tts))
            return True
        return self._adopt(tts)

    def _engine_ready(self, tts: ThreadedEngine) -> None:
        if self._starting is not tts:
            return
        self._starting = None
        pending, self._pending = self._pending, None
        if not self._adopt(tts):
            self._lost = True
            self.stopped.emit()
            self.availability_changed.emit(False)
            return
        self.availability_changed.emit(True)  # which languages have a voice is known now
        if pending is not None:
            self.say(*pending)

    def _adopt(self, tts: Any) -> bool:
        from PySide6.QtTextToSpeech import QTextToSpeech

        self._state_type = QTextToSpeech.State
        locales = list(tts.availableLocales()) if tts.state() != QTextToSpeech.State.Error else []
        if not locales:
            log.info("speech unavailable: engine %r has no voices", tts.engine())
            dispose(tts)
            return False
        self._voices = {}
        for locale in locales:
            self._voices.setdefault(locale.language(), locale)
        self._tts = tts
        self._said = False
        tts.setVolume(self.volume)
        tts.stateChanged.connect(self._on_state)
        tts.errorOccurred.connect(self._on_error)
        return True

    @property
    def starting(self) -> bool:
        """The engine is still starting on its thread (``availability_changed`` says when it is in)."""
        return self._starting is not None

    @property
    def available(self) -> bool:
        return self._tts is not None or self._starting is not None

    @property
    def speaking(self) -> bool:
        return self._tts is not None and self._tts.state() == self._state_type.Speaking

    def has_voice(self, language: str) -> bool:
        """True when the engine can speak ``language`` (a code like "es" or "es-MX"); while
        it starts, every language counts as having one (as it will on a set-up machine)."""
        if self._starting is not None:
            return True
        return self._tts is not None and QLocale(language).language() in self._voices

    def say(self, text: str, language: str) -> None:
        """Stop whatever is being said, then say ``text`` in a voice of ``language``. A
        language with no voice is not read with another language's voice: a Spanish
        page read by an English voice helps nobody (the frame hides Read aloud then)."""
        if not text.strip():
            return
        if self._starting is not None:  # said as soon as the engine is in
            self._pending = (text, language)
            self.history.append(text)
            self._last = (text, language)
            self.started.emit(text)
            return
        if self._tts is None:
            return
        wanted = QLocale(language).language()
        locale = self._voices.get(wanted)
        if locale is None:
            if language not in self._missing_logged:
                self._missing_logged.add(language)
                log.warning("no %s voice installed; Read aloud is hidden in that language", language)
            return
        self._silence()
        if self._tts.locale().language() != wanted:
            self._tts.setLocale(locale)
        self.history.append(text)
        self._last = (text, language)
        self._tts.say(text)
        self._said = True
        self.started.emit(text)

    def _silence(self) -> None:
        if self._tts is not None and self._said:
            self._tts.stop()
            self._said = False

    def stop(self) -> None:
        if self._pending is not None:
            self._pending = None
            self.stopped.emit()
        self._silence()

    def set_volume(self, volume: float) -> None:
        volume = min(1.0, max(0.1, volume))
        if volume == self.volume:  # the engine has it (``_adopt`` gives a new one the volume)
            return
        self.volume = volume
        if self._tts is not None:
            self._tts.setVolume(self.volume)

    def reset(self) -> None:
        """Session reset: silence, default volume, no memory of what was said. Speech
        that was lost gets another chance (the speech service may be back)."""
        self.stop()
        self.set_volume(DEFAULT_VOLUME)
        self.history.clear()
        self._last = None
        if self._lost and self._start_engine():
            self._lost = False
            self._failures = 0
            log.info("speech is working again")
            self.availability_changed.emit(True)

    def _on_state(self, state: object) -> None:
        if state == self._state_type.Ready:
            self._failures = 0
            self.stopped.emit()

    def _on_error(self, reason: object, message: str) -> None:
        """The engine failed (for speech-dispatcher: the service died). Start a new one,
        and say the last text again; if none starts, give speech up until a reset."""
        log.warning("speech engine failed (%s: %s); starting it again", getattr(reason, "name", reason), message)
        failed, self._tts = self._tts, None
        if failed is not None:
            failed.stateChanged.disconnect(self._on_state)
            failed.errorOccurred.disconnect(self._on_error)
            dispose(failed)
        self._failures += 1
        if self._failures <= MAX_RESTARTS and self._start_engine():
            log.info("speech engine restarted")
            if self._last is not None:  # the patient's tap still gets its answer
                self.say(*self._last)
            return
        self._lost = True
        log.error("speech unavailable: the engine could not be restarted; Read aloud is hidden until it works again")
        self.stopped.emit()
        self.availability_changed.emit(False)
