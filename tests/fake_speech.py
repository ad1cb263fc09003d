"""A speech engine double with English and Spanish voices that can be made to fail,
shaped like the parts of QTextToSpeech the Speaker uses. (Qt's own mock engine has no
Spanish voice and cannot fail.)"""

from __future__ import annotations

from PySide6.QtCore import QLocale, QObject, Signal
from PySide6.QtTextToSpeech import QTextToSpeech

State = QTextToSpeech.State


class FakeEngine(QObject):
    stateChanged = Signal(object)  # noqa: N815 (Qt's names)
    errorOccurred = Signal(object, str)  # noqa: N815

    def __init__(self, locales: tuple[str, ...], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._locales = [QLocale(code) for code in locales]
        self._locale = self._locales[0] if self._locales else QLocale.c()
        self._state = State.Ready
        self.volume = 1.0
        self.spoken: list[tuple[str, str]] = []  # (text, locale name)
        self.broken = False  # the service behind it has died
        self.calls: list[str] = []  # every stop and volume change sent (each a round trip to a real service)

    def engine(self) -> str:
        return "fake"

    def state(self) -> object:
        return self._state

    def availableLocales(self) -> list[QLocale]:  # noqa: N802
        return list(self._locales)

    def locale(self) -> QLocale:
        return self._locale

    def setLocale(self, locale: QLocale) -> None:  # noqa: N802
        self._locale = locale

    def setVolume(self, volume: float) -> None:  # noqa: N802
        self.calls.append("volume")
        self.volume = volume

    def say(self, text: str) -> None:
        if self.broken:
            self._set(State.Error)
            self.errorOccurred.emit(QTextToSpeech.ErrorReason.Input, "Text synthesizing failure.")
            return
        self.spoken.append((text, self._locale.name()))
        self._set(State.Speaking)

    def stop(self) -> None:
        self.calls.append("stop")
        if self._state == State.Speaking:
            self._set(State.Ready)

    def finish(self) -> None:
        self.stop()

    def _set(self, state: object) -> None:
        self._state = state
        self.stateChanged.emit(state)


class FakeService:
    """Makes engines as the Speaker asks; ``dead`` makes every new one fail as well."""

    def __init__(self, locales: tuple[str, ...] = ("en_US", "es_MX")) -> None:
        self.locales = locales
        self.engines: list[FakeEngine] = []
        self.dead = False
        self.refuse = False  # no engine at all (the service cannot be reached)

    def __call__(self, name: str, parent: QObject) -> FakeEngine | None:
        if self.refuse:
            return None
        engine = FakeEngine(self.locales, parent)
        engine.broken = self.dead
        self.engines.append(engine)
        return engine

    @property
    def current(self) -> FakeEngine:
        return self.engines[-1]
