"""Read aloud through QtTextToSpeech. With no engine or no voice, ``available`` is
False: the frame hides its button and every call here is a no-op."""

from __future__ import annotations

import logging
import os

from PySide6.QtCore import QLocale, QObject, Signal

log = logging.getLogger(__name__)

DEFAULT_VOLUME = 0.8
ENGINE_ENV = "KIOSK_SPEECH_ENGINE"  # e.g. "mock" in tests; empty: the platform's default


class Speaker(QObject):
    """Speaks one text at a time; ``spoken`` records each utterance (for tests and logs)."""

    started = Signal(str)
    stopped = Signal()

    def __init__(self, engine: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.history: list[str] = []
        self._tts = None
        self.volume = DEFAULT_VOLUME
        name = engine if engine is not None else os.environ.get(ENGINE_ENV, "")
        try:
            from PySide6.QtTextToSpeech import QTextToSpeech
        except ImportError as exc:  # e.g. the audio libraries are missing
            log.info("speech unavailable: %s", exc)
            return
        if name and name not in QTextToSpeech.availableEngines():
            log.info("speech unavailable: no engine %r (installed: %s)", name, ", ".join(QTextToSpeech.availableEngines()) or "none")
            return
        try:
            tts = QTextToSpeech(name, self) if name else QTextToSpeech(self)
        except Exception:
            log.exception("speech engine %r failed to start", name)
            return
        if tts.state() == QTextToSpeech.State.Error or not tts.availableVoices():
            log.info("speech unavailable: engine %r has no usable voice", tts.engine())
            tts.deleteLater()
            return
        self._tts = tts
        self._state_type = QTextToSpeech.State
        tts.setVolume(self.volume)
        tts.stateChanged.connect(self._on_state)

    @property
    def available(self) -> bool:
        return self._tts is not None

    @property
    def speaking(self) -> bool:
        return self._tts is not None and self._tts.state() == self._state_type.Speaking

    def say(self, text: str, language: str) -> None:
        """Stop whatever is being said, then say ``text`` with a voice of ``language`` if one exists."""
        if self._tts is None or not text.strip():
            return
        self._tts.stop()
        self._choose_voice(language)
        self.history.append(text)
        self._tts.say(text)
        self.started.emit(text)

    def stop(self) -> None:
        if self._tts is not None:
            self._tts.stop()

    def set_volume(self, volume: float) -> None:
        self.volume = min(1.0, max(0.1, volume))
        if self._tts is not None:
            self._tts.setVolume(self.volume)

    def reset(self) -> None:
        """Session reset: silence, default volume, no memory of what was said."""
        self.stop()
        self.set_volume(DEFAULT_VOLUME)
        self.history.clear()

    def _choose_voice(self, language: str) -> None:
        assert self._tts is not None
        wanted = QLocale(language).language()
        if self._tts.locale().language() == wanted:
            return
        for locale in self._tts.availableLocales():
            if locale.language() == wanted:
                self._tts.setLocale(locale)
                return
        log.info("no %s voice installed; using %s", language, self._tts.locale().name())

    def _on_state(self, state: object) -> None:
        if state == self._state_type.Ready:
            self.stopped.emit()
