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

import atexit
import logging
import os
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import Q_ARG, QCoreApplication, QLocale, QMetaObject, QObject, Qt, QThread, Signal, Slot

log = logging.getLogger(__name__)

DEFAULT_VOLUME = 0.8
MAX_RESTARTS = 2  # engine restarts in a row before speech is given up until the next reset
ENGINE_ENV = "KIOSK_SPEECH_ENGINE"  # e.g. "mock" in tests; empty: the platform's default

# Makes an engine by name ("" = the platform's default), parented to the speaker; None
# when there is none (the reason is logged). Tests pass their own.
EngineFactory = Callable[[str, QObject], Any]


def qt_engine(name: str, parent: QObject) -> Any:
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError as exc:  # e.g. the audio libraries are missing
        log.info("speech unavailable: %s", exc)
        return None
    if name and name not in QTextToSpeech.availableEngines():
        log.info("speech unavailable: no engine %r (installed: %s)", name, ", ".join(QTextToSpeech.availableEngines()) or "none")
        return None
    try:
        return QTextToSpeech(name, parent) if name else QTextToSpeech(parent)
    except Exception:
        log.exception("speech engine %r failed to start", name)
        return None


PLACEHOLDER_ENGINE = "mock"  # Qt's test engine: starts at once; replaced on the thread
ENGINE_NICE = 10  # how much lower the engine thread's CPU priority is than the window's


def give_way() -> int | None:
    """Lower the calling thread's CPU priority by ``ENGINE_NICE`` (on Linux a thread's nice
    value is its own); its new nice value, or None where that cannot be done. Starting
    speech-dispatcher's engine parses 13,000 voices: 1.5-2 s of CPU, in the seconds when
    the window is being built and painted and the X server is drawing it. On a 2-core box
    those compete; niced, the parse takes what they leave. (A speech-dispatcher this thread
    autostarts inherits the value; speaking a sentence takes it little CPU.)"""
    try:
        tid = threading.get_native_id()
        nice = min(19, os.getpriority(os.PRIO_PROCESS, tid) + ENGINE_NICE)
        os.setpriority(os.PRIO_PROCESS, tid, nice)
    except (AttributeError, OSError):  # no per-thread priorities here; start as we are
        return None
    return nice


class _EngineWorker(QObject):
    """Lives on the engine's thread and makes the engine there, so that everything the
    engine owns belongs to that thread. Its calls are queued in order: ``create`` (quick),
    then the engine's ``setEngine`` (slow, in C++, holding no Python lock), then ``probe``."""

    def __init__(self, name: str, owner: ThreadedEngine) -> None:
        super().__init__()
        self._name = name
        self._owner = owner
        self.tts: Any = None
        self.nice: int | None = None

    @Slot()
    def create(self) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech

        self.nice = give_way()
        owner = self._owner
        tts = QTextToSpeech(PLACEHOLDER_ENGINE, self)
        tts.stateChanged.connect(owner._on_state)  # (to an object of the GUI thread: queued)
        tts.errorOccurred.connect(owner._on_error)
        tts.localeChanged.connect(owner._on_locale)
        self.tts = tts
        QMetaObject.invokeMethod(tts, "setEngine", Qt.ConnectionType.QueuedConnection, Q_ARG(str, self._name))
        QMetaObject.invokeMethod(self, "probe", Qt.ConnectionType.QueuedConnection)

    @Slot()
    def probe(self) -> None:
        """Read what the Speaker needs here, where a read cannot meet a half-built engine."""
        tts = self.tts
        try:
            self._owner._started.emit(tts, tts.state(), list(tts.availableLocales()), tts.locale())
        except RuntimeError:  # the kiosk closed while its engine was starting: no one to tell
            log.info("speech engine started after its window closed")


class ThreadedEngine(QObject):
    """A QTextToSpeech that lives on a thread of its own, shaped like the parts of it the
    Speaker uses. Calls go to it as queued calls; its state and locale are mirrored here
    from its signals. ``ready`` fires once its engine has started (or failed to)."""

    ready = Signal()
    stateChanged = Signal(object)  # noqa: N815 (Qt's names)
    errorOccurred = Signal(object, str)  # noqa: N815
    _started = Signal(object, object, object, object)  # (engine, state, locales, locale), from the thread

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtTextToSpeech import QTextToSpeech

        self._name = name
        self._state: Any = QTextToSpeech.State.Error
        self._locales: list[QLocale] = []
        self._locale = QLocale.c()
        self._tts: Any = None
        self.thread_ = QThread()
        self.thread_.setObjectName("speech-engine")
        self._worker = _EngineWorker(name, self)
        self._worker.moveToThread(self.thread_)
        self._started.connect(self._on_started)
        # However this wrapper goes (its parent deleted, the application quitting), the
        # thread ends first: Qt aborts the process when a running QThread is destroyed.
        thread, worker = self.thread_, self._worker
        self.destroyed.connect(lambda: _end_thread(thread, worker))
        _LIVE[id(thread)] = (thread, worker)  # and at exit, for a speaker nobody deleted
        # The slow part runs on that thread: the GUI thread never waits for it.
        self.thread_.start()
        QMetaObject.invokeMethod(self._worker, "create", Qt.ConnectionType.QueuedConnection)

    def _on_started(self, tts: Any, state: Any, locales: list[QLocale], locale: QLocale) -> None:
        self._tts = tts
        self._state, self._locales, self._locale = state, locales, locale
        self.ready.emit()

    def _on_state(self, state: Any) -> None:
        self._state = state
        self.stateChanged.emit(state)

    def _on_error(self, reason: Any, message: str) -> None:
        self.errorOccurred.emit(reason, message)

    def _on_locale(self, locale: QLocale) -> None:
        self._locale = locale

    def engine(self) -> str:
        return self._name

    def state(self) -> Any:
        return self._state

    def availableLocales(self) -> list[QLocale]:  # noqa: N802
        return list(self._locales)

    def locale(self) -> QLocale:
        return self._locale

    def setLocale(self, locale: QLocale) -> None:  # noqa: N802
        self._locale = locale
        QMetaObject.invokeMethod(self._tts, "setLocale", Qt.ConnectionType.QueuedConnection, Q_ARG(QLocale, locale))

    def setVolume(self, volume: float) -> None:  # noqa: N802
        QMetaObject.invokeMethod(self._tts, "setVolume", Qt.ConnectionType.QueuedConnection, Q_ARG(float, volume))

    def say(self, text: str) -> None:
        QMetaObject.invokeMethod(self._tts, "say", Qt.ConnectionType.QueuedConnection, Q_ARG(str, text))

    def stop(self) -> None:
        QMetaObject.invokeMethod(self._tts, "stop", Qt.ConnectionType.QueuedConnection)

    def close(self) -> None:
        _end_thread(self.thread_, self._worker)


CLOSE_WAIT_MS = 3000
_STUCK: list[QThread] = []  # threads whose engine never finished starting (see _end_thread)


_LIVE: dict[int, tuple[QThread, QObject]] = {}  # every engine thread not yet ended


def _end_thread(thread: QThread, worker: QObject) -> None:
    """Delete the engine on its thread and end the thread. A start that hangs (a wedged
    speech-dispatcher never answers) is not waited for beyond CLOSE_WAIT_MS: that thread
    is kept referenced, so nothing destroys it while it runs, and ends with the process."""
    _LIVE.pop(id(thread), None)
    if not shiboken6.isValid(thread) or thread in _STUCK or not thread.isRunning():
        return  # (already ended: at exit, or by close())
    worker.deleteLater()  # with its engine, on their thread, before it ends
    thread.quit()
    if not thread.wait(CLOSE_WAIT_MS):
        log.warning("the speech engine did not finish starting; leaving its thread behind")
        _STUCK.append(thread)


@atexit.register
def _end_all_threads() -> None:
    for thread, worker in list(_LIVE.values()):
        _end_thread(thread, worker)


def threaded_qt_engine(name: str, parent: QObject) -> Any:
    """The platform's engine, started on its own thread; None when there is none."""
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except ImportError:
        return qt_engine(name, parent)  # (which says why there is no speech)
    engines = QTextToSpeech.availableEngines()
    if name == PLACEHOLDER_ENGINE or PLACEHOLDER_ENGINE not in engines:
        # Qt's mock engine (the tests') starts at once; and with no placeholder to start
        # from (the frozen build ships it; a trimmed Qt may not), start on this thread.
        return qt_engine(name, parent)
    real = [e for e in engines if e != PLACEHOLDER_ENGINE]
    if not real or (name and name not in real):
        log.info("speech unavailable: no engine %r (installed: %s)", name, ", ".join(engines))
        return None
    engine = ThreadedEngine(name, parent)
    app = QCoreApplication.instance()
    if app is not None:  # the thread ends before the application does, however it ends
        app.aboutToQuit.connect(engine.close)
    return engine


def _dispose(tts: Any) -> None:
    if isinstance(tts, ThreadedEngine):
        tts.close()
    tts.deleteLater()


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
            _dispose(tts)
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
            _dispose(failed)
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
